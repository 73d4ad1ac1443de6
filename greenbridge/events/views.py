"""Event pages: public list and page, registration, participants and requests, agendas; the organisers'
registrations, check-in, exports and schedule. Thin: reads through selectors, changes through services."""

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from greenbridge.core.bounds import parse_id
from greenbridge.core.http import calendar_response, csv_response, safe_next, spreadsheet_safe, xlsx_response
from greenbridge.core.signals import page_context, page_sections, side_sections
from greenbridge.orgs.recommend import described
from greenbridge.orgs.selectors import clusters_staffed_by, organisations_of_user

from . import selectors, services, signals
from .calendar import agenda_calendar, event_calendar, events_calendar
from .forms import (
    EventForm,
    MeetingForm,
    MoveForm,
    OutcomeForm,
    QuestionFormSet,
    RegistrationForm,
    RequestForm,
    SessionFormSet,
    StatusForm,
)
from .models import Event, Meeting, MeetingRequest, Registration
from .slots import event_slots, slot_id


def _event(request, slug: str) -> Event:
    event = get_object_or_404(Event.objects.prefetch_related("organisers"), slug=slug)
    if not rules.has_perm("events.view_event", request.user, event):
        raise Http404
    return event


def _managed(request, slug: str) -> Event:
    event = get_object_or_404(Event.objects.prefetch_related("organisers"), slug=slug)
    if not rules.has_perm("events.manage_event", request.user, event):
        raise PermissionDenied
    return event


def _my_registration(request, event: Event) -> Registration:
    registration = selectors.registration_of(user=request.user, event=event)
    if registration is None:
        raise PermissionDenied
    return registration


# -- public -----------------------------------------------------------------------------------------------------


def event_list(request):
    past = request.GET.get("when") == "past"
    events = selectors.events_visible(user=request.user, past=past)
    kind = request.GET.get("kind", "")
    if kind in Event.Kind.values:
        events = events.filter(kind=kind)
    context = {
        "events": events[:100],
        "past": past,
        "kind": kind,
        "kinds": Event.Kind.choices,
        "can_create": clusters_staffed_by(user=request.user).exists(),
    }
    return render(request, "events/event_list.html", context)


def events_ics(request):
    return calendar_response(
        events_calendar(selectors.events_visible(user=request.user).filter(status=Event.Status.PUBLISHED)), "events"
    )


def event_detail(request, slug: str):
    event = _event(request, slug)
    context = {
        "event": event,
        "registration": selectors.registration_of(user=request.user, event=event),
        "sessions": event.sessions.all(),
        "can_manage": rules.has_perm("events.manage_event", request.user, event),
        "participant_count": selectors.participants(event=event).count(),
        "opportunities": event.opportunities.open().select_related("organisation")[:12],
        "sections": page_sections(side_sections, sender=Event, obj=event, request=request),
    }
    return render(request, "events/event_detail.html", context)


def event_ics(request, slug: str):
    event = _event(request, slug)
    return calendar_response(event_calendar(event), event.slug)


# -- participants -----------------------------------------------------------------------------------------------


@login_required
def register(request, slug: str):
    event = _event(request, slug)
    existing = selectors.registration_of(user=request.user, event=event)
    if existing and existing.status not in (Registration.Status.CANCELLED, Registration.Status.DECLINED):
        return redirect("events:mine", event.slug)
    if not event.registration_is_open():
        messages.error(request, _("Registration for this event is closed."))
        return redirect("events:detail", event.slug)
    organisations = organisations_of_user(user=request.user)
    if not organisations.exists():
        messages.info(request, _("First add your organisation: you take part on its behalf."))
        return redirect("orgs:create")
    form = RegistrationForm(request.POST or None, event=event, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create(
                event=event,
                user=request.user,
                organisation=form.cleaned_data["organisation"],
                answers=form.answers(),
                offer=form.cleaned_data.get("offer", ""),
                seeking=form.cleaned_data.get("seeking", ""),
            )
        except services.Refused as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _status_message(registration))
            return redirect("events:mine", event.slug)
    return render(request, "events/register.html", {"event": event, "form": form})


