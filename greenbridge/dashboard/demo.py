"""Demo organisations and accounts (fictional), used by `greenbridge demo_setup` and the tests.

Every role the permission table knows has one account here:
  sme        admin of AquaPure Systems (RO), a member of the cluster that shares its private data
  other_sme  admin of Helios Solar (MD), a member of the cluster that does not share
  manager    manager of the Danube Green Tech Cluster
  advisor    advisor of the cluster
  procurer   buyer at the Ungheni municipality (MD)
  operator   the platform operator (Django admin)
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.utils import timezone

from greenbridge.orgs.models import Membership, Organisation
from greenbridge.orgs.services import cluster_member_add, membership_set, organisation_create

DOMAIN = "demo.greenbridge.example"

ORGS = {
    "cluster": dict(
        name="Danube Green Tech Cluster",
        kind=Organisation.Kind.CLUSTER,
        country="RO",
        city="Galați",
        description="Cluster of water, waste and energy companies of the Lower Danube.",
        green_sectors=["water", "wastewater", "renewable_energy"],
    ),
    "sme": dict(
        name="AquaPure Systems SRL",
        kind=Organisation.Kind.SME,
        country="RO",
        city="Iași",
        size_class=Organisation.Size.SMALL,
        website="https://aquapure.example",
        description="Designs and builds compact drinking-water and wastewater treatment plants.",
        cpv_codes=["45252100", "42912300", "45232150"],
        nace_codes=["36.00", "37.00"],
        green_sectors=["water", "wastewater"],
        languages=["ro", "en", "fr"],
        certifications=["ISO 14001"],
    ),
    "other_sme": dict(
        name="Helios Solar SRL",
        kind=Organisation.Kind.SME,
        country="MD",
        city="Chișinău",
        size_class=Organisation.Size.MICRO,
        description="Installs and services photovoltaic plants for public buildings.",
        cpv_codes=["09331200", "45261215", "50532000"],
        nace_codes=["43.21"],
        green_sectors=["renewable_energy"],
        languages=["ro", "ru", "en"],
    ),
    "procurer": dict(
        name="Primăria Ungheni",
        kind=Organisation.Kind.PROCURER,
        country="MD",
        city="Ungheni",
        description="Municipality of Ungheni: water supply, street lighting, waste collection.",
    ),
    "operator": dict(name="GreenBridge Secretariat", kind=Organisation.Kind.BSO, country="BE", city="Brussels"),
}
PEOPLE = {  # role key -> (e-mail local part, full name, organisation key, membership role)
    "sme": ("ana", "Ana Popescu", "sme", Membership.Role.ADMIN),
    "other_sme": ("ion", "Ion Rusu", "other_sme", Membership.Role.ADMIN),
    "manager": ("maria", "Maria Ionescu", "cluster", Membership.Role.MANAGER),
    "advisor": ("andrei", "Andrei Stan", "cluster", Membership.Role.ADVISOR),
    "procurer": ("olga", "Olga Ceban", "procurer", Membership.Role.ADMIN),
    "operator": ("admin", "Platform Operator", "operator", Membership.Role.ADMIN),
}


@dataclass
class Demo:
    orgs: dict[str, Organisation]
    users: dict[str, object]
    password: str
    event: object = None
    opportunities: dict | None = None
    assessments: dict | None = None


EVENT_SLUG = "danube-water-energy-brokerage"


def create_demo_event(orgs, users):
    """An upcoming B2B/B2P brokerage event of the cluster, three weeks ahead: AquaPure and the Ungheni
    municipality are registered, and the municipality has asked AquaPure for a meeting."""
    from greenbridge.events.models import Event, MeetingRequest, Question, Registration, Session

    event = Event.objects.filter(slug=EVENT_SLUG).first()
    if event is not None:
        return event
    tz = ZoneInfo("Europe/Chisinau")
    day = (timezone.now() + timedelta(days=21)).astimezone(tz).date()

    def at(hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=tz)

    event = Event.objects.create(
        slug=EVENT_SLUG,
        kind=Event.Kind.B2B,
        title="Danube Water & Energy Brokerage Event",
        status=Event.Status.PUBLISHED,
        description=(
            "One-to-one meetings between green SMEs of the Lower Danube and Moldovan municipalities and "
            "companies: drinking water, wastewater, waste and renewable energy. Morning: B2B meetings; "
            "afternoon: B2P meetings with public buyers."
        ),
        starts=at(9),
        ends=at(17, 30),
        timezone="Europe/Chisinau",
        venue="Chamber of Commerce and Industry",
        city="Chișinău",
        country="MD",
        languages=["en", "ro", "ru"],
        capacity=60,
        registration_closes=at(9) - timedelta(days=3),
        contact_email=f"maria@{DOMAIN}",
        meeting_minutes=20,
        booking_closes=at(9) - timedelta(days=1),
        max_meetings=12,
    )
    event.organisers.add(orgs["cluster"])
    Session.objects.create(
        event=event, name="Morning", starts=at(9, 30), ends=at(12, 30), tables=8, breaks=[["11:00", "11:20"]]
    )
    Session.objects.create(event=event, name="Afternoon", starts=at(14), ends=at(17), tables=8)
    Question.objects.create(
        event=event,
        label="Which markets do you target?",
        kind=Question.Kind.MULTIPLE,
        choices="Moldova\nUkraine\nRomania\nEgypt\nTunisia",
    )
    sme = Registration.objects.create(
        event=event,
        user=users["sme"],
        organisation=orgs["sme"],
        status=Registration.Status.APPROVED,
        offer="Compact drinking-water and wastewater treatment plants for small towns, built and operated.",
        seeking="Municipalities and water utilities planning wastewater treatment or water supply works.",
    )
    buyer = Registration.objects.create(
        event=event,
        user=users["procurer"],
        organisation=orgs["procurer"],
        status=Registration.Status.APPROVED,
        offer="Ungheni plans to rebuild its wastewater treatment plant and to renew street lighting.",
        seeking="Suppliers of wastewater treatment plants, water meters and LED street lighting.",
    )
    MeetingRequest.objects.create(
        event=event,
        sender=buyer,
        receiver=sme,
        message="We are preparing the tender for our wastewater treatment plant: tell us about your plants.",
        expires=timezone.now() + timedelta(hours=event.request_expiry_hours),
    )
    return event


def create_demo_marketplace(orgs, users, event) -> dict:
    """Opportunities of the demo organisations (one published for the demo event, one anonymous), an interest
    waiting for Ungheni's answer, and a partnership that came of an accepted one."""
    from greenbridge.partnering.models import Interest, Opportunity, Partnership

    today = timezone.localdate()
    rows = {
        "water_need": dict(
            organisation=orgs["procurer"],
            author=users["procurer"],
            event=event,
            kind=Opportunity.Kind.PROCUREMENT_NEED,
            title="Water meters and pipe rehabilitation in two districts of Ungheni",
            summary="About 4,000 household water meters with remote reading, and 6 km of distribution pipes "
            "to rehabilitate; open tender planned for spring 2027.",
            description="The municipality prepares the tender with its water utility. We want to meet "
            "suppliers of smart water meters and contractors for pipe rehabilitation before writing the "
            "technical specifications.",
            cpv_codes=["38421100", "45232150"],
            green_sectors=["water"],
            countries=["MD"],
            cooperation=["commercial", "ppp"],
            budget=850000,
            planned_for=today + timedelta(days=150),
        ),
        "solar_need": dict(
            organisation=orgs["procurer"],
            author=users["procurer"],
            kind=Opportunity.Kind.PROCUREMENT_NEED,
            title="Solar power for the town hall and three kindergartens",
            summary="Rooftop photovoltaic plants (about 120 kWp in all) with monitoring, to cut the "
            "municipality's electricity bill.",
            cpv_codes=["09331200", "45261215"],
            green_sectors=["renewable_energy"],
            countries=["MD"],
            cooperation=["commercial"],
            budget=240000,
            planned_for=today + timedelta(days=90),
        ),
        "uv_offer": dict(
            organisation=orgs["sme"],
            author=users["sme"],
            kind=Opportunity.Kind.TECHNOLOGY_OFFER,
            title="Containerised drinking-water treatment for villages",
            summary="Ultrafiltration and UV disinfection in a 20-foot container: 50–200 m³ a day, remote "
            "monitoring, installed in two weeks.",
            description="Proven in 14 Romanian villages. We look for utilities and municipalities in Moldova "
            "and Ukraine, and for local partners to install and service the units.",
            cpv_codes=["42912300", "45252100"],
            green_sectors=["water"],
            countries=["MD", "UA"],
            cooperation=["commercial", "technology_transfer"],
        ),
        "service_partner": dict(
            organisation=orgs["sme"],
            author=users["sme"],
            kind=Opportunity.Kind.BUSINESS_REQUEST,
            title="Service partner for treatment plants in Ukraine",
            summary="A company in Ukraine to install and maintain our treatment units under a distribution "
            "and service agreement.",
            cpv_codes=["90481000"],
            green_sectors=["water", "wastewater"],
            countries=["UA"],
            cooperation=["commercial"],
            anonymous=True,
        ),
        "solar_offer": dict(
            organisation=orgs["other_sme"],
            author=users["other_sme"],
            event=event,
            kind=Opportunity.Kind.BUSINESS_OFFER,
            title="Rooftop solar for public buildings, with monitoring",
            summary="Design, installation and 10-year service of photovoltaic plants for schools and town "
            "halls; financing through energy-performance contracts.",
            cpv_codes=["09331200", "45261215"],
            green_sectors=["renewable_energy"],
            countries=["MD", "RO"],
            cooperation=["commercial", "ppp", "investment"],
        ),
        "research": dict(
            organisation=orgs["cluster"],
            author=users["manager"],
            kind=Opportunity.Kind.RESEARCH_REQUEST,
            title="Partners for a Horizon Europe proposal on nature-based wastewater treatment",
            summary="Municipalities under 20,000 inhabitants and SMEs to pilot constructed wetlands in the "
            "Danube and Prut basins.",
            green_sectors=["wastewater", "environment_nature"],
            countries=["RO", "MD", "UA"],
            cooperation=["joint_bid"],
        ),
    }
    out = {}
    for key, fields in rows.items():
        fields.setdefault("expires", today + timedelta(days=300))
        opportunity = Opportunity.objects.filter(organisation=fields["organisation"], title=fields["title"]).first()
        out[key] = opportunity or Opportunity.objects.create(**fields)
    Interest.objects.get_or_create(
        opportunity=out["solar_need"],
        organisation=orgs["other_sme"],
        defaults={
            "user": users["other_sme"],
            "message": "We installed 38 rooftop plants on public buildings in Moldova, with monitoring. "
            "We would like to show you two references in Chișinău and Orhei.",
        },
    )
    _interest, created = Interest.objects.get_or_create(
        opportunity=out["water_need"],
        organisation=orgs["sme"],
        defaults={
            "user": users["sme"],
            "message": "We build compact treatment plants and supply water meters with remote reading.",
            "status": Interest.Status.ACCEPTED,
            "answered": timezone.now(),
            "answered_by": users["procurer"],
        },
    )
    if created:
        partnership = Partnership.objects.create(
            kind=Partnership.Kind.MOU,
            title="MoU on a water-meter pilot in Ungheni",
            description="A pilot of 200 smart meters in one district, to test remote reading before the tender.",
            date=today,
            stage=Partnership.Stage.NEGOTIATING,
            opportunity=out["water_need"],  # from the interest in the need; not from the event, still to come
            recorded_by=users["sme"],
        )
        partnership.organisations.set([orgs["sme"], orgs["procurer"]])
    return out


