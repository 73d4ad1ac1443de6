"""The meeting scheduler of brokerage events: accepted meetings into (slot, table), with OR-Tools CP-SAT.

The JSON format (`greenbridge schedule solve`) is documented in docs/scheduling.md. Hard rules: nobody is
in two meetings at once, a slot holds at most `tables` meetings, unavailable slots are respected, as is
a participant's maximum of meetings, a meeting restricted to sessions stays in them, a fixed (locked)
meeting stays in its slot, and a meeting that must come after others does (they are then scheduled too).
Objectives, in order: (1) schedule as many meetings as possible (by weight); (2) as few idle gaps as
possible, the worst-off participant's first, then in total; a gap is a run of free slots between two
meetings of one participant within a session; (3) few table changes: tables are given slot by slot,
keeping a participant at the table of their previous meeting where it is free. When re-scheduling, meetings
that were already published carry a preferred slot (and table): as many as possible stay there, which
comes right after (1), before gaps.

Each objective is a CP-SAT solve with the previous optimum as a constraint, started from the first-free-
slot greedy schedule (also the benchmark's baseline) and stopped at the time limit with the best
schedule found ("feasible") or proved best ("optimal").
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model


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
    _allowed: dict[str, list[Slot]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.slot_by_id = {s.id: s for s in self.slots}
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


# -- schedules ------------------------------------------------------------------------------------------------


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


def _order(problem: Problem) -> list[Meeting]:
    """Meetings so that each comes after those it must follow; fixed first, then the most constrained."""
    by_id = {m.id: m for m in problem.meetings}
    done: set[str] = set()
    out: list[Meeting] = []

    def add(m: Meeting) -> None:
        if m.id in done:
            return
        done.add(m.id)
        for a in m.after:
            add(by_id[a])
        out.append(m)

    def key(m: Meeting) -> tuple:
        return m.fixed_slot is None, m.preferred_slot is None, len(problem.allowed_slots(m)), m.id

    for m in sorted(problem.meetings, key=key):
        add(m)
    return out


def greedy(problem: Problem) -> dict[str, int]:
    """The simple scheduler (first free slot, meetings in a sensible order): the start and the baseline."""
    placement: dict[str, int] = {}
    taken: dict[int, set[str]] = defaultdict(set)  # slot -> participants busy
    used: dict[int, int] = defaultdict(int)  # slot -> meetings
    count: dict[str, int] = defaultdict(int)
    in_session: dict[tuple[str, str], int] = defaultdict(int)
    per_session = problem.max_per_session
    for m in _order(problem):
        if any(a not in placement for a in m.after):
            continue
        earliest = max((placement[a] for a in m.after), default=-1)
        if any(
            (limit := problem.participants[p].max_meetings) is not None and count[p] >= limit for p in m.participants
        ):
            continue
        allowed = problem.allowed_slots(m)
        preferred = [s for s in allowed if s.id == m.preferred_slot]
        for slot in preferred + allowed:  # where it was published first, then the first free slot
            s = slot.index
            if s <= earliest or used[s] >= slot.tables or taken[s] & set(m.participants):
                continue
            if per_session is not None and any(in_session[p, slot.session] >= per_session for p in m.participants):
                continue
            placement[m.id] = s
            used[s] += 1
            taken[s].update(m.participants)
            for p in m.participants:
                count[p] += 1
                in_session[p, slot.session] += 1
            break
    return placement


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


def solve(problem: Problem, time_limit: float = 30.0, *, workers: int = 2) -> Schedule:
    start = time.monotonic()
    # The phases stop a little before the limit: tables, gaps and reasons are worked out after them.
    deadline = start + max(time_limit - min(2.0, 0.05 * time_limit), 0.1)
    start_placement = greedy(problem)

    model = cp_model.CpModel()
    x: dict[tuple[str, int], cp_model.IntVar] = {}
    scheduled: dict[str, cp_model.IntVar] = {}
    slot_of: dict[str, cp_model.LinearExpr] = {}
    for m in problem.meetings:
        allowed = problem.allowed_slots(m)
        for slot in allowed:
            x[m.id, slot.index] = model.new_bool_var(f"x_{m.id}_{slot.id}")
        scheduled[m.id] = model.new_bool_var(f"on_{m.id}")
        model.add(sum(x[m.id, s.index] for s in allowed) == scheduled[m.id])
        slot_of[m.id] = sum(s.index * x[m.id, s.index] for s in allowed)
        if m.fixed_slot is not None:
            model.add(scheduled[m.id] == 1)
    for m in problem.meetings:
        for a in m.after:  # m needs a, earlier
            model.add(scheduled[a] >= scheduled[m.id])
            model.add(slot_of[m.id] >= slot_of[a] + 1).only_enforce_if(scheduled[m.id])
    by_person_slot: dict[tuple[str, int], list] = defaultdict(list)
    by_slot: dict[int, list] = defaultdict(list)
    for (_mid, s), var in x.items():
        by_slot[s].append(var)
    meetings_of: dict[str, list[Meeting]] = defaultdict(list)
    for m in problem.meetings:
        for p in m.participants:
            meetings_of[p].append(m)
            for slot in problem.allowed_slots(m):
                by_person_slot[p, slot.index].append(x[m.id, slot.index])
    for vars_ in by_person_slot.values():
        if len(vars_) > 1:
            model.add_at_most_one(vars_)
    for s, vars_ in by_slot.items():
        if len(vars_) > problem.slots[s].tables:
            model.add(sum(vars_) <= problem.slots[s].tables)
    for p, ms in meetings_of.items():
        limit = problem.participants[p].max_meetings
        if limit is not None and len(ms) > limit:
            model.add(sum(scheduled[m.id] for m in ms) <= limit)
    if problem.max_per_session is not None:
        in_session: dict[tuple[str, str], list] = defaultdict(list)
        for (p, s), vars_ in by_person_slot.items():
            in_session[p, problem.slots[s].session].extend(vars_)
        for vars_ in in_session.values():
            if len(vars_) > problem.max_per_session:
                model.add(sum(vars_) <= problem.max_per_session)

    # Gaps: per participant and session, (blocks of consecutive meetings) - (1 if any meeting).
    gap_of: dict[str, cp_model.LinearExpr] = {}
    sessions: dict[str, list[Slot]] = defaultdict(list)
    for slot in problem.slots:
        sessions[slot.session].append(slot)
    for p, ms in meetings_of.items():
        if len(ms) < 2:
            continue
        terms = []
        for slots in sessions.values():
            busy = [sum(by_person_slot.get((p, s.index), [])) for s in slots]
            if sum(1 for s in slots if by_person_slot.get((p, s.index))) < 2:
                continue  # one usable slot in this session: no gap possible
            starts = []
            for k, _slot in enumerate(slots):
                if not by_person_slot.get((p, slots[k].index)):
                    continue
                st = model.new_bool_var(f"start_{p}_{slots[k].id}")
                model.add(st >= busy[k] - (busy[k - 1] if k else 0))
                starts.append(st)
            any_ = model.new_bool_var(f"any_{p}_{slots[0].session}")
            model.add(any_ <= sum(busy))
            model.add(sum(starts) >= any_)  # a session with a meeting has a first block: gaps are never < 0
            terms.append(sum(starts) - any_)
        if terms:
            gap_of[p] = model.new_int_var(0, len(problem.slots), f"gaps_{p}")
            model.add(gap_of[p] == sum(terms))
    max_gap = model.new_int_var(0, len(problem.slots), "max_gap")
    for g in gap_of.values():
        model.add(max_gap >= g)
    total_gaps = sum(gap_of.values()) if gap_of else 0

    def hint(placement: Mapping[str, int]) -> None:
        model.clear_hints()
        for (mid, s), var in x.items():
            model.add_hint(var, 1 if placement.get(mid) == s else 0)
        for mid, var in scheduled.items():
            model.add_hint(var, 1 if mid in placement else 0)

    hint(start_placement)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    statuses = []
    best_placement = dict(start_placement)

    def run(objective, *, maximize: bool, share: float) -> bool:
        """Solve for one objective; keep what it reached as a constraint while the next one improves."""
        model.maximize(objective) if maximize else model.minimize(objective)
        remaining = deadline - time.monotonic()
        solver.parameters.max_time_in_seconds = max(0.05, remaining * share)
        status = solver.solve(model)
        statuses.append(status)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False
        nonlocal best_placement
        best_placement = {
            m.id: next(s.index for s in problem.allowed_slots(m) if solver.value(x[m.id, s.index]))
            for m in problem.meetings
            if solver.value(scheduled[m.id])
        }
        value = round(solver.objective_value)
        hint(best_placement)
        model.add(objective >= value) if maximize else model.add(objective <= value)
        return True

    weighted = sum(m.weight * scheduled[m.id] for m in problem.meetings)
    stays = [x[m.id, problem.slot_by_id[m.preferred_slot].index] for m in problem.meetings if _can_stay(problem, m)]
    if (
        run(weighted, maximize=True, share=0.5)
        and (not stays or run(sum(stays), maximize=True, share=0.3))
        and gap_of
        and run(max_gap, maximize=False, share=0.5)
    ):
        run(total_gaps, maximize=False, share=1.0)
    if statuses and statuses[0] == cp_model.INFEASIBLE:
        status = "infeasible"
    elif statuses and all(s == cp_model.OPTIMAL for s in statuses):
        status = "optimal"
    else:
        status = "feasible"
    if status == "infeasible":
        best_placement = {}
    elif _rank(problem, start_placement) < _rank(problem, best_placement):
        best_placement, status = start_placement, "feasible"  # the time ran out before the solver caught up
    tables, changes = assign_tables(problem, best_placement)
    gaps = gaps_per_participant(problem, best_placement)
    return Schedule(
        status=status,
        placement=best_placement,
        tables=tables,
        unscheduled=explain_unscheduled(problem, best_placement),
        gaps=sum(gaps.values()),
        max_gaps_per_participant=max(gaps.values(), default=0),
        table_changes=changes,
        seconds=time.monotonic() - start,
        moved=moved(problem, best_placement),
    )


def _can_stay(problem: Problem, m: Meeting) -> bool:
    return m.preferred_slot is not None and problem.slot_by_id[m.preferred_slot] in problem.allowed_slots(m)


def moved(problem: Problem, placement: Mapping[str, int]) -> list[str]:
    """Meetings that had a preferred (published) slot and are now elsewhere or left out."""
    return [
        m.id
        for m in problem.meetings
        if m.preferred_slot is not None and placement.get(m.id) != problem.slot_by_id[m.preferred_slot].index
    ]


def _rank(problem: Problem, placement: Mapping[str, int]) -> tuple[int, int, int, int]:
    """Lower is better, objective by objective: (-weight scheduled, meetings moved, worst participant's gaps,
    all gaps)."""
    weight = sum(m.weight for m in problem.meetings if m.id in placement)
    gaps = gaps_per_participant(problem, placement)
    return -weight, len(moved(problem, placement)), max(gaps.values(), default=0), sum(gaps.values())


def explain_unscheduled(problem: Problem, placement: Mapping[str, int]) -> list[dict[str, str]]:
    """Why each meeting left out is out, in plain words: who is over-booked and by how much."""
    sessions = {s.session for s in problem.slots}
    requested: dict[str, int] = defaultdict(int)
    for m in problem.meetings:
        for p in m.participants:
            requested[p] += 1
    out = []
    for m in problem.meetings:
        if m.id in placement:
            continue
        reasons = []
        allowed = problem.allowed_slots(m)
        if not allowed:
            reasons.append("no slot suits all its participants and its sessions")
        for p in m.participants:
            person = problem.participants[p]
            free = len(problem.slots) - len(person.unavailable)
            if person.max_meetings is not None and requested[p] > person.max_meetings:
                reasons.append(f"{p} is over-booked: {requested[p]} meetings requested, at most {person.max_meetings}")
            elif requested[p] > free:
                reasons.append(f"{p} is over-booked: {requested[p]} meetings requested, {free} slots available")
            elif problem.max_per_session is not None and requested[p] > problem.max_per_session * len(sessions):
                reasons.append(
                    f"{p} is over-booked: {requested[p]} meetings requested, at most {problem.max_per_session} "
                    f"in each of {len(sessions)} sessions"
                )
        missing = [a for a in m.after if a not in placement]
        if missing:
            reasons.append(f"it must come after {', '.join(missing)}, which could not be scheduled")
        if not reasons:
            reasons.append(
                "no room left: the slots its participants share are taken by their other meetings or all tables"
            )
        out.append({"meeting": m.id, "reason": "; ".join(reasons)})
    return out