def _status_message(registration: Registration) -> str:
    return {
        Registration.Status.APPROVED: _("You are registered. A confirmation is on its way by e-mail."),
        Registration.Status.REGISTERED: _("You are registered: the organisers will confirm your place."),
        Registration.Status.WAITING: _("The event is full: you are on the waiting list, and will hear from us."),
    }.get(registration.status, _("Your registration is saved."))


@login_required
def mine(request, slug: str):
    """A participant's page for one event: status, availability, requests received and sent, agenda."""
    event = _event(request, slug)
    registration = selectors.registration_of(user=request.user, event=event)
    if registration is None:
        return redirect("events:detail", event.slug)
    services.requests_expire(event=event)
    received, sent = selectors.requests_of(registration=registration)
    slots = event_slots(event)
    agenda = selectors.agenda_of(registration=registration, published=True) if event.schedule_published else []
    told = selectors.outcomes_of(registration=registration)
    now = timezone.now()
    past = [m for m in agenda if m.published_starts <= now]
    for m in past:
        m.outcome = told.get(m.pk)
        m.outcome_form = OutcomeForm(instance=m.outcome, prefix=f"m{m.pk}")
    context = {
        "event": event,
        "registration": registration,
        "received": received,
        "sent": sent,
        "agenda": agenda,
        "past_meetings": past,
        "slots": slots,
        "unavailable": set(registration.unavailable),
        "booking_open": event.booking_is_open(),
    }
    return render(request, "events/mine.html", context)


@login_required
@require_POST
def cancel(request, slug: str):
    event = _event(request, slug)
    registration = _my_registration(request, event)
    services.registration_cancel(registration=registration)
    messages.success(request, _("Your registration is cancelled."))
    return redirect("events:detail", event.slug)


@login_required
@require_POST
def availability(request, slug: str):
    event = _event(request, slug)
    registration = _my_registration(request, event)
    services.availability_set(registration=registration, unavailable=request.POST.getlist("unavailable"))
    messages.success(request, _("Your availability is saved."))
    return redirect("events:mine", event.slug)


@login_required
def participants(request, slug: str):
    """The participants to meet, the most worth meeting first (for a participant), and who is here."""
    event = _event(request, slug)
    registration = selectors.registration_of(user=request.user, event=event)
    can_manage = rules.has_perm("events.manage_event", request.user, event)
    if not ((registration and registration.is_active) or can_manage):
        raise PermissionDenied
    people = list(selectors.participants(event=event).order_by("organisation__name"))
    recommended = described(selectors.recommendations(registration=registration)) if registration else []
    # Where a request stands with each participant: "booked" (accepted, either way), "asked you" (theirs, waiting
    # for the reader's answer) or "sent" (the reader's, waiting for theirs).
    state_with: dict[int, str] = {}
    if registration:
        received, sent = selectors.requests_of(registration=registration)
        for r in received:
            if r.status in MeetingRequest.OPEN:
                state_with[r.sender_id] = "booked" if r.status == MeetingRequest.Status.ACCEPTED else "received"
        for r in sent:
            if r.status in MeetingRequest.OPEN and state_with.get(r.receiver_id) != "booked":
                state_with[r.receiver_id] = "booked" if r.status == MeetingRequest.Status.ACCEPTED else "sent"
    query = request.GET.get("q", "").strip().lower()
    if query:
        people = [
            p
            for p in people
            if query in f"{p.organisation.name} {p.organisation.description} {p.offer} {p.seeking}".lower()
        ]
    for p in [*people, *(rec.profile.key for rec in recommended)]:
        p.meeting_state = state_with.get(p.pk)
    context = {
        "event": event,
        "registration": registration,
        "people": people,
        "recommended": recommended,
        "query": query,
        "booking_open": event.booking_is_open(),
    }
    context |= page_context(signals.participant_page, sender=event, registration=registration)
    return render(request, "events/participants.html", context)


