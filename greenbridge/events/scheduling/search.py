"""Large-neighbourhood search on gaps: keep most of a schedule, let CP-SAT re-place a few dozen meetings.

Each step frees the meetings of one neighbourhood and solves that small model (usually to optimality, in
a fraction of a second) around the meetings kept in place, with the objective of the whole: the worst-off
participant's gaps, then all gaps, never fewer meetings (by weight), never fewer published meetings in
their slot. A step that is not worse is kept, so the search also walks across equally good schedules.
Neighbourhoods, picked at random (seeded), around the participants who have gaps most of the time:

- "session": a participant and some of the people they meet, all their meetings in one session, anywhere
  in that session;
- "window": a few consecutive slots of one session, every meeting in them, among those slots;
- "anywhere": a participant and some of the people they meet, all their meetings (and those left out),
  in any slot open to them, so that meetings can change session.

Each kind grows while its steps are solved to optimality quickly and shrinks when they are not. With
several workers, each runs steps in its own thread (CP-SAT releases the interpreter while it solves); a
step whose neighbourhood another worker changed meanwhile is checked against every rule again before it
is kept."""

from __future__ import annotations

import itertools
import random
import threading
import time
from collections.abc import Callable, Mapping

from ortools.sat.python import cp_model

from greenbridge.events.scheduling.model import SlotModel
from greenbridge.events.scheduling.problem import Meeting, Problem
from greenbridge.events.scheduling.schedule import can_stay, gaps_per_participant, most_weight, rank, violations

STEP_WORK = 0.5  # the solver's deterministic time for one step (about a second on a busy 2-core machine)


