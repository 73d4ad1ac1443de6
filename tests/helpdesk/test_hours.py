"""Business hours, the arithmetic of service levels, at its edges: overnight, weekends, public holidays (Romania and
Moldova), daylight-saving changes, tickets opened outside hours, pauses, and the week's text as people write it.

Dates are 2026. Monday 2 March starts a plain week (Bucharest is UTC+2 then); Europe/Bucharest and Europe/Chisinau
move their clocks on Sunday 29 March (Bucharest 03:00 -> 04:00 at 01:00 UTC, Chisinau 02:00 -> 03:00 at 00:00
UTC) and back on Sunday 25 October (Bucharest 04:00 -> 03:00 at 01:00 UTC). Instants are compared as aware
datetimes; around an autumn change they are written in UTC, since Python never calls a wall-clock time in the
repeated hour equal to an instant in another zone.
"""

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from greenbridge.helpdesk.hours import (
    DAYS,
    DEFAULT_WEEK,
    HORIZON_DAYS,
    BusinessHours,
    HoursInvalid,
    format_week,
    parse_week,
    time_zone,
)

HOUR = 3600
BUCHAREST = ZoneInfo("Europe/Bucharest")
CHISINAU = ZoneInfo("Europe/Chisinau")
MICROSECOND = timedelta(microseconds=1)


def bucharest(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=BUCHAREST)


def chisinau(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=CHISINAU)


def utc(month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, second, tzinfo=UTC)


OFFICE = BusinessHours.from_text("mon-fri 09:00-17:00", "Europe/Bucharest")
LUNCH = BusinessHours.from_text("mon-fri 09:00-13:00 14:00-17:00", "Europe/Bucharest")
ROMANIA = BusinessHours.from_text("mon-fri 09:00-17:00", "Europe/Bucharest", holidays_country="RO")
MOLDOVA = BusinessHours.from_text("mon-fri 09:00-17:00", "Europe/Chisinau", holidays_country="MD")


# --- the week as written -------------------------------------------------------------------------------------------


def test_parse_week_runs_of_days_with_a_lunch_break():
    week = parse_week("mon-thu 09:00-13:00 14:00-17:30\nfri 09:00-14:00")
    assert week == (
        ((540, 780), (840, 1050)),
        ((540, 780), (840, 1050)),
        ((540, 780), (840, 1050)),
        ((540, 780), (840, 1050)),
        ((540, 840),),
        (),
        (),
    )


def test_parse_week_lists_of_days_and_a_single_day():
    assert parse_week("mon,wed,fri 08:00-12:00") == (((480, 720),), (), ((480, 720),), (), ((480, 720),), (), ())
    assert parse_week("sat 10:00-14:00") == ((), (), (), (), (), ((600, 840),), ())
    # A list may hold runs, with spaces around its commas and dashes.
    assert parse_week("mon , wed - fri 10:00-11:00") == parse_week("mon,wed,thu,fri 10:00-11:00")


def test_parse_week_ends_at_midnight_as_24_00():
    assert parse_week("sun 00:00-24:00") == ((), (), (), (), (), (), ((0, 1440),))
    # A night shift is written on both days.
    assert parse_week("mon 22:00-24:00\ntue 00:00-06:00") == (((1320, 1440),), ((0, 360),), (), (), (), (), ())


def test_parse_week_reads_comments_blank_lines_capitals_dashes_and_commas():
    text = """
    # the Chisinau office
    Mon-Fri 9:00–13:00, 14:00-18:00

    # Saturday mornings in winter
    SAT 10:00-12:00
    """
    assert parse_week(text) == (
        *[((540, 780), (840, 1080))] * 5,
        ((600, 720),),
        (),
    )


def test_parse_week_sorts_periods_and_lets_them_touch():
    assert parse_week("mon 14:00-17:00 09:00-12:00")[0] == ((540, 720), (840, 1020))
    assert parse_week("mon 09:00-12:00 12:00-17:00")[0] == ((540, 720), (720, 1020))
    # Lines add up: a day named twice gets both lines' periods.
    assert parse_week("mon-fri 09:00-12:00\nfri 13:00-15:00")[4] == ((540, 720), (780, 900))


