"""Which documents an agreement produces, each assembled from its outline.

The SLA always; OLA companions and underpinning-contract summaries where the
agreement has teams and suppliers (added by `ola`).  Renderers never see the
model: they get these trees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .assemble import AssemblyRequest, assemble
from .context import sla_context
from .document import Document, SignatureParty
from .library import Library, load_library, load_outline, outline_path
from .model import Agreement
from .ola_documents import companion_documents, internal_backing

if TYPE_CHECKING:
    from .pipeline import BuildRequest

__all__ = ["build_documents", "signatories", "sla_document"]


def signatories(agreement: Agreement) -> tuple[SignatureParty, ...]:
    """One signature box per signatory, provider first."""
    out = []
    for role, party in (("Provider", agreement.provider), ("Customer", agreement.customer)):
        out.extend(SignatureParty(role, party.name, s.name, s.title) for s in party.signatories)
    return tuple(out)


def sla_document(agreement: Agreement, library: Library, request: BuildRequest) -> Document:
    from .pipeline import output_stem

    draft = request.draft or bool(agreement.open_terms)
    outline = load_outline(request.outline or outline_path("sla"))
    context = sla_context(agreement, draft=draft, internal=request.internal)
    if request.internal:  # provider's copy: how each target is backed (OLA appendix)
        context["backing"] = internal_backing(agreement)
    suffix = "internal" if request.internal else ""
    return assemble(AssemblyRequest(
        outline=outline, library=library, context=context, variants=agreement.variants,
        definitions=agreement.definitions, signatories=signatories(agreement),
        file_stem=output_stem(agreement.agreement.id, agreement.agreement.version, "sla",
                              suffix),
        draft=draft))


def build_documents(agreement: Agreement, request: BuildRequest) -> list[Document]:
    library = load_library(list(request.library_dirs))
    documents = [sla_document(agreement, library, request)]
    if request.include_ola:  # one OLA per team, one UC summary per supplier
        documents.extend(companion_documents(agreement, library, request))
    return documents
