from django.urls import path

from .views import staff

app_name = "staff"

urlpatterns = [
    path("", staff.staff_list, name="list"),
    path("new/", staff.staff_create, name="create"),
    path("clinic/", staff.clinic_edit, name="clinic"),
    path("<int:uid>/deactivate/", staff.staff_deactivate, name="deactivate"),
    path("<int:uid>/reactivate/", staff.staff_reactivate, name="reactivate"),
]
