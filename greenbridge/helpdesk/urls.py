from django.urls import path

from .views import knowledge, tickets

app_name = "helpdesk"

urlpatterns = [
    path("", tickets.ticket_list, name="tickets"),
    path("new/", tickets.ticket_new, name="new"),
    path("new/articles/", knowledge.suggest, name="suggest"),
    path("<int:pk>/", tickets.ticket_detail, name="ticket"),
    path("<int:pk>/reply/", tickets.ticket_reply, name="reply"),
    path("<int:pk>/change/", tickets.ticket_change, name="change"),
    path("<int:pk>/close/", tickets.ticket_close, name="close"),
    path("<int:pk>/rate/", tickets.ticket_rate, name="rate"),
    path("<int:pk>/messages/<int:message_pk>/article/", knowledge.reply_to_article, name="reply_to_article"),
    path("<int:pk>/attachments/<int:attachment_pk>/", tickets.attachment, name="attachment"),
]
