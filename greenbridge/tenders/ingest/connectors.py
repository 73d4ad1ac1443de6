"""The two connectors: OCDS (JSON) and eForms (XML), plugged into the shared pipeline."""

import json
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext_noop

from greenbridge.tenders.models import Notice, NoticeVersion

from . import eforms, ocds, ted_corrigenda
from .pipeline import Connector, Item, State, add_version, current_date, propose
from .ted_r209 import TedNotice
from .types import NoticeData, RejectedItem


def _load(raw: str) -> dict:
    return json.loads(raw, parse_float=Decimal)  # amounts stay exact, as the readers give them


def _stored_document(notice: Notice) -> str:
    """The notice's current document as stored (list queries defer it)."""
    return Notice.objects.filter(pk=notice.pk).values_list("raw", flat=True).first() or ""


class EformsConnector(Connector):
    """eForms notices. A change notice carries the whole notice again, so the newest by issue
    date becomes the state; older ones arriving late are kept as history only. TED's notices from
    before eForms (TED_EXPORT, R2.0.9) come through the same reader, told apart by content."""

    name = "eforms"
    # Each document a whole notice (60 kB of text on average for TED's R2.0.9, up to 540 kB with 24 languages):
    # written with its batch, so that memory holds one batch, not four.
    window = 0

    def items(self, location: str) -> Iterator[Item]:
        for source_item in eforms.iter_eforms(location):
            if isinstance(source_item.data, RejectedItem):
                yield Item(position=source_item.position, rejected=source_item.data)
            else:
                yield Item(position=source_item.position, key=source_item.data.source_id, payload=source_item.data)

    def apply(self, state: State, item: Item) -> str:
        data: NoticeData = item.payload
        if isinstance(data, TedNotice):  # TED's format before eForms (R2.0.9): corrigenda correct a notice
            return ted_corrigenda.apply(state, data)
        if not add_version(
            state,
            key=data.version_key or data.source_id,
            date=data.version_date,
            tags=data.version_tags,
            raw=data.raw,
            fmt="xml",
        ):
            return "unchanged"
        now = current_date(state)
        if state.exists and now and data.version_date and data.version_date < now:
            return "unchanged"  # an older version: history only
        return propose(state, data)


