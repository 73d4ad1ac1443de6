"""Simulated annealing on gaps with Kempe-chain moves: thousands of small changes a second, without a solver.

A schedule is an edge colouring: meetings are the edges between their participants, slots the colours, and
nobody may have two meetings of one colour. A Kempe move takes a meeting in slot a to slot b and, so that
nobody gets two meetings at once, swaps a and b for everything it runs into: the meetings its participants
have in b go to a, those their other participants have in a go to b, and so on. The chain keeps every hard
rule but the tables (checked) and the slots open to each meeting (checked), and changes only the gaps of the
people on it, which are counted on bit masks. Moves that add gaps are taken now and then, less and less
often (annealing), which lets the schedule get out of the dead ends where any single change costs a gap.

A tenth of the moves, when some meetings are left out (more requests than seats), swap one of them in for
a meeting of the same weight in a slot: the one its participants have then, or, when they are free and the
slot is full, any one of the slot's. Which meetings are left out matters for the gaps too (on the
benchmark's event with 300 requests for 294 seats, letting in only meetings that share a participant with
the one they replace, six solves of 30 s ended with 5 to 7 gaps; with any, nine ended with 4 to 6). The
weight scheduled never changes. Meetings that do not move: fixed ones, published ones (kept where they
are), and those with an order ("after") to keep. Each participant costs the square of their gaps, so that
spreading gaps thin is preferred; the best schedule seen (the worst-off participant's gaps, then all) is
returned."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Mapping

from greenbridge.events.scheduling.problem import Problem

SWAPS = 0.1  # of the moves, a meeting left out in place of one scheduled (when some are left out)
MAX_CHAIN = 16  # meetings moved by one Kempe move, at most


class Annealer:
    """The state of the annealing: each meeting's slot, who is busy when, and each participant's gaps."""

    def __init__(
        self, problem: Problem, placement: Mapping[str, int], lower: Mapping[str, int] | None = None, seed: int = 0
    ):
        self.problem = problem
        self.rng = random.Random(seed)
        people = sorted(problem.participants)
        index = {p: n for n, p in enumerate(people)}
        self.people = people
        ordered = problem.meetings
        self.ids = [m.id for m in ordered]
        self.weight = [m.weight for m in ordered]
        self.parts = [tuple(index[p] for p in m.participants) for m in ordered]
        self.slot = [placement.get(m.id, -1) for m in ordered]  # -1: left out
        ordered_after = {a for m in problem.meetings for a in m.after} | {m.id for m in problem.meetings if m.after}
        self.movable = [
            m.fixed_slot is None
            and m.preferred_slot is None
            and m.id not in ordered_after
            and (m.id in placement or problem.allowed_slots(m))
            for m in ordered
        ]
        self.limit = [problem.participants[p].max_meetings for p in people]
        self.count = [0] * len(people)  # meetings scheduled
        self.out = [i for i, s in enumerate(self.slot) if s < 0 and self.movable[i]]  # left out, may come in
        self.allowed = [0] * len(ordered)
        for i, m in enumerate(ordered):
            for s in problem.allowed_slots(m):
                self.allowed[i] |= 1 << s.index
        n_slots = len(problem.slots)
        self.capacity = [s.tables for s in problem.slots]
        self.used = [0] * n_slots
        self.at: list[dict[int, int]] = [{} for _ in people]  # participant -> slot -> meeting
        self.mask = [0] * len(people)
        for i, s in enumerate(self.slot):
            if s < 0:
                continue
            self.used[s] += 1
            for p in self.parts[i]:
                self.count[p] += 1
                self.at[p][s] = i
                self.mask[p] |= 1 << s
        self.session_masks = [sum(1 << s.index for s in slots) for slots in problem.sessions.values()]
        self.session_of = [0] * n_slots
        for n, slots in enumerate(problem.sessions.values()):
            for s in slots:
                self.session_of[s.index] = n
        self.per_session = problem.max_per_session
        scored = [self._score(mask) for mask in self.mask]
        self.gaps = [gaps for gaps, _ in scored]
        self.penalty = [penalty for _, penalty in scored]
        self.cost = sum(self.penalty)
        self.total = sum(self.gaps)
        self.histogram = [0] * (n_slots + 1)  # participants by number of gaps, for the worst-off
        for g in self.gaps:
            self.histogram[g] += 1
        self.lower = [(lower or {}).get(p, 0) for p in people]
        self.excess = sum(max(g - low, 0) for g, low in zip(self.gaps, self.lower, strict=True))  # 0: at the bound
        self.meetings_of: list[list[int]] = [[] for _ in people]
        for i, ps in enumerate(self.parts):
            if self.movable[i] and self.slot[i] >= 0:
                for p in ps:
                    self.meetings_of[p].append(i)
        self.steps = self.moves = 0  # moves tried, made
        self.best_at = time.monotonic()  # when the best placement `run` returns was found
        self.best_key = (self.worst, self.total)  # its gaps: the worst-off participant's, all

    def _score(self, mask: int) -> tuple[int, int]:
        """The gaps of a participant busy in `mask` (runs of meetings in a session, minus one), and what they
        cost: their square, so that two people with a gap each are better than one with two. (Counting the
        idle slots in a gap as well, so that shrinking a long gap would count, made the search worse.)"""
        gaps = 0
        for session in self.session_masks:
            busy = mask & session
            runs = (busy & ~(busy << 1)).bit_count()
            if runs > 1:
                gaps += runs - 1
        return gaps, gaps * gaps

    def placement(self, slots: list[int] | None = None) -> dict[str, int]:
        """Meeting id -> slot index, of the current state or of `slots` (one per meeting, -1 when out)."""
        return {mid: s for mid, s in zip(self.ids, slots or self.slot, strict=True) if s >= 0}

    def _chain(self, first: int, b: int) -> list[int] | None:
        """The meetings a Kempe move of `first` from its slot to `b` swaps (None when one cannot move)."""
        a = self.slot[first]
        chain = [first]
        seen = {first}
        for i in chain:
            other = b if self.slot[i] == a else a
            if not self.movable[i] or not self.allowed[i] >> other & 1:
                return None
            for p in self.parts[i]:
                j = self.at[p].get(other)
                if j is not None and j not in seen:
                    if len(chain) >= MAX_CHAIN:
                        return None
                    seen.add(j)
                    chain.append(j)
        return chain

    def _try(self, first: int, b: int, temperature: float) -> bool:
        """The Kempe move of `first` to slot `b`, made if the tables allow it and the annealing takes it."""
        a = self.slot[first]
        chain = self._chain(first, b)
        if chain is None:
            return False
        to_b = sum(1 for i in chain if self.slot[i] == a)
        to_a = len(chain) - to_b
        if self.used[b] + to_b - to_a > self.capacity[b] or self.used[a] + to_a - to_b > self.capacity[a]:
            return False
        # People with one meeting on the chain change slot (a <-> b); with two, they keep both slots busy.
        touched: dict[int, int] = {}
        for i in chain:
            for p in self.parts[i]:
                touched[p] = touched.get(p, 0) + 1
        flip = 1 << a | 1 << b
        delta = 0
        changed = []
        for p, n in touched.items():
            if n != 1:
                continue
            mask = self.mask[p] ^ flip
            if self.per_session is not None and self.session_of[a] != self.session_of[b]:
                session = self.session_masks[self.session_of[b if self.mask[p] >> a & 1 else a]]
                if (mask & session).bit_count() > self.per_session:
                    return False
            gaps, penalty = self._score(mask)
            delta += penalty - self.penalty[p]
            changed.append((p, mask, gaps, penalty))
        if not self._accept(delta, temperature):
            return False
        for i in chain:
            old = self.slot[i]
            for p in self.parts[i]:
                if self.at[p].get(old) == i:
                    del self.at[p][old]
        for i in chain:
            old = self.slot[i]
            new = b if old == a else a
            self.slot[i] = new
            self.used[old] -= 1
            self.used[new] += 1
            for p in self.parts[i]:
                self.at[p][new] = i
        self._commit(changed, delta)
        return True

    def _accept(self, delta: int, temperature: float) -> bool:
        return delta <= 0 or (temperature > 0 and self.rng.random() < math.exp(-delta / temperature))

    def _commit(self, changed: list[tuple[int, int, int, int]], delta: int) -> None:
        for p, mask, gaps, penalty in changed:
            self.histogram[self.gaps[p]] -= 1
            self.histogram[gaps] += 1
            self.total += gaps - self.gaps[p]
            self.excess += max(gaps - self.lower[p], 0) - max(self.gaps[p] - self.lower[p], 0)
            self.mask[p], self.gaps[p], self.penalty[p] = mask, gaps, penalty
        self.cost += delta
        self.moves += 1

    def _swap_in(self, u: int, b: int, temperature: float) -> bool:
        """Meeting `u`, left out, into slot `b` in place of the one meeting there that shares a participant
        with it (as heavy, and movable), which is left out instead."""
        if not self.allowed[u] >> b & 1:
            return False
        there = {self.at[p][b] for p in self.parts[u] if b in self.at[p]}
        if len(there) > 1:
            return False
        if there:
            j = there.pop()
        else:
            # Its people are free then: it takes the place of a meeting of the slot (drawn), if the slot is full.
            if self.used[b] < self.capacity[b]:
                return False
            draw, slot, n = self.rng.random, self.slot, len(self.slot)
            for _ in range(64):
                j = int(draw() * n)
                if slot[j] == b:
                    break
            else:
                return False
        if not self.movable[j] or self.weight[j] != self.weight[u]:
            return False
        gain = [p for p in self.parts[u] if p not in self.parts[j]]
        lose = [p for p in self.parts[j] if p not in self.parts[u]]
        for p in gain:
            if self.limit[p] is not None and self.count[p] >= self.limit[p]:
                return False
            if self.per_session is not None:
                session = self.session_masks[self.session_of[b]]
                if (self.mask[p] & session).bit_count() >= self.per_session:
                    return False
        bit = 1 << b
        delta = 0
        changed = []
        for p, mask in [*((p, self.mask[p] | bit) for p in gain), *((p, self.mask[p] & ~bit) for p in lose)]:
            gaps, penalty = self._score(mask)
            delta += penalty - self.penalty[p]
            changed.append((p, mask, gaps, penalty))
        if not self._accept(delta, temperature):
            return False
        for p in self.parts[j]:
            del self.at[p][b]
        for p in self.parts[u]:
            self.at[p][b] = u
        for p in lose:
            self.count[p] -= 1
            self.meetings_of[p].remove(j)
        for p in gain:
            self.count[p] += 1
            self.meetings_of[p].append(u)
        for p in set(self.parts[u]) & set(self.parts[j]):
            self.meetings_of[p].remove(j)
            self.meetings_of[p].append(u)
        self.slot[u], self.slot[j] = b, -1
        self.out[self.out.index(u)] = j
        self._commit(changed, delta)
        return True

    @property
    def worst(self) -> int:
        """The worst-off participant's gaps."""
        return next(g for g in range(len(self.histogram) - 1, -1, -1) if self.histogram[g] or not g)

    def run(
        self,
        deadline: float,
        *,
        start_temperature: float = 0.5,
        end_temperature: float = 0.05,
        stop: Callable[[], bool] | None = None,
    ) -> dict[str, int]:
        """Anneal until `deadline` (or until every participant is at their lower bound, or `stop()` says so);
        returns the best placement seen: the fewest gaps for the worst-off participant, then in all
        (`best_key`, as it goes)."""
        draw = self.rng.random
        best_slots, best_key = list(self.slot), (self.worst, self.total)
        self.best_key = best_key
        start = now = time.monotonic()
        span = max(deadline - start, 1e-3)
        n_slots = len(self.problem.slots)
        people = [p for p, mine in enumerate(self.meetings_of) if mine]
        swaps = SWAPS if self.out else 0.0
        with_gaps = [p for p in people if self.gaps[p]]
        temperature = start_temperature
        step = 0
        while people and self.excess:
            step += 1
            if step % 256 == 0:
                now = time.monotonic()
                if now >= deadline or (stop is not None and stop()):
                    break
                temperature = start_temperature * (end_temperature / start_temperature) ** ((now - start) / span)
                with_gaps = [p for p in people if self.gaps[p]]
            # random() and indexing: several times cheaper than choice() and randrange() in this loop
            if draw() < swaps:
                done = self._swap_in(self.out[int(draw() * len(self.out))], int(draw() * n_slots), temperature)
            else:
                if with_gaps and draw() < 0.5:
                    p = with_gaps[int(draw() * len(with_gaps))]
                else:
                    p = people[int(draw() * len(people))]
                mine = self.meetings_of[p]
                if not mine:
                    continue
                i = mine[int(draw() * len(mine))]
                b = int(draw() * n_slots)
                done = b != self.slot[i] and self.allowed[i] >> b & 1 and self._try(i, b, temperature)
            if done and (key := (self.worst, self.total)) < best_key:
                best_slots, best_key, self.best_at = list(self.slot), key, now
                self.best_key = key
        self.steps += step
        if (self.worst, self.total) < best_key:
            best_slots, self.best_at = self.slot, now
        return self.placement(best_slots)
