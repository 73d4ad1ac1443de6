from django.urls import path

from . import views

app_name = "matching"
urlpatterns = [
    path("watches/", views.watch_list, name="watch_list"),
    path("watches/new/<slug:slug>/", views.watch_new, name="watch_new"),
    path("watches/preview/", views.watch_preview, name="watch_preview"),
    path("watches/<int:pk>/", views.watch_edit, name="watch_edit"),
    path("watches/<int:pk>/delete/", views.watch_delete, name="watch_delete"),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/watch/<int:watch_pk>/", views.inbox, name="inbox_watch"),
    path("inbox/<slug:slug>/mark/<int:notice_pk>/", views.mark, name="mark"),
    path("inbox/<slug:slug>/forward/<int:notice_pk>/", views.forward, name="forward"),
    path("forward/", views.to_forward, name="to_forward"),
    path("stars/<int:notice_pk>/", views.star, name="star"),
    path("alerts/feed/<str:token>.atom", views.feed, name="feed"),
    path("alerts/calendar/<str:token>.ics", views.calendar, name="calendar"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
