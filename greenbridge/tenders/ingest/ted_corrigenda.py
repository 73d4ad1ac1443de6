"""The state of a TED R2.0.9 notice from its documents: the notice, and the corrigenda (F14) that correct it.

A corrigendum carries its changes (a new deadline, new CPV codes, a new text), not the whole notice
again, and it is known by the number of the notice it corrects (ted_r209.py). So the state of a notice
is its newest document that is not a corrigendum, with every corrigendum applied in the order of
publication; when only corrigenda are known (the notice itself was published before the data read),
the first corrigendum's own content stands for it (title, buyer, main CPV code, as restated in it).

Every document is kept as a NoticeVersion, and the state is worked out again from all of them
whenever one arrives: files may come in any order and any number of times, the result is the same.
The notice's document (Notice.raw) is the notice itself when it is known; the corrigenda are versions.
"""

import dataclasses
import hashlib
from datetime import UTC, datetime

from greenbridge.tenders.models import Notice, NoticeVersion

from .pipeline import State, add_version, content_hash, propose
from .safexml import XmlError, parse_xml
from .ted_r209 import Change, TedNotice, build_ted_notice
from .types import Lot, RejectedItem

__all__ = ["apply", "fold"]

_DOCUMENTS = "ted_r209_documents"  # State.context: version key -> TedNotice, of this notice
_LOADED = "ted_r209_loaded"  # State.context: the stored documents were read
_EARLIEST = datetime.min.replace(tzinfo=UTC)


def apply(state: State, data: TedNotice) -> str:
    """Fold one TED R2.0.9 document into its notice's state: "created", "updated" or "unchanged"."""
    key, date, tags = data.version_key, data.version_date, data.version_tags
    if not add_version(state, key=key, date=date, tags=tags, raw=data.raw, fmt="xml"):
        return "unchanged"  # this document was seen before
    documents = state.context.setdefault(_DOCUMENTS, {})
    documents[data.version_key] = data
    if not state.exists and not data.corrects:
        return propose(state, data)  # a notice seen for the first time (nearly all of them): itself
    if state.notice is not None and not state.context.get(_LOADED):
        for key, document in _stored_documents(state.notice).items():
            documents.setdefault(key, document)
        state.context[_LOADED] = True
    merged = fold(list(documents.values()))
    digest = content_hash(merged) if len(documents) == 1 else _digest(documents.values())
    current = state.content_hash or (state.notice.content_hash if state.notice else "")
    if digest == current:
        return "unchanged"
    outcome = "updated" if state.exists else "created"
    state.data, state.content_hash, state.state_date = merged, digest, merged.version_date
    return outcome


def _digest(documents) -> str:
    """What identifies a state made of several documents: all of them."""
    keys = sorted(f"{d.version_key}:{content_hash(d)}" for d in documents)
    return hashlib.sha256("\n".join(keys).encode()).hexdigest()


def _stored_documents(notice: Notice) -> dict[str, TedNotice]:
    """The documents of a stored notice, read again from their XML (a version's empty raw is the
    notice's own document). Anything that is not a TED R2.0.9 document is left out."""
    own = Notice.objects.filter(pk=notice.pk).values_list("raw", flat=True).first() or ""
    documents = {}
    for key, raw in NoticeVersion.objects.filter(notice=notice).values_list("version_key", "raw"):
        text = (raw or own).encode()
        try:
            root = parse_xml(text)
            document = build_ted_notice(root, text)
        except (XmlError, RejectedItem):
            continue
        documents[key] = document
    return documents


def _order(document: TedNotice) -> tuple:
    """Publication date, then the number within the year (TED numbers notices in order)."""
    serial, _, year = document.number.partition("-")
    return (document.version_date or _EARLIEST, year, int(serial) if serial.isdigit() else 0)


def fold(documents: list[TedNotice]) -> TedNotice:
    """The notice's state from its documents (see the module's docstring)."""
    ordered = sorted(documents, key=_order)
    originals = [d for d in ordered if not d.corrects]
    base = originals[-1] if originals else ordered[0]
    state = dataclasses.replace(
        base,
        cpv_codes=list(base.cpv_codes),
        lots=[dataclasses.replace(lot, cpv_codes=list(lot.cpv_codes)) for lot in base.lots],
        titles=dict(base.titles),
        descriptions=dict(base.descriptions),
        changes=[],
    )
    for corrigendum in ordered:
        if corrigendum.corrects:
            _correct(state, corrigendum)
    state.version_key = ""
    state.version_date = ordered[-1].version_date
    return state


def _correct(state: TedNotice, corrigendum: TedNotice) -> None:
    deadline = None
    for change in corrigendum.changes:
        if change.section.startswith("IV.2.2") and change.date:  # time limit for receipt of tenders
            deadline = change.date
        if change.cpv_main or change.cpv_additional:
            _recode(state, change)
        if change.text and change.section.startswith("II.1.1"):  # the title
            state.title = change.text
            if state.language:
                state.titles[state.language] = change.text
        if change.text and change.section.startswith("II.1.4"):  # the short description
            state.description = change.text
            if state.language:
                state.descriptions[state.language] = change.text
    # TED's coded deadline is the one in force after the corrigendum, also when a change gives it as text.
    deadline = deadline or corrigendum.coded_deadline
    if deadline:
        state.deadline = deadline


def _recode(state: TedNotice, change: Change) -> None:
    """New CPV codes replace the old ones: the main code (II.1.2) of the notice, additional codes
    (II.2.2) of a lot, or of every lot that had an old one."""
    old = set(change.old_cpv)
    new = [c for c in [change.cpv_main, *change.cpv_additional] if c]
    if change.cpv_main and not change.lot:
        rest = [c for c in state.cpv_codes if c not in old and c != change.cpv_main]
        state.cpv_codes = [change.cpv_main, *rest, *(c for c in change.cpv_additional if c not in rest)]
    else:
        kept = [c for c in state.cpv_codes if c not in old]
        state.cpv_codes = kept + [c for c in new if c not in kept]
    for lot in state.lots:
        if _is_lot(lot, change.lot) or (not change.lot and old & set(lot.cpv_codes)):
            kept = [c for c in lot.cpv_codes if c not in old]
            lot.cpv_codes = kept + [c for c in new if c not in kept]


def _is_lot(lot: Lot, reference: str) -> bool:
    return bool(reference) and lot.id.strip(" .") == reference.strip(" .")
