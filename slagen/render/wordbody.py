"""The body of a DOCX: numbered headings, paragraphs, lists, tables, signatures.

Split from `docx.py` (cover, page furniture, properties, packaging) to keep
each module short.  The body is built as raw XML through `wordxml` (speed);
`styled_run` and `cell_paragraph` remain for the few python-docx paragraphs
of the cover and page furniture.  python-docx is imported inside the functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

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
from slagen.render import wordxml
from slagen.render.common import SIGN_LINE
from slagen.render.wordtoc import bookmark_name

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.table import _Cell
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
    """Writes sections and their blocks straight into the body's XML (`wordxml`).

    The python-docx proxies cost milliseconds per table and paragraph; the
    elements appended here are the ones they would write.  Call `section` with
    the body's `w:sectPr` detached, so the paragraphs land before it once it is
    put back (see `docx.render_docx`).
    """

    def __init__(self, word: WordDocument) -> None:
        self.word = word
        self.body = word.element.body
        self.headings = 0  # headings written so far: numbers their bookmarks
        self._style_ids: dict[str, str] = {}
        self.numbering = wordxml.ListNumbering(word)
        self._column_space = word._block_width  # noqa: SLF001 - what add_table divides

    def style_id(self, name: str) -> str:
        """python-docx looks a style up by scanning every style: look each up once."""
        if name not in self._style_ids:
            self._style_ids[name] = self.word.styles[name].style_id
        return self._style_ids[name]

    def section(self, section: Section, new_page: bool = False) -> None:
        """Heading, blocks, subsections; `new_page` starts the body after the contents.

        A page-break-before property instead of a break character, which would
        leave an empty line at the top of the next page.  Each heading carries
        the bookmark its contents entry points to; sections are written in walk
        order, the order of `Document.toc`, so the n-th heading is `_Toc<n>`.
        """
        level = max(1, min(section.level, 9))
        style = self.style_id(f"Heading {level}")
        heading = wordxml.add_paragraph(self.body, style, page_break=new_page)
        wordxml.add_run(heading, f"{section.number} {section.title}")
        self.headings += 1
        wordxml.add_bookmark(heading, self.headings, bookmark_name(self.headings))
        for block in section.blocks:
            self.block(block, depth=0)
        for child in section.children:
            self.section(child)

    def block(self, block: Block, depth: int) -> None:
        if isinstance(block, Paragraph):
            style = self.style_id(f"List Continue{_level_suffix(depth)}") if depth else None
            add_inlines(wordxml.add_paragraph(self.body, style), block.inlines)
        elif isinstance(block, BulletList):
            self.list_items(block.items, f"List Bullet{_level_suffix(depth + 1)}", None, depth)
        elif isinstance(block, OrderedList):
            style = f"List Number{_level_suffix(depth + 1)}"
            num_id = self.numbering.restart(style, block.start)
            self.list_items(block.items, style, num_id, depth)
        elif isinstance(block, Table):
            self.table(block)
        else:
            self.signature_block(block)

    def list_items(
        self, items: tuple[ListItem, ...], style: str, num_id: int | None, depth: int
    ) -> None:
        """The first paragraph of an item carries the bullet or number; the rest continue it."""
        style_id = self.style_id(style)
        for item in items:
            first, rest = _split_first_paragraph(item.blocks)
            paragraph = wordxml.add_paragraph(self.body, style_id, num_id=num_id)
            add_inlines(paragraph, first.inlines if first else ())
            for block in rest:
                self.block(block, depth + 1)

    def table(self, table: Table) -> None:
        """A grid in the table style; the header row is shaded and repeats on every page."""
        width = max(len(row) for row in (table.header, *table.rows))
        if width == 0:
            return
        if table.caption:
            caption = self.style_id("Caption")
            wordxml.add_text_paragraph(self.body, caption, table.caption, keep_next=True)
        contents = (table.header, *table.rows)
        rows = wordxml.add_table(
            self.body, len(contents), width, self._twips(width), self.style_id(TABLE_STYLE)
        )
        for index, (cells, content) in enumerate(zip(rows, contents, strict=True)):
            header = index == 0
            flags = ("cantSplit", "tblHeader") if header else ("cantSplit",)
            wordxml.row_properties(cells[0].getparent(), *flags)
            for column, inlines in enumerate(content):
                tc = cells[column]
                add_inlines(_cell_paragraph(tc, _column_align(table, column)), inlines, header)
                if header:
                    wordxml.cell_shading(tc, HEADER_FILL)
        # The spacer keeps two tables apart and gives air after the grid.
        wordxml.add_paragraph(self.body, after=0)

    def signature_block(self, block: SignatureBlock) -> None:
        """Two parties side by side per row; rows never split, so a block stays on one page."""
        if not block.parties:
            return  # Word treats a table without rows as a damaged file
        columns = 1 if len(block.parties) == 1 else 2
        rows = -(-len(block.parties) // columns)
        cells = wordxml.add_table(self.body, rows, columns, self._twips(columns), borderless=True)
        for row in cells:
            wordxml.row_properties(row[0].getparent(), "cantSplit")
        for index, party in enumerate(block.parties):
            _signature_cell(cells[index // columns][index % columns], party)

    def _twips(self, columns: int) -> int:
        """A column's width as python-docx's add_table sizes it: the text width shared out."""
        from docx.shared import Emu

        return Emu(self._column_space // columns).twips


def _split_first_paragraph(blocks: tuple[Block, ...]) -> tuple[Paragraph | None, tuple[Block, ...]]:
    if blocks and isinstance(blocks[0], Paragraph):
        return blocks[0], blocks[1:]
    return None, blocks


def _level_suffix(level: int) -> str:
    """Word's list styles go "List Bullet", "List Bullet 2", "List Bullet 3"."""
    level = min(level, 3)
    return "" if level <= 1 else f" {level}"


def _column_align(table: Table, column: int) -> str:
    return table.align[column] if column < len(table.align) else "left"


def _cell_paragraph(tc: Any, align: str) -> Any:
    """The cell's own first `w:p` (the last child `add_table` gave it), tightened for tables."""
    p = tc[-1]
    tc.remove(p)
    return wordxml.add_paragraph(tc, before=2, after=2, align=align)


def _signature_cell(tc: Any, party: SignatureParty) -> None:
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
    tc.remove(tc[-1])  # the empty paragraph: the first line takes its place
    for index, (text, look) in enumerate(lines):
        keep = index < len(lines) - 1
        before, align = (2, "left") if index == 0 else (None, None)
        paragraph = wordxml.add_paragraph(tc, keep_next=keep, before=before, after=6, align=align)
        wordxml.add_run(
            paragraph,
            text,
            bold=look.get("bold", False),
            italic=look.get("italic", False),
            size=look.get("size"),
            color=look.get("color"),
            font=SANS_FONT if look.get("sans") else None,
        )


# --- inline ----------------------------------------------------------------------


def add_inlines(
    paragraph: Any,
    inlines: tuple[Inline, ...],
    bold: bool = False,
    italic: bool = False,
) -> None:
    """Runs for a run of inlines into a `w:p`; nesting of Strong/Emphasis becomes run flags."""
    for node in inlines:
        if isinstance(node, Text):
            wordxml.add_run(paragraph, node.text, bold=bold, italic=italic)
        elif isinstance(node, Code):
            wordxml.add_run(paragraph, node.text, bold=bold, italic=italic, font=MONO_FONT)
        elif isinstance(node, LineBreak):
            wordxml.add_run(paragraph, "\n")
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
