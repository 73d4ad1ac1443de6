"""A lived-in platform for the dashboard tests (and their screenshots), built on the demo through the services: open
notices for the demo companies, AquaPure's watch with its matches, a bid and a star, a notice its cluster already
forwarded, an accepted meeting on the published schedule, a registration to approve, an interest to answer, a
cluster awaiting verification, an ingest run that rejected an item and an alert run that skipped a watch."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils import timezone

from tests.conftest import DATA, make_notice

# Linked releases only, no compiled release: the real Paraguay record the ingestion rejects (data/SOURCES.md).
REJECTED_RECORD = DATA / "ocds" / "real_more" / "ocp_sample_data_2017" / "paraguay_sample" / "records" / "284453.json"


@dataclass
class Lively:
    now: datetime
    notices: dict
    watch: object
    meeting: object
    registration: object
    interest: object
    pending_cluster: object
    ingest_run: object
    alert_run: object


def make_lively(demo, *, now: datetime | None = None, schedule: bool = True) -> Lively:
    from greenbridge.events import services as events
    from greenbridge.events.models import Event
    from greenbridge.matching import services as matching
    from greenbridge.matching.models import Watch
    from greenbridge.orgs.services import organisation_create
    from greenbridge.partnering.services import interest_create
    from greenbridge.tenders.services import notices_ingest

    now = now or timezone.now()
    orgs, users, event = demo.orgs, demo.users, demo.event
    day = timedelta(days=1)
    notices = {
        "plant": make_notice(
            "md-cahul-wwtp",
            title="Construction of a wastewater treatment plant in Cahul",
            language="en",
            buyer_name="Primăria Cahul",
            buyer_country="MD",
            cpv_codes=["45252100"],
            green_sectors=["wastewater"],
            deadline=now + 5 * day,
            published=now - 2 * day,
            value_amount=Decimal("1200000"),
            value_currency="EUR",
        ),
        "mains": make_notice(
            "md-soroca-mains",
            title="Rehabilitation of the water mains of Soroca",
            language="en",
            buyer_name="Apă-Canal Soroca",
            buyer_country="MD",
            cpv_codes=["45232150"],
            green_sectors=["water"],
            deadline=now + 12 * day,
            published=now - 3 * day,
        ),
        "filters": make_notice(
            "ua-filters",
            title="Постачання установок фільтрації питної води",
            titles={
                "uk": "Постачання установок фільтрації питної води",
                "en": "Supply of drinking-water filtration units",
            },
            language="uk",
            buyer_name="КП «Водоканал» м. Ізмаїл",
            buyer_country="UA",
            cpv_codes=["42912300"],
            green_sectors=["water"],
            deadline=now + 3 * day,
            published=now - 1 * day,
        ),
        "solar": make_notice(
            "md-orhei-pv",
            title="Photovoltaic plant for the Orhei district hospital",
            language="en",
            buyer_name="Spitalul Raional Orhei",
            buyer_country="MD",
            cpv_codes=["09331200"],
            green_sectors=["renewable_energy"],
            deadline=now + 20 * day,
            published=now - 1 * day,
        ),
        "meters": make_notice(
            "md-balti-meters",
            title="Water meters with remote reading for Bălți",
            language="en",
            buyer_name="Apă-Canal Bălți",
            buyer_country="MD",
            cpv_codes=["38421100"],
            green_sectors=["water"],
            deadline=now + 2 * day,
            published=now - 4 * day,
        ),
        "awarded": make_notice(
            "md-ungheni-award",
            notice_type="award",
            status="awarded",
            title="Wastewater treatment plant of Ungheni: contract award",
            language="en",
            buyer_name="Primăria Ungheni",
            buyer_country="MD",
            cpv_codes=["45252100"],
            green_sectors=["wastewater"],
            published=now - 5 * day,
        ),
    }
    sme, cluster = orgs["sme"], orgs["cluster"]
    watch = matching.watch_save(
        organisation=sme,
        user=users["sme"],
        data={"cpv_codes": list(sme.cpv_codes), "green_sectors": ["water", "wastewater"], "countries": ["MD", "UA"]},
        name="Water works in Moldova and Ukraine",
    )
    matching.mark_set(organisation=sme, notice=notices["plant"], user=users["sme"], value="will_bid")
    matching.star_toggle(user=users["sme"], notice=notices["meters"])
    matching.notice_forward(cluster=cluster, members=[sme], notice=notices["mains"], user=users["manager"])

    # The municipality's request to AquaPure is accepted, and the schedule published: a meeting in three weeks.
    request = event.meeting_requests.get()
    meeting = events.meeting_request_accept(request=request)
    if schedule:
        events.schedule_run(event=event, time_limit=5)
        events.schedule_publish(event=event)
        meeting.refresh_from_db()
    # Helios registers once the organisers approve each registration: one to approve.
    Event.objects.filter(pk=event.pk).update(approval_required=True)
    event.refresh_from_db()
    registration = events.registration_create(event=event, user=users["other_sme"], organisation=orgs["other_sme"])
    interest = interest_create(
        opportunity=demo.opportunities["uv_offer"],
        organisation=orgs["procurer"],
        user=users["procurer"],
        message="Could your containers serve three villages of Ungheni district?",
    )
    pending_cluster = organisation_create(
        name="Prut Valley Water Cluster", kind="cluster", country="MD", city="Cahul", admin=None
    )
    ingest_run = notices_ingest(connector="ocds", location=str(REJECTED_RECORD), source="paraguay-sample")
    damaged = matching.watch_save(
        organisation=orgs["other_sme"], user=users["other_sme"], data={"keywords": ["solar"]}, name="Old solar"
    )
    Watch.objects.filter(pk=damaged.pk).update(keywords={"solar": "panels"})  # not a list: saved by an old version
    alert_run = matching.alerts_match(now=now)
    return Lively(
        now=now,
        notices=notices,
        watch=watch,
        meeting=meeting,
        registration=registration,
        interest=interest,
        pending_cluster=pending_cluster,
        ingest_run=ingest_run,
        alert_run=alert_run,
    )
