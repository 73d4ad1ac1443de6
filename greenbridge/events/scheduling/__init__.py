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

from greenbridge.events.scheduling.problem import Meeting, Participant, Problem, ScheduleInvalid, Slot
from greenbridge.events.scheduling.schedule import Schedule, assign_tables, explain_unscheduled, gaps_per_participant
from greenbridge.events.scheduling.solver import solve
from greenbridge.events.scheduling.starts import greedy, packed

__all__ = [
    "Meeting",
    "Participant",
    "Problem",
    "Schedule",
    "ScheduleInvalid",
    "Slot",
    "assign_tables",
    "explain_unscheduled",
    "gaps_per_participant",
    "greedy",
    "packed",
    "solve",
]