@login_required
def request_meeting(request, slug: str, pk: int):
    event = _event(request, slug)
    sender = _my_registration(request, event)
    receiver = get_object_or_404(selectors.participants(event=event), pk=pk)
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            req = services.meeting_request_create(
                sender=sender, receiver=receiver, message=form.cleaned_data["message"]
            )
        except services.Refused as exc:
            messages.error(request, str(exc))
        else:
            if req.status == MeetingRequest.Status.ACCEPTED:
                messages.success(request, _("The meeting is booked: it will be in your agenda once scheduled."))
            else:
                messages.success(
                    request, _("Your request is sent to %(organisation)s.") % {"organisation": receiver.organisation}
                )
            return redirect("events:participants", event.slug)
    return render(request, "events/request.html", {"event": event, "receiver": receiver, "form": form})


@login_required
@require_POST
def respond(request, slug: str, pk: int, action: str):
    event = _event(request, slug)
    registration = _my_registration(request, event)
    req = get_object_or_404(MeetingRequest, pk=pk, event=event)
    mine_to_answer = req.receiver_id == registration.pk and action in ("accept", "decline")
    mine_to_cancel = req.sender_id == registration.pk and action == "cancel"
    if not (mine_to_answer or mine_to_cancel):
        raise PermissionDenied
    action_service = {
        "accept": services.meeting_request_accept,
        "decline": services.meeting_request_decline,
        "cancel": services.meeting_request_cancel,
    }[action]
    try:
        action_service(request=req)
    except services.Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            {
                "accept": _("Accepted: the meeting will be in both your agendas once scheduled."),
                "decline": _("Declined."),
                "cancel": _("Your request is withdrawn."),
            }[action],
        )
    return redirect("events:mine", event.slug)


def _agenda_registration(request, event: Event) -> Registration:
    """Whose agenda: one's own, or (organisers) any participant's (?registration=id)."""
    pk = parse_id(request.GET.get("registration", ""))
    if pk and rules.has_perm("events.manage_event", request.user, event):
        return get_object_or_404(event.registrations.select_related("organisation", "user"), pk=pk)
    return _my_registration(request, event)


@login_required
def agenda(request, slug: str):
    """The personal agenda, made to print (one A4 page per participant)."""
    event = _event(request, slug)
    registration = _agenda_registration(request, event)
    meetings = selectors.agenda_of(registration=registration, published=True)
    return render(request, "events/agenda.html", {"event": event, "registration": registration, "meetings": meetings})


@login_required
def agenda_ics(request, slug: str):
    event = _event(request, slug)
    registration = _agenda_registration(request, event)
    meetings = selectors.agenda_of(registration=registration, published=True)
    return calendar_response(agenda_calendar(registration, meetings), f"{event.slug}-agenda")


@login_required
@require_POST
def live(request, slug: str, pk: int):
    """During the event: a meeting is running late, or someone did not come (either side, or organisers)."""
    event = _event(request, slug)
    meeting = get_object_or_404(Meeting.objects.select_related("first", "second"), pk=pk, event=event)
    allowed = rules.has_perm("events.manage_event", request.user, event) or any(
        rules.has_perm("events.view_registration", request.user, r) for r in (meeting.first, meeting.second)
    )
    if not allowed:
        raise PermissionDenied
    value = request.POST.get("live", "")
    if value not in Meeting.Live.values:
        return HttpResponse(_("Unknown mark."), status=400)
    try:
        services.meeting_live_set(meeting=meeting, live=value)
    except services.Refused as exc:
        messages.error(request, str(exc))
    return redirect(safe_next(request) or reverse("events:mine", args=[event.slug]))


# -- organisers ---------------------------------------------------------------------------------------------------


@login_required
def create(request):
    clusters = clusters_staffed_by(user=request.user)
    if not clusters.exists():
        raise PermissionDenied
    return _edit(request, Event(), clusters)


@login_required
def edit(request, slug: str):
    return _edit(request, _managed(request, slug), None)


