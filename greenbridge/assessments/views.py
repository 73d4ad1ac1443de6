"""Taking an assessment (start, one page per dimension, save a draft, submit) and its results. Thin: reads
through selectors, changes through services, permissions through rules."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries import countries

from greenbridge.core import drafts
from greenbridge.core.errors import Refused
from greenbridge.core.forms import form_problems
from greenbridge.core.http import csv_response, spreadsheet_safe, xlsx_response
from greenbridge.core.signals import first_answer, page_sections, side_sections
from greenbridge.orgs.models import Organisation
from greenbridge.orgs.selectors import clusters_staffed_by, organisations_with_private_access
from greenbridge.reference.lexicon import nace_label

from . import selectors, services, signals
from .forms import ActionForm, CommentForm, DimensionForm, StartForm
from .models import Action, Assessment
from .radar import radar
from .report import report_pdf

MEMBERS_PER_PAGE = 50


def _language() -> str:
    return (get_language() or "en").split("-")[0]


def _assessment(request, pk: int, perm: str = "assessments.view_assessment") -> Assessment:
    assessment = get_object_or_404(Assessment.objects.select_related("organisation", "questionnaire"), pk=pk)
    if not rules.has_perm(perm, request.user, assessment):
        raise PermissionDenied
    return assessment


@login_required
def assessment_list(request):
    organisations = organisations_with_private_access(user=request.user).order_by("name")
    questionnaires = selectors.questionnaires_offered()
    form = StartForm(organisations=organisations, questionnaires=questionnaires, language=_language())
    return _list(request, form, can_start=organisations.exists() and bool(questionnaires))


LIST_PAGE = 25  # assessments a page


def _list(request, form: StartForm, *, can_start: bool, status: int = 200):
    """The assessments the person may see, 25 a page; `?org=<slug>`: one organisation's (a cluster's staff see
    every sharing member's)."""
    assessments = selectors.assessments_for(user=request.user)
    shown = Organisation.objects.filter(pk__in=assessments.values("organisation")).order_by("name")
    chosen = next((o for o in shown if o.slug == request.GET.get("org")), None)
    if chosen is not None:
        assessments = assessments.filter(organisation=chosen)
    context = {
        "page": Paginator(assessments, LIST_PAGE).get_page(request.GET.get("page")),
        "organisations": shown if len(shown) > 1 else [],
        "chosen": chosen,
        "form": form,
        "can_start": can_start,
        "clusters": clusters_staffed_by(user=request.user),
    }
    return render(request, "assessments/assessment_list.html", context, status=status)


@login_required
def assessment_start(request):
    if request.method != "POST":
        return redirect("assessments:list")
    organisations = organisations_with_private_access(user=request.user).order_by("name")
    form = StartForm(
        request.POST,
        organisations=organisations,
        questionnaires=selectors.questionnaires_offered(),
        language=_language(),
    )
    if not form.is_valid():
        return _list(request, form, can_start=True, status=400)
    data = form.cleaned_data
    if not rules.has_perm("assessments.take_for", request.user, data["organisation"]):
        raise PermissionDenied
    assessment = services.assessment_start(
        organisation=data["organisation"],
        questionnaire=data["questionnaire"],
        stage=data["stage"],
        taken_on=data["taken_on"],
        user=request.user,
    )
    return redirect("assessments:page", pk=assessment.pk, page=1)


def _answered(scorer, answers: dict, unanswered: set[str]) -> int:
    """How many questions of the whole questionnaire are answered (required ones fully, optional ones at all)."""
    return sum(1 for qid, q in scorer.questions.items() if qid not in unanswered and (q.is_required or qid in answers))


