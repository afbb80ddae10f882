"""The body of a DOCX: numbered headings, paragraphs, lists, tables, signatures.

Split from `docx.py` (cover, page furniture, properties, packaging) to keep
each module short.  python-docx is imported inside the functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from slagen.document import (
    Block,
    BulletList,
    Code,
    Emphasis,
    Inline,
    LineBreak,
    ListItem,
    OrderedList,
    Paragraph,
    Section,
    SignatureBlock,
    SignatureParty,
    Strong,
    Table,
    Text,
)
from slagen.render import wordml
from slagen.render.common import SIGN_LINE
from slagen.render.wordtoc import bookmark_name

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.table import _Cell, _Row
    from docx.text.paragraph import Paragraph as WordParagraph
    from docx.text.run import Run

__all__ = ["BodyWriter", "Look", "add_inlines", "cell_paragraph", "styled_run"]

SANS_FONT = "Arial"  # LibreOffice shows it as the metric-equal Liberation Sans
MONO_FONT = "Courier New"
TABLE_STYLE = "Table Grid"
HEADER_FILL = "E9ECEF"
GREY = "555555"


class Look(TypedDict, total=False):
    """Direct run formatting for the few places that are not a style of their own."""

    bold: bool
    italic: bool
    size: float
    color: str
    sans: bool


# --- body ------------------------------------------------------------------------


class BodyWriter:
    """Writes sections and their blocks; `depth` is the list nesting, for the list styles."""

    def __init__(self, word: WordDocument) -> None:
        self.word = word
        self.headings = 0  # headings written so far: numbers their bookmarks
        self._style_ids: dict[str, str] = {}

    def paragraph(self, style: str | None = None) -> WordParagraph:
        """A new body paragraph in `style`.

        python-docx looks a style up by scanning every style on each assignment;
        a long agreement assigns thousands, so the ids are looked up once.
        """
        paragraph = self.word.add_paragraph()
        if style is not None:
            if style not in self._style_ids:
                self._style_ids[style] = self.word.styles[style].style_id
            paragraph._p.style = self._style_ids[style]  # noqa: SLF001 - documented oxml API
        return paragraph

    def section(self, section: Section, new_page: bool = False) -> None:
        """Heading, blocks, subsections; `new_page` starts the body after the contents.

        A page-break-before property instead of a break character, which would
        leave an empty line at the top of the next page.  Each heading carries
        the bookmark its contents entry points to; sections are written in walk
        order, the order of `Document.toc`, so the n-th heading is `_Toc<n>`.
        """
        level = max(1, min(section.level, 9))
        heading = self.paragraph(f"Heading {level}")
        heading.add_run(f"{section.number} {section.title}")
        self.headings += 1
        wordml.add_bookmark(heading, self.headings, bookmark_name(self.headings))
        if new_page:
            heading.paragraph_format.page_break_before = True
        for block in section.blocks:
            self.block(block, depth=0)
        for child in section.children:
            self.section(child)

    def block(self, block: Block, depth: int) -> None:
        if isinstance(block, Paragraph):
            style = f"List Continue{_level_suffix(depth)}" if depth else None
            add_inlines(self.paragraph(style), block.inlines)
        elif isinstance(block, BulletList):
            self.list_items(block.items, f"List Bullet{_level_suffix(depth + 1)}", None, depth)
        elif isinstance(block, OrderedList):
            style = f"List Number{_level_suffix(depth + 1)}"
            num_id = wordml.restart_numbering(self.word, self.word.styles[style], block.start)
            self.list_items(block.items, style, num_id, depth)
        elif isinstance(block, Table):
            _table(self.word, block)
        else:
            _signature_block(self.word, block)

    def list_items(
        self, items: tuple[ListItem, ...], style: str, num_id: int | None, depth: int
    ) -> None:
        """The first paragraph of an item carries the bullet or number; the rest continue it."""
        for item in items:
            first, rest = _split_first_paragraph(item.blocks)
            paragraph = self.paragraph(style)
            if num_id is not None:
                wordml.set_numbering(paragraph, num_id)
            add_inlines(paragraph, first.inlines if first else ())
            for block in rest:
                self.block(block, depth + 1)


def _split_first_paragraph(blocks: tuple[Block, ...]) -> tuple[Paragraph | None, tuple[Block, ...]]:
    if blocks and isinstance(blocks[0], Paragraph):
        return blocks[0], blocks[1:]
    return None, blocks


def _level_suffix(level: int) -> str:
    """Word's list styles go "List Bullet", "List Bullet 2", "List Bullet 3"."""
    level = min(level, 3)
    return "" if level <= 1 else f" {level}"


