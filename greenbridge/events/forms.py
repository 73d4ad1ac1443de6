"""Forms of events: the organiser's event, sessions and questions; registration; requests; the schedule.

Times are typed in the event's own time zone (a Moldovan event is planned in Chisinau time, whoever types).
"""

import zoneinfo
from datetime import date, datetime

import rules
from django import forms
from django.forms import inlineformset_factory
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from greenbridge.core.bounds import DayFormField
from greenbridge.core.forms import LanguagesField, ModelMultipleChoiceField
from greenbridge.core.templatetags.greenbridge import long_date
from greenbridge.core.widgets import DateTimeInput
from greenbridge.orgs.models import Organisation
from greenbridge.orgs.rules import publishing_refused

from .models import TABLES_MAX, Event, Outcome, Question, Registration, Session, validate_timezone
from .slots import format_breaks, parse_breaks

EVENT_TIMES = ("starts", "ends", "registration_opens", "registration_closes", "booking_closes")


def _local(value: datetime | None, tz: zoneinfo.ZoneInfo) -> datetime | None:
    """A time as typed (read by Django in UTC) -> the same wall-clock time in the event's zone."""
    return value.replace(tzinfo=None).replace(tzinfo=tz) if value else value


class EventForm(forms.ModelForm):
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    languages = LanguagesField(label=_("Languages"), required=False, help_text=_("The languages spoken at the event."))

    class Meta:
        model = Event
        fields = [
            "kind", "title", "slug", "status", "description", "starts", "ends", "timezone", "venue", "city",
            "country", "online_url", "languages", "capacity", "registration_opens", "registration_closes",
            "approval_required", "contact_email", "matchmaking", "meeting_minutes", "booking_closes",
            "auto_accept", "request_expiry_hours", "max_meetings", "max_meetings_per_session",
        ]  # fmt: skip
        widgets = dict.fromkeys(EVENT_TIMES, DateTimeInput) | {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, user, organiser_choices=None, **kwargs):
        """`user`: who saves it (publishing needs `orgs.publish_as` for an organiser); `organiser_choices`: for a
        new event, the clusters it may be organised by."""
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _("Used in the event's address; made from the title when left empty.")
        self.fields["timezone"].help_text = _("Times below are in this zone, for example Europe/Chisinau.")
        if self.instance.pk:
            tz = self.instance.tz
            for name in EVENT_TIMES:
                if value := getattr(self.instance, name):
                    self.initial[name] = value.astimezone(tz).replace(tzinfo=None)
        if organiser_choices is not None:
            self.fields["organiser"] = forms.ModelChoiceField(
                queryset=organiser_choices, label=_("Organised by"), empty_label=None
            )
        # Said before the organiser tries: drafts are fine, publishing waits for verification.
        organisers = list(organiser_choices if organiser_choices is not None else self._organisers())
        if (
            not self.is_bound
            and organisers
            and not any(rules.has_perm("orgs.publish_as", user, org) for org in organisers)
        ):
            self.fields["status"].help_text = publishing_refused(user, organisers[0])

    def clean_slug(self) -> str:
        typed = self.cleaned_data.get("slug")
        slug = typed or slugify(self.cleaned_data.get("title", ""))[:80]
        if not slug:
            raise forms.ValidationError(_("Give the event a short name (letters, digits and dashes)."))
        if Event.objects.filter(slug=slug).exclude(pk=self.instance.pk).exists():
            if not typed:  # made from the title: the title is what to change, and the short name is optional
                self.add_error(
                    "title",
                    _(
                        "Another event has this title: make it distinct (add the city or the year), "
                        "or give it a short name."
                    ),
                )
                self.title_taken = True
                return slug
            raise forms.ValidationError(_("Another event uses this short name; choose another."))
        return slug

    def validate_unique(self) -> None:
        if not getattr(self, "title_taken", False):  # else said once, on the title
            super().validate_unique()

    def clean(self):
        data = super().clean()
        try:
            validate_timezone(data.get("timezone") or "")
        except forms.ValidationError:
            return data  # reported on the field
        tz = zoneinfo.ZoneInfo(data["timezone"])
        for name in EVENT_TIMES:
            data[name] = _local(data.get(name), tz)
        if data.get("starts") and data.get("ends") and data["ends"] < data["starts"]:
            self.add_error("ends", _("The event cannot end before it starts."))
        opens, closes = data.get("registration_opens"), data.get("registration_closes")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes", _("Registration must close after it opens."))
        if data.get("ends"):
            if closes and closes > data["ends"]:
                self.add_error("registration_closes", _("Registration must close before the event ends."))
            if data.get("booking_closes") and data["booking_closes"] > data["ends"]:
                self.add_error("booking_closes", _("Meeting requests must close before the event ends."))
        publishing = data.get("status") == Event.Status.PUBLISHED and (
            not self.instance.pk or self.initial.get("status") != Event.Status.PUBLISHED
        )
        if publishing and (refused := self.publishing_refused(data)):
            self.add_error("status", refused)
        return data

    def _organisers(self) -> list[Organisation]:
        return list(self.instance.organisers.all()) if self.instance.pk else []

    def publishing_refused(self, data: dict) -> str:
        """Why the event cannot be published by this user ("" when it can): one of its organisers must allow it
        (`orgs.publish_as`: a confirmed e-mail address, a cluster verified by the platform operators)."""
        organisers = self._organisers() if self.instance.pk else [data["organiser"]] if data.get("organiser") else []
        if any(rules.has_perm("orgs.publish_as", self.user, org) for org in organisers):
            return ""
        return publishing_refused(self.user, organisers[0] if organisers else None)


