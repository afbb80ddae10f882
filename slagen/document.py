"""The renderer-neutral document tree.

Assembly produces one `Document`; every renderer (DOCX, PDF/HTML, Markdown)
walks the same tree, so a clause reads the same in every format.  The tree is
plain frozen data with a stable text form (`outline_text`) used by tests.
"""

from __future__ import annotations

from collections.abc import Iterator

from .records import record

__all__ = [
    "Block",
    "BulletList",
    "Code",
    "Document",
    "Emphasis",
    "GlossaryEntry",
    "Inline",
    "LineBreak",
    "ListItem",
    "OrderedList",
    "Paragraph",
    "Section",
    "SignatureBlock",
    "SignatureParty",
    "Strong",
    "Table",
    "Text",
    "TocEntry",
    "document_text",
    "iter_blocks",
    "plain_text",
]


# --- inline content ----------------------------------------------------------


@record
class Text:
    text: str


@record
class Strong:
    children: tuple[Inline, ...]


@record
class Emphasis:
    children: tuple[Inline, ...]


@record
class Code:
    text: str


@record
class LineBreak:
    pass


Inline = Text | Strong | Emphasis | Code | LineBreak


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The words of a run of inlines, without formatting."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, Text | Code):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append("\n")
        else:
            out.append(plain_text(node.children))
    return "".join(out)


# --- blocks ------------------------------------------------------------------


@record
class Paragraph:
    inlines: tuple[Inline, ...]

    @property
    def text(self) -> str:
        return plain_text(self.inlines)


@record
class ListItem:
    blocks: tuple[Block, ...]


@record
class BulletList:
    items: tuple[ListItem, ...]


@record
class OrderedList:
    items: tuple[ListItem, ...]
    start: int = 1


@record
class Table:
    """A table; cells are inline runs.  `align` per column: left, right, center."""

    header: tuple[tuple[Inline, ...], ...]
    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    align: tuple[str, ...] = ()
    caption: str = ""


@record
class SignatureParty:
    role: str  # "Provider" / "Customer"
    organisation: str
    name: str
    title: str


@record
class SignatureBlock:
    parties: tuple[SignatureParty, ...]


Block = Paragraph | BulletList | OrderedList | Table | SignatureBlock


# --- structure ---------------------------------------------------------------


@record
class Section:
    """A numbered section; `number` is "3" or "3.1"; appendices use "A", "A.1"."""

    number: str
    title: str
    anchor: str
    level: int
    blocks: tuple[Block, ...] = ()
    children: tuple[Section, ...] = ()

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()


@record
class TocEntry:
    number: str
    title: str
    anchor: str
    level: int


@record
class GlossaryEntry:
    term: str
    definition: str


@record
class Document:
    """One document to sign (an SLA, an OLA or an underpinning contract)."""

    kind: str  # sla | ola | uc
    title: str
    subtitle: str
    agreement_id: str
    version: str
    date: str  # ISO date the document is dated (effective date): reproducible metadata
    parties: tuple[tuple[str, str], ...]  # (role, name) for the cover page
    cover_lines: tuple[tuple[str, str], ...]  # (label, value) shown on the cover
    sections: tuple[Section, ...]
    draft: bool = False
    author: str = ""
    keywords: tuple[str, ...] = ()
    glossary: tuple[GlossaryEntry, ...] = ()
    clauses_used: tuple[tuple[str, str], ...] = ()  # (clause id, version)
    file_stem: str = ""  # e.g. ACME-CRM-2027-v1.0.0-sla

    def walk(self) -> Iterator[Section]:
        for section in self.sections:
            yield from section.walk()

    @property
    def toc(self) -> tuple[TocEntry, ...]:
        return tuple(TocEntry(s.number, s.title, s.anchor, s.level) for s in self.walk())

    def outline_text(self) -> str:
        """`3.1 Title` per section, indented by level: a stable form for tests."""
        return "\n".join(f"{'  ' * (e.level - 1)}{e.number} {e.title}" for e in self.toc)


def iter_blocks(blocks: tuple[Block, ...]) -> Iterator[Block]:
    """Every block, list items included, depth first."""
    for block in blocks:
        yield block
        if isinstance(block, BulletList | OrderedList):
            for item in block.items:
                yield from iter_blocks(item.blocks)


def document_text(document: Document) -> str:
    """All words of the document in reading order, for search and tests."""
    lines: list[str] = [document.title, document.subtitle]
    for section in document.walk():
        lines.append(f"{section.number} {section.title}")
        for block in iter_blocks(section.blocks):
            if isinstance(block, Paragraph):
                lines.append(block.text)
            elif isinstance(block, Table):
                for row in (block.header, *block.rows):
                    lines.append(" | ".join(plain_text(cell) for cell in row))
            elif isinstance(block, SignatureBlock):
                for party in block.parties:
                    lines.append(f"{party.role}: {party.organisation}, {party.name}, {party.title}")
    return "\n".join(lines)

