"""A schedule and what is measured on it: gaps, the order schedules are compared in, tables, meetings
moved from where they were published, and why a meeting is left out."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy, ngettext_lazy, override

from greenbridge.events.scheduling.problem import Meeting, Problem


@dataclass
class Schedule:
    status: str  # optimal | feasible | infeasible
    placement: dict[str, int]  # meeting id -> slot index
    tables: dict[str, int]  # meeting id -> table (1-based)
    unscheduled: list[dict[str, str]]
    gaps: int
    max_gaps_per_participant: int
    table_changes: int
    seconds: float
    moved: list[str] = field(default_factory=list)
    # What no schedule with as many meetings (and as many kept in place) can go below: proved by the solver
    # or by each participant alone (bounds.py). Equal to `gaps` / `max_gaps_per_participant` when optimal.
    gaps_bound: int = 0
    max_gaps_bound: int = 0
    seconds_to_best: float = 0.0  # when the returned placement was found

    def as_data(self, problem: Problem) -> dict[str, Any]:
        order = sorted(self.placement, key=lambda m: (self.placement[m], self.tables[m], m))
        return {
            "status": self.status,
            "assignments": [
                {"meeting": m, "slot": problem.slots[self.placement[m]].id, "table": self.tables[m]} for m in order
            ],
            "unscheduled": self.unscheduled,
            "gaps": self.gaps,
            "max_gaps_per_participant": self.max_gaps_per_participant,
            "table_changes": self.table_changes,
            "moved": self.moved,
            "seconds": round(self.seconds, 2),
        }


def gaps_per_participant(problem: Problem, placement: Mapping[str, int]) -> dict[str, int]:
    """Idle gaps of each participant: runs of free slots between two of their meetings in one session."""
    busy: dict[str, list[int]] = defaultdict(list)
    for m in problem.meetings:
        if m.id in placement:
            for p in m.participants:
                busy[p].append(placement[m.id])
    out = {}
    for p, indexes in busy.items():
        indexes.sort()
        out[p] = sum(
            1
            for a, b in itertools.pairwise(indexes)
            if b - a > 1 and problem.slots[a].session == problem.slots[b].session
        )
    return out


def rank(
    problem: Problem, placement: Mapping[str, int], gaps: Mapping[str, int] | None = None
) -> tuple[int, int, int, int]:
    """Lower is better, objective by objective: (-weight scheduled, meetings moved, worst participant's gaps,
    all gaps). `gaps`: the placement's gaps per participant, when already counted."""
    weight = sum(m.weight for m in problem.meetings if m.id in placement)
    if gaps is None:
        gaps = gaps_per_participant(problem, placement)
    return -weight, len(moved(problem, placement)), max(gaps.values(), default=0), sum(gaps.values())


def most_weight(problem: Problem) -> int:
    """What no schedule can beat: all meetings' weight, or the heaviest meetings that fill every table."""
    weights = sorted((m.weight for m in problem.meetings), reverse=True)
    return sum(weights[: sum(s.tables for s in problem.slots)])


def can_stay(problem: Problem, m: Meeting) -> bool:
    """A published meeting whose slot is still open to it."""
    return m.preferred_slot is not None and problem.slot_by_id[m.preferred_slot] in problem.allowed_slots(m)


def moved(problem: Problem, placement: Mapping[str, int]) -> list[str]:
    """Meetings that had a preferred (published) slot and are now elsewhere or left out."""
    return [
        m.id
        for m in problem.meetings
        if m.preferred_slot is not None and placement.get(m.id) != problem.slot_by_id[m.preferred_slot].index
    ]


def assign_tables(problem: Problem, placement: Mapping[str, int]) -> tuple[dict[str, int], int]:
    """Tables slot by slot: a meeting keeps the table one of its participants had last, where free.
    Returns the tables and the number of table changes (a participant at another table than last time)."""
    by_slot: dict[int, list[Meeting]] = defaultdict(list)
    for m in problem.meetings:
        if m.id in placement:
            by_slot[placement[m.id]].append(m)
    last: dict[str, int] = {}
    tables: dict[str, int] = {}
    changes = 0
    for s in sorted(by_slot):
        free = set(range(1, problem.slots[s].tables + 1))
        slot_id = problem.slots[s].id
        # Published meetings that stay in their slot keep their table; then meetings whose people sat at a
        # table before choose, the longest-seated first.
        for m in sorted(
            by_slot[s],
            key=lambda m: (
                not (m.preferred_slot == slot_id and m.preferred_table in free),
                -sum(p in last for p in m.participants),
                m.id,
            ),
        ):
            wanted = [last[p] for p in m.participants if p in last and last[p] in free]
            if m.preferred_slot == slot_id and m.preferred_table in free:
                wanted.insert(0, m.preferred_table)
            table = wanted[0] if wanted else min(free)
            free.discard(table)
            tables[m.id] = table
            for p in m.participants:
                if p in last and last[p] != table:
                    changes += 1
                last[p] = table
    return tables, changes


