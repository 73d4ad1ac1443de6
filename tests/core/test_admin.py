"""Operators manage every model people create in the Django admin: each model of GreenBridge is registered
(or left out on purpose, below, with why), with a list that shows something, a search and filters, and each
list, search, change and add page answers for the operator (a watch stored with an impossible value too, a file
kept in the private storage)."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from greenbridge.assessments.services import action_save, comment_add
from greenbridge.dashboard.services import visit_record
from greenbridge.events.models import Meeting, Outcome
from greenbridge.knowledge.models import Article
from greenbridge.knowledge.services import deflection_record
from greenbridge.market.models import RankingWeights
from greenbridge.matching import services as matching
from greenbridge.matching.models import CalendarFeed, WebhookDelivery
from greenbridge.orgs.services import invitation_create
from greenbridge.strategy.demo import create_demo_strategy
from greenbridge.tenders.models import IngestRun
from greenbridge.tenders.services import notices_ingest
from tests.conftest import DATA, make_notice
from tests.test_permissions import helpdesk_ids, knowledge_ids, partnering_ids

pytestmark = pytest.mark.django_db

APPS = tuple(c.label for c in apps.get_app_configs() if c.name.startswith("greenbridge."))
NOT_IN_THE_ADMIN = {
    # Index rows the ingestion pipeline derives from a notice's codes and sectors each time it writes the
    # notice: changed by hand, they would only make the search disagree with the notice.
    "tenders.NoticeCpv",
    "tenders.NoticeSector",
    # The market figures' facts, cells and totals: derived from the notices by every refresh (`market refresh`).
    "market.NoticeFact",
    "market.AwardFact",
    "market.MarketCell",
    "market.PartyTotal",
    "market.PartyOverall",
    "market.Refresh",
}
# Edited on their parent's page, as inlines: a queue's service levels, a ticket's messages, an engagement's sessions.
INLINES = {
    "helpdesk.ServiceLevel": "helpdesk.Queue",
    "helpdesk.Message": "helpdesk.Ticket",
    "portfolio.Session": "portfolio.Engagement",
}


def our_models():
    return [m for label in APPS for m in apps.get_app_config(label).get_models()]


def test_every_model_is_in_the_admin_or_left_out_on_purpose():
    labels = {m._meta.label for m in our_models()}
    registered = {m._meta.label for m in admin.site._registry}
    assert labels - registered == NOT_IN_THE_ADMIN | set(INLINES)
    for label, parent in INLINES.items():
        inlines = admin.site._registry[apps.get_model(parent)].inlines
        assert any(inline.model._meta.label == label for inline in inlines), f"{label}: inline of {parent}"
    for model in our_models():
        if model._meta.label in NOT_IN_THE_ADMIN or model._meta.label in INLINES:
            continue
        model_admin = admin.site._registry[model]
        assert model_admin.list_display != ("__str__",), f"{model._meta.label}: a list with its columns"
        assert model_admin.search_fields, f"{model._meta.label}: a search"


def test_every_app_and_model_in_the_admin_is_named_in_the_readers_language():
    """Without its own names a model is named from its class, in English ("Match" in French) and with an English
    plural ("matchs"; "Code CPVs" from a translated singular)."""
    from django.utils.functional import Promise

    for model in admin.site._registry:
        if not model.__module__.startswith("greenbridge."):
            continue  # Django's and allauth's, named by them
        options = model._meta.original_attrs
        for name in ("verbose_name", "verbose_name_plural"):
            assert isinstance(options.get(name), Promise), f"{model._meta.label}: {name}, translated"
    for config in apps.get_app_configs():
        if config.name.startswith("greenbridge.") and config.label != "core":  # core: "GreenBridge", a name
            assert isinstance(config.verbose_name, Promise), f"{config.label}: its name, translated"


@pytest.fixture
def everything(demo, users, orgs):
    """At least one row of every model: the demo (organisations, people, an event, the marketplace) plus a
    watch with its matches, alerts, a forward, a mark, a star, a webhook delivery and an alert run."""
    watch = matching.watch_save(
        organisation=orgs["cluster"],
        user=users["manager"],
        data={"cpv_codes": ["38421100"], "keywords": ["water meters"], "forward_to": [orgs["sme"].pk]},
        name="Meters for members",
    )
    notice = make_notice("m1", title="Supply of water meters", cpv_codes=["38421100"], value_amount=Decimal(5))
    matching.alerts_run()
    matching.mark_set(organisation=orgs["sme"], notice=notice, user=users["sme"], value="relevant")
    matching.star_toggle(user=users["sme"], notice=notice)
    WebhookDelivery.objects.create(watch=watch, payload="{}", events=1)
    CalendarFeed.objects.create(user=users["sme"])
    notices_ingest(connector="eforms", location=str(DATA / "eforms" / "sdk_examples"), source="ted")
    event = demo.event
    first, second = event.registrations.all()[:2]
    meeting = Meeting.objects.create(event=event, first=first, second=second)
    Outcome.objects.create(meeting=meeting, registration=first, held="held", interest="follow_up")
    invitation_create(cluster=orgs["cluster"], by=users["manager"], email="water@pipes.example")
    visit_record(user=users["sme"], now=timezone.now())
    RankingWeights.objects.create(user=users["sme"], proximity=40)
    create_demo_strategy(cluster=orgs["cluster"], partner=None, users=users, event=demo.event)
    # The help desk's tickets with attachments and a quarantined mail, a partnership's signed evidence: files in the
    # private storage, which have no public address for the admin's file input to link to.
    helpdesk_ids(demo, users)
    partnering_ids(demo)
    article = Article.objects.get(pk=knowledge_ids(demo, users)["article_id"])
    deflection_record(article=article, query="ESPD", user=users["sme"])
    assessment = demo.assessments["aquapure_dma_t1"]
    action_save(assessment=assessment, user=users["advisor"], data={"title": "Map the customer data"})
    dimension = assessment.questionnaire.definition["dimensions"][0]["id"]
    comment_add(assessment=assessment, user=users["advisor"], dimension=dimension, text="Start with the meters.")
    return watch


def test_the_operator_lists_searches_filters_opens_and_adds_every_model(everything, client_for, users, rf):
    operator = client_for("operator")
    request = rf.get("/admin/")
    request.user = users["operator"]
    for model in our_models():
        if model._meta.label in NOT_IN_THE_ADMIN or model._meta.label in INLINES:
            continue
        assert model.objects.exists(), f"no {model._meta.label} to look at"
        model_admin = admin.site._registry[model]
        info = model._meta.app_label, model._meta.model_name
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        assert operator.get(changelist).status_code == 200, changelist
        assert operator.get(changelist, {"q": "water"}).status_code == 200, changelist
        for name in model_admin.list_filter:
            if isinstance(name, str) and "__" not in name:
                value = model.objects.values_list(name, flat=True).first()
                response = operator.get(changelist, {name: value} if value is not None else {})
                assert response.status_code == 200, (changelist, name)
        first = model.objects.order_by("pk").first()
        change = reverse("admin:{}_{}_change".format(*info), args=[first.pk])
        assert operator.get(change).status_code == 200, change
        add = operator.get(reverse("admin:{}_{}_add".format(*info)))
        assert add.status_code == (200 if model_admin.has_add_permission(request) else 403), model


def test_the_operator_edits_a_watch_with_the_editors_checks(everything, client_for):
    operator = client_for("operator")
    url = reverse("admin:matching_watch_change", args=[everything.pk])
    form = {
        "organisation": everything.organisation_id,
        "name": "Meters for members",
        "cpv_codes": '["38421100"]',
        "keywords": '["water meters", "water OR meter"]',
        "exclude_keywords": "[]",
        "countries": '["Moldova"]',
        "green_sectors": "[]",
        "notice_types": "[]",
        "value_min": "99999999999999999999",
        "min_score": "0.3",
        "active": "on",
        "subscriptions-TOTAL_FORMS": "0",
        "subscriptions-INITIAL_FORMS": "0",
    }
    page = operator.post(url, form).content.decode()
    assert "Enter an amount from 0 to 9,999,999,999,999.99, with at most two decimals." in page
    assert "write each alternative as its own keyword" in page
    form.update(value_min="1 000 000", keywords='["water meters"]')
    assert operator.post(url, form).status_code == 302
    everything.refresh_from_db()
    assert (everything.value_min, everything.countries) == (Decimal(1000000), ["MD"])  # normalised as the editor


def test_a_watch_stored_with_an_impossible_value_opens_in_the_admin(everything, client_for):
    literal = "1e20" if connection.vendor == "sqlite" else "'NaN'"
    with connection.cursor() as cur:
        cur.execute(f"UPDATE matching_watch SET value_max = {literal} WHERE id = %s", [everything.pk])  # noqa: S608
    operator = client_for("operator")
    assert operator.get(reverse("admin:matching_watch_changelist")).status_code == 200
    assert operator.get(reverse("admin:matching_watch_change", args=[everything.pk])).status_code == 200


def test_the_ingest_page_refuses_a_ted_xml_address_before_starting(client_for):
    """TED XML is read from files: an http address failed later as "no such file or directory: http://…"."""
    page = client_for("operator").post(
        "/admin/tenders/ingestrun/new/",
        {"connector": "eforms", "location": "https://ted.europa.eu/notice.xml", "source": "ted", "pages": "1"},
    )
    assert page.status_code == 200
    assert "TED XML is read from files on the server" in page.content.decode()
    assert not IngestRun.objects.exists()
