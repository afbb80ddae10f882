"""Term paths: the addresses of negotiable values in an agreement file.

A path such as `services.crm.metrics.availability.target` walks mappings by
key and lists by the `id` (or `level`) of their items, or by 1-based position.
The negotiation log, the workbook and `negotiate propose` all name terms this
way, so one resolver serves them all.
"""

from __future__ import annotations

from typing import Any

__all__ = ["TermPathError", "resolve_term", "set_term", "split_term"]


class TermPathError(ValueError):
    """A term path that does not lead to a value."""


def split_term(term: str) -> list[str]:
    parts = [p for p in term.strip().split(".")]
    if not term.strip() or any(not p for p in parts):
        raise TermPathError(f"'{term}' is not a term path (e.g. services.crm.metrics."
                            "availability.target)")
    return parts


def _step(node: Any, part: str, walked: str) -> tuple[Any, str | int]:
    if isinstance(node, dict):
        if part not in node:
            known = ", ".join(map(str, node)) or "nothing"
            raise TermPathError(f"'{walked}' has no '{part}' (it has: {known})")
        return node[part], part
    if isinstance(node, list):
        for index, item in enumerate(node):
            if isinstance(item, dict) and part in (str(item.get("id")), str(item.get("level"))):
                return item, index
        if part.isdigit() and 1 <= int(part) <= len(node):
            return node[int(part) - 1], int(part) - 1
        ids = [str(i.get("id", i.get("level"))) for i in node if isinstance(i, dict)]
        raise TermPathError(f"'{walked}' has no item '{part}' (items: {', '.join(ids) or 'none'})")
    raise TermPathError(f"'{walked}' is a single value; '{part}' cannot follow it")


def resolve_term(data: Any, term: str) -> tuple[Any, tuple[str | int, ...]]:
    """The value at `term` and its concrete path (keys and list indexes)."""
    node, path, walked = data, [], ""
    for part in split_term(term):
        node, key = _step(node, part, walked or "the agreement")
        path.append(key)
        walked = f"{walked}.{part}" if walked else part
    return node, tuple(path)


def set_term(data: Any, term: str, value: Any) -> tuple[str | int, ...]:
    """Set the value at `term`; the last part may name a field not yet present."""
    parts = split_term(term)
    if len(parts) == 1:
        parent, prefix = data, ()
    else:
        parent, prefix = resolve_term(data, ".".join(parts[:-1]))
    if not isinstance(parent, dict):
        raise TermPathError(f"'{'.'.join(parts[:-1])}' is not a mapping; cannot set "
                            f"'{parts[-1]}'")
    parent[parts[-1]] = value
    return (*prefix, parts[-1])
