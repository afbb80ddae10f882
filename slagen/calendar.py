"""Service hours, time zones and holidays: the clocks that targets run on.

"P3 resolved within 2 business days" or "99.9 % of business hours" only mean
something on a calendar: which hours count, in which time zone, and which
days are closed.  This module turns the short texts an agreement uses
(`"Mon-Fri 08:00-18:00"`, `"24x7"`) into `WeeklyHours`, and `BusinessCalendar`
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
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, cached_property
from zoneinfo import ZoneInfo, available_timezones

import holidays

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

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_ABBR = tuple(name[:3] for name in DAY_NAMES)
_DAY_HINT = "(use " + ", ".join(_DAY_ABBR) + ")"
_EXAMPLE = "(e.g. Mon-Fri 08:00-18:00)"
_DAY = 1440  # minutes
_WEEK = 7 * _DAY
_MAX_CLOSED_DAYS = 3660  # ten years without open time means the calendar is broken

Span = tuple[int, int]
"""Minutes from local midnight of the day a span starts; the end may pass 1440."""


class CalendarError(ValueError):
    """Service hours, a time zone or a holiday region that cannot be used."""


# --- weekly hours ------------------------------------------------------------


@dataclass(frozen=True)
class WeeklyHours:
    """Open spans per weekday (index 0 is Monday), sorted, never overlapping.

    A span that crosses midnight belongs to the day it starts on, so
    "Fri 22:00-06:00" is Friday's span (1320, 1800).
    """

    spans: tuple[tuple[Span, ...], ...]

    def __post_init__(self) -> None:
        if len(self.spans) != 7:
            raise CalendarError(f"weekly hours need 7 days, got {len(self.spans)}")
        for day, spans in enumerate(self.spans):
            for start, end in spans:
                if not (0 <= start < _DAY and start < end <= start + _DAY):
                    raise CalendarError(f"{DAY_NAMES[day]}: ({start}, {end}) is not a span")
        clash = _find_overlap(self.spans)
        if clash:
            raise CalendarError(clash)

    @classmethod
    def always(cls) -> WeeklyHours:
        """Round the clock, every day."""
        return cls(tuple(((0, _DAY),) for _ in range(7)))

    @property
    def weekly_seconds(self) -> int:
        return sum(end - start for spans in self.spans for start, end in spans) * 60

    @property
    def is_24x7(self) -> bool:
        """True when every moment of the week is open (spans never overlap)."""
        return self.weekly_seconds == _WEEK * 60

    def day_seconds(self, weekday: int) -> int:
        """Open seconds of the spans that start on `weekday` (0 = Monday)."""
        return sum(end - start for start, end in self.spans[weekday]) * 60

    def describe(self) -> str:
        """Words for a contract: "Monday to Friday, 08:00–18:00"."""
        if self.is_24x7:
            return "24 hours a day, 7 days a week"
        groups = self._groups()
        if not groups:
            return "no service hours"
        if len(groups) == 1:
            days, spans = groups[0]
            return f"{_days_words(days)}, {_spans_words(spans)}"
        return _join_words([f"{_days_words(d)} {_spans_words(s)}" for d, s in groups])

    def spec(self) -> str:
        """The short form that `parse_weekly_hours` reads back."""
        if self.is_24x7:
            return "24x7"
        parts = [f"{_days_spec(d)} {', '.join(_span_spec(s) for s in spans)}"
                 for d, spans in self._groups()]
        return "; ".join(parts)

    def _groups(self) -> list[tuple[tuple[int, ...], tuple[Span, ...]]]:
        """Days with identical non-empty spans, in order of their first day."""
        order: dict[tuple[Span, ...], list[int]] = {}
        for day, spans in enumerate(self.spans):
            if spans:
                order.setdefault(spans, []).append(day)
        return [(tuple(days), spans) for spans, days in order.items()]


def parse_weekly_hours(text: str) -> WeeklyHours:
    """Read "Mon-Fri 08:00-18:00; Sat 09:00-13:00", "Mon,Wed,Fri 07:00-19:00" or "24x7".

    Clauses are separated by ";"; one clause may give several spans separated
    by commas ("Mon-Fri 08:00-12:00, 13:00-17:00").  A span whose end is not
    after its start crosses midnight and ends on the next day.
    """
    if not isinstance(text, str):
        raise CalendarError(f"{text!r} is not a text of service hours {_EXAMPLE}")
    cleaned = text.strip().replace("\u2013", "-").replace("\u2014", "-")
    if cleaned.lower() in ("24x7", "24/7"):
        return WeeklyHours.always()
    days: list[list[Span]] = [[] for _ in range(7)]
    clauses = [clause.strip() for clause in cleaned.split(";") if clause.strip()]
    if not clauses:
        raise CalendarError(f"empty service hours {_EXAMPLE}")
    for clause in clauses:
        weekdays, spans = _parse_clause(text, clause)
        for day in weekdays:
            days[day].extend(spans)
    table = tuple(tuple(sorted(spans)) for spans in days)
    clash = _find_overlap(table)
    if clash:
        raise CalendarError(f"'{text}': {clash} (list each time once)")
    return WeeklyHours(table)


def _parse_clause(text: str, clause: str) -> tuple[list[int], list[Span]]:
    digit = re.search(r"\d", clause)
    what = f"'{text}'" if clause == text.strip() else f"'{text}': '{clause}'"
    if digit is None:
        raise CalendarError(f"{what} gives no times {_EXAMPLE}")
    if digit.start() == 0:
        raise CalendarError(f"{what} names no days {_EXAMPLE}")
    weekdays = _parse_days(text, clause[: digit.start()])
    spans = [_parse_span(text, part) for part in clause[digit.start():].split(",")]
    return weekdays, spans


def _parse_days(text: str, days_text: str) -> list[int]:
    compact = re.sub(r"\s*-\s*", "-", days_text.strip(" ,"))
    result: list[int] = []
    for item in re.split(r"[,\s]+", compact):
        ends = item.split("-")
        if len(ends) > 2 or not all(ends):
            raise CalendarError(f"'{text}': '{item}' is not a day or range of days {_DAY_HINT}")
        first, last = (_parse_day(text, end) for end in (ends[0], ends[-1]))
        result.extend(_day_range(first, last))
    return sorted(set(result))


def _parse_day(text: str, name: str) -> int:
    key = name.lower()
    for index, full in enumerate(DAY_NAMES):
        if len(key) >= 3 and full.lower().startswith(key):
            return index
    raise CalendarError(f"'{text}': unknown day '{name}' {_DAY_HINT}")


def _day_range(first: int, last: int) -> list[int]:
    """Inclusive range of weekdays; "Fri-Mon" wraps over the weekend."""
    return [(first + step) % 7 for step in range((last - first) % 7 + 1)]


_SPAN_RE = re.compile(r"^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$")


def _parse_span(text: str, part: str) -> Span:
    match = _SPAN_RE.match(part.strip())
    if not match:
        hint = "e.g. 08:00-18:00"
        if re.search(r"[A-Za-z]", part):
            hint = "separate groups of days with ';', e.g. Mon-Fri 08:00-18:00; Sat 09:00-13:00"
        raise CalendarError(f"'{text}': '{part.strip()}' is not a time span ({hint})")
    start_text, end_text = part.strip().replace(" ", "").split("-")
    start = _parse_time(text, start_text, is_end=False)
    end = _parse_time(text, end_text, is_end=True)
    if start == end:
        raise CalendarError(
            f"'{text}': '{part.strip()}' is empty (for a whole day write 00:00-24:00)"
        )
    return (start, end if end > start else end + _DAY)


def _parse_time(text: str, clock: str, *, is_end: bool) -> int:
    hours, minutes = (int(piece) for piece in clock.split(":"))
    if hours == 24 and minutes == 0:
        if is_end:
            return _DAY
        raise CalendarError(f"'{text}': a span cannot start at 24:00 (write 00:00)")
    if hours > 23 or minutes > 59:
        raise CalendarError(
            f"'{text}': '{clock}' is not a valid time (use 00:00 to 23:59, or 24:00 as an end)"
        )
    return hours * 60 + minutes


def _find_overlap(table: tuple[tuple[Span, ...], ...]) -> str | None:
    """Describe the first two spans that share a moment of the (circular) week."""
    pieces: list[tuple[int, int, int, Span]] = []
    for day, spans in enumerate(table):
        for span in spans:
            start, end = day * _DAY + span[0], day * _DAY + span[1]
            pieces.append((start, min(end, _WEEK), day, span))
            if end > _WEEK:
                pieces.append((0, end - _WEEK, day, span))
    pieces.sort()
    for first, second in zip(pieces, pieces[1:], strict=False):
        if second[0] < first[1]:
            return (f"{DAY_NAMES[first[2]]} {_span_spec(first[3])} and "
                    f"{DAY_NAMES[second[2]]} {_span_spec(second[3])} overlap")
    return None


def _clock(minutes: int) -> str:
    if minutes > _DAY:
        minutes -= _DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _span_spec(span: Span) -> str:
    return f"{_clock(span[0])}-{_clock(span[1])}"


def _span_words(span: Span) -> str:
    words = f"{_clock(span[0])}\u2013{_clock(span[1])}"
    return words + " (next day)" if span[1] > _DAY else words


def _spans_words(spans: tuple[Span, ...]) -> str:
    return _join_words([_span_words(span) for span in spans])


def _runs(days: tuple[int, ...]) -> list[tuple[int, int]]:
    """Consecutive runs of weekdays as (first, last); a run may wrap from Sunday to Monday."""
    runs: list[tuple[int, int]] = []
    for day in days:
        if runs and runs[-1][1] == day - 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    if len(runs) > 1 and runs[0][0] == 0 and runs[-1][1] == 6:
        runs = runs[1:-1] + [(runs[-1][0], runs[0][1])]
    return runs


def _days_words(days: tuple[int, ...]) -> str:
    if len(days) == 7:
        return "every day"
    words: list[str] = []
    for first, last in _runs(days):
        if (last - first) % 7 >= 2:
            words.append(f"{DAY_NAMES[first]} to {DAY_NAMES[last]}")
        else:
            words.extend(DAY_NAMES[day % 7] for day in range(first, first + (last - first) % 7 + 1))
    return _join_words(words)


def _days_spec(days: tuple[int, ...]) -> str:
    items = [_DAY_ABBR[a] if a == b else f"{_DAY_ABBR[a]}-{_DAY_ABBR[b]}" for a, b in _runs(days)]
    return ",".join(items)


def _join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# --- time zones and holiday regions -----------------------------------------


@cache
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_timezone(name: str) -> ZoneInfo:
    """The IANA zone called `name`, or an error that suggests the closest names."""
    hint = "use an IANA name such as Europe/Berlin or America/New_York"
    if not isinstance(name, str) or not name.strip():
        raise CalendarError(f"{name!r} is not a time zone ({hint})")
    if name in _zone_names():
        return ZoneInfo(name)
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


@cache
def _supported_countries() -> dict[str, tuple[str, ...]]:
    return {code: tuple(subs) for code, subs in holidays.list_supported_countries().items()}


@cache
def _country_names() -> dict[str, str]:
    """Country code (alpha-2, alpha-3 and aliases) -> English name, from the registry."""
    names: dict[str, str] = {}
    registry = getattr(getattr(holidays, "registry", None), "COUNTRIES", {})
    for entry in registry.values():
        words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", entry[0])
        words = re.sub(r"\b(And|Of|The)\b", lambda m: m.group(1).lower(), words)
        for code in entry[1:]:
            if isinstance(code, str) and code.isupper():
                names[code] = words
    return names


@cache
def _subdivision_names(country: str) -> dict[str, str]:
    """Subdivision code -> its name as the holidays package gives it."""
    aliases = holidays.country_holidays(country).get_subdivision_aliases()
    return {code: names[0] for code, names in aliases.items() if names}


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
    if code not in _supported_countries():
        raise CalendarError(
            f"unknown holiday country '{country}'{_did_you_mean(_country_guesses(country))} "
            "(use an ISO 3166 code such as DE, GB or US)"
        )
    if subdivision is None:
        return code, None
    return code, _subdivision_code(code, str(subdivision).strip())


def _country_guesses(country: str) -> list[str]:
    folded = country.strip().casefold()
    names = _country_names()
    by_name = sorted({code for code, name in names.items() if name.casefold() == folded})
    if by_name:
        return by_name[:1]
    pool = {name.casefold(): code for code, name in names.items() if len(code) == 2}
    close = difflib.get_close_matches(folded, sorted(pool), n=2, cutoff=0.75)
    return [pool[match] for match in close]


def _subdivision_code(country: str, subdivision: str) -> str:
    codes = _supported_countries()[country]
    for code in codes:
        if code.casefold() == subdivision.casefold():
            return code
    names = _subdivision_names(country)
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
    name = _country_names().get(country, country)
    if name.startswith("United ") or name.endswith(("Islands", "Republic", "Netherlands")):
        name = "the " + name
    if subdivision is None:
        return name
    return f"{name} ({_subdivision_names(country).get(subdivision, subdivision)})"


@cache
def _holidays_in(country: str, subdivision: str | None, year: int) -> tuple[tuple[date, str], ...]:
    found = holidays.country_holidays(country, subdiv=subdivision, years=year)
    return tuple(sorted(found.items()))


@cache
def _holiday_dates(country: str, subdivision: str | None, year: int) -> frozenset[date]:
    return frozenset(day for day, _ in _holidays_in(country, subdivision, year))


# --- the business calendar ---------------------------------------------------


@dataclass(frozen=True)
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
        return _holidays_in(self.holidays_country, self.holidays_subdivision, year)

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
            dates = _join_words([day.isoformat() for day in self.extra_closed])
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
