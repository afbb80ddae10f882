"""Values with units: percentages, durations and money.

A contract number must mean exactly what was written, so every value keeps
`Decimal` precision and formatting never rounds a promise up: `99.95%` stays
`99.95%`, never `100.0%`.  Parsers raise `UnitError` with a message that says
what a correct value looks like; the loader adds file, line and field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

__all__ = [
    "Duration",
    "Money",
    "Percent",
    "UnitError",
    "format_decimal",
    "parse_duration",
    "parse_money",
    "parse_percent",
]


class UnitError(ValueError):
    """A value that does not parse as the unit the field expects."""


def format_decimal(value: Decimal, places: int | None = None) -> str:
    """Plain notation without exponent; with `places`, truncate (never round up)."""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)
        return f"{value:f}"
    text = f"{value.normalize():f}"
    return text


# --- percentages -------------------------------------------------------------

_PERCENT_RE = re.compile(r"^\s*([+-]?\d+(?:\.\d+)?)\s*%\s*$")


@dataclass(frozen=True, order=True)
class Percent:
    """A percentage between 0 and 100, e.g. an availability target."""

    value: Decimal

    @property
    def fraction(self) -> Decimal:
        return self.value / 100

    def __str__(self) -> str:
        return f"{format_decimal(self.value)}%"


def parse_percent(raw: object) -> Percent:
    text = str(raw).strip()
    if isinstance(raw, bool):
        raise UnitError(f"{text!r} is not a percentage (e.g. 99.9%)")
    match = _PERCENT_RE.match(text)
    if not match:
        if re.fullmatch(r"[+-]?\d+(\.\d+)?", text):
            raise UnitError(f"'{text}' has no unit: write it as a percentage, e.g. {text}%")
        raise UnitError(f"'{text}' is not a percentage (e.g. 99.9%)")
    value = Decimal(match.group(1))
    if value < 0 or value > 100:
        raise UnitError(f"'{text}' is not a percentage between 0 and 100 (e.g. 99.9%)")
    return Percent(value)


# --- durations ---------------------------------------------------------------

_UNIT_SECONDS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "d": 86400, "day": 86400, "days": 86400,
    "w": 604800, "wk": 604800, "week": 604800, "weeks": 604800,
}
_PART_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(business\s+days?|business\s+hours?|[a-z]+)", re.I)
_CLOCK_RE = re.compile(r"^\s*(\d{1,3}):([0-5]\d)(?::([0-5]\d))?\s*$")


@dataclass(frozen=True, order=True)
class Duration:
    """A length of time.

    `business_days` counts whole business days of some calendar, which only the
    calendar can turn into hours; `seconds` counts clock time on whatever
    calendar the metric is measured on.  A duration uses one or the other.
    """

    seconds: int = 0
    business_days: int = 0

    @property
    def is_business_days(self) -> bool:
        return self.business_days > 0

    @property
    def minutes(self) -> Decimal:
        return Decimal(self.seconds) / 60

    def __str__(self) -> str:
        return format_duration(self)


def parse_duration(raw: object) -> Duration:
    if isinstance(raw, bool) or raw is None:
        raise UnitError(f"{raw!r} is not a duration (e.g. 15min, 4h, 2 business days)")
    if isinstance(raw, int | float):
        raise UnitError(
            f"'{raw}' has no unit: write a duration such as {raw}min, {raw}h or {raw} days"
        )
    text = str(raw).strip()
    hint = "(e.g. 15min, 4h, 1h 30min, 2 business days)"
    clock = _CLOCK_RE.match(text)
    if clock:
        raise UnitError(f"'{text}' is ambiguous: write {clock.group(1)}h {clock.group(2)}min")
    if not text:
        raise UnitError(f"an empty value is not a duration {hint}")
    pos, seconds, business_days = 0, Decimal(0), 0
    for match in _PART_RE.finditer(text):
        if text[pos:match.start()].strip(" ,") not in ("", "and"):
            raise UnitError(f"'{text}' is not a duration {hint}")
        number, unit = Decimal(match.group(1)), re.sub(r"\s+", " ", match.group(2).lower())
        if unit.startswith("business day"):
            if number != number.to_integral_value():
                raise UnitError(f"'{text}': business days must be whole days")
            business_days += int(number)
        elif unit.startswith("business hour"):
            seconds += number * 3600
        elif unit in _UNIT_SECONDS:
            seconds += number * _UNIT_SECONDS[unit]
        else:
            raise UnitError(f"'{text}': unknown unit '{unit}' {hint}")
        pos = match.end()
    if pos == 0 or text[pos:].strip():
        raise UnitError(f"'{text}' is not a duration {hint}")
    if business_days and seconds:
        raise UnitError(f"'{text}' mixes business days with clock time; use one of them")
    if seconds != seconds.to_integral_value():
        raise UnitError(f"'{text}' is not a whole number of seconds")
    if seconds == 0 and business_days == 0:
        raise UnitError(f"'{text}' is zero; a duration must be positive {hint}")
    return Duration(seconds=int(seconds), business_days=business_days)


def format_duration(duration: Duration) -> str:
    """Human form: `4 h`, `1 h 30 min`, `43 min 50 s`, `2 business days`."""
    if duration.business_days:
        n = duration.business_days
        return f"{n} business day" + ("" if n == 1 else "s")
    return format_seconds(duration.seconds)


def format_duration_words(duration: Duration) -> str:
    """Contract prose: `30 days`, `4 hours 30 minutes`, `2 Business Days`."""
    if duration.business_days:
        n = duration.business_days
        return f"{n} Business Day" + ("" if n == 1 else "s")
    parts, total = [], duration.seconds
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60), ("second", 1)):
        amount, total = divmod(total, size)
        if amount:
            parts.append(f"{amount} {unit}" + ("" if amount == 1 else "s"))
    return " ".join(parts)


def format_seconds(seconds: int | Decimal) -> str:
    """Seconds as days, hours, minutes and seconds; fractions of a second dropped."""
    total = int(Decimal(seconds).to_integral_value(rounding=ROUND_DOWN))
    if total == 0:
        return "0 s"
    parts = []
    for unit, size in (("d", 86400), ("h", 3600), ("min", 60), ("s", 1)):
        amount, total = divmod(total, size)
        if amount:
            parts.append(f"{amount} {unit}")
    return " ".join(parts)


def round_seconds(seconds: Decimal) -> int:
    """Nearest whole second, halves up."""
    return int(seconds.to_integral_value(rounding=ROUND_HALF_UP))


# --- money -------------------------------------------------------------------

_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "CHF": "CHF"}
_MONEY_RE = re.compile(
    r"^\s*(?:(?P<pre>[A-Z]{3}|[€$£¥])\s*)?"
    r"(?P<num>\d{1,3}(?:[,\u202f ]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"\s*(?P<post>[A-Z]{3}|[€$£¥])?\s*$"
)


@dataclass(frozen=True, order=True)
class Money:
    """An amount in one ISO 4217 currency."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return format_money(self)


def parse_money(raw: object) -> Money:
    text = str(raw).strip()
    hint = "(e.g. EUR 12,000 or 450.00 USD)"
    match = _MONEY_RE.match(text)
    if isinstance(raw, bool) or not match:
        raise UnitError(f"'{text}' is not an amount of money {hint}")
    pre, post = match.group("pre"), match.group("post")
    if pre and post:
        raise UnitError(f"'{text}' names the currency twice {hint}")
    if not (pre or post):
        raise UnitError(f"'{text}' has no currency {hint}")
    code = _SYMBOLS.get(pre or post, pre or post)
    try:
        amount = Decimal(re.sub(r"[,\u202f ]", "", match.group("num")))
    except InvalidOperation as exc:  # pragma: no cover - regex guarantees digits
        raise UnitError(f"'{text}' is not an amount of money {hint}") from exc
    return Money(amount, code)


def format_money(money: Money) -> str:
    """`EUR 12,000.00`: code first, thousands separated, cents kept."""
    places = 0 if money.currency == "JPY" else 2
    quantum = Decimal(1).scaleb(-places)
    amount = money.amount.quantize(quantum, rounding=ROUND_HALF_UP)
    return f"{money.currency} {amount:,.{places}f}"
