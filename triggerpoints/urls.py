from django.urls import path

from . import views

app_name = "triggerpoints"

urlpatterns = [
    path("", views.muscle_list, name="muscles"),
    path("muscles/<slug:slug>/", views.muscle_detail, name="muscle"),
    path("pain-finder/", views.pain_finder, name="pain_finder"),
]
