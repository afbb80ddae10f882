"""Service-level math: downtime allowances, availability, reliability, credits, OLA budgets.

Every figure here may end up in a signed contract, so the math is exact
`Decimal` (window lengths are exact fractions of days) and nothing is rounded
silently.  Where a value is rounded, the docstring says which way and why:
judgements (breach or not, which credit band) always use the unrounded value,
display rounding is to the nearest unit, and derived internal targets are
rounded towards *stricter*, never in the provider's favour.

Windows (`Window`): "day", "week", "month" (average month, 365.25/12 days =
43,830 min), "quarter" (three average months), "year" (365 days = 525,600 min,
as in domain.md §3.1), "30 days" / "N days" / an int N (rolling N days), or a
specific calendar month `(year, month)`.

On a business calendar a named window is its length in weeks times the
calendar's weekly open time, holidays not subtracted: an average month on
Mon-Fri 08:00-18:00 is 365.25/12/7 weeks x 50 h = 217.41 h.  This makes a
24x7 calendar's "month" exactly the 43,830-minute month of the table, and it
differs from the brief's suggested 52/12 weeks by 0.35 %; holidays differ by
country and year, so only a specific month `(year, month)` counts them (with
DST) through `BusinessCalendar.month_open_seconds`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction

from .calendar import BusinessCalendar
from .records import record
from .units import Money, Percent, format_seconds, round_seconds

__all__ = [
    "CreditBand",
    "MetricError",
    "Window",
    "apply_cap",
    "availability",
    "bands_from_thresholds",
    "chain_fits",
    "check_schedule",
    "credit_for",
    "downtime_allowance",
    "downtime_budget_split",
    "earn_back_eligible",
    "format_downtime",
    "monthly_credit",
    "mtbf",
    "mttr",
    "outage_scenario_credit",
    "parallel_availability",
    "serial_availability",
    "steady_state_availability",
    "window_seconds",
]

Window = str | tuple[int, int] | int
Number = int | Decimal
PercentLike = Percent | Decimal

_HUNDRED = Decimal(100)
_ZERO = Decimal(0)
_DAY_SECONDS = 86400
_NAMED_WINDOWS = {
    "day": Fraction(1),
    "week": Fraction(7),
    "month": Fraction(36525, 1200),
    "quarter": Fraction(36525, 400),
    "year": Fraction(365),
}
_DAYS_RE = re.compile(r"^(?:rolling\s+)?(\d+)[\s-]*days?$")
_WINDOW_HINT = "(use day, week, month, quarter, year, '30 days' or a month such as (2027, 2))"


class MetricError(ValueError):
    """Inputs that make a service-level calculation meaningless."""


def _pct(value: PercentLike) -> Decimal:
    return value.value if isinstance(value, Percent) else Decimal(value)


def _decimal(value: Fraction) -> Decimal:
    return Decimal(value.numerator) / Decimal(value.denominator)


# --- windows and downtime ----------------------------------------------------


def window_seconds(window: Window, calendar: BusinessCalendar | None = None) -> Decimal:
    """Agreed service time of a window: all of it, or the calendar's open time.

    See the module docstring for how each window is defined.
    """
    if isinstance(window, tuple):
        year, month = _check_month(window)
        if calendar is not None:
            return Decimal(calendar.month_open_seconds(year, month))
        return Decimal(_days_in_month(year, month) * _DAY_SECONDS)
    days = _window_days(window)
    if calendar is None:
        return _decimal(days * _DAY_SECONDS)
    return _decimal(days / 7 * calendar.hours.weekly_seconds)


def _window_days(window: str | int) -> Fraction:
    if isinstance(window, bool):
        raise MetricError(f"{window!r} is not a measurement window {_WINDOW_HINT}")
    if isinstance(window, int):
        if window < 1:
            raise MetricError(f"a rolling window of {window} days is empty {_WINDOW_HINT}")
        return Fraction(window)
    if not isinstance(window, str):
        raise MetricError(f"{window!r} is not a measurement window {_WINDOW_HINT}")
    key = window.strip().lower()
    if key in _NAMED_WINDOWS:
        return _NAMED_WINDOWS[key]
    match = _DAYS_RE.match(key)
    if match and int(match.group(1)) > 0:
        return Fraction(int(match.group(1)))
    raise MetricError(f"'{window}' is not a measurement window {_WINDOW_HINT}")


def _check_month(window: tuple[int, int]) -> tuple[int, int]:
    if len(window) != 2 or not all(isinstance(part, int) for part in window):
        raise MetricError(f"{window!r} is not a month {_WINDOW_HINT}")
    year, month = window
    if not 1 <= month <= 12:
        raise MetricError(f"{window!r}: month {month} does not exist (use 1 to 12)")
    return year, month


def _days_in_month(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - date(year, month, 1)).days


def downtime_allowance(
    target: PercentLike, window: Window, calendar: BusinessCalendar | None = None
) -> Decimal:
    """Seconds of downtime a target allows in a window, unrounded.

    99.9 % of an average month is exactly 2629.8 s; of February 2027, 2419.2 s.
    """
    value = _pct(target)
    if not _ZERO <= value <= _HUNDRED:
        raise MetricError(f"target {value}% is not between 0% and 100%")
    return window_seconds(window, calendar) * (_HUNDRED - value) / _HUNDRED


def format_downtime(seconds: Decimal) -> str:
    """Downtime for display, rounded to the nearest second (halves up): "43 min 50 s".

    Display only: the contract judges on the unrounded value, so showing
    2629.8 s as 43 min 50 s never changes whether a month is a breach.
    """
    return format_seconds(round_seconds(Decimal(seconds)))


# --- availability and reliability --------------------------------------------


def availability(agreed_seconds: Number, downtime_seconds: Number) -> Decimal:
    """ITIL availability in percent: (AST − DT) / AST × 100, unrounded."""
    agreed, down = Decimal(agreed_seconds), Decimal(downtime_seconds)
    if agreed <= 0:
        raise MetricError(f"agreed service time must be positive, got {agreed} s")
    if not _ZERO <= down <= agreed:
        raise MetricError(f"downtime {down} s must lie between 0 and the agreed {agreed} s")
    return (agreed - down) * _HUNDRED / agreed


def _fractions(parts: Iterable[PercentLike]) -> list[Decimal]:
    values = [_pct(part) / _HUNDRED for part in parts]
    if not values:
        raise MetricError("no components given: composite availability needs at least one")
    if any(not _ZERO <= value <= 1 for value in values):
        raise MetricError("component availabilities must lie between 0% and 100%")
    return values


def serial_availability(parts: Iterable[PercentLike]) -> Decimal:
    """Components that all must work: A = A1 × A2 × … (three at 99.95 % → 99.85 %)."""
    product = Decimal(1)
    for value in _fractions(parts):
        product *= value
    return product * _HUNDRED


def parallel_availability(parts: Iterable[PercentLike]) -> Decimal:
    """Redundant components, one suffices: A = 1 − Π(1 − Ai) (two at 99.5 % → 99.9975 %)."""
    failing = Decimal(1)
    for value in _fractions(parts):
        failing *= 1 - value
    return (1 - failing) * _HUNDRED


def _per_failure(total: Number, failures: int, what: str) -> Decimal:
    if failures < 1:
        raise MetricError(f"{what} needs at least one failure, got {failures}")
    if Decimal(total) < 0:
        raise MetricError(f"{what} needs a time of at least 0 s, got {total}")
    return Decimal(total) / failures


def mtbf(uptime_seconds: Number, failures: int) -> Decimal:
    """Mean time between failures: operating (up) time ÷ number of failures."""
    return _per_failure(uptime_seconds, failures, "MTBF")


def mttr(downtime_seconds: Number, failures: int) -> Decimal:
    """Mean time to restore: downtime ÷ number of failures (the SLA must say which 'R')."""
    return _per_failure(downtime_seconds, failures, "MTTR")


def steady_state_availability(mtbf_seconds: Number, mttr_seconds: Number) -> Decimal:
    """MTBF ÷ (MTBF + MTTR) in percent: links reliability to availability."""
    up, down = Decimal(mtbf_seconds), Decimal(mttr_seconds)
    if up < 0 or down < 0 or up + down == 0:
        raise MetricError(f"MTBF {up} s and MTTR {down} s must be >= 0 and not both 0")
    return up * _HUNDRED / (up + down)


# --- credit schedules --------------------------------------------------------


def _bound(value: Decimal) -> str:
    """A band bound with at least one decimal place: 99.0%, 99.95%, 0.0%."""
    text = f"{value.normalize():f}"
    return f"{text}%" if "." in text else f"{text}.0%"


@record
class CreditBand:
    """Credit for attainment in the half-open range [at_least, below)."""

    at_least: Percent
    below: Percent
    credit: Percent

    def contains(self, attained: PercentLike) -> bool:
        return self.at_least.value <= _pct(attained) < self.below.value

    def label(self) -> str:
        return f"{_bound(self.at_least.value)}\u2013{_bound(self.below.value)}"


def bands_from_thresholds(steps: Iterable[tuple[Percent, Percent]]) -> list[CreditBand]:
    """Bands from "below X: credit Y" steps; each reaches down to the next, the last to 0%.

    `[(99.9%, 10%), (99.0%, 25%), (95.0%, 100%)]` gives [99.0, 99.9) 10 %,
    [95.0, 99.0) 25 % and [0, 95.0) 100 %, the agreement file's short form.
    """
    ordered = sorted(steps, key=lambda step: step[0].value, reverse=True)
    floors = [below for below, _ in ordered[1:]] + [Percent(_ZERO)]
    return [CreditBand(floor, below, credit)
            for (below, credit), floor in zip(ordered, floors, strict=True)]


def _describe(position: int, band: CreditBand) -> str:
    return f"band {position} ({band.label()})"


def check_schedule(
    bands: Sequence[CreditBand], target: Percent, cap: Percent | None = None
) -> list[str]:
    """Problems in a credit schedule, each naming the bands by 1-based position and range.

    A sound schedule has half-open bands that cover [0 %, target) exactly once,
    lie below the target, and pay more as service gets worse (domain.md L15).
    """
    if not bands:
        return [f"the schedule has no bands: service below the target {target} earns no credit"]
    numbered = list(enumerate(bands, start=1))
    problems = [text for n, band in numbered for text in _band_problems(n, band, target, cap)]
    usable = [(n, band) for n, band in numbered if band.at_least.value < band.below.value]
    ordered = sorted(usable, key=lambda item: (item[1].below.value, item[1].at_least.value),
                     reverse=True)
    problems += _overlaps(usable)
    problems += _gaps(ordered, target.value)
    problems += _falling_credits(ordered)
    return problems


def _band_problems(n: int, band: CreditBand, target: Percent, cap: Percent | None) -> list[str]:
    low, high, name = band.at_least.value, band.below.value, _describe(n, band)
    problems = []
    if low >= high:
        problems.append(f"{name} is empty: its lower bound {_bound(low)} must be below "
                        f"its upper bound {_bound(high)} (bands are at_least–below)")
    if low < 0 or high > _HUNDRED:
        problems.append(f"{name} reaches outside 0%–100%")
    if high > target.value:
        problems.append(f"{name} reaches above the target {_bound(target.value)}: "
                        "credits are only due below the target")
    if band.credit.value < 0:
        problems.append(f"{name} gives a negative credit {band.credit}")
    if cap is not None and band.credit.value > cap.value:
        problems.append(f"{name} gives {band.credit} but credits are capped at {cap}")
    return problems


def _overlaps(usable: list[tuple[int, CreditBand]]) -> list[str]:
    problems = []
    for index, (n, first) in enumerate(usable):
        for m, second in usable[index + 1:]:
            low = max(first.at_least.value, second.at_least.value)
            high = min(first.below.value, second.below.value)
            if low < high:
                problems.append(f"bands {n} ({first.label()}) and {m} ({second.label()}) "
                                f"overlap between {_bound(low)} and {_bound(high)}")
    return problems


def _gaps(ordered: list[tuple[int, CreditBand]], target: Decimal) -> list[str]:
    """Walk down from the target; every stretch no band covers is a gap."""
    problems: list[str] = []
    covered, last = target, None
    for n, band in ordered:
        top = min(band.below.value, target)
        if top < covered:
            after = f"band {last} (from {_bound(covered)})" if last else (
                f"the target {_bound(target)}")
            problems.append(f"gap between {after} and band {n} (below {_bound(top)}): "
                            f"{_bound(top)}–{_bound(covered)} has no credit")
        if band.at_least.value < covered:
            covered, last = band.at_least.value, n
    if covered > 0 and last is None:
        problems.append(f"no band lies below the target: 0.0%–{_bound(covered)} has no credit")
    elif covered > 0:
        problems.append(f"the bottom band {last} (from {_bound(covered)}) does not reach 0%: "
                        f"0.0%–{_bound(covered)} has no credit")
    return problems


def _falling_credits(ordered: list[tuple[int, CreditBand]]) -> list[str]:
    problems = []
    for (n, upper), (m, lower) in zip(ordered, ordered[1:], strict=False):
        if lower.credit.value < upper.credit.value:
            problems.append(
                f"credit does not grow as service gets worse: {_describe(m, lower)} gives "
                f"{lower.credit} but {_describe(n, upper)} gives {upper.credit}"
            )
    return problems


def credit_for(attained: PercentLike, bands: Iterable[CreditBand]) -> Percent:
    """Credit for an attainment, judged on the unrounded value (99.8996 % breaches 99.9 %).

    Outside every band the credit is 0 %.  Should bands overlap (a schedule
    error `check_schedule` reports), the higher credit applies: an ambiguous
    contract is read against the party that wrote the schedule.
    """
    credits = [band.credit for band in bands if band.contains(attained)]
    return max(credits, key=lambda credit: credit.value, default=Percent(_ZERO))


def apply_cap(credits: Percent | Iterable[Percent], cap: Percent | None) -> Percent:
    """Total credit for a period, limited to the cap (no cap: the plain sum)."""
    items = [credits] if isinstance(credits, Percent) else list(credits)
    total = sum((credit.value for credit in items), _ZERO)
    if cap is not None and total > cap.value:
        total = cap.value
    return Percent(total)


def monthly_credit(fee: Money, credit: Percent) -> Money:
    """Credit as money: fee × credit, exact (`format_money` rounds cents half up)."""
    return Money(fee.amount * credit.value / _HUNDRED, fee.currency)


def outage_scenario_credit(
    target: Percent,
    bands: Iterable[CreditBand],
    cap: Percent | None,
    outages: Iterable[Number],
    month: Window = "month",
    calendar: BusinessCalendar | None = None,
) -> tuple[Decimal, Percent]:
    """(attainment %, credit) if these outages (seconds) happened in one month.

    For the negotiation workbook: three 40-minute outages in an average month
    give 99.726 % and, on the usual schedule, a 10 % credit.
    """
    down = sum((Decimal(seconds) for seconds in outages), _ZERO)
    attained = availability(window_seconds(month, calendar), down)
    if attained >= target.value:
        return attained, Percent(_ZERO)
    return attained, apply_cap(credit_for(attained, bands), cap)


def earn_back_eligible(history: Sequence[bool], months_required: int) -> bool:
    """Whether a credit is earned back.

    Rule: `history` lists, oldest first, whether the target was met in each
    month *after* the credited month.  The credit is earned back only when
    each of the first `months_required` of those months met the target; one
    miss in that look-forward period forfeits the earn-back for good (it
    does not restart), so earn-back cannot hollow out the regime (L18).
    """
    if months_required < 1:
        raise MetricError(f"earn-back needs at least 1 look-forward month, got {months_required}")
    return len(history) >= months_required and all(history[:months_required])


# --- OLA derivation ----------------------------------------------------------


def chain_fits(
    budgets_seconds: Sequence[int], sla_seconds: int, margin: Percent
) -> tuple[int, int, int]:
    """(total, allowed, shortfall) of a chain of internal steps against an SLA time.

    allowed = SLA × (1 − margin), rounded down to a whole second so the chain
    must fit a little tighter, never looser; shortfall is 0 when it fits.
    """
    if sla_seconds <= 0:
        raise MetricError(f"the SLA time must be positive, got {sla_seconds} s")
    if not _ZERO <= margin.value < _HUNDRED:
        raise MetricError(f"margin {margin} must be at least 0% and below 100%")
    if any(budget < 0 for budget in budgets_seconds):
        raise MetricError("step budgets must not be negative")
    total = sum(budgets_seconds)
    exact = Decimal(sla_seconds) * (_HUNDRED - margin.value) / _HUNDRED
    allowed = int(exact.to_integral_value(rounding=ROUND_FLOOR))
    return total, allowed, max(0, total - allowed)


def downtime_budget_split(
    target: Percent, shares: Mapping[str, Percent], places: int | None = None
) -> dict[str, Percent]:
    """Component availability targets from shares of the SLA's downtime budget.

    Component i may use share_i of (100 % − target), so its target is
    100 % − share_i × (100 % − target).  Shares must add up to at most 100 %
    (the rest is margin); then the serial product still reaches the SLA.
    Each target is rounded UP (stricter) to `places` decimals, by default two
    more than the SLA target has: 99.9 % with an 18.5 % share is exactly
    99.9815 %, which becomes 99.982 %, never 99.981 %.
    """
    budget = _HUNDRED - target.value
    if not _ZERO < budget <= _HUNDRED:
        raise MetricError(f"target {target} leaves no downtime budget to share")
    total = sum((share.value for share in shares.values()), _ZERO)
    if total > _HUNDRED:
        raise MetricError(f"shares add up to {_bound(total)}: the components would use "
                          "more downtime than the SLA allows (at most 100%)")
    if any(share.value <= 0 for share in shares.values()):
        raise MetricError("every share must be above 0% (a 0% share demands 100% availability)")
    decimals = places if places is not None else _decimals(target.value) + 2
    quantum = Decimal(1).scaleb(-decimals)
    return {name: Percent((_HUNDRED - share.value * budget / _HUNDRED)
                          .quantize(quantum, rounding=ROUND_CEILING))
            for name, share in shares.items()}


def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0
