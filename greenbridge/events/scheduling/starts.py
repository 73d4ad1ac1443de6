"""Schedules built meeting by meeting, without a solver: the first-free-slot greedy (the baseline the solver
never does worse than) and packed starts, which put each meeting where it adds the fewest gaps, the
meetings of the busiest participants first, so that each participant's meetings come one after another."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Callable

from greenbridge.events.scheduling.problem import Meeting, Problem, Slot


def _order(problem: Problem, key: Callable[[Meeting], tuple]) -> list[Meeting]:
    """Meetings sorted by `key`, each after those it must follow."""
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

    for m in sorted(problem.meetings, key=key):
        add(m)
    return out


class _Board:
    """Who is busy when and how full each slot is, while meetings are placed one by one."""

    def __init__(self, problem: Problem):
        self.problem = problem
        self.placement: dict[str, int] = {}
        self.taken: dict[int, set[str]] = defaultdict(set)  # slot -> participants busy
        self.used: dict[int, int] = defaultdict(int)  # slot -> meetings
        self.count: dict[str, int] = defaultdict(int)
        self.in_session: dict[tuple[str, str], int] = defaultdict(int)
        self.busy: dict[tuple[str, str], set[int]] = defaultdict(set)  # (participant, session) -> slots

    def candidates(self, m: Meeting) -> list[Slot]:
        """The slots `m` can still take, in time order (none when it cannot be scheduled now)."""
        problem = self.problem
        if any(a not in self.placement for a in m.after):
            return []
        if any(
            (limit := problem.participants[p].max_meetings) is not None and self.count[p] >= limit
            for p in m.participants
        ):
            return []
        earliest = max((self.placement[a] for a in m.after), default=-1)
        per_session = problem.max_per_session
        return [
            slot
            for slot in problem.allowed_slots(m)
            if slot.index > earliest
            and self.used[slot.index] < slot.tables
            and not self.taken[slot.index] & set(m.participants)
            and (per_session is None or all(self.in_session[p, slot.session] < per_session for p in m.participants))
        ]

    def place(self, m: Meeting, slot: Slot) -> None:
        self.placement[m.id] = slot.index
        self.used[slot.index] += 1
        self.taken[slot.index].update(m.participants)
        for p in m.participants:
            self.count[p] += 1
            self.in_session[p, slot.session] += 1
            self.busy[p, slot.session].add(slot.index)

    def added_gaps(self, m: Meeting, slot: Slot) -> tuple[int, int]:
        """Gaps `m` adds in `slot` for its participants (negative when it closes one), and how far the slot
        is from their nearest meetings in that session."""
        added = distance = 0
        first, last = self.problem.sessions[slot.session][0].index, self.problem.sessions[slot.session][-1].index
        for p in m.participants:
            busy = self.busy[p, slot.session]
            if not busy:
                continue
            before = slot.index > first and slot.index - 1 in busy
            after = slot.index < last and slot.index + 1 in busy
            added += 1 - before - after
            distance += min(abs(slot.index - b) for b in busy)
        return added, distance


def greedy(problem: Problem) -> dict[str, int]:
    """The simple scheduler (first free slot, meetings in a sensible order): a start and the baseline."""
    board = _Board(problem)

    def key(m: Meeting) -> tuple:
        return m.fixed_slot is None, m.preferred_slot is None, len(problem.allowed_slots(m)), m.id

    for m in _order(problem, key):
        fits = board.candidates(m)
        preferred = [s for s in fits if s.id == m.preferred_slot]
        if fits:  # where it was published first, then the first free slot
            board.place(m, (preferred or fits)[0])
    return board.placement


def packed(problem: Problem, variant: int = 0) -> dict[str, int]:
    """A schedule that keeps each participant's meetings together: the meetings of the busiest participants
    first (grouped by participant), each in the free slot that adds the fewest gaps, then the one nearest
    to its participants' other meetings. Variant 0 takes the earliest of equal slots, 1 the least used, and
    higher variants shuffle equal meetings and slots (seeded, so the same variant gives the same schedule)."""
    load = {p: len(ms) for p, ms in problem.meetings_of.items()}
    rng = random.Random(variant)
    noise = {m.id: rng.random() if variant > 1 else 0.0 for m in problem.meetings}

    def key(m: Meeting) -> tuple:
        busiest = max(m.participants, key=lambda p: (load[p], p))
        return (
            m.fixed_slot is None,
            m.preferred_slot is None,
            -load[busiest],
            noise[m.id],
            busiest,
            -min(load[p] for p in m.participants),
            len(problem.allowed_slots(m)),
            m.id,
        )

    board = _Board(problem)
    for m in _order(problem, key):
        fits = board.candidates(m)
        if not fits:
            continue
        preferred = [s for s in fits if s.id == m.preferred_slot]
        if preferred:
            board.place(m, preferred[0])
            continue

        def score(slot: Slot, m: Meeting = m) -> tuple:
            added, distance = board.added_gaps(m, slot)
            if variant == 0:
                tie: float = slot.index
            elif variant == 1:
                tie = board.used[slot.index]
            else:
                tie = rng.random()
            return added, distance, tie

        board.place(m, min(fits, key=score))
    return board.placement
