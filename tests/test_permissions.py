"""The permission table: every page and API endpoint × every role -> the expected status.

Every new view or endpoint joins this table (a test below fails when a URL pattern is missing).
Roles: see greenbridge/dashboard/demo.py. 302 = sent to the sign-in page.
"""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from greenbridge.events.models import Event
from greenbridge.events.services import meeting_create
from greenbridge.matching.models import CalendarFeed
from greenbridge.matching.services import star_toggle, watch_save
from greenbridge.orgs.services import invitation_create
from greenbridge.tenders.models import Notice
from tests.conftest import ROLES, client_as, connection_kept_open

A, S, OS, M, V, P = ROLES  # anonymous, sme, other_sme, manager, advisor, operator


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int) -> dict[str, int]:
    return {**everyone(status), A: 302}


# The SME's private data (orgs.view_private): its people, and the cluster staff it shares with.
PRIVATE = {A: 302, S: 200, OS: 403, M: 200, V: 200, P: 403}
# An event's organisers: the staff of the organising cluster (operators do not read participants' data).
ORGANISERS = {A: 302, S: 403, OS: 403, M: 200, V: 200, P: 403}
ORGANISERS_AND_SME = {**ORGANISERS, S: 200}


# (name, url template, {role: status}). {notice}, {sme}, {cluster} are filled in by the fixture.
TABLE = [
    ("home", "/", everyone(200)),
    ("sources", "/sources/", everyone(200)),
    # The time zone picker: anyone (the choice goes in the session, and on the account when signed in).
    ("time_zone", "/time-zone/?next=/notices/", everyone(200)),
    ("tenders:notice_list", "/notices/", everyone(200)),
    ("tenders:notice_list (filtered)", "/notices/?q=water&country=UA&cpv=33100000&open=on", everyone(200)),
    ("tenders:notice_detail", "/notices/{notice}/", everyone(200)),
    ("tenders:notice_ics", "/notices/{notice}/deadline.ics", everyone(200)),
    # Market figures and country profiles: public, as the notices they come from.
    ("market:market", "/market/?country=MD&sector=water&cpv=45&year_from=2015&kind=award", everyone(200)),
    ("market:download_csv", "/market/market.csv?country=MD", everyone(200)),
    ("market:download_xlsx", "/market/market.xlsx?by=country", everyone(200)),
    ("market:notices", "/market/notices/?figure=single_bid&country=MD", everyone(200)),
    ("market:countries", "/market/countries/", everyone(200)),
    ("market:country", "/market/countries/MD/", everyone(200)),
    ("market:country (not a country)", "/market/countries/ZZ/", everyone(404)),
    # Target markets: an organisation's ranking is private to it (and the cluster staff it shares with).
    ("market:ranking_start", "/market/ranking/", everyone(302)),
    ("market:ranking", "/market/ranking/{sme}/", PRIVATE),
    ("market:ranking (a cluster)", "/market/ranking/{cluster}/", ORGANISERS),
    # A strategy is private to its organisations' people (here the cluster's staff: the owner).
    ("strategy:list", "/strategies/", signed_in(200)),
    # Started by a cluster's or a BSO's staff; companies take part when the owner adds them.
    ("strategy:new", "/strategies/new/", {**ORGANISERS, P: 403}),
    ("strategy:detail", "/strategies/{strategy}/", ORGANISERS),
    ("strategy:versions", "/strategies/{strategy}/versions/?a=1&b=draft", ORGANISERS),
    ("strategy:changes", "/strategies/{strategy}/changes/", ORGANISERS),
    ("strategy:markets", "/strategies/{strategy}/markets/choose/", ORGANISERS),
    ("strategy:docx", "/strategies/{strategy}/strategy.docx", ORGANISERS),
    ("strategy:pdf", "/strategies/{strategy}/strategy.pdf", ORGANISERS),
    ("strategy:ics", "/strategies/{strategy}/roadmap.ics", ORGANISERS),
    ("strategy:text_edit", "/strategies/{strategy}/text/context/", signed_in(405)),
    ("strategy:item_add", "/strategies/{strategy}/items/swot/", signed_in(405)),
    ("strategy:item_remove", "/strategies/{strategy}/items/swot/1/remove/", signed_in(405)),
    ("strategy:item_edit", "/strategies/{strategy}/items/roadmap/{strategy_activity}/edit/", ORGANISERS),
    ("strategy:market_add", "/strategies/{strategy}/markets/", signed_in(405)),
    ("strategy:market_remove", "/strategies/{strategy}/markets/1/remove/", signed_in(405)),
    ("strategy:comment", "/strategies/{strategy}/comments/swot/", signed_in(405)),
    ("strategy:publish", "/strategies/{strategy}/publish/", signed_in(405)),
    ("strategy:member_set", "/strategies/{strategy}/members/", signed_in(405)),
    ("orgs:mine", "/orgs/", signed_in(200)),
    ("orgs:create", "/orgs/new/", signed_in(200)),
    ("orgs:detail", "/orgs/{sme}/", everyone(200)),
    ("orgs:edit", "/orgs/{sme}/edit/", {A: 302, S: 200, OS: 403, M: 403, V: 403, P: 200}),
    ("orgs:directory", "/orgs/{cluster}/members/", {A: 302, S: 403, OS: 403, M: 200, V: 200, P: 200}),
    (
        "orgs:directory (searched)",
        "/orgs/{cluster}/members/?q=aqua&country=RO&sector=water&cpv=4525",
        {A: 302, S: 403, OS: 403, M: 200, V: 200, P: 200},
    ),
    ("orgs:directory_export", "/orgs/{cluster}/members.csv", {A: 302, S: 403, OS: 403, M: 200, V: 200, P: 200}),
    # Inviting companies to join a cluster: its managers (not its advisors, not operators); answering: POSTs.
    ("orgs:invitations", "/orgs/{cluster}/members/invitations/", {A: 302, S: 403, OS: 403, M: 200, V: 403, P: 403}),
    ("orgs:invitation_action", "/orgs/{cluster}/members/invitations/{invitation}/resend/", signed_in(405)),
    # The invitation's link: whoever holds it (the token is the secret); visitors are asked to sign up or in.
    ("orgs:invitation_accept", "/orgs/invitations/{invitation_token}/", everyone(200)),
    ("orgs:invitation_accept (unknown token)", "/orgs/invitations/not-a-token/", everyone(404)),
    # Verifying clusters, BSOs, public procurers and authorities: operators only (the decision is a POST).
    ("orgs:verification", "/orgs/verification/", {A: 302, S: 403, OS: 403, M: 403, V: 403, P: 200}),
    ("orgs:verification_decide", "/orgs/verification/{cluster}/", signed_in(405)),
    # Self-assessments: an SME's private data (its people, and the cluster staff it shares with, who may also take
    # one on its behalf). A draft's results page leads to its questions, a submitted one's questions to its results.
    ("assessments:list", "/assessments/", signed_in(200)),
    ("assessments:start", "/assessments/start/", signed_in(302)),
    ("assessments:detail", "/assessments/{assessment}/", PRIVATE),
    ("assessments:detail (a draft)", "/assessments/{draft_assessment}/", {**PRIVATE, S: 302, M: 302, V: 302}),
    ("assessments:page", "/assessments/{draft_assessment}/page/2/", PRIVATE),
    ("assessments:report", "/assessments/{assessment}/report.pdf", PRIVATE),
    ("assessments:report (a draft)", "/assessments/{draft_assessment}/report.pdf", {**PRIVATE, S: 404, M: 404, V: 404}),
    ("assessments:page (submitted)", "/assessments/{assessment}/page/1/", {**PRIVATE, S: 302, M: 302, V: 302}),
    # The review and the action plan: POSTs (tests/assessments/test_views.py checks who may).
    ("assessments:comment_add", "/assessments/{assessment}/comments/", signed_in(405)),
    ("assessments:action_add", "/assessments/{assessment}/actions/", signed_in(405)),
    ("assessments:action_status", "/assessments/{assessment}/actions/1/status/", signed_in(405)),
    ("assessments:plan_agree", "/assessments/{assessment}/plan/agree/", signed_in(405)),
    # A cluster's view of its members' assessments (only those sharing with it): its managers and advisors.
    ("assessments:cluster", "/assessments/cluster/{cluster}/", ORGANISERS),
    ("assessments:cluster_export", "/assessments/cluster/{cluster}/assessments.csv", ORGANISERS),
    ("assessments:cluster_export (xlsx)", "/assessments/cluster/{cluster}/assessments.xlsx", ORGANISERS),
    ("reference:cpv_picker", "/codes/cpv/?q=water", everyone(200)),
    ("reference:nace_picker", "/codes/nace/?q=36", everyone(200)),
    ("admin:index", "/admin/", {**everyone(302), P: 200}),
    ("account_login", "/accounts/login/", {**everyone(302), A: 200}),
    ("account_signup", "/accounts/signup/", {**everyone(302), A: 200}),
    ("account_reset_password", "/accounts/password/reset/", everyone(200)),
    ("api:api-root", "/api/v1/", everyone(404)),
    ("api:openapi-json", "/api/v1/openapi.json", everyone(200)),
    ("api:openapi-view", "/api/v1/docs", everyone(200)),
    ("api:list_notices", "/api/v1/notices", everyone(200)),
    ("api:get_notice", "/api/v1/notices/{notice}", everyone(200)),
    ("api:market_stats", "/api/v1/market/stats?by=country&by=year", everyone(200)),
    ("api:market_figures_api", "/api/v1/market/figures?country=MD", everyone(200)),
    ("api:search_cpv", "/api/v1/codes/cpv?q=apa", everyone(200)),
    ("api:search_nace", "/api/v1/codes/nace?q=water", everyone(200)),
    # Matching: an SME's watches and inbox are its private data (its people, and the staff of the cluster it
    # shares with); operators run the platform and do not read them through the app.
    ("matching:watch_list", "/watches/", signed_in(200)),
    ("matching:watch_new", "/watches/new/{sme}/", PRIVATE),
    ("matching:watch_edit", "/watches/{watch}/", PRIVATE),
    ("matching:watch_delete", "/watches/{watch}/delete/", {**signed_in(405)}),
    ("matching:watch_preview", "/watches/preview/", signed_in(405)),
    ("matching:inbox", "/inbox/", signed_in(200)),
    ("matching:inbox (an organisation)", "/inbox/?org={sme}", signed_in(200)),
    ("matching:inbox_watch", "/inbox/watch/{watch}/", PRIVATE),
    ("matching:mark", "/inbox/{sme}/mark/{notice}/", signed_in(405)),
    ("matching:star", "/stars/{notice}/", signed_in(405)),
    # Forwarding a notice to a cluster's members: that cluster's staff only.
    ("matching:forward", "/inbox/{cluster}/forward/{notice}/", {A: 302, S: 403, OS: 403, M: 200, V: 200, P: 403}),
    ("matching:to_forward", "/forward/", {A: 302, S: 403, OS: 403, M: 200, V: 200, P: 403}),
    (
        "matching:to_forward (a cluster, 30 days)",
        "/forward/?cluster={cluster}&days=30",
        {A: 302, S: 403, OS: 403, M: 200, V: 200, P: 403},
    ),
    ("matching:feed", "/alerts/feed/{feed_token}.atom", everyone(200)),
    ("matching:feed (wrong token)", "/alerts/feed/not-the-token.atom", everyone(404)),
    ("matching:calendar", "/alerts/calendar/{calendar_token}.ics", everyone(200)),
    ("matching:calendar (wrong token)", "/alerts/calendar/nope.ics", everyone(404)),
    ("matching:unsubscribe", "/alerts/unsubscribe/{unsubscribe_token}/", everyone(200)),
    ("matching:unsubscribe (wrong token)", "/alerts/unsubscribe/nope/", everyone(404)),
    ("api:list_watches", "/api/v1/watches", {**everyone(200), A: 401}),
    ("api:get_watch", "/api/v1/watches/{watch}", {A: 401, S: 200, OS: 404, M: 200, V: 200, P: 404}),
    ("api:list_matches", "/api/v1/watches/{watch}/matches", {A: 401, S: 200, OS: 404, M: 200, V: 200, P: 404}),
    ("api:set_mark", "/api/v1/marks", everyone(405)),
    ("api:list_forwards", "/api/v1/forwards", {**everyone(200), A: 401}),
    ("api:list_forwards (an organisation)", "/api/v1/forwards?organisation={sme}", {**PRIVATE, A: 401}),
    # Events: public pages for everyone (drafts for their organisers); a participant's requests, meetings and
    # agenda for their own side; registrations, exports and the schedule for the organising cluster's staff.
    ("events:list", "/events/", everyone(200)),
    ("events:list (past)", "/events/?when=past&kind=b2b", everyone(200)),
    ("events:calendar", "/events/calendar.ics", everyone(200)),
    ("events:create", "/events/new/", {A: 302, S: 403, OS: 403, M: 200, V: 200, P: 403}),
    ("events:detail", "/events/{event}/", everyone(200)),
    ("events:detail (a draft)", "/events/{draft}/", {**everyone(404), M: 200, V: 200}),
    ("events:ics", "/events/{event}/event.ics", everyone(200)),
    # The SME is registered already (sent on to its page).
    ("events:register", "/events/{event}/register/", {**signed_in(200), S: 302}),
    ("events:mine", "/events/{event}/me/", {**signed_in(302), S: 200}),
    ("events:cancel", "/events/{event}/me/cancel/", signed_in(405)),
    ("events:availability", "/events/{event}/me/availability/", signed_in(405)),
    ("events:participants", "/events/{event}/participants/", ORGANISERS_AND_SME),
    ("events:request", "/events/{event}/participants/{buyer}/request/", {**signed_in(403), S: 200}),
    ("events:respond", "/events/{event}/requests/{meeting_request}/accept/", signed_in(405)),
    ("events:agenda", "/events/{event}/agenda/", {**signed_in(403), S: 200}),
    ("events:agenda (a participant's)", "/events/{event}/agenda/?registration={sme_registration}", ORGANISERS_AND_SME),
    ("events:agenda_ics", "/events/{event}/agenda.ics", {**signed_in(403), S: 200}),
    ("events:live", "/events/{event}/meetings/{meeting}/live/", signed_in(405)),
    ("events:manage", "/events/{event}/manage/", ORGANISERS),
    ("events:edit", "/events/{event}/manage/edit/", ORGANISERS),
    ("events:export", "/events/{event}/manage/participants.csv", ORGANISERS),
    ("events:export (Excel)", "/events/{event}/manage/participants.xlsx", ORGANISERS),
    ("events:export (unknown format)", "/events/{event}/manage/participants.pdf", {**ORGANISERS, M: 404, V: 404}),
    ("events:checkin", "/events/{event}/manage/check-in/", ORGANISERS),
    ("events:schedule", "/events/{event}/manage/schedule/", ORGANISERS),
    ("events:meeting_move", "/events/{event}/manage/meetings/{meeting}/", ORGANISERS),
    ("events:table_plan", "/events/{event}/manage/tables.csv", ORGANISERS),
    ("events:outcome", "/events/{event}/meetings/{meeting}/outcome/", signed_in(405)),
    ("events:outcomes", "/events/{event}/manage/outcomes/", ORGANISERS),
    ("events:outcomes_csv", "/events/{event}/manage/outcomes.csv", ORGANISERS),
    # The marketplace: open opportunities are public; a closed one only its owner's people see.
    ("partnering:opportunities", "/opportunities/", everyone(200)),
    (
        "partnering:opportunities (filtered)",
        "/opportunities/?q=water&kind=procurement_need&sector=water&country=MD&cpv=3842",
        everyone(200),
    ),
    ("partnering:mine", "/opportunities/mine/", signed_in(200)),
    ("partnering:opportunity_create", "/opportunities/new/", signed_in(200)),
    ("partnering:opportunity", "/opportunities/{opportunity}/", everyone(200)),
    ("partnering:opportunity (closed)", "/opportunities/{closed_opportunity}/", {**everyone(404), S: 200}),
    ("partnering:opportunity_edit", "/opportunities/{opportunity}/edit/", {**signed_in(403), S: 200}),
    ("partnering:opportunity_close", "/opportunities/{opportunity}/close/", signed_in(405)),
    ("partnering:interest", "/opportunities/{opportunity}/interest/", {**signed_in(200), S: 403}),
    ("partnering:interest_respond", "/opportunities/interests/{interest}/accept/", signed_in(405)),
    # Partnerships: the partners' people, and the staff of the clusters a partner shares its data with.
    ("partnering:partnerships", "/partnerships/", signed_in(200)),
    ("partnering:partnership_create", "/partnerships/new/", signed_in(200)),
    ("partnering:partnership", "/partnerships/{partnership}/", PRIVATE),
    ("partnering:partnership_edit", "/partnerships/{partnership}/edit/", {**signed_in(403), S: 200}),
    ("partnering:partnership_evidence", "/partnerships/{partnership}/evidence/", PRIVATE),
    ("api:list_opportunities", "/api/v1/opportunities?kind=procurement_need&country=MD", everyone(200)),
    ("api:get_opportunity", "/api/v1/opportunities/{opportunity}", everyone(200)),
    ("api:get_opportunity (closed)", "/api/v1/opportunities/{closed_opportunity}", {**everyone(404), S: 200}),
    ("api:list_partnerships", "/api/v1/partnerships", {**everyone(200), A: 401}),
    ("api:list_questionnaires", "/api/v1/questionnaires", everyone(200)),
    ("api:get_questionnaire", "/api/v1/questionnaires/eu-edih-dma-sme", everyone(200)),
    ("api:get_questionnaire (unknown)", "/api/v1/questionnaires/no-such-thing", everyone(404)),
    ("api:list_assessments", "/api/v1/assessments", {**everyone(200), A: 401}),
    ("api:get_assessment", "/api/v1/assessments/{assessment}", {**PRIVATE, A: 401, OS: 404, P: 404}),
    # The service portfolio: active services are public, drafts their provider's staff's; a catalogue and its
    # analysis are the cluster's staff's. An engagement is the SME's private data, seen also by the provider's staff
    # (here the same cluster); its changes are POSTs (tests/portfolio checks who may). The rating link is signed.
    ("portfolio:portfolio", "/services/", everyone(200)),
    ("portfolio:portfolio (filtered)", "/services/?q=data&category=digital&free=on&country=RO", everyone(200)),
    ("portfolio:service", "/services/{service}/", everyone(200)),
    ("portfolio:service (a draft)", "/services/{draft_service}/", {**everyone(404), M: 200, V: 200}),
    ("portfolio:request", "/services/{service}/request/", signed_in(405)),
    ("portfolio:service_edit", "/services/{service}/edit/", ORGANISERS),
    ("portfolio:catalogue", "/services/catalogue/{cluster}/", ORGANISERS),
    ("portfolio:service_new", "/services/catalogue/{cluster}/new/", ORGANISERS),
    ("portfolio:analysis", "/services/analysis/{cluster}/", ORGANISERS),
    ("portfolio:engagements", "/services/engagements/", signed_in(200)),
    ("portfolio:engagement", "/services/engagements/{engagement}/", PRIVATE),
    ("portfolio:accept", "/services/engagements/{request}/accept/", signed_in(405)),
    ("portfolio:decline", "/services/engagements/{request}/decline/", signed_in(405)),
    ("portfolio:withdraw", "/services/engagements/{request}/withdraw/", signed_in(405)),
    ("portfolio:session_add", "/services/engagements/{engagement}/sessions/", signed_in(405)),
    ("portfolio:close", "/services/engagements/{engagement}/close/", signed_in(405)),
    ("portfolio:rate", "/services/engagements/{engagement}/rate/", signed_in(405)),
    ("portfolio:rate_by_link", "/services/engagements/{engagement}/rate/4/{rating_token}/", everyone(200)),
    ("portfolio:rate_by_link (altered)", "/services/engagements/{engagement}/rate/4/x{rating_token}/", everyone(403)),
    ("portfolio:calendar", "/services/engagements/{engagement}/sessions.ics", PRIVATE),
    # The help desk: a ticket is its company's (everyone in it) and its queue's staff's, never another cluster's
    # (here the queue is the demo cluster's, whose manager and advisor answer); its changes are POSTs
    # (tests/helpdesk checks who may).
    ("helpdesk:tickets", "/help/", signed_in(200)),
    ("helpdesk:tickets (filtered)", "/help/?status=unresolved&assignee=me&priority=high&q=espd", signed_in(200)),
    ("helpdesk:new", "/help/new/", signed_in(200)),
    ("helpdesk:ticket", "/help/{ticket}/", PRIVATE),
    ("helpdesk:reply", "/help/{ticket}/reply/", signed_in(405)),
    ("helpdesk:change", "/help/{ticket}/change/", signed_in(405)),
    ("helpdesk:close", "/help/{ticket}/close/", signed_in(405)),
    ("helpdesk:rate", "/help/{ticket}/rate/", signed_in(405)),
    # Attachments: to whoever sees their message; an internal note's to the staff only (404 to the company).
    ("helpdesk:attachment", "/help/{ticket}/attachments/{ticket_attachment}/", PRIVATE),
    ("helpdesk:attachment (of a note)", "/help/{ticket}/attachments/{note_attachment}/", {**PRIVATE, S: 404}),
    ("helpdesk:tickets (service level)", "/help/?sla=at_risk&organisation={sme_id}&tag=espd", signed_in(200)),
    ("helpdesk:bulk", "/help/bulk/", signed_in(405)),
    ("helpdesk:engagement", "/help/{ticket}/engagement/", signed_in(405)),
    # Ready answers: the staff of a cluster with a queue.
    ("helpdesk:canned", "/help/canned/", {A: 302, S: 403, OS: 403, M: 200, V: 200, P: 403}),
    ("helpdesk:canned-edit", "/help/canned/{canned}/", {A: 302, S: 403, OS: 403, M: 200, V: 200, P: 403}),
    ("helpdesk:canned-delete", "/help/canned/{canned}/delete/", signed_in(405)),
    # Mail in and the quarantine: the queues' staff only (a kept message of another queue is not found).
    ("helpdesk:mail", "/help/mail/", {A: 302, S: 403, OS: 403, M: 200, V: 200, P: 403}),
    ("helpdesk:quarantined-raw", "/help/mail/{quarantined}/raw/", {A: 302, S: 404, OS: 404, M: 200, V: 200, P: 404}),
    ("helpdesk:quarantined-release", "/help/mail/{quarantined}/release/", signed_in(405)),
    ("helpdesk:quarantined-discard", "/help/mail/{quarantined}/discard/", signed_in(405)),
    # Suggestions under a ticket's subject (the queue's organisation's articles the requester may read); a public
    # reply made into a draft article: a POST (tests/knowledge/test_views.py checks who may).
    ("helpdesk:suggest", "/help/new/articles/?queue={queue}&subject=espd", signed_in(200)),
    ("helpdesk:reply_to_article", "/help/{ticket}/messages/{reply}/article/", signed_in(405)),
    # The knowledge base: published public articles are everyone's; internal ones and drafts its staff's (the
    # cluster's managers and advisors); votes and "this answered my question" are POSTs.
    ("knowledge:index", "/help/articles/", everyone(200)),
    ("knowledge:index (searched)", "/help/articles/?q=espd%20-draft&page=2", everyone(200)),
    ("knowledge:base", "/help/articles/{cluster}/", everyone(200)),
    ("knowledge:base (searched)", "/help/articles/{cluster}/?q=%22single%20procurement%22", everyone(200)),
    ("knowledge:base (a company has none)", "/help/articles/{sme}/", everyone(404)),
    ("knowledge:article", "/help/articles/{cluster}/{article}/", everyone(200)),
    ("knowledge:article (suggested)", "/help/articles/{cluster}/{article}/?asked=espd", everyone(200)),
    ("knowledge:article (internal)", "/help/articles/{cluster}/{internal_article}/", {**everyone(404), M: 200, V: 200}),
    ("knowledge:article (a draft)", "/help/articles/{cluster}/{draft_article}/", {**everyone(404), M: 200, V: 200}),
    ("knowledge:vote", "/help/articles/{cluster}/{article}/vote/", everyone(405)),
    ("knowledge:answered", "/help/articles/{cluster}/{article}/answered/", signed_in(405)),
    ("knowledge:manage", "/help/articles/{cluster}/manage/", ORGANISERS),
    ("knowledge:new", "/help/articles/{cluster}/manage/new/", ORGANISERS),
    ("knowledge:categories", "/help/articles/{cluster}/manage/categories/", ORGANISERS),
    ("knowledge:category", "/help/articles/{cluster}/manage/categories/{article_category}/", ORGANISERS),
    ("knowledge:edit", "/help/articles/{cluster}/manage/{article_id}/", ORGANISERS),
    ("knowledge:translate", "/help/articles/{cluster}/manage/{article_id}/translate/", ORGANISERS),
    ("knowledge:publish", "/help/articles/{cluster}/manage/{article_id}/publish/", signed_in(405)),
    ("knowledge:delete", "/help/articles/{cluster}/manage/{article_id}/delete/", signed_in(405)),
    ("api:list_articles", "/api/v1/articles?q=espd&language=ro&organisation={cluster}", everyone(200)),
    ("api:get_article", "/api/v1/articles/{article_id}", everyone(200)),
    ("api:get_article (internal)", "/api/v1/articles/{internal_article_id}", {**everyone(404), M: 200, V: 200}),
    # The resolution e-mail's rating links: whoever holds one (the signed token is the secret; the page saves only
    # when sent); an altered one is refused in words.
    ("helpdesk:rate_by_link", "/help/{ticket}/rate/4/{ticket_rating_token}/", everyone(200)),
    ("helpdesk:rate_by_link (altered)", "/help/{ticket}/rate/4/x{ticket_rating_token}/", everyone(400)),
    # Reports: the staff of the queues and the managers of their cluster; nobody else (another cluster reads its own).
    ("helpdesk:reports", "/help/reports/", ORGANISERS),
    ("helpdesk:reports (filtered)", "/help/reports/?since=2026-01&until=2026-06&advisor=none", ORGANISERS),
    ("helpdesk:reports_csv", "/help/reports/advisors.csv", ORGANISERS),
    ("helpdesk:reports_xlsx", "/help/reports/report.xlsx", ORGANISERS),
    ("api:list_services", "/api/v1/services?category=digital&country=RO", everyone(200)),
    ("api:get_service", "/api/v1/services/{service}", everyone(200)),
    ("api:get_service (a draft)", "/api/v1/services/{draft_service}", {**everyone(404), M: 200, V: 200}),
    ("api:list_engagements", "/api/v1/engagements", {**everyone(200), A: 401}),
    ("api:get_engagement", "/api/v1/engagements/{engagement}", {**PRIVATE, A: 401, OS: 404, P: 404}),
    ("api:list_tickets", "/api/v1/tickets", {**everyone(200), A: 401}),
    ("api:get_ticket", "/api/v1/tickets/{ticket}", {**PRIVATE, A: 401, OS: 404, P: 404}),
]

