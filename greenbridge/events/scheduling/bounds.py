"""Lower bounds on gaps that hold for every schedule: each participant alone, and the whole schedule (`Proof`,
while the annealing runs; `proved_gaps`, for the benchmark).

A participant's meetings can only take the slots open to the meeting (both sides available, its sessions,
its fixed slot). Placing them as if nobody else had meetings, with no table limit, gives the fewest gaps
this participant can have in any schedule that keeps at least as many of their meetings; the real schedule
cannot do better. A participant unavailable in the middle of a morning with more meetings than fit on
either side of it has at least one gap, whatever the others do. The bound is 0 for most participants,
which is why a schedule with no gaps is proved optimal at once: nothing is below 0."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Mapping

from ortools.sat.python import cp_model

from greenbridge.events.scheduling.model import SlotModel
from greenbridge.events.scheduling.problem import Problem
from greenbridge.events.scheduling.schedule import rank


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


def proved_gaps(problem: Problem, placement: Mapping[str, int], time_limit: float, seed: int = 0) -> tuple[int, int]:
    """What no schedule with at least this placement's weight of meetings can go below, proved within `time_limit`
    seconds by the questions of `Proof` asked in this thread: (the worst-off participant's gaps, all gaps, the
    latter among schedules with that worst). The scheduling benchmark gives it more time than a solve, to learn
    whether a schedule's gaps are the fewest possible; (0, 0) is always a bound."""
    whole = SlotModel(problem)
    whole.model.add(whole.weight >= sum(m.weight for m in problem.meetings if m.id in placement))
    whole.add_gaps()
    best = [rank(problem, placement)[2:]]  # (the worst-off participant's gaps, all)

    def found(better: dict[str, int]) -> None:
        best[0] = min(best[0], rank(problem, better)[2:])

    proof = Proof(whole, lambda: best[0], 0, 0, deadline=time.monotonic() + time_limit, seed=seed, on_found=found)
    proof.run()
    return proof.worst, proof.total


class Proof(threading.Thread):
    """Lower bounds on the gaps of every schedule as good in meetings, proved on the whole model in a thread of its
    own while the annealing runs: CP-SAT releases the interpreter while it solves, so it takes the second core.

    Questions one after another, the worst-off participant's gaps first: can everyone have at most `worst` gaps?
    When the solver proves not, `worst` goes up by one. Once it is the best schedule's, can all gaps be at most
    `total` (nobody above that worst)? When not, `total` goes up by one. It stops when (`worst`, `total`) is the best
    schedule's (`settled`: that schedule is the fewest possible), when a question is not answered in the time
    left, or at `stop()`. A question answered with a schedule gives one better than the best: `on_found` gets it.

    The model counts each session's gaps as a variable of its own, never negative (model.py): that is what lets
    the solver answer in a second or two where a sum over the sessions took it minutes."""

    def __init__(
        self,
        whole: SlotModel,
        best: Callable[[], tuple[int, int]],
        worst: int,
        total: int,
        *,
        deadline: float,
        seed: int,
        on_found: Callable[[dict[str, int]], None],
    ):
        super().__init__(name="schedule-proof", daemon=True)
        assert whole.max_gap is not None, "add_gaps first"
        self.whole = whole
        self.model = whole.model.clone()  # the main thread goes on changing the whole model
        self.model.clear_objective()
        self.model.clear_hints()
        self.best, self.on_found = best, on_found
        self.worst, self.total = worst, max(total, worst)
        self.deadline, self.seed = deadline, seed
        self._stopped = False
        self._solver: cp_model.CpSolver | None = None

    @property
    def settled(self) -> bool:
        return (self.worst, self.total) >= self.best()

    def stop(self) -> None:
        self._stopped = True
        if (solver := self._solver) is not None:
            solver.stop_search()

    def run(self) -> None:
        whole = self.whole
        gap_indexes = [v.index for v in whole.gap_of.values()]
        while not self._stopped and not self.settled and (left := self.deadline - time.monotonic()) > 0.05:
            best_worst, _ = self.best()
            model = self.model.clone()
            max_gap = model.get_int_var_from_proto_index(whole.max_gap.index)
            on_worst = self.worst < best_worst
            if on_worst:
                model.add(max_gap <= self.worst)
            else:
                model.add(max_gap <= best_worst)
                model.add(sum(model.get_int_var_from_proto_index(i) for i in gap_indexes) <= self.total)
            solver = self._solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            solver.parameters.random_seed = self.seed
            solver.parameters.max_time_in_seconds = left
            if self._stopped:
                return
            status = solver.solve(model)
            if status == cp_model.INFEASIBLE:
                if on_worst:
                    self.worst += 1
                    self.total = max(self.total, self.worst)
                else:
                    self.total += 1
            elif status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                before = self.best()
                self.on_found(whole.read(solver))  # better than the best: the same questions about it
                if self.best() == before:
                    return
            else:
                return
