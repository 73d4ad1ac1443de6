"""Forms of the help desk. Bounds are the models' (forms, API and models agree)."""

from datetime import date

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from greenbridge.core.errors import Refused
from greenbridge.core.forms import ListField, ModelMultipleChoiceField

from . import attachments
from .models import SUBJECT_MAX, TEXT_MAX, CannedReply, Priority, Queue, Ticket
from .reports import MAX_MONTHS

# While the requester types the subject (or picks another queue), the articles that may answer the question already
# (helpdesk:suggest, a knowledge-base partial) appear under it.
_SUGGEST = {
    "hx-get": reverse_lazy("helpdesk:suggest"),
    "hx-target": "#kb-suggestions",
    "hx-swap": "outerHTML",
    "hx-include": "#id_queue, #id_subject",
    "hx-sync": "closest form:replace",
}


class _FilesInput(forms.FileInput):  # not ClearableFileInput: nothing to clear, and its "clear" box is not a file
    allow_multiple_selected = True


def _files_help_text() -> str:
    return gettext("Up to %(n)s files (a scan, a PDF, a spreadsheet…), at most %(mb)s MB each.") % {
        "n": attachments.MAX_FILES,
        "mb": settings.MAX_UPLOAD_MB,
    }


_files_help = lazy(_files_help_text, str)


class AttachmentsField(forms.FileField):
    """Files to go with a question or a reply (helpdesk.attachments: size, type, never a program), each refused by
    name in one error."""

    widget = _FilesInput

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Attach files"))
        kwargs.setdefault("help_text", _files_help())  # said in the reader's language when the form is drawn
        super().__init__(required=False, **kwargs)

    def clean(self, data, initial=None) -> list[attachments.File]:
        uploads = [u for u in (data if isinstance(data, list | tuple) else [data]) if isinstance(u, UploadedFile)]
        if len(uploads) > attachments.MAX_FILES:
            raise forms.ValidationError(_("At most %(n)s files at once."), params={"n": attachments.MAX_FILES})
        kept, refused = [], []
        for upload in uploads:
            try:
                attachments.check_size(upload.name, upload.size)  # before it is read
                kept.append(attachments.checked(upload.name, upload.read(), upload.content_type or ""))
            except Refused as exc:
                refused.append(str(exc))
        if refused:
            raise forms.ValidationError("; ".join(refused))
        return kept


class TicketForm(forms.Form):
    queue = forms.ModelChoiceField(
        queryset=Queue.objects.none(),
        label=_("Ask"),
        empty_label=None,
        widget=forms.Select(attrs={**_SUGGEST, "hx-trigger": "change"}),
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=SUBJECT_MAX,
        widget=forms.TextInput(attrs={**_SUGGEST, "hx-trigger": "keyup changed delay:300ms", "autocomplete": "off"}),
    )
    text = forms.CharField(label=_("Your question"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 8}))
    attachments = AttachmentsField()

    def __init__(self, *args, queues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = queues
        self.fields["queue"].label_from_instance = lambda q: f"{q.name} ({q.organisation.name})"


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6}))
    attachments = AttachmentsField()


class StaffReplyForm(ReplyForm):
    internal = forms.BooleanField(label=_("Internal note (never sent, never shown to the company)"), required=False)
    status = forms.ChoiceField(label=_("Then"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Keep the status")), *Ticket.Status.choices]


class ChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Ticket.Status.choices)
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    assignee = forms.ModelChoiceField(queryset=None, label=_("Assigned to"), required=False)
    tags = ListField(label=_("Tags"), required=False, max_items=20, max_length=40)

    def __init__(self, *args, agents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = agents


class RatingForm(forms.Form):
    # From 5 down to 1: drawn as stars (core/_stars.html), lit from the first to the one chosen.
    score = forms.TypedChoiceField(
        label=_("How well was your question answered?"),
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class BulkForm(forms.Form):
    """The same change to the tickets ticked in the list: assign, set a status, or merge them into the oldest."""

    ACTIONS = [("assign", _("Assign to")), ("status", _("Set the status")), ("merge", _("Merge into the oldest"))]
    tickets = ModelMultipleChoiceField(queryset=Ticket.objects.none(), label=_("Tickets"))
    action = forms.ChoiceField(label=pgettext_lazy("bulk action", "Change"), choices=ACTIONS)
    assignee = forms.ModelChoiceField(queryset=None, label=_("Assigned to"), required=False, empty_label=_("nobody"))
    status = forms.ChoiceField(label=_("Status"), choices=Ticket.Status.choices, required=False)

    def __init__(self, *args, tickets, agents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tickets"].queryset = tickets
        self.fields["assignee"].queryset = agents

    def clean(self):
        data = super().clean()
        if data.get("action") == "status" and not data.get("status"):
            self.add_error("status", _("Choose the status."))
        if data.get("action") == "merge" and len(data.get("tickets") or []) < 2:
            self.add_error("tickets", _("Tick at least two tickets to merge."))
        return data


class CannedReplyForm(forms.ModelForm):
    class Meta:
        model = CannedReply
        fields = ["title", "language", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}
        help_texts = {
            "body": _(
                "Placeholders filled in when it is used: {requester}, {company}, {reference}, {subject}, {queue}, "
                "{advisor}."
            )
        }


class EngagementForm(forms.Form):
    service = forms.ModelChoiceField(queryset=None, label=_("Service"))

    def __init__(self, *args, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = services


class ReportForm(forms.Form):
    """The report's filters: a queue of those the reader may see, an advisor (or the unassigned tickets) and the
    months, from and to (YYYY-MM, as a browser's month field sends them)."""

    queue = forms.ModelChoiceField(queryset=Queue.objects.none(), label=_("Queue"), required=False)
    advisor = forms.ChoiceField(label=_("Advisor"), required=False)
    since = forms.CharField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "month"}))
    until = forms.CharField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "month"}))

    def __init__(self, *args, queues, advisors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = queues
        self.fields["queue"].label_from_instance = lambda q: f"{q.name} ({q.organisation.name})"
        self.fields["queue"].empty_label = _("All your queues")
        self.fields["advisor"].choices = [
            ("", _("Everyone")),
            ("none", _("Not assigned")),
            *[(str(a.pk), str(a)) for a in advisors],
        ]

    @staticmethod
    def _month(value: str) -> date:
        try:
            year, month = (int(part) for part in value.strip().split("-"))
            day = date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(_("Write a month as YYYY-MM, e.g. 2026-03.")) from None
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Choose a month from 2000 to 2100."))
        return day

    def clean_since(self):
        value = self.cleaned_data["since"]
        return self._month(value) if value else None

    def clean_until(self):
        value = self.cleaned_data["until"]
        return self._month(value) if value else None

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The last month comes after the first."))
        elif since and until and (until.year - since.year) * 12 + until.month - since.month >= MAX_MONTHS:
            self.add_error("since", _("A report covers at most %(n)s months.") % {"n": MAX_MONTHS})
        return data