def test_parse_week_reads_spaces_around_a_period_dash():
    # "09:00 - 17:00" is how many people write it (the period pattern allows the spaces; the line split them off).
    assert parse_week("mon-fri 09:00 - 17:00 ,  18:00 – 19:00") == parse_week("mon-fri 09:00-17:00 18:00-19:00")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("mun 09:00-17:00", "line 1: 'mun' is not a day (mon, tue, wed, thu, fri, sat, sun)"),
        ("mon-fry 09:00-17:00", "line 1: 'mon-fry' is not a day (mon, tue, wed, thu, fri, sat, sun)"),
        ("fri-mon 09:00-17:00", "line 1: 'fri-mon' runs backwards (write mon-fri, not fri-mon)"),
        ("mon 25:00-26:00", "line 1: '25:00-26:00' is not a time of day (00:00 to 24:00)"),
        ("mon 09:60-10:00", "line 1: '09:60-10:00' is not a time of day (00:00 to 24:00)"),
        ("mon 09:00-10:75", "line 1: '09:00-10:75' is not a time of day (00:00 to 24:00)"),
        ("mon 09:00-24:30", "line 1: '09:00-24:30' is not a time of day (00:00 to 24:00)"),
        ("mon 24:00-24:00", "line 1: '24:00-24:00' is not a time of day (00:00 to 24:00)"),
        ("mon 17:00-09:00", "line 1: '17:00-09:00' ends before it starts (a night shift is written on both days)"),
        ("mon 09:00-09:00", "line 1: '09:00-09:00' ends before it starts (a night shift is written on both days)"),
        ("mon 9-17", "line 1: '9-17' is not a period of time (09:00-17:00)"),
        ("mon 09:00", "line 1: '09:00' is not a period of time (09:00-17:00)"),
        ("mon", "line 1 ('mon'): write days then periods, as in “mon-fri 09:00-17:00”"),
        ("09:00-17:00", "line 1 ('09:00-17:00'): write days then periods, as in “mon-fri 09:00-17:00”"),
        ("mon-tue 09:00-13:00 12:00-17:00", "mon, tue: 09:00-13:00 and 12:00-17:00 overlap"),
        ("mon-fri 09:00-17:00\nwed 16:00-18:00", "wed: 09:00-17:00 and 16:00-18:00 overlap"),
        ("mon 09:00-12:00 09:00-12:00", "mon: 09:00-12:00 and 09:00-12:00 overlap"),
        ("", "no working hours: write at least one day with a period, as in “mon-fri 09:00-17:00”"),
        ("# closed\n\n", "no working hours: write at least one day with a period, as in “mon-fri 09:00-17:00”"),
    ],
)
def test_parse_week_refuses_in_plain_words(text, problem):
    with pytest.raises(HoursInvalid) as caught:
        parse_week(text)
    assert caught.value.problems == [problem]
    assert str(caught.value) == problem
    assert isinstance(caught.value, ValueError)  # forms and the API catch ValueError


def test_parse_week_lists_every_problem_at_once_by_line():
    text = "\n".join(
        [
            "# our week",  # 1
            "mon-fri 09:00-17:00",  # 2
            "",  # 3
            "mun 09:00-12:00",  # 4
            "fri-mon 10:00-11:00",  # 5
            "sat 25:00-26:00 09:60-10:00",  # 6
            "sun 17:00-09:00",  # 7
            "tue 9-17",  # 8
            "wed",  # 9
            "thu 16:00-18:00",  # 10
        ]
    )
    with pytest.raises(HoursInvalid) as caught:
        parse_week(text)
    assert caught.value.problems == [
        "line 4: 'mun' is not a day (mon, tue, wed, thu, fri, sat, sun)",
        "line 5: 'fri-mon' runs backwards (write mon-fri, not fri-mon)",
        "line 6: '25:00-26:00' is not a time of day (00:00 to 24:00)",
        "line 6: '09:60-10:00' is not a time of day (00:00 to 24:00)",
        "line 7: '17:00-09:00' ends before it starts (a night shift is written on both days)",
        "line 8: '9-17' is not a period of time (09:00-17:00)",
        "line 9 ('wed'): write days then periods, as in “mon-fri 09:00-17:00”",
        "thu: 09:00-17:00 and 16:00-18:00 overlap",
    ]
    assert str(caught.value) == "; ".join(caught.value.problems)


def test_parse_week_does_not_add_no_hours_to_other_problems():
    # The only line is unreadable: that is the problem to name, not the empty week that follows from it.
    with pytest.raises(HoursInvalid) as caught:
        parse_week("mun 09:00-17:00")
    assert len(caught.value.problems) == 1


def test_format_week_writes_runs_of_equal_days():
    assert format_week(parse_week("mon-thu 9:00-13:00 14:00-17:30\nfri 09:00-14:00")) == (
        "mon-thu 09:00-13:00 14:00-17:30\nfri 09:00-14:00"
    )
    assert format_week(parse_week("mon,wed,fri 08:00-12:00")) == "mon 08:00-12:00\nwed 08:00-12:00\nfri 08:00-12:00"
    assert format_week(parse_week("sat-sun 00:00-24:00\nmon 22:00-24:00")) == ("mon 22:00-24:00\nsat-sun 00:00-24:00")
    assert format_week(parse_week(DEFAULT_WEEK)) == DEFAULT_WEEK


@pytest.mark.parametrize("seed", range(5))
def test_format_week_round_trips_random_weeks(seed):
    rng = random.Random(seed)
    for _ in range(200):
        week = []
        for _day in DAYS:
            # Distinct sorted minutes taken in pairs: disjoint periods; 24:00 can only end one.
            points = sorted(rng.sample(range(1441), 2 * rng.randint(0, 3)))
            week.append(tuple(zip(points[::2], points[1::2], strict=True)))
        if rng.random() < 0.3:  # equal neighbours, so that runs of days are written
            week[2] = week[3] = week[4] = week[1]
        if not any(week):
            continue
        week = tuple(week)
        assert parse_week(format_week(week)) == week


# --- time zones ----------------------------------------------------------------------------------------------------


def test_time_zone_by_its_iana_name():
    assert time_zone("Europe/Chisinau") == CHISINAU
    assert time_zone("UTC") == ZoneInfo("UTC")


@pytest.mark.parametrize("name", ["Europe/Atlantis", "", "europe/bucharest", "EET+2", "../etc/passwd"])
def test_time_zone_refuses_what_is_not_a_zone_name(name):
    with pytest.raises(ValueError, match="is not a time zone name") as caught:
        time_zone(name)
    assert str(caught.value) == f"{name!r} is not a time zone name (such as Europe/Bucharest)"