@transaction.atomic
def create_demo(*, password: str) -> Demo:
    """Create (or refresh) the demo organisations and accounts; idempotent."""
    User = get_user_model()
    orgs = {}
    for key, fields in ORGS.items():
        org = Organisation.objects.filter(name=fields["name"]).first()
        orgs[key] = org or organisation_create(**fields)
    # The demo's cluster, buyer and secretariat are real to the people trying GreenBridge: verified.
    Organisation.objects.filter(pk__in=[o.pk for o in orgs.values()], kind__in=Organisation.VERIFIED_KINDS).exclude(
        verification=Organisation.Verification.VERIFIED
    ).update(verification=Organisation.Verification.VERIFIED, verified_at=timezone.now())
    for org in orgs.values():
        org.refresh_from_db(fields=["verification", "verified_at"])
    users = {}
    # Every demo account has the same password: hashed once (a hash takes about 0.4 s on purpose).
    hashed = make_password(password)
    for role, (local, full_name, org_key, member_role) in PEOPLE.items():
        email = f"{local}@{DOMAIN}"
        user, _ = User.objects.get_or_create(username=email, defaults={"email": email, "full_name": full_name})
        user.password = hashed
        user.is_staff = user.is_superuser = role == "operator"
        user.save()
        # Demo addresses are confirmed, as if each person had opened allauth's link: they may publish.
        EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
        membership_set(user=user, organisation=orgs[org_key], role=member_role)
        users[role] = user
    cluster_member_add(cluster=orgs["cluster"], member=orgs["sme"], shares_private_data=True)
    cluster_member_add(cluster=orgs["cluster"], member=orgs["other_sme"], shares_private_data=False)
    event = create_demo_event(orgs, users)
    opportunities = create_demo_marketplace(orgs, users, event)
    assessments = create_demo_assessments(orgs, users)
    create_demo_services(orgs, users, assessments)
    from .demo_helpdesk import create_demo_helpdesk  # it reads DOMAIN from here

    create_demo_helpdesk(orgs, users)
    from .demo_knowledge import create_demo_knowledge

    create_demo_knowledge(orgs, users)
    return Demo(
        orgs=orgs, users=users, password=password, event=event, opportunities=opportunities, assessments=assessments
    )


