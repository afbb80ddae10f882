"""A standalone HTML5 page for the agreement, and the source of the PDF.

The page comes from `document.html.j2` in the template folder, rendered with
autoescape on, so a party called `<link rel=stylesheet href=file:///etc/passwd>`
is printed as those characters and never becomes markup that the PDF engine
would follow.  The stylesheet `print.css` is inlined to keep the file standalone.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from slagen.document import Document, Section, Table
from slagen.render import FormatRenderer, RenderOptions
from slagen.render.common import (
    DRAFT_NOTICE,
    TOC_TITLE,
    cover_rows,
    is_draft,
    kind_label,
    running_header,
)

__all__ = ["GENERATOR", "RENDERER", "TEMPLATE_NAME", "render_html"]

TEMPLATE_NAME = "document.html.j2"
STYLESHEET_NAME = "print.css"
GENERATOR = "slagen"
_ALIGN_CLASSES = {"left": "align-left", "right": "align-right", "center": "align-center"}




def render_html(document: Document, options: RenderOptions) -> str:
    """The document as one HTML5 string with print.css inlined."""
    template = _environment(options.template_dir.resolve()).get_template(TEMPLATE_NAME)
    return template.render(
        doc=document,
        draft=is_draft(document, options),
        css=_stylesheet(options.template_dir),
        generator=GENERATOR,
        kind_label=kind_label(document),
        cover_rows=cover_rows(document),
        running_header=running_header(document),
        draft_notice=DRAFT_NOTICE,
        toc_title=TOC_TITLE,
    )


@lru_cache(maxsize=4)
def _environment(template_dir: Path) -> jinja2.Environment:
    """Autoescape for every template name: `select_autoescape()` would skip `.j2` files."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["kind"] = lambda node: type(node).__name__
    env.globals["align_class"] = _align_class
    env.globals["heading_level"] = _heading_level
    return env


def _stylesheet(template_dir: Path) -> Markup:
    """print.css as markup for the <style> element (CSS must not be HTML-escaped).

    It is slagen's own file, but a `</style` inside it would end the element
    and let the rest be read as HTML, so that is refused.
    """
    css = (template_dir / STYLESHEET_NAME).read_text(encoding="utf-8")
    if "</style" in css.lower():
        raise ValueError(f"{template_dir / STYLESHEET_NAME}: must not contain '</style'")
    return Markup(css)  # noqa: S704 - trusted file from the template folder, checked above


def _align_class(table: Table, column: int) -> str:
    align = table.align[column] if column < len(table.align) else ""
    return _ALIGN_CLASSES.get(align, "align-left")


def _heading_level(section: Section) -> int:
    return max(1, min(section.level, 6))


def _render_bytes(document: Document, options: RenderOptions) -> bytes:
    return render_html(document, options).encode("utf-8")


RENDERER = FormatRenderer("html", ".html", _render_bytes)
