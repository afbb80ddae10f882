"""How each SLA target is backed, in words: rows for tables, terms against needs.

`backing.analyse` computes; this module says it.  The SLA's internal appendix
(context name `backing`), each OLA's chain table, the UC summary's gaps and the
`ola_checks` messages all take their text from here, so a number reads the
same wherever it appears.  Derived figures are shown conservatively: a
reached availability is truncated, a shortfall rounded up.
"""

from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from .backing import Backing, Link, analyse, window_of
from .calendar_cover import CoverGap, cover_gap
from .metrics import downtime_allowance, format_downtime
from .model import Agreement
from .records import record
from .service_hours import business_calendar
from .units import Duration, Percent, format_seconds

__all__ = [
    "BackingRow", "TermCheck", "agreement_years", "backing_row", "backing_rows", "chain_text",
    "downtime_figures", "link_cover", "pct_text", "per_window", "term_checks", "time_text",
]

_HUNDRED = Decimal(100)
_PLACES = 4  # decimals shown for derived availabilities


def pct_text(value: Decimal, up: bool = False) -> str:
    """A derived percentage for display: 4 decimals, down (what is reached) or up (a gap)."""
    rounding = ROUND_CEILING if up else ROUND_FLOOR
    shown = value.quantize(Decimal(1).scaleb(-_PLACES), rounding=rounding).normalize()
    return f"{shown:f}%"


def time_text(seconds: int) -> str:
    """A budget in hours and minutes (`38 h 30 min`): budgets run on business clocks too,
    where a "day" of 24 hours would mislead."""
    if seconds <= 0:
        return "0 s"
    hours, rest = divmod(seconds, 3600)
    return format_seconds(rest) if not hours else \
        f"{hours} h{' ' + format_seconds(rest) if rest else ''}"


def _target_text(target: Percent | Duration, backing: Backing | None = None) -> str:
    text = str(target)
    if isinstance(target, Duration) and target.is_business_days and backing is not None:
        text += f" ({time_text(backing.sla_seconds)})"
    return text


def _per_window(metric_window: str | int) -> str:
    return f"per {metric_window} days" if isinstance(metric_window, int) else \
        f"a {metric_window}"


# --- backing rows ------------------------------------------------------------


@record
class BackingRow:
    """One line of the 'how each target is backed' table, ready to print.

    Every field is text for a table cell except `ok`.  `metric` is the
    reference as a reader needs it, with the tier where targets differ by tier
    (`wan/p1-resolution (Gold)`); `ref` is the bare reference.
    """

    metric: str  # crm/p1-resolution, or wan/p1-resolution (Gold)
    ref: str  # crm/p1-resolution
    service: str
    title: str
    tier: str
    calendar: str
    chain: str  # service-desk 20 min → hand-off 10 min → platform-ops 2 h 30 min
    needs: str
    sla: str
    allowed: str  # after the margin
    margin: str
    slack: str  # "24 min spare" / "1 h 51 min short"
    ok: bool

    @property
    def budget(self) -> str:
        """What the chain needs (its total budget), under the name tables use for it."""
        return self.needs


def _link_text(backing: Backing, link: Link) -> str:
    name, support = link.party.id, link.support
    if backing.mode in ("chain", "first"):
        return f"{name} {time_text(link.seconds or 0)}"
    if backing.mode != "availability" or link.availability is None:
        return f"{name} (owns it)"
    if support.availability is not None and support.redundancy > 1:
        return (f"{name} {support.availability} \u00d7{support.redundancy} in parallel = "
                f"{pct_text(link.availability)}")
    if support.availability is not None:
        return f"{name} {support.availability}"
    basis = f"{support.share} of the downtime budget" if support.share is not None \
        else f"{support.budget} downtime"
    return f"{name} {pct_text(link.availability)} ({basis})"


def chain_text(backing: Backing) -> str:
    """The supports in words: steps with hand-offs, alternatives, or components in series."""
    parts = [_link_text(backing, link) for link in backing.links]
    if backing.mode == "first":
        return " or ".join(parts)
    if backing.mode == "availability":
        return " \u00d7 ".join(parts)
    if backing.mode == "chain":
        steps = [parts[0]] if parts else []
        for handoff, part in zip(backing.handoffs, parts[1:], strict=True):
            if handoff:
                steps.append(f"hand-off {time_text(handoff)}")
            steps.append(part)
        return " \u2192 ".join(steps)
    return ", ".join(parts) or "not backed"