# The demo SMEs' self-assessments: (key, organisation, questionnaire, stage, months ago, maturity per dimension (0–1,
# the rest 0.4), submitted). AquaPure took the DMA before the cluster's support (T0) and after it (T1): data and
# automation improved most. Answers are generated at these levels (assessments.generate), the same every time.
DEMO_ASSESSMENTS = [
    (
        "aquapure_dma_t0",
        "sme",
        "eu-edih-dma-sme",
        "T0",
        7,
        {"digital_business_strategy": 0.35, "data_management": 0.2, "automation_ai": 0.1, "green_digitalisation": 0.45},
        True,
    ),
    (
        "aquapure_dma_t1",
        "sme",
        "eu-edih-dma-sme",
        "T1",
        1,
        {
            "digital_business_strategy": 0.55,
            "data_management": 0.6,
            "automation_ai": 0.35,
            "green_digitalisation": 0.55,
            "human_centric_digitalisation": 0.5,
        },
        True,
    ),
    ("aquapure_green_t0", "sme", "green-maturity-sme", "T0", 7, {"water": 0.8, "energy": 0.45}, True),
    ("aquapure_intl_t0", "sme", "intl-procurement-readiness", "T0", 0, {"languages": 0.5}, False),
    ("helios_dma_t0", "other_sme", "eu-edih-dma-sme", "T0", 3, {"green_digitalisation": 0.7}, True),
]