@login_required
def assessment_page(request, pk: int, page: int):
    assessment = _assessment(request, pk)
    if assessment.status != Assessment.Status.DRAFT:
        return redirect("assessments:detail", pk=pk)
    if not rules.has_perm("assessments.change_assessment", request.user, assessment):
        raise PermissionDenied
    spec = assessment.questionnaire.spec
    pages = spec.dimensions
    if not 1 <= page <= len(pages):
        raise Http404
    dimension = pages[page - 1]
    language = _language()
    form = DimensionForm(
        request.POST or None, spec=spec, dimension=dimension, language=language, answers=assessment.answers
    )
    missing: list[str] = []
    if request.method == "POST":
        if form.is_valid():
            services.assessment_save_answers(assessment=assessment, answers=form.answers())
            action = request.POST.get("action", "next")
            if action == "previous" and page > 1:
                return redirect("assessments:page", pk=pk, page=page - 1)
            if action == "next" and page < len(pages):
                return redirect("assessments:page", pk=pk, page=page + 1)
            if action == "submit":
                try:
                    missing = services.assessment_submit(assessment=assessment, user=request.user)
                except Refused as exc:
                    messages.error(request, str(exc))
                    return redirect("assessments:detail", pk=pk)
                if not missing:
                    messages.success(request, _("Assessment submitted. Here are your results."))
                    return redirect("assessments:detail", pk=pk)
                assessment.refresh_from_db()
            if action == "save":
                messages.success(request, _("Draft saved. You can come back to it at any time."))
                return redirect("assessments:page", pk=pk, page=page)
        else:
            messages.error(request, _("Some answers could not be kept: see the messages below."))
    scorer = assessment.questionnaire.scorer
    unanswered = set(scorer.unanswered(assessment.answers))
    missing_items = [
        {
            "id": qid,
            "text": spec.text(scorer.questions[qid].text, language),
            "page": [d.id for d in pages].index(scorer.dimension_of[qid]) + 1,
        }
        for qid in missing
    ]
    steps = []
    for n, dim in enumerate(pages, 1):
        done = not any(q.id in unanswered for q in dim.questions)
        steps.append({"n": n, "name": spec.text(dim.name, language), "current": n == page, "done": done})
    context = {
        "assessment": assessment,
        "spec": spec,
        "title": spec.text(spec.title, language),
        "dimension": dimension,
        "dimension_name": spec.text(dimension.name, language),
        "dimension_description": spec.text(dimension.description, language),
        "form": form,
        "blocks": form.bound_blocks(),
        "page": page,
        "pages": len(pages),
        "steps": steps,
        "answered": _answered(scorer, assessment.answers, unanswered),
        "total": len(scorer.questions),
        "missing": missing_items,
    }
    return render(request, "assessments/assessment_page.html", context, status=400 if missing else 200)


@login_required
def assessment_detail(request, pk: int):
    assessment = _assessment(request, pk)
    if assessment.status == Assessment.Status.DRAFT:  # where it was left: the first page with a question unanswered
        return redirect("assessments:page", pk=pk, page=_resume_page(assessment))
    refused, data = drafts.take(request, assessment)
    return render(request, "assessments/assessment_detail.html", _results(request, assessment, refused, data))


def _resume_page(assessment: Assessment) -> int:
    """The first page (1-based) with a question left unanswered; the last page when every one is answered."""
    order = [d.id for d in assessment.questionnaire.spec.dimensions]
    scorer = assessment.questionnaire.scorer
    pages = [order.index(scorer.dimension_of[q]) + 1 for q in scorer.unanswered(assessment.answers)]
    return min(pages, default=len(order))


@login_required
def assessment_report(request, pk: int):
    """The results as a PDF in the reader's language: scores, chart, comparison, cohort, comments, action plan."""
    assessment = _assessment(request, pk)
    if assessment.status == Assessment.Status.DRAFT:
        raise Http404
    context = _results(request, assessment)
    html = render_to_string("assessments/report.html", {**context, "generated": timezone.now()}, request=request)
    pdf = report_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{assessment.organisation.slug}-{assessment.questionnaire.slug}-{assessment.stage}-{assessment.taken_on}"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


def _plan_services(assessment: Assessment):
    return first_answer(signals.plan_services, sender=Organisation, organisation=assessment.organisation)


