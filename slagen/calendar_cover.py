"""Does one calendar cover another?  Calendar compatibility for OLAs (domain.md §5.1.5).

A team or supplier can only back a target whose clock runs while it works: an
OLA measured in business hours cannot underpin a 24x7 P1.  "Covers" here means
every open minute of the metric's calendar is an open minute of the team's
calendar, on every day:

* weekly hours are compared minute by minute over one week, in the metric
  calendar's local time.  Two time zones are compared at a winter and a summer
  instant, so zones whose daylight-saving rules differ are judged as they
  really are for most of the year (the days of the change itself are not
  examined);
* closed days are compared date by date for the years the agreement runs: a
  team closed on a public holiday the metric's calendar does not close on
  leaves that day uncovered, so a calendar with holidays never covers one
  without.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from .calendar import DAY_NAMES, BusinessCalendar, WeeklyHours
from .records import record

__all__ = ["CoverGap", "cover_gap"]

_DAY = 1440
_WEEK = 7 * _DAY
_PROBES = (datetime(2027, 1, 15, 12, tzinfo=UTC), datetime(2027, 7, 15, 12, tzinfo=UTC))


@record
class CoverGap:
    """What of a metric's calendar a team's calendar leaves uncovered (nothing: it covers)."""

    weekly_minutes: int = 0
    first_stretch: str = ""  # "Monday 00:00–08:00", metric calendar's local time
    closed_days: tuple[tuple[date, str], ...] = ()

    @property
    def covers(self) -> bool:
        return self.weekly_minutes == 0 and not self.closed_days

    def describe(self) -> str:
        """`118 h a week uncovered (first Monday 00:00–08:00) and closed on 8 days …`."""
        parts = []
        if self.weekly_minutes:
            parts.append(f"{_hours(self.weekly_minutes)} a week uncovered "
                         f"(first {self.first_stretch})")
        if self.closed_days:
            day, name = self.closed_days[0]
            count = len(self.closed_days)
            parts.append(f"closed on {count} day{'s' if count != 1 else ''} when the clock "
                         f"runs (first {day.isoformat()}, {name})")
        return " and ".join(parts)


def cover_gap(team: BusinessCalendar, metric: BusinessCalendar,
              years: Iterable[int]) -> CoverGap:
    """How far `team` falls short of covering `metric` in the given years."""
    minutes, stretch = _weekly_gap(team, metric)
    closed = tuple(_closed_gaps(team, metric, years))
    return CoverGap(minutes, stretch, closed)


def _weekly_gap(team: BusinessCalendar, metric: BusinessCalendar) -> tuple[int, str]:
    """Largest weekly gap over the probe instants, with its first uncovered stretch."""
    if team.hours.is_24x7:
        return 0, ""
    worst, stretch = 0, ""
    for probe in _PROBES:
        shift = _offset(team.zone, probe) - _offset(metric.zone, probe)
        wanted, have = _mask(metric.hours, 0), _mask(team.hours, -shift)
        missing = [bool(w and not h) for w, h in zip(wanted, have, strict=True)]
        count = sum(missing)
        if count > worst:
            worst, stretch = count, _first_run(missing)
    return worst, stretch


def _offset(zone: ZoneInfo, instant: datetime) -> int:
    delta = instant.astimezone(zone).utcoffset()
    return int(delta.total_seconds()) // 60 if delta is not None else 0


@lru_cache(maxsize=64)
def _mask(hours: WeeklyHours, shift: int) -> tuple[bool, ...]:
    """Open minutes of the week (Monday 00:00 first), moved by `shift` minutes."""
    mask = [False] * _WEEK
    for day, spans in enumerate(hours.spans):
        for start, end in spans:
            for minute in range(day * _DAY + start, day * _DAY + end):
                mask[(minute + shift) % _WEEK] = True
    return tuple(mask)


def _first_run(missing: list[bool]) -> str:
    """The first uncovered stretch of the week, in words: `Monday 18:00–Tuesday 08:00`."""
    if all(missing):
        return "the whole week"
    start = next(i for i in range(_WEEK) if missing[i] and not missing[i - 1])
    length = 0
    while missing[(start + length) % _WEEK]:
        length += 1
    first_day, first_minute = divmod(start, _DAY)
    last_day, last_minute = divmod((start + length) % _WEEK, _DAY)
    if last_minute == 0:  # ends at midnight: 24:00 of the day before
        last_day, last_minute = (last_day - 1) % 7, _DAY
    tail = _clock(last_minute)
    if last_day != first_day or length >= _DAY:
        tail = f"{DAY_NAMES[last_day]} {tail}"
    return f"{DAY_NAMES[first_day]} {_clock(first_minute)}\u2013{tail}"


def _hours(minutes: int) -> str:
    """Weekly time in hours, as people count rotas: `118 h`, `5 h 30 min`."""
    hours, rest = divmod(minutes, 60)
    return " ".join(p for p in (f"{hours} h" if hours else "", f"{rest} min" if rest else "")
                    if p)


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _closed_gaps(team: BusinessCalendar, metric: BusinessCalendar,
                 years: Iterable[int]) -> list[tuple[date, str]]:
    """Days the team is closed while the metric's clock runs."""
    found = []
    for year in years:
        for day, name in team.closed_dates(year):
            if not metric.is_closed_day(day) and metric.hours.day_seconds(day.weekday()):
                found.append((day, name))
    return found