def test_from_text_reads_the_week_and_the_zone_and_checks_both():
    hours = BusinessHours.from_text()
    assert hours.week == parse_week(DEFAULT_WEEK)
    assert hours.zone == ZoneInfo("UTC")
    assert hours.weekly_minutes == 40 * 60
    assert BusinessHours.from_text("mon-thu 09:00-13:00 14:00-17:30\nfri 09:00-14:00").weekly_minutes == (
        4 * (240 + 210) + 300
    )
    with pytest.raises(ValueError, match="'Mars/Olympus' is not a time zone name"):
        BusinessHours.from_text(DEFAULT_WEEK, "Mars/Olympus")
    with pytest.raises(HoursInvalid):
        BusinessHours.from_text("mon-fri", "Europe/Bucharest")


def test_calendars_with_the_same_hours_stay_equal_once_used():
    used = BusinessHours.from_text(DEFAULT_WEEK, "Europe/Bucharest", holidays_country="RO")
    fresh = BusinessHours.from_text(DEFAULT_WEEK, "Europe/Bucharest", holidays_country="RO")
    assert used.is_closed(date(2026, 12, 1))  # fills its cache of holidays
    assert used == fresh


# --- add: a due time so many working hours after a moment ---------------------------------------------------------


def test_add_within_a_period():
    assert OFFICE.add(bucharest(3, 2, 10), 2 * HOUR) == bucharest(3, 2, 12)
    assert OFFICE.add(bucharest(3, 2, 10, 15, 30), 90) == bucharest(3, 2, 10, 17)
    assert OFFICE.add(bucharest(3, 2, 9), 8 * HOUR) == bucharest(3, 2, 17)  # a whole day, opening to closing


def test_add_returns_an_aware_instant_in_utc():
    due = OFFICE.add(bucharest(3, 2, 10), 2 * HOUR)
    assert due == utc(3, 2, 10)  # 12:00 in Bucharest is 10:00 UTC in winter
    assert due.utcoffset() == timedelta(0)


def test_add_across_the_lunch_break():
    # 12:00 + 2 h: one hour to 13:00, the other from 14:00.
    assert LUNCH.add(bucharest(3, 2, 12), 2 * HOUR) == bucharest(3, 2, 15)
    # During lunch the clock waits for 14:00.
    assert LUNCH.add(bucharest(3, 2, 13, 30), 30 * 60) == bucharest(3, 2, 14, 30)
    # Exactly the morning's remainder ends at 13:00, not at 14:00.
    assert LUNCH.add(bucharest(3, 2, 12), HOUR) == bucharest(3, 2, 13)


def test_add_overnight():
    # Monday 16:00 + 2 h: one hour to 17:00, the other from Tuesday 09:00.
    assert OFFICE.add(bucharest(3, 2, 16), 2 * HOUR) == bucharest(3, 3, 10)


def test_add_over_a_weekend():
    # Friday 6 March 16:00 + 2 h -> Monday 9 March 10:00.
    assert OFFICE.add(bucharest(3, 6, 16), 2 * HOUR) == bucharest(3, 9, 10)


@pytest.mark.parametrize(
    ("opened", "due"),
    [
        (bucharest(3, 2, 20), bucharest(3, 3, 10)),  # Monday evening: Tuesday's opening + 1 h
        (bucharest(3, 3, 3), bucharest(3, 3, 10)),  # Tuesday 03:00: the same morning
        (bucharest(3, 3, 8, 59, 59), bucharest(3, 3, 10)),  # a second before opening
        (bucharest(3, 7, 11), bucharest(3, 9, 10)),  # Saturday: Monday
        (bucharest(3, 8, 23, 59, 59), bucharest(3, 9, 10)),  # Sunday at midnight
    ],
)
def test_add_from_outside_hours_counts_from_the_next_opening(opened, due):
    assert OFFICE.add(opened, HOUR) == due


def test_add_at_the_end_of_a_period():
    # Opened at closing time: nothing is left of Monday.
    assert OFFICE.add(bucharest(3, 2, 17), HOUR) == bucharest(3, 3, 10)
    # Exactly what is left of a period: due at its end, not at the next opening.
    assert OFFICE.add(bucharest(3, 2, 16), HOUR) == bucharest(3, 2, 17)
    assert OFFICE.add(bucharest(3, 6, 16), HOUR) == bucharest(3, 6, 17)
    # A second more: Monday's first second.
    assert OFFICE.add(bucharest(3, 6, 16), HOUR + 1) == bucharest(3, 9, 9, 0, 1)


def test_add_takes_fractions_of_a_second():
    assert OFFICE.add(bucharest(3, 2, 10), 0.25) == bucharest(3, 2, 10) + timedelta(milliseconds=250)


@pytest.mark.parametrize(
    "start",
    [
        bucharest(3, 2, 10),  # open
        bucharest(3, 2, 17),  # at closing
        bucharest(3, 2, 20),  # evening
        bucharest(3, 7, 11),  # Saturday
    ],
)
def test_add_nothing_is_the_start_itself(start):
    # "The instant at which 0 s of working time have passed since start" is start: a due time with no time left
    # is due now (a paused ticket resumed with its whole target used), even at night, as the docstring says.
    # A positive time is the earliest instant with that much behind it (16:00 + 1 h is 17:00, not Tuesday 09:00);
    # so is 0.
    assert OFFICE.add(start, 0) == start
    assert OFFICE.add(start, 0.0) == start


