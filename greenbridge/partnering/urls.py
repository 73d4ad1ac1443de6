from django.urls import path

from . import views

app_name = "partnering"
urlpatterns = [
    path("opportunities/", views.opportunity_list, name="opportunities"),
    path("opportunities/mine/", views.opportunity_mine, name="mine"),
    path("opportunities/new/", views.opportunity_create, name="opportunity_create"),
    path("opportunities/<int:pk>/", views.opportunity_detail, name="opportunity"),
    path("opportunities/<int:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path("opportunities/<int:pk>/close/", views.opportunity_close, name="opportunity_close"),
    path("opportunities/<int:pk>/interest/", views.interest_create, name="interest"),
    path(
        "opportunities/interests/<int:pk>/<str:action>/",
        views.interest_respond,
        name="interest_respond",
    ),
    path("partnerships/", views.partnership_list, name="partnerships"),
    path("partnerships/new/", views.partnership_create, name="partnership_create"),
    path("partnerships/<int:pk>/", views.partnership_detail, name="partnership"),
    path("partnerships/<int:pk>/edit/", views.partnership_edit, name="partnership_edit"),
    path("partnerships/<int:pk>/evidence/", views.partnership_evidence, name="partnership_evidence"),
]
