from django.urls import path

from .views import tickets

app_name = "helpdesk"

urlpatterns = [
    path("", tickets.ticket_list, name="tickets"),
    path("new/", tickets.ticket_new, name="new"),
    path("<int:pk>/", tickets.ticket_detail, name="ticket"),
    path("<int:pk>/reply/", tickets.ticket_reply, name="reply"),
    path("<int:pk>/change/", tickets.ticket_change, name="change"),
    path("<int:pk>/close/", tickets.ticket_close, name="close"),
    path("<int:pk>/rate/", tickets.ticket_rate, name="rate"),
    path("<int:pk>/attachments/<int:attachment_pk>/", tickets.attachment, name="attachment"),
]
