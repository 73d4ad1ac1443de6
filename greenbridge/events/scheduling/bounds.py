"""Lower bounds on gaps that hold for every schedule: each participant alone, and (for the benchmark) groups.

A participant's meetings can only take the slots open to the meeting (both sides available, its sessions,
its fixed slot). Placing them as if nobody else had meetings, with no table limit, gives the fewest gaps
this participant can have in any schedule that keeps at least as many of their meetings; the real schedule
cannot do better. A participant unavailable in the middle of a morning with more meetings than fit on
either side of it has at least one gap, whatever the others do. The bound is 0 for most participants,
which is why a schedule with no gaps is proved optimal at once: nothing is below 0."""

from __future__ import annotations

import math
import time
from collections.abc import Iterable

from ortools.sat.python import cp_model

from greenbridge.events.scheduling.model import SlotModel
from greenbridge.events.scheduling.problem import Problem


def participant_bounds(problem: Problem, people: Iterable[str], dropped: int, deadline: float) -> dict[str, int]:
    """The fewest gaps each of `people` can have when at most `dropped` of their meetings are left out
    (solved per participant, a few milliseconds each; those not solved by `deadline` are left out: 0 is
    always a bound). Only those above 0 are returned."""
    bounds: dict[str, int] = {}
    for p in people:
        ms = problem.meetings_of[p]
        need = len(ms) - dropped
        if need < 2 or time.monotonic() >= deadline:
            continue
        sub = SlotModel(problem, ms)
        sub.model.add(sum(sub.scheduled[m.id] for m in ms) >= need)
        sub.add_gaps([p])
        if p not in sub.gap_of:
            continue
        sub.model.minimize(sub.gap_of[p])
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = max(0.01, min(1.0, deadline - time.monotonic()))
        status = solver.solve(sub.model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            bound = round(solver.best_objective_bound)
            if bound > 0:
                bounds[p] = bound
    return bounds


def group_bound(problem: Problem, people: Iterable[str], time_limit: float) -> int:
    """A lower bound on the gaps of every schedule that keeps all the meetings, stronger than each participant
    alone: `people` and everyone they meet, together, with all their meetings (and the tables they take), as if
    nobody else had any. Their gaps in any full schedule are at least this model's fewest, and the schedule's gaps
    at least theirs. Too slow for a solve (a minute or two for a real event's 30 participants around two with
    gaps): the scheduling benchmark uses it to learn whether a schedule's gaps are the fewest possible. 0 when
    the model is not solved within `time_limit` (0 is always a bound) or the group has no gaps to count."""
    group = set(people)
    for p in list(group):
        group |= {q for m in problem.meetings_of[p] for q in m.participants}
    meetings = list({m.id: m for p in group for m in problem.meetings_of[p]}.values())
    sub = SlotModel(problem, meetings)
    sub.model.add(sum(sub.scheduled[m.id] for m in meetings) >= len(meetings))
    sub.add_gaps(sorted(group))
    gaps = [sub.gap_of[p] for p in sorted(group) if p in sub.gap_of]
    if not gaps:
        return 0
    sub.model.minimize(sum(gaps))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(sub.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return 0
    return math.ceil(solver.best_objective_bound - 1e-6)
