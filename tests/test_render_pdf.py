"""The PDF: words, pages, bookmarks, metadata, reproducible bytes, and a closed fetcher."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from render_fixtures import (
    CUSTOMER,
    DEFINITION_TEXT,
    PROVIDER,
    SECTION_TITLES,
    TABLE_VALUES,
    TEMPLATE_DIR,
    options,
    sample_document,
    with_party_names,
)

from slagen.render import get_renderer
from slagen.render import pdf as pdf_module
from slagen.render.pdf import UnsafeResourceError, safe_url_fetcher, source_date_epoch

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "<img src=file:///etc/passwd>"


def _render(**changes: object) -> bytes:
    variant = changes.pop("pdf_variant", None)
    return get_renderer("pdf").render(sample_document(**changes), options(pdf_variant=variant))


def _text(reader: pypdf.PdfReader) -> str:
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return _render()


@pytest.fixture(scope="module")
def reader(pdf_bytes: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf_bytes))


@pytest.fixture(scope="module")
def text(reader: pypdf.PdfReader) -> str:
    return _text(reader)


def test_section_titles_and_table_values(text: str) -> None:
    for title in SECTION_TITLES:
        number, words = title.split(" ", 1)
        assert re.search(rf"{re.escape(number)}\s*{re.escape(words)}", text), title
    for value in TABLE_VALUES:
        assert value in text


def test_parties_and_signature_lines(text: str) -> None:
    assert PROVIDER in text
    assert CUSTOMER in text
    assert "Dr. Anna Weiß" in text
    assert "Signature" in text
    assert "Date" in text


def test_running_header_and_page_footer(reader: pypdf.PdfReader) -> None:
    pages = len(reader.pages)
    cover = " ".join(reader.pages[0].extract_text().split())
    assert "Page 1 of" not in cover  # the cover has no footer
    second = " ".join(reader.pages[1].extract_text().split())
    assert f"Page 2 of {pages}" in second
    assert "ACME-CRM-2027 · Version 1.0.0" in second


def test_contents_shows_page_numbers(reader: pypdf.PdfReader) -> None:
    contents = " ".join(reader.pages[1].extract_text().split())
    assert re.search(r"Introduction\s*\.{5,}\s*3", contents)


def test_bookmarks_follow_the_sections(reader: pypdf.PdfReader) -> None:
    def titles(outline: list) -> list:
        return [titles(o) if isinstance(o, list) else " ".join(o.title.split()) for o in outline]

    tree = titles(reader.outline)
    assert "1 Introduction" in tree
    assert "3 Service Levels" in tree
    nested = tree[tree.index("3 Service Levels") + 1]
    assert nested[:2] == ["3.1 Availability", "3.2 Incident Response"]
    assert nested[2] == ["3.2.1 Priority Definitions"]
    assert tree[tree.index("1 Introduction") + 1][-1] == "1.3 Definitions"
    assert "Glossary" not in repr(tree)  # the terms live in the Definitions section


def test_defined_terms_in_their_section(text: str) -> None:
    definitions = text.split("1.3 Definitions")[-1].split("2 Service Description")[0]
    assert DEFINITION_TEXT in definitions


def test_metadata_comes_from_the_document(reader: pypdf.PdfReader) -> None:
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "CRM Platform Service Level Agreement"
    assert meta.author == "Nordlicht Service Management"
    assert meta["/Keywords"] == "SLA, CRM, availability"
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20270101"


def test_same_tree_same_bytes_in_another_process(pdf_bytes: bytes, tmp_path: Path) -> None:
    """A second process with another hash seed must produce the identical file."""
    target = tmp_path / "again.pdf"
    code = (
        "import sys; sys.path.insert(0, 'tests')\n"
        "from render_fixtures import options, sample_document\n"
        "from slagen.render import get_renderer\n"
        "data = get_renderer('pdf').render(sample_document(), options())\n"
        f"open({str(target)!r}, 'wb').write(data)\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    env.pop("SOURCE_DATE_EPOCH", None)
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True)
    assert target.read_bytes() == pdf_bytes


@pytest.mark.parametrize("before", [None, "42"])
def test_source_date_epoch_is_set_only_while_rendering(
    before: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fontTools stamps font subsets with SOURCE_DATE_EPOCH; the caller's value comes back."""
    if before is None:
        monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    else:
        monkeypatch.setenv("SOURCE_DATE_EPOCH", before)
    with source_date_epoch("2027-01-01"):
        assert os.environ["SOURCE_DATE_EPOCH"] == "1798761600"
    assert os.environ.get("SOURCE_DATE_EPOCH") == before


