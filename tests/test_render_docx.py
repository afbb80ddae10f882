"""The DOCX: real Word styles, fields, properties, stable bytes, and LibreOffice."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.document import Document as WordDocument
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph as WordParagraph
from render_fixtures import (
    CUSTOMER,
    DEFINITION_TEXT,
    DEFINITIONS_TITLE,
    GLOSSARY,
    PROVIDER,
    SECTION_TITLES,
    TABLE_VALUES,
    options,
    sample_document,
)

from slagen.render import get_renderer
from slagen.render.wordtoc import TOC_PLACEHOLDER


@pytest.fixture(scope="module")
def docx_bytes() -> bytes:
    return get_renderer("docx").render(sample_document(), options())


@pytest.fixture(scope="module")
def word(docx_bytes: bytes) -> WordDocument:
    return docx.Document(io.BytesIO(docx_bytes))


def _paragraphs(word: WordDocument) -> list[tuple[str, str]]:
    return [(p.style.name, p.text) for p in word.paragraphs if p.style is not None]


def _instructions(element: object) -> str:
    return " ".join(e.text or "" for e in element.iter(qn("w:instrText")))  # type: ignore[attr-defined]


def _level(title: str) -> int:
    return title.split()[0].count(".") + 1


def _section_paragraphs(word: WordDocument, heading: str) -> list[WordParagraph]:
    """The paragraphs after `heading` up to the next heading."""
    paragraphs = word.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == heading) + 1
    rest = paragraphs[start:]
    end = next((i for i, p in enumerate(rest) if p.style.name.startswith("Heading")), len(rest))
    return rest[:end]


def test_headings_use_word_styles_and_carry_numbers(word: WordDocument) -> None:
    headings = [(s, t) for s, t in _paragraphs(word) if s.startswith("Heading")]
    assert headings == [(f"Heading {_level(title)}", title) for title in SECTION_TITLES]


def test_defined_terms_stay_in_their_section(word: WordDocument) -> None:
    """Definitions appear once, where assembly put them: no extra glossary at the end."""
    texts = [p.text for p in _section_paragraphs(word, DEFINITIONS_TITLE)]
    assert DEFINITION_TEXT in texts
    entry = next(p for p in word.paragraphs if p.text == DEFINITION_TEXT)
    assert entry.runs[0].text == GLOSSARY[0].term and entry.runs[0].bold
    assert sum(p.text.startswith(f"{GLOSSARY[0].term} means") for p in word.paragraphs) == 1
    assert "Glossary" not in {p.text for p in word.paragraphs}


def test_cover_page(word: WordDocument) -> None:
    paragraphs = _paragraphs(word)
    assert ("Title", "CRM Platform Service Level Agreement") in paragraphs
    assert ("Subtitle", "Hosted CRM for Müller & Söhne") in paragraphs
    texts = [t for _, t in paragraphs]
    assert f"{PROVIDER} (the “Provider”)" in texts
    cover_cells = [c.text for c in word.tables[0]._cells]
    assert cover_cells[:6] == [
        "Reference",
        "ACME-CRM-2027",
        "Version",
        "1.0.0",
        "Date",
        "2027-01-01",
    ]


def test_inline_formatting_becomes_runs(word: WordDocument) -> None:
    runs = [r for p in word.paragraphs for r in p.runs]
    assert any(r.text == "minimum service levels" and r.bold for r in runs)
    assert any(r.text == "Hosted CRM" and r.italic for r in runs)
    assert any(r.text == "crm-prod-eu" and r.font.name == "Courier New" for r in runs)


def test_lists_use_list_styles_and_restart_numbers(word: WordDocument) -> None:
    styles = {s for s, _ in _paragraphs(word)}
    assert {"List Bullet", "List Bullet 2", "List Number", "List Number 2"} <= styles
    capped = next(p for p in word.paragraphs if p.text.startswith("Credits are capped"))
    num_id = capped._p.pPr.numPr.numId.val
    num = word.part.numbering_part.element.num_having_numId(num_id)
    assert num.lvlOverride_lst[0].startOverride.val == 3


def test_tables_with_repeating_header(word: WordDocument) -> None:
    cells = {c.text for t in word.tables for c in t._cells}
    for value in TABLE_VALUES:
        assert value in cells
    grid = next(t for t in word.tables if t.cell(0, 0).text == "Metric")
    assert grid.style.name == "Table Grid"
    assert [c.text for c in grid.rows[1].cells] == ["Availability", "99.9 %", "43 min 49 s"]
    assert grid.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert grid.rows[1]._tr.trPr.find(qn("w:tblHeader")) is None


def test_signature_block_per_party(word: WordDocument) -> None:
    block = next(t for t in word.tables if "Signature:" in t._cells[0].text)
    provider, customer = (cell.text for cell in block.rows[0].cells)
    assert PROVIDER in provider and "Name: Dr. Anna Weiß" in provider
    assert CUSTOMER in customer and "Title: Chief Information Officer" in customer
    for text in (provider, customer):
        assert "Signature: ____" in text and "Date: ____" in text
    assert block.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None


def _toc_entries(word: WordDocument) -> list[WordParagraph]:
    return [p for p in word.paragraphs if p.style.style_id in ("TOC1", "TOC2", "TOC3")]


def test_table_of_contents_is_a_field_saved_with_its_entries(word: WordDocument) -> None:
    """Like Word saves one: entries in "toc N" styles, each a tab and a PAGEREF."""
    body = word.element.body
    assert 'TOC \\o "1-3" \\h \\z \\u' in _instructions(body)
    assert TOC_PLACEHOLDER not in [p.text for p in word.paragraphs]
    entries = _toc_entries(word)
    assert [(p.style.name, p.text.split("\t")[0]) for p in entries] == [
        (f"toc {_level(title)}", title) for title in SECTION_TITLES
    ]
    pages = [int(p.text.split("\t")[1]) for p in entries]
    assert pages[0] == 3 and pages == sorted(pages)  # cover, contents, then the body
    update = word.settings.element.find(qn("w:updateFields"))
    assert update is not None and update.get(qn("w:val")) == "true"


def test_contents_entries_point_at_bookmarked_headings(word: WordDocument) -> None:
    body = word.element.body
    starts = body.findall(f".//{qn('w:bookmarkStart')}")
    names = [b.get(qn("w:name")) for b in starts]
    ids = [b.get(qn("w:id")) for b in starts]
    assert names == [f"_Toc{n}" for n in range(1, len(SECTION_TITLES) + 1)]
    assert len(set(ids)) == len(ids)
    assert sorted(e.get(qn("w:id")) for e in body.iter(qn("w:bookmarkEnd"))) == sorted(ids)
    for start, title in zip(starts, SECTION_TITLES, strict=True):
        heading = start.getparent()
        assert "".join(t.text for t in heading.iter(qn("w:t"))) == title
    entries = _toc_entries(word)
    refs = [_instructions(p._p) for p in entries]
    assert refs[0].split()[:5] == ["TOC", "\\o", '"1-3"', "\\h", "\\z"]
    assert [r.split("PAGEREF")[1].split() for r in refs] == [[n, "\\h"] for n in names]
    links = [p._p.find(qn("w:hyperlink")).get(qn("w:anchor")) for p in entries]
    assert links == names


def test_toc_field_spans_the_entries(word: WordDocument) -> None:
    """The TOC field opens in the first entry and closes in the last; every field is closed."""
    entries = _toc_entries(word)
    kinds = [c.get(qn("w:fldCharType")) for c in word.element.body.iter(qn("w:fldChar"))]
    depth = 0
    for kind in kinds:
        depth += {"begin": 1, "end": -1}.get(kind, 0)
        assert depth >= 0
    assert depth == 0
    first = [c.get(qn("w:fldCharType")) for c in entries[0]._p.iter(qn("w:fldChar"))]
    last = [c.get(qn("w:fldCharType")) for c in entries[-1]._p.iter(qn("w:fldChar"))]
    assert first[:2] == ["begin", "separate"] and last[-2:] == ["end", "end"]


def test_toc_styles_have_a_dot_leader_at_the_text_width(word: WordDocument) -> None:
    section = word.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    indents = []
    for level in (1, 2, 3):
        layout = word.styles[f"toc {level}"].paragraph_format
        (tab,) = layout.tab_stops
        assert tab.position == width
        assert (tab.alignment.name, tab.leader.name) == ("RIGHT", "DOTS")
        indents.append(layout.left_indent or 0)
    assert indents == sorted(indents) and indents[0] < indents[2]


def test_document_without_sections_keeps_the_placeholder() -> None:
    data = get_renderer("docx").render(sample_document(sections=()), options())
    word = docx.Document(io.BytesIO(data))
    assert TOC_PLACEHOLDER in [p.text for p in word.paragraphs]
    assert not word.element.body.findall(f".//{qn('w:bookmarkStart')}")


def test_header_and_footer(word: WordDocument) -> None:
    section = word.sections[0]
    assert section.different_first_page_header_footer
    header = section.header.paragraphs[0].text
    assert header.startswith("ACME-CRM-2027 · Version 1.0.0")
    assert "DRAFT" not in header
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("Page ")
    assert _instructions(footer._p).split() == ["PAGE", "NUMPAGES"]
    assert section.first_page_header.paragraphs[0].text == ""


def test_a4_page(word: WordDocument) -> None:
    section = word.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)


def test_core_properties_from_the_document(word: WordDocument) -> None:
    props = word.core_properties
    assert props.title == "CRM Platform Service Level Agreement"
    assert props.subject == "Hosted CRM for Müller & Söhne"
    assert props.author == props.last_modified_by == "Nordlicht Service Management"
    assert props.keywords == "SLA, CRM, availability"
    assert props.revision == 1
    for stamp in (props.created, props.modified, props.last_printed):
        assert stamp is not None and stamp.isoformat().startswith("2027-01-01T00:00:00")


def test_draft_marking() -> None:
    word = docx.Document(
        io.BytesIO(get_renderer("docx").render(sample_document(draft=True), options()))
    )
    section = word.sections[0]
    assert "DRAFT" in section.header.paragraphs[0].text
    assert section.first_page_header.paragraphs[0].text == "DRAFT"
    assert any(p.text.startswith("DRAFT") for p in word.paragraphs[:3])
    assert word.core_properties.content_status == "Draft"


def test_same_tree_same_bytes(docx_bytes: bytes) -> None:
    assert get_renderer("docx").render(sample_document(), options()) == docx_bytes
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as package:
        infos = package.infolist()
    names = [i.filename for i in infos]
    assert names[0] == "[Content_Types].xml"
    assert names[1:] == sorted(names[1:])
    assert {i.date_time for i in infos} == {(2027, 1, 1, 0, 0, 0)}
    assert "docProps/thumbnail.jpeg" not in names


# --- a real client ---------------------------------------------------------------


@pytest.mark.libreoffice
def test_libreoffice_converts_it_to_pdf(docx_bytes: bytes, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = tmp_path / "agreement.docx"
    source.write_bytes(docx_bytes)
    profile = (tmp_path / "lo-profile").as_uri()  # a private profile: parallel runs, no locks
    command = [
        soffice,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        str(tmp_path),
        str(source),
    ]
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.skip("pdftotext is not installed")
    result = subprocess.run(
        [pdftotext, str(tmp_path / "agreement.pdf"), "-"], check=True, capture_output=True
    )
    pages = [" ".join(page.split()) for page in result.stdout.decode().split("\f")]
    text = " ".join(pages)
    for title in SECTION_TITLES:
        assert title in text
    assert PROVIDER in text
    assert "Page 2 of" in text
    assert DEFINITION_TEXT in text
    # The contents page lists every entry with a dot leader and a page number, and
    # the number is the page LibreOffice put the heading on.
    assert TOC_PLACEHOLDER not in pages[1]
    for title in SECTION_TITLES:
        found = re.search(rf"{re.escape(title)} ?\.{{3,}} ?(\d+)", pages[1])
        assert found, f"{title!r} missing from the contents: {pages[1]!r}"
        actual = next(n for n, page in enumerate(pages[2:], start=3) if title in page)
        assert int(found.group(1)) == actual, title
