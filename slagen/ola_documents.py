"""OLA and UC documents: one per team and per supplier, through the same library.

They are assembled like the SLA — the same clause library, sandbox and
renderers — from their own outlines (`templates/outline-ola.yaml`,
`templates/outline-uc.yaml`), with the SLA context plus `team` (the Team)
and `ola` (its `OlaModel`).  Two things differ from the SLA, on purpose:

* only clauses that apply to the document's kind are offered, so an SLA
  clause's defined terms ("Agreement: this service level agreement …") never
  reach an OLA's glossary;
* the cover names the parties of the internal agreement (the team and the
  provider's service management), not the SLA's customer, and an OLA is
  signed by the team lead and the provider's signatory, not by the customer.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from .assemble import AssemblyRequest, assemble
from .backing_report import backing_rows
from .context import sla_context
from .document import Document, SignatureParty
from .library import Library, Outline, load_outline, outline_path
from .model import Agreement
from .ola import OlaModel, derive_olas, derive_ucs

if TYPE_CHECKING:
    from .backing_report import BackingRow
    from .pipeline import BuildRequest

__all__ = ["companion_documents", "internal_backing", "ola_signatories"]

_KEYWORDS = {"ola": "operational level agreement", "uc": "underpinning contract"}


def internal_backing(agreement: Agreement) -> list[BackingRow]:
    """Rows for the SLA's internal appendix; empty when no teams or suppliers are declared."""
    if not (agreement.teams or agreement.suppliers):
        return []
    return backing_rows(agreement)


def companion_documents(agreement: Agreement, library: Library,
                        request: BuildRequest) -> list[Document]:
    """One OLA per team, then one UC summary per supplier, in the agreement's order."""
    models = [*derive_olas(agreement), *derive_ucs(agreement)]
    if not models:
        return []
    libraries = {kind: _kind_library(library, kind) for kind in ("ola", "uc")}
    outlines = {kind: load_outline(outline_path(kind)) for kind in ("ola", "uc")}
    return [_document(agreement, libraries[m.kind], outlines[m.kind], m, request)
            for m in models]


def _kind_library(library: Library, kind: str) -> Library:
    """The library narrowed to one document kind (see the module docstring)."""
    clauses = {cid: c for cid, c in library.clauses.items() if kind in c.applies_to}
    return Library(clauses=clauses, roots=list(library.roots))


def _document(agreement: Agreement, library: Library, outline: Outline, model: OlaModel,
              request: BuildRequest) -> Document:
    from .pipeline import output_stem

    draft = request.draft or bool(agreement.open_terms)
    context = sla_context(agreement, draft=draft, internal=True, doc_kind=model.kind)
    context.update(team=model.team, ola=model, backing=list(model.chains))
    meta = agreement.agreement
    document = assemble(AssemblyRequest(
        outline=outline, library=library, context=context,
        variants=agreement.variants, definitions=agreement.definitions,
        signatories=ola_signatories(agreement, model),
        file_stem=output_stem(meta.id, meta.version, model.kind, model.team.id), draft=draft))
    provider = agreement.provider.name
    parties = (("Team", model.team.name), ("Provider", f"{provider} (service management)")) \
        if model.kind == "ola" else (("Supplier", model.team.name), ("Provider", provider))
    return replace(document, parties=parties,
                   cover_lines=tuple(line for line in document.cover_lines
                                     if line[0] != "Team"),  # named among the parties
                   keywords=(_KEYWORDS[model.kind], model.kind.upper(), meta.id,
                             model.team.id))


def ola_signatories(agreement: Agreement, model: OlaModel) -> tuple[SignatureParty, ...]:
    """OLA: the team lead and the provider's signatories; UC summary: the provider only.

    A UC summary is the provider's own record of what a contract must deliver;
    the supplier signs the contract itself, not this summary.
    """
    provider = agreement.provider
    out = []
    lead = model.team.lead
    if model.kind == "ola" and lead is not None:
        out.append(SignatureParty("Team", model.team.name, lead.name, lead.role))
    owner = agreement.agreement.owner
    signers = [(s.name, s.title) for s in provider.signatories]
    if not signers and owner:
        signers = [(owner, "Service owner")]
    out.extend(SignatureParty("Provider", provider.name, name, title) for name, title in signers)
    return tuple(out)