def downtime_figures(backing: Backing, reached: Decimal | None = None,
                     ) -> tuple[Decimal, Decimal, Decimal]:
    """(allowed, used, spare) seconds of downtime per measurement window: what the SLA
    target allows, what the backing availability (default: the serial product) implies."""
    target = backing.target.value if isinstance(backing.target, Percent) else _HUNDRED
    clock = None if backing.clock.hours.is_24x7 else backing.clock
    window = window_of(backing.metric)
    value = backing.product if reached is None else reached
    allowed = downtime_allowance(Percent(target), window, clock)
    used = downtime_allowance(Percent(min(value, _HUNDRED)), window, clock)
    return allowed, used, allowed - used


def per_window(backing: Backing) -> str:
    """`a month`, `a quarter`, `per 30 days`: the window downtime figures refer to."""
    return _per_window(window_of(backing.metric))


def backing_row(backing: Backing) -> BackingRow:
    mode, dash = backing.mode, "\u2014"
    needs = sla_allowed = margin = slack = dash
    if mode in ("chain", "first"):
        needs, margin = time_text(backing.needed_seconds), str(backing.margin)
        sla_allowed = time_text(backing.allowed_seconds)
        gap = backing.allowed_seconds - backing.needed_seconds
        slack = f"{time_text(abs(gap))} {'spare' if gap >= 0 else 'short'}"
    elif mode == "availability":
        needs, sla_allowed = pct_text(backing.product), str(backing.target)
        _, _, spare = downtime_figures(backing)
        slack = (f"{format_downtime(abs(spare))} downtime "
                 f"{per_window(backing)} {'spare' if spare >= 0 else 'short'}")
    return BackingRow(backing.label, backing.ref, backing.service.name, backing.metric.title,
                      backing.tier, backing.calendar_id, chain_text(backing), needs,
                      _target_text(backing.target, backing), sla_allowed, margin, slack,
                      backing.ok)


def backing_rows(agreement: Agreement) -> list[BackingRow]:
    """Every SLA target with its chain, budgets and margin (the internal appendix)."""
    return [backing_row(b) for b in analyse(agreement)]


# --- supplier terms and calendars ---------------------------------------------


@record
class TermCheck:
    """One party's term against what the SLA needs from it (domain.md §5.1.7)."""

    backing: Backing
    link: Link
    term: str  # what the party commits: "4 h", "99.5%"
    needed: str  # what the SLA needs from it: "2 h 33 min", "99.95%"
    short: str  # by how much it falls short ("" when it fits)
    bridged: str = ""  # how redundancy bridges a term weaker than the SLA


def term_checks(backing: Backing, role: str = "supplier") -> list[TermCheck]:
    """A party's own term must fit in the whole SLA allowance on its own."""
    out = []
    for link in (x for x in backing.links if x.role == role):
        if backing.mode in ("chain", "first") and link.seconds is not None:
            over = link.seconds - backing.allowed_seconds
            out.append(TermCheck(backing, link, time_text(link.seconds),
                                 time_text(backing.allowed_seconds),
                                 time_text(over) + " too long" if over > 0 else ""))
        elif backing.mode == "availability" and link.availability is not None \
                and isinstance(backing.target, Percent):
            out.append(_availability_term(backing, link, backing.target))
    return out


def _availability_term(backing: Backing, link: Link, target: Percent) -> TermCheck:
    value = link.availability or _HUNDRED
    support = link.support
    term = pct_text(value)
    bridged = ""
    if support.availability is not None and support.redundancy > 1:
        term = f"{support.availability} per instance, {support.redundancy} in parallel {term}"
        if support.availability.value < target.value <= value:
            bridged = (f"{support.availability} per instance is below the SLA's {target}; "
                       f"{support.redundancy} instances in parallel give {pct_text(value)}")
    short = "" if value >= target.value else \
        f"{pct_text(target.value - value, up=True).rstrip('%')} points short"
    return TermCheck(backing, link, term, str(target), short, bridged)


def agreement_years(agreement: Agreement) -> range:
    """The calendar years the agreement runs (at most five, for holiday comparisons)."""
    meta = agreement.agreement
    last = meta.expires.year if meta.expires is not None else meta.effective.year
    return range(meta.effective.year, min(last, meta.effective.year + 4) + 1)


def link_cover(agreement: Agreement, backing: Backing, link: Link) -> CoverGap:
    """What of the metric's clock the party's calendar leaves uncovered."""
    if link.party.calendar == backing.calendar_id:
        return CoverGap()
    team_clock = business_calendar(agreement.calendars[link.party.calendar])
    return cover_gap(team_clock, backing.clock, agreement_years(agreement))
