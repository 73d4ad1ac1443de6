"""The demo cluster's help desk: office hours, two queues with service levels, questions in several states (on the
web and by e-mail), ready answers, a quarantined mail
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
    create_demo_mail(orgs, users, queues)
    return queues


# Ready answers of the cluster's staff, each in the three languages its queues answer in.
DEMO_CANNED = [
    ("ESPD: which parts", "en", "Dear {requester},\n\nFor most tenders abroad the ESPD asks for parts II, III and IV; "
     "the buyer's notice says which of part IV. We can check yours together: reply with the tender's link.\n\n"
     "{advisor}, {queue}"),
    ("ESPD: which parts", "ro", "Stimate/Stimată {requester},\n\nPentru cele mai multe licitații din străinătate, "
     "DUAE cere părțile II, III și IV; anunțul autorității spune ce secțiuni din partea IV. Putem verifica împreună: "
     "răspundeți cu linkul licitației.\n\n{advisor}, {queue}"),
    ("ESPD: which parts", "uk", "Шановний/Шановна {requester},\n\nДля більшості закордонних тендерів ЄЄДЗ вимагає "
     "частин II, III і IV; яких розділів частини IV — сказано в оголошенні замовника. Можемо перевірити разом: "
     "надішліть посилання на тендер.\n\n{advisor}, {queue}"),
    ("Waiting for your documents", "en", "Dear {requester},\n\nTo go on with {reference} we need the documents "
     "listed above. Reply to this e-mail with them attached; the ticket reopens by itself.\n\n{advisor}"),
    ("Waiting for your documents", "ro", "Stimate/Stimată {requester},\n\nPentru a continua cu {reference} avem "
     "nevoie de documentele de mai sus. Răspundeți la acest e-mail cu ele atașate; solicitarea se redeschide "
     "singură.\n\n{advisor}"),
    ("Waiting for your documents", "uk", "Шановний/Шановна {requester},\n\nЩоб продовжити роботу над {reference}, "
     "нам потрібні документи, перелічені вище. Надішліть їх у відповідь на цей лист; звернення відкриється "
     "знову автоматично.\n\n{advisor}"),
]  # fmt: skip


def create_demo_mail(orgs, users, queues) -> None:
    """Ready answers; a question that came by e-mail with a reply by e-mail (threaded by its headers); a mail from
    an unknown sender kept in quarantine; then the escalation run, which marks the overdue question breached."""
    import email.policy
    from email.message import EmailMessage
    from email.utils import make_msgid

    from greenbridge.helpdesk.escalation import escalate
    from greenbridge.helpdesk.intake import receive
    from greenbridge.helpdesk.models import CannedReply, QuarantinedMail, Ticket

    for title, language, body in DEMO_CANNED:
        CannedReply.objects.get_or_create(
            organisation=orgs["cluster"], title=title, language=language, defaults={"body": body}
        )
    queue = queues["danube-procurement"]

    def mail(sender: str, subject: str, text: str, **headers) -> bytes:
        # Long lines: the standard library folds a long encoded subject losing the spaces at the folds.
        m = EmailMessage(policy=email.policy.default.clone(max_line_length=998))
        m["From"], m["To"], m["Subject"] = sender, queue.email, subject
        m["Message-ID"] = make_msgid(domain="mail.example")
        m["Content-Language"] = "uk"
        for name, value in headers.items():
            m[name.replace("_", "-")] = value
        m.set_content(text)
        return bytes(m)

    subject = "Гарантія виконання для тендеру Prozorro на сонячні панелі"
    if not Ticket.objects.filter(queue=queue, subject=subject).exists():
        person = users["other_sme"]
        first = receive(
            queue,
            mail(
                f"{person.get_full_name()} <{person.email}>",
                subject,
                "Доброго дня! Замовник у Вінниці просить гарантію виконання 5 %. Чи може її надати молдовський "
                "банк, чи потрібен український?\n\n-- \nІон Русу, Helios Solar",
            ),
        )
        receive(
            queue,
            mail(
                f"{person.get_full_name()} <{person.email}>",
                f"Re: [{first.ticket.reference}] {subject}",
                "І ще: чи можна подати її після підписання договору?\n\nOn Monday, Helios Solar wrote:\n> Доброго дня!",
                In_Reply_To=first.message.message_id,
                References=first.message.message_id,
            ),
        )
    if not QuarantinedMail.objects.filter(queue=queue).exists():
        receive(
            queue,
            mail(
                "Water Tech Ltd <sales@watertech.example>",
                "Partnership offer: smart meters",
                "Dear sir, we offer smart meters at the best prices. Reply for a catalogue.",
            ),
        )
    escalate()