def _edit(request, event: Event, clusters):
    form = EventForm(request.POST or None, instance=event, organiser_choices=clusters, user=request.user)
    tz, days = (event.tz if event.pk else None), None
    if request.method == "POST" and form.is_valid():
        tz = form.instance.tz
        days = form.instance.starts.astimezone(tz).date(), form.instance.ends.astimezone(tz).date()
    prefix = {"instance": event if event.pk else Event()}
    sessions = SessionFormSet(request.POST or None, form_kwargs={"tz": tz, "days": days}, prefix="sessions", **prefix)
    questions = QuestionFormSet(request.POST or None, prefix="questions", **prefix)
    # Every part checked at once, so that the organiser sees all that is wrong in one go.
    if request.method == "POST" and all([form.is_valid(), sessions.is_valid(), questions.is_valid()]):
        with transaction.atomic():
            event = form.save()
            if clusters is not None:
                event.organisers.add(form.cleaned_data["organiser"])
            sessions.instance = questions.instance = event
            sessions.save()
            for n, q in enumerate(questions.save(commit=False)):
                q.position = n
                q.save()
            for q in questions.deleted_objects:
                q.delete()
        messages.success(request, _("The event is saved."))
        return redirect("events:manage", event.slug)
    context = {"form": form, "sessions": sessions, "questions": questions, "event": event if event.pk else None}
    return render(request, "events/event_form.html", context)


@login_required
def manage(request, slug: str):
    event = _managed(request, slug)
    form = StatusForm(request.POST or None, event=event)
    if request.method == "POST":
        if form.is_valid():
            n = services.registrations_set_status(
                registrations=list(form.cleaned_data["registrations"]), status=form.cleaned_data["status"]
            )
            messages.success(
                request, ngettext("%(n)s registration changed.", "%(n)s registrations changed.", n) % {"n": n}
            )
            return redirect(request.get_full_path())
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    status = request.GET.get("status", "")
    questions = list(event.questions.all())
    rows = list(
        selectors.registrations_for_organisers(
            event=event, status=status if status in Registration.Status.values else ""
        )
    )
    for r in rows:
        r.answer_list = _answers(r, questions)
    counts = dict.fromkeys(Registration.Status.values, 0)
    for s in event.registrations.values_list("status", flat=True):
        counts[s] += 1
    context = {
        "event": event,
        "rows": rows,
        "status": status,
        "statuses": [(value, label, counts[value]) for value, label in Registration.Status.choices],
        "questions": questions,
        "meeting_count": event.meetings.filter(cancelled__isnull=True).count(),
        # Requests waiting for their answer, the oldest first: the organisers see who to remind.
        "pending": list(
            event.meeting_requests.filter(status=MeetingRequest.Status.PENDING)
            .select_related("sender__organisation", "receiver__organisation", "receiver__user")
            .order_by("created")
        ),
    }
    return render(request, "events/manage.html", context)


def _answers(r: Registration, questions) -> list[str]:
    values = [r.answers.get(str(q.pk)) for q in questions]
    return ["; ".join(v) if isinstance(v, list) else (v or "") for v in values]


def _export_rows(event: Event) -> tuple[list[str], list[list]]:
    questions = list(event.questions.all())
    header = [
        _("Organisation"), _("Country"), _("Person"), _("E-mail"), _("Status"), _("Registered"),
        _("What we offer"), _("What we are looking for"), _("Meetings"),
        *[q.label for q in questions],
    ]  # fmt: skip
    rows = []
    tz = event.tz
    for r in selectors.registrations_for_organisers(event=event):
        rows.append(
            [
                r.organisation.name, r.organisation.country.name or "", str(r.user), r.user.email,
                r.get_status_display(),
                r.created.astimezone(tz).strftime("%Y-%m-%d %H:%M"), r.offer, r.seeking, r.meeting_count,
                *_answers(r, questions),
            ]
        )  # fmt: skip
    return header, rows