class Neighbourhoods:
    """The search's state: the current schedule, how it ranks, and how big each kind of neighbourhood is."""

    def __init__(self, problem: Problem, placement: Mapping[str, int], lower: Mapping[str, int], seed: int = 0):
        self.problem = problem
        self.lower = lower
        self.seed = seed
        self.scale = gap_scale(problem)
        # The best rank there can be: every meeting that fits, every published one that can stay in place,
        # each participant at their lower bound.
        cannot_stay = sum(1 for m in problem.meetings if m.preferred_slot is not None and not can_stay(problem, m))
        self.floor = (-most_weight(problem), cannot_stay, max(lower.values(), default=0), sum(lower.values()))
        # People met added to a participant's neighbourhood, or slots in a window.
        self.size = {"session": 3, "window": 3, "anywhere": 2, "insert": 2}
        self.steps = self.improvements = 0
        self.work = 0.0  # the solver's deterministic time, all steps together
        self._lock = threading.Lock()
        self._version = 0
        self._set(dict(placement))

    def _set(self, placement: dict[str, int]) -> None:
        self.placement = placement
        self.gaps = gaps_per_participant(self.problem, placement)
        self.rank = rank(self.problem, placement, self.gaps)
        self._version += 1

    @property
    def at_bound(self) -> bool:
        """Nothing can be better: every meeting that fits, every published one in place, and each
        participant at their lower bound of gaps (usually 0)."""
        return self.rank <= self.floor

    @property
    def gaps_at_bound(self) -> bool:
        """Each participant at their lower bound of gaps (usually 0)."""
        return self.rank[2:] <= self.floor[2:]

    @property
    def all_in(self) -> bool:
        """As many meetings (by weight) as fit in the tables."""
        return self.rank[0] <= self.floor[0]

    def run(
        self,
        deadline: float,
        *,
        workers: int = 1,
        on_better: Callable[[dict[str, int]], None] | None = None,
        until: Callable[[Neighbourhoods], bool] = lambda search: search.at_bound,
    ) -> None:
        """Steps until `deadline` or `until` the search is done (by default: at the bound)."""
        threads = [
            threading.Thread(target=self._loop, args=(deadline, random.Random(self.seed * 101 + n), on_better, until))
            for n in range(1, max(workers, 1))
        ]
        for thread in threads:
            thread.start()
        self._loop(deadline, random.Random(self.seed * 101), on_better, until)
        for thread in threads:
            thread.join()

    def _loop(self, deadline: float, rng: random.Random, on_better, until) -> None:
        while not until(self) and (left := deadline - time.monotonic()) > 0.05:
            with self._lock:
                placement, gaps, version = self.placement, self.gaps, self._version
            kind, meetings, window = self._pick(rng, placement, gaps)
            if not meetings:
                continue
            moved = self._step(kind, meetings, window, placement, gaps, rng, min(left, 5 * STEP_WORK))
            if moved is None:
                continue
            with self._lock:
                before = self.rank
                if version != self._version:  # another worker changed the schedule meanwhile: apply this step
                    ids = {m.id for m in meetings}  # to the new one, if it still keeps every rule
                    merged = {mid: s for mid, s in self.placement.items() if mid not in ids}
                    merged.update((mid, s) for mid, s in moved.items() if mid in ids)
                    if violations(self.problem, merged):
                        continue
                    moved = merged
                if rank(self.problem, moved) > before:
                    continue  # worse: a step from a schedule another worker has changed since
                self._set(moved)
                if self.rank < before:
                    self.improvements += 1
                    if on_better is not None:
                        on_better(dict(self.placement))

    # -- one step ---------------------------------------------------------------------------------------

    def _step(
        self,
        kind: str,
        meetings: list[Meeting],
        window: set[int] | None,
        current: dict[str, int],
        gaps: Mapping[str, int],
        rng: random.Random,
        limit: float,
    ) -> dict[str, int] | None:
        """The schedule with `meetings` re-placed at best (None when the step found nothing)."""
        problem = self.problem
        ids = {m.id for m in meetings}
        sub = SlotModel(
            problem, meetings, fixed={mid: s for mid, s in current.items() if mid not in ids}, window=window
        )
        model = sub.model
        # The rank of the whole, as one objective to minimise: meetings (by weight) first, then published
        # meetings in place, then gaps; never worse than now on the first two.
        weight = sum(m.weight for m in meetings if m.id in current)
        model.add(sub.weight >= weight)
        stays = [m for m in meetings if can_stay(problem, m) and (m.id, index_of(problem, m)) in sub.x]
        in_place = sum(sub.x[m.id, index_of(problem, m)] for m in stays)
        if stays:
            model.add(in_place >= sum(current.get(m.id) == index_of(problem, m) for m in stays))
        people = {p for m in meetings for p in m.participants}
        floor = max((g for p, g in gaps.items() if p not in people), default=0)
        sub.add_gaps(people, lower=self.lower, floor=floor)
        gaps_cost = self.scale * sub.max_gap + sub.total_gaps if sub.gap_of else 0
        per_stay = self.scale * (len(problem.slots) + 1)  # more than any gaps cost
        per_weight = per_stay * (len(stays) + 1)
        model.minimize(gaps_cost - per_stay * in_place - per_weight * sub.weight)
        sub.hint(current)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        # Limited in the solver's deterministic time, so that a step does the same work on any machine
        # (a seeded search with one worker gives the same schedules), and in seconds by the deadline.
        solver.parameters.max_deterministic_time = STEP_WORK
        solver.parameters.max_time_in_seconds = limit
        solver.parameters.random_seed = rng.randrange(1 << 16)
        # The full linear relaxation (gaps included) proves these small models several times faster.
        solver.parameters.linearization_level = 2
        status = solver.solve(model)
        self.steps += 1
        self.work += solver.deterministic_time
        fast = status == cp_model.OPTIMAL and solver.deterministic_time < 0.3 * STEP_WORK
        self.size[kind] = min(self.size[kind] + 1, 20) if fast else max(self.size[kind] - 1, 1)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        return sub.read(solver)

    # -- neighbourhoods ---------------------------------------------------------------------------------

    def _person(self, rng: random.Random, gaps: Mapping[str, int]) -> str:
        """A participant with gaps (the worse off, the likelier), or anyone with meetings."""
        with_gaps = [p for p, g in sorted(gaps.items()) if g > self.lower.get(p, 0)]
        if with_gaps and rng.random() < 0.8:
            worst = max(gaps[p] for p in with_gaps)
            return rng.choices(with_gaps, weights=[4 if gaps[p] == worst else 1 for p in with_gaps])[0]
        return rng.choice(sorted(self.problem.meetings_of))

    def _pick(
        self, rng: random.Random, placement: Mapping[str, int], gaps: Mapping[str, int]
    ) -> tuple[str, list[Meeting], set[int] | None]:
        problem = self.problem
        if not self.all_in and rng.random() < 0.5:  # a meeting left out, its people and some they meet
            out = [m for m in problem.meetings if m.id not in placement and problem.allowed_slots(m)]
            if out:
                left_out = rng.choice(out)
                partners = sorted(
                    {q for p in left_out.participants for m in problem.meetings_of[p] for q in m.participants}
                )
                people = {*left_out.participants, *rng.sample(partners, min(self.size["insert"], len(partners)))}
                meetings = {m.id: m for q in sorted(people) for m in problem.meetings_of[q]}
                return "insert", list(meetings.values()), None
        draw = rng.random()
        if draw < 0.45:  # a participant and people they meet, in one session
            p = self._person(rng, gaps)
            sessions = sorted(
                {problem.slots[placement[m.id]].session for m in problem.meetings_of[p] if m.id in placement}
            )
            if not sessions:
                return "session", [], None
            with_gap = [s for s in sessions if _session_gaps(problem, placement, p, s)]
            session = rng.choice(with_gap or sessions)
            window = {s.index for s in problem.sessions[session]}
            mine = [m for m in problem.meetings_of[p] if placement.get(m.id) in window]
            partners = sorted({q for m in mine for q in m.participants if q != p})
            people = {p, *rng.sample(partners, min(self.size["session"], len(partners)))}
            meetings = [
                m
                for m in problem.meetings
                if placement.get(m.id) in window and any(q in people for q in m.participants)
            ]
            return "session", meetings, window
        if draw < 0.75:  # a few consecutive slots
            session = rng.choice(sorted(problem.sessions))
            slots = problem.sessions[session]
            width = min(len(slots), self.size["window"] + 1)
            first = rng.randrange(len(slots) - width + 1)
            window = {s.index for s in slots[first : first + width]}
            return "window", [m for m in problem.meetings if placement.get(m.id) in window], window
        p = self._person(rng, gaps)  # a participant and people they meet, anywhere
        partners = sorted({q for m in problem.meetings_of[p] for q in m.participants if q != p})
        people = {p, *rng.sample(partners, min(self.size["anywhere"], len(partners)))}
        meetings = {m.id: m for q in sorted(people) for m in problem.meetings_of[q]}
        return "anywhere", list(meetings.values()), None


def gap_scale(problem: Problem) -> int:
    """The weight of the worst-off participant's gaps in the one gap objective (scale × worst + all): more
    than all gaps can add up to (each gap follows a meeting, of two people), so that one gap less for the
    worst-off outweighs any number of gaps elsewhere."""
    return 2 * len(problem.meetings) + 1


def index_of(problem: Problem, m: Meeting) -> int:
    """The index of a meeting's preferred (published) slot."""
    return problem.slot_by_id[m.preferred_slot].index  # type: ignore[index]


def _session_gaps(problem: Problem, placement: Mapping[str, int], p: str, session: str) -> bool:
    busy = sorted(placement[m.id] for m in problem.meetings_of[p] if m.id in placement)
    return any(
        b - a > 1 and problem.slots[a].session == session == problem.slots[b].session
        for a, b in itertools.pairwise(busy)
    )
