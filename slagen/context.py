"""The names clause templates see, built from the model.

Templates read the model through this one mapping, so the library lint can
tell a clause that uses a name the model does not provide.  Values are the
frozen model objects themselves: templates read, they cannot change.
"""

from __future__ import annotations

from typing import Any

from .model import Agreement
from .term_views import negotiation_views

__all__ = ["CONTEXT_NAMES", "sla_context"]

CONTEXT_NAMES = frozenset({
    "agreement", "provider", "customer", "parties", "calendars", "services", "metrics",
    "responsibilities", "escalation", "priorities", "tiers", "levels", "credits", "exceptions",
    "reporting", "review", "change", "termination", "definitions", "teams", "suppliers",
    "ola_settings", "negotiation", "open_terms", "deviations", "draft", "doc", "internal",
    "backing",
    # per document or per repeated section
    "service", "team", "ola",
})


def sla_context(agreement: Agreement, *, draft: bool = False, internal: bool = False,
                doc_kind: str = "sla") -> dict[str, Any]:
    """Everything a clause may use, by the names `CONTEXT_NAMES` promises."""
    a = agreement
    views = negotiation_views(a)  # open terms and deviations from the library's standards
    return {
        "agreement": a.agreement,
        "provider": a.provider,
        "customer": a.customer,
        "parties": a.parties,
        "calendars": a.calendars,
        "services": a.services,
        "metrics": a.all_metrics(),
        "responsibilities": a.responsibilities,
        "escalation": a.escalation,
        "priorities": a.priorities,
        "tiers": a.tiers,
        "levels": a.levels,
        "credits": a.credits,
        "exceptions": a.exceptions,
        "reporting": a.reporting,
        "review": a.review,
        "change": a.change,
        "termination": a.termination,
        "definitions": a.definitions,
        "teams": a.teams,
        "suppliers": a.suppliers,
        "ola_settings": a.ola,
        "negotiation": a.negotiation,
        "open_terms": views.open,
        "deviations": views.deviations,
        "draft": draft or bool(a.open_terms),
        "doc": {"kind": doc_kind},
        "internal": internal,
        "backing": [],
    }
