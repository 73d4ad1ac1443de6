"""Target markets: the countries ranked for an organisation (an SME by its CPV codes, sectors, languages and
partners; a cluster or BSO by its members' together) by a weighted mean of seven factors, each scored 0 to 1 and
shown with its value, so that the ranking explains itself (docs/user-guide.md, "Target markets", gives the
rules to readers).

- size: the value of its market there in the last RECENT_YEARS years (awarded where known, else estimated; the
  number of notices when no value is known anywhere), on a log scale against the largest;
- growth: notices of the last RECENT_YEARS years against the RECENT_YEARS before;
- openness: the share of awards won by firms from another country, against the most open country ranked;
- competition: tenderers per award (fewer is easier for a newcomer);
- integrity: one minus the mean of the red-flag shares (single bid, non-open procedure, short submission period);
- proximity: an official language in common, partners or members there, events planned there;
- EU funding: the EU instruments of 2021-2027 open to the country (data/eu_funding.yaml).
A factor nothing is known for scores 0.5 (neither for nor against) and says so."""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django_countries import countries

from greenbridge.events.models import Event
from greenbridge.orgs.models import Organisation
from greenbridge.orgs.selectors import BUYER_KINDS, organisations_with_private_access
from greenbridge.partnering.models import Partnership
from greenbridge.reference import normalise
from greenbridge.reference.green import sector

from . import profiles
from .models import RankingWeights
from .selectors import Slice, grouped_figures, notices_by_country, outer_prefixes
from .templatetags.market import eur, number, share

FUNDING = Path(__file__).resolve().parent / "data" / "eu_funding.yaml"
RECENT_YEARS = 3
NEUTRAL = 0.5
# At most this many CPV prefixes in one slice: more are read as their groups (3 digits), then divisions.
MAX_PREFIXES = 24

# The factors in order, named as the weights' fields are, and their default weights.
FACTORS = {f: RankingWeights._meta.get_field(f).verbose_name for f in RankingWeights.FACTORS}
DEFAULT_WEIGHTS = {f: RankingWeights._meta.get_field(f).default for f in RankingWeights.FACTORS}


@functools.cache
def funding_instruments() -> dict[str, dict[str, Any]]:
    return yaml.safe_load(FUNDING.read_text(encoding="utf-8"))


def instruments_in(country: str) -> list[dict[str, Any]]:
    return [i for i in funding_instruments().values() if country in i["countries"]]


def cpv_prefixes(codes: Iterable[str]) -> tuple[str, ...]:
    """CPV codes as the prefixes they stand for ("45232400-6" -> "452324"; "90400000" -> "904"), none inside
    another, coarsened to groups then divisions when there are more than MAX_PREFIXES."""
    prefixes = set()
    for code in codes:
        digits = str(code).split("-")[0].strip()
        if digits.isascii() and digits.isdigit() and len(digits) >= 2:
            prefixes.add(digits[:8].rstrip("0").ljust(2, "0"))
    for length in (3, 2):
        if len(prefixes) <= MAX_PREFIXES:
            break
        prefixes = {p[:length] for p in prefixes}
    return outer_prefixes(prefixes)


@dataclass(frozen=True)
class Ranker:
    """Who the markets are ranked for, and what they bring: their codes and sectors (the market), their home
    countries (left out), languages, and where they have partners, members and events."""

    name: str
    home: frozenset[str]
    cpv: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    languages: frozenset[str] = frozenset()
    partners: Counter = field(default_factory=Counter)
    members: Counter = field(default_factory=Counter)
    events: Counter = field(default_factory=Counter)

    @property
    def knows_its_market(self) -> bool:
        return bool(self.cpv or self.sectors)

    def market(self, first: int, last: int) -> Slice:
        """Its market in those years: its CPV codes when it has some (they say more than sectors), else its
        sectors."""
        if self.cpv:
            return Slice(cpv=self.cpv, year_from=first, year_to=last)
        return Slice(sectors=self.sectors, year_from=first, year_to=last)

    def market_name(self) -> str:
        if self.cpv:
            return _("your CPV codes")
        language = get_language()
        return ", ".join(s.label(language).lower() for s in filter(None, map(sector, self.sectors)))