def test_draft_with_hostile_party_name_prints_it_as_text() -> None:
    document = with_party_names(sample_document(draft=True), HOSTILE)
    reader = pypdf.PdfReader(io.BytesIO(get_renderer("pdf").render(document, options())))
    text = _text(reader)
    assert HOSTILE in text
    assert text.count("DRAFT") >= len(reader.pages)  # watermark on every page


def test_pdf_a_3b_variant() -> None:
    reader = pypdf.PdfReader(io.BytesIO(_render(pdf_variant="pdf/a-3b")))
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data().decode()
    assert 'pdfaid:part="3"' in raw or "<pdfaid:part>3</pdfaid:part>" in raw
    assert "/OutputIntents" in reader.trailer["/Root"]
    assert "1 Introduction" in " ".join(_text(reader).split())


# --- the fetcher -------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "file:///dev/zero",
        "http://example.com/x.css",
        "https://example.com/font.ttf",
        "ftp://example.com/x",
        "file://otherhost/etc/passwd",
        f"file://{TEMPLATE_DIR}/../pyproject.toml",
        f"file://{TEMPLATE_DIR}/%2e%2e/pyproject.toml",
        f"file://{TEMPLATE_DIR}/fonts",
        f"file://{TEMPLATE_DIR}/missing.css",
    ],
)
def test_fetcher_refuses_anything_outside_the_template_folder(url: str) -> None:
    fetcher = safe_url_fetcher(TEMPLATE_DIR)
    with pytest.raises(UnsafeResourceError):
        fetcher.fetch(url)
    assert len(fetcher.refusals) == 1


def test_fetcher_refuses_a_symlink_out_of_the_folder(tmp_path: Path) -> None:
    (tmp_path / "escape.css").symlink_to("/etc/passwd")
    with pytest.raises(UnsafeResourceError, match="outside"):
        safe_url_fetcher(tmp_path).fetch((tmp_path / "escape.css").as_uri())


def test_fetcher_serves_template_files_and_data_urls() -> None:
    fetcher = safe_url_fetcher(TEMPLATE_DIR)
    font = fetcher.fetch((TEMPLATE_DIR / "fonts" / "LiberationSerif-Regular.ttf").as_uri())
    assert font.read()[:4] == b"\x00\x01\x00\x00"
    assert fetcher.fetch("data:text/css,p{}").read() == b"p{}"


@pytest.mark.parametrize(
    "markup",
    [
        '<img src="file:///etc/passwd">',
        "<style>@import url(http://example.com/x.css);</style>",
        '<link rel="attachment" href="file:///etc/passwd">',
        '<p style="background: url(../pyproject.toml)">x</p>',
        '<svg><image href="file:///dev/zero"/></svg>',
    ],
)
def test_a_refused_resource_stops_rendering(markup: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint logs and skips failed fetches; here a refusal must raise instead."""
    page = f"<!DOCTYPE html><html><body><p>hello</p>{markup}</body></html>"
    monkeypatch.setattr(pdf_module, "render_html", lambda document, options: page)
    with pytest.raises(UnsafeResourceError):
        get_renderer("pdf").render(sample_document(), options())


def test_unknown_variant_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="pdf/a-3b"):
        get_renderer("pdf").render(sample_document(), options(pdf_variant="pdf/z-9"))
