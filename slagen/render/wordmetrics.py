"""How much room text takes in the DOCX: line heights and line wraps, in points.

`wordpages` needs to know how many lines a paragraph wraps to and how tall
they are without a layout engine.  Widths are Times New Roman's (the body
font; LibreOffice substitutes the metric-equal Liberation Serif), sizes and
spacing are read from the Word styles themselves, so changing a style in
`docx.py` changes the estimate with it.  Numbers marked "as LibreOffice sets"
were measured from its PDFs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from slagen.document import Code, Inline, LineBreak, Strong, Text

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.styles.style import ParagraphStyle

__all__ = ["LINE_HEIGHT", "StyleMetrics", "style_metrics"]

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


@dataclass(frozen=True)
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
        glyphs = _glyphs((Text(text),) if isinstance(text, str) else text, bold)
        limit = max(width / self.size, 1.0)  # a sliver of a column still holds a letter
        return sum(_wrap(words, limit) for words in _words(glyphs))


def _words(glyphs: list[tuple[str, float]]) -> list[list[tuple[float, float]]]:
    """Each hard line as (width, joiner) pieces: a space joins words, a hyphen
    joins the halves of "non-renewal" with nothing, and either may end a line."""
    space = _WIDTHS[" "]
    lines: list[list[tuple[float, float]]] = [[(0.0, 0.0)]]
    for char, advance in glyphs:
        width, joiner = lines[-1][-1]
        if char == "\n":
            lines.append([(0.0, 0.0)])
        elif char == " ":
            lines[-1].append((0.0, space))
        elif char == "-" and width:
            lines[-1][-1] = (width + advance, joiner)
            lines[-1].append((0.0, 0.0))
        else:
            lines[-1][-1] = (width + advance, joiner)
    return lines


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