# URL names that are deliberately not in the table, with the reason.
NOT_IN_TABLE = {
    "set_language": "POST-only language switch, no data",
    "javascript-catalog": "static translations",
    # Ninja names one URL after each operation; their GET rows cover who reaches the URL, and
    # tests/matching/test_alerts.py checks each write method per role.
    "api:create_watch": "POST on /api/v1/watches (GET row: api:list_watches)",
    "api:update_watch": "PUT on /api/v1/watches/{id} (GET row: api:get_watch)",
    "api:delete_watch": "DELETE on /api/v1/watches/{id} (GET row: api:get_watch)",
    "api:create_forwards": "POST on /api/v1/forwards (GET row: api:list_forwards; tests/matching/test_forwards.py)",
    "api:request_service": "POST on /api/v1/services/{id}/requests (tests/portfolio/test_api.py checks who may)",
    "api:open_ticket": "POST on /api/v1/tickets (GET row: api:list_tickets; tests/helpdesk/test_api.py)",
    "api:reply_ticket": "POST on /api/v1/tickets/{id}/replies (tests/helpdesk/test_api.py checks who may)",
}


@pytest.fixture(scope="module")
def ids(module_demo):
    """What the table's URLs name, made once for the module (module_db) beside its demo."""
    demo = module_demo.read()
    orgs, users = demo.orgs, demo.users
    notice = Notice.objects.create(
        source="test",
        source_id="n1",
        notice_type="competition",
        title="Water meters",
        buyer_country="UA",
        deadline=timezone.now() + timedelta(days=10),
        content_hash="x",
    )
    watch = watch_save(organisation=orgs["sme"], user=users["sme"], data={"keywords": ["water meters"]}, name="Meters")
    star_toggle(user=users["sme"], notice=notice)
    invitation = invitation_create(cluster=orgs["cluster"], by=users["manager"], email="new@company.example")
    return {
        "invitation": invitation.pk,
        "invitation_token": invitation.token,
        "notice": notice.pk,
        "sme": orgs["sme"].slug,
        "cluster": orgs["cluster"].slug,
        "watch": watch.pk,
        "feed_token": watch.feed_token,
        "calendar_token": CalendarFeed.objects.create(user=users["sme"]).token,
        "unsubscribe_token": watch.subscriptions.get().token,
        **event_ids(demo),
        **partnering_ids(demo),
        "assessment": demo.assessments["aquapure_dma_t1"].pk,
        "draft_assessment": demo.assessments["aquapure_intl_t0"].pk,
        **portfolio_ids(demo),
        **helpdesk_ids(demo, users),
        **knowledge_ids(demo, users),
        **strategy_ids(demo, users),
    }