def ranker_for(organisation: Organisation, *, now=None) -> Ranker:
    """An organisation's profile for the ranking; a cluster or BSO speaks for its members together."""
    now = now or timezone.now()
    group = [organisation]
    members: Counter = Counter()
    if organisation.is_cluster:
        member_orgs = list(Organisation.objects.filter(cluster_links__cluster=organisation))
        group += member_orgs
        members = Counter(m.country.code for m in member_orgs if m.country and m.country != organisation.country)
    ids = [o.pk for o in group]
    # Its partners elsewhere: the other organisations of its partnerships not ended (each once per country).
    ongoing = Partnership.objects.of_organisations(ids).exclude(stage=Partnership.Stage.ENDED).values("pk")
    links = Partnership.organisations.through.objects.filter(partnership__in=ongoing).exclude(organisation__in=ids)
    home = organisation.country.code if organisation.country else ""
    partners = Counter(
        country
        for _, country in set(links.values_list("organisation_id", "organisation__country"))
        if country and country != home
    )
    events = Counter(
        Event.objects.filter(status=Event.Status.PUBLISHED, starts__gte=now)
        .filter(organisers__in=ids + list(organisation.cluster_links.values_list("cluster", flat=True)))
        .exclude(country="")
        .distinct()
        .values_list("country", flat=True)
    )
    codes = [c for o in group for c in (o.cpv_codes or []) if isinstance(c, str)]
    sectors = sorted({s for o in group for s in (o.green_sectors or []) if isinstance(s, str) and sector(s)})
    languages = frozenset(
        str(code).split("-")[0].lower() for o in group for code in (o.languages or []) if isinstance(code, str)
    )
    return Ranker(
        name=organisation.name,
        home=frozenset({home} - {""}),
        cpv=cpv_prefixes(codes),
        sectors=tuple(sectors),
        languages=languages,
        partners=partners,
        members=members,
        events=events,
    )


@dataclass
class Factor:
    key: str
    score: float  # 0..1
    weight: int
    text: str  # the value behind the score, in words
    known: bool = True

    @property
    def label(self) -> str:
        return str(capfirst(FACTORS[self.key]))

    @property
    def points(self) -> float:
        """What the factor adds to the composite score (0 to 100 over all factors)."""
        return self.score * self.weight


@dataclass
class Ranked:
    country: str
    score: float = 0.0  # 0..100
    rank: int = 0
    factors: list[Factor] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    explanation: str = ""
    years: str = ""  # the recent years its figures cover, "2024–2026"

    @property
    def name(self) -> str:
        return str(countries.name(self.country)) or self.country


def organisations_to_rank(user) -> QuerySet[Organisation]:
    """The organisations whose markets the person may rank: their own (public buyers aside) and those sharing
    their private data with a cluster they staff."""
    return organisations_with_private_access(user=user).exclude(kind__in=BUYER_KINDS).order_by("name")


def clean_weights(weights: dict[str, Any] | None) -> dict[str, int]:
    """The saved weights, each 0-100, the defaults for any missing; all zero is read as the defaults."""
    out = {}
    for key, default in DEFAULT_WEIGHTS.items():
        try:
            out[key] = min(100, max(0, int((weights or {}).get(key, default))))
        except (TypeError, ValueError):
            out[key] = default
    return out if any(out.values()) else dict(DEFAULT_WEIGHTS)


def _growth(recent: int, before: int) -> float | None:
    return None if before == 0 else (recent - before) / before


