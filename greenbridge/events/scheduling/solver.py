"""`solve`: the objectives one after another, from the best of several starts.

1. Starts: the first-free-slot greedy and a few packed schedules (starts.py); the best one, objective by
   objective, is where everything begins, so the result is never worse than the greedy.
2. Meetings: as many as possible (by weight), then as many published meetings in their slot. When the
   start already reaches what no schedule can beat (every meeting, or every table of every slot taken,
   every published meeting in place), there is nothing to solve; otherwise CP-SAT on the whole model.
3. Gaps: the worst-off participant's, then all, as one objective on the whole model (model.py), each
   participant at least their own lower bound (bounds.py). A short solve of the whole first (small events
   are proved optimal there), then simulated annealing with Kempe-chain moves (anneal.py) for most of the
   time, the large-neighbourhood search (search.py) from its best for the rest, then on events of up to a few
   hundred meetings the whole model again from the search's best, which proves it optimal when it can. While
   the annealing runs (one core), the second core proves lower bounds on the whole model (bounds.Proof: can
   everyone have at most so many gaps? all of them together?), which usually shows in a second or two that
   the gaps left are the fewest possible. A schedule at the lower bound is optimal at once.

Each objective's value is kept as a constraint while the next one improves; "optimal" means each one was
proved best."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from ortools.sat.python import cp_model

from greenbridge.events.scheduling.anneal import Annealer
from greenbridge.events.scheduling.bounds import Proof, participant_bounds
from greenbridge.events.scheduling.model import SlotModel
from greenbridge.events.scheduling.problem import Problem
from greenbridge.events.scheduling.schedule import (
    Schedule,
    assign_tables,
    can_stay,
    explain_unscheduled,
    gaps_per_participant,
    most_weight,
    moved,
    rank,
)
from greenbridge.events.scheduling.search import Neighbourhoods, gap_scale
from greenbridge.events.scheduling.starts import greedy, packed

PACKED_VARIANTS = 6  # packed starts tried (a few milliseconds each on 300 meetings)
# Up to this size the whole model is solved briefly before the search and again after it, for half the time
# left: CP-SAT's own search finishes such events well from the search's best and often proves them optimal
# (real brokerage events of 250–300 meetings included: the benchmark's fullest one reached its proved fewest
# gaps with 2 seeds of 3 this way, and with none when the search kept the time). Larger models take it seconds
# just to load and gain less there than in the search, which keeps the time.
WHOLE_MODEL_MEETINGS = 400
ANNEAL_SHARE = 0.85  # of the time left for gaps, for the annealing (the search has the rest)


class _Progress(cp_model.CpSolverSolutionCallback):
    """When each objective value was first reached, to tell when the returned schedule was found."""

    def __init__(self) -> None:
        super().__init__()
        self.first_at: dict[int, float] = {}

    def on_solution_callback(self) -> None:
        self.first_at.setdefault(round(self.objective_value), time.monotonic())


class _Solve:
    """One run of `solve`: the whole model, the best schedule so far and what each objective reached."""

    def __init__(self, problem: Problem, time_limit: float, workers: int, seed: int):
        self.problem = problem
        self.start = time.monotonic()
        # The phases stop a little before the limit: tables, gaps and reasons are worked out after them.
        self.deadline = self.start + max(time_limit - min(2.0, 0.05 * time_limit), 0.1)
        self.time_limit = time_limit
        self.workers, self.seed = workers, seed
        starts = [greedy(problem), *(packed(problem, v) for v in range(PACKED_VARIANTS))]
        self.best = min(starts, key=lambda p: rank(problem, p))
        self.best_rank = rank(problem, self.best)
        self.found_at = time.monotonic()
        self.whole = SlotModel(problem)
        self.solver = cp_model.CpSolver()
        self.solver.parameters.num_workers = workers
        self.solver.parameters.random_seed = seed
        self.statuses: list[int] = []  # one per objective
        self.bound = 0.0  # the last objective's proved bound
        self.annealer: Annealer | None = None  # while it runs
        self._lock = threading.Lock()

    def improve(self, placement: Mapping[str, int], at: float) -> None:
        with self._lock:  # the proof's thread too
            if (better := rank(self.problem, placement)) < self.best_rank:
                self.best, self.best_rank, self.found_at = dict(placement), better, at

    def run(self, objective: Any, *, maximize: bool, share: float, known_best: int | None = None) -> int | None:
        """Solve for one objective and keep what it reached as a constraint for the next one; returns that
        value (None when the solver found nothing). `known_best`: the best schedule already reaches what no
        schedule can beat, nothing to solve."""
        model = self.whole.model
        self.whole.hint(self.best)
        if known_best is not None:
            self.statuses.append(cp_model.OPTIMAL)
            value, self.bound = known_best, known_best
        else:
            model.maximize(objective) if maximize else model.minimize(objective)
            self.solver.parameters.max_time_in_seconds = max(0.05, (self.deadline - time.monotonic()) * share)
            progress = _Progress()
            status = self.solver.solve(model, progress)
            self.statuses.append(status)
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                return None
            value, self.bound = round(self.solver.objective_value), self.solver.best_objective_bound
            self.improve(self.whole.read(self.solver), progress.first_at.get(value, self.found_at))
        model.add(objective >= value) if maximize else model.add(objective <= value)
        return value

    def meetings(self) -> bool:
        """Objective 1: as many meetings as possible, then as many published ones in their slot."""
        problem, whole = self.problem, self.whole
        upper = most_weight(problem)
        if -self.best_rank[0] == upper:
            self.run(whole.weight, maximize=True, share=0.5, known_best=upper)
        else:
            # As for gaps: a short look at the whole model when it is small, the search (it places what the
            # starts left out, when it can), the whole model again to prove it.
            proved = False
            if len(problem.meetings) <= WHOLE_MODEL_MEETINGS:
                self.run(whole.weight, maximize=True, share=0.2)
                proved = self.statuses[-1] in (cp_model.OPTIMAL, cp_model.INFEASIBLE)
                if not proved:
                    self.statuses.pop()
            if not proved:
                search = Neighbourhoods(problem, self.best, {}, self.seed)
                search.run(
                    self.start + 0.3 * (self.deadline - self.start),
                    workers=self.workers,
                    on_better=lambda placement: self.improve(placement, time.monotonic()),
                    until=lambda search: search.all_in,
                )
                known = upper if -self.best_rank[0] == upper else None
                self.run(whole.weight, maximize=True, share=0.5, known_best=known)
        if self.statuses[-1] not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return False
        stays = {m.id: problem.slot_by_id[m.preferred_slot].index for m in problem.meetings if can_stay(problem, m)}
        if stays:
            in_place = sum(self.best.get(mid) == s for mid, s in stays.items())
            known = len(stays) if in_place == len(stays) else None
            objective = sum(whole.x[mid, s] for mid, s in stays.items())
            return self.run(objective, maximize=True, share=0.3, known_best=known) is not None
        return True

    def gaps(self) -> tuple[int, int]:
        """Objective 2: the fewest gaps, the worst-off participant's first. Returns what no schedule as
        good in meetings can go below: (all gaps, the worst-off participant's)."""
        problem, whole = self.problem, self.whole
        all_weight = sum(m.weight for m in problem.meetings)
        # Meetings a schedule as good as this one may leave out: the weight it leaves out, at the lightest.
        dropped = (all_weight + self.best_rank[0]) // min((m.weight for m in problem.meetings), default=1)
        with_gaps = [p for p, g in gaps_per_participant(problem, self.best).items() if g]  # the others reach 0
        lower = participant_bounds(
            problem, with_gaps, dropped, min(time.monotonic() + 0.1 * self.time_limit, self.deadline)
        )
        whole.add_gaps(lower=lower)
        if not whole.gap_of:
            return 0, 0
        scale = gap_scale(problem)
        objective = scale * whole.max_gap + whole.total_gaps
        floor = scale * max(lower.values(), default=0) + sum(lower.values())

        def cost() -> int:
            *_, worst, total = self.best_rank
            return scale * worst + total

        if cost() > floor:
            # On a small event a short look at the whole model first; then the annealing and the search (on a
            # small event until half the time left, when the whole model takes over from its best; otherwise to
            # the end).
            small = len(problem.meetings) <= WHOLE_MODEL_MEETINGS
            proved = False
            if small:
                self.run(objective, maximize=False, share=0.1)
                proved = self.statuses[-1] == cp_model.OPTIMAL
                if not proved:
                    self.statuses.pop()
            if not proved:
                proof = None
                if self.workers > 1:  # on the second core while the annealing takes the first
                    proof = Proof(
                        whole,
                        self.gap_key,
                        max(lower.values(), default=0),
                        sum(lower.values()),
                        deadline=self.deadline,
                        seed=self.seed,
                        on_found=lambda placement: self.improve(placement, time.monotonic()),
                    )
                    proof.start()
                self.anneal(lower, stop=proof and (lambda: proof.settled))
                if proof is not None:
                    proof.stop()
                    proof.join()
                    floor = max(floor, scale * proof.worst + proof.total)
                if cost() > floor:
                    search = Neighbourhoods(problem, self.best, lower, self.seed)
                    search.run(
                        self.deadline - (0.5 * (self.deadline - time.monotonic()) if small else 0),
                        workers=self.workers,
                        on_better=lambda placement: self.improve(placement, time.monotonic()),
                        until=lambda search: search.gaps_at_bound,
                    )
                if cost() <= floor:
                    self.run(objective, maximize=False, share=1.0, known_best=cost())
                elif small:
                    whole.model.add(objective >= floor)  # proved: it spares the solver proving it again
                    self.run(objective, maximize=False, share=1.0)
                    self.bound = max(self.bound, floor)
                    if cost() <= floor:
                        self.statuses[-1] = cp_model.OPTIMAL
                else:  # not proved: the lower bounds are all that is known
                    self.statuses.append(cp_model.FEASIBLE)
                    self.bound = floor
        else:
            self.run(objective, maximize=False, share=1.0, known_best=cost())
        worst = self.best_rank[2]
        proved = math.ceil(self.bound - 1e-6) if self.statuses[-1] in (cp_model.OPTIMAL, cp_model.FEASIBLE) else 0
        return max(sum(lower.values()), proved - scale * worst), max(max(lower.values(), default=0), proved // scale)

    def anneal(self, lower: Mapping[str, int], stop: Callable[[], bool] | None = None) -> None:
        """Simulated annealing with Kempe-chain moves (anneal.py) from the best schedule, for a share of the
        time left (or until `stop()`)."""
        annealer = self.annealer = Annealer(self.problem, self.best, lower, self.seed)
        placement = annealer.run(time.monotonic() + ANNEAL_SHARE * (self.deadline - time.monotonic()), stop=stop)
        self.improve(placement, annealer.best_at)
        self.annealer = None

    def gap_key(self) -> tuple[int, int]:
        """The gaps of the best schedule so far, the annealing's included: (the worst-off participant's, all)."""
        *_, worst, total = self.best_rank
        annealer = self.annealer
        return min((worst, total), annealer.best_key) if annealer is not None else (worst, total)

    def schedule(self, gaps_bound: int, max_gaps_bound: int) -> Schedule:
        problem = self.problem
        if self.statuses and self.statuses[0] == cp_model.INFEASIBLE:
            status, placement = "infeasible", {}
        else:
            status = "optimal" if all(s == cp_model.OPTIMAL for s in self.statuses) else "feasible"
            placement = self.best
        tables, changes = assign_tables(problem, placement)
        gaps = gaps_per_participant(problem, placement)
        return Schedule(
            status=status,
            placement=dict(placement),
            tables=tables,
            unscheduled=explain_unscheduled(problem, placement),
            gaps=sum(gaps.values()),
            max_gaps_per_participant=max(gaps.values(), default=0),
            table_changes=changes,
            seconds=time.monotonic() - self.start,
            moved=moved(problem, placement),
            gaps_bound=min(gaps_bound, sum(gaps.values())),
            max_gaps_bound=min(max_gaps_bound, max(gaps.values(), default=0)),
            seconds_to_best=self.found_at - self.start,
        )


def solve(problem: Problem, time_limit: float = 30.0, *, workers: int = 2, seed: int = 0) -> Schedule:
    """The best schedule found within `time_limit` seconds with `workers` threads (see the module's doc)."""
    run = _Solve(problem, time_limit, workers, seed)
    bounds = run.gaps() if run.meetings() else (0, 0)
    return run.schedule(*bounds)
