"""The forms of an assessment: one page per dimension, built from the questionnaire version, in the reader's
language. Every field is optional on a page (a draft keeps whatever was typed); required questions are
checked when the assessment is submitted."""

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenbridge.core.bounds import DayFormField
from greenbridge.core.widgets import DateInput

from .format import MAX_TEXT_ANSWER, Dimension, Questionnaire
from .models import Action, Assessment

YES_PARTLY_NO_CHOICES = [("yes", _("Yes")), ("partly", _("Partly")), ("no", _("No"))]
ROW_TYPES = ("grid", "scale", "yes_partly_no")


def row_field(qid: str, row: str) -> str:
    return f"{qid}__{row}"


class DimensionForm(forms.Form):
    """The questions of one dimension. `blocks` lists them in order for the template: (question, its text,
    help, and its field or its rows' fields with their labels)."""

    def __init__(self, *args, spec: Questionnaire, dimension: Dimension, language: str, answers: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.spec, self.dimension = spec, dimension
        t = lambda value: spec.text(value, language)  # noqa: E731
        self.blocks: list[dict[str, Any]] = []
        for q in dimension.questions:
            answer = answers.get(q.id)
            block = {"question": q, "text": t(q.text), "help": t(q.help), "required": q.is_required, "rows": []}
            if q.type in ROW_TYPES:
                if q.type == "grid":
                    choices = [(c.id, t(c.label)) for c in q.columns]
                    block["columns"] = [label for _, label in choices]
                elif q.type == "scale":
                    choices = [(str(v), str(v)) for v in range(q.scale.min, q.scale.max + 1)]
                    block["columns"] = [(v, t(q.scale.labels.get(v))) for v in range(q.scale.min, q.scale.max + 1)]
                else:
                    choices = YES_PARTLY_NO_CHOICES
                    block["columns"] = [label for _, label in choices]
                for row in q.rows:
                    name = row_field(q.id, row.id)
                    given = (answer or {}).get(row.id)
                    if q.type == "grid":
                        field = forms.MultipleChoiceField(
                            choices=choices, required=False, widget=forms.CheckboxSelectMultiple, label=t(row.label)
                        )
                    else:
                        field = forms.ChoiceField(
                            choices=choices, required=False, widget=forms.RadioSelect, label=t(row.label)
                        )
                        given = None if given is None else str(given)
                    field.initial = given
                    self.fields[name] = field
                    block["rows"].append(name)
            else:
                label = t(q.text)
                if q.type == "multiple_choice":
                    field = forms.MultipleChoiceField(
                        choices=[(o.id, t(o.label)) for o in q.options],
                        required=False,
                        widget=forms.CheckboxSelectMultiple,
                        label=label,
                    )
                elif q.type == "single_choice":
                    field = forms.ChoiceField(
                        choices=[(o.id, t(o.label)) for o in q.options],
                        required=False,
                        widget=forms.RadioSelect,
                        label=label,
                    )
                elif q.type == "number":
                    field = forms.FloatField(
                        required=False,
                        label=label,
                        min_value=_number(q.min if q.min is not None else -1e15),
                        max_value=_number(q.max if q.max is not None else 1e15),
                        widget=forms.NumberInput(attrs={"step": "any"}),
                    )
                    block["unit"] = t(q.unit)
                else:
                    field = forms.CharField(
                        required=False,
                        label=label,
                        max_length=MAX_TEXT_ANSWER,
                        widget=forms.Textarea(attrs={"rows": 4}),
                    )
                if q.type == "number" and isinstance(answer, float) and answer.is_integer():
                    answer = int(answer)  # "3 countries", not "3.0"
                field.initial = answer
                self.fields[q.id] = field
                block["field"] = q.id
            self.blocks.append(block)

    def bound_blocks(self) -> list[dict[str, Any]]:
        out = []
        for block in self.blocks:
            b = dict(block)
            if "field" in block:
                b["field"] = self[block["field"]]
            b["rows"] = [self[name] for name in block["rows"]]
            out.append(b)
        return out

    def answers(self) -> dict[str, Any]:
        """This page's answers in the questionnaire's shape (None: not answered)."""
        data = self.cleaned_data
        out: dict[str, Any] = {}
        for q in self.dimension.questions:
            if q.type in ROW_TYPES:
                rows: dict[str, Any] = {}
                for row in q.rows:
                    value = data.get(row_field(q.id, row.id))
                    if value in (None, "", []):
                        continue
                    rows[row.id] = int(value) if q.type == "scale" else value
                # Checkboxes left empty on a saved page are an answer: none of these.
                out[q.id] = rows if rows or q.type == "grid" else None
            else:
                value = data.get(q.id)
                if q.type == "multiple_choice":
                    out[q.id] = value or []
                elif q.type == "number" and value is not None and float(value).is_integer():
                    out[q.id] = int(value)
                else:
                    out[q.id] = None if value in (None, "") else value
        return out


class StartForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label=_("Organisation"))
    questionnaire = forms.ChoiceField(label=_("Questionnaire"))
    stage = forms.ChoiceField(choices=Assessment.Stage.choices, label=_("Stage"), initial=Assessment.Stage.T0)
    taken_on = forms.DateField(label=_("Date"), widget=DateInput, initial=timezone.localdate)

    def __init__(self, *args, organisations, questionnaires, language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()
        self.questionnaires = {q.slug: q for q in questionnaires}
        self.fields["questionnaire"].choices = [(q.slug, q.spec.text(q.title, language)) for q in questionnaires]

    def clean_taken_on(self):
        day = self.cleaned_data["taken_on"]
        today = timezone.localdate()
        if day.year < 2000 or (day - today).days > 366:
            raise forms.ValidationError(_("Give a date from 2000 to a year from now."))
        return day

    def clean_questionnaire(self):
        return self.questionnaires[self.cleaned_data["questionnaire"]]


class CommentForm(forms.Form):
    dimension = forms.ChoiceField(label=_("Dimension"))
    text = forms.CharField(label=_("Comment"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, dimensions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].choices = dimensions


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Action"), max_length=200)
    dimension = forms.ChoiceField(label=_("Dimension"), required=False)
    owner = forms.ModelChoiceField(queryset=None, label=_("Who"), required=False)
    due = DayFormField(label=_("Due"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices, initial=Action.Status.PLANNED)
    service = forms.ModelChoiceField(
        queryset=None, label=_("With the service"), required=False, help_text=_("A service of the portfolio.")
    )

    def __init__(self, *args, dimensions: list[tuple[str, str]], people, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].choices = [("", _("Any")), *dimensions]
        self.fields["owner"].queryset = people
        self.fields["owner"].label_from_instance = lambda user: str(user)
        if services is None:  # no app offers services (assessments.signals.plan_services)
            del self.fields["service"]
        else:
            self.fields["service"].queryset = services
            self.fields["service"].label_from_instance = lambda service: f"{service.name} ({service.provider.name})"

    def clean(self):
        data = super().clean()
        due, status = data.get("due"), data.get("status")
        open_ = status in (Action.Status.PLANNED, Action.Status.IN_PROGRESS)
        if due and open_ and due < timezone.localdate():
            self.add_error("due", _("An action still to do is due today or later."))
        return data


def _number(value: float) -> float | int:
    """A bound as the error message should write it: 100, not 100.0."""
    return int(value) if float(value).is_integer() else value