def test_add_over_romanian_public_holidays():
    # Friday 27 November 16:00 + 2 h: Saint Andrew (Monday 30 November) and National Day (Tuesday 1 December)
    # are closed -> Wednesday 2 December 10:00. Without holidays it would be Monday 30 November 10:00.
    assert OFFICE.add(bucharest(11, 27, 16), 2 * HOUR) == bucharest(11, 30, 10)
    assert ROMANIA.add(bucharest(11, 27, 16), 2 * HOUR) == bucharest(12, 2, 10)
    # A ticket opened on a holiday waits for the next working day.
    assert ROMANIA.add(bucharest(11, 30, 10), HOUR) == bucharest(12, 2, 10)
    # Christmas Eve (Thursday 24 December) is a working day; Christmas (Friday 25) and Saturday 26 are holidays.
    assert ROMANIA.add(bucharest(12, 24, 16), 2 * HOUR) == bucharest(12, 28, 10)


def test_is_closed_on_romanian_holidays_and_on_days_closed_by_hand():
    assert [ROMANIA.is_closed(date(2026, 12, d)) for d in (1, 2, 24, 25, 26)] == [True, False, False, True, True]
    assert ROMANIA.is_closed(date(2026, 11, 30))
    assert not ROMANIA.is_closed(date(2026, 3, 7))  # a Saturday has no hours but is not a closed day
    assert not OFFICE.is_closed(date(2026, 12, 25))  # no country, no holidays
    closed = BusinessHours.from_text(
        DEFAULT_WEEK, "Europe/Bucharest", holidays_country="RO", closed=frozenset({date(2026, 12, 28)})
    )
    assert closed.is_closed(date(2026, 12, 28))
    assert closed.is_closed(date(2026, 12, 25))
    # Thursday 24 December 16:00 + 2 h: Christmas, the weekend and Monday 28 (closed by hand) -> Tuesday 29 10:00.
    assert closed.add(bucharest(12, 24, 16), 2 * HOUR) == bucharest(12, 29, 10)


def test_add_over_moldovan_public_holidays():
    # Independence Day (Thursday 27 August) and National Language Day (Monday 31 August).
    assert MOLDOVA.add(chisinau(8, 26, 16), 2 * HOUR) == chisinau(8, 28, 10)
    assert MOLDOVA.add(chisinau(8, 28, 16), 2 * HOUR) == chisinau(9, 1, 10)
    # Day of Rejoicing (Monday 20 April 2026, eight days after Orthodox Easter) is Moldovan, not Romanian.
    assert MOLDOVA.add(chisinau(4, 17, 16), 2 * HOUR) == chisinau(4, 21, 10)
    assert ROMANIA.add(bucharest(4, 17, 16), 2 * HOUR) == bucharest(4, 20, 10)


def test_add_a_long_target():
    # 40 working hours are one working week.
    assert OFFICE.add(bucharest(3, 2, 10), 40 * HOUR) == bucharest(3, 9, 10)
    assert OFFICE.add(bucharest(3, 4, 13, 30), 40 * HOUR) == bucharest(3, 11, 13, 30)
    # Opened on Saint Andrew's Day: Monday and Tuesday are closed; Wednesday to Friday give 24 h, Monday 7 and
    # Tuesday 8 December the other 16 -> due at Tuesday's closing time.
    assert ROMANIA.add(bucharest(11, 30, 10), 40 * HOUR) == bucharest(12, 8, 17)
    # 200 h = five weeks.
    assert OFFICE.add(bucharest(3, 2, 10), 200 * HOUR) == bucharest(4, 6, 10)


def test_add_over_the_spring_change_on_a_weekday_calendar():
    # Friday 27 March 16:00 (UTC+2) + 2 h -> Monday 30 March 10:00 (UTC+3): the lost hour is on a closed Sunday.
    assert OFFICE.add(bucharest(3, 27, 16), 2 * HOUR) == bucharest(3, 30, 10) == utc(3, 30, 7)
    # A week of working time still runs from Monday to Monday at the same wall-clock time.
    assert OFFICE.add(bucharest(3, 23, 10), 40 * HOUR) == bucharest(3, 30, 10)
    assert OFFICE.add(bucharest(10, 19, 10), 40 * HOUR) == bucharest(10, 26, 10) == utc(10, 26, 8)


SUNDAY_NIGHT = BusinessHours.from_text("sun 01:00-05:00", "Europe/Bucharest")
SUNDAY = BusinessHours.from_text("sun 00:00-24:00", "Europe/Bucharest")


def test_a_period_on_the_spring_change_lasts_what_it_lasts_on_the_clock():
    # Sunday 29 March: 01:00 is UTC+2 (23:00 UTC on Saturday), 05:00 is UTC+3 (02:00 UTC): 3 hours, not 4.
    assert SUNDAY_NIGHT.periods(date(2026, 3, 29)) == [(utc(3, 28, 23), utc(3, 29, 2))]
    assert SUNDAY_NIGHT.periods(date(2026, 3, 22)) == [(utc(3, 21, 23), utc(3, 22, 3))]
    assert SUNDAY_NIGHT.add(bucharest(3, 29, 1), 3 * HOUR) == bucharest(3, 29, 5) == utc(3, 29, 2)
    # Two hours after 01:00 the clock shows 04:00 (it skipped from 03:00 to 04:00).
    assert SUNDAY_NIGHT.add(bucharest(3, 29, 1), 2 * HOUR) == bucharest(3, 29, 4) == utc(3, 29, 1)
    # A second more than the night holds: the next Sunday, 5 April 01:00:01 (UTC+3).
    assert SUNDAY_NIGHT.add(bucharest(3, 29, 1), 3 * HOUR + 1) == bucharest(4, 5, 1, 0, 1) == utc(4, 4, 22, 0, 1)
    assert SUNDAY_NIGHT.between(bucharest(3, 28), bucharest(3, 30)) == 3 * HOUR
    assert SUNDAY_NIGHT.between(bucharest(3, 21), bucharest(3, 23)) == 4 * HOUR
    # A whole Sunday is 23 hours long.
    assert SUNDAY.add(bucharest(3, 29), 23 * HOUR) == bucharest(3, 30) == utc(3, 29, 21)
    assert SUNDAY.add(bucharest(3, 29), 24 * HOUR) == bucharest(4, 5, 1) == utc(4, 4, 22)
    assert SUNDAY.between(bucharest(3, 29), bucharest(3, 30)) == 23 * HOUR


