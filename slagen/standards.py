"""The organisation's standard positions: the clause library's default for each term.

They live next to the clauses (`clauses/standard-positions.yaml`), reviewed
like them, so legal and IT decide what "standard" means, not the code.  A
term agreed away from its standard position is a concession a reviewer must
see; `effective_standard` says what the standard is for one term: the term's
own `standard:` if the agreement file gives one, else the first matching
library entry.
"""

from __future__ import annotations

from fnmatch import fnmatchcase
from pathlib import Path

from .errors import InputError
from .library import BUNDLED_CLAUSES
from .model import METRIC_KINDS, Agreement, NegotiationTerm
from .positions import term_info
from .records import record
from .terms import TermPathError, split_term
from .yamlsrc import load_yaml_file

__all__ = ["STANDARD_POSITIONS_FILE", "StandardPosition", "effective_standard",
           "load_standard_positions"]

STANDARD_POSITIONS_FILE = "standard-positions.yaml"
_KEYS = {"term", "value", "kind", "priority", "note"}


@record
class StandardPosition:
    term: str
    value: str
    kind: str | None = None
    priority: str | None = None
    note: str = ""

    def matches(self, term: str, kind: str | None, priority: str | None) -> bool:
        want, parts = self.term.split("."), split_term(term)
        if len(want) != len(parts) or not all(fnmatchcase(p, w) for w, p in
                                              zip(want, parts, strict=True)):
            return False
        return (self.kind is None or self.kind == kind) and \
            (self.priority is None or self.priority == priority)


def load_standard_positions(library_dirs: tuple[Path, ...] = ()) -> list[StandardPosition]:
    """The last library folder that has the file wins; else the bundled one; else none."""
    for folder in (*reversed(library_dirs), BUNDLED_CLAUSES):
        path = Path(folder) / STANDARD_POSITIONS_FILE
        if path.is_file():
            return _read(path)
    return []


def _read(path: Path) -> list[StandardPosition]:
    data, source, _ = load_yaml_file(path)
    entries = data.get("positions") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise InputError(diagnostics=[source.diagnostic(
            (), "expected a mapping with a 'positions' list", "standards.format",
            hint="positions: [{term: credits.cap, value: 25%}]")])
    out, problems = [], []
    for i, entry in enumerate(entries):
        problem = _problem(entry)
        if problem:
            problems.append(source.diagnostic(("positions", i), problem, "standards.entry"))
            continue
        out.append(StandardPosition(entry["term"], str(entry["value"]), entry.get("kind"),
                                    entry.get("priority"), str(entry.get("note", ""))))
    if problems:
        raise InputError(diagnostics=problems)
    return out


def _problem(entry: object) -> str:
    if not isinstance(entry, dict) or not isinstance(entry.get("term"), str) or \
            entry.get("value") in (None, ""):
        return "each entry needs a term (path pattern) and a value"
    unknown = set(entry) - _KEYS
    if unknown:
        return f"unknown key(s) {', '.join(sorted(unknown))}; use {', '.join(sorted(_KEYS))}"
    if entry.get("kind") is not None and entry["kind"] not in METRIC_KINDS:
        return f"unknown metric kind '{entry['kind']}'"
    try:
        split_term(entry["term"])
    except TermPathError as exc:
        return str(exc)
    return ""


def effective_standard(agreement: Agreement, term: NegotiationTerm,
                       positions: list[StandardPosition]) -> str | None:
    """The term's own standard, else the library's, else None."""
    if term.standard is not None:
        return term.standard
    try:
        metric = term_info(agreement, term.term).metric
    except TermPathError:
        metric = None
    kind = metric.kind if metric else None
    priority = metric.priority if metric else None
    return next((p.value for p in positions if p.matches(term.term, kind, priority)), None)
