"""An estimate of the page each DOCX heading lands on, for the contents' page numbers.

Word recomputes the contents on open, but LibreOffice keeps the page numbers
a DOCX was saved with (it imports the TOC field's result as fixed text, and
its PAGEREF fields as the text they hold), so they are what a PDF made with
LibreOffice prints.  python-docx does no layout, so this module approximates
LibreOffice's: it wraps each paragraph greedily with Times New Roman's
character widths, takes sizes and spacing from the Word styles, and flows the
lines down pages with the rules the DOCX sets (a heading stays with what
follows, no single line of a paragraph alone at a page edge, table rows never
split and the header row repeats, the body starts on a new page).

Text measurement lives in `wordmetrics`.  It is an estimate: on the bundled
examples it puts every heading on the page LibreOffice 7.4 does, but a line
that only just fits may wrap differently there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from slagen.document import (
    Block,
    BulletList,
    Document,
    Inline,
    OrderedList,
    Paragraph,
    Section,
    SignatureBlock,
    Table,
    TocEntry,
)
from slagen.render.wordmetrics import StyleMetrics, metrics_lookup

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

__all__ = ["estimate_heading_pages"]

CELL_PADDING_PT = 10.8  # Table Grid's 108 twips of cell margin, left plus right
ROW_PADDING_PT = 4.5  # a cell paragraph's 2 pt above and below, and the rule
LIST_INDENT_PT = 18.0  # the template's numbering indents 360 twips per level
SIGNATURE_LINES = 8  # lines per signature box (see wordbody._signature_cell)
PAGE_NUMBER_PT = 24.0  # room a contents entry leaves for its dot leader and page number


@dataclass
class _Unit:
    """A piece that never splits: a line of a paragraph, a table row, a heading.

    `keep` ties it to the next unit's page; `before` and `after` are its
    paragraph's spacing, of which LibreOffice puts the larger between two
    paragraphs and drops `before` at the top of a page (unless a page break
    put it there).
    """

    height: float
    before: float = 0.0
    after: float = 0.0
    keep: bool = False
    heading: int = 0  # the 1-based walk index of the heading it is, if it is one
    new_page: bool = False
    repeat: float = 0.0  # a table row's repeated header: it comes first on a new page


class _Pager:
    """Places units down pages of `height` points, starting on page `page`."""

    def __init__(self, height: float, page: int) -> None:
        self.height = height
        self.page = page
        self.used = 0.0
        self.after = 0.0  # spacing owed by the last unit placed

    def place_all(self, units: list[_Unit]) -> list[int]:
        """Place every unit; the pages of the headings, in order.

        A group tied by `keep` moves to a new page whole when it does not fit
        the rest of this one but would fit an empty page.
        """
        pages: list[int] = []
        index = 0
        while index < len(units):
            end = index
            while units[end].keep and end + 1 < len(units):
                end += 1
            group = units[index : end + 1]
            if group[0].new_page and self.used:
                self.next_page(group[0])
            if self.used and not self.fits(group) and self.extent(group, 0.0) <= self.height:
                self.next_page(group[0])
            for unit in group:
                self.place(unit)
                if unit.heading:
                    pages.append(self.page)
            index = end + 1
        return pages

    def place(self, unit: _Unit) -> None:
        if self.used and self.used + self.gap(unit) + unit.height > self.height:
            self.next_page(unit)
        self.used += self.gap(unit) + unit.height
        self.after = unit.after

    def gap(self, unit: _Unit) -> float:
        if self.used:
            return max(self.after, unit.before)
        return unit.before if unit.new_page else 0.0

    def fits(self, group: list[_Unit]) -> bool:
        return self.used + self.extent(group, self.after) <= self.height

    def extent(self, group: list[_Unit], after: float) -> float:
        """The height `group` takes when it follows spacing `after` (0 at a page top)."""
        total = 0.0
        for unit in group:
            total += (max(after, unit.before) if total or after else 0.0) + unit.height
            after = unit.after
        return total

    def next_page(self, first: _Unit) -> None:
        """Start a page with `first`, after its table's header row if it is a table row."""
        self.page, self.used, self.after = self.page + 1, first.repeat, 0.0