def test_a_period_on_the_autumn_change_lasts_what_it_lasts_on_the_clock():
    # Sunday 25 October: 01:00 is UTC+3 (22:00 UTC on Saturday), 05:00 is UTC+2 (03:00 UTC): 5 hours, not 4.
    assert SUNDAY_NIGHT.periods(date(2026, 10, 25)) == [(utc(10, 24, 22), utc(10, 25, 3))]
    assert SUNDAY_NIGHT.add(bucharest(10, 25, 1), 5 * HOUR) == bucharest(10, 25, 5) == utc(10, 25, 3)
    # Three hours after 01:00 the clock shows 03:00 for the second time (UTC+2); four hours after, 04:00.
    three = SUNDAY_NIGHT.add(bucharest(10, 25, 1), 3 * HOUR)
    assert three == utc(10, 25, 1)
    local = three.astimezone(BUCHAREST)
    assert (local.hour, local.minute, local.fold, local.utcoffset()) == (3, 0, 1, timedelta(hours=2))
    assert SUNDAY_NIGHT.add(bucharest(10, 25, 1), 4 * HOUR) == utc(10, 25, 2)
    assert SUNDAY_NIGHT.add(bucharest(10, 25, 1), 5 * HOUR + 1) == utc(10, 31, 23, 0, 1)  # 1 November 01:00:01
    assert SUNDAY_NIGHT.between(bucharest(10, 24), bucharest(10, 26)) == 5 * HOUR
    # A whole Sunday is 25 hours long.
    assert SUNDAY.add(bucharest(10, 25), 25 * HOUR) == bucharest(10, 26) == utc(10, 25, 22)
    assert SUNDAY.between(bucharest(10, 25), bucharest(10, 26)) == 25 * HOUR
    # The repeated hour is open both times.
    assert SUNDAY_NIGHT.is_open(utc(10, 25, 0, 30))  # 03:30 UTC+3
    assert SUNDAY_NIGHT.is_open(utc(10, 25, 1, 30))  # 03:30 UTC+2


def test_a_period_edge_in_the_skipped_spring_hour_is_counted_once():
    # On 29 March 03:30 does not exist; it is read with the offset before the change (01:30 UTC, shown 04:30),
    # after the next period's 04:00 (01:00 UTC). The two periods share that half hour: counted once, Sunday holds
    # 00:00 UTC+2 (22:00 UTC) to 08:00 UTC+3 (05:00 UTC), 7 hours.
    overlapping = BusinessHours.from_text("sun 00:00-03:30 04:00-08:00", "Europe/Bucharest")
    assert overlapping.between(bucharest(3, 28), bucharest(3, 30)) == 7 * HOUR
    assert overlapping.add(bucharest(3, 29), 6 * HOUR) == utc(3, 29, 4)
    assert overlapping.add(bucharest(3, 29), 7 * HOUR) == utc(3, 29, 5)
    # 03:30-04:00 is read as 01:30-01:00 UTC: nothing, never a negative time that would lengthen the rest.
    backwards = BusinessHours.from_text("sun 03:30-04:00 05:00-06:00", "Europe/Bucharest")
    assert backwards.periods(date(2026, 3, 29)) == [(utc(3, 29, 2), utc(3, 29, 3))]
    assert backwards.add(bucharest(3, 29), 30 * 60) == utc(3, 29, 2, 30)
    assert backwards.between(bucharest(3, 29), bucharest(3, 30)) == HOUR
    assert not backwards.is_open(utc(3, 29, 1, 15))
    # On an ordinary Sunday both periods are there.
    assert backwards.between(bucharest(3, 22), bucharest(3, 23)) == 90 * 60
    # 03:30-03:45 is read as 04:30-04:45 (01:30-01:45 UTC), inside 04:00-05:00 (01:00-02:00 UTC): one hour open.
    inside = BusinessHours.from_text("sun 03:30-03:45 04:00-05:00", "Europe/Bucharest")
    assert inside.periods(date(2026, 3, 29)) == [(utc(3, 29, 1), utc(3, 29, 2))]
    assert inside.add(bucharest(3, 29), HOUR) == utc(3, 29, 2)


