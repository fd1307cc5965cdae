from django.urls import path

from .views import staff

app_name = "staff"

urlpatterns = [
    path("", staff.staff_list, name="list"),
    path("new/", staff.staff_create, name="create"),
    path("clinic/", staff.clinic_edit, name="clinic"),
    path("<id:uid>/deactivate/", staff.staff_deactivate, name="deactivate"),
    path("<id:uid>/reactivate/", staff.staff_reactivate, name="reactivate"),
    path("<id:uid>/unlock/", staff.staff_unlock, name="unlock"),
    path("<id:uid>/two-factor/reset/", staff.staff_two_factor_reset, name="two_factor_reset"),
    path("two-factor/", staff.clinic_two_factor, name="two_factor"),
]
