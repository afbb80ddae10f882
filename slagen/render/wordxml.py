"""Fast WordprocessingML builders for the DOCX body: plain lxml, no python-docx proxies.

python-docx's `add_paragraph`, `add_run`, `paragraph_format` and `row.cells`
each walk or build the tree through xpath and schema-order lookups; a long
agreement has tens of thousands of such calls, which made DOCX the slowest
format by far.  These functions append the very elements python-docx would
write (same tags, same attribute order, children in schema order), straight
onto a parent that is already in the document, so prefixes are the
document's `w:` and the bytes stay the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lxml import etree

if TYPE_CHECKING:
    from docx.document import Document as WordDocument

__all__ = [
    "ListNumbering",
    "SPACE",
    "W",
    "add_bookmark",
    "add_paragraph",
    "add_run",
    "add_table",
    "add_text_paragraph",
    "cell_shading",
    "row_properties",
    "twips",
]

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_VAL = W + "val"
_SUB = etree.SubElement
_ALIGN = {"right": "right", "center": "center"}  # anything else is "left", as before


def twips(points: float) -> str:
    """A `w:spacing` value: points as twentieths, the way python-docx's Pt() rounds."""
    return str(round(points * 20))


def add_paragraph(
    parent: Any,
    style_id: str | None = None,
    *,
    keep_next: bool | None = None,
    page_break: bool = False,
    num_id: int | None = None,
    before: float | None = None,
    after: float | None = None,
    align: str | None = None,
) -> Any:
    """A `w:p` appended to `parent`, its `w:pPr` children in schema order.

    `keep_next=False` writes `w:val="0"` as python-docx does; `align` is a
    column alignment ("left", "right", "center"), None for no `w:jc`.
    """
    p = _SUB(parent, W + "p")
    layout = (style_id, keep_next, num_id, before, after, align)
    if not page_break and layout.count(None) == len(layout):
        return p
    ppr = _SUB(p, W + "pPr")
    if style_id is not None:
        _SUB(ppr, W + "pStyle", {_VAL: style_id})
    if keep_next is not None:
        _SUB(ppr, W + "keepNext", None if keep_next else {_VAL: "0"})
    if page_break:
        _SUB(ppr, W + "pageBreakBefore")
    if num_id is not None:
        numbering = _SUB(ppr, W + "numPr")
        _SUB(numbering, W + "ilvl", {_VAL: "0"})
        _SUB(numbering, W + "numId", {_VAL: str(num_id)})
    if before is not None or after is not None:
        spacing = _SUB(ppr, W + "spacing")
        if before is not None:
            spacing.set(W + "before", twips(before))
        if after is not None:
            spacing.set(W + "after", twips(after))
    if align is not None:
        _SUB(ppr, W + "jc", {_VAL: _ALIGN.get(align, "left")})
    return p


def add_run(
    paragraph: Any,
    text: str | None,
    *,
    bold: bool = False,
    italic: bool = False,
    size: float | None = None,
    color: str | None = None,
    font: str | None = None,
) -> Any:
    """A `w:r` with direct formatting (rPr in schema order) and `text`.

    Tabs and line feeds become `w:tab` and `w:br`, and `xml:space` is set only
    when the text has outer whitespace: what python-docx's `add_run` writes.
    """
    r = _SUB(paragraph, W + "r")
    if bold or italic or size is not None or color is not None or font is not None:
        rpr = _SUB(r, W + "rPr")
        if font is not None:
            _SUB(rpr, W + "rFonts", {W + "ascii": font, W + "hAnsi": font})
        if bold:
            _SUB(rpr, W + "b")
        if italic:
            _SUB(rpr, W + "i")
        if color is not None:
            _SUB(rpr, W + "color", {_VAL: color})
        if size is not None:
            _SUB(rpr, W + "sz", {_VAL: str(int(size * 2))})
    if text:
        if "\t" in text or "\n" in text or "\r" in text:
            _special_text(r, text)
        else:
            _text(r, text)
    return r


def _text(r: Any, text: str) -> None:
    t = _SUB(r, W + "t")
    if len(text.strip()) < len(text):
        t.set(SPACE, "preserve")
    t.text = text


def _special_text(r: Any, text: str) -> None:
    """Text with tabs or line breaks, split the way python-docx splits it."""
    buffer: list[str] = []
    for char in text:
        if char in "\t\r\n":
            if buffer:
                _text(r, "".join(buffer))
                buffer.clear()
            _SUB(r, W + ("tab" if char == "\t" else "br"))
        else:
            buffer.append(char)
    if buffer:
        _text(r, "".join(buffer))


def add_text_paragraph(parent: Any, style_id: str | None, text: str, **layout: Any) -> Any:
    """A paragraph in `style_id` holding one plain run."""
    p = add_paragraph(parent, style_id, **layout)
    add_run(p, text)
    return p


