from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("<id:pk>/export/", views.record_export, name="export"),
    path("<id:pk>/anonymise/", views.record_anonymise, name="anonymise"),
]
