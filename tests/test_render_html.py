"""The standalone HTML page: escaping, anchors, contents links, metadata."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from render_fixtures import (
    DEFINITION_TEXT,
    GLOSSARY,
    PROVIDER,
    SECTION_TITLES,
    options,
    sample_document,
    with_party_names,
)

from slagen.render import get_renderer

HOSTILE = "<link rel=stylesheet href=file:///etc/passwd>"


class _Page(HTMLParser):
    """Tags, attributes and text of a page, as a browser would see them."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(source)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.tags if a.get("id")}

    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.fixture(scope="module")
def source() -> str:
    return get_renderer("html").render(sample_document(), options()).decode("utf-8")


@pytest.fixture(scope="module")
def page(source: str) -> _Page:
    return _Page(source)


def test_headings_carry_numbers_and_anchors(page: _Page) -> None:
    text = page.all_text()
    for title in SECTION_TITLES:
        assert title in text
    headings = [(tag, attrs["id"]) for tag, attrs in page.tags if tag in ("h1", "h2", "h3")]
    assert ("h1", "sec-1") in headings
    assert ("h2", "sec-3-1") in headings
    assert ("h3", "sec-3-2-1") in headings


def test_every_contents_link_has_a_target(page: _Page) -> None:
    links = [a["href"] for tag, a in page.tags if tag == "a" and (a.get("href") or "")[:1] == "#"]
    assert "#sec-3-2-1" in links
    assert "#sec-1-3" in links
    assert "#glossary" not in links
    assert {link[1:] for link in links} <= page.ids()


def test_defined_terms_stay_in_their_section(source: str) -> None:
    """Definitions appear once, inside the Definitions section: no glossary at the end."""
    section = source.split('id="sec-1-3"', 1)[1].split("<section", 1)[0]
    entry = f"<p><strong>{GLOSSARY[0].term}</strong> means {GLOSSARY[0].definition}</p>"
    assert entry in section
    assert source.count(f"<strong>{GLOSSARY[0].term}</strong> means") == 1
    assert DEFINITION_TEXT in _Page(section).all_text()
    assert 'id="glossary"' not in source and 'class="glossary"' not in source


def test_tables_have_a_header_group(source: str, page: _Page) -> None:
    assert source.count("<thead>") == 3
    assert "99.95 %" in page.all_text()
    assert '<td class="align-right">€ 12,500.00</td>' in source


def test_metadata_for_the_pdf(page: _Page) -> None:
    meta = {a.get("name"): a.get("content") for tag, a in page.tags if tag == "meta"}
    assert meta["author"] == "Nordlicht Service Management"
    assert meta["keywords"] == "SLA, CRM, availability"
    assert meta["dcterms.created"] == meta["dcterms.modified"] == "2027-01-01"
    assert meta["generator"] == "slagen"


def test_stylesheet_is_inlined(page: _Page, source: str) -> None:
    assert not [a for tag, a in page.tags if tag == "link"]
    assert "@page" in source
    assert "target-counter(attr(href), page)" in source


def test_signature_boxes(page: _Page) -> None:
    boxes = [a for tag, a in page.tags if a.get("class") == "signature-box"]
    assert len(boxes) == 2
    assert PROVIDER in page.all_text()


def test_draft_watermark_only_when_draft(page: _Page) -> None:
    assert "watermark" not in {a.get("class") for _, a in page.tags}
    draft = _Page(get_renderer("html").render(sample_document(), options(draft=True)).decode())
    classes = {a.get("class") for _, a in draft.tags}
    assert "watermark" in classes
    assert ("body", {"class": "draft"}) in draft.tags


def test_all_text_is_escaped() -> None:
    """A party name that is a tag stays text: no <link> reaches the PDF engine."""
    document = with_party_names(sample_document(title=HOSTILE, keywords=(HOSTILE,)), HOSTILE)
    source = get_renderer("html").render(document, options()).decode()
    page = _Page(source)
    assert not [a for tag, a in page.tags if tag == "link"]
    assert page.all_text().count(HOSTILE) >= 5  # title, 2 cover parties, 2 signature boxes
    assert "&lt;link rel=stylesheet href=file:///etc/passwd&gt;" in source