def take_assessment(organisation, questionnaire, stage: str, taken_on, user, answers: dict, *, submit: bool = True):
    """An assessment taken as a person takes it: started, its answers saved, and (unless a draft) submitted."""
    from greenbridge.assessments.services import assessment_save_answers, assessment_start, assessment_submit

    assessment = assessment_start(
        organisation=organisation, questionnaire=questionnaire, stage=stage, taken_on=taken_on, user=user
    )
    assessment_save_answers(assessment=assessment, answers=answers)
    if submit:
        assessment_submit(assessment=assessment, user=user)
        assessment.refresh_from_db()
    return assessment


def create_demo_assessments(orgs, users) -> dict:
    """The shipped questionnaires, and the demo SMEs' assessments of them (idempotent: kept once made)."""
    import random

    from greenbridge.assessments.generate import answers_at
    from greenbridge.assessments.models import Assessment
    from greenbridge.assessments.services import latest_questionnaire, load_shipped

    load_shipped()
    out = {}
    today = timezone.localdate()
    for key, org_key, slug, stage, months, levels, submitted in DEMO_ASSESSMENTS:
        questionnaire = latest_questionnaire(slug)
        if questionnaire is None:
            continue
        organisation = orgs[org_key]
        taken_on = today - timedelta(days=30 * months)
        found = Assessment.objects.filter(organisation=organisation, questionnaire__slug=slug, stage=stage).first()
        if found is None:
            answers = answers_at(questionnaire.scorer, levels, random.Random(key), default=0.4)
            if not submitted:  # a draft half done: its first pages
                first = {d.id for d in questionnaire.spec.dimensions[:3]}
                answers = {q: a for q, a in answers.items() if questionnaire.scorer.dimension_of[q] in first}
            found = take_assessment(
                organisation, questionnaire, stage, taken_on, users[org_key], answers, submit=submitted
            )
        out[key] = found
    return out


