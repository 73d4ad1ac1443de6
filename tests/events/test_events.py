"""Events from the organiser's and the participant's side: registration and its statuses, meeting requests,
the schedule from the web (run, move, lock, publish, re-run), agendas, exports, check-in and e-mails."""

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone, translation
from lxml import html
from openpyxl import load_workbook

from greenbridge.dashboard.demo import EVENT_SLUG
from greenbridge.events import services
from greenbridge.events.models import Event, Meeting, MeetingRequest, Question, Registration, Session
from greenbridge.events.selectors import agenda_of, recommendations, schedule_grid
from greenbridge.events.slots import event_slots, parse_breaks
from greenbridge.orgs.models import Organisation
from greenbridge.orgs.services import membership_set, organisation_create


@pytest.fixture
def event(demo):
    return demo.event


@pytest.fixture
def regs(demo, event):
    return {
        "sme": event.registrations.get(organisation=demo.orgs["sme"]),
        "buyer": event.registrations.get(organisation=demo.orgs["procurer"]),
    }


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def _person(django_user_model, n: int, country="UA"):
    user = django_user_model.objects.create_user(username=f"p{n}@x.example", email=f"p{n}@x.example")
    org = organisation_create(name=f"Company {n}", kind=Organisation.Kind.SME, country=country)
    membership_set(user=user, organisation=org, role="admin")
    return user, org


# -- slots ------------------------------------------------------------------------------------------------------


def test_slots_follow_sessions_breaks_and_meeting_length(event):
    slots = event_slots(event)
    tz = ZoneInfo("Europe/Chisinau")
    morning = [s.starts.astimezone(tz).strftime("%H:%M") for s in slots if s.session.name == "Morning"]
    # 09:30–12:30 in 20-minute meetings around the 11:00–11:20 break.
    assert morning == ["09:30", "09:50", "10:10", "10:30", "11:20", "11:40", "12:00"]
    assert len([s for s in slots if s.session.name == "Afternoon"]) == 9
    assert slots[0].id == slots[0].starts.strftime("%Y-%m-%dT%H:%MZ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12:30-13:30, 10:30 – 10:45", [["10:30", "10:45"], ["12:30", "13:30"]]), ("9:00-9:15", [["09:00", "09:15"]])],
)
def test_breaks_are_read_as_people_write_them(text, expected):
    assert parse_breaks(text) == expected


@pytest.mark.parametrize("text", ["lunch", "13:30-12:30", "12:30"])
def test_a_bad_break_is_refused(text):
    with pytest.raises(ValueError, match=text.split("-")[0][:4]):
        parse_breaks(text)


# -- registration -----------------------------------------------------------------------------------------------


def test_registration_is_approved_with_a_confirmation_and_the_event_attached(
    client, django_user_model, event, on_commit
):
    user, org = _person(django_user_model, 1)
    question = event.questions.get()
    client.force_login(user)
    with on_commit():
        response = client.post(
            f"/events/{event.slug}/register/",
            {"organisation": org.pk, "offer": "Biogas plants", "seeking": "Farms", f"q{question.pk}": ["Moldova"]},
        )
    assert response.status_code == 302
    registration = event.registrations.get(user=user)
    assert registration.status == Registration.Status.APPROVED
    assert registration.answers == {str(question.pk): ["Moldova"]}
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert mail.outbox[0].subject == f"You are registered: {event.title}"
    assert mail.outbox[0].attachments[0][0] == f"{event.slug}.ics"
    # Registering again goes to the participant's page.
    assert client.get(f"/events/{event.slug}/register/")["Location"] == f"/events/{event.slug}/me/"


def test_a_required_question_left_empty_is_reported(client, django_user_model, event):
    Question.objects.create(
        event=event, label="Company size", kind=Question.Kind.CHOICE, choices="1-9\n10-49", required=True
    )
    user, org = _person(django_user_model, 1)
    client.force_login(user)
    response = client.post(f"/events/{event.slug}/register/", {"organisation": org.pk})
    assert response.status_code == 200
    assert "Company size" in response.content.decode()
    assert not event.registrations.filter(user=user).exists()