def test_add_from_utc_and_from_local_time_agree_in_chisinau():
    chisinau_office = BusinessHours.from_text("mon-fri 09:00-17:00", "Europe/Chisinau")
    # Monday 2 March 14:00 UTC is 16:00 in Chisinau (UTC+2): + 2 h -> Tuesday 10:00 there, 08:00 UTC.
    assert chisinau_office.add(utc(3, 2, 14), 2 * HOUR) == chisinau_office.add(chisinau(3, 2, 16), 2 * HOUR)
    assert chisinau_office.add(utc(3, 2, 14), 2 * HOUR) == chisinau(3, 3, 10) == utc(3, 3, 8)
    # Sunday 1 March 22:30 UTC is already Monday 00:30 in Chisinau: the day that counts is Chisinau's.
    assert chisinau_office.add(utc(3, 1, 22, 30), HOUR) == chisinau(3, 2, 10)
    # Monday 07:30 UTC is 09:30 in Chisinau: open, though 07:30 is before 09:00.
    assert chisinau_office.add(utc(3, 2, 7, 30), HOUR) == chisinau(3, 2, 10, 30)
    # Friday 6 March 21:30 UTC is Friday 23:30 in Chisinau, after hours; Saturday in Tokyo changes nothing.
    tokyo = utc(3, 6, 21, 30).astimezone(ZoneInfo("Asia/Tokyo"))
    assert tokyo.weekday() == 5
    assert chisinau_office.add(tokyo, HOUR) == chisinau(3, 9, 10)
    # Chisinau moves its clocks at 02:00 on 29 March: Friday 27 March 16:00 + 2 h is Monday 10:00 at UTC+3.
    assert chisinau_office.add(utc(3, 27, 14), 2 * HOUR) == chisinau(3, 30, 10) == utc(3, 30, 7)


@pytest.mark.parametrize(
    "call",
    [
        lambda: OFFICE.add(datetime(2026, 3, 2, 10), HOUR),
        lambda: OFFICE.between(datetime(2026, 3, 2, 10), bucharest(3, 2, 12)),
        lambda: OFFICE.between(bucharest(3, 2, 10), datetime(2026, 3, 2, 12)),
        lambda: OFFICE.is_open(datetime(2026, 3, 2, 10)),
    ],
)
def test_naive_datetimes_are_refused(call):
    # A naive datetime would be read in the server's time zone, whatever it is.
    with pytest.raises(ValueError, match=r"^business-hours arithmetic needs time-zone-aware datetimes$"):
        call()


def test_a_negative_working_time_is_refused():
    with pytest.raises(ValueError, match=r"^a negative working time$"):
        OFFICE.add(bucharest(3, 2, 10), -1)


def test_a_calendar_closed_past_the_horizon_has_no_due_time():
    every_day = "mon-sun 09:00-17:00"
    first = date(2026, 3, 2)
    closed = frozenset(first + timedelta(days=n) for n in range(HORIZON_DAYS + 1))
    never = BusinessHours.from_text(every_day, closed=closed)
    assert never.add(datetime(2026, 3, 2, 10, tzinfo=UTC), HOUR) is None
    # Closed one day less: the last day of the horizon is open and the due time is found there.
    last = first + timedelta(days=HORIZON_DAYS)
    almost = BusinessHours.from_text(every_day, closed=closed - {last})
    assert almost.add(datetime(2026, 3, 2, 10, tzinfo=UTC), HOUR) == datetime.combine(last, time(10), tzinfo=UTC)


# --- between: the working time from one moment to another ---------------------------------------------------------


def test_between_counts_working_time_only():
    assert OFFICE.between(bucharest(3, 2, 10), bucharest(3, 2, 12)) == 2 * HOUR
    assert OFFICE.between(bucharest(3, 2, 16), bucharest(3, 3, 10)) == 2 * HOUR  # overnight
    assert OFFICE.between(bucharest(3, 6, 16), bucharest(3, 9, 10)) == 2 * HOUR  # over the weekend
    assert LUNCH.between(bucharest(3, 2, 12), bucharest(3, 2, 15)) == 2 * HOUR  # over lunch
    assert OFFICE.between(bucharest(3, 2, 20), bucharest(3, 3, 8)) == 0  # a night
    assert OFFICE.between(bucharest(3, 7), bucharest(3, 9)) == 0  # a weekend
    assert OFFICE.between(bucharest(3, 2), bucharest(3, 9)) == 40 * HOUR  # a week
    assert OFFICE.between(bucharest(3, 2, 10), bucharest(3, 2, 10, 0, 0) + timedelta(microseconds=7)) == 7e-6


def test_between_is_zero_when_the_end_is_not_after_the_start():
    assert OFFICE.between(bucharest(3, 2, 12), bucharest(3, 2, 10)) == 0
    assert OFFICE.between(bucharest(3, 2, 12), bucharest(3, 2, 12)) == 0
    assert OFFICE.between(bucharest(3, 9, 12), bucharest(3, 2, 10)) == 0


def test_between_over_holidays_and_a_whole_year():
    assert ROMANIA.between(bucharest(11, 30, 9), bucharest(12, 2, 9)) == 0
    assert ROMANIA.between(bucharest(11, 27, 16), bucharest(12, 2, 10)) == 2 * HOUR
    assert ROMANIA.between(bucharest(12, 24, 9), bucharest(12, 28, 17)) == 16 * HOUR
    # 2026 has 261 weekdays; 11 Romanian holidays fall on them (1, 2, 6, 7 January, 10 and 13 April, 1 May,
    # 1 June, 30 November, 1 and 25 December): 250 days of 8 hours.
    new_year = datetime(2027, 1, 1, tzinfo=BUCHAREST)
    assert OFFICE.between(bucharest(1, 1), new_year) == 261 * 8 * HOUR
    assert ROMANIA.between(bucharest(1, 1), new_year) == 250 * 8 * HOUR


