"""The joint internationalisation strategy: the list, a new draft, the document with its sections (each edited
in place), target markets from the ranking, comments, versions and their comparison, the change log, members,
and the exports (DOCX, PDF, the roadmap as .ics)."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from greenbridge.core import drafts
from greenbridge.core.forms import form_problems
from greenbridge.core.http import calendar_response
from greenbridge.events.models import Event
from greenbridge.market import ranking
from greenbridge.market.templatetags.market import eur, share
from greenbridge.market.views import ranking_context, saved_weights
from greenbridge.orgs.models import Organisation
from greenbridge.orgs.selectors import (
    BUYER_KINDS,
    clusters_staffed_by,
    organisations_of_user,
    organisations_with_private_access,
)
from greenbridge.partnering.models import Partnership

from . import exports
from .forms import ITEM_FORMS, CommentForm, StrategyForm, text_form
from .models import Comment, Member, Strategy, SwotItem, TargetMarket
from .rules import role_of
from .sections import ITEMS, SECTIONS, TEXTS, compare, gantt, text_of
from .services import log_change, market_choose, strategy_create, version_publish


def _strategy(request, pk: int, perm: str = "strategy.view_strategy") -> Strategy:
    strategy = get_object_or_404(Strategy.objects.select_related("partnership"), pk=pk)
    if not rules.has_perm(perm, request.user, strategy):
        raise PermissionDenied
    return strategy


def _writers(user):
    """The organisations a person may start a strategy for: the clusters and BSOs they are manager or advisor of
    (companies and others take part as editors or readers, added by the owner)."""
    return clusters_staffed_by(user=user).order_by("name")


def strategies_of(user):
    mine = organisations_of_user(user=user).values("pk")
    return Strategy.objects.filter(members__organisation__in=mine).distinct().prefetch_related("members__organisation")


@login_required
def strategy_list(request):
    return render(
        request,
        "strategy/list.html",
        {"strategies": strategies_of(request.user), "can_start": _writers(request.user).exists()},
    )


@login_required
def strategy_new(request):
    owners = _writers(request.user)
    if not owners.exists():
        raise PermissionDenied
    partnerships = Partnership.objects.of_organisations(owners.values("pk")).order_by("-date")
    form = StrategyForm(request.POST or None, owners=owners, partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        strategy = strategy_create(
            user=request.user,
            owner=form.cleaned_data["owner"],
            title=form.cleaned_data["title"],
            partnership=form.cleaned_data["partnership"],
        )
        return redirect(strategy)
    return render(request, "strategy/new.html", {"form": form})


def _evidence(request, strategy: Strategy) -> list[tuple[str, str, str]]:
    """What a SWOT item may cite: the target markets' figures (frozen when chosen), the partnership, and the
    owner cluster's members' assessments (the spread of each dimension)."""
    out = []
    for m in strategy.markets.all():
        f, name, link = m.figures, m.country.name, m.today_url
        if f.get("value_eur_total"):
            out.append((f"m{m.pk}-value", _("%(country)s: %(value)s in notices of the market (when chosen)")
                        % {"country": name, "value": eur(f["value_eur_total"])}, link))  # fmt: skip
        if f.get("foreign_winner_share") is not None:
            out.append((f"m{m.pk}-foreign", _("%(country)s: %(share)s of awards won by foreign firms")
                        % {"country": name, "share": share(f["foreign_winner_share"])}, link))  # fmt: skip
        if f.get("single_bid_share") is not None:
            out.append((f"m{m.pk}-single", _("%(country)s: %(share)s of awards after a single bid")
                        % {"country": name, "share": share(f["single_bid_share"])}, link))  # fmt: skip
    if strategy.partnership:
        out.append(("partnership", _("Partnership: %(title)s") % {"title": strategy.partnership.title},
                    reverse("partnering:partnership", args=[strategy.partnership.pk])))  # fmt: skip
    out += _cohort_evidence(request, strategy)
    return out


def _cohort_evidence(request, strategy: Strategy) -> list[tuple[str, str, str]]:
    from greenbridge.assessments.selectors import cluster_assessments, questionnaires_offered

    language = (get_language() or "en").split("-")[0]
    out = []
    clusters = [m.organisation for m in strategy.members.all() if m.organisation.is_cluster]
    for cluster in clusters:
        if not rules.has_perm("orgs.view_directory", request.user, cluster):
            continue
        for q in questionnaires_offered():
            view = cluster_assessments(user=request.user, cluster=cluster, questionnaire=q)
            if not view.assessed:
                continue
            names = {d.id: q.spec.text(d.name, language) for d in q.spec.dimensions}
            for dim, spread in view.dimensions:
                if spread["median"] is None:
                    continue
                label = _(
                    "%(cluster)s's members, %(questionnaire)s: %(dimension)s median %(median)s of 100, the weakest "
                    "dimension of %(weakest)s of %(assessed)s"
                ) % {
                    "cluster": cluster.name,
                    "questionnaire": q.spec.text(q.spec.title, language),
                    "dimension": names.get(dim, dim),
                    "median": f"{spread['median']:.0f}",
                    "weakest": spread["weakest"],
                    "assessed": view.assessed,
                }
                out.append(
                    (f"c{cluster.pk}-{q.slug}-{dim}", label, reverse("assessments:cluster", args=[cluster.slug]))
                )
    return out


def _item_form(request, strategy: Strategy, section: str, data=None, instance=None):
    """The form adding an item to a section (or, with `instance`, changing one), with the choices that section
    offers."""
    form_class = ITEM_FORMS[section]
    members = Organisation.objects.filter(strategy_roles__strategy=strategy)
    kwargs = {"prefix": f"add-{section}" if instance is None else f"edit-{section}", "instance": instance}
    if section == "swot":
        return form_class(data, evidence=_evidence(request, strategy), **kwargs)
    if section == "partners":
        visible = Organisation.objects.filter(
            Q(pk__in=members) | Q(pk__in=organisations_with_private_access(user=request.user))
            | Q(partnerships__in=Partnership.objects.of_organisations(members))
        ).distinct().order_by("name")  # fmt: skip
        return form_class(data, organisations=visible, **kwargs)
    if section == "roadmap":
        events = Event.objects.filter(organisers__in=members).distinct().order_by("-starts")
        return form_class(data, organisations=members.order_by("name"), events=events, **kwargs)
    return form_class(data, **kwargs)


def _member_choices(strategy: Strategy) -> list[Organisation]:
    """Whom an owner may add: every cluster and BSO, and the organisations its own organisations work with (met
    at events, exchanged interest with, their clusters' members), with the members already in."""
    from greenbridge.partnering.selectors import partner_choices

    ids = set(Organisation.objects.filter(kind__in=(Organisation.Kind.CLUSTER, Organisation.Kind.BSO)).values_list(
        "pk", flat=True))  # fmt: skip
    for member in strategy.members.select_related("organisation"):
        ids.add(member.organisation_id)
        if member.role == Member.Role.OWNER:
            ids.update(partner_choices(organisation=member.organisation).values_list("pk", flat=True))
    return list(Organisation.objects.filter(pk__in=ids).exclude(kind__in=BUYER_KINDS).order_by("name"))


@login_required
def strategy_detail(request, pk: int):
    strategy = _strategy(request, pk)
    role = role_of(request.user, strategy)
    can_edit = role in (Member.Role.OWNER, Member.Role.EDITOR)
    comments: dict[str, list[Comment]] = {}
    for c in strategy.comments.select_related("author"):
        comments.setdefault(c.section, []).append(c)
    activities = list(strategy.activities.select_related("owner", "event"))
    text_forms = {g: text_form(g)(instance=strategy, prefix=g) for g in TEXTS} if can_edit else {}
    item_forms = {s: _item_form(request, strategy, s) for s in ITEMS} if can_edit else {}
    drafted, data = drafts.take(request, strategy)
    if can_edit and drafted:
        kind, name = drafted.split(":", 1)
        if kind == "item" and name in ITEMS:
            item_forms[name] = _item_form(request, strategy, name, data)
        elif kind == "text" and name in TEXTS:
            text_forms[name] = text_form(name)(data, instance=strategy, prefix=name)
    parts = [
        {
            "key": key,
            "title": title,
            "text_form": text_forms.get(key),
            "item_form": item_forms.get(key),
            "comments": comments.get(key, []),
        }
        for key, title in SECTIONS.items()
    ]
    swot = list(strategy.swot.all())
    budget = list(strategy.budget.all())
    context = {
        "strategy": strategy,
        "role": Member.Role(role).label if role else "",
        "can_edit": can_edit,
        "is_owner": role == Member.Role.OWNER,
        "parts": parts,
        "markets": strategy.markets.all(),
        "swot": [(q, label, [i for i in swot if i.quadrant == q]) for q, label in SwotItem.Quadrant.choices],
        "activities": activities,
        "gantt": gantt(activities),
        "budget": budget,
        "budget_total": sum(b.amount for b in budget),
        "versions": strategy.versions.all()[:10],
        "members": strategy.members.select_related("organisation"),
        "member_choices": _member_choices(strategy) if role == Member.Role.OWNER else [],
        "member_roles": Member.Role.choices,
    }
    return render(request, "strategy/detail.html", context)


@login_required
@require_POST
def text_edit(request, pk: int, group: str):
    if group not in TEXTS:
        raise Http404
    strategy = _strategy(request, pk, "strategy.change_strategy")
    form = text_form(group)(request.POST, instance=strategy, prefix=group)
    if form.is_valid():
        changed = form.changed_data
        form.save()
        if changed:
            names = ", ".join(str(Strategy._meta.get_field(f).verbose_name) for f in changed)
            log_change(strategy, request.user, group, _("Edited: %(fields)s") % {"fields": names})
        messages.success(request, _("Saved."))
        return redirect(f"{strategy.get_absolute_url()}#section-{group}")
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    drafts.keep(request, strategy, f"text:{group}", group)
    return redirect(f"{strategy.get_absolute_url()}#section-{group}")


@login_required
@require_POST
def item_add(request, pk: int, section: str):
    if section not in ITEMS:
        raise Http404
    strategy = _strategy(request, pk, "strategy.change_strategy")
    form = _item_form(request, strategy, section, request.POST)
    if form.is_valid():
        item = form.save(commit=False)
        item.strategy = strategy
        item.save()
        log_change(strategy, request.user, section, _("Added: %(item)s") % {"item": str(item)[:200]})
        messages.success(request, _("Added."))
    else:
        messages.error(request, _("Not added: %(problems)s") % {"problems": form_problems(form)})
        drafts.keep(request, strategy, f"item:{section}", f"add-{section}")
    return redirect(f"{strategy.get_absolute_url()}#section-{section}")


@login_required
def item_edit(request, pk: int, section: str, item: int):
    """One item of a section changed in place (a roadmap activity's dates, a partner's role…): it was only removed
    and added again."""
    if section not in ITEMS:
        raise Http404
    strategy = _strategy(request, pk, "strategy.change_strategy")
    found = get_object_or_404(ITEMS[section], pk=item, strategy=strategy)
    form = _item_form(request, strategy, section, request.POST if request.method == "POST" else None, found)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            form.save()
            log_change(strategy, request.user, section, _("Changed: %(item)s") % {"item": str(found)[:200]})
            messages.success(request, _("Changed."))
        return redirect(f"{strategy.get_absolute_url()}#section-{section}")
    return render(
        request,
        "strategy/item_edit.html",
        {"strategy": strategy, "form": form, "section": section, "title": SECTIONS[section], "item": found},
    )


@login_required
@require_POST
def item_remove(request, pk: int, section: str, item: int):
    if section not in ITEMS:
        raise Http404
    strategy = _strategy(request, pk, "strategy.change_strategy")
    found = get_object_or_404(ITEMS[section], pk=item, strategy=strategy)
    found.delete()
    log_change(strategy, request.user, section, _("Removed: %(item)s") % {"item": str(found)[:200]})
    return redirect(f"{strategy.get_absolute_url()}#section-{section}")


@login_required
@require_POST
def market_add(request, pk: int):
    """A country from the ranking (for the organisation named), its figures frozen as they are today."""
    strategy = _strategy(request, pk, "strategy.change_strategy")
    organisation = get_object_or_404(Organisation, slug=request.POST.get("for", ""))
    if not rules.has_perm("orgs.view_private", request.user, organisation):
        raise PermissionDenied
    country = (request.POST.get("country") or "").upper()
    who = ranking.ranker_for(organisation)
    weights = saved_weights(request.user)
    rows = ranking.rank_markets(who, weights) if who.knows_its_market else []
    row = next((r for r in rows if r.country == country), None)
    if row is None:
        messages.error(request, _("That country is not in the ranking."))
        return redirect("strategy:markets", strategy.pk)
    market_choose(strategy=strategy, user=request.user, who=who, row=row, weights=weights)
    messages.success(request, _("%(country)s added to the target markets, with its figures of today.")
                     % {"country": row.name})  # fmt: skip
    return redirect(f"{strategy.get_absolute_url()}#section-markets")


@login_required
def markets_choose(request, pk: int):
    """The target-market ranking of one of the strategy's organisations (or of another the person may rank), each
    country with a button that adds it to the strategy."""
    strategy = _strategy(request, pk, "strategy.change_strategy")
    candidates = list(ranking.organisations_to_rank(request.user))
    members = {m.organisation_id for m in strategy.members.all()}
    candidates.sort(key=lambda o: (o.pk not in members, not o.is_cluster, o.name))
    chosen_slug = request.GET.get("for", "")
    organisation = next((o for o in candidates if o.slug == chosen_slug), candidates[0] if candidates else None)
    if organisation is None:
        raise PermissionDenied
    context = ranking_context(organisation, saved_weights(request.user))
    return render(
        request,
        "strategy/markets.html",
        {
            **context,
            "strategy": strategy,
            "candidates": candidates,
            "add_url": reverse("strategy:market_add", args=[strategy.pk]),
            "chosen": {m.country.code for m in strategy.markets.all()},
        },
    )


@login_required
@require_POST
def market_remove(request, pk: int, market: int):
    strategy = _strategy(request, pk, "strategy.change_strategy")
    found = get_object_or_404(TargetMarket, pk=market, strategy=strategy)
    found.delete()
    log_change(strategy, request.user, "markets", _("Target market removed: %(country)s") % {"country": found})
    return redirect(f"{strategy.get_absolute_url()}#section-markets")


@login_required
@require_POST
def comment_add(request, pk: int, section: str):
    if section not in SECTIONS:
        raise Http404
    strategy = _strategy(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        Comment.objects.create(strategy=strategy, section=section, author=request.user, text=form.cleaned_data["text"])
        log_change(strategy, request.user, section, _("Comment added"))
    else:
        messages.error(request, _("Write a comment of at most 4,000 characters."))
    return redirect(f"{strategy.get_absolute_url()}#section-{section}")


@login_required
@require_POST
def publish(request, pk: int):
    strategy = _strategy(request, pk, "strategy.manage_strategy")
    version = version_publish(strategy=strategy, user=request.user)
    messages.success(
        request, _("Version %(number)s published; editing goes on in the draft.") % {"number": version.number}
    )
    return redirect(strategy)


@login_required
def versions(request, pk: int):
    """Two versions (or a version and the draft) compared section by section."""
    strategy = _strategy(request, pk)
    published = list(strategy.versions.all())
    numbers = {str(v.number): v for v in published}

    def pick(key: str, default: str) -> str:
        value = request.GET.get(key) or default
        return value if value in numbers else "draft"

    a_key = pick(
        "a", str(published[1].number) if len(published) > 1 else (str(published[0].number) if published else "draft")
    )
    b_key = pick("b", str(published[0].number) if len(published) > 1 else "draft")
    # A version reads in the language it was published in; the draft is written out in that language too, so that
    # headings and labels ("Strength", "Force") do not show as changes. Two versions in two languages are said so.
    languages = [numbers[k].language for k in (a_key, b_key) if k != "draft" and numbers[k].language]
    with translation.override(languages[0] if languages else get_language()):
        a, b = ((numbers[k].sections if k != "draft" else text_of(strategy)) for k in (a_key, b_key))
    rows = []
    for key, title in SECTIONS.items():
        lines = compare(a.get(key, ""), b.get(key, ""))
        rows.append({"key": key, "title": title, "lines": lines, "changed": any(op != "same" for op, _l in lines)})
    return render(
        request,
        "strategy/versions.html",
        {
            "strategy": strategy,
            "published": published,
            "a": a_key,
            "b": b_key,
            "rows": rows,
            "languages_differ": len(set(languages)) > 1,
        },
    )


@login_required
def changes(request, pk: int):
    strategy = _strategy(request, pk)
    return render(
        request,
        "strategy/changes.html",
        {"strategy": strategy, "changes": strategy.changes.select_related("user")[:500], "sections": SECTIONS},
    )


@login_required
@require_POST
def member_set(request, pk: int):
    strategy = _strategy(request, pk, "strategy.manage_strategy")
    slug = request.POST.get("organisation_slug", "").strip()
    organisation = Organisation.objects.filter(slug=slug).exclude(kind__in=BUYER_KINDS).first()
    role = request.POST.get("role", "")
    if organisation is None or role not in Member.Role.values:
        messages.error(request, _("Choose an organisation by its short name, and a role."))
        return redirect(f"{strategy.get_absolute_url()}#members")
    if (
        role != Member.Role.OWNER
        and strategy.members.filter(role=Member.Role.OWNER).exclude(organisation=organisation).count() == 0
    ):
        messages.error(request, _("A strategy keeps at least one owner."))
        return redirect(f"{strategy.get_absolute_url()}#members")
    Member.objects.update_or_create(strategy=strategy, organisation=organisation, defaults={"role": role})
    log_change(strategy, request.user, "", _("%(organisation)s: %(role)s") % {
        "organisation": organisation.name, "role": Member.Role(role).label})  # fmt: skip
    return redirect(f"{strategy.get_absolute_url()}#members")


# -- exports -------------------------------------------------------------------------------------------------------


def _filename(strategy: Strategy) -> str:
    """The exports' file name, without its extension."""
    return slugify(strategy.title)[:60] or "strategy"


@login_required
def export_docx(request, pk: int):
    strategy = _strategy(request, pk)
    response = HttpResponse(
        exports.strategy_docx(strategy),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(strategy)}.docx"'
    return response


@login_required
def export_pdf(request, pk: int):
    strategy = _strategy(request, pk)
    activities = list(strategy.activities.select_related("owner", "event"))
    html = render_to_string(
        "strategy/print.html",
        {"strategy": strategy, "texts": text_of(strategy), "sections": SECTIONS, "gantt": gantt(activities)},
        request=request,
    )
    response = HttpResponse(exports.strategy_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(strategy)}.pdf"'
    return response


@login_required
def roadmap_ics(request, pk: int):
    strategy = _strategy(request, pk)
    return calendar_response(exports.roadmap_calendar(strategy), _filename(strategy))
