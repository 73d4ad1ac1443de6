"""Keeping the market facts current: after each ingestion run the notices it created or changed are read again
(`refresh_facts`); `refresh_facts(complete=True)` reads every notice (after a change of rates or rules)."""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F, Max, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from greenbridge.core import bulk, processes
from greenbridge.core.bounds import money_from
from greenbridge.reference.tables import to_eur
from greenbridge.reference.text import fold
from greenbridge.tenders.models import Notice, NoticeSector
from greenbridge.tenders.procedures import procedure_method

from .figures import (
    ARRAYS,
    AWARD_COLUMNS,
    COMPETITION,
    COUNTS,
    LONGEST_PERIOD_DAYS,
    NOTICE_COLUMNS,
    Figures,
)
from .models import AwardFact, MarketCell, NoticeFact, PartyOverall, PartyTotal, Refresh
from .selectors import AWARD_FLAGS, FLAGS, NOTICE_FLAGS, NOTICE_VALUE

log = logging.getLogger(__name__)

BATCH = 2000
NOTICE_FIELDS = (
    "id",
    "notice_type",
    "buyer_country",
    "buyer_name",
    "buyer_id",
    "published",
    "deadline",
    "demo_shift_days",
    "cpv_codes",
    "green_sectors",
    "value_amount",
    "value_currency",
    "procedure_type",
    "awards",
)
FACT_COLUMNS = [f.name for f in NoticeFact._meta.concrete_fields]  # "notice" among them
CELL_COLUMNS = [f.name for f in MarketCell._meta.concrete_fields if not f.primary_key]
AWARD_FACT_COLUMNS = [f.name for f in AwardFact._meta.concrete_fields if f.name != "id"]


def _key(identifier: str, name: str) -> str:
    return (identifier or "").strip()[:300] or " ".join(fold(name or "").split())[:300]


