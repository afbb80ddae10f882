"""Lint for the clause library: what would break a build, found before one.

Malformed front matter, duplicate ids, template syntax errors (file:line),
names or fields the agreement model does not provide, `|safe` (which would
let a clause inject markup into the PDF), outline slots no clause fills,
and clauses no outline reaches.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from pathlib import Path
from typing import Any

from jinja2 import TemplateSyntaxError, nodes

from .context import CONTEXT_NAMES
from .errors import Diagnostic
from .library import BUNDLED_TEMPLATES, DOC_KINDS, Clause, Library, Outline, load_outline
from .model import (
    Agreement,
    AgreementMeta,
    Calendar,
    Change,
    Credits,
    Exceptions,
    Levels,
    OlaSettings,
    Parties,
    Party,
    Reporting,
    Responsibilities,
    Review,
    Service,
    Team,
    Termination,
)
from .templating import FILTERS, clause_environment

__all__ = ["bundled_outlines", "lint_library", "variables_used"]

# The model class behind each context name whose type is fixed.
_CONTEXT_TYPES: dict[str, Any] = {
    "agreement": AgreementMeta, "provider": Party, "customer": Party, "parties": Parties,
    "responsibilities": Responsibilities, "levels": Levels, "credits": Credits,
    "exceptions": Exceptions, "reporting": Reporting, "review": Review, "change": Change,
    "termination": Termination, "ola_settings": OlaSettings, "service": Service, "team": Team,
    "calendars": dict[str, Calendar],
}
_ = Agreement


def bundled_outlines(override: Path | None = None) -> list[Outline]:
    outlines = [load_outline(p) for p in sorted(BUNDLED_TEMPLATES.glob("outline-*.yaml"))]
    if override is not None:
        custom = load_outline(override)
        outlines = [o for o in outlines if o.kind != custom.kind] + [custom]
    return outlines


def variables_used(clause: Clause) -> list[str]:
    """Top-level names the clause reads (empty if it does not parse)."""
    env = clause_environment()
    try:
        from jinja2 import meta

        return sorted(meta.find_undeclared_variables(env.parse(clause.body)))
    except TemplateSyntaxError:
        return []


def lint_library(library: Library, outlines: list[Outline]) -> list[Diagnostic]:
    findings = list(library.problems)
    env = clause_environment()
    for clause in library.clauses.values():
        findings.extend(_lint_clause(clause, env))
    findings.extend(_lint_reach(library, outlines))
    return sorted(findings, key=lambda d: (d.file, d.line, d.message))


def _lint_clause(clause: Clause, env: Any) -> list[Diagnostic]:
    name = str(clause.path)
    try:
        tree = env.parse(clause.body)
    except TemplateSyntaxError as exc:
        return [Diagnostic(name, clause.body_line + (exc.lineno or 1) - 1, 0, "",
                           f"template syntax: {exc.message}", "clause.syntax")]
    found: list[Diagnostic] = []
    if clause.when:
        try:
            env.compile_expression(clause.when)
        except TemplateSyntaxError as exc:
            found.append(Diagnostic(name, 2, 0, "when", f"condition does not parse: "
                                    f"{exc.message}", "clause.condition"))
    from jinja2 import meta

    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    assigned |= {m.name for m in tree.find_all(nodes.Macro)}
    for unknown in sorted(meta.find_undeclared_variables(tree) - CONTEXT_NAMES - assigned):
        found.append(Diagnostic(name, clause.body_line + _first_line(tree, unknown) - 1, 0, "",
                                f"'{unknown}' is not provided to clauses",
                                "clause.unknown-name",
                                hint="available: " + ", ".join(sorted(CONTEXT_NAMES))))
    for node in tree.find_all(nodes.Filter):
        if node.name not in FILTERS and node.name not in env.filters:
            found.append(Diagnostic(name, clause.body_line + node.lineno - 1, 0, "",
                                    f"unknown filter '{node.name}'", "clause.filter"))
        if node.name == "safe":
            found.append(Diagnostic(name, clause.body_line + node.lineno - 1, 0, "",
                                    "'|safe' is not allowed: clause text is always escaped",
                                    "clause.safe"))
    for attr, line in _unknown_attributes(tree):
        found.append(Diagnostic(name, clause.body_line + line - 1, 0, "",
                                f"'{attr}' is not a field of the agreement model",
                                "clause.unknown-field",
                                hint="see docs/agreement-format.md for the fields"))
    return found


def _first_line(tree: nodes.Template, name: str) -> int:
    for node in tree.find_all(nodes.Name):
        if node.name == name:
            return node.lineno
    return 1


def _unknown_attributes(tree: nodes.Template) -> list[tuple[str, int]]:
    """`credits.clam.within`-style typos on names whose model class is known."""
    shadowed = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    problems = []
    for node in tree.find_all(nodes.Getattr):
        chain, root = _chain(node)
        if root is None or root in shadowed or root not in _CONTEXT_TYPES:
            continue
        tp: Any = _CONTEXT_TYPES[root]
        for attr in chain:
            tp = _attribute_type(tp, attr)
            if tp is None:
                problems.append((f"{root}.{'.'.join(chain[:chain.index(attr) + 1])}",
                                 node.lineno))
                break
            if tp is Any:
                break
    return sorted(set(problems))


def _chain(node: nodes.Getattr) -> tuple[list[str], str | None]:
    attrs: list[str] = []
    current: nodes.Node = node
    while isinstance(current, nodes.Getattr):
        attrs.insert(0, current.attr)
        current = current.node
    return (attrs, current.name) if isinstance(current, nodes.Name) else ([], None)


def _attribute_type(tp: Any, attr: str) -> Any:
    """Type of `tp.attr`, `Any` when unknown but plausible, None when it cannot exist."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        tp = options[0] if len(options) == 1 else Any
        origin = typing.get_origin(tp)
    if tp is Any or origin in (list, dict) or not dataclasses.is_dataclass(tp):
        return Any
    hints = typing.get_type_hints(tp)
    if attr in hints:
        return hints[attr]
    return Any if hasattr(tp, attr) else None


def _lint_reach(library: Library, outlines: list[Outline]) -> list[Diagnostic]:
    found = []
    slots_by_kind: dict[str, set[str]] = {k: set() for k in DOC_KINDS}
    for outline in outlines:
        slots_by_kind[outline.kind].update(outline.slots())
        for slot in dict.fromkeys(outline.slots()):
            if not library.by_slot(slot, outline.kind):
                found.append(Diagnostic(str(outline.path), 0, 0, "", f"slot '{slot}' has no "
                                        f"{outline.kind} clause", "outline.empty-slot",
                                        hint="write a clause with 'slot: " + slot + "'"))
    for clause in library.clauses.values():
        if not any(clause.slot in slots_by_kind[k] for k in clause.applies_to):
            found.append(Diagnostic(str(clause.path), 2, 0, "", f"clause '{clause.id}' fills "
                                    f"slot '{clause.slot}', which no "
                                    f"{'/'.join(clause.applies_to)} outline has",
                                    "clause.unreachable"))
    return found
