"""The meeting scheduler of brokerage events: accepted meetings into (slot, table), with OR-Tools CP-SAT.

The JSON format (`greenbridge schedule solve`) is documented in docs/scheduling.md. Hard rules: nobody is
in two meetings at once, a slot holds at most `tables` meetings, unavailable slots are respected, as is
a participant's maximum of meetings, a meeting restricted to sessions stays in them, a fixed (locked)
meeting stays in its slot, and a meeting that must come after others does (they are then scheduled too).
Objectives, in order: (1) schedule as many meetings as possible (by weight); (2) as few idle gaps as
possible, the worst-off participant's first, then in total; a gap is a run of free slots between two
meetings of one participant within a session; (3) few table changes: tables are given slot by slot,
keeping a participant at the table of their previous meeting where it is free. When re-scheduling, meetings
that were already published carry a preferred slot (and table): as many as possible stay there, which
comes right after (1), before gaps.

- problem.py: the input, validated; schedule.py: a schedule and what is measured on it (gaps, tables,
  reasons); starts.py: the first-free-slot greedy (the baseline) and packed starts that keep each
  participant's meetings together; bounds.py: the gaps no schedule can go below; model.py: the CP-SAT
  model; anneal.py: simulated annealing on gaps; search.py: the large-neighbourhood search; solver.py:
  `solve`, the objectives one after another from the best start.
"""

import importlib

# Where each name lives. The package loads a module when one of its names is first asked for (PEP 562): the
# solver brings OR-Tools and pandas (0.5 s and 99 MB), and the events' models, which every process loads,
# need only schedule.py's wording of why a meeting was left out.
_MODULES = {
    "Meeting": "problem",
    "Participant": "problem",
    "Problem": "problem",
    "ScheduleInvalid": "problem",
    "Slot": "problem",
    "Schedule": "schedule",
    "assign_tables": "schedule",
    "explain_unscheduled": "schedule",
    "gaps_per_participant": "schedule",
    "solve": "solver",
    "greedy": "starts",
    "packed": "starts",
}

__all__ = sorted(_MODULES)


def __getattr__(name: str):
    if name not in _MODULES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{_MODULES[name]}"), name)
    globals()[name] = value  # asked once
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_MODULES])