def rank_markets(who: Ranker, weights: dict[str, int] | None = None, *, year: int | None = None) -> list[Ranked]:
    """Every country with notices of the ranker's market in the last 2 × RECENT_YEARS years, and the Eastern
    Partnership and Mediterranean partners, but its home country: scored, ranked and explained."""
    weights = clean_weights(weights)
    year = year or timezone.now().year
    first = year - RECENT_YEARS + 1
    recent = {k[0]: f for k, f in grouped_figures(who.market(first, year), ["country"]).items() if k[0]}
    before = notices_by_country(who.market(first - RECENT_YEARS, first - 1))
    codes = (set(recent) | set(before) | set(profiles.TARGETS)) - who.home
    details = {c: recent[c].details() if c in recent else None for c in codes}
    values = {c: (d or {}).get("value_eur_total") or 0.0 for c, d in details.items()}
    by_value = any(values.values())
    sizes = values if by_value else {c: float((d or {}).get("notices") or 0) for c, d in details.items()}
    largest = max(sizes.values(), default=0.0)
    openness = {c: d["foreign_winner_share"] for c, d in details.items() if d and d["foreign_winner_share"] is not None}
    most_open = max(openness.values(), default=0.0)
    years = f"{first}–{year}"
    total = sum(weights.values())
    rows = []
    for code in codes:
        d = details[code]
        notices = d["notices"] if d else 0
        earlier = before.get(code, 0)
        factors = [
            _size(sizes[code], largest, by_value, notices, years, weights["size"]),
            _growth_factor(notices, earlier, weights["growth"]),
            _openness(openness.get(code), most_open, weights["openness"]),
            _competition(d, weights["competition"]),
            _integrity(d, weights["integrity"]),
            _proximity(who, code, weights["proximity"]),
            _funding(code, weights["funding"]),
        ]
        if not notices:
            # Nothing is known of a market that published none of these notices: its growth, openness, competition
            # and integrity count for nothing, not the middle score a figure missing from a real market gets (which
            # put countries without a notice above countries with a few).
            for factor in factors[1:5]:
                factor.score = 0.0
        score = round(100 * sum(f.points for f in factors) / total, 1)
        rows.append(Ranked(code, score, factors=factors, figures=d or {}, years=years))
    rows.sort(key=lambda r: (-r.score, -sizes[r.country], r.name))
    for i, row in enumerate(rows, 1):
        row.rank = i
        row.explanation = explain(who, row, years)
    return rows


def in_every_language(who: Ranker, row: Ranked, weights: dict[str, int] | None = None) -> dict[str, dict[str, Any]]:
    """`row`'s explanation and its factors' words in each language the platform ships, for a choice that keeps them
    (a strategy's target market, read later in another language): the ranking made again in each language (tens of
    milliseconds), explained at `row`'s rank (ties are ordered by the country's name, which differs by language)."""
    out, reading = {}, get_language()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            if code == reading:  # ranked in it already: `row` itself
                again = row
            else:
                again = next((r for r in rank_markets(who, weights) if r.country == row.country), None)
            if again is None:
                continue
            again.rank = row.rank
            out[code] = {
                "explanation": explain(who, again, again.years),
                "factors": [{"label": f.label, "text": f.text} for f in again.factors],
            }
    return out


def _size(size: float, largest: float, by_value: bool, notices: int, years: str, weight: int) -> Factor:
    score = math.log1p(size) / math.log1p(largest) if largest > 0 else 0.0
    if by_value:
        text = ngettext("%(value)s in %(n)s notice, %(years)s", "%(value)s in %(n)s notices, %(years)s", notices) % {
            "value": eur(size),
            "n": notices,
            "years": years,
        }
    else:
        text = ngettext("%(n)s notice, %(years)s", "%(n)s notices, %(years)s", notices) % {"n": notices, "years": years}
    return Factor("size", score, weight, text)


def _growth_factor(recent: int, before: int, weight: int) -> Factor:
    growth = _growth(recent, before)
    if growth is None:
        text = _("new: no notices in the years before") if recent else _("no notices")
        return Factor("growth", NEUTRAL, weight, text, known=False)
    score = NEUTRAL + NEUTRAL * math.tanh(growth)
    text = ngettext("%(recent)s notice against %(before)s", "%(recent)s notices against %(before)s", recent)
    return Factor("growth", score, weight, text % {"recent": recent, "before": before})


def _openness(value: float | None, most: float, weight: int) -> Factor:
    if value is None:
        return Factor("openness", NEUTRAL, weight, _("no winners' countries known"), known=False)
    score = value / most if most > 0 else 0.0
    return Factor("openness", score, weight, _("%(share)s of awards won by foreign firms") % {"share": share(value)})