# The clusters' service catalogues. Danube Green Tech Cluster's own, and a partner cluster's (fictional, like every
# demo organisation) so that the portfolio and its analysis compare two. (provider key, fields); dimensions are
# "questionnaire:dimension".
PARTNER_CLUSTER = dict(
    name="Prut Cleantech Cluster",
    kind=Organisation.Kind.CLUSTER,
    country="MD",
    city="Cahul",
    description="Cluster of renewable-energy and water companies of southern Moldova (demo).",
    green_sectors=["renewable_energy", "water"],
)
DMA, GREEN, INTL = "eu-edih-dma-sme", "green-maturity-sme", "intl-procurement-readiness"
DEMO_SERVICES = [
    ("cluster", dict(
        name="Data governance clinic", category="digital", status="active",
        summary="Three sessions with a data expert: map the data you keep, decide who owns it, and set up simple "
        "dashboards for your plants' operations.",
        description="For companies whose assessment shows data kept in spreadsheets and in people's heads. Session 1 "
        "maps the data you hold (design, operations, customers); session 2 sets rules for who keeps and shares what, "
        "GDPR included; session 3 builds a first dashboard with your own figures.",
        formats=["one_to_one", "online"], pricing="member_price", member_price=None, price=Decimal("450"),
        languages=["ro", "en"], hours=Decimal("6"), capacity=4, capacity_period="month",
        dimensions=[f"{DMA}:data_management", f"{DMA}:digital_readiness"], expert="Andrei Stan",
    )),
    ("cluster", dict(
        name="Automation and AI starter workshop", category="training", status="active",
        summary="A one-day workshop in Galați: where sensors, remote monitoring and simple AI tools pay off in "
        "water and energy plants, with a plan for one pilot.",
        formats=["group", "on_site"], pricing="free", languages=["ro"], hours=Decimal("7"),
        capacity=12, capacity_period="quarter", dimensions=[f"{DMA}:automation_ai"],
    )),
    ("cluster", dict(
        name="Tender readiness coaching: TED, MTender and Prozorro", category="procurement", status="active",
        summary="Prepare your first bid abroad: ESPD and eForms, the documents buyers in Moldova and Ukraine ask "
        "for, and a review of your offer before you submit it.",
        formats=["one_to_one", "online"], pricing="member_price", member_price=Decimal("150"), price=Decimal("600"),
        members_only=False, languages=["ro", "en", "uk"], hours=Decimal("10"),
        dimensions=[f"{INTL}:procurement_experience", f"{INTL}:bid_capacity", f"{INTL}:credentials"],
    )),
    ("cluster", dict(
        name="Energy audit voucher", category="green", status="active",
        summary="A certified auditor measures your energy use and proposes savings with their payback; the cluster "
        "pays most of it for its members.",
        formats=["on_site"], pricing="member_price", member_price=Decimal("100"), price=Decimal("900"),
        members_only=True, size_classes=["micro", "small", "medium"], languages=["ro", "en"], hours=Decimal("16"),
        capacity=6, capacity_period="quarter", dimensions=[f"{GREEN}:energy", f"{GREEN}:emissions_climate"],
        delivered_by="partner",
    )),
    ("cluster", dict(
        name="Circular design sprint", category="green", status="draft",
        summary="Two days redesigning one product for repair, reuse and recycled materials.",
        formats=["group"], pricing="free", languages=["ro"], hours=Decimal("14"),
        dimensions=[f"{GREEN}:waste_circularity", f"{GREEN}:materials"],
    )),
    ("partner", dict(
        name="Digital strategy roadmap", category="advisory", status="active",
        summary="An advisor and your management write a two-year digital plan tied to your business goals, with "
        "the EU and national funds that can pay for it.",
        formats=["one_to_one", "online"], pricing="free", languages=["ro", "ru", "en"], hours=Decimal("8"),
        countries=["MD", "RO"], dimensions=[f"{DMA}:digital_business_strategy", f"{DMA}:human_centric_digitalisation"],
    )),
    ("partner", dict(
        name="Export market scan: Moldova, Ukraine, Romania", category="internationalisation", status="active",
        summary="Which buyers in the three markets buy what you make, how much, and who wins their tenders today.",
        formats=["online"], pricing="fee", price=Decimal("300"), languages=["ro", "en"], hours=Decimal("5"),
        dimensions=[f"{INTL}:market_strategy", f"{INTL}:export_experience"],
    )),
]  # fmt: skip