def _results(request, assessment: Assessment, refused: str = "", data=None) -> dict:
    """What the results page and the PDF report show; on the page, a refused comment or action form (`refused`)
    comes back bound to what was typed (`data`, core.drafts)."""
    spec = assessment.questionnaire.spec
    language = _language()
    previous = selectors.previous_assessment(assessment=assessment)
    rows = []
    for dim in spec.dimensions:
        score = assessment.dimension_scores.get(dim.id, 0.0)
        before = previous.dimension_scores.get(dim.id) if previous else None
        rows.append(
            {
                "name": spec.text(dim.name, language),
                "description": spec.text(dim.description, language),
                "score": score,
                "before": before,
                "change": None if before is None else score - before,
            }
        )
    cohort = selectors.cohort_position(assessment=assessment)
    if cohort is not None:
        for dim, row in zip(spec.dimensions, rows, strict=True):
            row["cohort"] = cohort.dimensions.get(dim.id)
    band = next((b for b in spec.bands if b.id == assessment.band), None)
    chart = radar(
        [r["name"] for r in rows],
        [r["score"] for r in rows],
        [r["before"] or 0.0 for r in rows] if previous else None,
    )
    dimension_choices = [(d.id, spec.text(d.name, language)) for d in spec.dimensions]
    names = dict(dimension_choices)
    comments: dict[str, list] = {}
    for comment in assessment.comments.select_related("author"):
        comments.setdefault(comment.dimension, []).append(comment)
    for dim, row in zip(spec.dimensions, rows, strict=True):
        row["comments"] = comments.get(dim.id, [])
    has_comments = bool(comments)
    actions = list(assessment.actions.select_related("owner", "service", "service__provider"))
    for action in actions:
        action.dimension_name = names.get(action.dimension, "")
    # The company's own people read "your"; its cluster's advisors read the company's name.
    own = request.user.is_authenticated and assessment.organisation.memberships.filter(user=request.user).exists()
    can_plan = rules.has_perm("assessments.plan", request.user, assessment)
    people = selectors.plan_people(assessment=assessment)
    return {
        "assessment": assessment,
        "actions": actions,
        "has_comments": has_comments,
        "own": own,
        "comment_form": CommentForm(data if refused == "comment" else None, dimensions=dimension_choices)
        if rules.has_perm("assessments.comment", request.user, assessment)
        else None,
        "action_form": ActionForm(
            data if refused == "action" else None,
            dimensions=dimension_choices,
            people=people,
            services=_plan_services(assessment),
        )
        if can_plan
        else None,
        "sections": page_sections(
            signals.results_page,
            sender=Assessment,
            assessment=assessment,
            request=request,
            language=language,
            cohort=cohort,
            own=own,
        )
        + page_sections(side_sections, sender=Assessment, obj=assessment, request=request),
        "can_plan": can_plan,
        "status_choices": Action.Status.choices,
        "can_agree": rules.has_perm("assessments.agree_plan", request.user, assessment) and bool(actions),
        "title": spec.text(spec.title, language),
        "about": spec.text(spec.description, language),
        "rule": spec.text(spec.scoring.rule, language),
        "band": spec.text(band.label, language) if band else assessment.band,
        "band_description": spec.text(band.description, language) if band else "",
        "rows": rows,
        "chart": chart,
        "previous": previous,
        "cohort": cohort,
        "min_cohort": selectors.MIN_COHORT,
        "cohort_described": _cohort_described(cohort) if cohort else "",
    }


def _cohort_described(cohort) -> str:
    """What the organisations of a cohort share, in words: "water supply, sewerage, waste (E) · small · Romania"."""
    parts = []
    if "sector" in cohort.by:
        label = nace_label(cohort.sector)
        if label.isupper():  # NACE's sections are written in capitals
            label = label[:1] + label[1:].lower()
        parts.append(f"{label} ({cohort.sector})")
    if "size" in cohort.by:
        parts.append(str(dict(Organisation.Size.choices).get(cohort.size_class, cohort.size_class)))
    if "country" in cohort.by:
        parts.append(str(countries.name(cohort.country)))
    return " · ".join(parts) or _("every organisation on the platform")


def _cluster_view(request, slug: str):
    cluster = get_object_or_404(Organisation, slug=slug)
    if not rules.has_perm("assessments.view_cluster", request.user, cluster):
        raise PermissionDenied
    offered = selectors.questionnaires_offered()
    if not offered:
        raise Http404
    chosen = next((q for q in offered if q.slug == request.GET.get("questionnaire")), offered[0])
    return (
        cluster,
        offered,
        chosen,
        selectors.cluster_assessments(user=request.user, cluster=cluster, questionnaire=chosen),
    )


@login_required
def cluster_assessments(request, slug: str):
    """A cluster's members and their assessments of one questionnaire: who took it, the spread per dimension, who
    improved, who has not yet; only the members that share their private data with the cluster."""
    cluster, offered, chosen, view = _cluster_view(request, slug)
    language = _language()
    spec = chosen.spec
    names = {d.id: spec.text(d.name, language) for d in spec.dimensions}
    dimensions = []
    for dim, spread in view.dimensions:
        width = spread["high"] - spread["low"] if spread["median"] is not None else 0
        dimensions.append((names[dim], {**spread, "width": max(width, 1.0)}))
    # Members assessed twice first, by how much they changed (the most improved first), then the others by name;
    # a page at a time.
    ordered = view.changed + [r for r in view.rows if r.change is None]
    page = Paginator(ordered, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "cluster": cluster,
        "offered": offered,
        "chosen": chosen,
        "view": view,
        "dimensions": dimensions,
        "page": page,
    }
    return render(request, "assessments/cluster.html", context)