@login_required
def export(request, slug: str, fmt: str):
    event = _managed(request, slug)
    header, rows = _export_rows(event)
    rows = [[spreadsheet_safe(v) for v in row] for row in rows]
    if fmt == "csv":
        return csv_response([header, *rows], f"{event.slug}-participants")
    if fmt == "xlsx":
        return xlsx_response([header, *rows], f"{event.slug}-participants", _("Participants"))
    raise Http404


@login_required
def checkin(request, slug: str):
    """The printable check-in list; ticking people and saving marks them attended (the rest: unchanged)."""
    event = _managed(request, slug)
    rows = event.registrations.filter(
        status__in=[Registration.Status.APPROVED, Registration.Status.ATTENDED, Registration.Status.NO_SHOW]
    ).select_related("organisation", "user")
    if request.method == "POST":
        ids = {pk for i in request.POST.getlist("attended") if (pk := parse_id(i))}
        present = [r for r in rows if r.pk in ids]
        absent = [r for r in rows if r.pk not in ids and r.status == Registration.Status.ATTENDED]
        n = services.registrations_set_status(registrations=present, status=Registration.Status.ATTENDED)
        if request.POST.get("others") == "no_show":
            n += services.registrations_set_status(
                registrations=[r for r in rows if r.pk not in ids], status=Registration.Status.NO_SHOW
            )
        elif absent:
            n += services.registrations_set_status(registrations=absent, status=Registration.Status.APPROVED)
        messages.success(request, ngettext("%(n)s registration changed.", "%(n)s registrations changed.", n) % {"n": n})
        return redirect("events:checkin", event.slug)
    return render(request, "events/checkin.html", {"event": event, "rows": rows.order_by("organisation__name")})


@login_required
def schedule(request, slug: str):
    """The organisers' grid (slots × tables) with conflicts, the meetings left out and why; run, publish."""
    event = _managed(request, slug)
    meeting_form = MeetingForm(event=event)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "run":
                result = services.schedule_run(event=event, time_limit=settings.EVENTS_SCHEDULE_SECONDS)
                messages.success(request, _schedule_summary(result))
            elif action == "publish":
                n = services.schedule_publish(event=event)
                messages.success(
                    request,
                    ngettext(
                        "The schedule is published; %(n)s participant is told by e-mail.",
                        "The schedule is published; %(n)s participants are told by e-mail.",
                        n,
                    )
                    % {"n": n},
                )
            elif action == "add":
                meeting_form = MeetingForm(request.POST, event=event)
                if meeting_form.is_valid():
                    services.meeting_create(event=event, **meeting_form.cleaned_data)
                    messages.success(request, _("The meeting is added; run the scheduler or place it by hand."))
                    return redirect("events:schedule", event.slug)
            else:
                return HttpResponse(_("Unknown action."), status=400)
        except services.Refused as exc:
            messages.error(request, str(exc))
        if action != "add" or meeting_form.is_valid():
            return redirect("events:schedule", event.slug)
    grid = selectors.schedule_grid(event=event)
    changed = selectors.unpublished_changes(event=event)
    context = {
        "event": event,
        "grid": grid,
        "meeting_form": meeting_form,
        "unpublished_changes": changed if event.schedule_published else None,
        "time_limit": round(settings.EVENTS_SCHEDULE_SECONDS),
    }
    return render(request, "events/schedule.html", context)


def _schedule_summary(result) -> str:
    placed = len(result.placement)
    left = len(result.unscheduled)
    text = ngettext("%(placed)s meeting scheduled", "%(placed)s meetings scheduled", placed) % {"placed": placed}
    if left:
        text += ", " + ngettext("%(left)s left out (see why below)", "%(left)s left out (see why below)", left) % {
            "left": left
        }
    text += "; " + ngettext("%(gaps)s idle gap in all", "%(gaps)s idle gaps in all", result.gaps) % {
        "gaps": result.gaps
    }
    if result.status == "optimal":
        text += " — " + _("proved the best possible.")
    else:
        text += " — " + _("the best found in the time allowed.")
    return text