def create_demo_services(orgs, users, assessments) -> dict:
    """The two catalogues, and AquaPure's engagements: the data governance clinic delivered between its T0 and T1
    (three sessions, rated 5), and the automation workshop its T1 results recommend, requested (idempotent)."""
    from greenbridge.portfolio.models import Engagement, Service, Session
    from greenbridge.portfolio.services import (
        engagement_accept,
        engagement_close,
        engagement_rate,
        engagement_request,
        service_save,
    )

    partner = Organisation.objects.filter(name=PARTNER_CLUSTER["name"]).first() or organisation_create(
        **PARTNER_CLUSTER
    )
    Organisation.objects.filter(pk=partner.pk).update(
        verification=Organisation.Verification.VERIFIED, verified_at=timezone.now()
    )
    partner.refresh_from_db()
    providers = {"cluster": orgs["cluster"], "partner": partner}
    services = {}
    for key, fields in DEMO_SERVICES:
        provider = providers[key]
        data = {**fields, "delivered_by": partner if fields.get("delivered_by") == "partner" else None}
        found = Service.objects.filter(provider=provider, name=data["name"]).first()
        if found is None:
            if key == "cluster":
                found = service_save(provider=provider, user=users["manager"], data=data)
            else:  # the partner cluster has no demo account: its catalogue is seeded as it would have typed it
                found = Service(provider=provider, **data)
                found.full_clean()
                found.save()
        services[found.name] = found
    sme, ana, andrei = orgs["sme"], users["sme"], users["advisor"]
    t0, t1 = assessments.get("aquapure_dma_t0"), assessments.get("aquapure_dma_t1")
    clinic = services["Data governance clinic"]
    if not Engagement.objects.filter(organisation=sme, service=clinic).exists():
        now = timezone.now()
        engagement = engagement_request(
            service=clinic,
            organisation=sme,
            user=ana,
            message="Our plant data lives in spreadsheets on three laptops. We want one place and a dashboard.",
            preferred_dates="Tuesday or Thursday mornings",
            assessment=t0,
        )
        engagement_accept(engagement=engagement, user=users["manager"], advisor=andrei)
        notes = [
            "Mapped the data: SCADA exports, lab results, customer contracts. Owners named for each.",
            "Rules for sharing data with municipalities agreed; GDPR register started.",
            "First dashboard of the Iași plants' flows and energy use, fed weekly.",
        ]
        for n, note in enumerate(notes):
            Session.objects.create(
                engagement=engagement,
                starts=(now - timedelta(days=170 - 21 * n)).replace(hour=9, minute=30, second=0, microsecond=0),
                hours=Decimal("2"),
                notes=note,
                shared=True,
                created_by=andrei,
            )
        Engagement.objects.filter(pk=engagement.pk).update(status=Engagement.Status.IN_PROGRESS)
        engagement_close(
            engagement=engagement,
            user=andrei,
            status=Engagement.Status.DELIVERED,
            outcome="Data owners and sharing rules in place; a weekly dashboard of flows and energy use.",
        )
        engagement_rate(
            engagement=engagement,
            user=ana,
            rating=5,
            comment="Practical and quick: the dashboard is what our plant managers look at every Monday.",
        )
        Engagement.objects.filter(pk=engagement.pk).update(
            created=now - timedelta(days=185),
            answered_at=now - timedelta(days=183),
            delivered_at=now - timedelta(days=120),
        )
    workshop = services["Automation and AI starter workshop"]
    if not Engagement.objects.filter(organisation=sme, service=workshop).exists():
        engagement_request(
            service=workshop,
            organisation=sme,
            user=ana,
            message="Our T1 results put automation last. Two of our engineers would come.",
            preferred_dates="Any weekday in February",
            assessment=t1,
        )
    return services


