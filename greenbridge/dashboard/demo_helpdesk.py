"""The demo cluster's help desk: office hours, two queues with service levels, three questions in several states
(called by `demo.create_demo`; its own module so that demo.py stays under 800 lines)."""

from datetime import timedelta

from django.utils import timezone

from .demo import DOMAIN

# The cluster's help desk: (queue slug, subject, organisation key, requester key, days ago, thread, status, rating).
# A thread is [(kind, author key or None for the requester, text)].
DEMO_TICKETS = [
    (
        "danube-procurement",
        "ESPD for the Ungheni water-meter tender on MTender",
        "sme",
        "sme",
        3,
        [
            ("incoming", None, "We want to bid for the water meters of Ungheni (MTender). Which parts of the ESPD do "
             "they ask for, and may we answer in Romanian?"),
            ("internal", "advisor", "Same question as Helios last spring; the buyer accepts Romanian. Check lot 2."),
            ("public", "advisor", "Parts II, III and IV.α; Romanian is accepted. I attach last year's filled form as "
             "an example. Do you bid for lot 1, lot 2 or both?"),
        ],
        "waiting_requester",
        None,
    ),
    (
        "danube-funding",
        "Co-financing rules for Interreg NEXT Romania–Ukraine",
        "sme",
        "sme",
        9,
        [("incoming", None, "What share must we co-finance as an SME partner, and can in-kind work count?")],
        "new",
        None,
    ),
    (
        "danube-procurement",
        "CE marking asked for inverters in a Ukrainian tender",
        "other_sme",
        "other_sme",
        20,
        [
            ("incoming", None, "A Prozorro tender asks for CE marking of our inverters. Is our EU declaration enough?"),
            ("public", "manager", "Yes: Ukraine accepts the EU declaration of conformity with the technical "
             "regulation's reference. Add a Ukrainian translation of the declaration."),
        ],
        "resolved",
        5,
    ),
]  # fmt: skip


def create_demo_helpdesk(orgs, users) -> dict:
    """The cluster's help desk: office hours with Romanian holidays, two queues with service levels, and three
    questions: one answered and waiting for the company, one past its first-response target, one resolved and
    rated (idempotent)."""
    from greenbridge.helpdesk import sla
    from greenbridge.helpdesk.models import BusinessCalendar, Message, Queue, ServiceLevel, Ticket, TicketChange
    from greenbridge.helpdesk.services import change, rate, reply, ticket_open

    cluster = orgs["cluster"]
    calendar, _ = BusinessCalendar.objects.get_or_create(
        organisation=cluster,
        name="Danube office hours",
        defaults={
            "time_zone": "Europe/Bucharest",
            "week": "mon-thu 09:00-17:00\nfri 09:00-15:00",
            "holidays_country": "RO",
        },
    )
    queues = {}
    for slug, name, topic in (
        ("danube-procurement", "Public procurement abroad", Queue.Topic.PROCUREMENT),
        ("danube-funding", "EU funding", Queue.Topic.FUNDING),
    ):
        queues[slug], _ = Queue.objects.get_or_create(
            slug=slug,
            defaults={
                "organisation": cluster,
                "name": name,
                "topic": topic,
                "languages": ["ro", "en", "uk"],
                "email": f"{slug}@{DOMAIN}",
                "calendar": calendar,
                "manager": users["manager"],
            },
        )
        for priority, first, resolution in (
            ("low", 480, 4800),
            ("normal", 240, 2400),
            ("high", 60, 960),
            ("urgent", 30, 480),
        ):
            ServiceLevel.objects.get_or_create(
                queue=queues[slug],
                priority=priority,
                defaults={"first_response_minutes": first, "resolution_minutes": resolution},
            )
    for slug, subject, org_key, requester_key, days_ago, thread, status, rating in DEMO_TICKETS:
        if Ticket.objects.filter(queue=queues[slug], subject=subject).exists():
            continue
        requester = users[requester_key]
        first = thread[0][2]
        ticket = ticket_open(
            queue=queues[slug],
            subject=subject,
            text=first,
            requester=requester,
            organisation=orgs[org_key],
            language="ro",
        )
        opened = timezone.now() - timedelta(days=days_ago)
        Ticket.objects.filter(pk=ticket.pk).update(created=opened)
        Message.objects.filter(ticket=ticket).update(created=opened)
        ticket.refresh_from_db()
        sla.start(ticket, opened)
        ticket.save()
        for n, (kind, author_key, text) in enumerate(thread[1:], start=1):
            message = reply(ticket=ticket, user=users[author_key], text=text, internal=kind == "internal")
            when = opened + timedelta(hours=2 * n)
            Message.objects.filter(pk=message.pk).update(created=when)
            if kind == "public":
                Ticket.objects.filter(pk=ticket.pk, first_response_at__gt=when).update(first_response_at=when)
        if status != ticket.status:
            ticket.refresh_from_db()
            change(ticket=ticket, user=users["advisor"], status=status)
        if rating:
            rate(ticket=ticket, user=requester, score=rating, comment="Clear and quick, thank you.")
        # The log as the thread happened: every change at the time of the last message.
        last = Message.objects.filter(ticket=ticket).order_by("-created").values_list("created", flat=True).first()
        TicketChange.objects.filter(ticket=ticket).update(created=last)
    return queues
