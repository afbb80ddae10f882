"""Markdown for pull-request review: numbered headings, TOC links, pipe tables."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from render_fixtures import (
    CUSTOMER,
    DEFINITION_TEXT,
    DEFINITIONS_TITLE,
    GLOSSARY,
    PROVIDER,
    SECTION_TITLES,
    options,
    sample_document,
)

from slagen.render import get_renderer
from slagen.render.markdown import github_slug


@pytest.fixture(scope="module")
def markdown() -> str:
    return get_renderer("md").render(sample_document(), options()).decode("utf-8")


@pytest.fixture(scope="module")
def tokens(markdown: str) -> list[Token]:
    return MarkdownIt("commonmark").enable("table").parse(markdown)


def _headings(tokens: list[Token]) -> list[tuple[str, str]]:
    return [
        (token.tag, tokens[index + 1].content)
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
    ]


def test_sections_are_headings_with_their_numbers(tokens: list[Token]) -> None:
    headings = _headings(tokens)
    numbered = [text for _, text in headings if text[0].isdigit()]
    assert numbered == list(SECTION_TITLES)
    assert ("h2", "3.1 Availability") in headings
    assert ("h3", "3.2.1 Priority Definitions") in headings
    assert "Glossary" not in [text for _, text in headings]


def test_defined_terms_stay_in_their_section(tokens: list[Token], markdown: str) -> None:
    """Definitions appear once, in the Definitions section: no glossary at the end."""
    start = next(
        i
        for i, t in enumerate(tokens)
        if t.type == "heading_open" and tokens[i + 1].content == DEFINITIONS_TITLE
    )
    end = next(i for i, t in enumerate(tokens[start + 1 :], start + 1) if t.type == "heading_open")
    paragraphs = [t for t in tokens[start:end] if t.type == "inline"]
    entry = next(t for t in paragraphs if t.content.startswith(f"**{GLOSSARY[0].term}**"))
    assert entry.content == f"**{GLOSSARY[0].term}** means {GLOSSARY[0].definition}"
    plain = "".join(child.content for child in entry.children or [])
    assert plain == DEFINITION_TEXT
    assert markdown.count(f"**{GLOSSARY[0].term}** means") == 1
    assert "#glossary" not in markdown


def test_contents_links_to_github_anchors(markdown: str) -> None:
    assert "- [1 Introduction](#1-introduction)" in markdown
    assert "  - [3.1 Availability](#31-availability)" in markdown
    assert "    - [3.2.1 Priority Definitions](#321-priority-definitions)" in markdown
    assert github_slug("3.1 Availability") == "31-availability"


def test_tables_survive_a_markdown_parser(tokens: list[Token]) -> None:
    cells = [t.content for t in tokens if t.type == "inline"]
    for value in ("99.9 %", "43 min 49 s", "€ 1,250.00", "P1 — Critical"):
        assert value in cells
    # the `|` inside a cell is escaped, so the row keeps three cells
    assert "P3 | Normal" in cells


def test_signature_table_names_both_parties(markdown: str) -> None:
    assert f"| Organisation | {PROVIDER} | {CUSTOMER} |" in markdown
    assert markdown.count("________________________") == 4


def test_emphasis_and_lists(markdown: str) -> None:
    assert "**minimum service levels**" in markdown
    assert "*Hosted CRM*" in markdown
    assert "  - daily snapshots" in markdown
    assert "   1. inform the Customer" in markdown
    assert "3. Credits are capped" in markdown


def test_draft_banner_only_when_draft(markdown: str) -> None:
    assert "DRAFT" not in markdown
    draft = get_renderer("md").render(sample_document(draft=True), options()).decode()
    assert draft.startswith("> **DRAFT")


def test_markup_in_text_is_escaped() -> None:
    document = sample_document(title="<b>Evil</b> *title* [x](javascript:alert(1))")
    text = get_renderer("md").render(document, options()).decode()
    html = MarkdownIt("commonmark").render(text)
    assert "<b>" not in html
    assert "<em>title</em>" not in html
    assert 'href="javascript' not in html


def test_output_is_deterministic(markdown: str) -> None:
    assert get_renderer("md").render(sample_document(), options()).decode() == markdown
