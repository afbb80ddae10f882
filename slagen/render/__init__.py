"""Renderers: one small module per output format behind one protocol.

`get_renderer("pdf")` imports the format's module only when asked, so importing
`slagen.render` stays cheap: python-docx and WeasyPrint load only when a DOCX or
PDF is actually rendered.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from slagen.records import record

if TYPE_CHECKING:
    from slagen.document import Document

__all__ = [
    "DEFAULT_TEMPLATE_DIR",
    "FormatRenderer",
    "RENDERER_NAMES",
    "RenderOptions",
    "Renderer",
    "get_renderer",
]

#: The templates folder of a source checkout (print.css, document.html.j2, fonts/).
DEFAULT_TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates"

# name -> module under slagen.render; each module exposes RENDERER.
_MODULES = {"docx": "docx", "pdf": "pdf", "html": "html", "md": "markdown"}
RENDERER_NAMES = tuple(_MODULES)


@record
class RenderOptions:
    """How to render, independent of what is rendered.

    `draft` adds DRAFT markings (so does `Document.draft`); `pdf_variant` is a
    WeasyPrint variant such as "pdf/a-3b"; `template_dir` holds print.css, the
    HTML template and the fonts, and is the only folder the PDF engine may read.
    """

    draft: bool = False
    pdf_variant: str | None = None
    template_dir: Path = DEFAULT_TEMPLATE_DIR


class Renderer(Protocol):
    """One output format: turns a document tree into the bytes of one file."""

    name: str
    suffix: str

    def render(self, document: Document, options: RenderOptions) -> bytes: ...


@record
class FormatRenderer:
    """A `Renderer` made from a format module's render function."""

    name: str
    suffix: str
    function: Callable[[Document, RenderOptions], bytes]

    def render(self, document: Document, options: RenderOptions) -> bytes:
        return self.function(document, options)


def get_renderer(name: str) -> Renderer:
    """The renderer registered as `name`; its module is imported on first use."""
    try:
        module_name = _MODULES[name]
    except KeyError:
        known = ", ".join(RENDERER_NAMES)
        raise ValueError(f"unknown output format {name!r}; known formats: {known}") from None
    module = importlib.import_module(f"{__name__}.{module_name}")
    renderer: Renderer = module.RENDERER
    return renderer
