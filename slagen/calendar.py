"""Service hours, time zones and holidays: the clocks that targets run on.

"P3 resolved within 2 business days" or "99.9 % of business hours" only mean
something on a calendar: which hours count, in which time zone, and which
days are closed.  `weekly_hours` turns the short texts an agreement uses
(`"Mon-Fri 08:00-18:00"`, `"24x7"`) into `WeeklyHours`; here `BusinessCalendar`
adds the time zone and the closed days and runs the business-hours clock.

Every computation happens on UTC instants.  Each day's wall-clock spans are
converted to UTC on their own, so a day with a DST change is 23 or 25 hours
long, as the clock on the wall says.  One rule maps a local time to an
instant: *the first instant at which the wall clock shows at least that time*.
So a time skipped in spring means the moment the clock jumps, and a time that
happens twice in autumn means its first occurrence.  Adjacent spans therefore
never overlap or leave a hole.

Holidays close whole local days: a span that crosses midnight into a holiday
stops at midnight.  Pure functions and frozen values; no I/O beyond the
`holidays` and `tzdata` packages' own data.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, cached_property
from zoneinfo import ZoneInfo, available_timezones

from .holiday_data import (
    country_codes,
    country_names,
    holidays_in,
    subdivision_names,
    subdivisions,
)
from .records import record
from .weekly_hours import (
    DAY_NAMES,
    CalendarError,
    WeeklyHours,
    join_words,
    parse_weekly_hours,
)

__all__ = [
    "DAY_NAMES",
    "BusinessCalendar",
    "CalendarError",
    "WeeklyHours",
    "holiday_region_name",
    "parse_weekly_hours",
    "validate_holiday_region",
    "validate_timezone",
]

_DAY = 1440  # minutes
_MAX_CLOSED_DAYS = 3660  # ten years without open time means the calendar is broken

# --- time zones and holiday regions -----------------------------------------


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones()) - _NOT_ZONES


# Files in the zone database that are not zones; "localtime" is whatever the machine is set to.
_NOT_ZONES = frozenset({"localtime", "posixrules", "Factory", "leapseconds", "tzdata.zi",
                        "zone.tab", "zone1970.tab", "iso3166.tab", "leap-seconds.list"})


def validate_timezone(name: str) -> ZoneInfo:
    """The IANA zone called `name`, or an error that suggests the closest names."""
    hint = "use an IANA name such as Europe/Berlin or America/New_York"
    if not isinstance(name, str) or not name.strip():
        raise CalendarError(f"{name!r} is not a time zone ({hint})")
    if name.strip().casefold() == "localtime":
        raise CalendarError(f"'{name}' is whatever time zone a machine is set to, so the "
                            f"agreement would mean different hours on different machines ({hint})")
    if name not in _NOT_ZONES and not name.startswith(("posix/", "right/")):
        try:  # loading one zone is far cheaper than listing them all
            return ZoneInfo(name)
        except (ValueError, KeyError, OSError):  # not a key, or no such zone
            pass
    raise CalendarError(f"unknown time zone '{name}'{_did_you_mean(_zone_guesses(name))} ({hint})")


def _zone_guesses(name: str) -> list[str]:
    folded = name.strip().casefold().replace(" ", "_")
    exact = [zone for zone in _zone_names() if zone.casefold() == folded]
    if exact:
        return exact
    cities = sorted(zone for zone in _zone_names() if zone.casefold().endswith("/" + folded))
    if cities:
        return cities[:3]
    lowered = {zone.casefold(): zone for zone in _zone_names()}
    return [lowered[m] for m in difflib.get_close_matches(folded, sorted(lowered), n=3)]


def _did_you_mean(guesses: list[str]) -> str:
    if not guesses:
        return ""
    quoted = [f"'{guess}'" for guess in guesses]
    return ": did you mean " + (", ".join(quoted[:-1]) + " or " if len(quoted) > 1 else "") + \
        quoted[-1] + "?"


def validate_holiday_region(
    country: str, subdivision: str | None = None
) -> tuple[str, str | None]:
    """Check a holiday region and return its codes as the holidays package spells them.

    YAML 1.1 reads a bare `NO` (Norway) as false, so a non-text country gets a
    message that says to quote it.  Names are accepted for subdivisions
    ("Bayern" -> "BY"), and unknown values get close-match suggestions.
    """
    if not isinstance(country, str):
        raise CalendarError(
            f"holiday country {country!r} is not a country code: write the code in quotes, "
            "e.g. 'NO' (YAML reads a bare NO as false)"
        )
    code = country.strip().upper()
    if code not in country_codes():
        raise CalendarError(
            f"unknown holiday country '{country}'{_did_you_mean(_country_guesses(country))} "
            "(use an ISO 3166 code such as DE, GB or US)"
        )
    if subdivision is None:
        return code, None
    return code, _subdivision_code(code, str(subdivision).strip())


def _country_guesses(country: str) -> list[str]:
    folded = country.strip().casefold()
    names = country_names()
    by_name = sorted({code for code, name in names.items() if name.casefold() == folded})
    if by_name:
        return by_name[:1]
    pool = {name.casefold(): code for code, name in names.items() if len(code) == 2}
    close = difflib.get_close_matches(folded, sorted(pool), n=2, cutoff=0.75)
    return [pool[match] for match in close]


def _subdivision_code(country: str, subdivision: str) -> str:
    codes = subdivisions(country)
    for code in codes:
        if code.casefold() == subdivision.casefold():
            return code
    names = subdivision_names(country)
    for code, name in names.items():
        if name.casefold() == subdivision.casefold():
            return code
    if not codes:
        raise CalendarError(f"holiday country {country} has no subdivisions (leave it out)")
    pool = {c.casefold(): c for c in codes} | {n.casefold(): c for c, n in names.items()}
    guesses = [pool[m] for m in difflib.get_close_matches(subdivision.casefold(), sorted(pool))]
    listed = ", ".join(codes[:20]) + (", …" if len(codes) > 20 else "")
    raise CalendarError(
        f"unknown subdivision '{subdivision}' for {country}"
        f"{_did_you_mean(list(dict.fromkeys(guesses)))} (use one of {listed})"
    )


def holiday_region_name(country: str, subdivision: str | None = None) -> str:
    """Words for a holiday region: "Germany (Bayern)", "the United Kingdom (England)"."""
    name = country_names().get(country, country)
    if name.startswith("United ") or name.endswith(("Islands", "Republic", "Netherlands")):
        name = "the " + name
    if subdivision is None:
        return name
    return f"{name} ({subdivision_names(country).get(subdivision, subdivision)})"


@cache
def _holiday_dates(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    return frozenset(day for day, _ in holidays_in(country, subdivision, year))


# --- the business calendar ---------------------------------------------------


@record
class BusinessCalendar:
    """Weekly hours in a time zone, closed on public holidays and extra dates.

    A 24x7 calendar is simply `hours=WeeklyHours.always()`; closed days are
    still honoured if given, and `describe()` says so.
    """

    hours: WeeklyHours
    timezone: str = "UTC"
    holidays_country: str | None = None
    holidays_subdivision: str | None = None
    extra_closed: tuple[date, ...] = ()

    def __post_init__(self) -> None:
        validate_timezone(self.timezone)
        if self.holidays_country is not None:
            country, sub = validate_holiday_region(
                self.holidays_country, self.holidays_subdivision
            )
            object.__setattr__(self, "holidays_country", country)
            object.__setattr__(self, "holidays_subdivision", sub)
        elif self.holidays_subdivision is not None:
            raise CalendarError(
                f"holiday subdivision '{self.holidays_subdivision}' needs a country (e.g. DE)"
            )
        object.__setattr__(self, "extra_closed", tuple(sorted(set(self.extra_closed))))

    @classmethod
    def always(cls, timezone: str = "UTC") -> BusinessCalendar:
        """Round the clock, no closed days."""
        return cls(WeeklyHours.always(), timezone)

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def _extra_closed_set(self) -> frozenset[date]:
        return frozenset(self.extra_closed)

    @property
    def _never_closed(self) -> bool:
        return self.hours.is_24x7 and not self.holidays_country and not self.extra_closed

    def closed_dates(self, year: int) -> list[tuple[date, str]]:
        """Whole days closed in `year` with their names (for the calendar appendix)."""
        found = dict(self._public_holidays(year))
        for day in self.extra_closed:
            if day.year == year:
                found.setdefault(day, "closed")
        return sorted(found.items())

    def _public_holidays(self, year: int) -> tuple[tuple[date, str], ...]:
        if self.holidays_country is None:
            return ()
        return holidays_in(self.holidays_country, self.holidays_subdivision, year)

    def is_closed_day(self, day: date) -> bool:
        """True for a public holiday of the region or an extra closed date."""
        if day in self._extra_closed_set:
            return True
        if self.holidays_country is None:
            return False
        return day in _holiday_dates(self.holidays_country, self.holidays_subdivision, day.year)

    def is_open(self, moment: datetime) -> bool:
        """Whether the service hours include `moment` (an aware datetime)."""
        instant = _utc(moment, "moment")
        day = instant.astimezone(self.zone).date()
        for offset in (-1, 0):
            for start, end in self._day_intervals(day + timedelta(days=offset)):
                if start <= instant < end:
                    return True
        return False

    def add(self, start: datetime, seconds: int) -> datetime:
        """The moment at which `seconds` of open time have passed since `start`.

        This is the business-hours clock: 4 h on Mon-Fri 08:00-18:00 from
        Friday 17:00 ends Monday 11:00.  The clock stops exactly when the
        budget is used, so a budget that runs out at closing time ends then,
        not at the next opening.  The result is in the calendar's zone.
        """
        origin = _utc(start, "start")
        if seconds < 0:
            raise CalendarError(f"cannot add {seconds} s: the time must not be negative")
        left = timedelta(seconds=seconds)
        if self._never_closed or not left:
            return (origin + left).astimezone(self.zone)
        for open_from, open_to in self._intervals_from(origin):
            piece = open_to - open_from
            if left <= piece:
                return (open_from + left).astimezone(self.zone)
            left -= piece
        raise AssertionError("unreachable: _intervals_from never ends")  # pragma: no cover

    def add_business_days(self, start: datetime, days: int) -> datetime:
        """`days` typical business days of open time after `start`.

        A business day is `business_day_seconds()` of open time, so on a
        Mon-Fri 08:00-18:00 calendar one business day from Tuesday 10:00 is
        Wednesday 10:00, and from Saturday it is Monday 18:00.
        """
        if days < 0:
            raise CalendarError(f"cannot add {days} business days: must not be negative")
        return self.add(start, days * self.business_day_seconds())

    def business_day_seconds(self) -> int:
        """Open seconds of a typical business day: the most common daily length.

        Ties go to the shorter day, so converting "N business days" to clock
        time never gives the provider more time than a real day of the week.
        """
        lengths = [self.hours.day_seconds(day) for day in range(7)]
        counts = Counter(length for length in lengths if length)
        if not counts:
            raise CalendarError("the calendar has no service hours, so it has no business day")
        best = max(counts.values())
        return min(length for length, count in counts.items() if count == best)

    def open_seconds(self, start: datetime, end: datetime) -> int:
        """Open time between two instants, in whole seconds (fractions dropped)."""
        begin, finish = _utc(start, "start"), _utc(end, "end")
        if finish < begin:
            raise CalendarError(f"the period ends ({end}) before it starts ({start})")
        if self._never_closed:
            return (finish - begin) // timedelta(seconds=1)
        total = timedelta()
        day = begin.astimezone(self.zone).date() - timedelta(days=1)
        last = finish.astimezone(self.zone).date()
        while day <= last:
            for open_from, open_to in self._day_intervals(day):
                overlap = min(open_to, finish) - max(open_from, begin)
                if overlap > timedelta():
                    total += overlap
            day += timedelta(days=1)
        return total // timedelta(seconds=1)

    def month_open_seconds(self, year: int, month: int) -> int:
        """Open time in a calendar month of the calendar's own time zone."""
        if not 1 <= month <= 12:
            raise CalendarError(f"month {month} does not exist (use 1 to 12)")
        first = date(year, month, 1)
        following = date(year + month // 12, month % 12 + 1, 1)
        return self.open_seconds(self._instant(first, 0), self._instant(following, 0))

    def describe(self) -> str:
        """Words for a contract, e.g. "Monday to Friday, 08:00–18:00 (Europe/Berlin),
        excluding public holidays in Germany (Bayern)"."""
        text = self.hours.describe()
        if self._never_closed:
            return text
        text += f" ({self.timezone})"
        if self.holidays_country:
            region = holiday_region_name(self.holidays_country, self.holidays_subdivision)
            text += f", excluding public holidays in {region}"
        if self.extra_closed:
            dates = join_words([day.isoformat() for day in self.extra_closed])
            text += (" and" if self.holidays_country else ",") + f" closed on {dates}"
        return text

    # -- intervals: open periods as UTC instants --------------------------------

    def _intervals_from(self, origin: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Open intervals after `origin` (clipped to it), in order, for ever.

        Jumps day by day, never minute by minute; stops with an error when the
        calendar has no open time at all or none for `_MAX_CLOSED_DAYS` days.
        """
        if self.hours.weekly_seconds == 0:
            raise CalendarError("the calendar has no service hours, so its clock never runs")
        day = origin.astimezone(self.zone).date() - timedelta(days=1)
        closed_run = 0
        while True:
            intervals = [(max(a, origin), b) for a, b in self._day_intervals(day) if b > origin]
            yield from intervals
            closed_run = 0 if intervals else closed_run + 1
            if closed_run > _MAX_CLOSED_DAYS:
                raise CalendarError(f"the calendar has no open time for years after {day}")
            day += timedelta(days=1)

    def _day_intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """UTC intervals of the spans that start on local `day`, closed days cut out."""
        intervals = []
        for start, end in self.hours.spans[day.weekday()]:
            for piece_day, piece_start, piece_end in _split_at_midnight(day, start, end):
                if self.is_closed_day(piece_day):
                    continue
                first = self._instant(piece_day, piece_start)
                last = self._instant(piece_day, piece_end)
                if last > first:
                    intervals.append((first, last))
        return intervals

    def _instant(self, day: date, minute: int) -> datetime:
        naive = datetime.combine(day, time()) + timedelta(minutes=minute)
        return _first_instant_showing(naive, self.zone)


def _split_at_midnight(day: date, start: int, end: int) -> list[tuple[date, int, int]]:
    if end <= _DAY:
        return [(day, start, end)]
    return [(day, start, _DAY), (day + timedelta(days=1), 0, end - _DAY)]


def _first_instant_showing(naive: datetime, zone: ZoneInfo) -> datetime:
    """The first UTC instant at which the wall clock in `zone` shows at least `naive`.

    Ambiguous times (autumn) give their first occurrence (fold=0); skipped
    times (spring) give the instant of the jump, found by bisection over the
    whole seconds between the two possible readings.
    """
    guess = naive.replace(tzinfo=zone).astimezone(UTC)
    if guess.astimezone(zone).replace(tzinfo=None) == naive:
        return guess
    other = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    low, high = sorted(int(moment.timestamp()) for moment in (guess, other))
    while high - low > 1:
        middle = (low + high) // 2
        shown = datetime.fromtimestamp(middle, zone).replace(tzinfo=None)
        low, high = (low, middle) if shown >= naive else (middle, high)
    return datetime.fromtimestamp(high, UTC)


def _utc(moment: datetime, what: str) -> datetime:
    if not isinstance(moment, datetime):
        raise CalendarError(f"{what} {moment!r} is not a date and time")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CalendarError(
            f"{what} {moment.isoformat()} has no time zone (give an aware datetime)"
        )
    return moment.astimezone(UTC)
