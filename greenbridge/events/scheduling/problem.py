"""The input of the scheduler: slots, tables, participants and meetings, validated from the JSON format of
docs/scheduling.md with every problem reported at once in plain words (`ScheduleInvalid`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class ScheduleInvalid(ValueError):
    """The input cannot be scheduled as given; `errors` say why in plain words."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


@dataclass(frozen=True)
class Slot:
    id: str
    session: str
    index: int  # position in time order
    tables: int  # meetings it can hold


@dataclass(frozen=True)
class Participant:
    id: str
    unavailable: frozenset[str] = frozenset()
    max_meetings: int | None = None


@dataclass(frozen=True)
class Meeting:
    id: str
    participants: tuple[str, ...]
    sessions: frozenset[str] | None = None
    fixed_slot: str | None = None
    after: tuple[str, ...] = ()
    weight: int = 1
    preferred_slot: str | None = None  # where it was published: it stays there if it can
    preferred_table: int | None = None


@dataclass
class Problem:
    slots: list[Slot]
    tables: int
    participants: dict[str, Participant]
    meetings: list[Meeting]
    max_per_session: int | None = None  # meetings per participant and session
    slot_by_id: dict[str, Slot] = field(init=False)
    sessions: dict[str, list[Slot]] = field(init=False)  # each session's slots, in time order
    meetings_of: dict[str, list[Meeting]] = field(init=False)  # participant id -> their meetings
    _allowed: dict[str, list[Slot]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.slot_by_id = {s.id: s for s in self.slots}
        self.sessions = defaultdict(list)
        for slot in self.slots:
            self.sessions[slot.session].append(slot)
        self.meetings_of = defaultdict(list)
        for m in self.meetings:
            for p in m.participants:
                self.meetings_of[p].append(m)
        self._allowed = {}

    @classmethod
    def from_data(cls, data: Any) -> Problem:
        """Validate the JSON input; every problem is reported at once (ScheduleInvalid)."""
        errors: list[str] = []
        if not isinstance(data, Mapping):
            raise ScheduleInvalid(["the input must be a JSON object with slots, tables, participants and meetings"])
        for key in ("slots", "tables", "participants", "meetings"):
            if key not in data:
                errors.append(f"“{key}” is missing")
        if errors:
            raise ScheduleInvalid(errors)

        tables = data["tables"]
        if not _whole(tables, 1):
            errors.append(f"“tables” must be a whole number of at least 1, not {tables!r}")
            tables = 1
        per_session = data.get("max_meetings_per_session")
        if per_session is not None and not _whole(per_session, 0):
            errors.append(f"“max_meetings_per_session” must be a whole number or null, not {per_session!r}")
            per_session = None

        slots: list[Slot] = []
        slot_ids: set[str] = set()
        raw_slots = data["slots"]
        for n, raw in enumerate(_list(raw_slots, "slots", errors)):
            if (sid := _item_id(raw, n, "slot", slot_ids, errors)) is None:
                continue
            slot_tables = raw.get("tables", tables)
            if not _whole(slot_tables, 0):
                errors.append(f"slot {sid}: “tables” must be a whole number, not {slot_tables!r}")
                slot_tables = tables
            slots.append(Slot(sid, str(raw.get("session") or ""), len(slots), slot_tables))
        if isinstance(raw_slots, list) and not slots:
            errors.append("there are no slots")
        sessions = {s.session for s in slots}

        participants: dict[str, Participant] = {}
        participant_ids: set[str] = set()
        for n, raw in enumerate(_list(data["participants"], "participants", errors)):
            if (pid := _item_id(raw, n, "participant", participant_ids, errors)) is None:
                continue
            unavailable = [str(s) for s in _list(raw.get("unavailable") or [], f"{pid}: unavailable", errors)]
            for s in unavailable:
                if s not in slot_ids:
                    errors.append(f"participant {pid} is unavailable in slot “{s}”, which does not exist")
            limit = raw.get("max_meetings")
            if limit is not None and not _whole(limit, 0):
                errors.append(f"participant {pid}: max_meetings must be a whole number or null, not {limit!r}")
                limit = None
            participants[pid] = Participant(pid, frozenset(unavailable), limit)

        meetings: list[Meeting] = []
        meeting_ids: set[str] = set()
        for n, raw in enumerate(_list(data["meetings"], "meetings", errors)):
            if (mid := _item_id(raw, n, "meeting", meeting_ids, errors)) is None:
                continue
            people = [str(p) for p in _list(raw.get("participants") or [], f"meeting {mid}: participants", errors)]
            if len(people) < 2:
                errors.append(f"meeting {mid} needs at least two participants")
            if len(set(people)) < len(people):
                errors.append(f"meeting {mid} has a participant meeting themself ({', '.join(people)})")
            for p in people:
                if p not in participants:
                    errors.append(f"meeting {mid}: unknown participant “{p}”")
            wanted = raw.get("sessions")
            if wanted is not None:
                wanted = [str(s) for s in _list(wanted, f"meeting {mid}: sessions", errors)]
                for s in wanted:
                    if s not in sessions:
                        errors.append(
                            f"meeting {mid}: there is no session “{s}” (sessions: {', '.join(sorted(sessions))})"
                        )
            fixed = raw.get("fixed_slot")
            if fixed is not None:
                fixed = str(fixed)
                if fixed not in slot_ids:
                    errors.append(f"meeting {mid} is fixed in slot “{fixed}”, which does not exist")
            weight = raw.get("weight", 1)
            if not _whole(weight, 1):
                errors.append(f"meeting {mid}: weight must be a whole number of at least 1, not {weight!r}")
                weight = 1
            after = tuple(str(a) for a in _list(raw.get("after") or [], f"meeting {mid}: after", errors))
            preferred = raw.get("preferred_slot")
            if preferred is not None:
                preferred = str(preferred)
                if preferred not in slot_ids:
                    errors.append(f"meeting {mid} prefers slot “{preferred}”, which does not exist")
            preferred_table = raw.get("preferred_table")
            if preferred_table is not None and not _whole(preferred_table, 1):
                errors.append(f"meeting {mid}: preferred_table must be a whole number or null, not {preferred_table!r}")
                preferred_table = None
            meetings.append(
                Meeting(
                    mid,
                    tuple(people),
                    frozenset(wanted) if wanted is not None else None,
                    fixed,
                    after,
                    weight,
                    preferred,
                    preferred_table,
                )
            )
        for m in meetings:
            for a in m.after:
                if a == m.id:
                    errors.append(f"meeting {m.id} cannot come after itself")
                elif a not in meeting_ids:
                    errors.append(f"meeting {m.id} comes after “{a}”, which is not a meeting")
        if not errors:
            cycle = _cycle({m.id: [a for a in m.after if a != m.id] for m in meetings})
            if cycle:
                errors.append(f"meetings must come after each other in a circle: {' → '.join(cycle)}")
        if errors:
            raise ScheduleInvalid(errors)
        problem = cls(slots, tables, participants, meetings, per_session)
        problem._check_fixed()
        return problem

    def _check_fixed(self) -> None:
        """Fixed meetings are hard: the ones that cannot all hold are infeasible, said in plain words."""
        errors = []
        by_slot: dict[str, list[Meeting]] = defaultdict(list)
        for m in self.meetings:
            if m.fixed_slot is None:
                continue
            by_slot[m.fixed_slot].append(m)
            slot = self.slot_by_id[m.fixed_slot]
            if m.sessions is not None and slot.session not in m.sessions:
                errors.append(f"meeting {m.id} is fixed in slot {slot.id}, outside its sessions")
            for p in m.participants:
                if slot.id in self.participants[p].unavailable:
                    errors.append(f"meeting {m.id} is fixed in slot {slot.id}, when {p} is unavailable")
        for slot_id, fixed in by_slot.items():
            if len(fixed) > (tables := self.slot_by_id[slot_id].tables):
                errors.append(f"slot {slot_id} has {len(fixed)} fixed meetings for {tables} tables")
            seen: dict[str, str] = {}
            for m in fixed:
                for p in m.participants:
                    if p in seen:
                        errors.append(f"{p} has two meetings fixed in slot {slot_id}: {seen[p]} and {m.id}")
                    seen[p] = m.id
        if errors:
            raise ScheduleInvalid(errors)

    def allowed_slots(self, m: Meeting) -> list[Slot]:
        """The slots a meeting may take (worked out once: the model, hints and reasons all ask)."""
        allowed = self._allowed.get(m.id)
        if allowed is None:
            if m.fixed_slot is not None:
                allowed = [self.slot_by_id[m.fixed_slot]]
            else:
                busy = set().union(*(self.participants[p].unavailable for p in m.participants))
                allowed = [
                    s
                    for s in self.slots
                    if s.tables and s.id not in busy and (m.sessions is None or s.session in m.sessions)
                ]
            self._allowed[m.id] = allowed
        return allowed


def _item_id(raw: Any, n: int, kind: str, seen: set[str], errors: list[str]) -> str | None:
    """The id of the n-th slot, participant or meeting, added to `seen`; None (and an error) when it has
    none or repeats one."""
    if not isinstance(raw, Mapping) or not isinstance(raw.get("id"), str | int):
        errors.append(f"{kind} {n + 1} needs an id")
        return None
    item_id = str(raw["id"])
    if item_id in seen:
        errors.append(f"{kind} id “{item_id}” is used twice")
        return None
    seen.add(item_id)
    return item_id


def _whole(value: Any, minimum: int) -> bool:
    """A whole number (not a boolean) of at least `minimum`."""
    return isinstance(value, int) and not isinstance(value, bool) and value >= minimum


def _list(value: Any, name: str, errors: list[str]) -> list:
    if isinstance(value, list):
        return value
    errors.append(f"“{name}” must be a list")
    return []


def _cycle(after: dict[str, list[str]]) -> list[str] | None:
    """A cycle in the "after" relation, as a path that returns to its start, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in after.get(node, ()):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        path.pop()
        state[node] = 2
        return None

    for node in after:
        if node not in state and (found := visit(node)):
            return found
    return None
