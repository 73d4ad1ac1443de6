from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.my_organisations, name="mine"),
    path("new/", views.organisation_create, name="create"),
    path("verification/", views.verification, name="verification"),
    path("verification/<slug:slug>/", views.verification_decide, name="verification_decide"),
    path("<slug:slug>/", views.organisation_detail, name="detail"),
    path("<slug:slug>/edit/", views.organisation_edit, name="edit"),
    path("<slug:slug>/members/", views.cluster_directory, name="directory"),
]