def strategy_ids(demo, users) -> dict:
    from greenbridge.strategy.models import Activity
    from greenbridge.strategy.services import strategy_create, version_publish

    strategy = strategy_create(user=users["manager"], owner=demo.orgs["cluster"], title="Permissions strategy")
    activity = Activity.objects.create(strategy=strategy, kind="fair", title="Fair", starts=timezone.localdate(),
                                       ends=timezone.localdate())  # fmt: skip
    version_publish(strategy=strategy, user=users["manager"])
    return {"strategy": strategy.pk, "strategy_activity": activity.pk}


def knowledge_ids(demo, users) -> dict:
    from greenbridge.knowledge.models import Article
    from greenbridge.knowledge.services import article_create, category_save

    cluster = demo.orgs["cluster"]
    category = category_save(organisation=cluster, names={"en": "Permissions"})
    made = {}
    for key, visibility, status in (
        ("article", "public", "published"),
        ("internal_article", "internal", "published"),
        ("draft_article", "public", "draft"),
    ):
        made[key] = article_create(
            organisation=cluster,
            title=f"ESPD permission {key}",
            body="The European Single Procurement Document.",
            language="en",
            category=category,
            visibility=visibility,
            status=status,
        )
    assert Article.objects.filter(organisation=cluster).count() >= 3
    return {
        **{key: a.slug for key, a in made.items()},
        "article_id": made["article"].pk,
        "internal_article_id": made["internal_article"].pk,
        "article_category": category.pk,
    }


