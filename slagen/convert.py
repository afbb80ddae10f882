"""Typed conversion of YAML data into the frozen model classes.

One generic walker reads the dataclass annotations of `model`, so a new field
needs no new loading code.  It never stops at the first problem: each bad
value becomes a `Diagnostic` with the file, line, field path and a fix, and
conversion goes on with the rest.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import types
import typing
from collections.abc import Callable
from typing import Any, Literal

from .errors import Diagnostic
from .units import Duration, Money, Percent, UnitError, parse_duration, parse_money, parse_percent
from .yamlsrc import Path_, SourceMap, format_path

__all__ = ["INVALID", "Converter", "field_docs", "type_hints"]


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()

_UNIT_PARSERS: dict[type, Callable[[object], Any]] = {
    Percent: parse_percent,
    Duration: parse_duration,
    Money: parse_money,
}
_HINT_CACHE: dict[type, dict[str, Any]] = {}


def type_hints(cls: type) -> dict[str, Any]:
    """Resolved annotations of a model class (cached)."""
    if cls not in _HINT_CACHE:
        _HINT_CACHE[cls] = typing.get_type_hints(cls)
    return _HINT_CACHE[cls]


def field_docs(cls: type) -> list[tuple[dataclasses.Field, Any]]:
    """Public fields of a model class with their resolved types."""
    hints = type_hints(cls)
    return [(f, hints[f.name]) for f in dataclasses.fields(cls)
            if f.metadata.get("doc") is not None]


def describe_type(tp: Any) -> str:
    """Words for what a field expects, used in messages."""
    origin = typing.get_origin(tp)
    if tp in (str,):
        return "text"
    if tp is int:
        return "a whole number"
    if tp is bool:
        return "true or false"
    if tp is Percent:
        return "a percentage (e.g. 99.9%)"
    if tp is Duration:
        return "a duration (e.g. 15min, 4h, 2 business days)"
    if tp is Money:
        return "an amount of money (e.g. EUR 12,000)"
    if tp is dt.date:
        return "a date (YYYY-MM-DD)"
    if origin is list:
        return "a list"
    if origin is dict or (dataclasses.is_dataclass(tp) and tp not in _UNIT_PARSERS):
        return "a mapping (key: value)"
    if origin is Literal:
        return "one of " + ", ".join(map(str, typing.get_args(tp)))
    if origin in (typing.Union, types.UnionType):
        return " or ".join(describe_type(a) for a in typing.get_args(tp) if a is not type(None))
    return str(tp)


def _kind_of(raw: Any) -> str:
    if raw is None:
        return "nothing"
    if isinstance(raw, bool):
        return "a boolean"
    if isinstance(raw, int | float):
        return "a number"
    if isinstance(raw, str):
        return "text"
    if isinstance(raw, list):
        return "a list"
    return "a mapping"


class Converter:
    """Converts raw YAML values to model objects, collecting diagnostics."""

    def __init__(self, sourcemap: SourceMap) -> None:
        self.source = sourcemap
        self.diagnostics: list[Diagnostic] = []
        self.labels: dict[Path_, str] = sourcemap.labels

    # -- reporting ---------------------------------------------------------

    def error(self, path: Path_, message: str, code: str, hint: str = "",
              severity: str = "error") -> None:
        line, column = self.source.locate(path)
        self.diagnostics.append(Diagnostic(self.source.file, line, column, self.where(path),
                                           message, code, severity, hint))

    def where(self, path: Path_) -> str:
        return format_path(path, self.labels)

    def raw_text(self, path: Path_, raw: Any) -> str:
        return self.source.raw.get(path, str(raw))

    # -- conversion --------------------------------------------------------

    def convert(self, tp: Any, raw: Any, path: Path_) -> Any:
        origin = typing.get_origin(tp)
        if origin in (typing.Union, types.UnionType):
            return self._union(tp, raw, path)
        if raw is None:
            self.error(path, f"has no value; expected {describe_type(tp)}", "agreement.missing")
            return INVALID
        if origin is Literal:
            return self._literal(tp, raw, path)
        if origin is list:
            return self._list(typing.get_args(tp)[0], raw, path)
        if origin is dict:
            return self._dict(typing.get_args(tp)[1], raw, path)
        if tp in _UNIT_PARSERS:
            return self._unit(tp, raw, path)
        if dataclasses.is_dataclass(tp):
            return self.dataclass(tp, raw, path)
        return self._scalar(tp, raw, path)

    def _union(self, tp: Any, raw: Any, path: Path_) -> Any:
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        if raw is None:
            if len(options) < len(typing.get_args(tp)):
                return None
            self.error(path, f"has no value; expected {describe_type(tp)}", "agreement.missing")
            return INVALID
        if len(options) == 1:
            return self.convert(options[0], raw, path)
        saved = len(self.diagnostics)
        for option in options:
            value = self.convert(option, raw, path)
            if value is not INVALID:
                del self.diagnostics[saved:]
                return value
        first = self.diagnostics[saved]
        del self.diagnostics[saved:]
        self.diagnostics.append(first)
        return INVALID

    def _literal(self, tp: Any, raw: Any, path: Path_) -> Any:
        choices = typing.get_args(tp)
        if raw in choices and isinstance(raw, str | int) and not isinstance(raw, bool):
            return raw
        text = self.raw_text(path, raw)
        close = difflib.get_close_matches(text, [str(c) for c in choices], n=1)
        hint = f"did you mean '{close[0]}'?" if close else ""
        self.error(path, f"'{text}' is not one of: {', '.join(map(str, choices))}",
                   "agreement.choice", hint)
        return INVALID

    def _list(self, item_tp: Any, raw: Any, path: Path_) -> Any:
        if not isinstance(raw, list):
            self.error(path, f"expected a list, got {_kind_of(raw)}", "agreement.type",
                       "write one '- item' per line")
            return INVALID
        seen: dict[str, int] = {}
        out = []
        for i, item in enumerate(raw):
            label = _item_label(item)
            if label is not None:
                self.labels[(*path, i)] = label
                if label in seen:
                    self.error((*path, i), f"id '{label}' is used twice (also item "
                               f"{seen[label] + 1})", "agreement.duplicate-id",
                               "give every item its own id")
                seen.setdefault(label, i)
            out.append(self.convert(item_tp, item, (*path, i)))
        return INVALID if INVALID in out else out

    def _dict(self, value_tp: Any, raw: Any, path: Path_) -> Any:
        if not isinstance(raw, dict):
            self.error(path, f"expected a mapping (name: value), got {_kind_of(raw)}",
                       "agreement.type")
            return INVALID
        out = {}
        for key, value in raw.items():
            converted = self.convert(value_tp, value, (*path, key))
            if dataclasses.is_dataclass(value_tp) and "id" in type_hints(value_tp) and \
                    converted is not INVALID:
                converted = dataclasses.replace(converted, id=key)
            out[key] = converted
        return INVALID if INVALID in out.values() else out

    def dataclass(self, cls: Any, raw: Any, path: Path_,
                  overrides: dict[str, Callable[[Any, Path_], Any]] | None = None) -> Any:
        shorthand = getattr(cls, "shorthand", None)
        if shorthand is not None:
            raw = shorthand(raw)
        if not isinstance(raw, dict):
            self.error(path, f"expected {describe_type(cls)}, got {_kind_of(raw)}",
                       "agreement.type", _expected_keys_hint(cls))
            return INVALID
        hints = type_hints(cls)
        fields = {f.name: f for f in dataclasses.fields(cls) if f.metadata.get("doc") is not None}
        for key in raw:
            if key not in fields:
                close = difflib.get_close_matches(str(key), list(fields), n=1)
                hint = f"did you mean '{close[0]}'?" if close else _expected_keys_hint(cls)
                self.error((*path, key), f"unknown field '{key}'", "agreement.unknown-field", hint)
        values: dict[str, Any] = {}
        ok = True
        for name, fld in fields.items():
            child = (*path, name)
            if name not in raw:
                if fld.default is dataclasses.MISSING and \
                        fld.default_factory is dataclasses.MISSING:
                    self.error(path, f"missing required field '{name}': "
                               f"{fld.metadata['doc'].rstrip('.')}", "agreement.required",
                               _example_hint(name, fld))
                    ok = False
                continue
            if overrides and name in overrides:
                value = overrides[name](raw[name], child)
            else:
                value = self.convert(hints[name], raw[name], child)
            required = fld.default is dataclasses.MISSING and \
                fld.default_factory is dataclasses.MISSING
            if required and value == "":
                self.error(child, "is empty; this field needs a value", "agreement.empty",
                           _example_hint(name, fld))
                value = INVALID
            if value is INVALID:
                ok = False
            else:
                values[name] = value
        if not ok:
            return INVALID
        return cls(**values)

    def _unit(self, tp: type, raw: Any, path: Path_) -> Any:
        try:
            return _UNIT_PARSERS[tp](raw)
        except UnitError as exc:
            self.error(path, str(exc), "agreement.unit")
            return INVALID

    def _scalar(self, tp: Any, raw: Any, path: Path_) -> Any:
        if tp is str:
            if isinstance(raw, bool):
                self.error(path, f"expected text, got the boolean {str(raw).lower()}",
                           "agreement.type", "put the text in quotes")
                return INVALID
            if isinstance(raw, int | float):
                return self.raw_text(path, raw)
            if isinstance(raw, str):
                return raw.strip()
        elif tp is int:
            if isinstance(raw, int) and not isinstance(raw, bool):
                return raw
        elif tp is bool:
            if isinstance(raw, bool):
                return raw
            text = self.raw_text(path, raw)
            self.error(path, f"'{text}' is not true or false", "agreement.type",
                       "write true or false (yes/no/on/off are not accepted)")
            return INVALID
        elif tp is dt.date:
            return self._date(raw, path)
        self.error(path, f"expected {describe_type(tp)}, got {_kind_of(raw)} "
                   f"'{self.raw_text(path, raw)}'", "agreement.type")
        return INVALID

    def _date(self, raw: Any, path: Path_) -> Any:
        text = self.raw_text(path, raw)
        try:
            if isinstance(raw, str) and len(raw) == 10:
                return dt.date.fromisoformat(raw)
        except ValueError as exc:
            self.error(path, f"'{text}' is not a real date ({exc})", "agreement.date",
                       "write a date that exists, as YYYY-MM-DD")
            return INVALID
        self.error(path, f"'{text}' is not a date", "agreement.date",
                   "write it as YYYY-MM-DD, e.g. 2027-01-01")
        return INVALID


def _item_label(item: Any) -> str | None:
    if isinstance(item, dict):
        for key in ("id", "term", "metric", "level"):
            value = item.get(key)
            if isinstance(value, str | int) and not isinstance(value, bool):
                return str(value)
    return None


def _expected_keys_hint(cls: Any) -> str:
    names = [f.name for f in dataclasses.fields(cls) if f.metadata.get("doc") is not None]
    return "expected fields: " + ", ".join(names)


def _example_hint(name: str, fld: dataclasses.Field) -> str:
    example = fld.metadata.get("example")
    return f"e.g. {name}: {example}" if example is not None else ""
