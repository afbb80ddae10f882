"""Strict YAML loading that remembers where every value came from.

PyYAML's defaults are wrong for contracts: `NO` becomes false, `1:30` becomes
90, duplicate keys silently overwrite, `!!python/object` runs code, and an
alias bomb eats memory.  This loader composes the node graph with a safe
loader and builds plain Python values itself: only `true`/`false` are
booleans, timestamps stay text, numbers with leading zeros stay text, anchors
and aliases are refused, and duplicate keys are errors.  Alongside the data it
returns a `SourceMap` from field path to line and column.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Diagnostic, InputError

__all__ = ["MAX_BYTES", "Path_", "SourceMap", "load_yaml_file", "load_yaml_text"]

MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 40

Path_ = tuple[str | int, ...]

_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {_STD + "str", _STD + "map", _STD + "seq"}
_INT_RE = re.compile(r"^[-+]?(0|[1-9][0-9_]*)$")
_FLOAT_RE = re.compile(r"^[-+]?([0-9]+\.[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?$")
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_BIDI = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"}


@dataclass
class SourceMap:
    """Field path → (line, column), 1-based; plus the raw text of scalars."""

    file: str
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    raw: dict[Path_, str] = field(default_factory=dict)
    labels: dict[Path_, str] = field(default_factory=dict)  # list item → its id, for messages

    def locate(self, path: Path_) -> tuple[int, int]:
        """The position of `path`, or of its nearest ancestor that has one."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.positions:
                return self.positions[path[:end]]
        return (0, 0)

    def diagnostic(self, path: Path_, message: str, code: str, hint: str = "",
                   severity: str = "error") -> Diagnostic:
        line, column = self.locate(path)
        return Diagnostic(self.file, line, column, format_path(path, self.labels), message,
                          code, severity, hint)


def format_path(path: Path_, labels: dict[Path_, str] | None = None) -> str:
    """`services[crm].metrics[availability].target`, using item ids where known."""
    out = ""
    for i, part in enumerate(path):
        if isinstance(part, int):
            label = (labels or {}).get(path[: i + 1])
            out += f"[{label if label is not None else part}]"
        else:
            out += ("." if out else "") + part
    return out


class _StrictComposer(yaml.composer.Composer):
    """Composes nodes only; refuses anchors and aliases before they expand."""

    yaml_implicit_resolvers: dict = {}

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.MarkedYAMLError(
                None, None, "aliases (*name) are not supported: write the value out again",
                event.start_mark)
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError(
                None, None, "anchors (&name) are not supported: write the value out in full",
                event.start_mark)
        return super().compose_node(parent, index)


class _PureLoader(_StrictComposer, yaml.reader.Reader, yaml.scanner.Scanner,
                  yaml.parser.Parser, yaml.resolver.BaseResolver):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        _StrictComposer.__init__(self)
        yaml.resolver.BaseResolver.__init__(self)


if getattr(yaml, "__with_libyaml__", False):
    class _FastLoader(_StrictComposer, yaml.cyaml.CParser, yaml.resolver.BaseResolver):
        """libyaml scans and parses (ten times faster); the strict composer stays Python."""

        def __init__(self, stream: str) -> None:
            yaml.cyaml.CParser.__init__(self, stream)
            _StrictComposer.__init__(self)
            yaml.resolver.BaseResolver.__init__(self)

    _StrictLoader: type = _FastLoader
else:  # pragma: no cover - PyYAML built without libyaml
    _StrictLoader = _PureLoader


class _Builder:
    """Turns composed nodes into plain values, collecting every problem."""

    def __init__(self, sourcemap: SourceMap) -> None:
        self.map = sourcemap
        self.problems: list[Diagnostic] = []

    def problem(self, node: yaml.Node, path: Path_, message: str, code: str,
                hint: str = "") -> None:
        mark = node.start_mark
        self.problems.append(Diagnostic(self.map.file, mark.line + 1, mark.column + 1,
                                        format_path(path), message, code, hint=hint))

    def build(self, node: yaml.Node, path: Path_, depth: int = 0) -> Any:
        self.map.positions.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if depth > MAX_DEPTH:
            self.problem(node, path, f"nesting deeper than {MAX_DEPTH} levels", "yaml.depth")
            return None
        if node.tag not in _ALLOWED_TAGS:
            self.problem(node, path, f"YAML tag {node.tag!r} is not allowed",
                         "yaml.tag", "remove the tag; slagen reads plain values only")
            return None
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, path, depth)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        return self.scalar(node, path)

    def mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, path, "a key must be plain text", "yaml.key")
                continue
            key = key_node.value
            child = (*path, key)
            if key in out:
                first = self.map.positions.get(child, (0, 0))[0]
                self.problem(key_node, child, f"duplicate key '{key}' (first defined on line "
                             f"{first})", "yaml.duplicate-key", "keep one of the two entries")
                continue
            self.map.positions[child] = (key_node.start_mark.line + 1,
                                         key_node.start_mark.column + 1)
            out[key] = self.build(value_node, child, depth + 1)
        return out

    def scalar(self, node: yaml.ScalarNode, path: Path_) -> Any:
        text = node.value
        self.map.raw[path] = text
        bad = _bad_character(text)
        if bad:
            self.problem(node, path, f"contains {bad}", "yaml.character",
                         "remove the character; documents cannot hold it")
            return text
        if node.style:  # quoted or block scalar: always text (plain is None or "")
            return text
        if text in _NULLS:
            return None
        if text in _BOOLS:
            return _BOOLS[text]
        if _INT_RE.match(text):
            return int(text.replace("_", ""))
        if _FLOAT_RE.match(text):
            return float(text)
        return text


