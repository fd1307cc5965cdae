from django.urls import path

from .views import examination, movement, pain, progress, records, screening, sessions

app_name = "patients"

A = "<id:pk>/assessments/<id:aid>/"
S = "<id:pk>/sessions/"

urlpatterns = [
    path("", records.patient_list, name="list"),
    path("new/", records.patient_create, name="create"),
    path("<id:pk>/", records.patient_detail, name="detail"),
    path("<id:pk>/edit/", records.patient_edit, name="edit"),
    path("<id:pk>/archive/", records.patient_archive, name="archive"),
    path("<id:pk>/restore/", records.patient_restore, name="restore"),
    path("<id:pk>/progress/", progress.patient_progress, name="progress"),
    path("<id:pk>/visits/", progress.patient_visits, name="visits"),
    # Intake
    path("<id:pk>/assessments/new/", records.assessment_create, name="assessment_create"),
    path(A, records.assessment_detail, name="assessment"),
    path(A + "red-flags/", screening.red_flag_screen, name="red_flags"),
    path(A + "cross-checks/<slug:key>/", screening.cross_check, name="cross_check"),
    path(
        "<id:pk>/screenings/<id:scid>/decision/",
        screening.screening_decision,
        name="screening_decision",
    ),
    path(A + "pain/", pain.pain_drawing, name="pain"),
    path(A + "presentation/", pain.presentation_edit, name="presentation"),
    path(A + "pain/candidates/", pain.pain_candidates, name="pain_candidates"),
    # Examination findings
    path(A + "palpation/new/", examination.palpation_create, name="palpation_create"),
    path(A + "palpation/<id:fid>/", examination.palpation_edit, name="palpation_edit"),
    path(A + "palpation/<id:fid>/remove/", examination.palpation_remove, name="palpation_remove"),
    path(A + "posture/new/", examination.posture_create, name="posture_create"),
    path(A + "posture/<id:fid>/", examination.posture_edit, name="posture_edit"),
    path(A + "posture/<id:fid>/remove/", examination.posture_remove, name="posture_remove"),
    path(A + "measures/", examination.measures_edit, name="measures"),
    path(A + "movement/", movement.movement_screen, name="movement"),
    # Sessions
    path(S + "new/", sessions.session_create, name="session_create"),
    path(S + "<id:sid>/", sessions.session_detail, name="session"),
    path(S + "<id:sid>/edit/", sessions.session_edit, name="session_edit"),
    path(S + "<id:sid>/sign/", sessions.session_sign, name="session_sign"),
]
