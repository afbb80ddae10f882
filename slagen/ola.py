"""OLA derivation: SLA model → one OLA per internal team, one UC summary per supplier.

An SLA is only as good as the agreements behind it.  From the agreement's
`teams`, `suppliers` and `ola` settings this module derives what each party
must deliver — its targets per supported metric, the hand-offs it receives and
makes, its escalation, hours, reporting and review — as frozen `OlaModel`s the
OLA and UC clauses read (context names `team` and `ola`).  `backing_rows`
(from `backing_report`) gives the SLA's internal appendix its table (context
name `backing`).  Every figure comes from `backing.analyse`, the same numbers
the `ola_checks` rules judge, so a document cannot show a chain the checks
judged differently.
"""

from __future__ import annotations

from typing import Literal

from .backing import Backing, Link, analyse
from .backing_report import (
    BackingRow,
    backing_row,
    backing_rows,
    link_cover,
    pct_text,
    term_checks,
    time_text,
)
from .model import Agreement, EscalationLevel, Service, Support, Team
from .records import record
from .service_hours import business_calendar
from .units import Duration, Percent

__all__ = [
    "BackingRow", "HandoffTerm", "OlaModel", "OlaTarget", "backing_rows", "derive_olas",
    "derive_ucs",
]


# --- OLA models ----------------------------------------------------------------


@record
class OlaTarget:
    """What one party commits to for one SLA metric."""

    metric: str  # crm/p1-resolution
    service: str
    title: str
    sla_target: str  # "4 h", or "Gold 3 h, Silver 6 h" where tiers differ
    target: str  # this party's budget or availability
    step: str  # the step or the component
    calendar: str  # calendar id of the metric's clock
    support: Support


@record
class HandoffTerm:
    """A hand-off between two parties: from whom, to whom, how fast, what it contains."""

    from_team: Team
    to_team: Team
    within: Duration
    contains: tuple[str, ...]


@record
class OlaModel:
    """One OLA (an internal team) or UC summary (a supplier), derived from the SLA."""

    kind: Literal["ola", "uc"]
    team: Team
    services: tuple[Service, ...]
    targets: tuple[OlaTarget, ...]
    receives: tuple[HandoffTerm, ...]  # upstream: hand-offs to this party
    hands_to: tuple[HandoffTerm, ...]  # downstream: hand-offs this party makes
    escalation: tuple[EscalationLevel, ...]
    calendar: str
    hours: str
    margin: Percent
    reporting: str
    review: str
    chains: tuple[BackingRow, ...]  # the SLA targets this party is part of
    gaps: tuple[str, ...]  # terms weaker than the SLA needs, or bridged by redundancy


def derive_olas(agreement: Agreement) -> list[OlaModel]:
    """One OLA per internal team."""
    backings = analyse(agreement)
    return [_derive(agreement, team, "ola", backings) for team in agreement.teams]


def derive_ucs(agreement: Agreement) -> list[OlaModel]:
    """One underpinning-contract summary per supplier."""
    backings = analyse(agreement)
    return [_derive(agreement, s, "uc", backings) for s in agreement.suppliers]


def _derive(agreement: Agreement, party: Team, kind: Literal["ola", "uc"],
            backings: list[Backing]) -> OlaModel:
    mine = [b for b in backings if b.involves(party)]
    refs = {s.metric for s in party.supports}
    services = tuple(s for s in agreement.services
                     if any(r.partition("/")[0] == s.id for r in refs))
    teams = {t.id: t for t in agreement.teams}  # hand-offs always go to a team
    handoffs = [HandoffTerm(source, teams[h.to], h.within, tuple(h.contains))
                for source in (*agreement.teams, *agreement.suppliers)
                for h in source.handoffs if h.to in teams]
    escalation = tuple(party.escalation)
    if not escalation and kind == "ola":  # internal: the provider's management line
        escalation = tuple(level for level in agreement.escalation
                           if level.party == "provider" and level.kind == "hierarchical")
    return OlaModel(
        kind=kind, team=party, services=services,
        targets=tuple(_target(agreement, party, s, mine) for s in party.supports),
        receives=tuple(h for h in handoffs if h.to_team is party),
        hands_to=tuple(h for h in handoffs if h.from_team is party),
        escalation=escalation, calendar=party.calendar,
        hours=business_calendar(agreement.calendars[party.calendar]).describe(),
        margin=agreement.ola.margin, reporting=agreement.ola.reporting,
        review=agreement.ola.review, chains=tuple(backing_row(b) for b in mine),
        gaps=tuple(_gaps(agreement, party, mine)))


def _target(agreement: Agreement, party: Team, support: Support,
            backings: list[Backing]) -> OlaTarget:
    found = agreement.metric(support.metric)
    assert found is not None  # the loader refuses supports of unknown metrics
    service, metric = found
    rows = [b for b in backings if b.ref == support.metric]
    links = [(b, link) for b in rows for link in b.links
             if link.party is party and link.support is support]
    sla = ", ".join(f"{b.tier} {b.target}" if b.tier else str(b.target) for b in rows)
    return OlaTarget(support.metric, service.name, metric.title, sla,
                     _own_target(support, links), support.step or support.component,
                     rows[0].calendar_id if rows else metric.calendar or service.hours,
                     support)


def _own_target(support: Support, links: list[tuple[Backing, Link]]) -> str:
    """The party's figure as its OLA states it."""
    if support.availability is not None:
        redundancy = f" per instance, {support.redundancy} in parallel" \
            if support.redundancy > 1 else ""
        return f"{support.availability}{redundancy}"
    if support.budget is not None and not any(b.mode == "availability" for b, _ in links):
        return str(support.budget)
    if all(b.mode == "owned" for b, _ in links):
        return "accountable for the SLA target"
    figures = [(b.tier, _link_figure(b, link)) for b, link in links]
    per_tier = ", ".join(f"{tier} {value}" if tier else value for tier, value in figures)
    basis = f"{support.share} of the SLA target" if support.share is not None \
        else f"{support.budget} downtime"
    return f"{basis} ({per_tier})" if per_tier else basis


def _link_figure(backing: Backing, link: Link) -> str:
    if link.seconds is not None:
        return time_text(link.seconds)
    return pct_text(link.availability) if link.availability is not None else "\u2014"


def _gaps(agreement: Agreement, party: Team, backings: list[Backing]) -> list[str]:
    """Where the party's terms fall short of the SLA, or meet it only through redundancy."""
    role = "team" if any(party is t for t in agreement.teams) else "supplier"
    out = []
    for backing in backings:
        for check in term_checks(backing, role):
            if check.link.party is not party:
                continue
            if check.short:
                out.append(f"{backing.label}: {check.term} against {check.needed} needed, "
                           f"{check.short}")
            if check.bridged:
                out.append(f"{backing.label}: {check.bridged}")
        for link in (x for x in backing.links if x.party is party):
            gap = link_cover(agreement, backing, link)
            if not gap.covers:
                out.append(f"{backing.label}: hours do not cover the clock ({gap.describe()})")
    return list(dict.fromkeys(out))
