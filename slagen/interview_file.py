"""The interview's file: partial agreement data plus a progress record, saved atomically.

While the interview runs, FILE holds the answers so far in the agreement
format, plus a top-level `interview:` record that `--resume` reads: which
answers were given, which group decisions were taken, what must be asked
again after a change on the review screen.  The record keeps the half-done
file self-contained (one atomic write, nothing to get out of step), and the
finished file drops it, so what is left passes `slagen check`.

YAML is written so that slagen's strict loader reads back exactly what was
written (no aliases, dates as plain text) and so that it looks like the
hand-written examples: block style, small mappings on one line.
"""

from __future__ import annotations

import dataclasses
import json
import re
import types
import typing
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .answers import Key, format_key, parse_key
from .convert import type_hints
from .errors import Diagnostic, InputError
from .model import Agreement
from .output import write_new_file
from .yamlsrc import load_yaml_file

__all__ = ["Progress", "agreement_text", "load_progress", "quick_yaml", "save_progress",
           "strip_empty"]

RECORD = "interview"
TOP_ORDER = ("slagen", "agreement", "parties", "levels", "calendars", "tiers", "priorities",
             "definitions", "services", "responsibilities", "escalation", "credits",
             "exceptions", "reporting", "review", "change", "termination", "teams",
             "suppliers", "ola", "negotiation", "variants")


@dataclass
class Progress:
    """Where the interview stands, beyond the answers themselves."""

    answered: set[Key] = field(default_factory=set)     # questions and decisions taken
    decisions: dict[Key, bool] = field(default_factory=dict)
    stale: set[Key] = field(default_factory=set)        # to ask again (review changes)
    sealed: set[Key] = field(default_factory=set)       # supplied complete by --answers
    status: str = "asking"                              # asking | review
    profile: str | None = None
    questions: str | None = None                        # a custom question file
    next: str = ""                                      # first unanswered (for people)

    def record(self) -> dict:
        out: dict[str, Any] = {"status": self.status}
        if self.next:
            out["next"] = self.next
        if self.profile:
            out["profile"] = self.profile
        if self.questions:
            out["questions"] = self.questions
        out["answered"] = sorted(format_key(k) for k in self.answered)
        out["decisions"] = {format_key(k): v for k, v in sorted(
            self.decisions.items(), key=lambda kv: format_key(kv[0]))}
        for name in ("stale", "sealed"):
            keys = getattr(self, name)
            if keys:
                out[name] = sorted(format_key(k) for k in keys)
        return out

    @classmethod
    def from_record(cls, raw: Any, file: str) -> Progress:
        if not isinstance(raw, dict):
            raise InputError(diagnostics=[Diagnostic(file, 0, 0, RECORD, "the progress record "
                                                     "is not a mapping", "interview.progress")])
        try:
            return cls(
                answered={parse_key(k) for k in raw.get("answered") or []},
                decisions={parse_key(k): v is True for k, v in
                           (raw.get("decisions") or {}).items()},
                stale={parse_key(k) for k in raw.get("stale") or []},
                sealed={parse_key(k) for k in raw.get("sealed") or []},
                status=str(raw.get("status") or "asking"),
                profile=raw.get("profile"), questions=raw.get("questions"),
                next=str(raw.get("next") or ""))
        except (TypeError, AttributeError) as exc:
            raise InputError(diagnostics=[Diagnostic(file, 0, 0, RECORD, f"the progress record "
                                                     f"cannot be read: {exc}",
                                                     "interview.progress")]) from None


def _no_timestamps(dumper: Any) -> None:
    dumper.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if not tag.endswith(":timestamp")]
        for first, resolvers in yaml.SafeDumper.yaml_implicit_resolvers.items()}


