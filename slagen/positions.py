"""What a negotiated term is: its type, which way is better, and what a position means.

A term path (`services.crm.metrics.availability.target`) names a field of the
model; walking the model's annotations tells the unit of its value (a metric
target is a percentage or a duration by the metric's kind), so every value
typed in a workbook or at the terminal is parsed by the same unit parsers as
the agreement file.  On top of that: comparing positions, the gap between
them in practical terms (downtime a month rather than percentage points, as
domain.md §7.2 advises), and what each position means in practice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import types
import typing
from typing import Any, Literal

from .convert import field_docs
from .model import METRIC_KINDS, Agreement, Metric, Service
from .records import record
from .terms import TermPathError, split_term
from .units import (
    Duration,
    Money,
    Percent,
    UnitError,
    parse_duration,
    parse_money,
    parse_percent,
)

__all__ = ["CADENCES", "TermInfo", "parse_value", "same_value", "term_info", "yaml_value"]

Unit = Literal["percent", "duration", "money", "choice", "int", "bool", "date", "text"]
_UNIT_TYPES: tuple[tuple[type, Unit], ...] = (
    (Percent, "percent"), (Duration, "duration"), (Money, "money"))
_SCALARS: dict[Any, Unit] = {int: "int", bool: "bool", dt.date: "date", str: "text"}

# Which way is better *for the customer*, for terms that are not metric targets.
# True: higher is better; False: lower is better.  First matching pattern wins.
_DIRECTIONS: tuple[tuple[str, bool], ...] = (
    ("credits.cap", True), ("credits.schedule.*.credit", True), ("credits.flat.*.credit", True),
    ("credits.claim.within", True), ("credits.earn_back.months", True),
    ("credits.start_after_months", False), ("exceptions.maintenance.notice", True),
    ("exceptions.maintenance.emergency_notice", True),
    ("exceptions.maintenance.monthly_allowance", False), ("termination.notice", False),
    ("termination.for_cause_cure", False), ("change.adverse_notice", True),
    ("reporting.due_within", False), ("reporting.dispute_within", True),
    ("escalation.*.after", False), ("responsibilities.customer.*.by", True),
    ("agreement.review", False), ("review.service_review", False), ("reporting.cadence", False),
    ("services.*.metrics.*.compliance", True), ("services.*.metrics.*.maximum", False),
)
# Cadences ordered by interval: "lower" is more frequent.
CADENCES = ("weekly", "monthly", "quarterly", "semi-annually", "annually")


@record
class TermInfo:
    """A negotiable term as the model sees it."""

    term: str
    description: str
    unit: Unit
    choices: tuple[str, ...] = ()
    higher_is_better: bool | None = None
    metric: Metric | None = None
    service: Service | None = None
    is_target: bool = False  # the metric's target (or a tier's), not another metric field

    @property
    def direction(self) -> str:
        return {True: "higher", False: "lower", None: ""}[self.higher_is_better]

    @property
    def is_availability(self) -> bool:
        return self.is_target and self.metric is not None and \
            self.metric.kind == "availability"


def term_info(agreement: Agreement, term: str) -> TermInfo:
    """Describe the value at `term`; `TermPathError` if it names no single value."""
    parents, tp, tail = _walk(agreement, term)
    metric = next((p for p in reversed(parents) if isinstance(p, Metric)), None)
    service = next((p for p in reversed(parents) if isinstance(p, Service)), None)
    is_target = metric is not None and parents[-1] is metric and tail[0] in ("target",
                                                                             "targets")
    if is_target and metric is not None:
        kind = METRIC_KINDS[metric.kind]
        unit: Unit = kind.unit
        choices: tuple[str, ...] = ()
        better: bool | None = kind.higher_is_better
    else:
        unit, choices = _unit_of(tp, term)
        better = _direction(term)
    return TermInfo(term, _describe(term, parents, tail, is_target, agreement), unit,
                    choices, better, metric, service, is_target)


def _walk(agreement: Agreement, term: str) -> tuple[list[Any], Any, list[str]]:
    """Objects along the path, the annotated type at its end, and the parts after the
    last dataclass (e.g. ['targets', 'gold'])."""
    node: Any = agreement
    tp: Any = Agreement
    parents: list[Any] = []
    tail: list[str] = []
    walked = "the agreement"
    for part in split_term(term):
        tp = _optional_inner(tp)
        origin = typing.get_origin(tp)
        if dataclasses.is_dataclass(tp):
            hints = {f.name: hint for f, hint in field_docs(tp)}
            if part not in hints:
                raise TermPathError(f"'{walked}' has no field '{part}' (it has: "
                                    f"{', '.join(hints)})")
            parents.append(node)
            tp, node, tail = hints[part], getattr(node, part, None), [part]
        elif origin is list:
            tp, node = typing.get_args(tp)[0], _item(node, part, walked)
            tail.append(part)
        elif origin is dict:
            tp, node = typing.get_args(tp)[1], (node or {}).get(part)
            if node is None:
                raise TermPathError(f"'{walked}' has no '{part}'")
            tail.append(part)
        else:
            raise TermPathError(f"'{walked}' is a single value; '{part}' cannot follow it")
        walked = part if walked == "the agreement" else f"{walked}.{part}"
    return parents, tp, tail


def _item(items: Any, part: str, walked: str) -> Any:
    for item in items or []:
        if part in (str(getattr(item, "id", None)), str(getattr(item, "level", None))):
            return item
    if part.isdigit() and 1 <= int(part) <= len(items or []):
        return items[int(part) - 1]
    raise TermPathError(f"'{walked}' has no item '{part}'")


def _optional_inner(tp: Any) -> Any:
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) in (typing.Union, types.UnionType) and len(args) == 1:
        return args[0]
    return tp


def _unit_of(tp: Any, term: str) -> tuple[Unit, tuple[str, ...]]:
    tp = _optional_inner(tp)
    union = typing.get_origin(tp) in (typing.Union, types.UnionType)
    options = [a for a in typing.get_args(tp) if a is not type(None)] if union else [tp]
    choices = tuple(str(c) for o in options if typing.get_origin(o) is Literal
                    for c in typing.get_args(o))
    for unit_type, name in _UNIT_TYPES:
        if unit_type in options:
            return name, choices
    if choices:
        return "choice", choices
    if len(options) == 1 and options[0] in _SCALARS:
        return _SCALARS[options[0]], ()
    raise TermPathError(f"'{term}' is a section, not a single value; name one of its fields")


def _direction(term: str) -> bool | None:
    parts = split_term(term)
    for pattern, better in _DIRECTIONS:
        wanted = pattern.split(".")
        if len(wanted) == len(parts) and all(w in ("*", p) for w, p in zip(wanted, parts,
                                                                             strict=True)):
            return better
    return None


def _describe(term: str, parents: list[Any], tail: list[str], is_target: bool,
              agreement: Agreement) -> str:
    """Words a reader recognises: 'Hosted CRM: Availability target (Gold)'."""
    metric = next((p for p in reversed(parents) if isinstance(p, Metric)), None)
    service = next((p for p in reversed(parents) if isinstance(p, Service)), None)
    if is_target and metric is not None and service is not None:
        tier = next((t.name for t in agreement.tiers if len(tail) > 1 and t.id == tail[1]),
                    tail[-1] if len(tail) > 1 else "")
        return f"{service.name}: {metric.title} target" + (f" ({tier})" if tier else "")
    owner = parents[-1]
    docs = {f.name: f.metadata.get("doc", "") for f, _ in field_docs(type(owner))}
    text = (docs.get(tail[0]) or tail[0]).rstrip(".")
    label = re.sub(r"(?<!^)([A-Z])", r" \1", type(owner).__name__).capitalize()
    if isinstance(owner, Agreement) or label == "Agreement meta":
        label = "Agreement"
    elif type(owner).__name__ == "CreditBand":
        label = f"Credit band {split_term(term)[-2]}"
    elif metric is not None and service is not None:
        label = f"{service.name}: {metric.title}"
    return f"{label}: {text[:1].lower()}{text[1:]}"


# --- values ------------------------------------------------------------------


def parse_value(info: TermInfo, raw: object) -> Any:
    """The value as the agreement file's parsers read it; `UnitError` says what is wrong."""
    text = str(raw).strip()
    if not text:
        raise UnitError(f"an empty value is not {_expected(info)}")
    if text in info.choices:
        return text
    if info.unit == "percent":
        return parse_percent(text)
    if info.unit == "duration":
        return parse_duration(text)
    if info.unit == "money":
        return parse_money(text)
    if info.unit == "int":
        if not re.fullmatch(r"\d+", text):
            raise UnitError(f"'{text}' is not a whole number (e.g. 3)")
        return int(text)
    if info.unit == "bool":
        if text not in ("true", "false"):
            raise UnitError(f"'{text}' is not true or false")
        return text == "true"
    if info.unit == "date":
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise UnitError(f"'{text}' is not a date (YYYY-MM-DD)") from None
    if info.unit == "choice":
        raise UnitError(f"'{text}' is not one of: {', '.join(info.choices)}")
    return text


def _expected(info: TermInfo) -> str:
    return {"percent": "a percentage (e.g. 99.9%)", "duration": "a duration (e.g. 4h)",
            "money": "an amount (e.g. EUR 12,000)", "int": "a whole number",
            "bool": "true or false", "date": "a date (YYYY-MM-DD)",
            "choice": "one of: " + ", ".join(info.choices)}.get(info.unit, "a value")


def yaml_value(info: TermInfo, text: str) -> Any:
    """What to write in the agreement file: whole numbers stay numbers, the rest text."""
    value = parse_value(info, text)
    return value if isinstance(value, int) else str(text).strip()


def same_value(info: TermInfo, a: object, b: object) -> bool:
    """Equal in meaning: 99.90% is 99.9%, 1 week is 7 days."""
    if a is None or b is None or str(a).strip() == "" or str(b).strip() == "":
        return (a is None or str(a).strip() == "") and (b is None or str(b).strip() == "")
    try:
        return bool(parse_value(info, a) == parse_value(info, b))
    except UnitError:
        return str(a).strip() == str(b).strip()
