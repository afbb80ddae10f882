"""How much room text takes in the DOCX: line heights and line wraps, in points.

`wordpages` needs to know how many lines a paragraph wraps to and how tall
they are without a layout engine.  Widths are Times New Roman's (the body
font; LibreOffice substitutes the metric-equal Liberation Serif), sizes and
spacing are read from the Word styles themselves, so changing a style in
`docx.py` changes the estimate with it.  Numbers marked "as LibreOffice sets"
were measured from its PDFs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from itertools import repeat
from typing import TYPE_CHECKING

from slagen.document import Code, Inline, LineBreak, Strong, Text
from slagen.records import record

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.styles.style import ParagraphStyle

__all__ = ["LINE_HEIGHT", "StyleMetrics", "metrics_lookup", "style_metrics"]

LINE_HEIGHT = 1.1462  # line pitch per point of font size at single spacing, as LibreOffice sets
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
DEFAULT_SIZE_PT, DEFAULT_AFTER_PT, DEFAULT_SPACING = 11.0, 10.0, 1.15  # python-docx's docDefaults


@record
class StyleMetrics:
    """What the estimate needs of a paragraph style, in points."""

    size: float
    before: float
    after: float
    spacing: float  # line spacing as a multiple
    indent: float = 0.0

    def line(self) -> float:
        return self.size * LINE_HEIGHT * self.spacing

    def lines(self, text: str | tuple[Inline, ...], width: float, bold: bool = False) -> int:
        """Lines the text wraps to in `width` (points), breaking where LibreOffice does."""
        inlines = (Text(text),) if isinstance(text, str) else text
        limit = max(width / self.size, 1.0)  # a sliver of a column still holds a letter
        if _at_most(inlines, bold) <= limit:  # most table cells: no need to find the breaks
            return 1
        lines: _Lines = [[(0.0, 0.0)]]
        _pieces(inlines, bold, lines)
        return sum(_wrap(words, limit) for words in lines)


# Where a line may break: a space joins words, a hyphen joins the halves of
# "non-renewal" with nothing, a line feed is a hard break.
_BREAKS = re.compile(r"([ \n-])")


_Lines = list[list[tuple[float, float]]]  # per hard line, its (width, joiner) pieces


def _pieces(inlines: tuple[Inline, ...], bold: bool, lines: _Lines) -> None:
    """Append each hard line's (width, joiner) pieces to `lines`, in ems.

    Bold text is wider and code is Courier's 0.6; either may end a line at a
    space or after a hyphen that follows something.  Whole stretches between
    breaks are measured at once (`map` over a width table): per-character
    Python loops dominated the estimate of a long agreement.
    """
    for node in inlines:
        if isinstance(node, Text):
            _measure(node.text, BOLD_FACTOR if bold else 1.0, False, lines)
        elif isinstance(node, Code):
            _measure(node.text, 1.0, True, lines)
        elif isinstance(node, LineBreak):
            lines.append([(0.0, 0.0)])
        else:
            _pieces(node.children, bold or isinstance(node, Strong), lines)


def _at_most(inlines: tuple[Inline, ...], bold: bool) -> float:
    """An upper bound of the width on one line, in ems (infinite with a hard break).

    Every character at its full width, spaces included and widened when bold,
    so the text surely fits on one line when this does.
    """
    total = 0.0
    for node in inlines:
        if isinstance(node, Text):
            if "\n" in node.text:
                return float("inf")
            total += _stretch(node.text) * (BOLD_FACTOR if bold else 1.0)
        elif isinstance(node, Code):
            total += 0.6 * len(node.text)
        elif isinstance(node, LineBreak):
            return float("inf")
        else:
            total += _at_most(node.children, bold or isinstance(node, Strong))
    return total


def _measure(text: str, factor: float, code: bool, lines: _Lines) -> None:
    space = _WIDTHS[" "]
    hyphen = 0.6 if code else _WIDTHS["-"] * factor
    for index, part in enumerate(_BREAKS.split(text)):
        line = lines[-1]
        if index % 2 == 0:  # a stretch without breaks
            if part:
                width, joiner = line[-1]
                advance = 0.6 * len(part) if code else _stretch(part) * factor
                line[-1] = (width + advance, joiner)
        elif part == "\n":
            lines.append([(0.0, 0.0)])
        elif part == " ":
            line.append((0.0, space))
        else:  # a hyphen: a break after it, unless it starts the word
            width, joiner = line[-1]
            line[-1] = (width + hyphen, joiner)
            if width:
                line.append((0.0, 0.0))


@lru_cache(maxsize=1 << 16)
def _stretch(part: str) -> float:
    """The width of a stretch without breaks, in ems: an agreement repeats its words."""
    return sum(map(_WIDTHS.get, part, repeat(0.5, len(part))))


def _wrap(pieces: list[tuple[float, float]], limit: float) -> int:
    """Greedy wrap of one hard line; a piece longer than a line breaks where it must."""
    lines, used = 1, 0.0
    for width, joiner in pieces:
        if used and used + joiner + width > limit:
            lines, used = lines + 1, 0.0
        used += (joiner if used else 0.0) + width
        while used > limit:
            lines, used = lines + 1, used - limit
    return lines


def metrics_lookup(word: WordDocument) -> Callable[[str], StyleMetrics]:
    """`style_metrics` for `word`, each style read once.

    Reading a style walks python-docx proxies and its `basedOn` chain; the
    estimate asks for the same handful of styles hundreds of times.
    """
    cache: dict[str, StyleMetrics] = {}

    def lookup(name: str) -> StyleMetrics:
        if name not in cache:
            cache[name] = style_metrics(word, name)
        return cache[name]

    return lookup


def style_metrics(word: WordDocument, name: str) -> StyleMetrics:
    """The metrics of style `name`, following `basedOn` for what it leaves unset."""
    from docx.shared import Length

    style: ParagraphStyle | None = word.styles[name]  # type: ignore[assignment]
    size = before = after = indent = spacing = None
    while style is not None:
        layout = style.paragraph_format
        size = size if size is not None else style.font.size
        before = before if before is not None else layout.space_before
        after = after if after is not None else layout.space_after
        indent = indent if indent is not None else layout.left_indent
        if spacing is None and layout.line_spacing is not None:
            spacing = layout.line_spacing
        style = style.base_style  # type: ignore[assignment]
    points = size.pt if size else DEFAULT_SIZE_PT
    if isinstance(spacing, Length):  # an exact height: as a multiple of single spacing
        spacing = spacing.pt / (points * LINE_HEIGHT)
    return StyleMetrics(  # unset: the template's document defaults
        size=points,
        before=before.pt if before else 0.0,
        after=after.pt if after is not None else DEFAULT_AFTER_PT,
        spacing=float(spacing) if spacing else DEFAULT_SPACING,
        indent=indent.pt if indent else 0.0,
    )
