from django.urls import path

from .views import canned, knowledge, mail, reports, satisfaction, tickets

app_name = "helpdesk"

urlpatterns = [
    path("", tickets.ticket_list, name="tickets"),
    path("new/", tickets.ticket_new, name="new"),
    path("bulk/", tickets.ticket_bulk, name="bulk"),
    path("new/articles/", knowledge.suggest, name="suggest"),
    path("<int:pk>/", tickets.ticket_detail, name="ticket"),
    path("<int:pk>/reply/", tickets.ticket_reply, name="reply"),
    path("<int:pk>/change/", tickets.ticket_change, name="change"),
    path("<int:pk>/close/", tickets.ticket_close, name="close"),
    path("<int:pk>/rate/", tickets.ticket_rate, name="rate"),
    path("<int:pk>/engagement/", tickets.ticket_engagement, name="engagement"),
    path("<int:pk>/messages/<int:message_pk>/article/", knowledge.reply_to_article, name="reply_to_article"),
    path("<int:pk>/attachments/<int:attachment_pk>/", tickets.attachment, name="attachment"),
    path("canned/", canned.canned_list, name="canned"),
    path("canned/<int:pk>/", canned.canned_edit, name="canned-edit"),
    path("canned/<int:pk>/delete/", canned.canned_delete, name="canned-delete"),
    path("mail/", mail.mailboxes, name="mail"),
    path("mail/<int:pk>/raw/", mail.quarantined_raw, name="quarantined-raw"),
    path("mail/<int:pk>/release/", mail.quarantined_release, name="quarantined-release"),
    path("mail/<int:pk>/discard/", mail.quarantined_discard, name="quarantined-discard"),
    # The resolution e-mail's one-click ratings: signed links, no sign-in.
    path("<int:pk>/rate/<int:score>/<str:token>/", satisfaction.rate_by_link, name="rate_by_link"),
    path("reports/", reports.report_page, name="reports"),
    path("reports/<slug:table>.csv", reports.report_csv, name="reports_csv"),
    path("reports/report.xlsx", reports.report_xlsx, name="reports_xlsx"),
]
