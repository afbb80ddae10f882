"""Weekly service hours: `"Mon-Fri 08:00-18:00; Sat 09:00-13:00"` and `"24x7"`.

The short texts agreements use for hours, parsed into `WeeklyHours` and put
back into words for documents.  Time zones and closed days are the business
calendar's concern (`slagen.calendar`).
"""

from __future__ import annotations

import re

from .records import record

__all__ = ["DAY_NAMES", "CalendarError", "Span", "WeeklyHours", "join_words",
           "parse_weekly_hours"]

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_DAY_ABBR = tuple(name[:3] for name in DAY_NAMES)
_DAY_HINT = "(use " + ", ".join(_DAY_ABBR) + ")"
_EXAMPLE = "(e.g. Mon-Fri 08:00-18:00)"
_DAY = 1440  # minutes
_WEEK = 7 * _DAY

Span = tuple[int, int]
"""Minutes from local midnight of the day a span starts; the end may pass 1440."""


class CalendarError(ValueError):
    """Service hours, a time zone or a holiday region that cannot be used."""


# --- weekly hours ------------------------------------------------------------


@record
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
        return join_words([f"{_days_words(d)} {_spans_words(s)}" for d, s in groups])

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
    return join_words([_span_words(span) for span in spans])


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
    return join_words(words)


def _days_spec(days: tuple[int, ...]) -> str:
    items = [_DAY_ABBR[a] if a == b else f"{_DAY_ABBR[a]}-{_DAY_ABBR[b]}" for a, b in _runs(days)]
    return ",".join(items)


def join_words(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