def _table(word: WordDocument, table: Table) -> None:
    """A grid in the table style; the header row is shaded and repeats on every page."""
    from docx.shared import Pt

    width = max(len(row) for row in (table.header, *table.rows))
    if width == 0:
        return
    if table.caption:
        caption = word.add_paragraph(table.caption, style="Caption")
        caption.paragraph_format.keep_with_next = True
    grid = word.add_table(rows=1 + len(table.rows), cols=width)
    grid.style = word.styles[TABLE_STYLE]
    contents = (table.header, *table.rows)
    for index, (row, cells) in enumerate(zip(grid.rows, contents, strict=True)):
        _table_row(row, cells, table, header=index == 0)
    spacer = word.add_paragraph()  # keeps two tables apart and gives air after the grid
    spacer.paragraph_format.space_after = Pt(0)


def _table_row(
    row: _Row, cells: tuple[tuple[Inline, ...], ...], table: Table, header: bool
) -> None:
    wordml.keep_row_together(row)
    if header:
        wordml.mark_header_row(row)
    row_cells = row.cells  # python-docx rebuilds this list on every access
    for column, content in enumerate(cells):
        cell = row_cells[column]
        add_inlines(cell_paragraph(cell, _column_align(table, column)), content, bold=header)
        if header:
            wordml.set_cell_shading(cell, HEADER_FILL)


def _column_align(table: Table, column: int) -> str:
    return table.align[column] if column < len(table.align) else "left"


def _signature_block(word: WordDocument, block: SignatureBlock) -> None:
    """Two parties side by side per row; rows never split, so a block stays on one page."""
    if not block.parties:
        return  # Word treats a table without rows as a damaged file
    columns = 1 if len(block.parties) == 1 else 2
    rows = -(-len(block.parties) // columns)
    grid = word.add_table(rows=rows, cols=columns)
    wordml.remove_table_borders(grid)
    for index, party in enumerate(block.parties):
        row = grid.rows[index // columns]
        wordml.keep_row_together(row)
        _signature_cell(row.cells[index % columns], party)


def _signature_cell(cell: _Cell, party: SignatureParty) -> None:
    from docx.shared import Pt

    lines: list[tuple[str, Look]] = [
        (party.role.upper(), {"bold": True, "size": 9, "color": GREY, "sans": True}),
        (party.organisation, {"bold": True}),
        ("", {}),
        (f"Signature: {SIGN_LINE}", {}),
        (f"Name: {party.name}", {}),
        (f"Title: {party.title}", {}),
        ("", {}),
        (f"Date: {SIGN_LINE}", {}),
    ]
    for index, (text, style) in enumerate(lines):
        paragraph = cell_paragraph(cell) if index == 0 else cell.add_paragraph()
        paragraph.paragraph_format.keep_with_next = index < len(lines) - 1
        paragraph.paragraph_format.space_after = Pt(6)
        styled_run(paragraph, text, **style)


# --- inline ----------------------------------------------------------------------


def add_inlines(
    paragraph: WordParagraph,
    inlines: tuple[Inline, ...],
    bold: bool = False,
    italic: bool = False,
) -> None:
    """Runs for a run of inlines; nesting of Strong/Emphasis becomes run flags."""
    for node in inlines:
        if isinstance(node, Text):
            _flag_run(paragraph.add_run(node.text), bold, italic)
        elif isinstance(node, Code):
            run = paragraph.add_run(node.text)
            run.font.name = MONO_FONT
            _flag_run(run, bold, italic)
        elif isinstance(node, LineBreak):
            paragraph.add_run().add_break()
        elif isinstance(node, Strong):
            add_inlines(paragraph, node.children, True, italic)
        elif isinstance(node, Emphasis):
            add_inlines(paragraph, node.children, bold, True)


def _flag_run(run: Run, bold: bool, italic: bool) -> None:
    if bold:
        run.bold = True
    if italic:
        run.italic = True


def styled_run(
    paragraph: WordParagraph,
    text: str,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    color: str | None = None,
    sans: bool = False,
) -> None:
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(text)
    _flag_run(run, bold, italic)
    if size is not None:
        run.font.size = Pt(size)
    if color is not None:
        run.font.color.rgb = RGBColor.from_string(color)
    if sans:
        run.font.name = SANS_FONT


def cell_paragraph(cell: _Cell, align: str = "left") -> WordParagraph:
    """The cell's own first paragraph, tightened for tables."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_before = Pt(2)
    paragraph.paragraph_format.space_after = Pt(2)
    paragraph.alignment = {
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
    }.get(align, WD_ALIGN_PARAGRAPH.LEFT)
    return paragraph