@login_required
def cluster_export(request, slug: str, fmt: str):
    cluster, _offered, chosen, view = _cluster_view(request, slug)
    language = _language()
    spec = chosen.spec
    dims = [d.id for d in spec.dimensions]
    header = [
        _("Member"), _("Country"), _("Shares private data"), _("First: stage"), _("First: date"), _("First: score"),
        _("Latest: stage"), _("Latest: date"), _("Latest: score"), _("Band"), pgettext("score difference", "Change"),
        *(spec.text(d.name, language) for d in spec.dimensions),
    ]  # fmt: skip
    bands = {b.id: spec.text(b.label, language) for b in spec.bands}
    rows = [header]
    for r in view.rows:
        first, latest = r.first, r.latest
        rows.append(
            [
                spreadsheet_safe(r.member.name), str(r.member.country), _("yes") if r.shares else _("no"),
                first.stage if first else "", first.taken_on.isoformat() if first else "",
                round(first.overall, 1) if first else "",
                latest.stage if latest else "", latest.taken_on.isoformat() if latest else "",
                round(latest.overall, 1) if latest else "", bands.get(latest.band, latest.band) if latest else "",
                round(r.change, 1) if r.change is not None else "",
                *((round(latest.dimension_scores.get(d, 0.0), 1) if latest else "") for d in dims),
            ]
        )  # fmt: skip
    name = f"{cluster.slug}-{chosen.slug}"
    if fmt == "csv":
        return csv_response(rows, name)
    if fmt == "xlsx":
        return xlsx_response(rows, name, _("Assessments"))
    raise Http404


# -- the review: comments and the action plan (POST only; back to the results page) ------------------------------


def _review(request, pk: int, perm: str) -> tuple[Assessment, list[tuple[str, str]]]:
    assessment = _assessment(request, pk, perm)
    spec = assessment.questionnaire.spec
    return assessment, [(d.id, spec.text(d.name, _language())) for d in spec.dimensions]


def _back(assessment: Assessment, anchor: str):
    return redirect(reverse("assessments:detail", kwargs={"pk": assessment.pk}) + f"#{anchor}")


@login_required
@require_POST
def comment_add(request, pk: int):
    assessment, dimensions = _review(request, pk, "assessments.comment")
    form = CommentForm(request.POST, dimensions=dimensions)
    if form.is_valid():
        services.comment_add(assessment=assessment, user=request.user, **form.cleaned_data)
        messages.success(request, _("Comment added."))
    else:
        messages.error(request, _("The comment was not added: %(problems)s") % {"problems": form_problems(form)})
        drafts.keep(request, assessment, "comment")
    return _back(assessment, "review")


@login_required
@require_POST
def action_add(request, pk: int):
    assessment, dimensions = _review(request, pk, "assessments.plan")
    form = ActionForm(
        request.POST,
        dimensions=dimensions,
        people=selectors.plan_people(assessment=assessment),
        services=_plan_services(assessment),
    )
    if form.is_valid():
        services.action_save(assessment=assessment, user=request.user, data=form.cleaned_data)
        messages.success(request, _("Action added to the plan."))
    else:
        messages.error(request, _("The action was not added: %(problems)s") % {"problems": form_problems(form)})
        drafts.keep(request, assessment, "action")
    return _back(assessment, "plan")


@login_required
@require_POST
def action_status(request, pk: int, action_pk: int):
    assessment, _dimensions = _review(request, pk, "assessments.plan")
    action = get_object_or_404(Action, pk=action_pk, assessment=assessment)
    status = request.POST.get("status", "")
    if status not in Action.Status.values:
        messages.error(request, _("Choose a status from the list."))
    else:
        services.action_save(assessment=assessment, user=request.user, data={"status": status}, action=action)
        messages.success(request, _("Status changed."))
    return _back(assessment, "plan")


@login_required
@require_POST
def plan_agree(request, pk: int):
    assessment, _dimensions = _review(request, pk, "assessments.agree_plan")
    try:
        services.plan_agree(assessment=assessment, user=request.user)
    except Refused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("You agreed the action plan. Your cluster's advisors see it."))
    return _back(assessment, "plan")
