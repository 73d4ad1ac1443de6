"""Business hours: a help desk's working week in its time zone, its public holidays and closed days, and the
arithmetic service levels need (a due time so many working hours after a moment; the working time between two).

Working hours are written as people write them, one line per day or run of days, each with one or more periods:

    mon-thu 09:00-13:00 14:00-17:30
    fri 09:00-14:00

A period ends at most at 24:00 and after it starts; a night shift is written on both days (`mon 22:00-24:00`,
`tue 00:00-06:00`). Times are wall-clock times in the calendar's time zone, so a period on the day clocks change
lasts what it lasts on the clock: 01:00-04:00 is two hours on the last Sunday of March in Europe, four in October.
Public holidays come from the `holidays` package (by country and subdivision), extra closed days are listed by
hand. Every instant given and returned is time-zone aware; arithmetic is done in UTC between the periods' edges.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils.translation import gettext as _

from greenbridge.core import timezones

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_WEEK = "mon-fri 09:00-17:00"
# How far ahead a due time is looked for: a calendar closed for longer than this has no due time.
HORIZON_DAYS = 3 * 366

_DAYS = r"[a-z]{3}(?:\s*-\s*[a-z]{3})?"
_LINE = re.compile(rf"^\s*(?P<days>{_DAYS}(?:\s*,\s*{_DAYS})*)\s+(?P<periods>.+)$")
_PERIOD = re.compile(r"^(\d{1,2}):(\d{2})\s*[-–]\s*(\d{1,2}):(\d{2})$")


class HoursInvalid(ValueError):
    """Working hours that cannot be read, with every problem in words."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def parse_week(text: str) -> tuple[tuple[tuple[int, int], ...], ...]:
    """Working hours as written above -> per weekday (Monday first) its periods in minutes of the day, sorted.
    Raises HoursInvalid naming each line that cannot be read, overlapping periods and a week without hours."""
    week: list[list[tuple[int, int]]] = [[] for _ in DAYS]
    problems = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip().lower()
        if not line or line.startswith("#"):
            continue
        found = _LINE.match(line.replace("–", "-"))
        if not found:
            problems.append(
                _("line %(n)s (%(text)s): write days then periods, as in “mon-fri 09:00-17:00”")
                % {"n": number, "text": repr(raw.strip())}
            )
            continue
        days = _days(found["days"], number, problems)
        for chunk in re.sub(r"\s*-\s*", "-", found["periods"]).replace(",", " ").split():
            period = _period(chunk, number, problems)
            if period is not None:
                for d in days:
                    week[d].append(period)
    overlaps: dict[tuple, list[str]] = {}
    for d, periods in enumerate(week):
        periods.sort()
        for (s1, e1), (s2, e2) in itertools.pairwise(periods):
            if s2 < e1:
                overlaps.setdefault((s1, e1, s2, e2), []).append(DAYS[d])
    for (s1, e1, s2, e2), days in overlaps.items():
        problems.append(
            _("%(days)s: %(first)s and %(second)s overlap")
            % {"days": ", ".join(days), "first": f"{_hhmm(s1)}-{_hhmm(e1)}", "second": f"{_hhmm(s2)}-{_hhmm(e2)}"}
        )
    if not problems and not any(week):
        problems.append(_("no working hours: write at least one day with a period, as in “mon-fri 09:00-17:00”"))
    if problems:
        raise HoursInvalid(problems)
    return tuple(tuple(p) for p in week)


def _days(text: str, number: int, problems: list[str]) -> list[int]:
    days: list[int] = []
    for part in text.split(","):
        ends = [p.strip() for p in part.split("-")]
        if any(e not in DAYS for e in ends):
            problems.append(
                _("line %(n)s: %(text)s is not a day (mon, tue, wed, thu, fri, sat, sun)")
                % {"n": number, "text": repr(part.strip())}
            )
            continue
        first, last = DAYS.index(ends[0]), DAYS.index(ends[-1])
        if last < first:
            problems.append(
                _("line %(n)s: %(text)s runs backwards (write mon-fri, not fri-mon)")
                % {"n": number, "text": repr(part.strip())}
            )
            continue
        days.extend(range(first, last + 1))
    return days


def _period(text: str, number: int, problems: list[str]) -> tuple[int, int] | None:
    found = _PERIOD.match(text)
    if not found:
        problems.append(
            _("line %(n)s: %(text)s is not a period of time (09:00-17:00)") % {"n": number, "text": repr(text)}
        )
        return None
    h1, m1, h2, m2 = (int(g) for g in found.groups())
    start, end = h1 * 60 + m1, h2 * 60 + m2
    if m1 > 59 or m2 > 59 or h1 > 23 or end > 24 * 60:
        problems.append(
            _("line %(n)s: %(text)s is not a time of day (00:00 to 24:00)") % {"n": number, "text": repr(text)}
        )
        return None
    if end <= start:
        problems.append(
            _("line %(n)s: %(text)s ends before it starts (a night shift is written on both days)")
            % {"n": number, "text": repr(text)}
        )
        return None
    return start, end


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def format_week(week: tuple[tuple[tuple[int, int], ...], ...]) -> str:
    """The text `parse_week` reads, one line per run of days with the same periods."""
    lines = []
    d = 0
    while d < 7:
        end = d
        while end + 1 < 7 and week[end + 1] == week[d]:
            end += 1
        if week[d]:
            days = DAYS[d] if end == d else f"{DAYS[d]}-{DAYS[end]}"
            lines.append(f"{days} " + " ".join(f"{_hhmm(s)}-{_hhmm(e)}" for s, e in week[d]))
        d = end + 1
    return "\n".join(lines)


