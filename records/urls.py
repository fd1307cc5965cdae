from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("<int:pk>/export/", views.record_export, name="export"),
    path("<int:pk>/anonymise/", views.record_anonymise, name="anonymise"),
]