def helpdesk_ids(demo, users) -> dict:
    from django.core.files.base import ContentFile

    from greenbridge.helpdesk.intake import quarantine
    from greenbridge.helpdesk.models import Attachment, CannedReply, Queue
    from greenbridge.helpdesk.satisfaction import rating_token
    from greenbridge.helpdesk.services import reply, ticket_open

    queue = Queue.objects.create(organisation=demo.orgs["cluster"], slug="procurement", name="Procurement abroad")
    ticket = ticket_open(
        queue=queue,
        subject="ESPD for MTender",
        text="Which parts?",
        requester=users["sme"],
        organisation=demo.orgs["sme"],
    )
    note = reply(ticket=ticket, user=users["advisor"], text="See last year's file.", internal=True)
    answer = reply(ticket=ticket, user=users["advisor"], text="Parts II, III and IV.")
    attachments = {}
    for key, message in (("ticket_attachment", ticket.messages.get(kind="incoming")), ("note_attachment", note)):
        a = Attachment(message=message, filename="espd.pdf", size=9, content_type="application/pdf")
        a.file.save("espd.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
        attachments[key] = a.pk
    kept = quarantine(
        queue, b"From: someone@unknown.test\r\nSubject: Hello\r\n\r\nHi\r\n", "a sender this help desk does not know"
    )
    canned = CannedReply.objects.create(organisation=demo.orgs["cluster"], title="ESPD", language="en", body="See.")
    return {
        "ticket": ticket.pk,
        "quarantined": kept.pk,
        "canned": canned.pk,
        "sme_id": demo.orgs["sme"].pk,
        "queue": queue.pk,
        "reply": answer.pk,
        "ticket_rating_token": rating_token(ticket),
        **attachments,
    }


def portfolio_ids(demo) -> dict:
    from greenbridge.portfolio.mail import rating_token
    from greenbridge.portfolio.models import Engagement, Service

    services = Service.objects.filter(provider=demo.orgs["cluster"])
    delivered = Engagement.objects.get(organisation=demo.orgs["sme"], status=Engagement.Status.DELIVERED)
    return {
        "service": services.get(name="Data governance clinic").pk,
        "draft_service": services.get(status=Service.Status.DRAFT).pk,
        "engagement": delivered.pk,
        "request": Engagement.objects.get(organisation=demo.orgs["sme"], status=Engagement.Status.REQUESTED).pk,
        "rating_token": rating_token(delivered),
    }


def partnering_ids(demo) -> dict:
    from django.core.files.base import ContentFile

    from greenbridge.partnering.models import Partnership
    from greenbridge.partnering.services import opportunity_close, opportunity_save

    offer = demo.opportunities["uv_offer"]
    closed = opportunity_save(
        organisation=demo.orgs["sme"],
        data={"kind": "business_request", "title": "Closed", "summary": "x", "expires": offer.expires},
    )
    opportunity_close(opportunity=closed)
    partnership = Partnership.objects.get(organisations=demo.orgs["sme"])
    partnership.evidence.save("mou.pdf", ContentFile(b"%PDF-1.4 signed"))
    return {
        "opportunity": offer.pk,
        "closed_opportunity": closed.pk,
        "interest": demo.opportunities["solar_need"].interests.get().pk,
        "partnership": partnership.pk,
    }


def event_ids(demo) -> dict:
    event = demo.event
    sme = event.registrations.get(organisation=demo.orgs["sme"])
    buyer = event.registrations.get(organisation=demo.orgs["procurer"])
    draft = Event.objects.create(
        slug="draft-event", title="Draft", starts=event.starts, ends=event.ends, status=Event.Status.DRAFT
    )
    draft.organisers.add(demo.orgs["cluster"])
    return {
        "event": event.slug,
        "draft": draft.slug,
        "buyer": buyer.pk,
        "sme_registration": sme.pk,
        "meeting_request": event.meeting_requests.get().pk,
        "meeting": meeting_create(event=event, first=sme, second=buyer).pk,
    }


@pytest.fixture(scope="module")
def signed_in(module_demo) -> dict:
    """A test client for each role, signed in once for the module: their sessions are rows of its transaction
    (module_db), which each row's own writes, rolled back, leave as they were. Signing in again for each role of
    each row was 1,170 sign-ins a pass (6 ms each on SQLite, 12 on PostgreSQL)."""
    users = module_demo.read().users
    return {role: client_as(users, role) for role in ROLES}


@pytest.mark.parametrize(("name", "url", "expected"), TABLE, ids=[row[0] for row in TABLE])
def test_permission_table(db, signed_in, ids, name, url, expected):
    """Each role in turn on one page (one demo for the row: a GET changes nothing another role would see)."""
    answers = {}
    for role in ROLES:
        response = signed_in[role].get(url.format(**ids))
        # A file download holds its file open until closed; closing it must not close the connection (and this
        # test's transaction) before the next role's request.
        with connection_kept_open():
            response.close()
        answers[role] = response.status_code
    wrong = {role: f"{answers[role]}, not {expected[role]}" for role in ROLES if answers[role] != expected[role]}
    assert not wrong, f"GET {url}: {wrong}"


def _named_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{p.namespace}:" if p.namespace else prefix
            yield from _named_patterns(p, ns if p.namespace else prefix)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}"


def test_every_project_url_is_in_the_permission_table():
    covered = {row[0].split(" (")[0] for row in TABLE}
    apps = {
        "home",
        "tenders",
        "orgs",
        "reference",
        "matching",
        "events",
        "partnering",
        "assessments",
        "portfolio",
        "knowledge",
        "helpdesk",
        "market",
        "strategy",
        "api",
    }
    ours = {n for n in _named_patterns() if n.split(":")[0] in apps}
    missing = ours - covered - set(NOT_IN_TABLE)
    assert not missing, f"add these views to the permission table: {sorted(missing)}"
