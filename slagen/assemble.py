"""Model + clause library + outline → numbered document tree.

The outline gives the order; each slot is filled by the one clause whose
conditions hold (or the variant the agreement chose); each clause is
rendered in the sandbox and parsed as Markdown.  Sections left empty are
dropped so numbering stays contiguous.  The glossary is built last, from the
defined terms the finished text actually uses.
"""

from __future__ import annotations

import re
import string
import traceback
from collections.abc import Iterable
from dataclasses import field
from typing import Any

from jinja2 import Template, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SecurityError

from .document import (
    Block,
    Document,
    GlossaryEntry,
    Paragraph,
    Section,
    SignatureBlock,
    SignatureParty,
    Strong,
    Text,
)
from .errors import ClauseError, Diagnostic
from .library import Clause, Library, Outline, OutlineSection
from .mdparse import parse_markdown
from .records import record
from .templating import (
    RENDER_SECONDS,
    RenderTimeout,
    clause_environment,
    compiled_clause,
    compiled_expression,
    compiled_text,
    time_limit,
)

__all__ = ["AssemblyRequest", "assemble"]


@record
class AssemblyRequest:
    """What to assemble: which outline, from which library, with which names."""

    outline: Outline
    library: Library
    context: dict[str, Any]
    variants: dict[str, str] = field(default_factory=dict)
    definitions: dict[str, str] = field(default_factory=dict)
    signatories: tuple[SignatureParty, ...] = ()
    file_stem: str = ""
    draft: bool = False


