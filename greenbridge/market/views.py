"""Market pages, public (their figures come from public notices): a market's figures with charts and tables,
the notices behind each figure, downloads, and the country profiles."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django_countries import countries

from greenbridge.core.charts import bar_chart
from greenbridge.core.http import csv_response, xlsx_response
from greenbridge.orgs.models import Organisation
from greenbridge.orgs.selectors import BUYER_KINDS, roles_of
from greenbridge.reference.green import sector as green_sector
from greenbridge.reference.green import sectors

from . import maps, profiles, ranking
from .forms import MarketForm, RankingWeightsForm
from .models import RankingWeights
from .selectors import (
    BEHIND,
    GROUP_KEYS,
    STATS_COLUMNS,
    Slice,
    countries_with_data,
    market_rows,
    notices_behind,
    open_notices,
    page_figures,
    top_parties,
)


def month_labels() -> list[str]:
    return [str(MONTHS_3[m]).capitalize() for m in range(1, 13)]


def _charts(figures: dict) -> dict:
    """The charts of the slice's figures by year (`figures["years"]`) and by month."""
    years = figures["years"]
    labels = [str(r["year"]) for r in years]
    return {
        "counts": bar_chart(
            labels,
            [
                (_("Notices"), [r["notices"] for r in years]),
                (_("Competitions"), [r["competitions"] for r in years]),
                (_("Awards"), [r["awards"] for r in years]),
            ],
        ),
        "values": bar_chart(
            labels, [(_("Value, million euros"), [round((r["value_eur_total"] or 0) / 1e6, 1) for r in years])]
        ),
        "months": bar_chart([str(MONTHS_3[m]).capitalize() for m in range(1, 13)], [(_("Notices"), figures["months"])]),
    }


def described(market: Slice) -> str:
    """The market chosen, in a few words ("Moldova, Ukraine · Water · CPV 4523 · 2020–2024"): the filters' summary,
    which stays in view when the filters fold on a narrow screen."""
    language = get_language()
    parts = [
        ", ".join(str(countries.name(c) or c) for c in market.countries),
        ", ".join(s.label(language) if (s := green_sector(key)) else key for key in market.sectors),
        f"CPV {', '.join(market.cpv)}" if market.cpv else "",
    ]
    if market.year_from or market.year_to:
        parts.append(f"{market.year_from or '…'}–{market.year_to or '…'}")
    return " · ".join(p for p in parts if p)


def market_page(request):
    form = MarketForm(request.GET or None)
    market = form.market()
    figures = page_figures(market)
    charts = _charts(figures)
    query = request.GET.urlencode()
    return render(
        request,
        "market/market.html",
        {
            "form": form,
            "market": market,
            "market_said": described(market),
            "figures": figures,
            "years": figures["years"],
            "charts": charts,
            "query": query,
            "behind_url": reverse("market:notices"),
            "month_labels": month_labels(),
        },
    )


# The downloads' columns, named as the page names them (the command line's `market stats` keeps the keys).
DOWNLOAD_HEADERS = {
    "country": gettext_lazy("Country"),
    "year": gettext_lazy("Year"),
    "sector": gettext_lazy("Green sector"),
    "cpv_division": gettext_lazy("CPV division"),
    "notices": gettext_lazy("Notices"),
    "competitions": gettext_lazy("Calls"),
    "awards": gettext_lazy("Awards"),
    "value_eur_total": gettext_lazy("Value (EUR)"),
    "value_eur_median": gettext_lazy("Median value (EUR)"),
    "tenderers_mean": gettext_lazy("Tenders per contract"),
    "single_bid_share": gettext_lazy("Single bid (share)"),
    "foreign_winner_share": gettext_lazy("Foreign winner (share)"),
    "open_procedure_share": gettext_lazy("Open procedures (share)"),
    "submission_days_median": gettext_lazy("Days to tender (median)"),
}


def market_download(request, fmt: str):
    """The slice's figures by year (and by `by`, when given: country, sector, cpv_division) as CSV or Excel: the
    columns of the grouping asked for, then the figures, headed in the reader's language."""
    form = MarketForm(request.GET or None)
    by = [k for k in ("country", "sector", "cpv_division") if k in request.GET.getlist("by")]
    rows = market_rows(form.market(), [*by, "year"])
    columns = [*by, "year", *(c for c in STATS_COLUMNS if c not in GROUP_KEYS)]
    named = {
        "country": lambda code: countries.name(code) or code,
        "sector": lambda key: sector.label(get_language()) if (sector := green_sector(key)) else key,
    }
    table = [
        [str(DOWNLOAD_HEADERS[c]) for c in columns],
        *[[named[c](r[c]) if c in named and r[c] else r[c] for c in columns] for r in rows],
    ]
    if fmt == "csv":
        return csv_response(table, "market")
    return xlsx_response(table, "market", _("Market"))