def add_bookmark(paragraph: Any, bookmark_id: int, name: str) -> None:
    """A bookmark around the paragraph's runs: start after `w:pPr`, end after the last run."""
    first = paragraph[0] if len(paragraph) else None
    # Made in place, then moved: a free-standing element would get its own prefix.
    start = _SUB(paragraph, W + "bookmarkStart", {W + "id": str(bookmark_id), W + "name": name})
    if first is not None and first.tag == W + "pPr":
        first.addnext(start)
    else:
        paragraph.insert(0, start)
    _SUB(paragraph, W + "bookmarkEnd", {W + "id": str(bookmark_id)})


def add_table(
    parent: Any,
    rows: int,
    columns: int,
    column_twips: int,
    style_id: str | None = None,
    borderless: bool = False,
) -> list[list[Any]]:
    """A `w:tbl` as python-docx's `add_table` writes it; returns each row's `w:tc`s.

    Each cell holds its empty first `w:p`; `borderless` adds the nil
    `w:tblBorders` of an invisible layout table.
    """
    tbl = _SUB(parent, W + "tbl")
    tbl_pr = _SUB(tbl, W + "tblPr")
    if style_id is not None:
        _SUB(tbl_pr, W + "tblStyle", {_VAL: style_id})
    _SUB(tbl_pr, W + "tblW", {W + "type": "auto", W + "w": "0"})
    if borderless:
        borders = _SUB(tbl_pr, W + "tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            _SUB(borders, W + side, {_VAL: "nil"})
    _SUB(tbl_pr, W + "tblLook", _TBL_LOOK)
    grid = _SUB(tbl, W + "tblGrid")
    width = str(column_twips)
    for _ in range(columns):
        _SUB(grid, W + "gridCol", {W + "w": width})
    cells: list[list[Any]] = []
    for _ in range(rows):
        tr = _SUB(tbl, W + "tr")
        row = []
        for _ in range(columns):
            tc = _SUB(tr, W + "tc")
            _SUB(_SUB(tc, W + "tcPr"), W + "tcW", {W + "type": "dxa", W + "w": width})
            _SUB(tc, W + "p")
            row.append(tc)
        cells.append(row)
    return cells


def row_properties(tr: Any, *flags: str) -> None:
    """A `w:trPr` first in the row, with each flag ("cantSplit", "tblHeader") set true."""
    tr_pr = _SUB(tr, W + "trPr")
    for flag in flags:
        _SUB(tr_pr, W + flag, {_VAL: "true"})
    tr.insert(0, tr_pr)


def cell_shading(tc: Any, fill: str) -> None:
    """Fill a cell (its `w:tcPr` is its first child, from `add_table`)."""
    _SUB(tc[0], W + "shd", {_VAL: "clear", W + "color": "auto", W + "fill": fill})


_TBL_LOOK = {
    W + "firstColumn": "1",
    W + "firstRow": "1",
    W + "lastColumn": "0",
    W + "lastRow": "0",
    W + "noHBand": "0",
    W + "noVBand": "1",
    W + "val": "04A0",
}


class ListNumbering:
    """New list instances, so each ordered list counts from its own start.

    All "List Number" paragraphs share one counter in python-docx's template,
    so without this a second ordered list would continue where the first
    stopped.  python-docx's `add_num` finds the next free numId by xpath over
    every `w:num`, per list; here the style's abstract list and the free ids
    are worked out once, and the `w:num` written is the one it writes.
    """

    def __init__(self, word: WordDocument) -> None:
        self._word = word
        self._numbering: Any = None
        self._abstract: dict[str, str] = {}
        self._used: set[int] = set()
        self._next = 1

    def restart(self, style: str, start: int) -> int:
        """A `w:num` for list style `style` counting from `start`; returns its numId."""
        numbering = self._element()
        if style not in self._abstract:
            style_num_id = self._word.styles[style].element.pPr.numPr.numId.val
            abstract = numbering.num_having_numId(style_num_id).abstractNumId.val
            self._abstract[style] = str(abstract)
        while self._next in self._used:  # the lowest free id, as python-docx picks it
            self._next += 1
        num_id = self._next
        self._used.add(num_id)
        num = _SUB(numbering, W + "num", {W + "numId": str(num_id)})
        _SUB(num, W + "abstractNumId", {_VAL: self._abstract[style]})
        override = _SUB(num, W + "lvlOverride", {W + "ilvl": "0"})
        _SUB(override, W + "startOverride", {_VAL: str(start)})
        later = numbering.find(W + "numIdMacAtCleanup")  # the one child after w:num
        if later is not None:
            later.addprevious(num)
        return num_id

    def _element(self) -> Any:
        if self._numbering is None:
            self._numbering = self._word.part.numbering_part.element
            self._used = {int(n) for n in self._numbering.xpath("./w:num/@w:numId")}
        return self._numbering
