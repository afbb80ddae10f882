"""The clause library and outlines: load, index, choose.

A clause is a Markdown file with YAML front matter under a library folder;
an outline (YAML under `templates/`) lists the numbered sections and the
clause slots that fill them.  Libraries stack: an organisation's folder
overrides bundled clauses by id and adds its own.  Only `*.md` files inside
a library root are read; symlinks that lead outside it are refused.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ClauseError, Diagnostic, InputError
from .records import record
from .usercache import files_stamp, read_pickle, store_pickle
from .yamlsrc import load_yaml_text

__all__ = [
    "BUNDLED_CLAUSES",
    "BUNDLED_TEMPLATES",
    "Clause",
    "Library",
    "Outline",
    "OutlineSection",
    "load_library",
    "load_outline",
]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_CLAUSES = PROJECT_ROOT / "clauses"
BUNDLED_TEMPLATES = PROJECT_ROOT / "templates"
DOC_KINDS = ("sla", "ola", "uc")

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
_VERSION_RE = re.compile(r"^\d+\.\d+(\.\d+)?$")
_FRONT_RE = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)


@record
class Clause:
    id: str
    title: str
    version: str
    applies_to: tuple[str, ...]
    slot: str
    body: str
    path: Path
    body_line: int  # line of the file where the body starts (1-based)
    variant: str = ""
    default: bool = False
    when: str = ""
    summary: str = ""
    defines: tuple[tuple[str, str], ...] = ()

    @property
    def label(self) -> str:
        return f"{self.id}@{self.version}"


@record
class OutlineSection:
    title: str
    slots: tuple[str, ...] = ()
    sections: tuple[OutlineSection, ...] = ()
    when: str = ""
    for_each: str = ""  # "service in services"
    block: str = ""  # signatures | glossary
    appendix: bool = False
    line: int = 0


@record
class Outline:
    kind: str
    title: str
    subtitle: str
    sections: tuple[OutlineSection, ...]
    path: Path

    def slots(self) -> list[str]:
        found: list[str] = []

        def walk(sections: tuple[OutlineSection, ...]) -> None:
            for section in sections:
                found.extend(section.slots)
                walk(section.sections)

        walk(self.sections)
        return found


@dataclass
class Library:
    clauses: dict[str, Clause] = field(default_factory=dict)
    roots: list[Path] = field(default_factory=list)
    problems: list[Diagnostic] = field(default_factory=list)

    def by_slot(self, slot: str, kind: str) -> list[Clause]:
        return sorted((c for c in self.clauses.values() if c.slot == slot and
                       kind in c.applies_to), key=lambda c: c.id)


# --- clauses -----------------------------------------------------------------


def load_library(extra: list[Path] | None = None, strict: bool = True) -> Library:
    """Bundled clauses, then each extra folder overriding by id."""
    library = Library()
    for root in [BUNDLED_CLAUSES, *(extra or [])]:
        _load_root(library, root)
    if strict and library.problems:
        raise ClauseError(diagnostics=library.problems)
    return library


def _load_root(library: Library, root: Path) -> None:
    if not root.is_dir():
        library.problems.append(Diagnostic(str(root), 0, 0, "", "is not a folder of clauses",
                                           "library.missing"))
        return
    real_root = root.resolve()
    library.roots.append(real_root)
    files = _clause_files(root, real_root, library.problems)
    key = _root_key(files)
    cached = read_pickle("library", f"{key}.clauses") if key else None
    if isinstance(cached, list):
        library.clauses.update((clause.id, clause) for clause in cached)
        return
    before = len(library.problems)
    clauses = []
    seen_here: dict[str, Path] = {}
    for path in files:
        clause = _load_clause(path, library.problems)
        if clause is None:
            continue
        if clause.id in seen_here:
            library.problems.append(Diagnostic(str(path), 2, 0, "id", f"duplicate clause id "
                                               f"'{clause.id}' (also in {seen_here[clause.id]})",
                                               "library.duplicate-id"))
            continue
        seen_here[clause.id] = path
        clauses.append(clause)
    library.clauses.update((clause.id, clause) for clause in clauses)
    if key and len(library.problems) == before:
        store_pickle("library", f"{key}.clauses", clauses)


def _clause_files(root: Path, real_root: Path, problems: list[Diagnostic]) -> list[Path]:
    """The `*.md` clause files under `root`, in order; links leading outside are refused."""
    files = []
    for path in sorted(root.rglob("*.md")):
        if path.name.startswith(("_", ".")) or path.name.lower() == "readme.md":
            continue
        if not path.resolve().is_relative_to(real_root):
            problems.append(Diagnostic(str(path), 0, 0, "", "points outside the "
                                       "library folder; not read", "library.symlink"))
            continue
        files.append(path)
    return files


def _root_key(files: list[Path]) -> str | None:
    """Cache key of a library folder as read: its files as they are now, and this reader.

    Parsing the front matter of every clause is a good part of assembling a
    document; a folder whose files are all unchanged is read from the cache.
    """
    here = Path(__file__).parent
    reader = files_stamp(here / "library.py", here / "yamlsrc.py")
    listing = files_stamp(*files)
    if reader is None or listing is None:
        return None
    return hashlib.sha256(f"{reader}\0{listing}\0{len(files)}".encode()).hexdigest()


def _load_clause(path: Path, problems: list[Diagnostic]) -> Clause | None:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Diagnostic(name, 0, 0, "", f"cannot be read: {exc}", "library.read"))
        return None
    match = _FRONT_RE.match(text)
    if not match:
        problems.append(Diagnostic(name, 1, 0, "", "has no front matter", "library.front-matter",
                                   hint="start the file with '---', id, title, version, "
                                        "applies_to, then '---'"))
        return None
    try:
        meta, source = load_yaml_text(match.group(1), name)
    except InputError as exc:
        problems.extend(_shift(d, 1) for d in exc.diagnostics)
        return None
    body_line = match.group(0).count("\n") + 1
    return _clause_from_meta(meta, source.positions, path, text[match.end():], body_line,
                             problems)


def _shift(diag: Diagnostic, lines: int) -> Diagnostic:
    from dataclasses import replace

    return replace(diag, line=diag.line + lines if diag.line else 0)


def _clause_from_meta(meta: Any, positions: dict, path: Path, body: str, body_line: int,
                      problems: list[Diagnostic]) -> Clause | None:
    name = str(path)

    def bad(key: str, message: str, hint: str = "") -> None:
        line = positions.get((key,), (0, 0))[0]
        problems.append(Diagnostic(name, line + 1 if line else 1, 0, key, message,
                                   "library.front-matter", hint=hint))

    if not isinstance(meta, dict):
        bad("", "front matter must be a mapping")
        return None
    before = len(problems)
    for key in ("id", "title", "version", "applies_to"):
        if key not in meta:
            bad(key, f"missing '{key}'")
    known = {"id", "title", "version", "applies_to", "slot", "variant", "default", "when",
             "summary", "defines"}
    for key in meta:
        if key not in known:
            bad(key, f"unknown key '{key}'", f"known keys: {', '.join(sorted(known))}")
    clause_id = str(meta.get("id", ""))
    if "id" in meta and not _ID_RE.match(clause_id):
        bad("id", f"'{clause_id}' is not a clause id (lower case, digits, '.', '-')")
    version = str(meta.get("version", ""))
    if "version" in meta and not _VERSION_RE.match(version):
        bad("version", f"'{version}' is not a version like 1.0.0")
    applies = meta.get("applies_to", [])
    applies = [applies] if isinstance(applies, str) else applies
    if not isinstance(applies, list) or not applies or any(a not in DOC_KINDS for a in applies):
        bad("applies_to", f"must list document kinds from {', '.join(DOC_KINDS)}")
        applies = []
    defines = meta.get("defines", {}) or {}
    if not isinstance(defines, dict):
        bad("defines", "must map each defined term to its definition")
        defines = {}
    if len(problems) > before:
        return None
    return Clause(
        id=clause_id, title=str(meta["title"]), version=version, applies_to=tuple(applies),
        slot=str(meta.get("slot") or clause_id), body=body, path=path, body_line=body_line,
        variant=str(meta.get("variant") or ""), default=meta.get("default") is True,
        when=str(meta.get("when") or ""), summary=str(meta.get("summary") or ""),
        defines=tuple((str(k), str(v)) for k, v in defines.items()),
    )


# --- outlines ----------------------------------------------------------------


def outline_path(kind: str, override: Path | None = None) -> Path:
    return override if override is not None else BUNDLED_TEMPLATES / f"outline-{kind}.yaml"


def load_outline(path: Path) -> Outline:
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ClauseError(diagnostics=[Diagnostic(name, 0, 0, "", f"cannot read outline: {exc}",
                                                  "outline.read")]) from None
    data, source = load_yaml_text(text, name)
    problems: list[Diagnostic] = []
    if not isinstance(data, dict) or not isinstance(data.get("sections"), list):
        raise ClauseError(diagnostics=[Diagnostic(name, 1, 0, "", "an outline is a mapping "
                                                  "with 'kind', 'title' and 'sections'",
                                                  "outline.shape")])
    kind = str(data.get("kind", ""))
    if kind not in DOC_KINDS:
        problems.append(source.diagnostic(("kind",), f"kind must be one of "
                                          f"{', '.join(DOC_KINDS)}", "outline.kind"))
    sections = _outline_sections(data["sections"], ("sections",), source, problems)
    if problems:
        raise ClauseError(diagnostics=problems)
    return Outline(kind, str(data.get("title", "")), str(data.get("subtitle", "")),
                   sections, path)


def _outline_sections(raw: Any, path: tuple, source: Any,
                      problems: list[Diagnostic]) -> tuple[OutlineSection, ...]:
    out = []
    allowed = {"title", "slots", "sections", "when", "for_each", "block", "appendix"}
    for i, item in enumerate(raw if isinstance(raw, list) else []):
        where = (*path, i)
        if not isinstance(item, dict) or "title" not in item:
            problems.append(source.diagnostic(where, "a section needs a 'title'",
                                              "outline.section"))
            continue
        for key in item:
            if key not in allowed:
                problems.append(source.diagnostic((*where, key), f"unknown key '{key}'",
                                                  "outline.section",
                                                  f"known: {', '.join(sorted(allowed))}"))
        slots = item.get("slots") or []
        if item.get("block") not in (None, "signatures", "glossary"):
            problems.append(source.diagnostic((*where, "block"), "block must be signatures "
                                              "or glossary", "outline.section"))
        out.append(OutlineSection(
            title=str(item["title"]), slots=tuple(str(s) for s in slots),
            sections=_outline_sections(item.get("sections") or [], (*where, "sections"), source,
                                       problems),
            when=str(item.get("when") or ""), for_each=str(item.get("for_each") or ""),
            block=str(item.get("block") or ""), appendix=item.get("appendix") is True,
            line=source.locate(where)[0]))
    return tuple(out)
