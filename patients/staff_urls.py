from django.urls import path

from .views import staff

app_name = "staff"

urlpatterns = [
    path("", staff.staff_list, name="list"),
    path("new/", staff.staff_create, name="create"),
    path("clinic/", staff.clinic_edit, name="clinic"),
    path("<id:uid>/deactivate/", staff.staff_deactivate, name="deactivate"),
    path("<id:uid>/reactivate/", staff.staff_reactivate, name="reactivate"),
]
