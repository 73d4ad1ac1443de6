"""Lower bounds on gaps that hold for every schedule: each participant alone.

A participant's meetings can only take the slots open to the meeting (both sides available, its sessions,
its fixed slot). Placing them as if nobody else had meetings, with no table limit, gives the fewest gaps
this participant can have in any schedule that keeps at least as many of their meetings; the real schedule
cannot do better. A participant unavailable in the middle of a morning with more meetings than fit on
either side of it has at least one gap, whatever the others do. The bound is 0 for most participants,
which is why a schedule with no gaps is proved optimal at once: nothing is below 0."""

from __future__ import annotations

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
