"""Where answers live, and which questions read which answers.

The review screen and the final check need three views of the same walk:
every question and group with the place it applies at (`instances`), the
same places written as diagnostics write them (`labelled`), and, for the
dependants of a change, the answers each question's expressions read
(`references`, found in the Jinja syntax tree, so the question file needs no
hand-kept dependency lists) matched against what changed (`changed_paths`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jinja2 import nodes as jn

from .answers import Key, get
from .questions import Group, Node, Question, is_template

__all__ = ["changed_paths", "instances", "labelled", "references"]

_RELATIVE = {"item", "parent", "index", "kinds", "today", "next_month", "loop"}


def instances(nodes: list[Node], data: Any, base: Key = ()) -> Iterator[tuple[Node, Key]]:
    """Every question and group of `nodes` with the base path it applies at, for `data`."""
    for node in nodes:
        yield node, base
        if isinstance(node, Group):
            gpath = (*base, *node.path)
            if node.is_list:
                items = get(data, gpath)
                for i in range(len(items) if isinstance(items, list) else 0):
                    yield from instances(list(node.items), data, (*gpath, i))
            else:
                yield from instances(list(node.items), data, gpath)


def labelled(nodes: list[Node], data: Any, base: Key = (), label: str = "",
             value: str | None = None) -> Iterator[tuple[Node, Key, str]]:
    """Like `instances`, with each place written as diagnostics write it (file form:
    `services[crm].metrics[availability].target`, `calendars.office.hours`)."""
    for node in nodes:
        text = label if value is not None and node.path == (value,) else \
            ".".join(p for p in (label, *node.path) if p)
        yield node, base, text
        if not isinstance(node, Group):
            continue
        gpath = (*base, *node.path)
        if not node.is_list:
            yield from labelled(list(node.items), data, gpath, text)
            continue
        items = get(data, gpath)
        for i, item in enumerate(items if isinstance(items, list) else []):
            if node.key and isinstance(item, dict):
                inner = f"{text}.{item.get(node.key)}"
            else:
                name = next((str(item[k]) for k in ("id", "term", "metric", "level")
                             if isinstance(item, dict) and isinstance(item.get(k), str | int)
                             and not isinstance(item.get(k), bool)), str(i))
                inner = f"{text}[{name}]"
            yield from labelled(list(node.items), data, (*gpath, i), inner, node.value)


def changed_paths(before: Any, after: Any, path: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Field paths (list positions left out) whose values differ."""
    if isinstance(before, dict) and isinstance(after, dict):
        out: set[tuple[str, ...]] = set()
        for key in {*before, *after}:
            out |= changed_paths(before.get(key), after.get(key), (*path, str(key)))
        return out
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return set().union(*(changed_paths(b, a, path) for b, a in zip(before, after,
                                                                         strict=True)))
    return {path} if before != after else set()


def references(env: Any, node: Node) -> set[tuple[str, ...]]:
    """Answers a node's expressions read, as field paths (`agreement.kind`, `tiers`)."""
    texts: list[tuple[str, bool]] = []
    for name in ("when", "each"):
        if getattr(node, name, None):
            texts.append((getattr(node, name), False))
    if isinstance(node, Question):
        if isinstance(node.choices, str):
            texts.append((node.choices, False))
        texts += [(t, True) for t in (node.default, node.message) if is_template(t)]
    else:
        texts += [(t, True) for t in (node.optional, node.add_first) if is_template(t)]
    found: set[tuple[str, ...]] = set()
    for text, template in texts:
        tree = env.parse(text if template else "{{ " + text + " }}")
        inner = {id(n.node) for n in tree.find_all((jn.Getattr, jn.Getitem))}
        for ast in tree.find_all((jn.Getattr, jn.Getitem, jn.Name)):
            chain = _chain(ast)
            if chain and id(ast) not in inner:
                found.add(("services",) if chain[0] in ("metric_refs", "metrics") else chain)
    return {r for r in found if r[0] not in _RELATIVE}


def _chain(ast: Any) -> tuple[str, ...] | None:
    if isinstance(ast, jn.Name):
        return (ast.name,)
    if isinstance(ast, jn.Getattr):
        head = _chain(ast.node)
        return None if head is None else (*head, ast.attr)
    if isinstance(ast, jn.Getitem) and isinstance(ast.arg, jn.Const) and \
            isinstance(ast.arg.value, str):
        head = _chain(ast.node)
        return None if head is None else (*head, ast.arg.value)
    return None
