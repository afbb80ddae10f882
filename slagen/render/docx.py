"""DOCX through python-docx: the editable copy a law firm would send.

Real Word styles carry the structure (Title, Heading 1-3, List Bullet/Number,
a table style), so the customer's own Word templates and navigation pane work.
The table of contents is a real TOC field saved with its entries already in
it (`wordtoc`), so LibreOffice shows them too; headers and footers use PAGE
and NUMPAGES fields.

The same tree gives the same bytes: core properties come from `Document.date`,
and the package is rewritten with sorted entries and one fixed timestamp.
python-docx is imported inside the functions, so importing this module is cheap.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, cast

from slagen.document import Document
from slagen.render import FormatRenderer, RenderOptions, wordml, wordtoc
from slagen.render.common import (
    DRAFT_NOTICE,
    cover_rows,
    is_draft,
    kind_label,
    running_header,
)
from slagen.render.wordbody import GREY, SANS_FONT, BodyWriter, cell_paragraph, styled_run
from slagen.usercache import files_stamp, package_stamp, remember

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.shared import Length
    from docx.styles.style import ParagraphStyle

__all__ = ["RENDERER", "render_docx"]

BODY_FONT = "Times New Roman"  # LibreOffice shows it as the metric-equal Liberation Serif
DRAFT_RED = "B00020"
INK = "111111"
# Replaces the template's app.xml, which claims "Microsoft Macintosh Word" and stale counts.
APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    b"<Application>slagen</Application><DocSecurity>0</DocSecurity></Properties>"
)




def render_docx(document: Document, options: RenderOptions) -> bytes:
    """The document as the bytes of a .docx file, identical for identical trees."""
    word = _base_document()
    draft = is_draft(document, options)
    _cover(word, document, draft)
    text_width, text_height = _text_width(word), _text_height(word)
    body = BodyWriter(word)
    # The fast writers append to the body, so its closing w:sectPr steps aside meanwhile.
    section_properties = word.element.body.sectPr
    word.element.body.remove(section_properties)
    try:
        wordtoc.add_table_of_contents(word, document, text_width, text_height, body.style_id)
        for index, section in enumerate(document.sections):
            body.section(section, new_page=index == 0)
    finally:
        word.element.body.append(section_properties)
    _headers_and_footers(word, document, draft)
    _properties(word, document, draft)
    wordml.set_update_fields_on_open(word)
    return wordml.package_bytes(word, _zip_time(document.date), {"docProps/app.xml": APP_XML})


# --- page and styles -------------------------------------------------------------


def _base_document() -> WordDocument:
    """python-docx's template with slagen's page set-up and styles, as a new document.

    Styling through python-docx's proxies costs more than writing the body of
    a small agreement, and the result depends only on this code and the
    installed python-docx: so it is kept in the user's cache.  Cached or not,
    the base is reopened from its saved bytes, so the output is the same.
    """
    from docx import Document as open_word_document

    def styled_base() -> bytes:
        word = open_word_document()
        _page_setup(word)
        _styles(word)
        wordml.remove_thumbnail(word)
        buffer = io.BytesIO()
        word.save(buffer)
        return buffer.getvalue()

    key = _base_key()
    blob = remember("docx", f"{key}.docx" if key else None, styled_base, bytes, _whole_zip)
    return open_word_document(io.BytesIO(blob))


def _whole_zip(raw: bytes) -> bytes:
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise ValueError("not a whole .docx")  # a damaged entry: built again
    return raw


@cache
def _base_key() -> str | None:
    here = Path(__file__).parent
    ours = files_stamp(*(here / name for name in (
        "docx.py", "wordtoc.py", "wordml.py", "wordbody.py", "common.py")))
    theirs = package_stamp("docx", "__init__.py", "templates/default.docx", "styles/style.py")
    return f"{ours}-{theirs}" if ours and theirs else None


def _page_setup(word: WordDocument) -> None:
    """A4 with the PDF's margins; the cover gets its own (empty) header and footer."""
    from docx.shared import Mm

    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(25), Mm(22)
    section.top_margin, section.bottom_margin = Mm(27), Mm(24)
    section.header_distance = section.footer_distance = Mm(12)
    section.different_first_page_header_footer = True


def _styles(word: WordDocument) -> None:
    """Explicit fonts and colours, so Word and LibreOffice agree (no theme fonts)."""
    from docx.shared import Pt

    normal = word.styles["Normal"]
    wordml.set_style_font(normal, BODY_FONT)
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    _heading_styles(word)
    wordtoc.add_toc_styles(word, _text_width(word))
    for name in ("Header", "Footer"):
        word.styles[name].paragraph_format.tab_stops.clear_all()  # the template's are for Letter
        _look(word, name, SANS_FONT, 8.5, GREY)


def _text_width(word: WordDocument) -> Length:
    """Page width less the margins: where right-aligned tab stops go."""
    from docx.shared import Length

    section = word.sections[0]
    return Length(section.page_width - section.left_margin - section.right_margin)


def _text_height(word: WordDocument) -> Length:
    """Page height less the margins: what the contents' page estimate fills."""
    from docx.shared import Length

    section = word.sections[0]
    return Length(section.page_height - section.top_margin - section.bottom_margin)


