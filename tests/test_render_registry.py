"""The renderer registry: names, suffixes, and cheap imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from render_fixtures import options

from slagen.document import Document, Section, SignatureBlock
from slagen.render import RENDERER_NAMES, RenderOptions, get_renderer

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("name", "suffix"), [("docx", ".docx"), ("pdf", ".pdf"), ("html", ".html"), ("md", ".md")]
)
def test_each_format_is_registered_with_its_suffix(name: str, suffix: str) -> None:
    renderer = get_renderer(name)
    assert renderer.name == name
    assert renderer.suffix == suffix
    assert callable(renderer.render)


def test_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match="odt") as caught:
        get_renderer("odt")
    for name in RENDERER_NAMES:
        assert name in str(caught.value)


def test_importing_the_registry_loads_no_heavy_library() -> None:
    """python-docx and WeasyPrint load only when a DOCX or PDF is rendered."""
    code = (
        "import sys, slagen.render as r\n"
        "[r.get_renderer(n) for n in r.RENDERER_NAMES]\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('docx', 'weasyprint'))\n"
        "print(heavy)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_options_are_frozen() -> None:
    options = RenderOptions()
    with pytest.raises(AttributeError):
        options.draft = True  # type: ignore[misc]


@pytest.mark.parametrize("name", RENDERER_NAMES)
def test_a_bare_document_renders_in_every_format(name: str) -> None:
    """No subtitle, parties, glossary or blocks: nothing optional is assumed."""
    document = Document(
        kind="ola",
        title="Bare",
        subtitle="",
        agreement_id="X-1",
        version="0.1",
        date="2027-03-04",
        parties=(),
        cover_lines=(),
        sections=(Section("1", "Only", "only", 1, blocks=(SignatureBlock(()),)),),
    )
    assert get_renderer(name).render(document, options())
