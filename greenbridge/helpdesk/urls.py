from django.urls import path

from .views import reports, satisfaction, tickets

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
    # The resolution e-mail's one-click ratings: signed links, no sign-in.
    path("<int:pk>/rate/<int:score>/<str:token>/", satisfaction.rate_by_link, name="rate_by_link"),
    path("reports/", reports.report_page, name="reports"),
    path("reports/<slug:table>.csv", reports.report_csv, name="reports_csv"),
    path("reports/report.xlsx", reports.report_xlsx, name="reports_xlsx"),
]