class _Assembler:
    def __init__(self, request: AssemblyRequest) -> None:
        self.request = request
        self.env = clause_environment()
        self.templates: dict[str, Template] = {}
        self.titles: dict[str, Template] = {}  # outline titles and conditions repeat per item
        self.expressions: dict[str, Any] = {}
        self.used: dict[str, str] = {}

    # -- evaluation helpers --------------------------------------------------

    def expression(self, text: str, context: dict[str, Any], where: str, line: int) -> Any:
        try:
            with time_limit(RENDER_SECONDS):
                if text not in self.expressions:
                    self.expressions[text] = compiled_expression(self.env, text)
                return self.expressions[text](**context)
        except (TemplateError, SecurityError, RenderTimeout, TypeError, ValueError,
                AttributeError, KeyError) as exc:
            raise ClauseError(diagnostics=[Diagnostic(where, line, 0, "", f"condition "
                                                      f"'{text}' cannot be evaluated: {exc}",
                                                      "clause.condition")]) from None

    def render_text(self, text: str, context: dict[str, Any], where: str, line: int) -> str:
        try:
            with time_limit(RENDER_SECONDS):
                if text not in self.titles:
                    self.titles[text] = compiled_text(self.env, text)
                return self.titles[text].render(context).strip()
        except (TemplateError, SecurityError, RenderTimeout, TypeError, ValueError) as exc:
            raise ClauseError(diagnostics=[Diagnostic(where, line, 0, "", f"'{text}': {exc}",
                                                      "outline.title")]) from None

    # -- clauses -------------------------------------------------------------

    def choose(self, slot: str, context: dict[str, Any], section: OutlineSection) -> Clause | None:
        kind = self.request.outline.kind
        eligible = [c for c in self.request.library.by_slot(slot, kind)
                    if not c.when or self.expression(c.when, context, str(c.path), 2)]
        if not eligible:
            return None
        wanted = self.request.variants.get(slot)
        if wanted:
            chosen = [c for c in eligible if c.variant == wanted]
            if chosen:
                return chosen[0]
        if len(eligible) == 1:
            return eligible[0]
        defaults = [c for c in eligible if c.default]
        if len(defaults) == 1:
            return defaults[0]
        names = ", ".join(f"{c.id} (variant {c.variant or '-'})" for c in eligible)
        raise ClauseError(diagnostics=[Diagnostic(
            str(self.request.outline.path), section.line, 0, "", f"slot '{slot}' has "
            f"several clauses that apply: {names}", "clause.ambiguous",
            hint=f"choose one in the agreement: variants: {{{slot}: <variant>}}, or mark one "
                 "'default: true'")])

    def render_clause(self, clause: Clause, context: dict[str, Any]) -> tuple[Block, ...]:
        self.used[clause.id] = clause.version
        try:
            template = self.templates.get(clause.id) or self._compile(clause)
            with time_limit(RENDER_SECONDS):
                text = template.render(context)
        except _RENDER_ERRORS as exc:
            line, message = _describe_render_error(exc, clause)
            raise self._clause_error(clause, line, message) from None
        return parse_markdown(text)

    def _compile(self, clause: Clause) -> Template:
        code = compiled_clause(self.env, clause.body, clause.id, str(clause.path))
        template = self.env.template_class.from_code(self.env, code, self.env.make_globals(None))
        self.templates[clause.id] = template
        return template

    def _clause_error(self, clause: Clause, line: int | None, message: str) -> ClauseError:
        file_line = clause.body_line + (line or 1) - 1
        return ClauseError(diagnostics=[Diagnostic(str(clause.path), file_line, 0, "",
                                                   f"clause '{clause.id}': {message}",
                                                   "clause.render")])

    # -- sections ------------------------------------------------------------

    def sections(self, outline: Iterable[OutlineSection], context: dict[str, Any],
                 prefix: str, level: int) -> list[Section]:
        built: list[Section] = []
        main = appendix = 0
        for spec in outline:
            for item_context in self.expand(spec, context):
                if spec.appendix and level == 1:
                    number = string.ascii_uppercase[appendix]
                else:
                    number = f"{prefix}{main + 1}"
                section = self.section(spec, item_context, number, level)
                if section is None:
                    continue
                built.append(section)
                if spec.appendix and level == 1:
                    appendix += 1
                else:
                    main += 1
        return built

    def expand(self, spec: OutlineSection, context: dict[str, Any]) -> list[dict[str, Any]]:
        where = str(self.request.outline.path)
        if spec.when and not self.expression(spec.when, context, where, spec.line):
            return []
        if not spec.for_each:
            return [context]
        name, _, expr = spec.for_each.partition(" in ")
        if not name.strip().isidentifier() or not expr.strip():
            raise ClauseError(diagnostics=[Diagnostic(where, spec.line, 0, "for_each",
                                                      f"'{spec.for_each}' is not 'name in "
                                                      "expression'", "outline.for-each")])
        items = self.expression(expr.strip(), context, where, spec.line) or []
        return [{**context, name.strip(): item} for item in items]

    def section(self, spec: OutlineSection, context: dict[str, Any], number: str,
                level: int) -> Section | None:
        where = str(self.request.outline.path)
        blocks: list[Block] = []
        for slot in spec.slots:
            clause = self.choose(slot, context, spec)
            if clause is not None:
                blocks.extend(self.render_clause(clause, context))
        if spec.block == "signatures" and self.request.signatories:
            blocks.append(SignatureBlock(self.request.signatories))
        children = self.sections(spec.sections, context, f"{number}.", level + 1)
        if not blocks and not children and spec.block != "glossary":
            return None
        title = self.render_text(spec.title, context, where, spec.line)
        anchor = "sec-" + re.sub(r"[^A-Za-z0-9]+", "-", number).strip("-").lower()
        marker = (_GLOSSARY_MARKER,) if spec.block == "glossary" else ()
        return Section(number, title, anchor, level, tuple(blocks) + marker, tuple(children))


_GLOSSARY_MARKER = Paragraph((Text("\x00glossary"),))
_RENDER_ERRORS = (TemplateError, SecurityError, RenderTimeout, TypeError, ValueError,
                  AttributeError, ArithmeticError, KeyError, IndexError, RecursionError)