class SessionForm(forms.ModelForm):
    """A session typed as a day, a start and end time, and its breaks ("12:30-13:30")."""

    day = DayFormField(label=_("Day"))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end = forms.TimeField(label=_("To"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    breaks_text = forms.CharField(
        label=_("Breaks"), required=False, help_text=_("For example 10:30-10:45, 12:30-13:30.")
    )

    class Meta:
        model = Session
        fields = ["name", "tables"]

    def __init__(self, *args, tz: zoneinfo.ZoneInfo | None = None, days: tuple[date, date] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.tz = tz or zoneinfo.ZoneInfo("UTC")
        self.days = days  # the event's first and last day, when known: a session is on one of them
        if self.instance.pk:
            starts, ends = self.instance.starts.astimezone(self.tz), self.instance.ends.astimezone(self.tz)
            self.initial.update(day=starts.date(), start=starts.time(), end=ends.time())
            self.initial["breaks_text"] = format_breaks(self.instance.breaks)

    def clean_breaks_text(self) -> list[list[str]]:
        try:
            return parse_breaks(self.cleaned_data["breaks_text"])
        except ValueError as exc:
            raise forms.ValidationError(
                _("“%(part)s” is not a break: write it as 12:30-13:30."), params={"part": str(exc)}
            ) from None

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start"), data.get("end")
        if day and self.days and not self.days[0] <= day <= self.days[1]:
            first, last = (long_date(d) for d in self.days)
            self.add_error("day", _("The event runs from %(first)s to %(last)s.") % {"first": first, "last": last})
        if day and start and end:
            if end <= start:
                self.add_error("end", _("A session ends after it starts."))
            else:
                self.instance.starts = datetime.combine(day, start, tzinfo=self.tz)
                self.instance.ends = datetime.combine(day, end, tzinfo=self.tz)
                outside = [
                    f"{a}-{b}" for a, b in data.get("breaks_text") or [] if a < f"{start:%H:%M}" or b > f"{end:%H:%M}"
                ]
                if outside:
                    message = ngettext(
                        "A break is within its session (%(start)s-%(end)s): %(breaks)s is not.",
                        "Breaks are within their session (%(start)s-%(end)s): %(breaks)s are not.",
                        len(outside),
                    )
                    when = {"start": f"{start:%H:%M}", "end": f"{end:%H:%M}", "breaks": ", ".join(outside)}
                    self.add_error("breaks_text", message % when)
        self.instance.breaks = data.get("breaks_text") or []
        return data


SessionFormSet = inlineformset_factory(Event, Session, form=SessionForm, extra=1, can_delete=True)
QuestionFormSet = inlineformset_factory(
    Event,
    Question,
    fields=["label", "help_text", "kind", "choices", "required"],
    widgets={"choices": forms.Textarea(attrs={"rows": 3})},
    extra=1,
    can_delete=True,
)


class RegistrationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("On behalf of"), empty_label=None
    )
    offer = forms.CharField(
        label=_("What we offer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to the other participants, who choose whom to meet."),
    )
    seeking = forms.CharField(
        label=_("What we are looking for"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, event: Event, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if not event.matchmaking:
            del self.fields["offer"], self.fields["seeking"]
        self.questions = list(event.questions.all())
        for q in self.questions:
            self.fields[f"q{q.pk}"] = _question_field(q)

    @property
    def question_fields(self) -> list:
        return [self[f"q{q.pk}"] for q in self.questions]

    def answers(self) -> dict[str, object]:
        return {str(q.pk): self.cleaned_data.get(f"q{q.pk}") for q in self.questions}


def _question_field(q: Question) -> forms.Field:
    common = {"label": q.label, "help_text": q.help_text, "required": q.required}
    choices = [(c, c) for c in q.choice_list]
    if q.kind == Question.Kind.LONG:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common)
    if q.kind == Question.Kind.CHOICE:
        return forms.ChoiceField(choices=[("", "—"), *choices], **common)
    if q.kind == Question.Kind.MULTIPLE:
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    if q.kind == Question.Kind.YES_NO:
        return forms.TypedChoiceField(choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))], **common)
    return forms.CharField(max_length=500, **common)


class RequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why you would like to meet: it helps them say yes."),
    )


class StatusForm(forms.Form):
    """Organisers change the status of the registrations ticked."""

    status = forms.ChoiceField(choices=Registration.Status.choices, label=_("Set status"))
    registrations = ModelMultipleChoiceField(queryset=Registration.objects.none())

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registrations"].queryset = event.registrations.all()
        self.fields["registrations"].error_messages["required"] = _("Tick at least one participant.")


class MeetingForm(forms.Form):
    first = forms.ModelChoiceField(queryset=Registration.objects.none(), label=_("Participant"))
    second = forms.ModelChoiceField(queryset=Registration.objects.none(), label=_("meets"))
    session = forms.ModelChoiceField(queryset=Session.objects.none(), required=False, label=_("Only in session"))

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        people = event.registrations.filter(status__in=Registration.ACTIVE).select_related("organisation", "user")
        for name in ("first", "second"):
            self.fields[name].queryset = people
            self.fields[name].label_from_instance = lambda r: f"{r.organisation} ({r.user})"
        self.fields["session"].queryset = event.sessions.all()
        self.fields["session"].label_from_instance = lambda s: s.name


class MoveForm(forms.Form):
    slot = forms.ChoiceField(label=_("Slot"), required=False)
    table = forms.IntegerField(label=_("Table"), min_value=1, max_value=TABLES_MAX, required=False)
    locked = forms.BooleanField(label=_("Lock here"), required=False, initial=True)

    def __init__(self, *args, slots, tz: zoneinfo.ZoneInfo, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = [("", _("Not scheduled"))] + [
            (s.id, f"{s.session.name} · {s.starts.astimezone(tz):%d.%m %H:%M}") for s in slots
        ]


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["held", "interest", "note"]
        widgets = {"held": forms.RadioSelect, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held"].choices = Outcome.Held.choices  # no empty radio button
        self.fields["interest"].choices = [("", _("Choose…")), *Outcome.Interest.choices]
