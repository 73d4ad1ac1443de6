"""Scheduling benchmark: the CP-SAT scheduler against the first-free-slot greedy, measured in the same run.

Literature-sized events (about 70 companies, 150 meetings, 14 tables, 21 slots in a morning and an
afternoon session) with the load varied up to near capacity, unavailable slots, fixed meetings and
morning/afternoon restrictions; then a large event: 1,000 participants, 5,000 accepted meetings, 2
sessions of 10 slots, 300 tables (target: at least 99% scheduled within 120 s, memory under 2 GB).

    python benchmarks/schedule_bench.py [--json] [--quick]
"""

import argparse
import json
import os
import random
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from greenbridge.events.scheduling import Problem, gaps_per_participant, greedy, solve


def instance(
    seed: int,
    *,
    companies: int,
    meetings: int,
    slots: int,
    tables: int,
    unavailable: float = 0.0,
    fixed: float = 0.0,
    restricted: float = 0.0,
) -> dict:
    """A brokerage event: meeting requests between random pairs, a few popular companies (buyers) in
    more of them, some participants away for a slot, some meetings fixed or kept to one session."""
    rng = random.Random(seed)
    people = [f"p{i}" for i in range(companies)]
    popularity = [3 if i < companies // 10 else 1 for i in range(companies)]
    half = slots // 2
    slot_list = [{"id": str(i + 1), "session": "morning" if i < half else "afternoon"} for i in range(slots)]
    pairs: set[tuple[str, str]] = set()
    load: dict[str, int] = dict.fromkeys(people, 0)
    while len(pairs) < meetings:
        a, b = rng.choices(people, weights=popularity, k=2)
        if a == b or (min(a, b), max(a, b)) in pairs or load[a] >= slots - 2 or load[b] >= slots - 2:
            continue
        pairs.add((min(a, b), max(a, b)))
        load[a] += 1
        load[b] += 1
    participants = []
    for p in people:
        away = [str(rng.randint(1, slots))] if rng.random() < unavailable else []
        participants.append({"id": p, "unavailable": away, "max_meetings": None})
    away_of = {p["id"]: set(p["unavailable"]) for p in participants}
    out_meetings = []
    fixed_in: dict[str, set[str]] = {}
    for n, (a, b) in enumerate(sorted(pairs)):
        m = {"id": f"m{n}", "participants": [a, b], "sessions": None, "fixed_slot": None, "after": [], "weight": 1}
        r = rng.random()
        if r < fixed:
            slot = str(rng.randint(1, slots))
            busy = fixed_in.setdefault(slot, set())
            if a not in busy and b not in busy and slot not in away_of[a] | away_of[b] and len(busy) < 2 * tables:
                m["fixed_slot"] = slot
                busy.update((a, b))
        elif r < fixed + restricted:
            m["sessions"] = [rng.choice(["morning", "afternoon"])]
        out_meetings.append(m)
    return {"slots": slot_list, "tables": tables, "participants": participants, "meetings": out_meetings}


def measure(data: dict, time_limit: float) -> dict:
    problem = Problem.from_data(data)
    base = greedy(problem)
    base_gaps = gaps_per_participant(problem, base)
    schedule = solve(problem, time_limit)
    return {
        "participants": len(problem.participants),
        "meetings": len(problem.meetings),
        "slots": len(problem.slots),
        "tables": problem.tables,
        "load": len(problem.meetings) / (len(problem.slots) * problem.tables),
        "status": schedule.status,
        "scheduled": len(schedule.placement),
        "gaps": schedule.gaps,
        "max_gaps": schedule.max_gaps_per_participant,
        "table_changes": schedule.table_changes,
        "seconds": schedule.seconds,
        "greedy_scheduled": len(base),
        "greedy_gaps": sum(base_gaps.values()),
        "greedy_max_gaps": max(base_gaps.values(), default=0),
    }


def rescheduling(seed: int, time_limit: float) -> dict:
    """Publish a 150-meeting schedule, then late changes: five participants become unavailable in two of
    their slots, four meetings are cancelled and six added. Re-solve keeping published meetings where they
    can stay (preferred slot and table) and, as the baseline, from scratch; count the meetings moved."""
    rng = random.Random(seed)
    data = instance(seed, companies=70, meetings=150, slots=21, tables=14, unavailable=0.2, restricted=0.1)
    problem = Problem.from_data(data)
    first = solve(problem, time_limit)
    published = {m: (problem.slots[s].id, first.tables[m]) for m, s in first.placement.items()}
    late = json.loads(json.dumps(data))
    by_id = {p["id"]: p for p in late["participants"]}
    for m in rng.sample(sorted(first.placement), 5):
        person = by_id[rng.choice(next(x for x in late["meetings"] if x["id"] == m)["participants"])]
        person["unavailable"] = sorted({*person["unavailable"], published[m][0], str(rng.randint(1, 21))})
    cancelled = set(rng.sample(sorted(first.placement), 4))
    late["meetings"] = [m for m in late["meetings"] if m["id"] not in cancelled]
    people = [p["id"] for p in late["participants"]]
    for n in range(6):
        late["meetings"].append({"id": f"late{n}", "participants": rng.sample(people, 2)})
    scratch = Problem.from_data(late)
    for m in late["meetings"]:
        if m["id"] in published:
            m["preferred_slot"], m["preferred_table"] = published[m["id"]]
    keep = Problem.from_data(late)
    kept = solve(keep, time_limit)
    fresh = solve(scratch, time_limit)

    def moved(schedule, prob) -> int:
        return sum(
            1
            for m in prob.meetings
            if m.id in published
            and (
                schedule.placement.get(m.id) is None
                or (prob.slots[schedule.placement[m.id]].id, schedule.tables[m.id]) != published[m.id]
            )
        )

    return {
        "published": len(published),
        "scheduled_keep": len(kept.placement),
        "scheduled_fresh": len(fresh.placement),
        "meetings": len(keep.meetings),
        "moved_keep": moved(kept, keep),
        "moved_fresh": moved(fresh, scratch),
        "gaps_keep": kept.gaps,
        "gaps_fresh": fresh.gaps,
        "seconds_keep": kept.seconds,
        "status_keep": kept.status,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--quick", action="store_true", help="fewer, shorter runs")
    parser.add_argument("--time-limit", type=float, default=30.0)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenbridge.settings")
    variants = [
        ("100 meetings", {"meetings": 100}),
        ("150 meetings", {"meetings": 150}),
        ("150, unavailable slots", {"meetings": 150, "unavailable": 0.3}),
        ("150, fixed + sessions", {"meetings": 150, "fixed": 0.1, "restricted": 0.2}),
        ("200 meetings, all rules", {"meetings": 200, "unavailable": 0.3, "fixed": 0.05, "restricted": 0.2}),
        ("250 meetings (85% of capacity)", {"meetings": 250, "unavailable": 0.2, "restricted": 0.1}),
    ]
    if args.quick:
        variants = variants[:2]
    small = []
    for n, (name, params) in enumerate(variants):
        data = instance(n + 1, companies=70, slots=21, tables=14, **params)
        small.append({"name": name, **measure(data, 5.0 if args.quick else args.time_limit)})
    big_size = (
        {"companies": 200, "meetings": 1000, "tables": 60}
        if args.quick
        else {"companies": 1000, "meetings": 5000, "tables": 300}
    )
    big_data = instance(99, slots=20, unavailable=0.1, restricted=0.1, **big_size)
    big = measure(big_data, 30.0 if args.quick else 120.0)
    big["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"small": small, "large": big, "rescheduling": rescheduling(7, 5.0 if args.quick else args.time_limit)}
    if args.json:
        print(json.dumps(result))
        return
    for row in [*small, {"name": "large", **big}]:
        print(
            f"{row['name']:<32} {row['status']:<9} {row['scheduled']:>5}/{row['meetings']:<5} gaps {row['gaps']:>4} "
            f"(worst {row['max_gaps']}) {row['seconds']:6.1f} s | greedy {row['greedy_scheduled']:>5} "
            f"gaps {row['greedy_gaps']:>4} (worst {row['greedy_max_gaps']})"
        )
    print(f"peak memory {big['peak_mb']:.0f} MB")
    r = result["rescheduling"]
    print(
        f"re-scheduling after late changes: {r['scheduled_keep']}/{r['meetings']} scheduled, {r['moved_keep']} of "
        f"{r['published']} published meetings moved ({r['gaps_keep']} gaps, {r['seconds_keep']:.1f} s); from scratch: "
        f"{r['moved_fresh']} moved ({r['gaps_fresh']} gaps)"
    )


if __name__ == "__main__":
    main()
