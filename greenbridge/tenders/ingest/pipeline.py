"""The ingestion pipeline shared by every connector.

Items are read as a stream and handled in batches: for each batch, the notices it touches are
taken from memory (a recent batch touched them) or fetched in one query, and every item is folded
into its notice's state. A notice stays in memory until WINDOW batches have passed without touching
it; then the connector finishes it (for OCDS: merging and mapping the releases that waited) and it is
written, with the other notices that went cold in that batch, in one transaction (bulk inserts, one
search-index pass). If that transaction fails, each notice is written again in its own transaction,
so one notice that cannot be saved is rejected alone: every run is atomic per notice, and a rejected
item never stops the others. Outcomes are counted when a notice is written.

Idempotency: every state that arrives (an OCDS release, a record's compiled release, an eForms
notice or change notice) is kept as a NoticeVersion under its key; a key seen before is
"unchanged", so the same file twice changes nothing. The newest state (by its date) wins.
"""

import hashlib
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice
from typing import Any

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext_noop

from greenbridge.core import bulk, heap
from greenbridge.core import processes as forked
from greenbridge.core.bounds import day_or_none, money_or_none
from greenbridge.reference import green
from greenbridge.reference.text import fold
from greenbridge.tenders import search
from greenbridge.tenders.models import IngestRun, Notice, NoticeCpv, NoticeSector, NoticeVersion
from greenbridge.tenders.signals import ingest_finished

from . import shards
from .types import IngestError, NoticeData, RejectedItem, Said

log = logging.getLogger(__name__)

BATCH_SIZE = 1000
WINDOW = 3  # batches a notice stays in memory after the last one that touched it (then it is written)
MAX_REJECTIONS_KEPT = 1000

# Notice fields written from NoticeData (plus green_sectors, content_hash, state_date).
_DATA_FIELDS = (
    "ocid",
    "procedure_id",
    "notice_type",
    "title",
    "description",
    "language",
    "titles",
    "descriptions",
    "buyer_name",
    "buyer_id",
    "buyer_country",
    "cpv_codes",
    "nuts_codes",
    "value_amount",
    "value_currency",
    "deadline",
    "published",
    "ojs_number",
    "procedure_type",
    "status",
    "url",
    "green_flags",
    "raw",
    "raw_format",
)
_WRITE_FIELDS = (*_DATA_FIELDS, "lots", "awards", "green_sectors", "content_hash", "state_date", "updated")


@dataclass(slots=True)
class Version:
    """A state as it arrived, to be kept as a NoticeVersion (a plain record: there are many)."""

    key: str
    date: datetime | None
    tags: list[str]
    raw: str  # "" until the connector serialises `doc` (it may wait until it finishes the notice)
    raw_format: str
    doc: Any = None  # the parsed document, when the connector keeps it


@dataclass
class Item:
    """One item read from an input: its position, the notice it belongs to, and its payload
    (connector-specific), or the reason it was rejected while reading."""

    position: str
    key: str = ""
    payload: Any = None
    rejected: "RejectedItem | str" = ""


@dataclass(eq=False)  # states are compared by identity
class State:
    """A notice as it evolves while it is in memory: from the first batch that touches it until it is
    written, WINDOW batches after the last one that touched it."""

    key: str
    notice: Notice | None
    version_keys: set[str]
    data: NoticeData | None = None  # the new state, when it changed
    content_hash: str = ""
    state_date: datetime | None = None
    context: dict[str, Any] = field(default_factory=dict)  # connector scratch (e.g. compiled release)
    new_versions: list["Version"] = field(default_factory=list)
    outcomes: list[tuple[str, str]] = field(default_factory=list)  # (position, outcome)
    loaded_hash: str = ""  # the content hash when it was loaded (its items since changed it, or not)

    @property
    def exists(self) -> bool:
        return self.notice is not None or self.data is not None

    @property
    def current_hash(self) -> str:
        return self.content_hash or (self.notice.content_hash if self.notice else "")

    @property
    def changed(self) -> bool:
        return self.data is not None