# Fictional participants of the demo brokerage event (beside AquaPure, Helios Solar and Ungheni), so that its
# schedule is a real one: (key, organisation fields, e-mail local part, person).
PARTICIPANTS = [
    (
        "orhei",
        dict(
            name="Apă-Canal Orhei",
            kind=Organisation.Kind.PROCURER,
            country="MD",
            city="Orhei",
            description="Water utility of Orhei: drinking water for 30,000 people, a wastewater plant to renew.",
            green_sectors=["water", "wastewater"],
        ),
        "orhei",
        "Victor Lungu",
    ),
    (
        "cahul",
        dict(
            name="Primăria Cahul",
            kind=Organisation.Kind.PROCURER,
            country="MD",
            city="Cahul",
            description="Municipality of Cahul: energy efficiency of schools, solar power, street lighting.",
            green_sectors=["energy_efficiency", "renewable_energy", "smart_city"],
        ),
        "cahul",
        "Elena Moraru",
    ),
    (
        "recycling",
        dict(
            name="EcoReciclare SRL",
            kind=Organisation.Kind.SME,
            country="RO",
            city="Galați",
            description="Sorting lines and recycling of packaging waste for municipalities.",
            cpv_codes=["90514000", "42914000"],
            green_sectors=["waste_recycling", "circular_economy"],
        ),
        "eco",
        "Radu Matei",
    ),
    (
        "lighting",
        dict(
            name="Lviv Smart Light LLC",
            kind=Organisation.Kind.SME,
            country="UA",
            city="Lviv",
            description="LED street lighting with remote management, installed and maintained.",
            cpv_codes=["34928500", "45316110", "50232100"],
            green_sectors=["energy_efficiency", "smart_city"],
        ),
        "lviv",
        "Oksana Kovalenko",
    ),
    (
        "solaris",
        dict(
            name="Solaris Engineering LLC",
            kind=Organisation.Kind.SME,
            country="UA",
            city="Odesa",
            description="Engineering and construction of solar parks and rooftop plants; operation and maintenance.",
            cpv_codes=["09331200", "45261215", "71314000"],
            green_sectors=["renewable_energy"],
        ),
        "solaris",
        "Dmytro Shevchenko",
    ),
]
# Accepted meetings of the demo event, as (sender, receiver) keys: the schedule places them.
# What each of the other demo participants looks for at the event (their offer is their organisation's description).
SEEKING = {
    "other_sme": "Municipalities and schools planning solar power; a partner in Ukraine for joint bids.",
    "orhei": "Suppliers of wastewater treatment plants and of leak detection for the water network.",
    "cahul": "Suppliers of rooftop solar plants, LED street lighting and building insulation for schools.",
    "recycling": "Municipalities planning separate collection; partners in Moldova and Ukraine.",
    "lighting": "Municipalities renewing their street lighting; a partner in Moldova for joint bids.",
    "solaris": "Public buildings for rooftop solar plants; a construction partner in Romania.",
}
MEETINGS = [
    ("orhei", "sme"),
    ("sme", "recycling"),
    ("cahul", "other_sme"),
    ("other_sme", "solaris"),
    ("cahul", "lighting"),
    ("procurer", "lighting"),
    ("solaris", "orhei"),
    ("recycling", "procurer"),
    ("cahul", "solaris"),
    ("lighting", "other_sme"),
    ("orhei", "recycling"),
    ("procurer", "other_sme"),
]