def estimate_heading_pages(
    word: WordDocument, document: Document, width: float, height: float, toc: list[TocEntry]
) -> list[int]:
    """The estimated page of every section heading, in walk order.

    `width` and `height` are the text area in points; the cover is page 1 and
    the contents, with the entries `toc`, starts on page 2.
    """
    contents = _Pager(height, 2)
    metrics = metrics_lookup(word)
    heading = metrics("TOC Heading")
    contents.place(_Unit(heading.line(), after=heading.after))
    for entry in toc:
        style = metrics(f"toc {entry.level}")
        text = f"{entry.number} {entry.title}"
        lines = style.lines(text, width - style.indent - PAGE_NUMBER_PT, bold=entry.level == 1)
        contents.place(_Unit(lines * style.line(), style.before, style.after))
    flow = _Flow(metrics, width)
    units: list[_Unit] = []
    for index, section in enumerate(document.sections):
        units.extend(flow.section(section, first=index == 0))
    return _Pager(height, contents.page + 1).place_all(units)


class _Flow:
    """Turns sections and blocks into units, with the metrics of the styles they use."""

    def __init__(self, metrics: Callable[[str], StyleMetrics], width: float) -> None:
        self.metrics = metrics
        self.width = width
        self.normal = metrics("Normal")
        self.headings = 0

    def section(self, section: Section, first: bool = False) -> list[_Unit]:
        self.headings += 1
        style = self.metrics(f"Heading {max(1, min(section.level, 9))}")
        lines = style.lines(f"{section.number} {section.title}", self.width, bold=True)
        units = [_Unit(lines * style.line(), style.before, style.after, True, self.headings, first)]
        for block in section.blocks:
            units.extend(self.block(block, depth=0))
        for child in section.children:
            units.extend(self.section(child))
        return units

    def block(self, block: Block, depth: int) -> list[_Unit]:
        if isinstance(block, Paragraph):
            return self.paragraph(block.inlines, self.width - depth * LIST_INDENT_PT)
        if isinstance(block, BulletList | OrderedList):
            return self.list_items(block, depth)
        if isinstance(block, Table):
            return self.table(block)
        return self.signatures(block)

    def list_items(self, block: BulletList | OrderedList, depth: int) -> list[_Unit]:
        """Items of one list sit tight: contextual spacing drops the space between
        paragraphs of the same style, but not around a nested list (another style)."""
        units: list[_Unit] = []
        for item in block.items:
            for inner in item.blocks:
                units.extend(self.block(inner, depth + 1))
            if units and len(item.blocks) == 1:
                units[-1].after = 0.0
        if units:
            units[-1].after = self.normal.after
        return units

    def paragraph(self, inlines: tuple[Inline, ...], width: float) -> list[_Unit]:
        """One unit per line; the first two and the last two stay together (orphans, widows)."""
        count = self.normal.lines(inlines, width)
        units = [_Unit(self.normal.line()) for _ in range(count)]
        units[0].before = self.normal.before
        units[-1].after = self.normal.after
        units[0].keep = count > 1
        if count > 2:
            units[-2].keep = True
        return units

    def table(self, table: Table) -> list[_Unit]:
        """Caption, then one unit per row; rows never split, the header stays with row one."""
        columns = max(len(row) for row in (table.header, *table.rows))
        if columns == 0:
            return []
        units: list[_Unit] = []
        if table.caption:
            caption = self.metrics("Caption")
            units.append(_Unit(caption.line(), caption.before, caption.after, keep=True))
        cell_width = self.width / columns - CELL_PADDING_PT
        header = 0.0
        for index, row in enumerate((table.header, *table.rows)):
            bold = index == 0  # the header row
            lines = max((self.normal.lines(c, cell_width, bold) for c in row), default=1)
            height = lines * self.normal.line() + ROW_PADDING_PT
            units.append(_Unit(height, keep=index == 0, repeat=header))
            header = header or height
        units.append(_Unit(self.normal.line()))  # the spacer paragraph after the grid
        return units

    def signatures(self, block: SignatureBlock) -> list[_Unit]:
        rows = -(-len(block.parties) // (1 if len(block.parties) == 1 else 2))
        box = SIGNATURE_LINES * (self.normal.line() + 6)
        return [_Unit(box) for _ in range(rows)]
