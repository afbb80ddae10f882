"""PDF through WeasyPrint: the HTML page of `html.py`, laid out with print.css.

Two guarantees matter here (see reliability.md):

* The engine reads nothing but `data:` URLs and files inside the template
  folder.  Every fetch goes through `safe_url_fetcher`; a refusal raises
  `UnsafeResourceError` out of `render()` instead of being logged and skipped
  (WeasyPrint swallows fetch errors unless they are fatal).
* The same tree gives the same bytes: dates come from `Document.date` via the
  page's `dcterms.*` meta tags (WeasyPrint 70 never reads the clock for them),
  fonts come from the template folder only, and the file identifier is the MD5
  of the content.

WeasyPrint is imported inside functions only, so importing this module is cheap.
"""

from __future__ import annotations

import gc
import mimetypes
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlsplit
from urllib.request import url2pathname

from slagen.document import Document
from slagen.render import FormatRenderer, RenderOptions
from slagen.render.html import render_html

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcherResponse

__all__ = [
    "MAX_RESOURCE_BYTES",
    "RENDERER",
    "GuardedFetcher",
    "UnsafeResourceError",
    "render_pdf",
    "safe_url_fetcher",
    "source_date_epoch",
]

_ENVIRONMENT_LOCK = threading.Lock()
_MIME_TYPES = mimetypes.MimeTypes()  # Python's own table, not the machine's /etc/mime.types

#: Largest file the engine may read from the template folder (fonts are < 1 MB).
MAX_RESOURCE_BYTES = 20 * 1024 * 1024


class UnsafeResourceError(Exception):
    """The PDF engine was asked for something outside slagen's template folder."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(f"refused to load {_shorten(url)}: {reason}")
        self.url = url
        self.reason = reason




def render_pdf(document: Document, options: RenderOptions) -> bytes:
    """Lay out the HTML page and write the PDF; raise UnsafeResourceError on any refusal."""
    from weasyprint.urls import FatalURLFetchingError

    fetcher = safe_url_fetcher(options.template_dir)
    try:
        with source_date_epoch(document.date), collector_paused():
            pdf = _write_pdf(render_html(document, options), fetcher, options)
    except FatalURLFetchingError as fatal:
        # A BaseException: turn it back into the error that caused it.
        raise (fatal.__cause__ or RuntimeError(str(fatal))) from None
    fetcher.raise_first_refusal()  # in case a refusal was caught inside WeasyPrint
    return pdf


def _write_pdf(html_text: str, fetcher: GuardedFetcher, options: RenderOptions) -> bytes:
    from weasyprint import HTML
    from weasyprint.pdf import VARIANTS

    if options.pdf_variant is not None and options.pdf_variant not in VARIANTS:
        known = ", ".join(sorted(VARIANTS))
        raise ValueError(f"unknown PDF variant {options.pdf_variant!r}; known variants: {known}")

    html = HTML(
        string=html_text,
        base_url=_directory_url(options.template_dir),
        url_fetcher=fetcher,
        media_type="print",
    )
    pdf: bytes = html.write_pdf(
        presentational_hints=False,
        pdf_identifier=True,  # the MD5 of the content: stable, where a random ID is not
        pdf_variant=options.pdf_variant,
        custom_metadata=False,
    )
    return pdf


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while WeasyPrint lays out the pages.

    The layout tree is millions of objects that all live until the PDF is
    written, so each collection walks them and frees nothing: measured on the
    50 x 6 benchmark, layout took 27.1 s without collections and 32.3 s with
    Python's defaults, at the same peak memory.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def source_date_epoch(iso_date: str) -> Iterator[None]:
    """Set SOURCE_DATE_EPOCH to the document's date while WeasyPrint runs.

    fontTools stamps every embedded font subset with the clock (`head.modified`)
    unless SOURCE_DATE_EPOCH is set.  The variable is process-wide, so renders
    hold a lock and the previous value is put back afterwards.
    """
    stamp = datetime.fromisoformat(iso_date)
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=UTC)
    with _ENVIRONMENT_LOCK:
        previous = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp.timestamp()))
        try:
            yield
        finally:
            if previous is None:
                del os.environ["SOURCE_DATE_EPOCH"]
            else:
                os.environ["SOURCE_DATE_EPOCH"] = previous


def _directory_url(folder: Path) -> str:
    """file:// URL of the folder, with the trailing slash relative URLs need."""
    return folder.resolve().as_uri() + "/"


# --- the URL fetcher -----------------------------------------------------------


class GuardedFetcher(Protocol):
    """What render_pdf needs from the fetcher (a `weasyprint.urls.URLFetcher` subclass)."""

    refusals: list[UnsafeResourceError]

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse: ...

    def raise_first_refusal(self) -> None: ...


def safe_url_fetcher(template_dir: Path) -> GuardedFetcher:
    """A WeasyPrint URL fetcher that only serves `data:` URLs and files in `template_dir`."""
    fetcher: GuardedFetcher = _fetcher_class()(template_dir)
    return fetcher


@cache
def _fetcher_class() -> type:
    """Build the fetcher class on first use, so WeasyPrint loads only for PDFs."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeURLFetcher(URLFetcher):
        """Allow-list fetcher; remembers every refusal so none can be silently skipped."""

        def __init__(self, template_dir: Path) -> None:
            super().__init__(
                allowed_protocols=("data", "file"), allow_redirects=False, fail_on_errors=True
            )
            self.root = Path(os.path.realpath(template_dir))
            self.refusals: list[UnsafeResourceError] = []

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            try:
                return self._fetch(url, headers)
            except UnsafeResourceError as refusal:
                self.refusals.append(refusal)
                raise

        def _fetch(self, url: str, headers: Any) -> URLFetcherResponse:
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme != "file":
                raise UnsafeResourceError(url, "only data: URLs and template files are allowed")
            path = _template_file(url, self.root)
            body = path.read_bytes()
            content_type = _MIME_TYPES.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

        def raise_first_refusal(self) -> None:
            if self.refusals:
                raise self.refusals[0]

    return SafeURLFetcher


def _template_file(url: str, root: Path) -> Path:
    """The regular file a file: URL names, if it really lies inside `root`."""
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost"):
        raise UnsafeResourceError(url, "file URLs on other hosts are not allowed")
    path = Path(os.path.realpath(url2pathname(parts.path)))  # url2pathname unquotes
    if not path.is_relative_to(root):
        raise UnsafeResourceError(url, f"outside the template folder {root}")
    if not path.is_file():
        raise UnsafeResourceError(url, "not a regular file in the template folder")
    if path.stat().st_size > MAX_RESOURCE_BYTES:
        raise UnsafeResourceError(url, f"larger than {MAX_RESOURCE_BYTES} bytes")
    return path


def _shorten(url: str, limit: int = 200) -> str:
    return url if len(url) <= limit else url[:limit] + "…"


RENDERER = FormatRenderer("pdf", ".pdf", render_pdf)
