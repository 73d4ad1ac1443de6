from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("", views.my_organisations, name="mine"),
    path("new/", views.organisation_create, name="create"),
    path("verification/", views.verification, name="verification"),
    path("verification/<slug:slug>/", views.verification_decide, name="verification_decide"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("<slug:slug>/", views.organisation_detail, name="detail"),
    path("<slug:slug>/edit/", views.organisation_edit, name="edit"),
    path("<slug:slug>/members/", views.cluster_directory, name="directory"),
    path("<slug:slug>/members.csv", views.directory_export, name="directory_export"),
    path("<slug:slug>/members/invitations/", views.invitations, name="invitations"),
    path("<slug:slug>/members/invitations/<int:pk>/<str:action>/", views.invitation_action, name="invitation_action"),
]
