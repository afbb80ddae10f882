"""The answers so far: agreement data in the interview's working form.

The interview keeps one nested mapping shaped like the agreement file, with
one difference that makes repeatable groups uniform: a group stored in the
file as a mapping keyed by id (calendars, definitions, per-tier targets) is a
list of items in working form, the key being a field of each item.
`from_file` and `to_file` convert between the two using the question spec;
data the spec does not know passes through untouched.

Answers are addressed by paths of keys and list indexes, written as keys such
as `services[0].metrics[2].target` in the progress record.  Expressions see
the answers through `view()`, where a missing answer is an empty, falsy value
that renders as nothing, so `when: credits.automatic` works before `credits`
exists.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import Any

from .questions import Group, Node

__all__ = ["MISSING", "Key", "delete", "format_key", "from_file", "get", "merge", "parse_key",
           "put", "set_dotted", "to_file", "view"]

Key = tuple[str | int, ...]


def get(data: Any, path: Key) -> Any:
    """The value at `path`, or None."""
    node = data
    for part in path:
        if isinstance(part, int):
            if not isinstance(node, list) or not 0 <= part < len(node):
                return None
            node = node[part]
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def put(data: dict, path: Key, value: Any) -> None:
    """Set the value at `path`, creating mappings on the way."""
    node: Any = data
    for part in path[:-1]:
        if isinstance(part, int):
            node = node[part]
        else:
            if not isinstance(node.get(part), dict | list):
                node[part] = {}
            node = node[part]
    node[path[-1]] = value


def delete(data: dict, path: Key) -> bool:
    """Remove the value at `path`; True if there was one."""
    parent = get(data, path[:-1]) if len(path) > 1 else data
    last = path[-1]
    if isinstance(parent, dict) and last in parent:
        del parent[last]
        return True
    if isinstance(parent, list) and isinstance(last, int) and 0 <= last < len(parent):
        del parent[last]
        return True
    return False


def format_key(path: Key) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


_KEY_PART = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def parse_key(text: str) -> Key:
    return tuple(int(m.group(1)) if m.group(1) is not None else m.group(2)
                 for m in _KEY_PART.finditer(text))


def merge(base: Any, over: Any) -> Any:
    """`over` on top of `base`: mappings merge key by key, anything else is replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = merge(base.get(key), value) if key in base else copy.deepcopy(value)
        return out
    return copy.deepcopy(over)


def set_dotted(data: dict, dotted: str, value: Any) -> None:
    """`--set services.1.name=CRM`: list items by 1-based position or by id, in file form."""
    parts = [p for p in dotted.split(".")]
    if not dotted or any(not p for p in parts):
        raise ValueError(f"'{dotted}' is not a path such as parties.customer.name")
    node: Any = data
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        nxt: Any = value if last else ([] if parts[i + 1].isdigit() else {})
        if isinstance(node, list):
            index = _list_index(node, part, dotted)
            if index == len(node):
                node.append({} if not last else value)
            elif last:
                node[index] = value
            node = node[index]
        elif isinstance(node, dict):
            if last or not isinstance(node.get(part), dict | list):
                node[part] = nxt
            node = node[part]
        else:
            raise ValueError(f"'{dotted}': '{parts[i - 1]}' holds a single value")


def _list_index(node: list, part: str, dotted: str) -> int:
    for index, item in enumerate(node):
        if isinstance(item, dict) and part in (str(item.get("id")), str(item.get("level"))):
            return index
    if part.isdigit() and 1 <= int(part) <= len(node) + 1:
        return int(part) - 1
    raise ValueError(f"'{dotted}': no item '{part}' (use its id or its position 1, 2, ...)")


# --- file form <-> working form ----------------------------------------------


def from_file(nodes: Iterable[Node], data: Any) -> Any:
    """Agreement file data → working form (a deep copy)."""
    data = copy.deepcopy(data)
    if isinstance(data, dict):
        _inward(list(nodes), data)
    return data


def to_file(nodes: Iterable[Node], data: Any) -> Any:
    """Working form → agreement file data (a deep copy)."""
    data = copy.deepcopy(data)
    if isinstance(data, dict):
        _outward(list(nodes), data)
    return data


def _groups(nodes: Iterable[Node]) -> Iterable[Group]:
    return (n for n in nodes if isinstance(n, Group))


def _inward(nodes: list[Node], obj: dict) -> None:
    for group in _groups(nodes):
        if not group.path:
            _inward(list(group.items), obj)
            continue
        value = get(obj, group.path)
        if group.is_list:
            if group.key and isinstance(value, dict):
                value = [_keyed_item(group, k, v) for k, v in value.items()]
                put(obj, group.path, value)
            if isinstance(value, list):
                if group.shorthand:
                    value[:] = [{group.shorthand: v} if not isinstance(v, dict) else v
                                for v in value]
                for item in value:
                    if isinstance(item, dict):
                        _inward(list(group.items), item)
        elif isinstance(value, dict):
            _inward(list(group.items), value)


def _keyed_item(group: Group, key: Any, value: Any) -> dict:
    if group.value:
        return {group.key: key, group.value: value}
    if isinstance(value, dict):
        return {group.key: key, **value}
    if group.shorthand and value is not None:
        return {group.key: key, group.shorthand: value}
    return {group.key: key}


def _outward(nodes: list[Node], obj: dict) -> None:
    for group in _groups(nodes):
        if not group.path:
            _outward(list(group.items), obj)
            continue
        value = get(obj, group.path)
        if group.is_list and isinstance(value, list):
            for item in value:
                if isinstance(item, dict):
                    _outward(list(group.items), item)
            if group.key:
                out: dict = {}
                for item in value:
                    if isinstance(item, dict) and item.get(group.key) is not None:
                        rest = {k: v for k, v in item.items() if k != group.key}
                        out[item[group.key]] = rest.get(group.value) if group.value else rest
                put(obj, group.path, out)
        elif isinstance(value, dict):
            _outward(list(group.items), value)


# --- what expressions see ----------------------------------------------------


class _Missing(dict):
    """An answer not given (yet): empty, falsy, renders as nothing, any field is missing too."""

    def __getitem__(self, key: Any) -> Any:
        return MISSING

    def __str__(self) -> str:
        return ""

    __repr__ = __str__


MISSING: Any = _Missing()


class _View(dict):
    """A read-only look at answers in which missing keys give `MISSING`."""

    def __getitem__(self, key: Any) -> Any:
        try:
            found = dict.__contains__(self, key)
        except TypeError:  # an unhashable key, such as a missing answer
            return MISSING
        return view(dict.__getitem__(self, key)) if found else MISSING


def view(value: Any) -> Any:
    if isinstance(value, dict):
        return _View(value)
    if isinstance(value, list):
        return [view(v) for v in value]
    return value