def _describe_render_error(exc: BaseException, clause: Clause) -> tuple[int | None, str]:
    """Where in the clause rendering failed, and why, in a clause author's words."""
    if isinstance(exc, TemplateSyntaxError):
        return exc.lineno, f"template syntax: {exc.message}"
    line = _template_line(exc, clause)
    if isinstance(exc, UndefinedError):
        return line, f"{exc.message}; the agreement model has no such value"
    if isinstance(exc, SecurityError):
        return line, f"refused by the sandbox: {exc}"
    if isinstance(exc, RenderTimeout):
        return line, f"{exc}; does it loop without end?"
    return line, f"{type(exc).__name__}: {exc}"


def _template_line(exc: BaseException, clause: Clause) -> int | None:
    """The template line where rendering failed, from Jinja's rewritten traceback."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == str(clause.path):
            line = frame.lineno
    return line


def _glossary(sections: list[Section], library: Library,
              definitions: dict[str, str]) -> tuple[GlossaryEntry, ...]:
    """Defined terms the document's text actually uses, alphabetically."""
    from .document import document_text

    terms: dict[str, str] = {}
    for clause in library.clauses.values():
        terms.update(dict(clause.defines))
    terms.update(definitions)
    probe = Document("", "", "", "", "", "", (), (), tuple(sections))
    text = document_text(probe)
    used = [t for t in terms if _mentions(text, t)]
    return tuple(GlossaryEntry(t, terms[t]) for t in sorted(used, key=str.casefold))


def _mentions(text: str, term: str) -> bool:
    """Whether `term` occurs as whole words, as the regex `(?<!\\w)term(?!\\w)` would
    find it: one pattern per term would cost more to compile than to search."""
    start = text.find(term)
    while start >= 0:
        end = start + len(term)
        if not (_is_word_char(text[start - 1:start]) or _is_word_char(text[end:end + 1])):
            return True
        start = text.find(term, start + 1)
    return False


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _fill_glossary(section: Section, entries: tuple[GlossaryEntry, ...]) -> Section:
    blocks: list[Block] = []
    for block in section.blocks:
        if block is _GLOSSARY_MARKER:
            blocks.extend(Paragraph((Strong((Text(e.term),)), Text(f" means {e.definition}")))
                          for e in entries)
        else:
            blocks.append(block)
    children = tuple(_fill_glossary(c, entries) for c in section.children)
    return Section(section.number, section.title, section.anchor, section.level, tuple(blocks),
                   children)


def assemble(request: AssemblyRequest) -> Document:
    """Build the document tree; raise `ClauseError` naming the clause file and line."""
    assembler = _Assembler(request)
    outline = request.outline
    where = str(outline.path)
    sections = assembler.sections(outline.sections, request.context, "", 1)
    glossary = _glossary(sections, request.library, request.definitions)
    sections = [_fill_glossary(s, glossary) for s in sections]
    context = request.context
    agreement = context["agreement"]
    title = assembler.render_text(outline.title, context, where, 1)
    subtitle = assembler.render_text(outline.subtitle, context, where, 1)
    provider, customer = context["provider"], context["customer"]
    return Document(
        kind=outline.kind,
        title=title,
        subtitle=subtitle,
        agreement_id=agreement.id,
        version=agreement.version,
        date=agreement.effective.isoformat(),
        parties=(("Provider", provider.name), ("Customer", customer.name)),
        cover_lines=_cover_lines(context),
        sections=tuple(sections),
        draft=request.draft,
        author=provider.name,
        keywords=("service level agreement", outline.kind.upper(), agreement.id),
        glossary=glossary,
        clauses_used=tuple(sorted(assembler.used.items())),
        file_stem=request.file_stem,
    )


def _cover_lines(context: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    from .templating import long_date

    meta = context["agreement"]
    lines = [("Status", "Draft" if context.get("draft") else meta.status.capitalize()),
             ("Effective", long_date(meta.effective))]
    if meta.expires is not None:
        lines.append(("Expires", long_date(meta.expires)))
    if context.get("team") is not None:
        lines.append(("Team", context["team"].name))
    return tuple(lines)