class OcdsConnector(Connector):
    """OCDS releases and records. Releases of one ocid are merged by the OCDS merge rules (merge.py)
    into a compiled release: the newest state wins, every release is history."""

    name = "ocds"

    def __init__(self, *, pages: int = 1) -> None:
        self.pages = pages  # for an OCDS API URL: how many pages to read, following links.next

    def shardable(self, location: str) -> bool:
        # Parsing the JSON is about 7% of a run: each process reading the whole file costs little. A URL is
        # fetched once. (eForms is not split: parsing its XML is most of the work.)
        return not str(location).startswith(("http://", "https://"))

    def items(self, location: str) -> Iterator[Item]:
        for it in ocds.iter_ocds(location, max_pages=self.pages):
            if isinstance(it.data, RejectedItem):
                yield Item(position=it.position, rejected=it.data)
            else:
                yield Item(position=it.position, key=str(it.data["ocid"]), payload=(it.kind, it.data))

    def apply(self, state: State, item: Item) -> str:
        kind, data = item.payload
        if kind == "record" or ocds.is_compiled(data):
            # Releases waiting before it come first (those that cannot be merged are reported by finish).
            state.context.setdefault("rejected", []).extend(self._settle(state))
            if kind == "record":
                return self._apply_record(state, data)
            # A bare compiled release (Canada, Paraguay, Mexico publish them): the publisher's whole
            # state of the process, kept as a record's compiled release is.
            return self._apply_record(state, {"ocid": data["ocid"], "compiledRelease": data})
        return self._apply_release(state, item.position, data)

    # A release is kept as history at once; merging and mapping wait until the notice is written
    # (`finish`, once no batch has touched it for a while: pipeline.WINDOW), so that a notice with
    # several releases close together is merged, mapped, classified and written once, not per release.
    def _apply_release(self, state: State, position: str, release: dict) -> str:
        key = str(release.get("id") or "")
        if not key:
            raise RejectedItem(gettext_noop("the release has no id"))
        pending = state.context.setdefault("pending", [])
        date = ocds.parse_datetime(release.get("date"))
        tags = ocds.release_tags(release.get("tag"))
        if not add_version(state, key=key, date=date, tags=tags, raw="", fmt="json", doc=release):
            return "unchanged"
        outcome = "updated" if state.exists or pending else "created"
        pending.append((position, release))
        return outcome

    def finish(self, state: State) -> list[tuple[str, RejectedItem]]:
        return state.context.pop("rejected", []) + self._settle(state)

    def _settle(self, state: State) -> list[tuple[str, RejectedItem]]:
        """Merge the releases waiting in the state onto it and map the result, once. Returns the
        releases that could not be merged, as (position, reason): when merging them together fails,
        they are merged one at a time, so that only those are rejected."""
        pending: list[tuple[str, dict]] = state.context.pop("pending", None) or []
        if not pending:
            return []
        try:
            self._merge_in(state, [release for _position, release in pending])
            return []
        except RejectedItem:
            pass
        rejected = []
        for position, release in pending:
            try:
                self._merge_in(state, [release])
            except RejectedItem as exc:
                rejected.append((position, exc))
                state.new_versions = [v for v in state.new_versions if v.doc is not release]
                state.version_keys.discard(str(release.get("id")))
        return rejected

    def _merge_in(self, state: State, releases: list[dict]) -> None:
        """Merge releases onto the state's compiled release (newer ones on top; an older one means a
        recompile from the whole history) and map the result. Raises RejectedItem, state unchanged."""
        compiled = self._compiled(state)
        if compiled is None and len(releases) == 1:
            # The first release of an ocid is its state as it is: nothing to merge (and most
            # releases of a feed are the first of their ocid, so this is the fast path).
            release = releases[0]
            raw = ocds.to_json(release)
            self._propose(state, release, raw=raw)
            self._serialise_versions(state, releases, release, raw)
            return
        now = current_date(state)
        if now is not None and any((d := ocds.parse_datetime(r.get("date"))) is not None and d < now for r in releases):
            compiled = ocds.merge_releases(self._history(state))
        else:
            compiled = ocds.merge_releases(releases if compiled is None else [compiled, *releases])
        self._propose(state, compiled)
        self._serialise_versions(state, releases, None, "")

    @staticmethod
    def _serialise_versions(state: State, releases: list[dict], document: dict | None, raw: str) -> None:
        """These releases' own JSON, for history (the notice's document when it is the release itself:
        serialised once). The parsed release is let go: the text is what is kept."""
        merged = {id(r) for r in releases}
        for version in state.new_versions:
            if version.doc is not None and id(version.doc) in merged:
                version.raw = raw if version.doc is document else ocds.to_json(version.doc)
                version.doc = None

    # A record: the publisher's compiled release is the state; its embedded releases are history.
    # Linked releases ({url, date, tag}, the release published elsewhere) carry nothing to read.
    def _apply_record(self, state: State, record: dict) -> str:
        embedded = [r for r in record.get("releases") or [] if isinstance(r, dict)]
        releases = [r for r in embedded if r.get("id")]
        new = False
        for r in releases:
            new |= add_version(
                state,
                key=str(r["id"]),
                date=ocds.parse_datetime(r.get("date")),
                tags=ocds.release_tags(r.get("tag")),
                raw=ocds.to_json(r),
                fmt="json",
            )
        compiled = record.get("compiledRelease")
        if isinstance(compiled, dict):
            if not compiled.get("ocid"):
                compiled = {"ocid": record["ocid"], **compiled}
            key = f"compiled:{compiled.get('id') or compiled.get('date') or ''}"
            new |= add_version(
                state,
                key=key,
                date=ocds.parse_datetime(compiled.get("date")),
                tags=["compiled"],
                raw=ocds.to_json(compiled),
                fmt="json",
            )
        elif releases:
            compiled = ocds.merge_releases(releases)
        elif any("url" in r for r in embedded):
            raise RejectedItem(
                gettext_noop("a record with only linked releases and no compiled release: nothing to read")
            )
        else:
            raise RejectedItem(gettext_noop("the record has neither a compiledRelease nor releases to merge"))
        if not new:
            return "unchanged"
        now, date = current_date(state), ocds.parse_datetime(compiled.get("date"))
        if state.exists and now and date and date < now:
            return "unchanged"
        return self._propose(state, compiled)

    def _propose(self, state: State, compiled: dict, *, raw: str | None = None) -> str:
        data = ocds.release_to_notice(compiled, raw=raw)
        data.version_key = ""
        state.context["compiled"] = compiled
        return propose(state, data)

    def prepare(self, states: dict[str, State], batch: list[Item]) -> None:
        """Fetch, in one query, the compiled state of the stored notices that new releases will
        be merged onto (not the others: a re-run of the same feed needs none)."""
        wanted = {}
        for item in batch:
            state = states.get(item.key)
            kind, data = item.payload or ("", {})
            if (
                state is not None
                and state.notice is not None
                and "compiled" not in state.context  # a state saved earlier in this run keeps it
                and kind == "release"
                and str(data.get("id") or "") not in state.version_keys
            ):
                wanted[state.notice.pk] = state
        for pk, raw in Notice.objects.filter(pk__in=wanted).values_list("pk", "raw"):
            wanted[pk].context["compiled"] = _load(raw) if raw else None

    def _compiled(self, state: State) -> dict | None:
        if "compiled" in state.context:
            return state.context["compiled"]
        if state.notice is None:
            return None
        raw = _stored_document(state.notice)
        state.context["compiled"] = _load(raw) if raw else None
        return state.context["compiled"]

    def _history(self, state: State) -> list[dict]:
        """Every release of this ocid (stored and arriving), for a full recompile. Compiled releases
        (a record's, or a bare one) take part: they may be all there is of the process before this
        release. Sorted so that a compiled release comes after the releases of its own date
        (merge_releases then sorts by date, stably)."""
        stored = []
        if state.notice is not None:
            current = _stored_document(state.notice)
            rows = NoticeVersion.objects.filter(notice=state.notice)  # an empty raw: the notice's document
            stored = [(_load(v.raw or current), "compiled" in v.tags) for v in rows]
        arriving = [(v.doc if v.doc is not None else _load(v.raw), "compiled" in v.tags) for v in state.new_versions]
        return [release for release, _compiled in sorted(stored + arriving, key=lambda pair: pair[1])]
