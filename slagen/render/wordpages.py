"""An estimate of the page each DOCX heading lands on, for the contents' page numbers.

Word recomputes the contents on open, but LibreOffice keeps the page numbers
a DOCX was saved with (it imports the TOC field's result as fixed text), so
they are what a LibreOffice-made PDF prints.  python-docx does no layout, so
this module approximates one: it flows the document tree down pages of the
given text height, with line heights from the Word styles' sizes and spacing,
lines from an average character width, and the rules the DOCX sets (a heading
stays with what follows, table rows and signature rows never split, the body
starts on a new page after the contents).  It is an estimate, never exact.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from slagen.document import (
    Block,
    BulletList,
    Code,
    Document,
    Inline,
    LineBreak,
    OrderedList,
    Paragraph,
    Section,
    SignatureBlock,
    Strong,
    Table,
    Text,
)

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.styles.style import ParagraphStyle

__all__ = ["StyleMetrics", "estimate_heading_pages"]

LINE_HEIGHT = 1.15  # Times New Roman's line height per point of font size, at single spacing
# Times New Roman's advance widths in thousandths of the font size (other characters: 500).
_WIDTH_GROUPS = {
    250: " .,",
    278: "ijlt:;/",
    333: "frI()-'[]!",
    389: "sJ",
    444: "acezéè",
    556: "FPS",
    611: "ELTZ",
    667: "BCR",
    722: "ADGHKNOQUVXYw—",
    778: "m&",
    833: "%",
    889: "M",
    944: "W",
}
BOLD_FACTOR = 1.07  # Times New Roman Bold runs about this much wider
_WIDTHS = {char: width / 1000 for width, chars in _WIDTH_GROUPS.items() for char in chars}
CELL_PADDING_PT = 10.8  # Table Grid's 108 twips of cell margin, left plus right
ROW_PADDING_PT = 4.5  # a cell paragraph's 2 pt above and below, and the rule
LIST_INDENT_PT = 18.0  # the template's numbering indents 360 twips per level
SIGNATURE_LINES = 8  # lines per signature box (see wordbody._signature_cell)


@dataclass(frozen=True)
class StyleMetrics:
    """What the estimate needs of a paragraph style, in points."""

    size: float
    before: float
    after: float
    spacing: float  # line spacing as a multiple

    def line(self, size: float | None = None) -> float:
        return (size or self.size) * LINE_HEIGHT * self.spacing

    def lines(self, text: str | tuple[Inline, ...], width: float, bold: bool = False) -> int:
        """Lines the text wraps to in `width` (points), breaking at spaces as Word does."""
        glyphs = _glyphs((Text(text),) if isinstance(text, str) else text, bold)
        return sum(_wrap(words, width / self.size) for words in _words(glyphs))


def _words(glyphs: list[tuple[str, float]]) -> list[list[float]]:
    """The widths of the words of each hard line."""
    lines: list[list[float]] = [[0.0]]
    for char, advance in glyphs:
        if char == "\n":
            lines.append([0.0])
        elif char == " ":
            lines[-1].append(0.0)
        else:
            lines[-1][-1] += advance
    return lines


def _wrap(words: list[float], limit: float) -> int:
    """Greedy word wrap of one hard line; a word longer than a line breaks where it must."""
    space = _WIDTHS[" "]
    lines, used = 1, 0.0
    for word in words:
        if used and used + space + word > limit:
            lines, used = lines + 1, 0.0
        used += (space if used else 0.0) + word
        while used > limit:
            lines, used = lines + 1, used - limit
    return lines


def _glyphs(inlines: tuple[Inline, ...], bold: bool) -> list[tuple[str, float]]:
    """Each character with its advance in ems: bold is wider, code is Courier's 0.6."""
    out: list[tuple[str, float]] = []
    for node in inlines:
        if isinstance(node, Text):
            factor = BOLD_FACTOR if bold else 1.0
            out.extend((c, _WIDTHS.get(c, 0.5) * factor) for c in node.text)
        elif isinstance(node, Code):
            out.extend((c, 0.6) for c in node.text)
        elif isinstance(node, LineBreak):
            out.append(("\n", 0.0))
        else:
            out.extend(_glyphs(node.children, bold or isinstance(node, Strong)))
    return out


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
    word: WordDocument, document: Document, width: float, height: float, toc_entries: list[int]
) -> list[int]:
    """The estimated page of every section heading, in walk order.

    `width` and `height` are the text area in points; the cover is page 1 and
    the contents, with an entry per level in `toc_entries`, starts on page 2.
    """
    contents = _Pager(height, 2)
    heading = _style(word, "TOC Heading")
    contents.place(_Unit(heading.line(), after=heading.after))
    for level in toc_entries:
        style = _style(word, f"toc {level}")
        contents.place(_Unit(style.line(), style.before, style.after))
    flow = _Flow(word, width)
    units: list[_Unit] = []
    for index, section in enumerate(document.sections):
        units.extend(flow.section(section, first=index == 0))
    return _Pager(height, contents.page + 1).place_all(units)


class _Flow:
    """Turns sections and blocks into units, with the metrics of the styles they use."""

    def __init__(self, word: WordDocument, width: float) -> None:
        self.word = word
        self.width = width
        self.normal = _style(word, "Normal")
        self.headings = 0

    def section(self, section: Section, first: bool = False) -> list[_Unit]:
        self.headings += 1
        style = _style(self.word, f"Heading {max(1, min(section.level, 9))}")
        lines = style.lines(f"{section.number} {section.title}", self.width, bold=True)
        units = [
            _Unit(lines * style.line(), style.before, style.after, True, self.headings, first)
        ]
        for block in section.blocks:
            units.extend(self.block(block, depth=0))
        for child in section.children:
            units.extend(self.section(child))
        return units

    def block(self, block: Block, depth: int) -> list[_Unit]:
        if isinstance(block, Paragraph):
            return self.paragraph(block.inlines, self.width - depth * LIST_INDENT_PT)
        if isinstance(block, BulletList | OrderedList):
            units: list[_Unit] = []
            for item in block.items:
                for inner in item.blocks:
                    units.extend(self.block(inner, depth + 1))
                    units[-1].after = 0.0  # list paragraphs sit tight (contextual spacing)
            units[-1].after = self.normal.after
            return units
        if isinstance(block, Table):
            return self.table(block)
        return self.signatures(block)

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
        units = []
        if table.caption:
            caption = _style(self.word, "Caption")
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


def _style(word: WordDocument, name: str) -> StyleMetrics:
    """The metrics of style `name`, following `basedOn` for what it leaves unset."""
    from docx.shared import Length

    style: ParagraphStyle | None = word.styles[name]  # type: ignore[assignment]
    size = before = after = spacing = None
    while style is not None:
        layout = style.paragraph_format
        size = size if size is not None else style.font.size
        before = before if before is not None else layout.space_before
        after = after if after is not None else layout.space_after
        if spacing is None and layout.line_spacing is not None:
            spacing = layout.line_spacing
        style = style.base_style  # type: ignore[assignment]
    if isinstance(spacing, Length):  # an exact height: as a multiple of single spacing
        spacing = spacing.pt / ((size.pt if size else 11) * LINE_HEIGHT)
    return StyleMetrics(
        size=size.pt if size else 11,
        before=before.pt if before else 0,
        after=after.pt if after is not None else 10,
        spacing=float(spacing) if spacing else 1.0,
    )
