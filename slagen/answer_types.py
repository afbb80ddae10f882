"""Answer types and validators of the interview, shared by typed and supplied answers.

An answer reaches the interview in three ways: typed at a prompt, read from
an `--answers` file or a resumed file, or given with `--set`.  All three go
through `coerce()`, which reuses the parsers of `units` and `calendar`, so a
value refused at the prompt is refused in a file with the same reason, and a
value accepted anywhere is exactly what `slagen check` accepts.

`coerce()` returns the value as it is stored in the agreement data (`99.9%`,
`4h`, `Mon-Fri 08:00-18:00`, `DE`, a list of strings ...) or `None` for "no
value" (an optional question left empty); it raises `AnswerError` with the
reason otherwise.  Named validators (`validate:` in the question file) run
after the type check and may look at earlier answers through `AnswerContext`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .calendar import CalendarError, parse_weekly_hours, validate_holiday_region, validate_timezone
from .units import UnitError, parse_duration, parse_money, parse_percent
from .yamlsrc import _bad_character

__all__ = ["TYPES", "VALIDATORS", "AnswerContext", "AnswerError", "as_text", "coerce"]


class AnswerError(ValueError):
    """An answer that cannot be used; the message says why and what would work."""


@dataclass
class AnswerContext:
    """What a validator may look at besides the value itself."""

    item: dict = field(default_factory=dict)          # the group item being answered
    siblings: Sequence[dict] = ()                       # the other items of that group
    choices: Sequence[Any] = ()                         # allowed values (select, checkbox)
    file_data: Callable[[], Any] = dict                 # the agreement so far, in file form
    minimum: int | None = None
    maximum: int | None = None
    item_type: str | None = None


_WINDOWS = ("month", "quarter", "year", "week")
_ROLLING = re.compile(r"^rolling\s+(\d+)\s+days?$")
_TRUE = {"true", "yes", "y"}
_FALSE = {"false", "no", "n"}


def _blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []


def _text(raw: Any) -> str:
    if isinstance(raw, bool | dict | list):
        raise AnswerError(f"expected text, got {raw!r}")
    text = re.sub(r"[ \t]+", " ", str(raw).strip())
    bad = _bad_character(text.replace("\n", " "))
    if bad:
        raise AnswerError(f"contains {bad}, which a document cannot hold; remove it")
    return text


def _unit(parse: Callable[[object], Any], raw: Any) -> Any:
    try:
        return parse(raw)
    except (UnitError, CalendarError) as exc:
        raise AnswerError(str(exc)) from None


def _percent(raw: Any, ctx: AnswerContext) -> str:
    _unit(parse_percent, raw if isinstance(raw, str) else str(raw))
    return re.sub(r"\s+", "", str(raw))


def _duration(raw: Any, ctx: AnswerContext) -> str:
    _unit(parse_duration, raw)
    return _text(raw)


def _money(raw: Any, ctx: AnswerContext) -> str:
    _unit(parse_money, raw)
    return _text(raw)


def _date(raw: Any, ctx: AnswerContext) -> str:
    text = raw.isoformat() if isinstance(raw, dt.date) else _text(raw)
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise AnswerError(f"'{text}' is not a real date ({exc})") from None
    raise AnswerError(f"'{text}' is not a date: write it as YYYY-MM-DD, e.g. 2027-01-01")


def _hours(raw: Any, ctx: AnswerContext) -> str:
    text = _text(raw)
    if text.lower() in ("24x7", "24/7"):
        return "24x7"
    _unit(parse_weekly_hours, text)
    return text


def _timezone(raw: Any, ctx: AnswerContext) -> str:
    text = _text(raw)
    _unit(validate_timezone, text)
    return text


def _country(raw: Any, ctx: AnswerContext) -> str:
    if isinstance(raw, bool):
        raise AnswerError(f"{raw!r} is not a country code: write it in quotes, e.g. 'NO'")
    return _unit(lambda text: validate_holiday_region(text)[0], _text(raw))


def _integer(raw: Any, ctx: AnswerContext) -> int:
    if isinstance(raw, bool) or not re.fullmatch(r"[+-]?\d+", str(raw).strip()):
        raise AnswerError(f"'{raw}' is not a whole number")
    value = int(str(raw).strip())
    if ctx.minimum is not None and value < ctx.minimum:
        raise AnswerError(f"{value} is too small: the least is {ctx.minimum}")
    if ctx.maximum is not None and value > ctx.maximum:
        raise AnswerError(f"{value} is too large: the most is {ctx.maximum}")
    return value


def _confirm(raw: Any, ctx: AnswerContext) -> bool:
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in _TRUE or text in _FALSE:
        return text in _TRUE
    raise AnswerError(f"'{raw}' is not yes or no (write true or false)")


def _select(raw: Any, ctx: AnswerContext) -> Any:
    for choice in ctx.choices:
        if raw == choice or (not isinstance(raw, bool) and str(raw) == str(choice)):
            return choice
    shown = ", ".join(str(c) for c in ctx.choices) or "none are available yet"
    raise AnswerError(f"'{raw}' is not one of: {shown}")


def _checkbox(raw: Any, ctx: AnswerContext) -> list:
    items = _split(raw) if isinstance(raw, str) else raw
    if not isinstance(items, list):
        raise AnswerError(f"expected a list, got {raw!r}")
    return [_select(item, ctx) for item in items]


def _split(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]


def _list(raw: Any, ctx: AnswerContext) -> list:
    items = _split(raw) if isinstance(raw, str) else raw
    if not isinstance(items, list):
        raise AnswerError(f"expected a list (separate items with ';'), got {raw!r}")
    if any(isinstance(item, dict | list) or item is None for item in items):
        raise AnswerError("every item of this list must be text")
    if ctx.item_type:
        inner = AnswerContext(choices=ctx.choices)
        return [coerce(ctx.item_type, item, inner) for item in items]
    return [_text(item) for item in items if str(item).strip()]


def _window(raw: Any, ctx: AnswerContext) -> Any:
    if isinstance(raw, dict):
        period = raw.get("period", "month")
        days = raw.get("days")
        if period == "rolling" and isinstance(days, int) and days > 0:
            return raw
        if period in _WINDOWS and days is None:
            return raw
        raise AnswerError(f"{raw!r} is not a window (e.g. month, or rolling 30 days)")
    text = _text(raw).lower()
    match = _ROLLING.match(text)
    if text in _WINDOWS or (match and int(match.group(1)) > 0):
        return text
    raise AnswerError(f"'{raw}' is not a measurement window: write month, quarter, year, week "
                      "or rolling 30 days")


_COERCERS: dict[str, Callable[[Any, AnswerContext], Any]] = {
    "text": lambda raw, ctx: raw if isinstance(raw, int | float) and not isinstance(
        raw, bool) else _text(raw),
    "select": _select,
    "checkbox": _checkbox,
    "confirm": _confirm,
    "percent": _percent,
    "duration": _duration,
    "money": _money,
    "date": _date,
    "hours": _hours,
    "timezone": _timezone,
    "country": _country,
    "integer": _integer,
    "list": _list,
    "window": _window,
}
TYPES = frozenset(_COERCERS)


def coerce(kind: str, raw: Any, ctx: AnswerContext, *, required: bool = True,
           validator: str | None = None) -> Any:
    """The stored form of `raw` for a question of type `kind`, or `AnswerError`."""
    listing = kind in ("list", "checkbox")
    needed = "give at least one item (separate items with ';')" if listing else \
        "an answer is needed here"
    if kind != "confirm" and _blank(raw):
        if required:
            raise AnswerError(needed)
        return None
    value = _COERCERS[kind](raw, ctx)
    if listing and not value:
        if required:
            raise AnswerError(needed)
        return None
    if validator is not None and value is not None:
        value = VALIDATORS[validator](value, ctx)
    return value


def as_text(kind: str, value: Any) -> str:
    """A stored value as a text prompt shows it for editing."""
    if value is None:
        return ""
    if kind in ("list", "checkbox") and isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if kind == "window" and isinstance(value, dict):
        if value.get("period") == "rolling":
            return f"rolling {value.get('days')} days"
        return str(value.get("period", "month"))
    return str(value)


# --- named validators --------------------------------------------------------

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def _identifier(value: Any, ctx: AnswerContext) -> Any:
    if not _ID_RE.match(str(value)):
        raise AnswerError(f"'{value}' is not an identifier: use letters, digits, '-', '.' or "
                          "'_', without spaces (e.g. crm or p1-response)")
    return value


def _unique_id(value: Any, ctx: AnswerContext) -> Any:
    _identifier(value, ctx)
    used = [s.get("id") for s in ctx.siblings if s is not ctx.item]
    if value in used:
        raise AnswerError(f"'{value}' is already used by another item; give each its own id")
    return value


def _email(value: Any, ctx: AnswerContext) -> Any:
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", str(value)):
        raise AnswerError(f"'{value}' is not an e-mail address (e.g. name@example.com)")
    return value


def _semver(value: Any, ctx: AnswerContext) -> Any:
    if not re.fullmatch(r"\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?", str(value)):
        raise AnswerError(f"'{value}' is not a version such as 1.0.0")
    return value


def _positive(value: Any, ctx: AnswerContext) -> Any:
    if str(value) in ("0%", "-0%"):
        raise AnswerError("a target of 0% commits to nothing; give a higher percentage")
    return value


def _band_bound(value: Any, ctx: AnswerContext) -> Any:
    if str(value).strip().lower() == "target":
        return "target"
    return _percent(value, ctx)


def _subdivision(value: Any, ctx: AnswerContext) -> Any:
    country = ctx.item.get("holidays")
    if not country:
        raise AnswerError("a holiday subdivision needs a holiday country first")
    return _unit(lambda text: validate_holiday_region(country, text)[1], str(value))


def _term_path(value: Any, ctx: AnswerContext) -> Any:
    from .terms import TermPathError, resolve_term

    try:
        resolve_term(ctx.file_data(), str(value))
    except TermPathError as exc:
        raise AnswerError(f"{exc}; name a value answered earlier, e.g. "
                          "services.crm.metrics.availability.target") from None
    return value


def _term_value(value: Any, ctx: AnswerContext) -> Any:
    """A negotiated value has the unit of the value it replaces."""
    from .terms import TermPathError, resolve_term

    try:
        current, _ = resolve_term(ctx.file_data(), str(ctx.item.get("term", "")))
    except TermPathError:
        return value
    if isinstance(current, int) and not isinstance(current, bool):
        return _integer(value, AnswerContext())
    for parse in (parse_percent, parse_duration, parse_money):
        try:
            parse(current)
        except UnitError:
            continue
        _unit(parse, value)
        return str(value).strip()
    return value


VALIDATORS: dict[str, Callable[[Any, AnswerContext], Any]] = {
    "identifier": _identifier,
    "unique_id": _unique_id,
    "email": _email,
    "semver": _semver,
    "positive": _positive,
    "band_bound": _band_bound,
    "subdivision": _subdivision,
    "term_path": _term_path,
    "term_value": _term_value,
}
