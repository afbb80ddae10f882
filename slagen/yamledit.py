"""Round-trip edits of an agreement file that keep its comments, order and layout.

An agreement file is written by people: comments explain why a value is what
it is, and reviewers read diffs.  ruamel.yaml keeps comments and key order,
but may re-indent or re-wrap lines the edit never touched.  So the edited
document is dumped twice — before and after the edit — and only the lines
that differ between those two dumps are spliced into the original text.
Lines the edit did not touch stay byte for byte as they were.

The updated file is written atomically after the previous version is kept as
`FILE.bak` (or `FILE.1.bak`, `FILE.2.bak`, … if that exists): an import never
loses the file it replaced.
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import OutputExistsError
from .negotiate import ENTRY_ORDER, ROUND_ORDER
from .output import write_new_file

__all__ = ["RuamelEditor", "edit_text", "next_backup_path", "write_with_backup"]

# (mapping, sequence, offset) layouts tried to reproduce the file as written.
_INDENTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4))
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MAX_BACKUPS = 1000


def _yaml(indent: tuple[int, int, int]) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    mapping, sequence, offset = indent
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _dump(yaml: Any, document: Any) -> str:
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue()


def _closest_layout(text: str) -> tuple[Any, Any, str]:
    """The layout whose untouched dump differs least from the text as written."""
    best: tuple[int, Any, Any, str] | None = None
    original = text.splitlines()
    for indent in _INDENTS:
        yaml = _yaml(indent)
        document = yaml.load(text)
        dumped = _dump(yaml, document)
        if dumped == text:
            return yaml, document, dumped
        changed = sum(1 for tag in difflib.SequenceMatcher(
            None, original, dumped.splitlines(), autojunk=False).get_opcodes() if tag[0] != "equal")
        if best is None or changed < best[0]:
            best = (changed, yaml, document, dumped)
    assert best is not None
    return best[1], best[2], best[3]


def edit_text(text: str, mutate: Callable[[Any, RuamelEditor], None]) -> str:
    """Apply `mutate(document, editor)` to the YAML text; return the new text."""
    yaml, document, before = _closest_layout(text)
    mutate(document, RuamelEditor())
    after = _dump(yaml, document)
    if before == text:
        return after
    return _splice(text, before, after)


def _splice(original: str, before: str, after: str) -> str:
    """Carry the before → after line changes over to the original text.

    A change is carried over only where the lines around it are identical in
    the original; otherwise the whole re-dumped text is the honest answer.
    """
    orig, base, new = (s.splitlines(keepends=True) for s in (original, before, after))
    mapping: dict[int, int] = {}
    for tag, i1, i2, j1, _ in difflib.SequenceMatcher(None, base, orig,
                                                      autojunk=False).get_opcodes():
        if tag == "equal":
            mapping.update({i: j1 + (i - i1) for i in range(i1, i2)})
    mapping[len(base)] = len(orig)
    out = list(orig)
    hunks = [op for op in difflib.SequenceMatcher(None, base, new, autojunk=False).get_opcodes()
             if op[0] != "equal"]
    for _, i1, i2, j1, j2 in reversed(hunks):
        start = _anchor(mapping, i1)
        end = mapping.get(i2 - 1, -2) + 1 if i2 > i1 else start
        if start is None or end - start != i2 - i1 or \
                any(i not in mapping for i in range(i1, i2)):
            return after
        out[start:end] = new[j1:j2]
    return "".join(out)


def _anchor(mapping: dict[int, int], index: int) -> int | None:
    if index in mapping:
        return mapping[index]
    return mapping[index - 1] + 1 if index - 1 in mapping else None


class RuamelEditor:
    """Edits ruamel nodes: new keys in model order, rounds in their siblings' style."""

    def set(self, mapping: Any, key: str, value: Any) -> None:
        value = _node(value)
        order = ROUND_ORDER if "by" in mapping else ENTRY_ORDER if "term" in mapping else ()
        if key in mapping or not order or not hasattr(mapping, "insert"):
            mapping[key] = value
            return
        rank = order.index(key) if key in order else len(order)
        position = sum(1 for k in mapping if k in order and order.index(k) < rank)
        mapping.insert(position, key, value)

    def delete(self, mapping: Any, key: str) -> None:
        if key in mapping:
            del mapping[key]

    def append(self, sequence: Any, item: Any) -> None:
        siblings = [i for i in sequence if hasattr(i, "fa")]
        if siblings and hasattr(item, "fa") and siblings[-1].fa.flow_style():
            item.fa.set_flow_style()
        sequence.append(item)

    def new_map(self, items: dict[str, Any]) -> Any:
        from ruamel.yaml.comments import CommentedMap

        node = CommentedMap()
        for key, value in items.items():
            node[key] = _node(value, key)
        return node

    def new_seq(self) -> Any:
        from ruamel.yaml.comments import CommentedSeq

        return CommentedSeq()


def _node(value: Any, key: str = "") -> Any:
    """Dates as dates (written plain, read back as the same text)."""
    if key == "date" and isinstance(value, str) and _DATE_RE.match(value):
        return dt.date.fromisoformat(value)
    return value


def next_backup_path(path: Path) -> Path:
    """`FILE.bak`, else the first free `FILE.<n>.bak`."""
    for n in range(_MAX_BACKUPS):
        candidate = path.with_name(f"{path.name}.bak" if n == 0 else f"{path.name}.{n}.bak")
        if not candidate.exists():
            return candidate
    raise OutputExistsError(f"{path}: {_MAX_BACKUPS} backups exist; remove old ones")


def write_with_backup(path: Path, old: bytes, new_text: str) -> Path:
    """Keep `old` as a backup that no other file is replaced by, then replace `path`."""
    while True:
        backup = next_backup_path(path)
        try:
            write_new_file(backup, old, force=False)
            break
        except OutputExistsError:  # appeared meanwhile: take the next number
            continue
    write_new_file(path, new_text.encode("utf-8"), force=True)
    return backup
