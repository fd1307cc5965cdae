from django.urls import path

from .views import pdf, plans

app_name = "plans"

P = "<id:pk>/"

urlpatterns = [
    path("generate/<id:aid>/", plans.plan_generate, name="generate"),
    path(P, plans.plan_detail, name="detail"),
    path(P + "edit/", plans.plan_edit, name="edit"),
    path(P + "items/add/", plans.item_add, name="item_add"),
    path(P + "items/<id:iid>/", plans.item_edit, name="item_edit"),
    path(P + "items/<id:iid>/remove/", plans.item_remove, name="item_remove"),
    path(P + "items/<id:iid>/move/", plans.item_move, name="item_move"),
    path(P + "issue/", plans.plan_issue, name="issue"),
    path(P + "complete/", plans.plan_complete, name="complete"),
    path(P + "versions/<id:number>/", plans.plan_version, name="version"),
    path(P + "pdf/", pdf.plan_pdf, name="pdf"),
]
