"""`build()`: agreement file → checked model → document trees → files.

The storyboard, short enough to read at a glance.  Everything is loaded,
checked, assembled and rendered in memory first; only then is anything
written, so a failure never leaves half a set of documents behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import ChecksFailed, Diagnostic, InputError
from .output import check_writable, sha256, write_manifest, write_new_file
from .records import record

if TYPE_CHECKING:
    from .document import Document
    from .load import LoadedAgreement
    from .render import Renderer

__all__ = ["BuildRequest", "BuildResult", "build", "default_output_dir", "output_stem"]

DEFAULT_FORMATS = ("docx", "pdf")


@record
class BuildRequest:
    agreement: Path
    output_dir: Path | None = None
    formats: tuple[str, ...] = DEFAULT_FORMATS
    draft: bool = False
    final: bool = False
    force: bool = False
    include_ola: bool = True
    internal: bool = False
    library_dirs: tuple[Path, ...] = ()
    outline: Path | None = None
    pdf_variant: str | None = None


@dataclass
class BuildResult:
    outputs: list[Path] = field(default_factory=list)
    manifest: Path | None = None
    warnings: list[Diagnostic] = field(default_factory=list)


def default_output_dir(agreement: Path) -> Path:
    return agreement.parent / "out"


def output_stem(agreement_id: str, version: str, kind: str, suffix: str = "") -> str:
    """`ACME-CRM-2027-v1.0.0-sla` (and `-ola-<team>` for OLA companions)."""
    return f"{agreement_id}-v{version}-{kind}{'-' + suffix if suffix else ''}"


def build(request: BuildRequest) -> BuildResult:
    from .checks import run_checks
    from .documents import build_documents
    from .load import load_agreement
    from .render import RenderOptions, get_renderer

    loaded = load_agreement(request.agreement)
    findings = run_checks(loaded)
    if any(f.severity == "error" for f in findings):
        raise ChecksFailed(diagnostics=findings)
    if request.final and any(f.code == "agreement.placeholder" for f in findings):
        raise InputError(diagnostics=[f for f in findings if f.code == "agreement.placeholder"])
    _refuse_final_with_open_terms(request, loaded)
    documents = build_documents(loaded.model, request)
    out_dir = request.output_dir or default_output_dir(request.agreement)
    renderers = [_renderer(name, get_renderer) for name in request.formats]
    planned: dict[Path, bytes] = {}
    for document in documents:
        options = RenderOptions(draft=request.draft or document.draft,
                                pdf_variant=request.pdf_variant)
        for renderer in renderers:
            planned[out_dir / f"{document.file_stem}{renderer.suffix}"] = \
                renderer.render(document, options)
    manifest_path = out_dir / "manifest.json"
    check_writable([*planned, manifest_path], request.force)
    for path, data in planned.items():
        write_new_file(path, data, force=request.force)
    write_manifest(manifest_path, _manifest(loaded, documents, planned), request.force)
    return BuildResult(list(planned), manifest_path,
                       [f for f in findings if f.severity != "error"])


def _renderer(name: str, get_renderer: Callable[[str], Renderer]) -> Renderer:
    try:
        return get_renderer(name)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def _refuse_final_with_open_terms(request: BuildRequest, loaded: LoadedAgreement) -> None:
    model = loaded.model
    if request.final and model.open_terms:
        raise InputError(diagnostics=[
            loaded.source.diagnostic(
                ("negotiation", model.negotiation.index(term)),
                f"term '{term.term}' is still {term.status}; a final document needs every "
                "term agreed or withdrawn", "build.open-term",
                hint="settle it (slagen negotiate propose / import) or build without --final")
            for term in model.open_terms])


def _manifest(loaded: LoadedAgreement, documents: list[Document],
              planned: dict[Path, bytes]) -> dict[str, Any]:
    clauses = sorted({(cid, ver) for doc in documents for cid, ver in doc.clauses_used})
    return {
        "slagen_version": __version__,
        "agreement": {"file": loaded.path.name if loaded.path else "",
                      "sha256": loaded.sha256},
        "documents": [{"kind": d.kind, "title": d.title, "stem": d.file_stem,
                       "draft": d.draft,
                       "clauses": [{"id": c, "version": v} for c, v in d.clauses_used]}
                      for d in documents],
        "outputs": [{"file": path.name, "sha256": sha256(data), "bytes": len(data)}
                    for path, data in sorted(planned.items())],
        "clauses": [{"id": c, "version": v} for c, v in clauses],
    }