def test_between_from_utc_counts_the_calendars_days():
    # Sunday 22:30 UTC to Monday 08:00 UTC is Monday 00:30 to 10:00 in Chisinau: one working hour.
    chisinau_office = BusinessHours.from_text("mon-fri 09:00-17:00", "Europe/Chisinau")
    assert chisinau_office.between(utc(3, 1, 22, 30), utc(3, 2, 8)) == HOUR


# --- is_open and the periods of a day ------------------------------------------------------------------------------


def test_is_open_includes_a_periods_start_and_excludes_its_end():
    assert not LUNCH.is_open(bucharest(3, 2, 9) - MICROSECOND)
    assert LUNCH.is_open(bucharest(3, 2, 9))
    assert LUNCH.is_open(bucharest(3, 2, 13) - MICROSECOND)
    assert not LUNCH.is_open(bucharest(3, 2, 13))
    assert LUNCH.is_open(bucharest(3, 2, 14))
    assert LUNCH.is_open(bucharest(3, 2, 17) - MICROSECOND)
    assert not LUNCH.is_open(bucharest(3, 2, 17))
    assert not LUNCH.is_open(bucharest(3, 7, 10))  # Saturday
    assert not ROMANIA.is_open(bucharest(12, 1, 10))  # National Day
    assert ROMANIA.is_open(bucharest(12, 2, 10))
    assert LUNCH.is_open(utc(3, 2, 7))  # 09:00 in Bucharest
    assert not LUNCH.is_open(utc(3, 2, 15))  # 17:00 in Bucharest


def test_overnight_shift_across_midnight():
    night = BusinessHours.from_text("mon 22:00-24:00\ntue 00:00-06:00", "Europe/Bucharest")
    assert night.is_open(bucharest(3, 2, 23, 59, 59))
    assert night.is_open(bucharest(3, 3))
    assert not night.is_open(bucharest(3, 3, 6))
    # Monday 23:00 + 3 h: one hour to midnight, two after it.
    assert night.add(bucharest(3, 2, 23), 3 * HOUR) == bucharest(3, 3, 2)
    # Exactly Monday's two hours end at midnight, which is Tuesday's 00:00.
    assert night.add(bucharest(3, 2, 22), 2 * HOUR) == bucharest(3, 3)
    assert night.between(bucharest(3, 2, 21), bucharest(3, 3, 7)) == 8 * HOUR
    # From Tuesday 06:00 the next shift is Monday 22:00.
    assert night.add(bucharest(3, 3, 6), HOUR) == bucharest(3, 9, 23)


def test_periods_of_a_day_are_utc_instants():
    assert LUNCH.periods(date(2026, 3, 2)) == [(utc(3, 2, 7), utc(3, 2, 11)), (utc(3, 2, 12), utc(3, 2, 15))]
    assert LUNCH.periods(date(2026, 7, 6)) == [(utc(7, 6, 6), utc(7, 6, 10)), (utc(7, 6, 11), utc(7, 6, 14))]
    assert LUNCH.periods(date(2026, 3, 7)) == []  # Saturday
    assert ROMANIA.periods(date(2026, 12, 25)) == []  # Christmas
    assert SUNDAY.periods(date(2026, 10, 25)) == [(utc(10, 24, 21), utc(10, 25, 22))]


# --- pauses: the caller stops the clock while the ticket waits for the requester -----------------------------------


def due_after_pauses(hours: BusinessHours, opened: datetime, target: float, pauses) -> datetime | None:
    """What the SLA code does: the working time used while running, then the rest added from the last resume."""
    used, running_since = 0.0, opened
    for paused_at, resumed_at in pauses:
        used += hours.between(running_since, paused_at)
        running_since = resumed_at
    return hours.add(running_since, target - used)


def test_a_pause_moves_the_due_time_by_the_working_time_it_held():
    # Opened Monday 2 March 10:00 with 8 working hours; paused at 14:00 (4 h used, 4 h left); resumed Wednesday
    # 4 March 11:00 -> due Wednesday 15:00. Unpaused it would have been due Tuesday 10:00.
    opened = bucharest(3, 2, 10)
    assert OFFICE.add(opened, 8 * HOUR) == bucharest(3, 3, 10)
    assert due_after_pauses(OFFICE, opened, 8 * HOUR, [(bucharest(3, 2, 14), bucharest(3, 4, 11))]) == bucharest(
        3, 4, 15
    )


def test_pauses_outside_hours_cost_nothing_and_a_resume_outside_hours_waits_for_opening():
    opened = bucharest(3, 2, 10)
    # Paused at 17:30, resumed Tuesday 08:00: no working time was paused, still due Tuesday 10:00.
    assert due_after_pauses(OFFICE, opened, 8 * HOUR, [(bucharest(3, 2, 17, 30), bucharest(3, 3, 8))]) == (
        bucharest(3, 3, 10)
    )
    # Paused at 16:30, resumed Tuesday 08:00: the half hour to closing was paused (6.5 h used, 1.5 h left from
    # Tuesday's opening) -> Tuesday 10:30.
    assert due_after_pauses(OFFICE, opened, 8 * HOUR, [(bucharest(3, 2, 16, 30), bucharest(3, 3, 8))]) == (
        bucharest(3, 3, 10, 30)
    )
    # Paused Monday 14:00 (4 h used), resumed Saturday: the 4 h left run from Monday 9 March 09:00.
    assert due_after_pauses(OFFICE, opened, 8 * HOUR, [(bucharest(3, 2, 14), bucharest(3, 7, 12))]) == (
        bucharest(3, 9, 13)
    )
    # Opened Monday 09:00 with 16 h, paused 10:00-11:00 Monday and 15:00-16:00 Tuesday: 1 h used before the first
    # pause, 6 h on Monday and 6 h on Tuesday before the second, 13 h in all; the 3 h left run from Tuesday 16:00,
    # one to 17:00 and two on Wednesday -> Wednesday 11:00.
    pauses = [(bucharest(3, 2, 10), bucharest(3, 2, 11)), (bucharest(3, 3, 15), bucharest(3, 3, 16))]
    assert due_after_pauses(OFFICE, bucharest(3, 2, 9), 16 * HOUR, pauses) == bucharest(3, 4, 11)


