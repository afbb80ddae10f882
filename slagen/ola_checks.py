"""Consistency rules between the SLA and the OLAs and UCs behind it (domain.md L20–L22).

Registered with `checks.rule`, so `slagen check` and `slagen build` run them;
every finding is an error (exit 1) located at the line to fix:

* `ola.chain-too-long` — a time chain does not fit in SLA × (1 − margin);
* `ola.calendar` — a team or supplier does not work all the hours the
  target's clock runs (a business-hours team cannot back a 24x7 P1);
* `ola.availability` — the serial product of the supporting availabilities
  does not reach the SLA target;
* `ola.supplier` — a supplier's own term is weaker than the SLA needs;
* `ola.unbacked` — no team or supplier backs an SLA metric;
* `ola.unused` — a team or supplier backs nothing in the SLA.

An SLA that declares no teams and no suppliers gets none of these checks:
it has not started on its OLAs, and calling every metric unbacked would only
bury the findings that matter.  Once any team or supplier is declared, every
metric must be backed (L20), tier by tier where targets differ by tier.
"""

from __future__ import annotations

from .backing import Backing, Link, analyse
from .backing_report import (
    chain_text,
    downtime_figures,
    link_cover,
    pct_text,
    per_window,
    term_checks,
    time_text,
)
from .checks import rule
from .errors import Diagnostic
from .load import LoadedAgreement
from .metrics import format_downtime
from .model import Agreement
from .units import Percent

__all__ = [
    "availability_reaches_target", "calendars_cover", "every_metric_backed",
    "every_party_backs_something", "supplier_terms_strict_enough", "time_chains_fit",
]


def _backings(loaded: LoadedAgreement) -> list[Backing]:
    """The analysis, or nothing when the agreement declares no teams or suppliers."""
    model = loaded.model
    return analyse(model) if model.teams or model.suppliers else []


def _clock(agreement: Agreement, backing: Backing) -> str:
    """`always (24x7)`: the calendar id with its hours, as the agreement file says them."""
    return f"{backing.calendar_id} ({agreement.calendars[backing.calendar_id].hours})"


@rule
def time_chains_fit(loaded: LoadedAgreement) -> list[Diagnostic]:
    """L21: Σ steps + hand-offs ≤ SLA × (1 − margin); alternatives: the slowest fits."""
    found = []
    for b in _backings(loaded):
        if b.mode not in ("chain", "first") or b.ok:
            continue
        what = "chain needs" if b.mode == "chain" else (
            "first response needs" if len(b.links) == 1 else "slowest first responder needs")
        found.append(loaded.source.diagnostic(
            b.target_path,
            f"{b.label}: {what} {time_text(b.needed_seconds)} on "
            f"{_clock(loaded.model, b)}, SLA allows {b.target}, "
            f"{time_text(b.allowed_seconds)} after the {b.margin} margin: "
            f"{time_text(b.needed_seconds - b.allowed_seconds)} too long ({chain_text(b)})",
            "ola.chain-too-long",
            "shorten the budgets or hand-offs of the chain, or relax the SLA target"))
    return found


@rule
def calendars_cover(loaded: LoadedAgreement) -> list[Diagnostic]:
    """L22 / §5.1.5: everyone in the path of a target works whenever its clock runs."""
    model, found, seen = loaded.model, [], set()
    for b in _backings(loaded):
        for link in b.links:
            if (link.path, b.calendar_id) in seen:
                continue
            seen.add((link.path, b.calendar_id))
            gap = link_cover(model, b, link)
            if not gap.covers:
                found.append(_calendar_finding(loaded, b, link, gap.describe()))
    return found


def _calendar_finding(loaded: LoadedAgreement, b: Backing, link: Link,
                      gap: str) -> Diagnostic:
    party = link.party
    hours = loaded.model.calendars[party.calendar].hours
    return loaded.source.diagnostic(
        link.path,
        f"{b.ref}: {link.role} {party.id} works on {party.calendar} ({hours}), which does not "
        f"cover the clock of this target, {_clock(loaded.model, b)}: {gap}",
        "ola.calendar",
        f"give {party.id} a calendar that covers {b.calendar_id} (on-call counts), or back "
        "the target with a party that works those hours")