def create_demo_schedule(demo: Demo) -> int:
    """More participants in the demo event, meetings they accepted, and the schedule run and published, so that
    agendas and the organisers' grid show (idempotent: an event with a published schedule is left alone).
    Returns how many meetings the schedule holds."""
    from greenbridge.events import services
    from greenbridge.events.models import Meeting, MeetingRequest, Registration

    event = demo.event
    if event.schedule_published is not None:
        return event.meetings.filter(cancelled__isnull=True).count()
    User = get_user_model()
    registrations = {r.organisation_id: r for r in event.registrations.all()}
    people = {"sme": demo.users["sme"], "other_sme": demo.users["other_sme"], "procurer": demo.users["procurer"]}
    orgs = {key: demo.orgs[key] for key in people}
    hashed = make_password(demo.password)  # the demo's one password, hashed once for all of them
    for key, fields, local, full_name in PARTICIPANTS:
        org = Organisation.objects.filter(name=fields["name"]).first() or organisation_create(**fields)
        if org.kind in Organisation.VERIFIED_KINDS:
            Organisation.objects.filter(pk=org.pk).update(
                verification=Organisation.Verification.VERIFIED, verified_at=timezone.now()
            )
        email = f"{local}@{DOMAIN}"
        user, _ = User.objects.get_or_create(username=email, defaults={"email": email, "full_name": full_name})
        user.password = hashed
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        membership_set(user=user, organisation=org, role=Membership.Role.ADMIN)
        orgs[key], people[key] = org, user
    for key, org in orgs.items():
        if org.pk not in registrations:
            registrations[org.pk] = Registration.objects.create(
                event=event,
                user=people[key],
                organisation=org,
                status=Registration.Status.APPROVED,
                offer=org.description,
                seeking=SEEKING.get(key, ""),
            )
    for sender, receiver in MEETINGS:
        first, second = registrations[orgs[sender].pk], registrations[orgs[receiver].pk]
        if Meeting.objects.of(first).filter(models.Q(first=second) | models.Q(second=second)).exists():
            continue
        request = MeetingRequest.objects.create(
            event=event,
            sender=first,
            receiver=second,
            message="",
            expires=timezone.now() + timedelta(hours=event.request_expiry_hours),
        )
        services.meeting_request_accept(request=request)
    services.schedule_run(event=event, time_limit=5)
    services.schedule_publish(event=event)
    return event.meetings.filter(cancelled__isnull=True, published_starts__isnull=False).count()
