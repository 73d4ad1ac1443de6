from django.urls import path

from . import views

app_name = "helpdesk"

urlpatterns = [
    path("", views.ticket_list, name="tickets"),
    path("new/", views.ticket_new, name="new"),
    path("<int:pk>/", views.ticket_detail, name="ticket"),
    path("<int:pk>/reply/", views.ticket_reply, name="reply"),
    path("<int:pk>/change/", views.ticket_change, name="change"),
    path("<int:pk>/close/", views.ticket_close, name="close"),
    path("<int:pk>/rate/", views.ticket_rate, name="rate"),
    path("<int:pk>/attachments/<int:attachment_pk>/", views.attachment, name="attachment"),
]
