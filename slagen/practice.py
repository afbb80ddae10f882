"""What negotiating positions mean in practice, how far apart they are, and a fair middle.

People argue better over "43 minutes of downtime a month" than over "99.9%",
and over "the provider owes 10% after three 40-minute outages" than over a
credit cap.  Midpoints follow domain.md §7.2: availability is split in
downtime, not in percentage points, and every suggestion snaps to a
conventional value (99.95%, 4h, 1 week) so documents stay readable.
"""

from __future__ import annotations

import dataclasses
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from .metrics import (
    credit_for,
    downtime_allowance,
    format_downtime,
    monthly_credit,
    outage_scenario_credit,
)
from .model import Agreement
from .positions import CADENCES, TermInfo, parse_value, same_value
from .terms import split_term
from .units import Duration, Percent, UnitError, format_decimal, parse_duration, parse_percent

__all__ = ["credit_scenarios", "duration_words", "gap", "in_practice", "suggest"]

# Outages in one month that show what a credit position is worth.
SCENARIOS: tuple[tuple[int, int], ...] = ((3, 40 * 60), (1, 4 * 3600), (1, 48 * 3600))
_AVAILABILITY = ("99%", "99.5%", "99.8%", "99.9%", "99.95%", "99.99%", "99.995%", "99.999%")
_DURATIONS = ("15min", "30min", "1h", "2h", "4h", "8h", "1 day", "3 days", "1 week", "2 weeks",
              "30 days", "60 days", "90 days", "180 days")


def duration_words(duration: Duration) -> str:
    """`14 days`, `1 hour 30 minutes`, `2 business days`."""
    if duration.is_business_days:
        n = duration.business_days
        return f"{n} business day{'s' if n != 1 else ''}"
    rest, parts = duration.seconds, []
    for name, size in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        amount, rest = divmod(rest, size)
        if amount:
            parts.append(f"{amount} {name}{'s' if amount != 1 else ''}")
    return " ".join(parts)


def downtime_seconds(info: TermInfo, value: object) -> Decimal | None:
    """Downtime an availability position allows in its window (None if not one)."""
    if not info.is_availability or info.metric is None:
        return None
    try:
        target = parse_percent(value)
    except UnitError:
        return None
    window = info.metric.window
    span: str | int = window.days if window.period == "rolling" and window.days else \
        window.period
    return downtime_allowance(target, span)


def _window_words(info: TermInfo) -> str:
    window = info.metric.window if info.metric else None
    if window is not None and window.period == "rolling":
        return f"in {window.days} days"
    return f"a {window.period if window else 'month'}"


def gap(info: TermInfo, customer: object, provider: object) -> str:
    """How far apart two positions are, in the unit people negotiate in."""
    if customer in (None, "") or provider in (None, ""):
        return ""
    if same_value(info, customer, provider):
        return "none"
    try:
        a, b = parse_value(info, customer), parse_value(info, provider)
    except UnitError:
        return "differs"
    down_a, down_b = downtime_seconds(info, customer), downtime_seconds(info, provider)
    if down_a is not None and down_b is not None:
        return f"{format_downtime(abs(down_a - down_b))} downtime {_window_words(info)}"
    if isinstance(a, Percent) and isinstance(b, Percent):
        return f"{format_decimal(abs(a.value - b.value))} percentage points"
    if isinstance(a, Duration) and isinstance(b, Duration):
        if a.is_business_days != b.is_business_days:
            return "not comparable (business days vs clock time)"
        return duration_words(Duration(abs(a.seconds - b.seconds),
                                       abs(a.business_days - b.business_days)))
    if isinstance(a, int) and isinstance(b, int):
        return str(abs(a - b))
    if a in CADENCES and b in CADENCES:
        steps = abs(CADENCES.index(a) - CADENCES.index(b))
        return f"{steps} step{'s' if steps > 1 else ''} ({a} vs {b})"
    return "differs"


def in_practice(info: TermInfo, value: object, agreement: Agreement | None = None) -> str:
    """A position in words: downtime for availability, durations spelt out, credits
    as what the provider would owe in a few outage scenarios."""
    if value in (None, ""):
        return ""
    down = downtime_seconds(info, value)
    if down is not None:
        return f"{format_downtime(down)} downtime {_window_words(info)}"
    if agreement is not None and _credit_band(info.term) is not None:
        return credit_scenarios(agreement, info.term, value)
    try:
        parsed = parse_value(info, value)
    except UnitError:
        return ""
    return duration_words(parsed) if isinstance(parsed, Duration) else ""


# --- credits -----------------------------------------------------------------


