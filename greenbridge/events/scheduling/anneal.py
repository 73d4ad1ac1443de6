"""Simulated annealing on gaps with Kempe-chain moves: thousands of small changes a second, without a solver.

A schedule is an edge colouring: meetings are the edges between their participants, slots the colours, and
nobody may have two meetings of one colour. A Kempe move takes a meeting in slot a to slot b and, so that
nobody gets two meetings at once, swaps a and b for everything it runs into: the meetings its participants
have in b go to a, those their other participants have in a go to b, and so on. The chain keeps every hard
rule but the tables (checked) and the slots open to each meeting (checked), and changes only the gaps of the
people on it, which are counted on bit masks. Moves that add gaps are taken now and then, less and less
often (annealing), which lets the schedule get out of the dead ends where any single change costs a gap.

Meetings that may not move: fixed ones, published ones (kept where they are), and those with an order
("after") to keep; the number of meetings never changes. Each participant costs the square of their gaps, so
that spreading gaps thin is preferred; the best schedule by `rank` is kept."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Mapping

from greenbridge.events.scheduling.problem import Problem

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
        ordered = [m for m in problem.meetings if m.id in placement]
        self.ids = [m.id for m in ordered]
        self.parts = [tuple(index[p] for p in m.participants) for m in ordered]
        self.slot = [placement[m.id] for m in ordered]
        ordered_after = {a for m in problem.meetings for a in m.after} | {m.id for m in problem.meetings if m.after}
        self.movable = [
            m.fixed_slot is None and m.preferred_slot is None and m.id not in ordered_after for m in ordered
        ]
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
            self.used[s] += 1
            for p in self.parts[i]:
                self.at[p][s] = i
                self.mask[p] |= 1 << s
        self.session_masks = [sum(1 << s.index for s in slots) for slots in problem.sessions.values()]
        self.session_of = [0] * n_slots
        for n, slots in enumerate(problem.sessions.values()):
            for s in slots:
                self.session_of[s.index] = n
        self.per_session = problem.max_per_session
        self.gaps = [self._gaps(mask) for mask in self.mask]
        self.cost = sum(g * g for g in self.gaps)
        self.total = sum(self.gaps)
        self.histogram = [0] * (n_slots + 1)  # participants by number of gaps, for the worst-off
        for g in self.gaps:
            self.histogram[g] += 1
        lower = lower or {}
        self.floor = sum(lower.get(p, 0) ** 2 for p in people)  # the cost when everyone is at their bound
        self.meetings_of: list[list[int]] = [[] for _ in people]
        for i, ps in enumerate(self.parts):
            if self.movable[i]:
                for p in ps:
                    self.meetings_of[p].append(i)
        self.moves = 0  # moves made
        self.best_at = time.monotonic()  # when the best placement `run` returns was found

    def _gaps(self, mask: int) -> int:
        gaps = 0
        for session in self.session_masks:
            busy = mask & session
            runs = (busy & ~(busy << 1)).bit_count()
            if runs > 1:
                gaps += runs - 1
        return gaps

    def placement(self) -> dict[str, int]:
        return dict(zip(self.ids, self.slot, strict=True))

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
            gaps = self._gaps(mask)
            delta += gaps * gaps - self.gaps[p] * self.gaps[p]
            changed.append((p, mask, gaps))
        if delta > 0 and (temperature <= 0 or self.rng.random() >= math.exp(-delta / temperature)):
            return False
        for i in chain:
            old = self.slot[i]
            new = b if old == a else a
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
        for p, mask, gaps in changed:
            self.histogram[self.gaps[p]] -= 1
            self.histogram[gaps] += 1
            self.total += gaps - self.gaps[p]
            self.mask[p], self.gaps[p] = mask, gaps
        self.cost += delta
        self.moves += 1
        return True

    @property
    def worst(self) -> int:
        return next(g for g in range(len(self.histogram) - 1, -1, -1) if self.histogram[g] or not g)

    def run(self, deadline: float, *, start_temperature: float = 0.5, end_temperature: float = 0.05) -> dict[str, int]:
        """Anneal until `deadline` (or until every participant is at their lower bound); returns the best
        placement seen: the fewest gaps for the worst-off participant, then in all."""
        rng = self.rng
        best_slots, best_key = list(self.slot), (self.worst, self.total)
        start = time.monotonic()
        span = max(deadline - start, 1e-3)
        n_slots = len(self.problem.slots)
        people = [p for p, mine in enumerate(self.meetings_of) if mine]
        with_gaps = [p for p in people if self.gaps[p]]
        temperature = start_temperature
        step = 0
        while people and self.cost > self.floor:
            step += 1
            if step % 256 == 0:
                now = time.monotonic()
                if now >= deadline:
                    break
                temperature = start_temperature * (end_temperature / start_temperature) ** ((now - start) / span)
                with_gaps = [p for p in people if self.gaps[p]]
            p = rng.choice(with_gaps) if with_gaps and rng.random() < 0.5 else rng.choice(people)
            i = rng.choice(self.meetings_of[p])
            b = rng.randrange(n_slots)
            if b != self.slot[i] and self._try(i, b, temperature) and (key := (self.worst, self.total)) < best_key:
                best_slots, best_key, self.best_at = list(self.slot), key, time.monotonic()
        if (self.worst, self.total) < best_key:
            best_slots, self.best_at = self.slot, time.monotonic()
        return dict(zip(self.ids, best_slots, strict=True))
