from django.urls import path

from . import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("calendar.ics", views.events_ics, name="calendar"),
    path("new/", views.create, name="create"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/event.ics", views.event_ics, name="ics"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/me/", views.mine, name="mine"),
    path("<slug:slug>/me/cancel/", views.cancel, name="cancel"),
    path("<slug:slug>/me/availability/", views.availability, name="availability"),
    path("<slug:slug>/participants/", views.participants, name="participants"),
    path("<slug:slug>/participants/<int:pk>/request/", views.request_meeting, name="request"),
    path("<slug:slug>/requests/<int:pk>/<str:action>/", views.respond, name="respond"),
    path("<slug:slug>/agenda/", views.agenda, name="agenda"),
    path("<slug:slug>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("<slug:slug>/meetings/<int:pk>/live/", views.live, name="live"),
    path("<slug:slug>/meetings/<int:pk>/outcome/", views.outcome, name="outcome"),
    path("<slug:slug>/manage/", views.manage, name="manage"),
    path("<slug:slug>/manage/edit/", views.edit, name="edit"),
    path("<slug:slug>/manage/participants.<str:fmt>", views.export, name="export"),
    path("<slug:slug>/manage/check-in/", views.checkin, name="checkin"),
    path("<slug:slug>/manage/schedule/", views.schedule, name="schedule"),
    path("<slug:slug>/manage/meetings/<int:pk>/", views.meeting_move, name="meeting_move"),
    path("<slug:slug>/manage/tables.csv", views.table_plan, name="table_plan"),
    path("<slug:slug>/manage/outcomes/", views.outcomes, name="outcomes"),
    path("<slug:slug>/manage/outcomes.csv", views.outcomes_csv, name="outcomes_csv"),
]