def _credit_band(term: str) -> int | None:
    """0 for the cap, n for `credits.schedule.n.credit`, None for other terms."""
    parts = split_term(term)
    if parts == ["credits", "cap"]:
        return 0
    if len(parts) == 4 and parts[:2] == ["credits", "schedule"] and parts[3] == "credit" \
            and parts[2].isdigit():
        return int(parts[2])
    return None


def credit_scenarios(agreement: Agreement, term: str, value: object) -> str:
    """What the provider would owe, at this cap or band credit, after typical outages."""
    from .validate import _bands  # the one model-bands → math-bands conversion

    credits, band = agreement.credits, _credit_band(term)
    target = _credit_target(agreement)
    if credits is None or not credits.schedule or target is None or band is None:
        return ""
    try:
        position = parse_percent(value)
    except UnitError:
        return ""
    schedule, cap = list(credits.schedule), credits.cap
    if band == 0:
        cap = position
    elif band <= len(schedule):
        schedule[band - 1] = dataclasses.replace(schedule[band - 1], credit=position)
    bands = _bands(schedule, target)
    parts = []
    for count, seconds in SCENARIOS:
        attained, credit = outage_scenario_credit(target, bands, cap, [seconds] * count)
        text = f"{count} × {duration_words(Duration(seconds))}: {credit}"
        if credits.monthly_fee is not None:
            text += f" = {monthly_credit(credits.monthly_fee, credit)}"
        if credit_for(attained, bands).value > credit.value:
            text += " (capped)"
        parts.append(text)
    return f"at {target}: " + "; ".join(parts)


def _credit_target(agreement: Agreement) -> Percent | None:
    for _, metric in agreement.all_metrics():
        if metric.kind == "availability" and metric.credit:
            target = metric.target or next(iter(metric.targets.values()), None)
            if isinstance(target, Percent):
                return target
    return None


# --- a fair middle -------------------------------------------------------------


def suggest(info: TermInfo, customer: object, provider: object) -> str | None:
    """A compromise between two positions, snapped to a conventional value; None when
    there is nothing strictly between them."""
    if customer in (None, "") or provider in (None, "") or \
            same_value(info, customer, provider):
        return None
    try:
        a, b = parse_value(info, customer), parse_value(info, provider)
    except UnitError:
        return None
    if info.is_availability:
        return _middle(info, a, b, _AVAILABILITY, lambda v: downtime_seconds(info, v))
    if isinstance(a, Percent) and isinstance(b, Percent):
        steps = tuple(f"{n}%" for n in range(0, 101, 5))
        return _middle(info, a, b, steps, lambda v: parse_percent(v).value)
    if isinstance(a, Duration) and isinstance(b, Duration):
        if a.is_business_days and b.is_business_days:
            return _whole_middle(a.business_days, b.business_days, "{} business days")
        if not (a.is_business_days or b.is_business_days):
            return _middle(info, a, b, _DURATIONS, lambda v: parse_duration(v).seconds)
        return None
    if isinstance(a, int) and isinstance(b, int):
        return _whole_middle(a, b, "{}")
    if a in CADENCES and b in CADENCES:
        low, high = sorted((CADENCES.index(a), CADENCES.index(b)))
        return CADENCES[(low + high) // 2] if high - low > 1 else None
    return None


def _middle(info: TermInfo, a: Any, b: Any, conventional: tuple[str, ...],
            measure: Any) -> str | None:
    """Snap the linear midpoint (measured by `measure`) to the nearest conventional
    value strictly between the positions; else the midpoint itself."""
    low, high = sorted((Decimal(measure(str(a))), Decimal(measure(str(b)))))
    middle = (low + high) / 2
    inside = [c for c in conventional if low < Decimal(measure(c)) < high]
    if inside:
        return min(inside, key=lambda c: abs(Decimal(measure(c)) - middle))
    return _format_middle(info, a, middle)


def _format_middle(info: TermInfo, a: Any, middle: Decimal) -> str | None:
    if info.is_availability:
        window = downtime_seconds(info, "0%") or Decimal(1)
        value = (100 - middle * 100 / window).quantize(Decimal("0.001"))
        return f"{format_decimal(value)}%"
    if isinstance(a, Percent):
        return f"{format_decimal(middle.quantize(Decimal('0.1')))}%"
    minutes = int((middle / 60).to_integral_value(rounding=ROUND_HALF_UP))
    hours, rest = divmod(minutes, 60)
    if hours >= 24 and hours % 24 == 0 and not rest:
        return f"{hours // 24} days"
    return " ".join(p for p in (f"{hours}h" if hours else "", f"{rest}min" if rest else "") if p)


def _whole_middle(a: int, b: int, form: str) -> str | None:
    low, high = sorted((a, b))
    middle = int((Decimal(low + high) / 2).to_integral_value(rounding=ROUND_HALF_UP))
    return form.format(middle) if low < middle < high else None