def facts_of(row: Mapping[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A notice's facts (a NoticeFact's and its AwardFacts' fields by name, "notice" its id), from its values() row:
    plain dicts, written as they are (bulk.insert_values), not model objects (10,000 of them took a third of a
    refresh)."""
    shift = timedelta(days=row["demo_shift_days"] or 0)
    published: datetime | None = row["published"] - shift if row["published"] else None
    codes = row["cpv_codes"] or []
    cpv = codes[0] if codes else ""
    country = row["buyer_country"] or ""
    kind = row["notice_type"]
    dims = dict(
        notice=row["id"],
        sectors=" ".join(row["green_sectors"] or [])[:200],
        country=country,
        year=published.year if published else None,
        month=published.month if published else None,
        kind=kind,
        cpv=cpv,
        division=cpv[:2],
    )
    buyer_key = _key(row["buyer_id"], row["buyer_name"])
    awards = []
    unconverted = False  # a value without a rate for the month
    for award in row["awards"] or []:
        if not isinstance(award, dict):
            continue
        amount = money_from(award.get("value_amount"))
        value_eur = to_eur(amount, award.get("value_currency") or "", published) if published else None
        unconverted |= amount is not None and value_eur is None
        tenderers = award.get("number_of_tenderers")
        winner_country = award.get("supplier_country") or ""
        sme = award.get("supplier_sme")
        name = str(award.get("supplier_name") or "")[:500]
        awards.append(
            dict(
                value_eur=value_eur,
                tenderers=tenderers
                if isinstance(tenderers, int) and not isinstance(tenderers, bool) and 0 <= tenderers < 2**31
                else None,
                winner=name,
                winner_key=_key("", name),
                winner_country=winner_country if len(winner_country) == 2 else "",
                winner_sme=sme if isinstance(sme, bool) else None,
                buyer_key=buyer_key,
                **dims,
            )
        )
    award_values = [a["value_eur"] for a in awards if a["value_eur"] is not None]
    estimated = to_eur(row["value_amount"], row["value_currency"] or "", published) if published else None
    deadline = row["deadline"]
    submission_days = None
    if kind == COMPETITION and row["published"] and deadline and deadline >= row["published"]:
        submission_days = (deadline - row["published"]).days
        if submission_days > LONGEST_PERIOD_DAYS:  # a system's validity, not a time to tender
            submission_days = None
    fact = dict(
        estimated_eur=estimated,
        unconverted=unconverted or (row["value_amount"] is not None and estimated is None),
        awarded_eur=sum(award_values) if award_values else None,
        method=procedure_method(row["procedure_type"]),
        submission_days=submission_days,
        buyer=(row["buyer_name"] or "")[:500],
        buyer_key=buyer_key,
        **dims,
    )
    return fact, awards


def _batches(ids: Iterable[int]) -> Iterator[list[int]]:
    batch: list[int] = []
    for i in ids:
        batch.append(i)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


# PostgreSQL advisory lock key of the refresh: one at a time, whichever process runs it.
REFRESH_LOCK = 1_400_000_014


@contextmanager
def _one_at_a_time() -> Iterator[None]:
    """Two refreshes at once would both replace the same facts. On PostgreSQL (several workers) a session advisory
    lock makes the second wait for the first; SQLite runs one process's refreshes one after another anyway."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [REFRESH_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [REFRESH_LOCK])


def refresh_facts(*, complete: bool = False) -> Refresh:
    """Read again the notices changed since the last refresh (all of them with `complete`, or when there was
    none), replacing their facts. A notice whose facts cannot be made is logged and skipped: the others go on."""
    with _one_at_a_time(), bulk.sqlite_for_bulk_work():
        return _refresh(complete)


def _refresh(complete: bool) -> Refresh:
    start = time.monotonic()
    last = Refresh.objects.filter(upto__isnull=False).first()
    notices = Notice.objects.all()
    complete = complete or last is None
    if not complete:
        # The same instant again: a notice saved in the same clock tick as the last one read is not missed.
        notices = notices.filter(updated__gte=last.upto)
    upto = notices.aggregate(Max("updated"))["updated__max"] or (last.upto if last else None)
    refresh = Refresh(upto=upto, complete=complete)
    ids = list(notices.order_by("id").values_list("id", flat=True))
    if complete:
        with transaction.atomic():
            AwardFact.objects.all().delete()
            NoticeFact.objects.all().delete()
    batches = list(_batches(ids))
    shares = _shares(len(ids))
    made = _Made()
    workers = processes.start(shares, lambda share: _bulk(_make_facts, batches[share::shares], complete))
    made.add(_bulk(_make_facts, batches[0::shares], complete))
    for share, outcome in enumerate(processes.wait(workers), 1):
        if isinstance(outcome, _Made):
            made.add(outcome)
        else:  # that process's notices are read here instead (replacing the facts it may have written before failing)
            log.error("market facts: %s; its notices are read again", outcome)
            made.add(_make_facts(batches[share::shares], False))
    refresh.notices, refresh.awards = made.notices, made.awards
    cells = None if complete else made.cells
    parties = None if complete else (made.buyers, made.winners)
    # The cells and the parties' totals are made from the facts independently: side by side when there are two.
    workers = processes.start(min(shares, 2), lambda _: _bulk(rebuild_parties, parties))
    _bulk(rebuild_cells, cells)
    for outcome in processes.wait(workers):
        if not isinstance(outcome, int):
            log.error("market totals: %s; they are made again", outcome)
            rebuild_parties(parties)
    if not workers:
        rebuild_parties(parties)
    _gather_statistics(complete)
    refresh.seconds = time.monotonic() - start
    refresh.save()
    return refresh


# Notices from which the facts are made by two processes (settings.BATCH_PROCESSES), on SQLite: there the refresh
# runs in the ingestion's own process, after it. (On PostgreSQL it is a Celery task, holding a session's lock.)
SHARED_FROM = 5_000


def _shares(notices: int) -> int:
    if connection.vendor != "sqlite" or notices < SHARED_FROM:
        return 1
    return processes.available(settings.BATCH_PROCESSES)


@dataclass
class _Made:
    """What making the facts of some notices did: how many facts, and the cells and parties whose totals change."""

    notices: int = 0
    awards: int = 0
    cells: set[tuple] = field(default_factory=set)  # the cells that change (CELL_FIELDS of a fact)
    buyers: set[tuple] = field(default_factory=set)  # the (country, year, kind, buyer_key) whose totals change
    winners: set[tuple] = field(default_factory=set)  # the (country, year, kind, winner_key) whose totals change

    def add(self, other: _Made) -> None:
        self.notices += other.notices
        self.awards += other.awards
        self.cells |= other.cells
        self.buyers |= other.buyers
        self.winners |= other.winners


def _bulk(work: Callable[..., Any], *args: Any) -> Any:
    """`work(*args)` with the bulk settings on the connection: a forked process, or its parent after the fork,
    opens a new one."""
    with bulk.sqlite_for_bulk_work():
        return work(*args)


def _make_facts(batches: list[list[int]], complete: bool) -> _Made:
    """Replace the facts of the notices of these batches of ids (`complete`: there are none yet)."""
    made = _Made()
    for batch in batches:
        if not complete:
            made.cells.update(NoticeFact.objects.filter(notice_id__in=batch).values_list(*CELL_FIELDS))
            made.buyers.update(NoticeFact.objects.filter(notice_id__in=batch).values_list(*PARTY_GROUP, "buyer_key"))
            made.winners.update(AwardFact.objects.filter(notice_id__in=batch).values_list(*PARTY_GROUP, "winner_key"))
        facts, awards = [], []
        for row in Notice.objects.filter(id__in=batch).values(*NOTICE_FIELDS):
            try:
                fact, its_awards = facts_of(row)
            except Exception:
                log.exception("market facts: notice %s skipped", row["id"])
                continue
            facts.append(tuple(fact[f] for f in FACT_COLUMNS))
            awards.extend(tuple(a[f] for f in AWARD_FACT_COLUMNS) for a in its_awards)
            made.cells.add(tuple(fact[f] for f in CELL_FIELDS))
            made.buyers.add((fact["country"], fact["year"], fact["kind"], fact["buyer_key"]))
            made.winners.update((a["country"], a["year"], a["kind"], a["winner_key"]) for a in its_awards)
        with transaction.atomic():
            if not complete:
                AwardFact.objects.filter(notice_id__in=batch).delete()
                NoticeFact.objects.filter(notice_id__in=batch).delete()
            bulk.insert_values(NoticeFact, FACT_COLUMNS, facts)
            bulk.insert_values(AwardFact, AWARD_FACT_COLUMNS, awards)
        made.notices += len(facts)
        made.awards += len(awards)
    return made


def _gather_statistics(complete: bool) -> None:
    """SQLite's query planner chooses among the indexes of the facts and totals by their statistics (ANALYZE):
    without them it reads every fact of five countries to find a sector's few notices among them, and takes the
    totals' covering index for a single country's slice. Gathered after a full refresh and the first time; the
    proportions hold as the tables grow. PostgreSQL's autovacuum keeps its own."""
    if connection.vendor != "sqlite":
        return
    tables = [model._meta.db_table for model in (NoticeFact, AwardFact, PartyTotal, NoticeSector)]
    with connection.cursor() as cursor:
        if not complete:
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone():
                cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
                analysed = {row[0] for row in cursor.fetchall()}
                tables = [t for t in tables if t not in analysed]
        for table in tables:
            cursor.execute(f"ANALYZE {table}")


# A cell: the facts with the same buyer country, year, kind, CPV division and green sectors.
CELL_FIELDS = ("country", "year", "kind", "division", "sectors")
CHUNK = 200  # keys per query when a refresh makes cells and totals again


def _where(fields: Sequence[str], values: Sequence[Any], padded: bool = False) -> Q:
    """The rows with these values (a year may be None; `padded`: cells keep their sectors as " a b ")."""
    q = Q()
    for name, value in zip(fields, values, strict=True):
        if name == "year" and value is None:
            q &= Q(year__isnull=True)
        elif name == "sectors" and padded:
            q &= Q(sectors=f" {value} " if value else "")
        else:
            q &= Q(**{name: value})
    return q


def _figures(where: Q) -> dict[tuple, Figures]:
    """The figures of each cell (CELL_FIELDS) of the facts `where` selects."""
    cells: dict[tuple, Figures] = {}
    n = len(CELL_FIELDS)
    notices = NoticeFact.objects.filter(where).values_list(*CELL_FIELDS, *NOTICE_COLUMNS)
    for row in notices.iterator(chunk_size=5000):
        key = row[:n]
        (cells.get(key) or cells.setdefault(key, Figures())).add_notice(*row[n:])
    awards = AwardFact.objects.filter(where).values_list(*CELL_FIELDS, *AWARD_COLUMNS)
    for row in awards.iterator(chunk_size=5000):
        key = row[:n]
        (cells.get(key) or cells.setdefault(key, Figures())).add_award(*row[n:])
    return cells


def _cell_row(figures: Figures, **where: Any) -> tuple:
    """A MarketCell's row (CELL_COLUMNS), written as it is (bulk.insert_values)."""
    values = where | figures.state()
    return tuple(values[name] for name in CELL_COLUMNS)


def _fine_rows(cells: dict[tuple, Figures]) -> list[tuple]:
    return [
        _cell_row(figures, level=MarketCell.FINE, country=country, year=year, kind=kind, division=division,
                  sectors=f" {sectors} " if sectors else "")
        for (country, year, kind, division, sectors), figures in cells.items()
    ]  # fmt: skip


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def rebuild_cells(keys: Iterable[tuple] | None = None) -> int:
    """Make these market cells (CELL_FIELDS values) again from their facts, every cell with None, and then their
    coarser cells. Returns how many cells were written. A cell's facts are an index range of the facts (their
    CELL_FIELDS index): one query each, which SQLite answers at once, where one query for many cells (a long OR)
    made it read every fact."""
    made = 0
    if keys is None:
        MarketCell.objects.all().delete()
        groups = sorted(NoticeFact.objects.values_list("country", "year").distinct().order_by(), key=_order)
        for group in groups:  # a country's year at a time: memory stays bounded
            rows = _fine_rows(_figures(_where(("country", "year"), group)))
            bulk.insert_values(MarketCell, CELL_COLUMNS, rows)
            made += len(rows)
    else:
        keys = sorted(set(keys), key=_order)
        groups = sorted({key[:2] for key in keys}, key=_order)
        for chunk in _chunks(keys):
            with transaction.atomic():
                rows = []
                for key in chunk:
                    rows += _fine_rows(_figures(_where(CELL_FIELDS, key)))
                    MarketCell.objects.filter(_where(CELL_FIELDS, key, padded=True), level=MarketCell.FINE).delete()
                bulk.insert_values(MarketCell, CELL_COLUMNS, rows)
            made += len(rows)
    for group in groups:
        made += _rebuild_coarse(group)
    return made


def _order(key: Sequence[Any]) -> tuple:
    return tuple((v is None, v if v is not None else "") for v in key)


def _rebuild_coarse(group: tuple) -> int:
    """A (country, year) group's year by kind, and all kinds together (MarketCell levels 1 and 0), merged from
    its fine cells."""
    cells = MarketCell.objects.filter(_where(("country", "year"), group))
    kinds: dict[str, Figures] = defaultdict(Figures)
    whole = Figures()
    for kind, *state in cells.filter(level=MarketCell.FINE).values_list("kind", *COUNTS, *ARRAYS):
        counts, arrays = state[: len(COUNTS)], state[len(COUNTS) :]
        kinds[kind].add_state(counts, arrays)
        whole.add_state(counts, arrays)
    country, year = group
    every = "*"
    rows = [
        _cell_row(figures, level=MarketCell.KINDS, country=country, year=year, kind=kind, division=every,
                  sectors=every)
        for kind, figures in kinds.items()
    ]  # fmt: skip
    if kinds:
        rows.append(
            _cell_row(whole, level=MarketCell.YEARS, country=country, year=year, kind=every, division=every,
                      sectors=every)
        )  # fmt: skip
    with transaction.atomic():
        cells.filter(level__in=(MarketCell.KINDS, MarketCell.YEARS)).delete()
        bulk.insert_values(MarketCell, CELL_COLUMNS, rows)
    return len(rows)


PARTY_GROUP = ("country", "year", "kind")


def _by_party(model: type[NoticeFact] | type[AwardFact], where: Q, key: str, **sums: Any) -> tuple[str, tuple]:
    """The SQL of the facts `where` selects grouped by PARTY_GROUP and the party (`key`, as key_), with `sums`."""
    rows = model.objects.filter(where).exclude(**{key: ""}).values(*PARTY_GROUP, key_=F(key)).annotate(**sums)
    return rows.order_by().query.sql_with_params()


def _insert_totals(role: str, where: Q) -> int:
    """INSERT the totals of the buyers (role "b") or the winners ("w") of the facts `where` selects, in one
    statement (INSERT … SELECT: no rows through Python). A buyer's count, value and indicators come from its notices
    (NOTICE_FLAGS), its contracts' indicators from the awards of the same group (AWARD_FLAGS). Returns how many."""
    columns = ["role", *PARTY_GROUP, "key", "name", "party_country", "count", "value_eur", *FLAGS]
    if role == PartyTotal.WINNER:
        sql, params = _by_party(
            AwardFact,
            where,
            "winner_key",
            name_=Max("winner"),
            party_country_=Max("winner_country"),
            count_=Count("pk"),
            value_eur_=Coalesce(Sum("value_eur"), 0.0),
        )
        values = ", ".join(["g.name_", "g.party_country_", "g.count_", "g.value_eur_", *("0" for _ in FLAGS)])
        source = f"({sql}) AS g"
    else:
        notices_sql, notices_params = _by_party(
            NoticeFact,
            where,
            "buyer_key",
            name_=Max("buyer"),
            count_=Count("pk"),
            value_eur_=NOTICE_VALUE,
            **{f"{flag}_": count for flag, count in NOTICE_FLAGS.items()},
        )
        awards_sql, awards_params = _by_party(
            AwardFact, where, "buyer_key", **{f"{flag}_": count for flag, count in AWARD_FLAGS.items()}
        )
        params = (*notices_params, *awards_params)
        values = ", ".join(
            [
                "g.name_",
                "''",
                "g.count_",
                "g.value_eur_",
                *(f"g.{flag}_" if flag in NOTICE_FLAGS else f"COALESCE(a.{flag}_, 0)" for flag in FLAGS),
            ]
        )
        same = " AND ".join(
            ("a.country = g.country", "a.kind = g.kind", "a.key_ = g.key_", "COALESCE(a.year, 0) = COALESCE(g.year, 0)")
        )
        source = f"({notices_sql}) AS g LEFT JOIN ({awards_sql}) AS a ON {same}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PartyTotal._meta.db_table} ({', '.join(columns)}) "  # noqa: S608 (model names; values as parameters)
            f"SELECT %s, g.country, g.year, g.kind, g.key_, {values} FROM {source}",
            [role, *params],
        )
        return cursor.rowcount


def rebuild_parties(keys: tuple[set[tuple], set[tuple]] | None = None) -> int:
    """Make the buyers' and winners' totals again: of these (country, year, kind, key) for buyers and for winners,
    or all of them (None); then their overall totals. Returns how many totals were written."""
    sources = ((PartyTotal.BUYER, "buyer_key"), (PartyTotal.WINNER, "winner_key"))
    made = 0
    if keys is None:
        PartyTotal.objects.all().delete()
        for role, _ in sources:
            made += _insert_totals(role, Q())
        rebuild_overall(None)
        return made
    for (role, column), changed in zip(sources, keys, strict=True):
        by_group: dict[tuple, list[str]] = defaultdict(list)
        for country, year, kind, key in changed:
            if key:
                by_group[country, year, kind].append(key)
        # A group and its keys: an index range of the facts ((country, year, kind, key) indexes).
        for group, group_keys in sorted(by_group.items(), key=lambda item: _order(item[0])):
            for chunk in _chunks(sorted(set(group_keys)), 500):
                with transaction.atomic():
                    PartyTotal.objects.filter(_where(PARTY_GROUP, group), role=role, key__in=chunk).delete()
                    made += _insert_totals(role, _where(PARTY_GROUP, group) & Q(**{f"{column}__in": chunk}))
        rebuild_overall((role, {(country, key) for country, _, _, key in changed if key}))
    return made


def rebuild_overall(changed: tuple[str, set[tuple[str, str]]] | None) -> None:
    """Sum the totals of these parties (role, and (country, key) pairs whose totals changed) in those countries
    and over every country again, or of every party (None)."""
    if changed is None:
        PartyOverall.objects.all().delete()
        for role in (PartyTotal.BUYER, PartyTotal.WINNER):
            _write_overall(role, PartyTotal.objects.filter(role=role))
        return
    role, pairs = changed
    by_key: dict[str, set[str]] = defaultdict(set)
    for country, key in pairs:
        by_key[key].add(country)
    with transaction.atomic():
        for chunk in _chunks(sorted(by_key), 500):
            countries = set().union(*(by_key[key] for key in chunk))
            PartyOverall.objects.filter(role=role, country__in=[*countries, PartyOverall.EVERY], key__in=chunk).delete()
            _write_overall(role, PartyTotal.objects.filter(role=role, key__in=chunk), countries)


def _write_overall(role: str, totals: QuerySet[PartyTotal], countries: set[str] | None = None) -> None:
    """INSERT the sums of these totals per party in each country (of `countries`, when given) and over every
    country, with the name and country of its latest row there, in one statement each (INSERT … SELECT: no rows
    through Python). A winner's sums are read from the totals' covering index alone (a winner has no buyer's
    indicators)."""
    summed = ["count", "value_eur", *(FLAGS if role == PartyTotal.BUYER else ())]
    columns = ["count", "value_eur", *FLAGS]
    values = ", ".join(f"g.{c}_" if c in summed else "0" for c in columns)
    target, source = PartyOverall._meta.db_table, PartyTotal._meta.db_table
    sums = {f"{c}_": Sum(c) for c in summed}
    for by_country in (True, False):
        rows = totals.filter(country__in=countries) if by_country and countries is not None else totals
        grouped = rows.values("key", *(["country"] if by_country else [])).annotate(latest=Max("pk"), **sums)
        select, params = grouped.order_by().query.sql_with_params()
        country = "g.country" if by_country else "%s"
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {target} (role, country, key, name, party_country, {', '.join(columns)}) "  # noqa: S608
                f"SELECT %s, {country}, g.key, t.name, t.party_country, {values} "
                f"FROM ({select}) AS g JOIN {source} AS t ON t.id = g.latest",
                [role, *([] if by_country else [PartyOverall.EVERY]), *params],
            )
