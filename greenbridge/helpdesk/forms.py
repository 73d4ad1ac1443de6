"""Forms of the help desk. Bounds are the models' (forms, API and models agree)."""

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from greenbridge.core.forms import ListField

from .models import SUBJECT_MAX, TEXT_MAX, CannedReply, Priority, Queue, Ticket

# While the requester types the subject (or picks another queue), the articles that may answer the question already
# (helpdesk:suggest, a knowledge-base partial) appear under it.
_SUGGEST = {
    "hx-get": reverse_lazy("helpdesk:suggest"),
    "hx-target": "#kb-suggestions",
    "hx-swap": "outerHTML",
    "hx-include": "#id_queue, #id_subject",
    "hx-sync": "closest form:replace",
}


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

    def __init__(self, *args, queues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = queues
        self.fields["queue"].label_from_instance = lambda q: f"{q.name} ({q.organisation.name})"


class ReplyForm(forms.Form):
    text = forms.CharField(label=_("Reply"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6}))


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
    score = forms.TypedChoiceField(
        label=_("How well was your question answered?"), choices=[(n, n) for n in range(1, 6)], coerce=int
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class BulkForm(forms.Form):
    """The same change to the tickets ticked in the list: assign, set a status, or merge them into the oldest."""

    ACTIONS = [("assign", _("Assign to")), ("status", _("Set the status")), ("merge", _("Merge into the oldest"))]
    tickets = forms.ModelMultipleChoiceField(queryset=Ticket.objects.none(), label=_("Tickets"))
    action = forms.ChoiceField(label=_("Change"), choices=ACTIONS)
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
