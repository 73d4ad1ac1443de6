from django.urls import path

from . import views

app_name = "reference"
urlpatterns = [
    path("cpv/", views.cpv_picker, name="cpv_picker"),
    path("nace/", views.nace_picker, name="nace_picker"),
]