def test_approval_capacity_waiting_list_and_a_freed_place(django_user_model, event, regs, on_commit):
    event.approval_required = True
    event.capacity = 3  # two are registered
    event.save()
    people = [_person(django_user_model, n) for n in range(3)]
    with on_commit():
        first = services.registration_create(event=event, user=people[0][0], organisation=people[0][1])
        second = services.registration_create(event=event, user=people[1][0], organisation=people[1][1])
    assert first.status == Registration.Status.REGISTERED
    assert second.status == Registration.Status.WAITING
    assert [m.subject for m in mail.outbox] == [
        f"Registration received: {event.title}",
        f"On the waiting list: {event.title}",
    ]
    with on_commit():
        services.registration_cancel(registration=regs["buyer"])
    second.refresh_from_db()
    assert second.status == Registration.Status.REGISTERED  # the waiting list moved up (approval still needed)
    # The buyer's open request to the SME went with the cancellation.
    assert event.meeting_requests.get().status == MeetingRequest.Status.CANCELLED
    with on_commit():
        services.registrations_set_status(registrations=[first, second], status=Registration.Status.APPROVED)
    assert mail.outbox[-1].subject == f"You are registered: {event.title}"


def test_registration_is_refused_when_closed(django_user_model, event):
    event.registration_closes = timezone.now() - timedelta(minutes=1)
    event.save()
    user, org = _person(django_user_model, 1)
    with pytest.raises(services.Refused, match="closed"):
        services.registration_create(event=event, user=user, organisation=org)


# -- meeting requests -------------------------------------------------------------------------------------------


def test_a_request_accepted_becomes_a_meeting_and_both_are_told(client_for, event, regs, users, on_commit):
    request = event.meeting_requests.get()
    # Only the receiver answers; the sender may only withdraw.
    assert client_for("procurer").post(f"/events/{event.slug}/requests/{request.pk}/accept/").status_code == 403
    assert client_for("other_sme").post(f"/events/{event.slug}/requests/{request.pk}/accept/").status_code == 403
    with on_commit():
        response = client_for("sme").post(f"/events/{event.slug}/requests/{request.pk}/accept/")
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.ACCEPTED
    meeting = Meeting.objects.get(request=request)
    assert {meeting.first, meeting.second} == {regs["sme"], regs["buyer"]}
    assert mail.outbox[-1].to == [users["procurer"].email]
    assert "accepted your meeting request" in mail.outbox[-1].subject
    # Answering twice is refused in words.
    response = client_for("sme").post(f"/events/{event.slug}/requests/{request.pk}/decline/", follow=True)
    assert "no longer waiting for an answer" in response.content.decode()


def test_requests_are_refused_twice_over_the_limit_and_after_booking(django_user_model, event, regs, on_commit):
    with pytest.raises(services.Refused, match="already a request"):
        services.meeting_request_create(sender=regs["sme"], receiver=regs["buyer"])
    event.max_meetings = 1
    event.auto_accept = True
    event.save()
    user, org = _person(django_user_model, 1)
    other = services.registration_create(event=event, user=user, organisation=org)
    with on_commit():
        auto = services.meeting_request_create(sender=other, receiver=regs["sme"], message="Hello")
    assert auto.status == MeetingRequest.Status.ACCEPTED  # the organisers set auto-accept
    with pytest.raises(services.Refused, match="no room for more meetings"):
        services.meeting_request_accept(request=event.meeting_requests.get(status="pending"))
    event.booking_closes = timezone.now() - timedelta(hours=1)
    event.save()
    with pytest.raises(services.Refused, match="closed"):
        services.meeting_request_create(sender=regs["buyer"], receiver=other)


