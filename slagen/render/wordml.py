"""Low-level WordprocessingML that python-docx has no API for.

Fields (TOC, PAGEREF, PAGE, NUMPAGES), borders, explicit fonts, and the
byte-stable ZIP that makes two renders of the same tree identical.  The
body's bookmarks, table rows, shading and list restarts are written by
`wordxml`, with the body itself.  python-docx is imported inside the functions, so
importing this module is cheap.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.styles.style import BaseStyle
    from docx.table import Table as WordTable
    from docx.text.paragraph import Paragraph as WordParagraph

__all__ = [
    "add_field",
    "clear_character_spacing",
    "field_end",
    "field_start",
    "package_bytes",
    "remove_style_border",
    "remove_table_borders",
    "remove_thumbnail",
    "set_bottom_border",
    "set_style_font",
    "set_update_fields_on_open",
    "tab_run",
    "text_run",
]

# Children that the schema places after w:pBdr in w:pPr, and after w:tblBorders in w:tblPr.
_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:jc",
    "w:textAlignment",
    "w:outlineLvl",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_AFTER_TBLBORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblPrChange")

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
CONTENT_TYPES = "[Content_Types].xml"


def _element(tag: str, **attributes: str) -> Any:
    """A new python-docx element; `attributes` use `w_val` for `w:val`."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(tag)
    for name, value in attributes.items():
        element.set(qn(name.replace("_", ":", 1)), value)
    return element


# --- fields ----------------------------------------------------------------------


def add_field(
    paragraph: WordParagraph, instruction: str, placeholder: str, dirty: bool = False
) -> None:
    """A complex field (begin / instruction / separate / result / end).

    `placeholder` is the shown result until the field is updated; `dirty` marks
    it stale so Word recomputes it on open (PAGE fields update by themselves).
    """
    paragraph._p.extend(field_start(instruction, dirty))
    paragraph.add_run(placeholder)
    paragraph._p.append(field_end())


def field_start(instruction: str, dirty: bool = False) -> list[Any]:
    """The runs that open a complex field, up to where its result begins.

    Separate from `field_end` because a field's result may span paragraphs
    (a table of contents): the caller puts the result, then `field_end()`.
    """
    begin = _element("w:fldChar", w_fldCharType="begin")
    if dirty:
        begin.set(_qn("w:dirty"), "true")
    instr = _element("w:instrText")
    instr.set(_XML_SPACE, "preserve")
    instr.text = f" {instruction} "
    return [_run(part) for part in (begin, instr, _element("w:fldChar", w_fldCharType="separate"))]


def field_end() -> Any:
    """The run that closes the innermost open field."""
    return _run(_element("w:fldChar", w_fldCharType="end"))


def text_run(text: str) -> Any:
    """A bare `w:r` with text, for places python-docx cannot reach (inside w:hyperlink)."""
    t = _element("w:t")
    t.set(_XML_SPACE, "preserve")
    t.text = text
    return _run(t)


def tab_run() -> Any:
    return _run(_element("w:tab"))


def _run(child: Any) -> Any:
    run = _element("w:r")
    run.append(child)
    return run


def set_update_fields_on_open(document: WordDocument) -> None:
    """`<w:updateFields w:val="true"/>`: Word and LibreOffice fill in the TOC on open.

    The schema fixes the order of settings; updateFields comes before w:compat.
    """
    settings = document.settings.element
    flag = _element("w:updateFields", w_val="true")
    _insert_before(
        settings, flag, ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat")
    )


# --- tables ----------------------------------------------------------------------


def remove_table_borders(table: WordTable) -> None:
    """An invisible layout table (signature blocks), whatever the default table style."""
    borders = _element("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        borders.append(_element(f"w:{side}", w_val="nil"))
    _insert_before(table._tbl.tblPr, borders, _AFTER_TBLBORDERS)


# --- paragraphs and styles -------------------------------------------------------


def set_bottom_border(paragraph: WordParagraph, color: str = "999999", size: str = "4") -> None:
    """A thin rule under the paragraph (the running header)."""
    border = _element("w:pBdr")
    border.append(_element("w:bottom", w_val="single", w_sz=size, w_space="4", w_color=color))
    _insert_before(paragraph._p.get_or_add_pPr(), border, _AFTER_PBDR)


def remove_style_border(style: BaseStyle) -> None:
    """Drop a paragraph style's border (the default Title has a blue rule)."""
    ppr = style.element.pPr
    if ppr is not None:
        for border in ppr.findall(_qn("w:pBdr")):
            ppr.remove(border)


def clear_character_spacing(style: BaseStyle) -> None:
    """Drop letter spacing and kerning thresholds (the default Title and Subtitle are tracked)."""
    rpr = style.element.rPr
    if rpr is not None:
        for tag in ("w:spacing", "w:kern"):
            for element in rpr.findall(_qn(tag)):
                rpr.remove(element)


def set_style_font(style: BaseStyle, name: str) -> None:
    """Use `name` for every script; theme fonts would otherwise win over it."""
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(_qn(f"w:{attribute}"), name)
    for attribute in ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme"):
        fonts.attrib.pop(_qn(f"w:{attribute}"), None)


# --- package ---------------------------------------------------------------------


def remove_thumbnail(document: WordDocument) -> None:
    """python-docx's template carries a thumbnail of an empty page: drop it."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    rels = document.part.package.rels
    for r_id, rel in list(rels.items()):
        if rel.reltype == RELATIONSHIP_TYPE.THUMBNAIL:
            del rels[r_id]


def package_bytes(
    document: WordDocument,
    date_time: tuple[int, int, int, int, int, int] = ZIP_EPOCH,
    replace: Mapping[str, bytes] | None = None,
) -> bytes:
    """The saved .docx, with reproducible bytes, compressed once.

    python-docx's own writers produce each part's XML; the zip is ours: entries
    sorted by name ([Content_Types].xml first, as Office expects), one fixed
    timestamp, fixed permissions and deflate.  `replace` swaps whole parts.
    """
    entries = {**_package_parts(document), **(replace or {})}
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for name in sorted(entries, key=lambda name: (name != CONTENT_TYPES, name)):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so the permissions below are read as such
            info.external_attr = 0o100644 << 16
            target.writestr(info, entries[name], compresslevel=3)
    return output.getvalue()


def _package_parts(document: WordDocument) -> dict[str, bytes]:
    """Each part's bytes by zip member name, as python-docx would save them."""
    try:
        return _parts_from_writers(document)
    except (ImportError, AttributeError):  # python-docx's writer changed: save and read back
        buffer = io.BytesIO()
        document.save(buffer)
        with zipfile.ZipFile(buffer) as saved:
            return {name: saved.read(name) for name in saved.namelist()}


def _parts_from_writers(document: WordDocument) -> dict[str, bytes]:
    """python-docx's part writers, without its zip (private helpers of `PackageWriter`)."""
    from docx.opc.pkgwriter import PackageWriter

    package = document.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    collected = _PartCollector()
    PackageWriter._write_content_types_stream(collected, parts)
    PackageWriter._write_pkg_rels(collected, package.rels)
    PackageWriter._write_parts(collected, parts)
    return collected.entries


class _PartCollector:
    """Stands in for python-docx's zip writer: keeps each part's bytes by member name."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.entries[pack_uri.membername] = blob


def _insert_before(parent: Any, child: Any, later_tags: tuple[str, ...]) -> None:
    """Insert `child` before the first of `later_tags` present: Word rejects
    property elements that are out of schema order."""
    for tag in later_tags:
        existing = parent.find(_qn(tag))
        if existing is not None:
            existing.addprevious(child)
            return
    parent.append(child)


def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)