@login_required
def meeting_move(request, slug: str, pk: int):
    event = _managed(request, slug)
    meeting = get_object_or_404(
        Meeting.objects.select_related("first__organisation", "second__organisation"), pk=pk, event=event
    )
    slots = event_slots(event)
    initial = {"slot": slot_id(meeting.starts) if meeting.starts else "", "table": meeting.table, "locked": True}
    form = MoveForm(request.POST or None, slots=slots, tz=event.tz, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_move(
                meeting=meeting,
                slot=form.cleaned_data["slot"] or None,
                table=form.cleaned_data["table"],
                locked=form.cleaned_data["locked"],
            )
        except services.Refused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The meeting is moved."))
            return redirect("events:schedule", event.slug)
    return render(request, "events/meeting_move.html", {"event": event, "meeting": meeting, "form": form})


@login_required
def table_plan(request, slug: str):
    """The table plan as CSV: slot, table, the two organisations and people (for the room and the signs)."""
    event = _managed(request, slug)
    rows = [[_("Session"), _("Time"), _("Table"), _("Participant"), _("Person"), _("meets"), _("Person")]]
    tz = event.tz
    meetings = event.meetings.filter(cancelled__isnull=True, starts__isnull=False).select_related(
        "first__organisation", "first__user", "second__organisation", "second__user"
    )
    sessions = list(event.sessions.all())
    for m in meetings.order_by("starts", "table"):
        session = next((s.name for s in sessions if s.starts <= m.starts < s.ends), "")
        rows.append(
            [
                session, m.starts.astimezone(tz).strftime("%Y-%m-%d %H:%M"), m.table,
                m.first.organisation.name, str(m.first.user), m.second.organisation.name, str(m.second.user),
            ]
        )  # fmt: skip
    return csv_response(rows, f"{event.slug}-tables")


# -- after the event ------------------------------------------------------------------------------------------------


@login_required
@require_POST
def outcome(request, slug: str, pk: int):
    """A participant tells how one of their meetings went."""
    event = _event(request, slug)
    registration = _my_registration(request, event)
    meeting = get_object_or_404(Meeting.objects.of(registration).select_related("event"), pk=pk, event=event)
    form = OutcomeForm(request.POST, prefix=f"m{meeting.pk}")
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(reverse("events:mine", args=[event.slug]) + "#outcomes")
    try:
        saved = services.outcome_save(meeting=meeting, registration=registration, **form.cleaned_data)
    except services.Refused as exc:
        messages.error(request, str(exc))
    else:
        partner = meeting.other(registration).organisation
        if saved.interest == saved.Interest.AGREEMENT:
            messages.success(
                request,
                _("Saved. When the agreement with %(organisation)s is made, record the partnership below.")
                % {"organisation": partner},
            )
        else:
            messages.success(request, _("Saved: thank you."))
    return redirect(reverse("events:mine", args=[event.slug]) + "#outcomes")


@login_required
def outcomes(request, slug: str):
    """Organisers: response rates, meetings held, what comes next, who has not answered."""
    event = _managed(request, slug)
    return render(request, "events/outcomes.html", {"event": event, "report": selectors.outcome_report(event=event)})


@login_required
def outcomes_csv(request, slug: str):
    event = _managed(request, slug)
    tz = event.tz
    side = [_("Participant"), _("Did it take place?"), _("What next?"), _("Note")]
    rows = [[_("Time"), _("Table"), *side, *side]]
    for m, *told in selectors.outcome_report(event=event)["rows"]:
        row = [m.published_starts.astimezone(tz).strftime("%Y-%m-%d %H:%M"), m.published_table]
        for r, o in zip((m.first, m.second), told, strict=True):
            answer = [o.get_held_display(), o.get_interest_display(), o.note] if o else ["", "", ""]
            row += [spreadsheet_safe(v) for v in (r.organisation.name, *answer)]
        rows.append(row)
    return csv_response(rows, f"{event.slug}-outcomes")