def test_unanswered_requests_expire(event):
    request = event.meeting_requests.get()
    assert services.events_tick(now=request.expires - timedelta(seconds=1))["expired"] == 0
    assert services.events_tick(now=request.expires)["expired"] == 1
    request.refresh_from_db()
    assert request.status == MeetingRequest.Status.EXPIRED
    with pytest.raises(services.Refused):
        services.meeting_request_accept(request=request)


def test_a_request_by_form_reaches_the_receiver(client_for, event, regs, users, on_commit):
    services.meeting_request_cancel(request=event.meeting_requests.get())
    with on_commit():
        response = client_for("sme").post(
            f"/events/{event.slug}/participants/{regs['buyer'].pk}/request/", {"message": "Our plants fit your plan."}
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == [users["procurer"].email]
    assert "Our plants fit your plan." in mail.outbox[-1].body
    page = client_for("procurer").get(f"/events/{event.slug}/me/").content.decode()
    assert "Our plants fit your plan." in page


def test_e_mails_to_a_person_are_in_the_language_they_read_the_site_in(client_for, event, regs, users, on_commit):
    """A meeting request from someone reading in English reaches a buyer who reads in Ukrainian in Ukrainian, and
    so does the calendar entry of their registration (the event's country in their language)."""
    from django.contrib.auth import get_user_model

    from greenbridge.events import mail as event_mail

    procurer = client_for("procurer")
    procurer.cookies["django_language"] = "uk"
    procurer.get("/")
    assert get_user_model().objects.get(pk=users["procurer"].pk).language == "uk"
    services.meeting_request_cancel(request=event.meeting_requests.get())
    with on_commit():
        client_for("sme").post(f"/events/{event.slug}/participants/{regs['buyer'].pk}/request/", {"message": "Hi"})
    assert mail.outbox[-1].to == [users["procurer"].email]
    assert mail.outbox[-1].subject.startswith("Організація AquaPure Systems SRL хоче зустрітися з вами")
    event.country = "MD"
    event.save(update_fields=["country"])
    event_mail.reminder(regs["buyer"])
    ics = mail.outbox[-1].attachments[0][1]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "LOCATION:" in ics
    assert "Молдова" in ics.replace("\r\n ", "")


def test_recommendations_say_why(event, regs):
    (rec,) = recommendations(registration=regs["sme"])
    assert rec.profile.key == regs["buyer"] or rec.profile.key.pk == regs["buyer"].pk
    kinds = [r["kind"] for r in rec.reasons]
    assert "they_offer" in kinds  # "wastewater treatment" asked by the SME, planned by the buyer
    assert "buyer" in kinds


def test_a_countrys_name_is_not_what_one_offers_or_seeks():
    """Helios Solar was told AquaPure's water treatment was "what you look for" because both wrote "Ukraine"."""
    from greenbridge.orgs.models import Organisation
    from greenbridge.orgs.recommend import Profile

    org = Organisation(name="X", kind="sme")
    profile = Profile(key=1, organisation=org, offer="Water treatment plants for Ukraine and Moldova, Україна")
    assert profile.offer_words == {"treatm", "water"}


def test_the_participants_page_says_where_each_request_stands(client_for, event, regs):
    """It said "Requested" for a request one sent, one received (with no way to answer it) and one accepted."""
    request = event.meeting_requests.get()
    assert (request.sender, request.receiver) == (regs["buyer"], regs["sme"])

    def state(who):
        page = html.fromstring(client_for(who).get(f"/events/{event.slug}/participants/").content)
        return [" ".join(c.text_content().split()) for c in page.xpath("//table//tbody//tr/td[4]")]

    assert "Request sent" in state("procurer")
    assert "They asked you: answer" in state("sme")
    answer = html.fromstring(client_for("sme").get(f"/events/{event.slug}/participants/").content)
    [href] = answer.xpath('//table//a[normalize-space()="They asked you: answer"]/@href')
    assert href == f"/events/{event.slug}/me/#requests"
    services.meeting_request_accept(request=request)
    assert "Meeting booked" in state("sme")
    assert "Meeting booked" in state("procurer")


def test_the_organisers_see_the_requests_waiting_and_whom_to_remind(client_for, event, regs, users):
    """The dashboard's "1 meeting request waiting for an answer" led to a page with a count and nothing else."""
    page = html.fromstring(client_for("manager").get(f"/events/{event.slug}/manage/").content)
    [row] = page.xpath('//section[@id="requests"]//tbody/tr')
    cells = [" ".join(td.text_content().split()) for td in row.xpath("td")]
    assert cells[0] == regs["buyer"].organisation.name
    assert cells[1].startswith(regs["sme"].organisation.name)
    assert row.xpath(".//a/@href") == [f"mailto:{users['sme'].email}"]
    assert page.xpath('//a[@href="#requests"]')


def test_participants_page_shows_recommendations_in_few_queries(client_for, event, django_assert_max_num_queries):
    client = client_for("sme")
    with django_assert_max_num_queries(20):
        page = client.get(f"/events/{event.slug}/participants/").content.decode()
    assert "Most worth meeting for you" in page
    assert "A public buyer in Moldova" in page


# -- the schedule from the web ----------------------------------------------------------------------------------


@pytest.fixture
def busy_event(django_user_model, event, regs):
    """Eight more companies; each meets the SME or the buyer, plus some among themselves."""
    people = [services.registration_create(event=event, user=u, organisation=o) for u, o in (
        _person(django_user_model, n) for n in range(8)
    )]  # fmt: skip
    services.meeting_request_accept(request=event.meeting_requests.get())
    for n, r in enumerate(people):
        services.meeting_create(event=event, first=r, second=regs["sme"] if n % 2 else regs["buyer"])
        if n:
            services.meeting_create(event=event, first=r, second=people[n - 1])
    return people


def test_organisers_schedule_publish_and_everyone_gets_their_agenda(
    client_for, event, regs, busy_event, users, on_commit
):
    manager = client_for("manager")
    assert manager.post(f"/events/{event.slug}/manage/schedule/", {"action": "run"}).status_code == 302
    meetings = list(event.meetings.all())
    assert len(meetings) == 16
    assert all(m.starts and m.table for m in meetings)
    assert schedule_grid(event=event)["conflicts"] == 0
    assert "Publish the schedule" in manager.get(f"/events/{event.slug}/manage/schedule/").content.decode()
    with on_commit():
        manager.post(f"/events/{event.slug}/manage/schedule/", {"action": "publish"})
    assert len(mail.outbox) == 10  # every participant with a meeting
    # Published, nothing changed since: nothing to publish.
    assert 'value="publish"' not in manager.get(f"/events/{event.slug}/manage/schedule/").content.decode()
    sme_mail = next(m for m in mail.outbox if m.to == [users["sme"].email])
    assert sme_mail.subject == f"Your agenda for {event.title}"
    assert sme_mail.attachments[0][2] == "text/calendar"
    agenda = agenda_of(registration=regs["sme"], published=True)
    assert len(agenda) == 5
    page = client_for("sme").get(f"/events/{event.slug}/me/").content.decode()
    assert agenda[0].partner.organisation.name in page
    printable = client_for("sme").get(f"/events/{event.slug}/agenda/").content.decode()
    assert agenda[0].partner.organisation.name in printable
    assert f'href="{event.get_absolute_url()}"' in printable  # a way back from the page to print
    ics = client_for("sme").get(f"/events/{event.slug}/agenda.ics").content.decode()
    assert ics.count("BEGIN:VEVENT") == 6  # the event and five meetings


def test_a_late_change_keeps_published_meetings_and_tells_only_those_concerned(
    client_for, event, regs, busy_event, on_commit
):
    services.schedule_run(event=event, time_limit=5)
    services.schedule_publish(event=event)
    before = {m.pk: (m.starts, m.table) for m in event.meetings.all()}
    # A participant becomes unavailable when one of their meetings was planned.
    moved_person = busy_event[3]
    meeting = event.meetings.filter(first=moved_person).order_by("starts").first()
    services.availability_set(registration=moved_person, unavailable=[meeting.starts.strftime("%Y-%m-%dT%H:%MZ")])
    services.schedule_run(event=event, time_limit=5)
    after = {m.pk: (m.starts, m.table) for m in event.meetings.all()}
    changed = [pk for pk in before if before[pk] != after[pk]]
    assert meeting.pk in changed
    assert len(changed) <= 3
    assert "Publish the changes" in client_for("manager").get(f"/events/{event.slug}/manage/schedule/").content.decode()
    mail.outbox.clear()
    with on_commit():
        told = services.schedule_publish(event=event)
    assert told == len({r for pk in changed for r in Meeting.objects.filter(pk=pk).values_list("first", "second")[0]})
    assert all("has changed" in m.subject for m in mail.outbox)


def test_a_meeting_moved_and_locked_by_hand_stays(client_for, event, regs, busy_event):
    services.schedule_run(event=event, time_limit=5)
    meeting = event.meetings.order_by("pk").last()
    slot = event_slots(event)[-1]
    response = client_for("manager").post(
        f"/events/{event.slug}/manage/meetings/{meeting.pk}/", {"slot": slot.id, "table": 8, "locked": "on"}
    )
    assert response.status_code == 302
    services.schedule_run(event=event, time_limit=5)
    meeting.refresh_from_db()
    assert (meeting.starts, meeting.table, meeting.locked) == (slot.starts, 8, True)
    # A table the session does not have is refused in words.
    response = client_for("manager").post(
        f"/events/{event.slug}/manage/meetings/{meeting.pk}/", {"slot": slot.id, "table": 9}
    )
    assert "Choose a table from 1 to 8" in response.content.decode()


def test_a_conflict_made_by_hand_is_flagged_on_the_grid(client_for, event, regs, busy_event):
    services.schedule_run(event=event, time_limit=5)
    a, b = event.meetings.filter(first__in=busy_event[:2]).order_by("pk")[:2]
    services.meeting_move(meeting=b, slot=a.starts.strftime("%Y-%m-%dT%H:%MZ"), table=a.table, locked=True)
    grid = schedule_grid(event=event)
    assert grid["conflicts"] >= 2
    page = client_for("manager").get(f"/events/{event.slug}/manage/schedule/").content.decode()
    assert "meeting-chip--conflict" in page
    assert "Two meetings at this table" in page


def test_over_booked_participants_are_explained(django_user_model, event, regs):
    session = event.sessions.get(name="Morning")
    event.sessions.exclude(pk=session.pk).delete()
    people = [
        services.registration_create(event=event, user=u, organisation=o)
        for u, o in (_person(django_user_model, n) for n in range(9))
    ]
    for r in people:
        services.meeting_create(event=event, first=r, second=regs["sme"])
    result = services.schedule_run(event=event, time_limit=5)
    assert len(result.placement) == 7  # the morning has seven slots
    left = event.meetings.filter(starts__isnull=True)
    assert left.count() == 2
    for m in left:
        assert m.unscheduled_why == [
            {"kind": "slots", "participant": "AquaPure Systems SRL", "requested": 9, "free": 7}
        ]
        assert m.unscheduled_reasons == ["AquaPure Systems SRL is over-booked: 9 meetings requested, 7 slots free"]
        with translation.override("ro"):
            assert m.unscheduled_reasons == [
                "AquaPure Systems SRL are prea multe întâlniri: 9 întâlniri cerute, intervale libere: 7"
            ]


# -- organisers' lists ------------------------------------------------------------------------------------------


def test_exports_keep_every_participant_and_quote_formulas(client_for, event, regs):
    regs["sme"].offer = '=HYPERLINK("http://evil")'
    regs["sme"].save()
    response = client_for("manager").get(f"/events/{event.slug}/manage/participants.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Organisation", "Country", "Person"]
    assert rows[0][-1] == "Which markets do you target?"
    assert {r[0] for r in rows[1:]} == {"AquaPure Systems SRL", "Primăria Ungheni"}
    assert next(r for r in rows if r[0] == "AquaPure Systems SRL")[6].startswith("'=")
    response = client_for("manager").get(f"/events/{event.slug}/manage/participants.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3
    assert sheet["A1"].value == "Organisation"


def test_check_in_marks_attendance_in_bulk(client_for, event, regs):
    manager = client_for("manager")
    assert "Signature" in manager.get(f"/events/{event.slug}/manage/check-in/").content.decode()
    manager.post(f"/events/{event.slug}/manage/check-in/", {"attended": [regs["sme"].pk], "others": "no_show"})
    assert set(event.registrations.values_list("status", flat=True)) == {"attended", "no_show"}


def test_bulk_status_change_from_the_registrations_page(client_for, event, regs, django_assert_max_num_queries):
    manager = client_for("manager")
    with django_assert_max_num_queries(15):
        assert manager.get(f"/events/{event.slug}/manage/").status_code == 200
    manager.post(f"/events/{event.slug}/manage/", {"status": "declined", "registrations": [regs["buyer"].pk]})
    regs["buyer"].refresh_from_db()
    assert regs["buyer"].status == "declined"
    response = manager.post(f"/events/{event.slug}/manage/", {"status": "approved"}, follow=True)
    assert "Tick at least one participant." in response.content.decode()


def test_organisers_create_an_event_with_sessions_and_questions(client_for, orgs):
    data = {
        "organiser": orgs["cluster"].pk,
        "kind": "b2p",
        "status": "published",
        "title": "Kyiv water B2P session",
        "slug": "",
        "timezone": "Europe/Kyiv",
        "starts": "2027-03-10T09:00",
        "ends": "2027-03-10T13:00",
        "matchmaking": "on",
        "meeting_minutes": "30",
        "request_expiry_hours": "48",
        "sessions-TOTAL_FORMS": "1",
        "sessions-INITIAL_FORMS": "0",
        "sessions-0-name": "Morning",
        "sessions-0-day": "2027-03-10",
        "sessions-0-start": "09:30",
        "sessions-0-end": "12:30",
        "sessions-0-tables": "6",
        "sessions-0-breaks_text": "11:00-11:30",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-0-label": "Your annual turnover?",
        "questions-0-kind": "text",
    }
    response = client_for("manager").post("/events/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    event = Event.objects.get(slug="kyiv-water-b2p-session")
    assert event.starts == datetime(2027, 3, 10, 7, 0, tzinfo=ZoneInfo("UTC"))  # 09:00 in Kyiv
    session = Session.objects.get(event=event)
    assert session.breaks == [["11:00", "11:30"]]
    assert len(event_slots(event)) == 5  # 09:30, 10:00, 10:30, 11:30, 12:00
    assert list(event.organisers.all()) == [orgs["cluster"]]
    assert event.questions.get().label == "Your annual turnover?"

    bad = {**data, "title": "Another", "timezone": "Mars/Olympus", "sessions-0-breaks_text": "lunch"}
    page = client_for("manager").post("/events/new/", bad).content.decode()
    assert "“Mars/Olympus” is not a time zone" in page
    assert "“lunch” is not a break" in page
    assert Event.objects.filter(title="Another").count() == 0

    # A session that ends before it starts (a 500 once), on a day outside the event, with a break outside it;
    # registration closing after the event: every mistake said at once, nothing saved.
    absurd = {
        **data,
        "title": "Absurd",
        "registration_opens": "2027-03-01T09:00",
        "registration_closes": "2027-03-20T09:00",
        "sessions-0-start": "13:00",
        "sessions-0-end": "09:00",
        "sessions-0-breaks_text": "14:00-15:00",
    }
    page = client_for("manager").post("/events/new/", absurd).content.decode()
    assert "A session ends after it starts." in page
    assert "Registration must close before the event ends." in page
    absurd |= {"registration_closes": "2027-03-09T09:00", "sessions-0-day": "2027-04-01", "sessions-0-end": "13:00"}
    absurd["sessions-0-start"] = "09:00"
    page = client_for("manager").post("/events/new/", absurd).content.decode()
    assert "The event runs from 10 March 2027 to 10 March 2027." in page
    assert "A break is within its session (09:00-13:00): 14:00-15:00 is not." in page
    assert not Event.objects.filter(title="Absurd").exists()


def test_the_demo_event_is_public_and_listed(client, event):
    assert event.slug == EVENT_SLUG
    page = client.get("/events/").content.decode()
    assert "Danube Water &amp; Energy Brokerage Event" in page
    ics = client.get(f"/events/{event.slug}/event.ics").content.decode()
    assert "SUMMARY:Danube Water & Energy Brokerage Event" in ics


def test_the_schedule_export_feeds_the_solver_command(event, regs, busy_event, tmp_path, capsys):
    from django.core.management import call_command

    from greenbridge.events.scheduling import Problem

    out = tmp_path / "input.json"
    call_command("schedule", "export", event.slug, "--out", str(out))
    data = __import__("json").loads(out.read_text())
    assert len(data["meetings"]) == 16
    assert data["names"][f"r{regs['sme'].pk}"] == "AquaPure Systems SRL"
    assert len(Problem.from_data(data).slots) == 16
    call_command("schedule", "solve", str(out), "--time-limit", "5", "--out", str(tmp_path / "out.json"))
    assert "16 of 16 meetings" in capsys.readouterr().err


def test_reminders_go_once_two_days_before(event, regs, users):
    from django.core.management import call_command

    services.events_tick(now=event.starts - timedelta(days=3))
    assert mail.outbox == []
    call_command("events", "tick")  # now: three weeks ahead, nothing due
    assert mail.outbox == []
    counts = services.events_tick(now=event.starts - timedelta(days=1))
    assert counts["reminders"] == 2
    assert {m.to[0] for m in mail.outbox} == {users["sme"].email, users["procurer"].email}
    assert services.events_tick(now=event.starts - timedelta(hours=20))["reminders"] == 0


def test_only_the_two_sides_and_organisers_mark_a_meeting_late(client_for, event, regs):
    meeting = services.meeting_create(event=event, first=regs["sme"], second=regs["buyer"])
    url = f"/events/{event.slug}/meetings/{meeting.pk}/live/"
    assert client_for("other_sme").post(url, {"live": "late"}).status_code == 403
    assert client_for("sme").post(url, {"live": "nonsense"}).status_code == 400
    assert client_for("sme").post(url, {"live": "late", "next": "https://evil.example/"})["Location"] == (
        f"/events/{event.slug}/me/"
    )
    # Weeks before the meeting: neither late nor a no-show (the organisers' figures would count it).
    Meeting.objects.filter(pk=meeting.pk).update(published_starts=timezone.now() + timedelta(days=21))
    page = client_for("manager").post(url, {"live": "no_show"}, follow=True).content.decode()
    assert "A meeting can be marked a no-show once it has started." in page
    page = client_for("sme").post(url, {"live": "late"}, follow=True).content.decode()
    assert "A meeting can be marked as running late from an hour before it." in page
    meeting.refresh_from_db()
    assert meeting.live == ""
    Meeting.objects.filter(pk=meeting.pk).update(published_starts=timezone.now() - timedelta(minutes=5))
    assert client_for("manager").post(url, {"live": "no_show"}).status_code == 302
    meeting.refresh_from_db()
    assert meeting.live == "no_show"
