"""Wording shared by every renderer, so DOCX, PDF and Markdown say the same thing."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from slagen.document import Document
    from slagen.render import RenderOptions

KIND_LABELS = {
    "sla": "Service Level Agreement",
    "ola": "Operational Level Agreement",
    "uc": "Underpinning Contract",
}
DRAFT_NOTICE = "DRAFT — not for signature"
TOC_TITLE = "Contents"
SIGN_LINE = "_" * 24


def is_draft(document: Document, options: RenderOptions) -> bool:
    """A document is marked DRAFT if either the tree or the caller says so."""
    return document.draft or options.draft


def kind_label(document: Document) -> str:
    return KIND_LABELS.get(document.kind, document.kind.upper())


def running_header(document: Document) -> str:
    """The reference printed at the top of every page after the cover."""
    return f"{document.agreement_id} · Version {document.version}"


def cover_rows(document: Document) -> tuple[tuple[str, str], ...]:
    """Label/value lines of the cover: reference, version and date, then the extras."""
    fixed = (
        ("Reference", document.agreement_id),
        ("Version", document.version),
        ("Date", document.date),
    )
    return fixed + tuple(document.cover_lines)
