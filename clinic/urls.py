from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, register_converter

from accounts import views as account_views
from clinic.converters import IdConverter
from clinic.health import health
from patients.views import dashboard as dashboard_views

register_converter(IdConverter, "id")

urlpatterns = [
    path("", dashboard_views.home, name="home"),
    path("health/", health, name="health"),
    path("accounts/login/", account_views.SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("accounts.urls")),
    path("catalogue/", include("triggerpoints.urls")),
    path("patients/", include("patients.urls")),
    path("patients/", include("records.urls")),
    path("clinic/staff/", include("patients.staff_urls")),
    path("clinic/access-log/", include("audit.urls")),
    path("plans/", include("plans.urls")),
    path("", include("portal.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Myoplan administration"
admin.site.site_title = "Myoplan admin"