class Connector:
    """What a source format plugs into the pipeline."""

    name = ""
    # Batches a notice stays in memory after the last one that touched it. A feed of releases updates its
    # processes a few pages later (WINDOW); a notice document is whole, and what corrects it later is read
    # from the database like any notice stored by an earlier run.
    window = WINDOW

    def items(self, location: str) -> Iterator[Item]:
        raise NotImplementedError

    def shardable(self, location: str) -> bool:
        """Whether several processes may ingest this input side by side (shards.py), each reading all of it and
        keeping its share of the notices: for an input read locally whose reading is a small part of the work."""
        return False

    def prepare(self, states: dict[str, "State"], batch: list[Item]) -> None:
        """Called once per batch before `apply`: fetch in bulk what `apply` will need."""

    def apply(self, state: State, item: Item) -> str:
        """Fold one item into the state; return "created", "updated" or "unchanged"."""
        raise NotImplementedError

    def finish(self, state: State) -> list[tuple[str, "RejectedItem | str"]]:
        """Called once per state just before it is written (after the last batch that touched it):
        complete what `apply` left for later. Returns the items rejected then, as (position, reason)."""
        return []


@dataclass
class Report:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    rejections: list[dict[str, str]] = field(default_factory=list)  # {"position": …, "reason": …}, in English
    # The same reasons as data, one for each, to say them in the reader's language (types.say): {"message": …,
    # "params": …}, or {} for a reason given as text only.
    rejections_said: list[dict[str, Any]] = field(default_factory=list)

    def reject(self, position: str, reason: "Said | str") -> None:
        """Count a rejected item; the first MAX_REJECTIONS_KEPT are kept, with the reason in English and as data."""
        self.rejected += 1
        if len(self.rejections) < MAX_REJECTIONS_KEPT:
            self.rejections.append({"position": position, "reason": str(reason)})
            self.rejections_said.append(reason.as_json() if isinstance(reason, Said) else {})

    def count(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def add(self, other: "Report") -> None:
        """Another process's part of the same run."""
        for f in ("read", "created", "updated", "unchanged", "rejected"):
            setattr(self, f, getattr(self, f) + getattr(other, f))
        room = MAX_REJECTIONS_KEPT - len(self.rejections)
        self.rejections += other.rejections[:room]
        self.rejections_said += other.rejections_said[:room]


def content_hash(data: NoticeData) -> str:
    """What identifies a state: its raw document. Every other field is mapped from it by the
    connector, so equal documents mean equal notices (hashing the mapped fields as well cost more
    than classifying the notice)."""
    return hashlib.sha256(f"{data.raw_format}:{data.raw}".encode()).hexdigest()


def propose(state: State, data: NoticeData) -> str:
    """Make `data` the new state of the notice unless an equal state is already there."""
    new_hash = content_hash(data)
    current = state.current_hash
    outcome = "updated" if state.exists else "created"
    if new_hash == current:
        return "unchanged"
    state.data, state.content_hash, state.state_date = data, new_hash, data.version_date
    return outcome


def add_version(
    state: State, *, key: str, date: datetime | None, tags: list[str], raw: str, fmt: str, doc: Any = None
) -> bool:
    """Keep an arriving state as history. False when this key was already seen (idempotency)."""
    if key in state.version_keys:
        return False
    state.version_keys.add(key)
    state.new_versions.append(Version(key, date, tags, raw, fmt, doc))
    return True


def current_date(state: State) -> datetime | None:
    if state.data is not None:
        return state.state_date
    return state.notice.state_date if state.notice else None


# --- writing -----------------------------------------------------------------------------------


def _fill(notice: Notice, state: State) -> None:
    data = state.data
    assert data is not None
    for f in _DATA_FIELDS:
        setattr(notice, f, getattr(data, f))
    # A source's typo (an amount of 1e25, a deadline in year 9999) is not kept: the notice is, without it.
    notice.value_amount = money_or_none(data.value_amount)
    notice.deadline, notice.published = day_or_none(data.deadline), day_or_none(data.published)
    # The by-language texts are kept for multilingual notices only: for the others they would only
    # repeat the title and description (the longest text of most notices), costing time and space.
    if len(data.titles) < 2:
        notice.titles = {}
    if len(data.descriptions) < 2:
        notice.descriptions = {}
    notice.lots = [lot.as_json() for lot in data.lots]
    notice.awards = [a.as_json() for a in data.awards]
    # The folded text is kept for the search index, written in the same batch.
    notice._folded_text, notice.green_sectors = _fold_and_classify(notice)
    notice.content_hash = state.content_hash
    notice.state_date = data.version_date


def _texts(notice: Notice) -> list[str]:
    """Every text of a notice once: the by-language dicts repeat the main title and description."""
    lots = notice.lots or []
    return list(
        dict.fromkeys(
            [
                notice.title,
                *notice.titles.values(),
                notice.description,
                *notice.descriptions.values(),
                *(lot.get("title", "") for lot in lots),
            ]
        )
    )


def _folded_text(notice: Notice) -> str:
    """The notice's texts folded once (case, diacritics), for both the classifier and the search
    index; " | " keeps a keyword phrase from spanning two texts."""
    return fold(" | ".join(t for t in _texts(notice) if t))


_CLASSIFIED: dict[tuple, tuple[str, tuple[str, ...]]] = {}
_CLASSIFIED_MAX = 20_000


def _fold_and_classify(notice: Notice) -> tuple[str, list[str]]:
    """The folded text and the green sectors of a notice, remembered for the last notices of the
    process: an update that leaves a notice's texts, codes and flags as they were (most updates: a new
    deadline, a status) is neither folded nor classified again."""
    lots = notice.lots or []
    texts = tuple(_texts(notice))
    codes = (*notice.cpv_codes, *(c for lot in lots for c in lot.get("cpv_codes", [])))
    key = (id(green.taxonomy()), texts, codes, tuple(notice.green_flags))
    known = _CLASSIFIED.get(key)
    if known is None:
        folded = fold(" | ".join(t for t in texts if t))
        sectors = green.classify(cpv_codes=codes, texts=[folded], flags=notice.green_flags, folded=True)
        if len(_CLASSIFIED) >= _CLASSIFIED_MAX:
            _CLASSIFIED.clear()
        known = _CLASSIFIED[key] = (folded, tuple(sectors))
    return known[0], list(known[1])


def classify_notice(notice: Notice, folded: str | None = None) -> list[str]:
    """Green sectors from the notice's and its lots' CPV codes and texts, and its eForms flags."""
    lots = notice.lots or []
    return green.classify(
        cpv_codes=[*notice.cpv_codes, *(c for lot in lots for c in lot.get("cpv_codes", []))],
        texts=[folded if folded is not None else _folded_text(notice)],
        flags=notice.green_flags,
        folded=True,
    )


def notice_codes(notice: Notice) -> list[str]:
    """The notice's CPV codes and its lots', main first, each once."""
    return list(dict.fromkeys([*notice.cpv_codes, *(c for lot in notice.lots or () for c in lot.get("cpv_codes", []))]))


def notice_document(notice: Notice) -> str:
    """The folded text the search index holds for a notice: its texts and its buyer."""
    folded = getattr(notice, "_folded_text", None) or _folded_text(notice)
    return f"{folded} {fold(notice.buyer_name)}"


def index_row(notice: Notice, codes: list[str] | None = None) -> tuple[int, str, str]:
    """The notice's row of the search index (search.index_documents)."""
    codes = notice_codes(notice) if codes is None else codes
    return notice.pk, notice_document(notice), search.filter_tokens(codes, notice.buyer_country)


_NOTICE_COLUMNS = [f.name for f in Notice._meta.concrete_fields if not f.primary_key]


def _filled(states: list[State], source: str, report: Report) -> dict[int, Notice]:
    """Each changed state's notice (a new one for a notice not stored yet) with its fields filled: the work
    that needs no database (folding, classifying), done before the batch's write transaction so that the
    transaction holds the database only for writing (another process may be waiting to write). A state that
    cannot be filled is rejected alone: its items are reported and lose their outcome."""
    filled = {}
    for s in states:
        if s.changed:
            notice = s.notice or Notice(source=source, source_id=s.key)
            try:
                _fill(notice, s)
            except Exception as exc:
                log.warning("notice %s could not be filled", s.key, exc_info=True)
                _reject_state(s, _not_saved(exc), report)
                continue
            filled[id(s)] = notice
    return filled


def _not_saved(exc: Exception) -> RejectedItem:
    return RejectedItem(gettext_noop("could not be saved: %(error)s"), error=exc)


def _reject_state(state: State, reason: RejectedItem, report: Report) -> None:
    for position, _ in state.outcomes:
        report.reject(position, reason)
    state.outcomes = []


def _write(states: list[State], source: str, filled: dict[int, Notice]) -> None:
    created = [s for s in states if s.changed and s.notice is None]
    updated = [s for s in states if s.changed and s.notice is not None]
    new_rows = [filled[id(s)] for s in created]
    bulk.insert(Notice, new_rows, _NOTICE_COLUMNS)
    if new_rows:
        ids = dict(
            Notice.objects.filter(source=source, source_id__in=[s.key for s in created]).values_list("source_id", "pk")
        )
        for s, n in zip(created, new_rows, strict=True):
            n.pk, n._state.adding = ids[s.key], False
            s.notice = n
    if updated:
        # Versions that share the notice's document get their own copy before it changes.
        NoticeVersion.objects.filter(notice_id__in=[s.notice.pk for s in updated], raw="").update(
            raw=Subquery(Notice.objects.filter(pk=OuterRef("notice_id")).values("raw")[:1])
        )
        bulk.update(Notice, [s.notice for s in updated], _WRITE_FIELDS)
        old_ids = [s.notice.pk for s in updated]
        NoticeCpv.objects.filter(notice_id__in=old_ids).delete()
        NoticeSector.objects.filter(notice_id__in=old_ids).delete()
    changed = [s.notice for s in created + updated]
    cpv_rows, sector_rows, documents = [], [], []
    for n in changed:
        codes = notice_codes(n)
        cpv_rows += [(n.pk, c, i == 0) for i, c in enumerate(codes)]
        sector_rows += [(n.pk, s) for s in n.green_sectors]
        documents.append(index_row(n, codes))
    bulk.insert_values(NoticeCpv, ["notice", "code", "is_main"], cpv_rows)
    bulk.insert_values(NoticeSector, ["notice", "sector"], sector_rows)
    now = timezone.now()
    versions = [
        (s.notice.pk, v.key, v.date, v.tags, "" if s.changed and v.raw == s.data.raw else v.raw, v.raw_format, now)
        for s in states
        for v in s.new_versions
    ]
    bulk.insert_values(
        NoticeVersion, ["notice", "version_key", "date", "tags", "raw", "raw_format", "received"], versions
    )
    search.index_documents(documents)


def _write_batch(states: list[State], source: str, report: Report) -> None:
    """Write these states in one transaction, or notice by notice if that fails (a notice that cannot
    be saved is rejected alone: its items are reported and lose their outcome)."""
    filled = _filled(states, source, report)
    states = [s for s in states if id(s) in filled or not s.changed]
    new = [s for s in states if s.notice is None]
    try:
        with transaction.atomic():
            _write(states, source, filled)
    except Exception:
        log.warning("batch write failed; writing notice by notice", exc_info=True)
        for s in new:  # their rows were rolled back with the batch
            s.notice = None
        for s in states:
            try:
                with transaction.atomic():
                    _write([s], source, filled)
            except Exception as exc:  # one notice that cannot be saved is rejected alone
                if s in new:
                    s.notice = None
                _reject_state(s, _not_saved(exc), report)


def _save(connector: Connector, states: list[State], source: str, report: Report) -> None:
    """Finish the states (the connector's last step: merging and mapping what waits), write those that
    changed or have new history, and count the outcomes of all of them."""
    for state in states:
        _finish(connector, state, report)
    _write_batch([s for s in states if s.changed or s.new_versions], source, report)
    for s in states:
        for _position, outcome in s.outcomes:
            report.count(outcome)


# --- the run -----------------------------------------------------------------------------------


def _batched(items: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """The items in lists of `size`. When the input turns out unreadable (IngestError: a file cut short), the
    items read before that point come first, as a last shorter list, and then the error."""
    it = iter(items)
    while True:
        batch: list[Item] = []
        try:
            batch.extend(islice(it, size))
        except IngestError:
            if batch:
                yield batch
            raise
        if not batch:
            return
        yield batch


def _load_states(source: str, keys: Iterable[str], window: dict[str, State]) -> dict[str, State]:
    """The state of each notice the batch touches, in the order of `keys` (the input's: new notices are written,
    and numbered, in the order they come, whatever the process): the one in memory when a recent batch touched it
    (not written yet), else from the database."""
    keys = list(keys)
    missing = [k for k in keys if k not in window]
    loaded: dict[str, State] = {}
    if missing:
        # Only what the pipeline reads of a stored notice: an update sets every other field it writes.
        # (Loading whole notices decoded seven JSON columns per notice, for nothing.)
        stored = Notice.objects.filter(source=source, source_id__in=missing).only(
            "pk", "source", "source_id", "content_hash", "state_date"
        )
        notices = {n.source_id: n for n in stored}
        seen: dict[int, set[str]] = {n.pk: set() for n in notices.values()}
        if seen:
            versions = NoticeVersion.objects.filter(notice_id__in=seen).values_list("notice_id", "version_key")
            for notice_id, key in versions:
                seen[notice_id].add(key)
        for k in missing:
            notice = notices.get(k)
            loaded[k] = State(key=k, notice=notice, version_keys=seen[notice.pk] if notice else set())
            loaded[k].loaded_hash = notice.content_hash if notice else ""
    return {k: window[k] if k in window else loaded[k] for k in keys}


class _Window:
    """The notices the last WINDOW batches touched, kept in memory and written once no batch has touched
    them for WINDOW batches. A notice updated soon after it arrives (a tender and its update a few
    pages later, as feeds publish them) is then merged, mapped and written once, not once per batch;
    and it goes on from its state in memory, without a query. Memory stays bounded: WINDOW batches."""

    def __init__(self, size: int = WINDOW) -> None:
        self.size = size
        self.states: dict[str, State] = {}
        self.touched: dict[str, int] = {}
        self.batches: deque[tuple[int, list[str]]] = deque()

    def touch(self, number: int, states: Iterable[State]) -> None:
        keys = []
        for s in states:
            self.states[s.key] = s
            self.touched[s.key] = number
            keys.append(s.key)
        self.batches.append((number, keys))

    def cold(self, number: int) -> list[State]:
        """Take out the states no batch has touched since batch `number - size`."""
        out = []
        while self.batches and self.batches[0][0] <= number - self.size:
            batch, keys = self.batches.popleft()
            for key in keys:
                if self.touched.get(key) == batch:
                    del self.touched[key]
                    out.append(self.states.pop(key))
        return out

    def all(self) -> list[State]:
        out = list(self.states.values())
        self.states, self.touched, self.batches = {}, {}, deque()
        return out


# A run still "running" after this long ended with its process (at about 3,000 releases a second, a day is hundreds
# of millions); should one still be working, it writes its outcome over this when it ends.
STOPPED_AFTER = timedelta(hours=24)


def stopped_runs_end(now: datetime | None = None) -> int:
    """Runs still "running" long after they started ended without a word: their process was killed (out of memory,
    a restart). They are marked failed, so that the operators' page does not show them running for ever."""
    now = now or timezone.now()
    error = IngestError(
        gettext_noop(
            "stopped without finishing: its process ended (out of memory, or a restart) before it could say so"
        )
    )
    return IngestRun.objects.filter(status=IngestRun.Status.RUNNING, started__lt=now - STOPPED_AFTER).update(
        status=IngestRun.Status.FAILED, finished=now, error=str(error), error_said=error.as_json()
    )


def run(
    connector: Connector,
    location: str,
    *,
    source: str,
    progress: Callable[[int], None] | None = None,
    processes: int | None = 1,
) -> IngestRun:
    """Ingest everything at `location`. Returns the finished IngestRun; an unreadable input
    ends the run with status "failed" and its `error` in plain words (items read before the
    error are kept). With `processes` > 1 a local input the connector can split is ingested by that
    many processes (shards.py; None: as many as settings.BATCH_PROCESSES for a large input); the run, its
    report and what follows it (alerts, market facts) stay one."""
    stopped_runs_end()
    ingest_run = IngestRun.objects.create(connector=connector.name, source=source, location=str(location))
    report = Report()
    count = shards.count(connector, location, processes)
    ingest_run.processes = count  # for the command's report (not stored)
    workers = forked.start(count, lambda index: _ingest_shard(connector, location, source, index, count))
    try:
        with bulk.sqlite_for_bulk_work(), heap.rare_collections():
            items = shards.mine(connector.items(location), 0, count, progress)
            error = _ingest(connector, items, source, progress, report)
    except Exception as exc:  # a fault of ours, not of the data: the run says so rather than "running" for ever
        stopped = IngestError(gettext_noop("stopped by an unexpected error: %(error)s"), error=repr(exc))
        IngestRun.objects.filter(pk=ingest_run.pk).update(
            status=IngestRun.Status.FAILED, finished=timezone.now(), error=str(stopped), error_said=stopped.as_json()
        )
        raise
    finally:  # the other processes finish their shares (what they wrote stays), whatever happened here
        outcomes = list(forked.wait(workers))
    for outcome in outcomes:
        if isinstance(outcome, tuple):  # its report, and the error that ended its input early, if one did
            report.add(outcome[0])
            error = error or outcome[1]
        else:  # the process failed
            error = error or outcome
    ingest_run.status = IngestRun.Status.FAILED if error else IngestRun.Status.DONE
    # In English as it was (the command line and the logs say it so), and as data to say it in the reader's language.
    ingest_run.error = str(error or "")
    ingest_run.error_said = error.as_json() if isinstance(error, Said) else {}
    for f in ("read", "created", "updated", "unchanged", "rejected", "rejections", "rejections_said"):
        setattr(ingest_run, f, getattr(report, f))
    ingest_run.finished = timezone.now()
    ingest_run.save()
    ingest_finished.send(sender=IngestRun, run=ingest_run)
    return ingest_run


def _ingest_shard(
    connector: Connector, location: str, source: str, index: int, count: int
) -> tuple[Report, IngestError | None]:
    """A worker process's part of a run: its report, and the error that ended its input early, if one did."""
    report = Report()
    with bulk.sqlite_for_bulk_work(), heap.rare_collections():
        error = _ingest(connector, shards.mine(connector.items(location), index, count), source, None, report)
    return report, error


def _ingest(
    connector: Connector,
    items: Iterable[Item],
    source: str,
    progress: Callable[[int], None] | None,
    report: Report,
) -> IngestError | None:
    """Ingest these items into the report; the error that ended the input early, if one did."""
    window = _Window(connector.window)
    error = None
    try:
        for number, batch in enumerate(_batched(items, BATCH_SIZE), 1):
            report.read += len(batch)
            keys = dict.fromkeys(i.key for i in batch if not i.rejected)  # in the input's order
            states = _load_states(source, keys, window.states) if keys else {}
            connector.prepare(states, [i for i in batch if not i.rejected])
            for item in batch:
                if item.rejected:
                    report.reject(item.position, item.rejected)
                    continue
                state = states[item.key]
                try:
                    outcome = connector.apply(state, item)
                except RejectedItem as exc:
                    report.reject(item.position, exc)
                    continue
                except Exception as exc:  # a shape the mapping did not foresee: this item alone is rejected
                    log.warning("item %s rejected: %r", item.position, exc, exc_info=True)
                    report.reject(
                        item.position, RejectedItem(gettext_noop("could not be read: %(error)s"), error=repr(exc))
                    )
                    continue
                state.outcomes.append((item.position, outcome))
            window.touch(number, states.values())
            _save(connector, window.cold(number), source, report)
            if progress:
                progress(len(batch))
    except IngestError as exc:
        error = exc
    finally:
        _save(connector, window.all(), source, report)  # what was read before an error is kept
    return error


def _finish(connector: Connector, state: State, report: Report) -> None:
    """The connector's last step for one state before it is written; items it rejects lose their
    outcome, and when the state is as it was loaded, none of its items created or updated anything."""
    rejected = connector.finish(state)
    if rejected:
        positions = {position for position, _reason in rejected}
        state.outcomes = [(p, o) for p, o in state.outcomes if p not in positions]
        for position, reason in rejected:
            report.reject(position, reason)
    if state.current_hash == state.loaded_hash:  # its items changed nothing in the end
        state.outcomes = [(p, "unchanged") for p, _o in state.outcomes]


def reject_item(position: str, error: RejectedItem) -> Item:
    return Item(position=position, rejected=error)