def _heading_styles(word: WordDocument) -> None:
    from docx.shared import Pt

    # size, bold, italic, space before, space after (points)
    looks = {
        "Title": (24, True, False, 0, 6),
        "Subtitle": (14, False, True, 0, 24),
        "Heading 1": (13.5, True, False, 18, 6),
        "Heading 2": (11.5, True, False, 12, 4),
        "Heading 3": (11, True, True, 10, 3),
        "TOC Heading": (14, True, False, 0, 12),
    }
    for name, (size, bold, italic, before, after) in looks.items():
        style = _look(word, name, BODY_FONT, size, INK)
        style.font.bold, style.font.italic = bold, italic
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(after)
    wordml.remove_style_border(word.styles["Title"])
    for name in ("Title", "Subtitle"):
        wordml.clear_character_spacing(word.styles[name])


def _look(word: WordDocument, name: str, font: str, size: float, color: str) -> ParagraphStyle:
    from docx.shared import Pt, RGBColor

    style = cast("ParagraphStyle", word.styles[name])
    wordml.set_style_font(style, font)
    style.font.size = Pt(size)
    style.font.color.rgb = RGBColor.from_string(color)  # replaces the theme colour
    return style


# --- cover and contents ----------------------------------------------------------


def _cover(word: WordDocument, document: Document, draft: bool) -> None:
    from docx.shared import Pt

    if draft:
        styled_run(word.add_paragraph(), DRAFT_NOTICE, size=12, color=DRAFT_RED, sans=True)
    label = word.add_paragraph()
    label.paragraph_format.space_before = Pt(96 if not draft else 48)
    styled_run(label, kind_label(document).upper(), size=9, color=GREY, sans=True)
    word.add_paragraph(document.title, style="Title")
    if document.subtitle:
        word.add_paragraph(document.subtitle, style="Subtitle")
    _cover_parties(word, document)
    _cover_table(word, document)


def _cover_parties(word: WordDocument, document: Document) -> None:
    if not document.parties:
        return
    styled_run(word.add_paragraph(), "between", italic=True, color=GREY)
    for index, (role, name) in enumerate(document.parties):
        if index:
            styled_run(word.add_paragraph(), "and", italic=True, color=GREY)
        line = word.add_paragraph()
        styled_run(line, name, bold=True, size=13)
        styled_run(line, f" (the “{role}”)", size=13)


def _cover_table(word: WordDocument, document: Document) -> None:
    from docx.shared import Mm, Pt

    word.add_paragraph().paragraph_format.space_after = Pt(18)
    rows = cover_rows(document)
    table = word.add_table(rows=len(rows), cols=2)
    wordml.remove_table_borders(table)
    table.autofit = False
    for column, width in zip(table.columns, (Mm(35), Mm(90)), strict=True):
        column.width = width  # the grid, which LibreOffice follows
        for cell in column.cells:
            cell.width = width  # the cells, which Word follows
    for row, (label, value) in zip(table.rows, rows, strict=True):
        styled_run(cell_paragraph(row.cells[0]), label, color=GREY, size=10)
        styled_run(cell_paragraph(row.cells[1]), value, size=10)


# --- header, footer, properties -------------------------------------------------


def _headers_and_footers(word: WordDocument, document: Document, draft: bool) -> None:
    """Reference | DRAFT | title on top, "Page X of Y" below; the cover shows only DRAFT."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT

    section = word.sections[0]
    width = _text_width(word)
    header = section.header.paragraphs[0]
    tabs = header.paragraph_format.tab_stops
    tabs.add_tab_stop(width // 2, WD_TAB_ALIGNMENT.CENTER)
    tabs.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
    header.add_run(running_header(document) + "\t")
    if draft:
        styled_run(header, "DRAFT", bold=True, color=DRAFT_RED)
    header.add_run("\t" + document.title)
    wordml.set_bottom_border(header)

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run("Page ")
    wordml.add_field(footer, "PAGE", "1")
    footer.add_run(" of ")
    wordml.add_field(footer, "NUMPAGES", "1")

    section.first_page_header.is_linked_to_previous = False  # an empty cover header
    section.first_page_footer.is_linked_to_previous = False
    if draft:
        first = section.first_page_header.paragraphs[0]
        first.alignment = WD_ALIGN_PARAGRAPH.CENTER
        styled_run(first, "DRAFT", bold=True, color=DRAFT_RED)


def _properties(word: WordDocument, document: Document, draft: bool) -> None:
    """Core properties from the tree only: no clock, no machine user name."""
    stamp = _document_datetime(document.date)
    props = word.core_properties
    props.title = document.title
    props.subject = document.subtitle
    props.author = props.last_modified_by = document.author
    props.keywords = ", ".join(document.keywords)
    props.comments = ""
    props.category = kind_label(document)
    props.identifier = document.agreement_id
    props.version = document.version
    props.content_status = "Draft" if draft else "Final"
    props.language = "en"
    props.created = props.modified = props.last_printed = stamp
    props.revision = 1


def _document_datetime(iso_date: str) -> datetime:
    """Midnight of the document's date (its time part, if any, is kept)."""
    return datetime.fromisoformat(iso_date).replace(tzinfo=None)


def _zip_time(iso_date: str) -> tuple[int, int, int, int, int, int]:
    """ZIP timestamps can hold 1980-2107 only; clamp to that range."""
    stamp = _document_datetime(iso_date)
    year = min(max(stamp.year, 1980), 2107)
    return (year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second - stamp.second % 2)


RENDERER = FormatRenderer("docx", ".docx", render_docx)