@rule
def availability_reaches_target(loaded: LoadedAgreement) -> list[Diagnostic]:
    """L22 / §5.1.4: serial components multiply; the product must reach the target."""
    found = []
    for b in _backings(loaded):
        if b.mode != "availability" or b.ok or not isinstance(b.target, Percent):
            continue
        allowed, used, _ = downtime_figures(b)
        short = pct_text(b.target.value - b.product, up=True).rstrip("%")
        found.append(loaded.source.diagnostic(
            b.target_path,
            f"{b.label}: serial availability {chain_text(b)} = {pct_text(b.product)} is "
            f"below the SLA target {b.target}: {short} points short "
            f"({format_downtime(used)} against {format_downtime(allowed)} of downtime "
            f"{per_window(b)})",
            "ola.availability",
            "raise a component's availability, declare redundancy, or lower the SLA target"))
    return found


@rule
def supplier_terms_strict_enough(loaded: LoadedAgreement) -> list[Diagnostic]:
    """L22 / §5.1.7: a supplier's own term fits inside the part of the SLA it backs."""
    found = []
    for b in _backings(loaded):
        for check in term_checks(b, "supplier"):
            if not check.short:
                continue
            party = check.link.party.id
            if b.mode == "availability" and check.link.availability is not None:
                allowed, used, _ = downtime_figures(b, check.link.availability)
                message = (f"{b.label}: supplier {party} commits {check.term}, weaker than "
                           f"the SLA target {b.target}: {check.short} "
                           f"({format_downtime(used)} against {format_downtime(allowed)} "
                           f"of downtime {per_window(b)})")
            else:
                message = (f"{b.label}: supplier {party}'s term is {check.term}, weaker than "
                           f"the SLA's {b.target} ({check.needed} after the {b.margin} "
                           f"margin): {check.short}")
            found.append(loaded.source.diagnostic(
                check.link.path, message, "ola.supplier",
                "negotiate a stricter term with the supplier, or bridge the gap "
                "(spares, redundancy) and declare it"))
    return found


@rule
def every_metric_backed(loaded: LoadedAgreement) -> list[Diagnostic]:
    """L20: every SLA metric is traced to at least one OLA or UC."""
    found, seen = [], set()
    for b in _backings(loaded):
        if b.mode != "none" or b.ref in seen:
            continue
        seen.add(b.ref)
        found.append(loaded.source.diagnostic(
            b.metric_path,
            f"{b.ref}: no team or supplier backs this metric ({b.metric.title}); every SLA "
            "metric needs an OLA or underpinning contract behind it",
            "ola.unbacked",
            f"add {{metric: {b.ref}, {_support_example(b)}}} to the supports of the team "
            "or supplier that delivers it"))
    return found


def _support_example(backing: Backing) -> str:
    """What a support of this metric's kind looks like."""
    if backing.metric.kind == "availability":
        return "availability: 99.99%, component: …"
    spec = backing.metric.spec_kind
    if spec.unit == "duration" and not spec.higher_is_better:
        return "budget: 30min (or share: 25%)"
    return "share: 100% (the party accountable for the figure)"


@rule
def every_party_backs_something(loaded: LoadedAgreement) -> list[Diagnostic]:
    """L20, the other way round: an OLA or UC that supports nothing has no reason to exist."""
    model, found = loaded.model, []
    for key, role, parties in (("teams", "team", model.teams),
                               ("suppliers", "supplier", model.suppliers)):
        for i, party in enumerate(parties):
            if party.supports:
                continue
            doc = "OLA" if role == "team" else "underpinning contract"
            found.append(loaded.source.diagnostic(
                (key, i, "supports"),
                f"{role} {party.id} supports no SLA metric: its {doc} would back nothing "
                "in the SLA",
                "ola.unused",
                "list the metrics it contributes to under supports, or remove it"))
    return found
