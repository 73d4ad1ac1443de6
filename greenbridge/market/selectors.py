"""Market figures for a slice: buyer countries × green sectors / CPV codes (any level) × years × notice kinds,
from the facts (models.py), each figure as figures.py defines it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.db import connection
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from greenbridge.core.bounds import DAY_MAX, DAY_MIN, LIST_MAX
from greenbridge.reference.green import sector
from greenbridge.tenders.models import Notice, NoticeSector, NoticeType
from greenbridge.tenders.selectors import LIST_FIELDS as NOTICE_LIST_FIELDS

from .figures import (
    ARRAYS,
    AWARD,
    AWARD_COLUMNS,
    COMPETITION,
    COUNTS,
    NOTICE_COLUMNS,
    SHORT_PERIOD_DAYS,
    SUMMARY_KEYS,
    TOP,
    Figures,
    Party,
)
from .models import AwardFact, MarketCell, NoticeFact, PartyOverall, PartyTotal

# The grouping keys of `market stats --by` -> the facts' column.
GROUP_KEYS = {"country": "country", "year": "year", "sector": "sectors", "cpv_division": "division"}
# A row of `market stats` (and of the downloads): the slice's keys, then its figures.
STATS_COLUMNS = (*GROUP_KEYS, *SUMMARY_KEYS)


@dataclass(frozen=True)
class Slice:
    """A market: every notice whose buyer is in one of `countries`, in one of `sectors`, with a main CPV code
    under one of `cpv` (2 to 8 digits), published in `year_from`..`year_to`, of one of `kinds`. An empty
    criterion does not filter."""

    countries: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    cpv: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    kinds: tuple[str, ...] = ()

    @property
    def in_cells(self) -> bool:
        """Whether the market cells answer this slice: CPV codes no finer than a division (2 digits)."""
        return all(len(c) == 2 for c in self.cpv)

    @property
    def by_country_year_kind(self) -> bool:
        """Whether the slice is made of whole (country, year, kind) groups: no sectors, no CPV codes."""
        return not self.sectors and not self.cpv

    def level(self, by: Sequence[str] = ()) -> int:
        """The coarsest market cells that answer the slice grouped `by`."""
        if not self.by_country_year_kind or "sector" in by or "cpv_division" in by:
            return MarketCell.FINE
        return MarketCell.KINDS if self.kinds else MarketCell.YEARS

    def filter_cells(self, cells: QuerySet, level: int) -> QuerySet:
        cells = self._common(cells.filter(level=level))
        if self.cpv:
            cells = cells.filter(division__in=self.cpv)
        if self.sectors:
            q = Q()
            for slug in self.sectors:
                q |= Q(sectors__contains=f" {slug} ")
            cells = cells.filter(q)
        return cells

    def _common(self, rows: QuerySet) -> QuerySet:
        if self.countries:
            rows = rows.filter(country__in=self.countries)
        if self.year_from is not None:
            rows = rows.filter(year__gte=self.year_from)
        if self.year_to is not None:
            rows = rows.filter(year__lte=self.year_to)
        if self.kinds:
            rows = rows.filter(kind__in=self.kinds)
        return rows

    def filter(self, facts: QuerySet) -> QuerySet:
        facts = self._common(facts)
        if self.cpv:
            # A prefix as a range of the index ("4521" -> "4521" <= cpv < "4521:"; ":" sorts after "9").
            q = Q()
            for prefix in self.cpv:
                q |= Q(cpv__gte=prefix, cpv__lt=prefix + ":")
            facts = facts.filter(q)
        if self.sectors:
            facts = facts.filter(notice_id__in=NoticeSector.objects.filter(sector__in=self.sectors).values("notice_id"))
        return facts


def make_slice(
    *,
    countries: Iterable[str] = (),
    sectors: Iterable[str] = (),
    cpv: Iterable[str] = (),
    year_from: int | None = None,
    year_to: int | None = None,
    kinds: Iterable[str] = (),
) -> Slice:
    """A slice from what a person typed (the page's form, the API, `market stats`), or ValueError saying in plain
    words what is wrong. Countries may be in lower case; CPV codes are prefixes of 2 to 8 digits (a check digit
    "-1" is dropped)."""
    countries = [c.strip().upper() for c in countries if c.strip()]
    sectors = [s.strip() for s in sectors if s.strip()]
    cpv = [c.strip().split("-")[0] for c in cpv if c.strip()]
    kinds = [k.strip() for k in kinds if k.strip()]
    problems = []
    if any(len(x) > LIST_MAX for x in (countries, sectors, cpv, kinds)):
        problems.append(_("At most %(max)s values of each filter.") % {"max": LIST_MAX})
    if bad := [c for c in countries if not (len(c) == 2 and c.isascii() and c.isalpha())]:
        problems.append(_("Not a country code: %(codes)s (two letters, like MD or UA).") % {"codes": ", ".join(bad)})
    if bad := [s for s in sectors if sector(s) is None]:
        problems.append(_("Not a green sector: %(names)s.") % {"names": ", ".join(bad)})
    if bad := [c for c in cpv if not (c.isascii() and c.isdigit() and 2 <= len(c) <= 8)]:
        problems.append(
            _("Not the start of a CPV code: %(codes)s (2 to 8 digits, like 45, 4523 or 45232400).")
            % {"codes": ", ".join(bad)}
        )
    if bad := [k for k in kinds if k not in NoticeType.values]:
        problems.append(_("Not a kind of notice: %(kinds)s.") % {"kinds": ", ".join(bad)})
    for year in (year_from, year_to):
        if year is not None and not DAY_MIN.year <= year <= DAY_MAX.year:
            problems.append(
                _("Choose years from %(first)s to %(last)s.") % {"first": DAY_MIN.year, "last": DAY_MAX.year}
            )
            break
    if year_from is not None and year_to is not None and year_from > year_to:
        problems.append(_("The first year must not be after the last."))
    if problems:
        raise ValueError(" ".join(problems))
    return Slice(
        countries=tuple(sorted(set(countries))),
        sectors=tuple(sorted(set(sectors))),
        cpv=tuple(sorted(set(cpv))),
        year_from=year_from,
        year_to=year_to,
        kinds=tuple(sorted(set(kinds))),
    )


def outer_prefixes(prefixes: Iterable[str]) -> tuple[str, ...]:
    """CPV prefixes without those inside another ("45", "4523" -> "45"): disjoint, the same notices."""
    found = set(prefixes)
    return tuple(sorted(p for p in found if not any(p != q and p.startswith(q) for q in found)))


def by_prefix(market: Slice) -> list[Slice]:
    """The slice as one slice per CPV prefix (a prefix inside another left out, so that they are disjoint): SQLite
    reads each prefix through the CPV index, where an OR of ranges makes it read every fact of the years."""
    if len(market.cpv) < 2:
        return [market]
    return [replace(market, cpv=(p,)) for p in outer_prefixes(market.cpv)]


def notice_facts(market: Slice) -> QuerySet[NoticeFact]:
    return market.filter(NoticeFact.objects.all())


def award_facts(market: Slice) -> QuerySet[AwardFact]:
    return market.filter(AwardFact.objects.all())


CELL_COLUMNS = (*COUNTS, *ARRAYS)


def _cells(market: Slice, columns: Sequence[str], by: Sequence[str] = ()):
    """(group values, counts, arrays) of each market cell of the slice, at the coarsest level that answers it."""
    rows = market.filter_cells(MarketCell.objects.all(), market.level(by)).values_list(*columns, *CELL_COLUMNS)
    n, m = len(columns), len(columns) + len(COUNTS)
    for row in rows.iterator(chunk_size=5000):
        yield row[:n], row[n:m], row[m:]


def market_figures(market: Slice) -> Figures:
    """The figures of one slice: its market cells merged, or its facts read when it names CPV codes finer than a
    division."""
    figures = Figures()
    if market.in_cells:
        for _, counts, arrays in _cells(market, ()):
            figures.add_state(counts, arrays)
        return figures
    for part in by_prefix(market):
        for row in notice_facts(part).values_list(*NOTICE_COLUMNS):
            figures.add_notice(*row)
        for row in award_facts(part).values_list(*AWARD_COLUMNS):
            figures.add_award(*row)
    return figures


def _keys(values: Sequence[Any], by: Sequence[str], sectors: Iterable[str]) -> list[tuple]:
    """The groups a fact counts in: a notice counts in each of its green sectors (only those of the slice when it
    names some); without a sector, in no sector's group."""
    if "sector" not in by:
        return [tuple(values)]
    i = by.index("sector")
    wanted = set(sectors)
    return [
        (*values[:i], sector, *values[i + 1 :]) for sector in str(values[i]).split() if not wanted or sector in wanted
    ]


def grouped_figures(market: Slice, by: Sequence[str], whole: Figures | None = None) -> dict[tuple, Figures]:
    """The slice's Figures per group of `by` (country, year, sector, cpv_division); `whole`, when given, gets the
    whole slice's on the same pass (each cell or fact once)."""
    columns = [GROUP_KEYS[k] for k in by]
    groups: dict[tuple, Figures] = {}
    n = len(columns)
    if market.in_cells:
        for values, counts, arrays in _cells(market, columns, by):
            for key in _keys(values, by, market.sectors):
                (groups.get(key) or groups.setdefault(key, Figures())).add_state(counts, arrays)
            if whole is not None:
                whole.add_state(counts, arrays)
    else:
        for part in by_prefix(market):
            for row in notice_facts(part).values_list(*columns, *NOTICE_COLUMNS):
                for key in _keys(row[:n], by, market.sectors):
                    (groups.get(key) or groups.setdefault(key, Figures())).add_notice(*row[n:])
                if whole is not None:
                    whole.add_notice(*row[n:])
            for row in award_facts(part).values_list(*columns, *AWARD_COLUMNS):
                for key in _keys(row[:n], by, market.sectors):
                    (groups.get(key) or groups.setdefault(key, Figures())).add_award(*row[n:])
                if whole is not None:
                    whole.add_award(*row[n:])
    return groups


def notices_by_country(market: Slice) -> dict[str, int]:
    """The slice's notices per buyer country, counted in SQL (from its cells when they answer it)."""
    if market.in_cells:
        rows = market.filter_cells(MarketCell.objects.all(), market.level()).values("country")
        counted = rows.annotate(n=Sum("notices"))
        return {r["country"]: r["n"] for r in counted.order_by() if r["country"]}
    out: dict[str, int] = {}
    for part in by_prefix(market):
        for r in notice_facts(part).values("country").annotate(n=Count("pk")).order_by():
            if r["country"]:
                out[r["country"]] = out.get(r["country"], 0) + r["n"]
    return out


def market_rows(market: Slice, by: Sequence[str], whole: Figures | None = None) -> list[dict[str, Any]]:
    """`market stats`: a row per group of `by` (country, year, sector, cpv_division) with the slice's keys first
    (the keys not grouped on are None) and the summary figures, ordered by the keys; `whole`, when given, gets
    the whole slice's figures on the same pass."""
    groups = grouped_figures(market, by, whole)
    rows = []
    for key in sorted(groups, key=lambda k: tuple((v is None, v) for v in k)):
        named = dict(zip(by, key, strict=True))
        slice_keys = {k: (named.get(k) if named.get(k) not in ("", None) else None) for k in GROUP_KEYS}
        rows.append(slice_keys | groups[key].summary())
    return rows


def page_figures(market: Slice) -> dict:
    """What a market's page shows: its figures, by year (`years`), and its biggest buyers and winners; the cells
    or facts read once for the whole and the years."""
    whole = Figures()
    years = [r for r in market_rows(market, ["year"], whole) if r["year"] is not None]
    return whole.details() | {"years": years} | parties(market)


# -- what the pages show beside the figures -------------------------------------------------------------------

# The notices behind a figure: its name -> the facts of the notices it counts (the market's page links each).
BEHIND = {
    "notices": Q(),
    "competitions": Q(kind="competition"),
    "awards": Q(notice__award_facts__isnull=False),
    "single_bid": Q(notice__award_facts__tenderers=1),
    "foreign_winner": Q(notice__award_facts__winner_country__gt="")
    & ~Q(notice__award_facts__winner_country=F("country"))
    & ~Q(country=""),
    "short_period": Q(submission_days__lt=SHORT_PERIOD_DAYS),
    "non_open": Q(kind__in=(COMPETITION, AWARD), method__in=("selective", "limited", "direct")),
    "without_call": Q(kind=AWARD, method__in=("limited", "direct")),
}


def notices_behind(market: Slice, figure: str) -> QuerySet[Notice]:
    """The notices a figure of the slice counts, newest first."""
    facts = notice_facts(market).filter(BEHIND[figure]).values("notice_id")
    return Notice.objects.filter(pk__in=facts).only(*NOTICE_LIST_FIELDS).order_by("-published", "-id")


# A notice's value as figures.py counts it (awarded where known, else estimated), summed over a group's notices.
NOTICE_VALUE = Coalesce(Sum(Coalesce("awarded_eur", "estimated_eur")), 0.0)
# A buyer's indicators, counted over its notices and over its contracts (PartyTotal's fields).
NOTICE_FLAGS = dict(
    method_known=Count("pk", filter=Q(kind__in=(COMPETITION, AWARD)) & ~Q(method="")),
    non_open=Count("pk", filter=Q(kind__in=(COMPETITION, AWARD), method__in=("selective", "limited", "direct"))),
    periods_known=Count("submission_days"),
    short_periods=Count("pk", filter=Q(submission_days__lt=SHORT_PERIOD_DAYS)),
)
AWARD_FLAGS = dict(tenderers_known=Count("tenderers"), single_bids=Count("pk", filter=Q(tenderers=1)))


FLAGS = ("method_known", "non_open", "periods_known", "short_periods", "tenderers_known", "single_bids")


def _top(rows: QuerySet, n: int) -> tuple[list[dict], list[dict]]:
    """The first `n` of grouped rows (annotated value_ and count_) by value and by number. The grouping is made
    once, as a materialised common table expression (SQLite 3.35+, PostgreSQL 12+), and both orders read from it:
    two ordered queries grouped every row twice (a slice of every country: 1.8 s against 0.4 s at 300,000
    notices)."""
    sql, params = rows.order_by().query.sql_with_params()
    ordered = "SELECT * FROM g ORDER BY COALESCE({}, 0) DESC, key_ LIMIT %s"
    query = (
        f"WITH g AS MATERIALIZED ({sql}) "  # noqa: S608 (Django's own SQL, its values as parameters)
        f"SELECT 0 AS order_, a.* FROM ({ordered.format('value_')}) AS a "
        f"UNION ALL SELECT 1 AS order_, b.* FROM ({ordered.format('count_')}) AS b"
    )
    out: tuple[list[dict], list[dict]] = ([], [])
    with connection.cursor() as cursor:
        cursor.execute(query, [*params, n, n])
        names = [c[0] for c in cursor.description]
        for row in cursor.fetchall():
            found = dict(zip(names, row, strict=True))
            out[found.pop("order_")].append(found)
    return out


def _names(tops: tuple[list[dict], ...], model, fields: tuple[str, str]) -> None:
    """Each chosen row's name and country (`fields` of `model`), read by the id the grouping kept (`id_`, one row
    of the party's): the grouping of every party then carries no text."""
    ids = {r["id_"] for top in tops for r in top}
    rows = model.objects.filter(pk__in=ids).values_list("pk", *fields)
    found = {pk: (name, country) for pk, name, country in rows}
    for top in tops:
        for r in top:
            r["name_"], r["country_"] = found.get(r["id_"], ("", ""))


# A slice of every country: the parties checked in the order of their overall totals, a batch at a time, before
# the slice's totals are grouped in full instead.
BOUND_BATCH = 500
BOUND_CANDIDATES = 2000


def _summed(totals: QuerySet[PartyTotal], role: str) -> QuerySet:
    """The totals grouped by party (key_, the id of its latest row id_, count_, value_, and a buyer's FLAGS)."""
    return totals.values(key_=F("key")).annotate(
        id_=Max("pk"),
        count_=Sum("count"),
        value_=Sum("value_eur"),
        **({f"{f}_": Sum(f) for f in FLAGS} if role == PartyTotal.BUYER else {}),
    )


def _top_totals(market: Slice, role: str, n: int) -> tuple[list[dict], list[dict]]:
    """The first `n` parties of a slice of whole (country, year, kind) groups by value and by number. A slice of
    one country or of every country reads their overall totals (PartyOverall) in order when it takes every year
    and kind, and else checks the parties in that order until none left can have more than the n-th
    (_top_bounded); a slice of several countries groups their totals."""
    scope = None if len(market.countries) > 1 else (market.countries or (PartyOverall.EVERY,))[0]
    if scope is not None and market.year_from is None and market.year_to is None and not market.kinds:
        flags = FLAGS if role == PartyTotal.BUYER else ()
        tops = []
        for column in ("value_eur", "count"):
            overall = PartyOverall.objects.filter(role=role, country=scope).order_by(f"-{column}", "key")[:n]
            tops.append([
                {"key_": r.key, "name_": r.name, "country_": r.party_country, "count_": r.count,
                 "value_": r.value_eur, **{f"{f}_": getattr(r, f) for f in flags}}
                for r in overall
            ])  # fmt: skip
        return tops[0], tops[1]
    totals = market._common(PartyTotal.objects.filter(role=role))
    found = None
    if scope is not None:
        found = _top_bounded(totals, role, n, scope) if totals.exists() else ([], [])
    if found is None:
        found = _top(_summed(totals, role), n)
    _names(found, PartyTotal, ("name", "party_country"))
    return found


def _top_bounded(totals: QuerySet[PartyTotal], role: str, n: int, scope: str) -> tuple[list[dict], list[dict]] | None:
    """The first `n` parties of these totals (of one country or every country: `scope`) by value and by number,
    or None when they are not among the first BOUND_CANDIDATES by their overall totals there. A party's overall
    total is the most it can have in any slice of its scope (values are never negative): once the n-th found
    has more than the next party's overall total, no party left can come before it. Broad slices end within the
    first batch; a narrow one gives up and is grouped in full."""
    exact: dict[str, dict] = {}  # key -> its row in the slice; a party checked without one has none there
    tops = []
    for order, column in (("value_", "value_eur"), ("count_", "count")):
        overall = PartyOverall.objects.filter(role=role, country=scope).order_by(f"-{column}", "key")
        overall = overall.values_list("key", column)
        for start in range(0, BOUND_CANDIDATES, BOUND_BATCH):
            batch = list(overall[start : start + BOUND_BATCH + 1])  # and the next party's: the bound of the rest
            unknown = [key for key, _ in batch[:BOUND_BATCH] if key not in exact]
            if unknown:
                for r in _summed(totals.filter(key__in=unknown), role).order_by():
                    exact[r["key_"]] = r
            ranked = sorted(exact.values(), key=lambda r: (-(r[order] or 0), r["key_"]))[:n]
            if len(batch) <= BOUND_BATCH or (len(ranked) == n and (ranked[-1][order] or 0) > (batch[-1][1] or 0)):
                tops.append(ranked)  # every party checked, or none left can pass the n-th
                break
        else:
            return None
    return tops[0], tops[1]


def top_parties(market: Slice, role: str, n: int = TOP, *, foreign: bool = False) -> tuple[list[Party], list[Party]]:
    """The slice's biggest buyers (role "b": by the notices' values, as figures.py counts them) or winners ("w":
    by their awards'; `foreign`: firms from another country than the buyer's), by value and by number. From the
    totals for a slice of whole (country, year, kind) groups, else from the facts."""
    if market.by_country_year_kind and not foreign:
        tops = _top_totals(market, role, n)
        return tuple(
            [
                Party(
                    r["key_"],
                    r["name_"],
                    r["count_"],
                    r["value_"] or 0.0,
                    r["country_"],
                    **{f: r.get(f"{f}_", 0) for f in FLAGS},
                )
                for r in top
            ]
            for top in tops
        )
    if role == PartyTotal.BUYER:
        rows = notice_facts(market).exclude(buyer_key="").values(key_=F("buyer_key"))
        rows = rows.annotate(
            id_=Max("pk"),
            count_=Count("pk"),
            value_=NOTICE_VALUE,
            **NOTICE_FLAGS,
        )
        by_value, by_count = _top(rows, n)
        _names((by_value, by_count), NoticeFact, ("buyer", "country"))
        chosen = {r["key_"] for r in (*by_value, *by_count)}
        awards = award_facts(market).filter(buyer_key__in=chosen).values("buyer_key").annotate(**AWARD_FLAGS)
        flags = {r["buyer_key"]: r for r in awards.order_by()}
        return tuple(
            [
                Party(
                    r["key_"],
                    r["name_"],
                    r["count_"],
                    r["value_"],
                    **{f: r[f] for f in NOTICE_FLAGS},
                    **{f: flags.get(r["key_"], {}).get(f, 0) for f in AWARD_FLAGS},
                )
                for r in top
            ]
            for top in (by_value, by_count)
        )
    rows = award_facts(market).exclude(winner_key="")
    if foreign:
        rows = rows.exclude(winner_country="").exclude(country="").exclude(winner_country=F("country"))
    rows = rows.values(key_=F("winner_key")).annotate(id_=Max("pk"), count_=Count("pk"), value_=Sum("value_eur"))
    tops = _top(rows, n)
    _names(tops, AwardFact, ("winner", "winner_country"))
    return tuple(
        [Party(r["key_"], r["name_"], r["count_"], r["value_"] or 0.0, r["country_"]) for r in top] for top in tops
    )


def parties(market: Slice) -> dict[str, list[Party]]:
    """The market page's tables of buyers and winners."""
    buyers_by_value, buyers_by_count = top_parties(market, PartyTotal.BUYER)
    winners_by_value, winners_by_count = top_parties(market, PartyTotal.WINNER)
    return {
        "top_buyers_by_value": buyers_by_value,
        "top_buyers_by_count": buyers_by_count,
        "top_winners_by_value": winners_by_value,
        "top_winners_by_count": winners_by_count,
    }


def open_notices(market: Slice, n: int = TOP) -> QuerySet[Notice]:
    """Notices of the slice open for tenders today, the soonest deadline first."""
    facts = notice_facts(market).filter(kind=COMPETITION).values("notice_id")
    return (
        Notice.objects.filter(pk__in=facts, status="active", deadline__gte=timezone.now())
        .only(*NOTICE_LIST_FIELDS)
        .order_by("deadline")[:n]
    )


def countries_with_data() -> list[dict[str, Any]]:
    """Every buyer country with notices: how many, how many in a green sector, how many awards."""
    green = dict(NoticeFact.objects.exclude(sectors="").values_list("country").annotate(n=Count("pk")).order_by())
    awards = dict(AwardFact.objects.values_list("country").annotate(n=Count("pk")).order_by())
    rows = NoticeFact.objects.exclude(country="").values_list("country").annotate(n=Count("pk")).order_by()
    return [{"country": c, "notices": n, "green": green.get(c, 0), "awards": awards.get(c, 0)} for c, n in rows]
