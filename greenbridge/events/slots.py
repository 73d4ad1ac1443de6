"""The meeting slots of an event: each session cut into meetings of the event's length, around its breaks.

A slot's id is its start time in UTC ("2026-12-03T08:20Z"): meetings and unavailability refer to it, and it
survives edits that do not move that start (a longer lunch break, a session that ends later).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from .models import Event, Session


@dataclass(frozen=True)
class EventSlot:
    id: str
    session: Session
    starts: datetime
    ends: datetime


def slot_id(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def parse_breaks(text: str) -> list[list[str]]:
    """ "10:30-10:45, 12:30-13:30" (or one per line) -> [["10:30", "10:45"], …]; ValueError in plain words."""
    out = []
    for part in text.replace("\n", ",").replace(";", ",").split(","):
        part = part.strip().replace("–", "-").replace("—", "-")
        if not part:
            continue
        try:
            start, end = (time.fromisoformat(t.strip().zfill(5)) for t in part.split("-"))
        except ValueError:
            raise ValueError(part) from None
        if end <= start:
            raise ValueError(part)
        out.append([start.strftime("%H:%M"), end.strftime("%H:%M")])
    return sorted(out)


def format_breaks(breaks: list[list[str]]) -> str:
    return ", ".join(f"{a}-{b}" for a, b in breaks)


def session_slots(event: Event, session: Session) -> list[EventSlot]:
    tz = event.tz
    day = session.starts.astimezone(tz).date()
    breaks = [
        (
            datetime.combine(day, time.fromisoformat(a), tzinfo=tz).astimezone(UTC),
            datetime.combine(day, time.fromisoformat(b), tzinfo=tz).astimezone(UTC),
        )
        for a, b in session.breaks
    ]
    length = timedelta(minutes=max(event.meeting_minutes, 1))
    out = []
    moment = session.starts.astimezone(UTC)
    end_of_session = session.ends.astimezone(UTC)
    while moment + length <= end_of_session:
        end = moment + length
        pause = next((b for b in breaks if moment < b[1] and end > b[0]), None)
        if pause is not None:
            moment = pause[1]
            continue
        out.append(EventSlot(slot_id(moment), session, moment, end))
        moment = end
    return out


def event_slots(event: Event, sessions: Iterable[Session] | None = None) -> list[EventSlot]:
    sessions = event.sessions.all() if sessions is None else sessions
    return [slot for session in sorted(sessions, key=lambda s: s.starts) for slot in session_slots(event, session)]