def market_notices(request):
    """The notices behind one figure of a slice (?figure=single_bid&country=MD…)."""
    figure = request.GET.get("figure") or "notices"
    if figure not in BEHIND:
        raise Http404
    form = MarketForm(request.GET or None)
    page = Paginator(notices_behind(form.market(), figure), 50).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "market/notices.html",
        {"form": form, "figure": figure, "page": page, "query": params.urlencode(), "back": params.urlencode()},
    )


def country_list(request):
    rows = {r["country"]: r for r in countries_with_data()}
    for code in profiles.TARGETS:
        rows.setdefault(code, {"country": code, "notices": 0, "green": 0, "awards": 0})
    listed = sorted(rows.values(), key=lambda r: (r["country"] not in profiles.TARGETS, countries.name(r["country"])))
    return render(request, "market/countries.html", {"rows": listed, "targets": profiles.TARGETS})


def country_profile(request, code: str):
    code = code.upper()
    if code not in dict(countries):
        raise Http404
    green = Slice(countries=(code,), sectors=tuple(s.slug for s in sectors()))
    figures = page_figures(green)
    charts = _charts(figures)
    return render(
        request,
        "market/country.html",
        {
            "code": code,
            "figures": figures,
            "years": figures["years"],
            "charts": charts,
            "market": green,
            "query": f"country={code}" + "".join(f"&sector={s}" for s in green.sectors),
            "open_notices": open_notices(green),
            "foreign_winners": top_parties(green, "w", foreign=True)[0],
            "portals": profiles.portals(code),
            "languages": profiles.official_languages(code),
            "behind_url": reverse("market:notices"),
            "month_labels": month_labels(),
        },
    )


# -- target markets (private: the ranking is an organisation's) ---------------------------------------------------


@login_required
def ranking_start(request):
    """The ranking of the person's first organisation (a company before a cluster)."""
    roles = roles_of(user=request.user)
    first = next(iter(roles.companies + roles.clusters + roles.others), None) or (
        ranking.organisations_to_rank(request.user).first()
    )
    if first is None:
        return render(request, "market/ranking.html", {"choices": []})
    return redirect("market:ranking", first.slug)


def ranking_context(organisation: Organisation, weights: dict[str, int]) -> dict:
    """The ranking of an organisation's markets and its map (the ranking page's, and the strategy's to choose
    target markets from)."""
    who = ranking.ranker_for(organisation)
    rows = ranking.rank_markets(who, weights) if who.knows_its_market else []
    the_map = maps.choropleth(
        {r.country: r.score for r in rows},
        titles={
            **{c: str(countries.name(c)) for c in who.home},
            **{r.country: f"{r.rank}. {r.name}: {r.score:.0f}" for r in rows},
        },
        links={r.country: f"#rank-{r.country}" for r in rows},
        home=who.home,
    )
    return {"organisation": organisation, "who": who, "rows": rows, "map": the_map, "years": ranking.RECENT_YEARS}


def saved_weights(user) -> dict[str, int]:
    saved = RankingWeights.objects.filter(user=user).first()
    return ranking.clean_weights(saved.as_dict() if saved else None)


@login_required
def ranking_page(request, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not rules.has_perm("orgs.view_private", request.user, organisation) or organisation.kind in BUYER_KINDS:
        raise PermissionDenied
    saved = RankingWeights.objects.filter(user=request.user).first()
    form = RankingWeightsForm(request.POST or None, instance=saved or RankingWeights(user=request.user))
    if request.method == "POST":
        if "reset" in request.POST:
            RankingWeights.objects.filter(user=request.user).delete()
            messages.success(request, _("The weights are back to their defaults."))
            return redirect("market:ranking", organisation.slug)
        if form.is_valid():
            form.save()
            messages.success(request, _("Your weights are saved; the ranking follows them."))
            return redirect("market:ranking", organisation.slug)
    weights = saved_weights(request.user)  # read again: an invalid form has set its values on `saved`
    return render(
        request,
        "market/ranking.html",
        {
            **ranking_context(organisation, weights),
            "choices": list(ranking.organisations_to_rank(request.user)),
            "form": form,
            "labels": {k: capfirst(v) for k, v in ranking.FACTORS.items()},
        },
    )
