"""What a typed target means, said right after it is typed.

A service manager who types `99.9%` should see that it allows 43 min 50 s of
downtime a month, and one who types `4h` for a P1 resolution on business
hours should see that a ticket raised on Friday at 17:00 is due on Monday at
11:00.  The numbers come from `metrics` and `calendar`, the same code the
documents use, so the interview never explains a target differently from the
agreement.  Every helper returns None when it has nothing sure to say.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from .calendar import BusinessCalendar, CalendarError, parse_weekly_hours
from .model import METRIC_KINDS
from .units import UnitError, parse_duration, parse_percent

__all__ = ["context_line"]

_PERIODS = {"month": "a month", "quarter": "a quarter", "year": "a year", "week": "a week"}


def context_line(kind: str, value: Any, items: Sequence[dict], data: dict) -> str | None:
    """The context line `kind` ('downtime' or 'clock') for an answer, if there is one.

    `items` are the group items around the answer, innermost first: the metric
    (with its kind, window and calendar) and the service (with its hours).
    """
    metric = next((i for i in items if isinstance(i, dict) and "kind" in i), None)
    service = next((i for i in items if isinstance(i, dict) and "metrics" in i), None)
    if metric is None or value is None:
        return None
    calendar_id = metric.get("calendar") or (service or {}).get(
        "hours" if metric.get("kind") == "availability" else "support_hours") or \
        (service or {}).get("hours")
    calendar = next((c for c in data.get("calendars") or []
                     if isinstance(c, dict) and c.get("id") == calendar_id), None)
    try:
        if kind == "downtime":
            return _downtime(value, metric, calendar)
        if kind == "clock":
            return _clock(value, metric, calendar, data)
    except (CalendarError, UnitError, ValueError, ArithmeticError):
        return None
    return None


def _business(calendar: dict | None) -> BusinessCalendar | None:
    if not calendar or not calendar.get("hours"):
        return None
    return BusinessCalendar(
        hours=parse_weekly_hours(str(calendar["hours"])),
        timezone=str(calendar.get("timezone") or "UTC"),
        holidays_country=calendar.get("holidays"),
        holidays_subdivision=calendar.get("subdivision"),
        extra_closed=tuple(dt.date.fromisoformat(str(d)) for d in calendar.get("closed") or []))


def _window(raw: Any) -> tuple[Any, str]:
    if isinstance(raw, dict):
        raw = f"rolling {raw.get('days')} days" if raw.get("period") == "rolling" \
            else raw.get("period", "month")
    text = str(raw or "month")
    if text.startswith("rolling"):
        days = int(text.split()[1])
        return days, f"over {days} days"
    return text, _PERIODS.get(text, f"a {text}")


def _downtime(value: Any, metric: dict, calendar: dict | None) -> str | None:
    from .metrics import downtime_allowance, format_downtime

    kind = METRIC_KINDS.get(str(metric.get("kind")))
    if kind is None or kind.name != "Availability":
        return None
    target = parse_percent(value)
    window, phrase = _window(metric.get("window"))
    business = _business(calendar)
    where = ""
    if business is not None and not business.hours.is_24x7:
        where = f" within {calendar['hours']} ({business.timezone})"  # type: ignore[index]
    else:
        business = None
    allowed = format_downtime(downtime_allowance(target, window, business))
    return f"{target} {phrase} allows {allowed} of downtime{where}"


def _first_friday_evening(calendar: BusinessCalendar, data: dict) -> dt.datetime:
    effective = (data.get("agreement") or {}).get("effective")
    try:
        day = dt.date.fromisoformat(str(effective))
    except ValueError:
        day = dt.date.today()
    day += dt.timedelta(days=(4 - day.weekday()) % 7)
    for _ in range(12):
        if not calendar.is_closed_day(day):
            break
        day += dt.timedelta(days=7)
    return dt.datetime.combine(day, dt.time(17, 0), tzinfo=calendar.zone)


def _clock(value: Any, metric: dict, calendar: dict | None, data: dict) -> str | None:
    kind = METRIC_KINDS.get(str(metric.get("kind")))
    if kind is None or kind.unit != "duration":
        return None
    duration = parse_duration(value)
    business = _business(calendar)
    if business is None or (business.hours.is_24x7 and not duration.is_business_days):
        return None
    start = _first_friday_evening(business, data)
    if duration.is_business_days:
        end = business.add_business_days(start, duration.business_days)
    else:
        end = business.add(start, duration.seconds)
    shown = f"{end:%A} {end:%H:%M}"
    if (end.date() - start.date()).days >= 7:
        shown = f"{end:%A} {end.day} {end:%B} {end:%H:%M}"
    what = kind.name.lower().removesuffix(" time")
    priority = f"{metric['priority']} " if metric.get("priority") else ""
    hours = "24x7" if business.hours.is_24x7 else str(calendar["hours"])  # type: ignore[index]
    return (f"a {priority}{what} of {value} on {hours} ({business.timezone}) starting "
            f"Friday 17:00 ends {shown}")