def explain_unscheduled(problem: Problem, placement: Mapping[str, int]) -> list[dict[str, Any]]:
    """Why each meeting left out is out, in plain words: who is over-booked and by how much. Each has the
    English text ("reason", for the JSON format and the command line) and the same reasons as data ("why": a
    list of {"kind", …}) for an interface to say in its reader's language."""
    sessions = {s.session for s in problem.slots}
    requested: dict[str, int] = defaultdict(int)
    for m in problem.meetings:
        for p in m.participants:
            requested[p] += 1
    out = []
    for m in problem.meetings:
        if m.id in placement:
            continue
        why: list[dict[str, Any]] = []
        if not problem.allowed_slots(m):
            why.append({"kind": "no_slot"})
        for p in m.participants:
            person = problem.participants[p]
            free = len(problem.slots) - len(person.unavailable)
            asked = {"participant": p, "requested": requested[p]}
            if person.max_meetings is not None and requested[p] > person.max_meetings:
                why.append({"kind": "max_meetings", **asked, "limit": person.max_meetings})
            elif requested[p] > free:
                why.append({"kind": "slots", **asked, "free": free})
            elif problem.max_per_session is not None and requested[p] > problem.max_per_session * len(sessions):
                why.append(
                    {"kind": "per_session", **asked, "limit": problem.max_per_session, "sessions": len(sessions)}
                )
        if missing := [a for a in m.after if a not in placement]:
            why.append({"kind": "after", "meetings": missing})
        if not why:
            why.append({"kind": "no_room"})
        out.append({"meeting": m.id, "reason": "; ".join(_in_english(w) for w in why), "why": why})
    return out


# Why a meeting was left out, by kind: the one wording of the JSON format (in English) and of the organisers' pages
# (in the reader's language, events.models.Meeting.unscheduled_reasons).
OVER_BOOKED = {
    "max_meetings": ngettext_lazy(
        "%(who)s is over-booked: %(requested)s meeting requested, at most %(limit)s",
        "%(who)s is over-booked: %(requested)s meetings requested, at most %(limit)s",
        "requested",
    ),
    "slots": ngettext_lazy(
        "%(who)s is over-booked: %(requested)s meeting requested, %(free)s slots free",
        "%(who)s is over-booked: %(requested)s meetings requested, %(free)s slots free",
        "requested",
    ),
    "per_session": ngettext_lazy(
        "%(who)s is over-booked: %(requested)s meeting requested, at most %(limit)s in each session",
        "%(who)s is over-booked: %(requested)s meetings requested, at most %(limit)s in each session",
        "requested",
    ),
}
LEFT_OUT = {
    "no_slot": gettext_lazy("No slot suits both participants and the meeting's session."),
    "after": gettext_lazy("It must come after meetings that could not be scheduled."),
    "no_room": gettext_lazy(
        "No room left: the slots both participants have free are full, or taken by their other meetings."
    ),
}


def said(why: dict[str, Any], participant: str = "") -> str:
    """One reason in the active language; `participant`: the name to say instead of the participant's id."""
    kind = why.get("kind")
    if kind in OVER_BOOKED:
        values = {"who": participant or why.get("participant", ""), "requested": int(why.get("requested") or 0)}
        return OVER_BOOKED[kind] % {**values, "limit": why.get("limit"), "free": why.get("free")}
    if kind in LEFT_OUT:
        return str(LEFT_OUT[kind])
    return str(why.get("text", ""))  # said before reasons were kept as data


def _in_english(why: dict[str, Any]) -> str:
    with override("en"):
        return said(why)


def violations(problem: Problem, placement: Mapping[str, int]) -> list[str]:
    """The hard rules `placement` breaks, in plain words (none for every schedule the solver returns)."""
    out = []
    by_id = {m.id: m for m in problem.meetings}
    people_in: dict[int, set[str]] = defaultdict(set)
    used: dict[int, int] = defaultdict(int)
    count: dict[str, int] = defaultdict(int)
    in_session: dict[tuple[str, str], int] = defaultdict(int)
    for mid, s in placement.items():
        m, slot = by_id[mid], problem.slots[s]
        used[s] += 1
        if slot not in problem.allowed_slots(m):
            out.append(f"meeting {mid} is in slot {slot.id}, which is not open to it")
        for p in m.participants:
            if p in people_in[s]:
                out.append(f"{p} has two meetings in slot {slot.id}")
            people_in[s].add(p)
            count[p] += 1
            in_session[p, slot.session] += 1
        for a in m.after:
            if a not in placement or placement[a] >= s:
                out.append(f"meeting {mid} is not after {a}")
    for s, n in used.items():
        if n > problem.slots[s].tables:
            out.append(f"slot {problem.slots[s].id} has {n} meetings for {problem.slots[s].tables} tables")
    for p, n in count.items():
        if (limit := problem.participants[p].max_meetings) is not None and n > limit:
            out.append(f"{p} has {n} meetings, more than {limit}")
    if problem.max_per_session is not None:
        for (p, session), n in in_session.items():
            if n > problem.max_per_session:
                out.append(f"{p} has {n} meetings in {session}, more than {problem.max_per_session}")
    out.extend(
        f"meeting {m.id} is fixed but left out" for m in problem.meetings if m.fixed_slot and m.id not in placement
    )
    return out
