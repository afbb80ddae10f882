"""The DOCX table of contents, saved already filled in, the way Word saves one.

A TOC field that holds only a placeholder stays empty wherever nobody updates
fields: LibreOffice's headless conversion, previewers, mail clients.  So the
field's result carries the real entries: one "toc N" paragraph per heading down
to level 3 (number and title, a tab with a dot leader, and a PAGEREF field to a
bookmark on the heading).  Word still rebuilds the whole field on open, because
the TOC is marked dirty and the settings ask for `updateFields`.

Bookmarks are named `_Toc<n>` after the heading's position in the section walk,
so the same tree gives the same names and ids, hence the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slagen.document import Document, TocEntry
from slagen.render import wordml, wordpages, wordxml
from slagen.render.common import TOC_TITLE

if TYPE_CHECKING:
    from docx.document import Document as WordDocument
    from docx.shared import Length

__all__ = [
    "TOC_INSTRUCTION",
    "TOC_LEVELS",
    "TOC_PLACEHOLDER",
    "add_table_of_contents",
    "add_toc_styles",
    "bookmark_name",
    "toc_style_name",
]

TOC_LEVELS = 3  # matches the \o "1-3" switch below
TOC_INSTRUCTION = rf'TOC \o "1-{TOC_LEVELS}" \h \z \u'
TOC_PLACEHOLDER = "Right-click to update the table of contents."
INDENT_MM = 12  # per level, as the PDF's contents indents
LEVEL_ONE_GAP_PT = 7  # space above each level-1 entry, as the PDF's 2.5 mm


def bookmark_name(index: int) -> str:
    """The bookmark of the `index`-th heading in walk order (from 1), as Word names them."""
    return f"_Toc{index}"


def toc_style_name(level: int) -> str:
    """Word's built-in name ("TOC 1" in its user interface).

    The lower-case name is what Word writes, and what Word and LibreOffice
    recognise as the built-in contents style (LibreOffice maps it to "Contents N").
    """
    return f"toc {level}"


def add_toc_styles(word: WordDocument, text_width: Length) -> None:
    """ "toc 1" to "toc 3", which python-docx's template lacks.

    Indented per level with a right tab and dot leader at the text width;
    Word reapplies these same styles when it rebuilds the contents.
    """
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
    from docx.shared import Mm, Pt

    for level in range(1, TOC_LEVELS + 1):
        name = toc_style_name(level)
        if name in [s.name for s in word.styles]:
            continue
        style = word.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH, builtin=True)
        style.style_id = f"TOC{level}"
        style.base_style = word.styles["Normal"]
        style.next_paragraph_style = word.styles["Normal"]
        style.font.bold = True if level == 1 else None
        layout = style.paragraph_format
        layout.left_indent = Mm(INDENT_MM * (level - 1))
        layout.space_before = Pt(LEVEL_ONE_GAP_PT if level == 1 else 0)
        layout.space_after = Pt(2)
        layout.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


def add_table_of_contents(
    word: WordDocument,
    document: Document,
    text_width: Length,
    text_height: Length,
    style_id: Callable[[str], str],
) -> None:
    """The "Contents" heading and the TOC field, its result already the entries.

    The field begins in the first entry's paragraph and ends in the last one's,
    which is how Word saves it; without entries the placeholder stays.  Page
    numbers are `wordpages`' estimate for the text area given: call this after
    the styles are final, since the estimate reads their sizes and spacing.
    `style_id` resolves a style name once (python-docx scans every style per lookup);
    the entries are appended to the body's end (its w:sectPr set aside by the caller).
    """
    word.add_paragraph(TOC_TITLE, style="TOC Heading").paragraph_format.page_break_before = True
    entries = [(i, e) for i, e in enumerate(document.toc, start=1) if e.level <= TOC_LEVELS]
    if not entries:
        wordml.add_field(word.add_paragraph(), TOC_INSTRUCTION, TOC_PLACEHOLDER, dirty=True)
        return
    pages = wordpages.estimate_heading_pages(
        word, document, text_width.pt, text_height.pt, [e for _, e in entries]
    )
    body = word.element.body
    for position, (index, entry) in enumerate(entries):
        paragraph = wordxml.add_paragraph(body, style_id(toc_style_name(entry.level)))
        if position == 0:
            paragraph.extend(wordml.field_start(TOC_INSTRUCTION, dirty=True))
        paragraph.append(_entry_link(entry, bookmark_name(index), str(pages[index - 1])))
        if position == len(entries) - 1:
            paragraph.append(wordml.field_end())


def _entry_link(entry: TocEntry, bookmark: str, page: str) -> Any:
    """`<w:hyperlink w:anchor>` with the entry text, a tab and `PAGEREF bookmark \\h`.

    The link is what the \\h switch asks for: a click jumps to the heading.
    `page` is the shown page number until a client computes the field.
    """
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark)
    link.set(qn("w:history"), "1")
    link.append(wordml.text_run(f"{entry.number} {entry.title}"))
    link.append(wordml.tab_run())
    link.extend(wordml.field_start(rf"PAGEREF {bookmark} \h"))
    link.append(wordml.text_run(page))
    link.append(wordml.field_end())
    return link
