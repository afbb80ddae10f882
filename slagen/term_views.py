"""Negotiated terms as readers see them: for the workbook, the terminal and the annexes.

A `TermView` carries everything a row needs — the model's fields plus words
(description, what each position means in practice, the gap, a suggested
middle, the effective standard) — so the workbook, `negotiate status` and the
SLA's "Open points" and "Deviations" annexes all say the same thing.
"""

from __future__ import annotations

from .model import Agreement, NegotiationRound, NegotiationTerm
from .positions import TermInfo, same_value, term_info
from .practice import gap, in_practice, suggest
from .records import record
from .standards import StandardPosition, effective_standard, load_standard_positions
from .terms import TermPathError

__all__ = ["NegotiationViews", "TermView", "negotiation_views", "term_view"]


@record
class TermView:
    term: str
    description: str
    status: str
    customer: str | None
    provider: str | None
    proposal: str | None
    agreed: str | None
    standard: str | None
    owner: str
    rationale: str
    history: tuple[NegotiationRound, ...]
    direction: str  # "higher", "lower" or "" (which is better for the customer)
    current: str | None  # what documents use now
    gap: str
    suggestion: str | None
    customer_in_practice: str
    provider_in_practice: str
    current_in_practice: str
    agreed_in_practice: str
    standard_matches: bool = True  # the agreed value equals the standard (or either is unknown)

    @property
    def is_settled(self) -> bool:
        return self.status in ("agreed", "withdrawn")

    @property
    def is_deviation(self) -> bool:
        return self.status == "agreed" and self.agreed is not None and \
            self.standard is not None and not self.standard_matches


@record
class NegotiationViews:
    terms: list[TermView]

    @property
    def open(self) -> list[TermView]:
        return [t for t in self.terms if not t.is_settled]

    @property
    def deviations(self) -> list[TermView]:
        return [t for t in self.terms if t.is_deviation]


def _current(term: NegotiationTerm) -> str | None:
    if term.status == "agreed" and term.agreed is not None:
        return term.agreed
    return term.proposal if term.proposal is not None else term.provider


def term_view(agreement: Agreement, term: NegotiationTerm,
              positions: list[StandardPosition]) -> TermView:
    """Everything a reader needs to know about one negotiated term."""
    try:
        info: TermInfo | None = term_info(agreement, term.term)
    except TermPathError:
        info = None
    standard = effective_standard(agreement, term, positions)
    current = _current(term)

    def practice(value: str | None) -> str:
        return in_practice(info, value, agreement) if info else ""

    return TermView(
        term=term.term, description=info.description if info else term.term,
        status=term.status, customer=term.customer, provider=term.provider,
        proposal=term.proposal, agreed=term.agreed, standard=standard, owner=term.owner,
        rationale=term.rationale, history=tuple(term.history),
        direction=info.direction if info else "", current=current,
        gap=gap(info, term.customer, term.provider) if info else "",
        suggestion=suggest(info, term.customer, term.provider) if info else None,
        customer_in_practice=practice(term.customer),
        provider_in_practice=practice(term.provider),
        current_in_practice=practice(current), agreed_in_practice=practice(term.agreed),
        standard_matches=_matches(info, term.agreed, standard))


def _matches(info: TermInfo | None, agreed: str | None, standard: str | None) -> bool:
    if agreed is None or standard is None:
        return True
    return same_value(info, agreed, standard) if info else agreed.strip() == standard.strip()


def negotiation_views(agreement: Agreement,
                      positions: list[StandardPosition] | None = None) -> NegotiationViews:
    """Views of every negotiated term; standards from the bundled library by default."""
    if not agreement.negotiation:
        return NegotiationViews([])
    if positions is None:
        positions = load_standard_positions()
    return NegotiationViews([term_view(agreement, t, positions) for t in agreement.negotiation])