def _competition(d: dict | None, weight: int) -> Factor:
    mean = d and d["tenderers_mean"]
    if not mean:
        return Factor("competition", NEUTRAL, weight, _("tenders per award not known"), known=False)
    score = 1 / (1 + max(mean - 1, 0) / 3)  # 1 tender: 1; 4: 0.5; 10: 0.25
    return Factor("competition", score, weight, _("%(n)s tenders per award") % {"n": number(mean)})


def _integrity(d: dict | None, weight: int) -> Factor:
    flags = {
        _("single bid"): d and d["single_bid_share"],
        _("not open"): d and d["non_open_share"],
        _("short period"): d and d["short_period_share"],
    }
    known = {k: v for k, v in flags.items() if v is not None}
    if not known:
        return Factor("integrity", NEUTRAL, weight, _("no red flags can be counted"), known=False)
    risk = sum(known.values()) / len(known)
    text = ", ".join(f"{name} {share(v)}" for name, v in known.items())
    return Factor("integrity", 1 - risk, weight, text)


def shared_languages(who: Ranker, country: str) -> list[str]:
    return sorted(who.languages & set(profiles.tender_languages(country)))


def _proximity(who: Ranker, country: str, weight: int) -> Factor:
    languages = shared_languages(who, country)
    partners, members, events = who.partners[country], who.members[country], who.events[country]
    score = 0.4 * bool(languages) + 0.3 * min(1.0, (partners + members) / 3) + 0.3 * min(1.0, events / 2)
    parts = []
    if languages:
        names = ", ".join(normalise.language_name(code, capital=False) for code in languages)
        parts.append(_("%(languages)s in common") % {"languages": names})
    if partners:
        parts.append(ngettext("%(n)s partner there", "%(n)s partners there", partners) % {"n": partners})
    if members:
        parts.append(ngettext("%(n)s member there", "%(n)s members there", members) % {"n": members})
    if events:
        parts.append(ngettext("%(n)s event planned there", "%(n)s events planned there", events) % {"n": events})
    return Factor("proximity", score, weight, ", ".join(parts) or _("no language, partner or event in common"))


def _funding(country: str, weight: int) -> Factor:
    found = instruments_in(country)
    return Factor(
        "funding",
        min(1.0, len(found) / 2),
        weight,
        ", ".join(i["name"] for i in found) or _("no EU instrument"),
    )


def explain(who: Ranker, row: Ranked, years: str) -> str:
    """ "Moldova ranks 2nd: €14M of your market's notices in 2024–2026, 31% won by foreign firms, 2 partners
    there" — its size, then what else is known and counts for it."""
    by = {f.key: f for f in row.factors}
    d = row.figures
    parts = []
    if d.get("notices"):
        if d.get("value_eur_total"):
            parts.append(
                _("%(value)s in notices for %(market)s, %(years)s")
                % {"value": eur(d["value_eur_total"]), "market": who.market_name(), "years": years}
            )
        else:
            parts.append(
                ngettext(
                    "%(n)s notice for %(market)s, %(years)s", "%(n)s notices for %(market)s, %(years)s", d["notices"]
                )
                % {"n": d["notices"], "market": who.market_name(), "years": years}
            )
    else:
        parts.append(_("no notices for %(market)s, %(years)s") % {"market": who.market_name(), "years": years})
    if by["openness"].known:
        parts.append(by["openness"].text)
    if by["growth"].known and abs(by["growth"].score - NEUTRAL) > 0.1:
        parts.append(
            (_("growing: %(text)s") if by["growth"].score > NEUTRAL else _("shrinking: %(text)s"))
            % {"text": by["growth"].text}
        )
    if by["proximity"].score > 0:
        parts.append(by["proximity"].text)
    return _("%(country)s ranks no. %(rank)s: %(reasons)s.") % {
        "country": row.name,
        "rank": row.rank,
        "reasons": "; ".join(parts),
    }