def test_a_ticket_resumed_with_its_whole_target_used_is_due_at_the_resume():
    # Paused at exactly its due time (Tuesday 10:00), resumed on Saturday: nothing is left, due at the resume.
    pauses = [(bucharest(3, 3, 10), bucharest(3, 7, 12))]
    assert due_after_pauses(OFFICE, bucharest(3, 2, 10), 8 * HOUR, pauses) == bucharest(3, 7, 12)


# --- properties over many random moments ---------------------------------------------------------------------------

CALENDARS = {
    "plain": BusinessHours.from_text("mon-fri 09:00-17:00"),
    "romania": BusinessHours.from_text(
        "mon-thu 09:00-13:00 14:00-17:30\nfri 09:00-14:00\nsun 01:00-05:00",
        "Europe/Bucharest",
        holidays_country="RO",
        closed=frozenset({date(2026, 12, 28), date(2026, 3, 30)}),
    ),
    "moldova_nights": BusinessHours.from_text(
        "mon-fri 08:00-12:00 12:00-16:30 22:00-24:00\nsat-sun 00:00-02:00 03:00-03:30",
        "Europe/Chisinau",
        holidays_country="MD",
    ),
    # Edges in the hour Bucharest skips on 29 March: periods that overlap, end before they begin, lie inside another.
    "daylight_gap": BusinessHours.from_text(
        "sun 00:00-03:30 04:00-08:00 08:00-09:00\nwed 10:00-11:00", "Europe/Bucharest"
    ),
    "daylight_gap_inside": BusinessHours.from_text("sun 03:30-03:45 04:00-05:00 05:30-06:00", "Europe/Bucharest"),
}
OTHER_ZONES = [UTC, ZoneInfo("America/New_York"), ZoneInfo("Asia/Tokyo"), BUCHAREST]


def random_moments(rng: random.Random, hours: BusinessHours, count: int):
    """Starts over 2026 (some exactly on a period's edge, around both clock changes) and working times (some whole
    half hours, some to the microsecond)."""
    year = datetime(2026, 1, 1, tzinfo=UTC)
    for _ in range(count):
        kind = rng.random()
        if kind < 0.2:
            start = rng.choice([bucharest(3, 28), bucharest(10, 24)]) + timedelta(seconds=rng.uniform(0, 3 * 86400))
        else:
            start = year + timedelta(seconds=rng.uniform(0, 365 * 86400))
        if kind > 0.7:
            edges = [e for b, e in hours.periods(start.date())] + [b for b, e in hours.periods(start.date())]
            if edges:
                start = rng.choice(edges)
        start = start.astimezone(rng.choice(OTHER_ZONES))
        seconds = rng.randint(0, 120) * 1800 if rng.random() < 0.5 else round(rng.uniform(0, 100 * HOUR), 6)
        yield start, seconds


@pytest.mark.parametrize("name", CALENDARS)
@pytest.mark.parametrize("seed", range(3))
def test_between_undoes_add(name, seed):
    hours = CALENDARS[name]
    rng = random.Random(seed)
    for start, seconds in random_moments(rng, hours, 150):
        due = hours.add(start, seconds)
        assert abs(hours.between(start, due) - seconds) <= 1e-6, (start, seconds, due)
        assert due >= start
        # Nothing earlier has that much behind it: just before the due time the desk was open and counting.
        if seconds >= 1e-6:
            assert hours.is_open(due - MICROSECOND), (start, seconds, due)
        # The zone the start is written in changes nothing.
        assert hours.add(start.astimezone(rng.choice(OTHER_ZONES)), seconds) == due


@pytest.mark.parametrize("name", CALENDARS)
@pytest.mark.parametrize("seed", range(3))
def test_between_adds_up_and_add_lands_on_or_before_the_end(name, seed):
    hours = CALENDARS[name]
    rng = random.Random(100 + seed)
    year = datetime(2026, 1, 1, tzinfo=UTC)
    for _ in range(150):
        a, b, c = sorted(year + timedelta(seconds=rng.uniform(0, 365 * 86400)) for _ in range(3))
        c = min(c, a + timedelta(days=20))
        b = min(b, c)
        assert abs(hours.between(a, b) + hours.between(b, c) - hours.between(a, c)) <= 1e-6
        worked = hours.between(a, c)
        reached = hours.add(a, worked)
        # The due time of the working time between a and c is c when c is open, else the end of the last period.
        assert reached <= c
        assert hours.between(reached, c) <= 1e-6
        if hours.is_open(c):
            assert abs(reached - c) <= MICROSECOND
