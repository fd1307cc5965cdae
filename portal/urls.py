"""Two sets of addresses: the patient's (public by token, under /p/) and the staff pages that
make and revoke links and clear dashboard prompts (under /portal/, login required)."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("p/<str:token>/", views.link_open, name="open"),
    path("p/<str:token>/diary/", views.diary, name="diary"),
    path("portal/plans/<id:pk>/link/", views.link_send, name="send"),
    path("portal/plans/<id:pk>/link/<id:lid>/revoke/", views.link_revoke, name="revoke"),
    path("portal/prompts/<id:prid>/seen/", views.prompt_seen, name="prompt_seen"),
]
