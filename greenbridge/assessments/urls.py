from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("start/", views.assessment_start, name="start"),
    path("<int:pk>/", views.assessment_detail, name="detail"),
    path("<int:pk>/page/<int:page>/", views.assessment_page, name="page"),
    path("<int:pk>/report.pdf", views.assessment_report, name="report"),
    path("<int:pk>/comments/", views.comment_add, name="comment_add"),
    path("<int:pk>/actions/", views.action_add, name="action_add"),
    path("<int:pk>/actions/<int:action_pk>/status/", views.action_status, name="action_status"),
    path("<int:pk>/plan/agree/", views.plan_agree, name="plan_agree"),
    path("cluster/<slug:slug>/", views.cluster_assessments, name="cluster"),
    path("cluster/<slug:slug>/assessments.<str:fmt>", views.cluster_export, name="cluster_export"),
]
