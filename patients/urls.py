from django.urls import path

from . import views

app_name = "patients"

urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_create, name="create"),
    path("<int:pk>/", views.patient_detail, name="detail"),
    path("<int:pk>/edit/", views.patient_edit, name="edit"),
    path("<int:pk>/archive/", views.patient_archive, name="archive"),
    path("<int:pk>/restore/", views.patient_restore, name="restore"),
    path("<int:pk>/assessments/new/", views.assessment_create, name="assessment_create"),
    path("<int:pk>/assessments/<int:aid>/", views.assessment_detail, name="assessment"),
    path("<int:pk>/assessments/<int:aid>/red-flags/", views.red_flag_screen, name="red_flags"),
    path(
        "<int:pk>/assessments/<int:aid>/red-flags/decision/",
        views.red_flag_decision,
        name="red_flag_decision",
    ),
]