class _PrettyDumper(yaml.SafeDumper):
    """For the finished file: list items indented under their key, like the examples."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> Any:
        return super().increase_indent(flow, False)


def _represent_dict(dumper: Any, data: dict) -> Any:
    flat = all(isinstance(v, str | int | float | bool) for v in data.values())
    short = len(data) <= 4 and sum(len(str(k)) + len(str(v)) + 4 for k, v in data.items()) < 72
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(),
                                    flow_style=bool(data) and flat and short)


def _represent_str(dumper: Any, data: str) -> Any:
    style = "|" if "\n" in data.strip() else (">" if len(data) > 100 else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_no_timestamps(_PrettyDumper)
_PrettyDumper.add_representer(dict, _represent_dict)
_PrettyDumper.add_representer(str, _represent_str)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_PrettyDumper, sort_keys=False, allow_unicode=True,
                     width=92, default_flow_style=False)


# The saves after every answer use a small emitter of their own: PyYAML's representer
# costs milliseconds per save on a large agreement, this one a fraction of that.  Text
# that slagen's loader would read as anything but that text is written double-quoted
# (a JSON string is a valid YAML double-quoted scalar).
_PLAIN = re.compile("^[A-Za-z0-9_(./][^\n\r\t\"'#\x85\u2028\u2029]*$")
# YAML reads these as line breaks even inside quotes; JSON leaves them raw.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})
_RESERVED = {"null", "~", "true", "false", "yes", "no", "on", "off", "y", "n"}
_NUMBER = re.compile(r"^[-+]?(\d[\d_]*|\d*\.\d+|\d+\.\d*)([eE][-+]?\d+)?$")


@lru_cache(maxsize=1 << 16, typed=True)  # the same keys and values, save after save
def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if _PLAIN.match(text) and text.strip() == text and text.lower() not in _RESERVED and \
            not _NUMBER.match(text) and ": " not in text and not text.endswith(":"):
        return text
    return json.dumps(text, ensure_ascii=False).translate(_LINE_BREAKS)


def _emit(value: Any, indent: int, out: list[str]) -> None:
    pad = "  " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                out.append(f"{pad}{_scalar(key)}:")
                _emit(item, indent + 1, out)
            else:
                out.append(f"{pad}{_scalar(key)}: {_inline(item)}")
        return
    for item in value:
        if isinstance(item, dict | list) and item:
            inner: list[str] = []
            _emit(item, indent + 1, inner)
            inner[0] = f"{pad}- {inner[0][len(pad) + 2:]}"
            out.extend(inner)
        else:
            out.append(f"{pad}- {_inline(item)}")


def _inline(value: Any) -> str:
    if isinstance(value, dict | list):
        return "{}" if isinstance(value, dict) else "[]"
    return _scalar(value)


def quick_yaml(data: dict) -> str:
    """Block-style YAML of plain data, fast; read back exactly by slagen's loader."""
    out: list[str] = []
    _emit(data, 0, out)
    return "\n".join(out) + "\n"


def _canonical(value: Any, tp: Any) -> Any:
    """Keys in the order the model declares its fields (unknown keys last), at every level."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        for option in typing.get_args(tp):
            if dataclasses.is_dataclass(option) and isinstance(value, dict) or \
                    typing.get_origin(option) in (list, dict):
                return _canonical(value, option)
        return value
    if dataclasses.is_dataclass(tp) and isinstance(value, dict):
        hints = type_hints(tp)  # type: ignore[arg-type]
        out = {f.name: _canonical(value[f.name], hints[f.name])
               for f in dataclasses.fields(tp) if f.name in value}
        out.update((k, v) for k, v in value.items() if k not in out)
        return out
    if origin is list and isinstance(value, list):
        return [_canonical(v, typing.get_args(tp)[0]) for v in value]
    if origin is dict and isinstance(value, dict):
        return {k: _canonical(v, typing.get_args(tp)[1]) for k, v in value.items()}
    return value


def strip_empty(value: Any) -> Any:
    """Drop None values (unanswered optional fields) at every level."""
    if isinstance(value, dict):
        return {k: strip_empty(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [strip_empty(v) for v in value if v is not None]
    return value


def _ordered(data: dict) -> dict:
    data = _canonical({"slagen": 1, **{k: v for k, v in data.items() if k != "slagen"}},
                      Agreement)
    rank = {name: i for i, name in enumerate(TOP_ORDER)}
    return dict(sorted(data.items(), key=lambda kv: rank.get(kv[0], len(rank))))


def agreement_text(data: dict, header: str = "") -> str:
    """The agreement as YAML text: top-level sections in the usual order, fields in the
    model's order, lists indented like the examples."""
    comment = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines())
    return comment + _dump(_ordered(strip_empty(data)))


def save_progress(path: Path, data: dict, progress: Progress) -> None:
    """Write the partial agreement and the progress record atomically."""
    header = (f"Written by 'slagen interview'; not finished yet.\n"
              f"Continue with: slagen interview --resume {path}")
    rank = {name: i for i, name in enumerate(TOP_ORDER)}
    body = dict(sorted(strip_empty(data).items(), key=lambda kv: rank.get(kv[0], len(rank))))
    body[RECORD] = progress.record()
    text = "".join(f"# {line}\n" for line in header.splitlines()) + quick_yaml(body)
    write_new_file(path, text.encode("utf-8"), force=True)


def load_progress(path: Path) -> tuple[dict, Progress | None]:
    """The file's agreement data and its progress record (None for a finished file)."""
    data, _, _ = load_yaml_file(path)
    if not isinstance(data, dict):
        raise InputError(diagnostics=[Diagnostic(str(path), 1, 0, "", "is not an agreement "
                                                 "file (expected a mapping)", "interview.file")])
    record = data.pop(RECORD, None)
    progress = None if record is None else Progress.from_record(record, str(path))
    return data, progress
