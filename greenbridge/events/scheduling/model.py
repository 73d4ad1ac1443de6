"""The CP-SAT model of a schedule: a boolean per meeting × allowed slot, the hard rules, and the gaps.

Gaps of a participant in a session are counted as blocks of consecutive meetings minus one. A block starts
where the participant is busy and was not in the slot before; the "start" booleans are exactly that (both
ways), so that a hint gives every variable its value and the solver starts from a complete schedule. A
redundant constraint tightens what the solver can prove: a participant's meetings in a session fit in their
blocks, each block at most as long as the run of slots open to them where it starts.

The same model serves three sizes: the whole problem; one participant's meetings alone (bounds.py); and a
neighbourhood of a schedule (search.py), where only some meetings move, within some slots, around the
others (`fixed`), which then count as busy slots and used tables."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from typing import Any

from ortools.sat.python import cp_model

from greenbridge.events.scheduling.problem import Meeting, Problem, Slot


class SlotModel:
    """The model of `meetings` (all of the problem's by default), each in one of its allowed slots (within
    `window` when given) or left out, around the meetings `fixed` in place; `add_gaps` adds gap variables."""

    def __init__(
        self,
        problem: Problem,
        meetings: Iterable[Meeting] | None = None,
        *,
        fixed: Mapping[str, int] | None = None,
        window: Collection[int] | None = None,
    ):
        self.problem = problem
        self.meetings = list(problem.meetings if meetings is None else meetings)
        fixed = dict(fixed or {})
        self.fixed = fixed
        model = self.model = cp_model.CpModel()
        by_id = {m.id: m for m in problem.meetings}
        ids = {m.id for m in self.meetings}
        # What the meetings kept in place take: participants' slots, tables, meetings per person and session.
        self.fixed_busy: set[tuple[str, int]] = set()
        fixed_used: dict[int, int] = defaultdict(int)
        fixed_count: dict[str, int] = defaultdict(int)
        fixed_in_session: dict[tuple[str, str], int] = defaultdict(int)
        for mid, s in fixed.items():
            fixed_used[s] += 1
            for p in by_id[mid].participants:
                self.fixed_busy.add((p, s))
                fixed_count[p] += 1
                fixed_in_session[p, problem.slots[s].session] += 1
        self.allowed: dict[str, list[Slot]] = {}
        self.x: dict[tuple[str, int], cp_model.IntVar] = {}
        self.scheduled: dict[str, cp_model.IntVar] = {}
        slot_of: dict[str, Any] = {}
        for m in self.meetings:
            allowed = self.allowed[m.id] = [
                s
                for s in problem.allowed_slots(m)
                if (window is None or s.index in window)
                and fixed_used[s.index] < s.tables
                and not any((p, s.index) in self.fixed_busy for p in m.participants)
            ]
            for slot in allowed:
                self.x[m.id, slot.index] = model.new_bool_var(f"x_{m.id}_{slot.id}")
            self.scheduled[m.id] = model.new_bool_var(f"on_{m.id}")
            model.add(sum(self.x[m.id, s.index] for s in allowed) == self.scheduled[m.id])
            slot_of[m.id] = sum(s.index * self.x[m.id, s.index] for s in allowed)
            if m.fixed_slot is not None:
                model.add(self.scheduled[m.id] == 1)
        for m in problem.meetings:
            for a in m.after:  # m needs a, earlier
                if m.id in ids and a in ids:
                    model.add(self.scheduled[a] >= self.scheduled[m.id])
                    model.add(slot_of[m.id] >= slot_of[a] + 1).only_enforce_if(self.scheduled[m.id])
                elif m.id in ids:  # a stays where it is, or out
                    if a in fixed:
                        model.add(slot_of[m.id] >= fixed[a] + 1).only_enforce_if(self.scheduled[m.id])
                    else:
                        model.add(self.scheduled[m.id] == 0)
                elif a in ids and m.id in fixed:  # m stays: a must stay scheduled, before it
                    model.add(self.scheduled[a] == 1)
                    model.add(slot_of[a] <= fixed[m.id] - 1)
        # The meetings a participant may be in at each slot; their sum is 0 or 1: "busy".
        self.busy: dict[tuple[str, int], list[cp_model.IntVar]] = defaultdict(list)
        by_slot: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        self.meetings_of: dict[str, list[Meeting]] = defaultdict(list)
        for m in self.meetings:
            for slot in self.allowed[m.id]:
                by_slot[slot.index].append(self.x[m.id, slot.index])
                for p in m.participants:
                    self.busy[p, slot.index].append(self.x[m.id, slot.index])
            for p in m.participants:
                self.meetings_of[p].append(m)
        for vars_ in self.busy.values():
            if len(vars_) > 1:
                model.add_at_most_one(vars_)
        for s, vars_ in by_slot.items():
            if len(vars_) > (room := problem.slots[s].tables - fixed_used[s]):
                model.add(sum(vars_) <= room)
        for p, ms in self.meetings_of.items():
            limit = problem.participants[p].max_meetings
            if limit is not None and len(ms) > limit - fixed_count[p]:
                model.add(sum(self.scheduled[m.id] for m in ms) <= limit - fixed_count[p])
        if problem.max_per_session is not None:
            for p in self.meetings_of:
                for session, slots in problem.sessions.items():
                    vars_ = [v for s in slots for v in self.busy.get((p, s.index), [])]
                    room = problem.max_per_session - fixed_in_session[p, session]
                    if len(vars_) > room:
                        model.add(sum(vars_) <= room)
        self.weight = sum(m.weight * self.scheduled[m.id] for m in self.meetings)
        # Filled by add_gaps: (participant, session) -> [(slot index, start boolean)], "any meeting" booleans.
        self.starts: dict[tuple[str, str], list[tuple[int, cp_model.IntVar]]] = {}
        self.any: dict[tuple[str, str], cp_model.IntVar] = {}
        self.gap_of: dict[str, cp_model.IntVar] = {}
        self.max_gap: cp_model.IntVar | None = None
        self.floor = 0

    def add_gaps(
        self, people: Iterable[str] | None = None, lower: Mapping[str, int] | None = None, floor: int = 0
    ) -> None:
        """Gap variables for `people` (everyone with a meeting in the model by default), at least `lower`
        each; `max_gap` is their maximum, at least `floor` (the worst-off among those left out)."""
        model, problem = self.model, self.problem
        lower = lower or {}
        for p in self.meetings_of if people is None else people:
            terms = []
            for session, slots in problem.sessions.items():
                open_ = [s.index for s in slots if self.busy.get((p, s.index)) or (p, s.index) in self.fixed_busy]
                movable = sum(any(s.session == session for s in self.allowed[m.id]) for m in self.meetings_of[p])
                kept = sum((p, s) in self.fixed_busy for s in open_)
                if len(open_) < 2 or not movable or movable + kept < 2:
                    continue  # nothing of p's moves in this session, or no gap is possible
                busy = {
                    s: 1 if (p, s) in self.fixed_busy else sum(self.busy[p, s]) for s in open_
                }  # a number or a sum of booleans
                any_ = model.new_bool_var(f"any_{p}_{session}")
                runs = {}
                run = 0  # slots open to p from this one to the end of its run
                for s in reversed(open_):
                    run = run + 1 if s + 1 in busy else 1
                    runs[s] = run
                starts = []
                for s in open_:
                    start = model.new_bool_var(f"start_{p}_{s}")
                    model.add(start <= busy[s])
                    model.add(any_ >= busy[s])
                    if s - 1 in busy:
                        model.add(start >= busy[s] - busy[s - 1])
                        model.add(start + busy[s - 1] <= 1)
                    else:
                        model.add(start == busy[s])
                    starts.append((s, start))
                model.add(any_ <= sum(busy.values()))
                model.add(sum(busy.values()) <= sum(runs[s] * start for s, start in starts))
                self.starts[p, session] = starts
                self.any[p, session] = any_
                # The session's gaps, never negative: its own variable, so that a bound on p's gaps (or on all)
                # bounds each session's, which the solver cannot see in one sum over the sessions.
                gaps = model.new_int_var(0, len(open_) - 1, f"gaps_{p}_{session}")
                model.add(gaps == sum(start for _, start in starts) - any_)
                terms.append(gaps)
            if terms:
                gap = self.gap_of[p] = model.new_int_var(lower.get(p, 0), len(problem.slots), f"gaps_{p}")
                model.add(gap == sum(terms) + self._fixed_gaps(p))
        self.floor = max([floor, *lower.values()])
        self.max_gap = model.new_int_var(self.floor, len(problem.slots), "max_gap")
        for gap in self.gap_of.values():
            model.add(self.max_gap >= gap)

    def _fixed_gaps(self, p: str) -> int:
        """Gaps of p in sessions where none of their meetings moves (counted once, as a constant)."""
        gaps = 0
        for session, slots in self.problem.sessions.items():
            if (p, session) in self.starts:
                continue
            busy = [s.index for s in slots if (p, s.index) in self.fixed_busy]
            gaps += sum(1 for a, b in itertools.pairwise(busy) if b - a > 1)
        return gaps

    @property
    def total_gaps(self) -> Any:
        return sum(self.gap_of.values())

    def hint(self, placement: Mapping[str, int]) -> None:
        """Every variable's value in `placement` (which includes the fixed meetings, if any), as the solver's
        starting point."""
        model = self.model
        model.clear_hints()
        for (mid, s), var in self.x.items():
            model.add_hint(var, placement.get(mid) == s)
        for mid, var in self.scheduled.items():
            model.add_hint(var, mid in placement)
        if self.max_gap is None:
            return
        by_id = {m.id: m for m in self.problem.meetings}
        busy = {(p, s) for mid, s in placement.items() for p in by_id[mid].participants}
        gaps: dict[str, int] = {p: self._fixed_gaps(p) for p in self.gap_of}
        for (p, session), starts in self.starts.items():
            blocks = 0
            for s, var in starts:
                value = (p, s) in busy and not (
                    s > 0 and self.problem.slots[s - 1].session == session and (p, s - 1) in busy
                )
                model.add_hint(var, value)
                blocks += value
            model.add_hint(self.any[p, session], blocks > 0)
            gaps[p] += max(blocks - 1, 0)
        for p, var in self.gap_of.items():
            model.add_hint(var, gaps[p])
        model.add_hint(self.max_gap, max([self.floor, *gaps.values()]))

    def read(self, solver: cp_model.CpSolver | cp_model.CpSolverSolutionCallback) -> dict[str, int]:
        """The placement in the solver's current solution, with the fixed meetings."""
        placement = dict(self.fixed)
        for m in self.meetings:
            if solver.boolean_value(self.scheduled[m.id]):
                placement[m.id] = next(
                    s.index for s in self.allowed[m.id] if solver.boolean_value(self.x[m.id, s.index])
                )
        return placement
