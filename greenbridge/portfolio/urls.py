from django.urls import path

from . import views

app_name = "portfolio"
urlpatterns = [
    path("", views.portfolio, name="portfolio"),
    path("<int:pk>/", views.service_detail, name="service"),
    path("<int:pk>/request/", views.service_request, name="request"),
    path("<int:pk>/edit/", views.service_edit, name="service_edit"),
    path("catalogue/<slug:slug>/", views.catalogue, name="catalogue"),
    path("catalogue/<slug:slug>/new/", views.service_new, name="service_new"),
    path("analysis/<slug:slug>/", views.analysis, name="analysis"),
    path("engagements/", views.engagements, name="engagements"),
    path("engagements/<int:pk>/", views.engagement_detail, name="engagement"),
    path("engagements/<int:pk>/accept/", views.engagement_accept, name="accept"),
    path("engagements/<int:pk>/decline/", views.engagement_decline, name="decline"),
    path("engagements/<int:pk>/withdraw/", views.engagement_withdraw, name="withdraw"),
    path("engagements/<int:pk>/sessions/", views.session_add, name="session_add"),
    path("engagements/<int:pk>/close/", views.engagement_close, name="close"),
    path("engagements/<int:pk>/rate/", views.engagement_rate, name="rate"),
    path("engagements/<int:pk>/rate/<int:stars>/<str:token>/", views.rate_by_link, name="rate_by_link"),
    path("engagements/<int:pk>/sessions.ics", views.engagement_calendar, name="calendar"),
]