_BAD_CHARACTER_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
    + "".join(sorted(_BIDI)) + "]")


def _bad_character(text: str) -> str:
    """Describe the first character a document cannot hold, or ''."""
    found = _BAD_CHARACTER_RE.search(text)
    if found is None:
        return ""
    ch = found.group()
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF:
        return f"a lone surrogate U+{code:04X}"
    if code in (0xFFFE, 0xFFFF):
        return f"the non-character U+{code:04X}"
    if ch in _BIDI:
        return f"the bidirectional control U+{code:04X} ({unicodedata.name(ch, '?')})"
    return f"the control character U+{code:04X}"


def load_yaml_text(text: str, filename: str) -> tuple[Any, SourceMap]:
    """Parse YAML text; raise `InputError` with located diagnostics."""
    sourcemap = SourceMap(filename)
    if not text.strip():
        raise InputError(diagnostics=[Diagnostic(filename, 1, 0, "", "the file is empty",
                                                 "yaml.empty",
                                                 hint="an agreement file starts with 'slagen: 1'")])
    try:
        loader = _StrictLoader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        raise InputError(diagnostics=[_yaml_diagnostic(exc, filename, text)]) from None
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise InputError(diagnostics=[Diagnostic(
            filename, line, 0, "", f"contains the character U+{exc.character:04X}, which YAML "
            "cannot hold" if isinstance(exc.character, int) else str(exc), "yaml.character",
            hint="remove it or write it as an escape in a double-quoted string")]) from None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise InputError(diagnostics=[Diagnostic(filename, 0, 0, "",
                                                 f"cannot be read as YAML: {exc}",
                                                 "yaml.syntax")]) from None
    if node is None:
        raise InputError(diagnostics=[Diagnostic(filename, 1, 0, "", "the file holds no data",
                                                 "yaml.empty")])
    builder = _Builder(sourcemap)
    try:
        data = builder.build(node, ())
    except RecursionError:
        raise InputError(diagnostics=[Diagnostic(filename, 0, 0, "", "nesting is too deep",
                                                 "yaml.depth")]) from None
    if builder.problems:
        raise InputError(diagnostics=builder.problems)
    return data, sourcemap


def _yaml_diagnostic(exc: yaml.MarkedYAMLError, filename: str, text: str) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    problem = exc.problem or "invalid YAML"
    hint = ""
    lines = text.splitlines()
    source_line = lines[line - 1] if 0 < line <= len(lines) else ""
    if "'\\t'" in problem or "tab" in problem.lower() or \
            "\t" in source_line[: max(column, 1)]:
        problem, hint = "a tab character is used for indentation", "indent with spaces"
    elif exc.context:
        problem = f"{problem} ({exc.context})"
    if "could not find expected ':'" in problem or "mapping values are not allowed" in problem:
        hint = "check the indentation and put a space after each ':'"
    if "<stream end>" in problem or "end of the stream" in problem or \
            "found unexpected end" in problem or line > len(lines):
        hint = "the file looks truncated or a quote or bracket is not closed"
    return Diagnostic(filename, line, column, "", problem, "yaml.syntax", hint=hint)


def load_yaml_file(path: Path, display: str | None = None) -> tuple[Any, SourceMap, bytes]:
    """Read and parse a YAML file; also return its bytes (for the manifest hash)."""
    name = display or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(diagnostics=[Diagnostic(name, 0, 0, "", "no such file",
                                                 "file.missing")]) from None
    except IsADirectoryError:
        raise InputError(diagnostics=[Diagnostic(name, 0, 0, "", "is a folder, not a file",
                                                 "file.folder")]) from None
    except OSError as exc:
        raise InputError(diagnostics=[Diagnostic(name, 0, 0, "",
                                                 f"cannot be read: {exc.strerror}",
                                                 "file.unreadable")]) from None
    if len(data) > MAX_BYTES:
        raise InputError(diagnostics=[Diagnostic(
            name, 0, 0, "", f"is {len(data):,} bytes; agreement files are limited to "
            f"{MAX_BYTES:,} bytes", "file.size")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(diagnostics=[Diagnostic(
            name, line, 0, "", f"byte 0x{data[exc.start]:02x} is not UTF-8", "file.encoding",
            hint="save the file as UTF-8")]) from None
    parsed, sourcemap = load_yaml_text(text, name)
    return parsed, sourcemap, data