def time_zone(name: str) -> ZoneInfo:
    """A time zone by its IANA name (Europe/Chisinau), or ValueError in words."""
    if not timezones.is_valid(name):
        raise ValueError(_("%(name)s is not a time zone name (such as Europe/Bucharest)") % {"name": repr(name)})
    try:
        return ZoneInfo(name)
    except ZoneInfoNotFoundError as exc:  # listed but not loadable: a broken tzdata
        raise ValueError(
            _("%(name)s is not a time zone name (such as Europe/Bucharest)") % {"name": repr(name)}
        ) from exc


@functools.lru_cache(maxsize=1024)
def public_holidays(country: str, subdivision: str, year: int) -> frozenset[date]:
    """A country's (and region's) public holidays in a year, from the `holidays` package; worked out once per
    process (about 30 ms each: every calendar read for a batch of tickets would pay it again)."""
    import holidays

    try:
        found = holidays.country_holidays(country, subdiv=subdivision or None, years=year)
    except NotImplementedError:  # a country the package does not know: no public holidays
        return frozenset()
    return frozenset(found.keys())


def _utc(instant: datetime) -> datetime:
    # astimezone() would read a naive datetime in the server's time zone, whatever that is.
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("business-hours arithmetic needs time-zone-aware datetimes")
    return instant.astimezone(UTC)


@dataclass
class BusinessHours:
    """A working week in a time zone with the days it is closed. `holidays_country` (ISO 3166 alpha-2) and
    `holidays_subdivision` name the public holidays (the `holidays` package); `closed` lists other days."""

    week: tuple[tuple[tuple[int, int], ...], ...]
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    holidays_country: str = ""
    holidays_subdivision: str = ""
    closed: frozenset[date] = frozenset()
    _closed_years: dict[int, frozenset[date]] = field(default_factory=dict, repr=False, compare=False)
    # A day's periods, worked out once: due times of many tickets read the same few hundred days.
    _periods: dict[date, list[tuple[datetime, datetime]]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_text(cls, text: str = DEFAULT_WEEK, zone: str = "UTC", **kwargs) -> BusinessHours:
        return cls(week=parse_week(text), zone=time_zone(zone), **kwargs)

    @cached_property
    def weekly_minutes(self) -> int:
        return sum(e - s for day in self.week for s, e in day)

    def is_closed(self, day: date) -> bool:
        """A public holiday or a closed day (not a day without hours in the week)."""
        closed = self._closed_years.get(day.year)
        if closed is None:
            closed = self._closed_years[day.year] = frozenset(self._holidays(day.year))
        return day in closed or day in self.closed

    def _holidays(self, year: int) -> Iterable[date]:
        if not self.holidays_country:
            return ()
        return public_holidays(self.holidays_country, self.holidays_subdivision, year)

    def periods(self, day: date) -> list[tuple[datetime, datetime]]:
        """The working periods of a local day as UTC instants (none on a closed day). Shared: not to be changed."""
        found = self._periods.get(day)
        if found is None:
            found = self._periods[day] = self._day_periods(day)
        return found

    def _day_periods(self, day: date) -> list[tuple[datetime, datetime]]:
        spans = self.week[day.weekday()]
        if not spans or self.is_closed(day):
            return []
        # On the day clocks skip an hour, an edge inside it is read an hour later on the clock: 03:30-04:00 would end
        # before it begins, 00:00-03:30 would overlap 04:00-08:00. Open is their union: no negative or doubled time.
        periods: list[tuple[datetime, datetime]] = []
        for begins, ends in sorted((self._instant(day, s), self._instant(day, e)) for s, e in spans):
            if ends <= begins:
                continue
            if periods and begins < periods[-1][1]:
                periods[-1] = (periods[-1][0], max(periods[-1][1], ends))
            else:
                periods.append((begins, ends))
        return periods

    def _instant(self, day: date, minutes: int) -> datetime:
        """A wall-clock time of a local day as a UTC instant. A time the clocks skip (03:30 when they go from 03:00
        to 04:00) is read with the offset before the change (PEP 495), an hour later on the clock; a time shown
        twice (autumn) is its first showing."""
        if minutes >= 24 * 60:
            local = datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.zone)
        else:
            local = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=self.zone)
        return local.astimezone(UTC)

    def _local_day(self, instant: datetime) -> date:
        return _utc(instant).astimezone(self.zone).date()

    def add(self, start: datetime, seconds: float) -> datetime | None:
        """The instant at which `seconds` of working time have passed since `start` (start itself if 0). None when
        the calendar has no working time within HORIZON_DAYS."""
        if seconds < 0:
            raise ValueError("a negative working time")
        start = _utc(start)
        if not seconds:  # the earliest instant with nothing behind it, even outside hours (not the next opening)
            return start
        remaining = timedelta(seconds=seconds)
        day = self._local_day(start)  # periods end by the local midnight: none of an earlier day is left
        for _step in range(HORIZON_DAYS + 1):
            for begins, ends in self.periods(day):
                if ends <= start:
                    continue
                cursor = max(begins, start)
                available = ends - cursor
                if remaining <= available:
                    return cursor + remaining
                remaining -= available
            day += timedelta(days=1)
        return None

    def between(self, start: datetime, end: datetime) -> float:
        """The working time from `start` to `end`, in seconds (0 when end is not after start)."""
        start, end = _utc(start), _utc(end)
        if end <= start:
            return 0.0
        total = timedelta()
        day, last = self._local_day(start), self._local_day(end)
        while day <= last:
            for begins, ends in self.periods(day):
                lo, hi = max(begins, start), min(ends, end)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total.total_seconds()

    def is_open(self, instant: datetime) -> bool:
        instant = _utc(instant)
        return any(b <= instant < e for b, e in self.periods(self._local_day(instant)))
