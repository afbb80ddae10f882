"""How each SLA target is backed by teams (OLAs) and suppliers (UCs): the numbers.

The SLA promises the customer a figure; the provider keeps it only if the
teams and suppliers behind it add up (domain.md §5).  `analyse` works out,
for every metric and every target it has (one per tier where targets differ
by tier), which supports back it and what they add up to.  The OLA documents,
the SLA's internal appendix and the `ola_checks` rules all read these
figures, so a document can never show a chain the checks judged differently.

How the supports combine depends on the metric kind:

* resolution-like times (resolution, turnaround, MTTR, …): the supports are
  steps of a chain, in `order` (steps without one follow, as listed); their
  budgets plus the declared hand-offs between consecutive parties must fit in
  SLA × (1 − margin) (domain.md L21);
* first-touch times (response, speed of answer, latency): the first party to
  act stops the clock, so the supports are alternative first responders and
  the slowest one must fit;
* availability: supported components are in series, so availabilities
  multiply; a component with `redundancy` N is N identical instances in
  parallel, 1 − (1 − A)^N; the product must reach the SLA target;
* other kinds (ratios such as abandonment or satisfaction, MTBF): a support
  names the party that owns the figure; there is nothing to add up.

Budgets run on the metric's clock: `N business days` is N × the metric
calendar's typical open day, and a `share` is that share of the SLA target,
rounded down to the second, never in the team's favour.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_FLOOR, Decimal
from typing import Literal

from .calendar import BusinessCalendar
from .metrics import availability, chain_fits, parallel_availability, serial_availability
from .metrics import window_seconds as metric_window_seconds
from .model import Agreement, Metric, Service, Support, Team
from .records import record
from .service_hours import business_calendar
from .units import Duration, Percent

__all__ = ["Backing", "Link", "Mode", "analyse", "clock_seconds", "window_of"]

Path_ = tuple[str | int, ...]
Mode = Literal["chain", "first", "availability", "owned", "none"]
Role = Literal["team", "supplier"]

_FIRST_TOUCH = frozenset({"response_time", "average_speed_of_answer", "latency"})
_HUNDRED = Decimal(100)


@record
class Link:
    """One team's or supplier's support of a metric, with its figure in the metric's terms."""

    party: Team
    role: Role
    support: Support
    path: Path_  # ("teams", i, "supports", j)
    seconds: int | None = None  # time budget on the metric's clock
    availability: Decimal | None = None  # percent, redundancy applied


@record
class Backing:
    """How one SLA target (one tier's, where targets differ by tier) is backed."""

    service: Service
    metric: Metric
    metric_path: Path_
    target: Percent | Duration
    target_path: Path_
    tier: str  # tier name; "" when the metric has a single target
    mode: Mode
    links: tuple[Link, ...]
    handoffs: tuple[int | None, ...]  # hand-off time between links i and i + 1 (chains)
    margin: Percent
    calendar_id: str
    clock: BusinessCalendar
    sla_seconds: int = 0  # time modes: the SLA target on the metric's clock

    @property
    def ref(self) -> str:
        return f"{self.service.id}/{self.metric.id}"

    @property
    def label(self) -> str:
        """`crm/p1-resolution`, with the tier where targets differ by tier."""
        return f"{self.ref} ({self.tier})" if self.tier else self.ref

    @property
    def needed_seconds(self) -> int:
        """Chains add up, step by step and hand-off by hand-off; alternatives need the slowest."""
        budgets = [link.seconds or 0 for link in self.links]
        if self.mode == "first":
            return max(budgets, default=0)
        return sum(budgets) + sum(h or 0 for h in self.handoffs)

    @property
    def allowed_seconds(self) -> int:
        """SLA × (1 − margin), rounded down to the second (a 100% margin leaves nothing)."""
        if self.margin.value >= _HUNDRED or self.sla_seconds <= 0:
            return 0
        return chain_fits([], self.sla_seconds, self.margin)[1]

    @property
    def product(self) -> Decimal:
        """Serial availability of the supported components, percent, unrounded."""
        return serial_availability([link.availability or _HUNDRED for link in self.links])

    @property
    def ok(self) -> bool:
        """Backed in full: the chain fits, the product reaches the target, or an owner is named."""
        if self.mode in ("chain", "first"):
            return self.needed_seconds <= self.allowed_seconds
        if self.mode == "availability":
            return isinstance(self.target, Percent) and self.product >= self.target.value
        return self.mode == "owned"

    def involves(self, party: Team) -> bool:
        """Whether this team or supplier (the model object itself) is part of the backing."""
        return any(link.party is party for link in self.links)


# --- analysis ----------------------------------------------------------------


def analyse(agreement: Agreement) -> list[Backing]:
    """Every SLA target with the supports behind it, in the order of the agreement."""
    supports = _supports_by_metric(agreement)
    out = []
    for i, service in enumerate(agreement.services):
        for j, metric in enumerate(service.metrics):
            path: Path_ = ("services", i, "metrics", j)
            raw = supports.get(f"{service.id}/{metric.id}", [])
            for tier, target, target_path in _targets(agreement, metric, path):
                out.append(_backing(agreement, service, metric, path, tier, target,
                                    target_path, raw))
    return out


Raw = tuple[Team, Role, Support, Path_]


def _supports_by_metric(agreement: Agreement) -> dict[str, list[Raw]]:
    found: dict[str, list[Raw]] = {}
    for role, section in (("team", agreement.teams), ("supplier", agreement.suppliers)):
        key = "teams" if role == "team" else "suppliers"
        for i, party in enumerate(section):
            for j, support in enumerate(party.supports):
                found.setdefault(support.metric, []).append(
                    (party, role, support, (key, i, "supports", j)))  # type: ignore[arg-type]
    return found


def _targets(agreement: Agreement, metric: Metric,
             path: Path_) -> Iterator[tuple[str, Percent | Duration, Path_]]:
    """Each target the SLA states: one per tier where targets differ by tier."""
    names = {tier.id: tier.name for tier in agreement.tiers}
    if metric.targets:
        for tier_id, target in metric.targets.items():
            yield names.get(tier_id, tier_id), target, (*path, "targets", tier_id)
    elif metric.target is not None:
        yield "", metric.target, (*path, "target")


def _mode(metric: Metric) -> Mode:
    spec = metric.spec_kind
    if metric.kind == "availability":
        return "availability"
    if spec.unit == "duration" and not spec.higher_is_better:
        return "first" if metric.kind in _FIRST_TOUCH else "chain"
    return "owned"


def _backing(agreement: Agreement, service: Service, metric: Metric, path: Path_, tier: str,
             target: Percent | Duration, target_path: Path_, raw: list[Raw]) -> Backing:
    calendar_id = metric.calendar or service.hours
    clock = business_calendar(agreement.calendars[calendar_id])
    mode = _mode(metric) if raw else "none"
    sla_seconds = clock_seconds(target, clock) if isinstance(target, Duration) else 0
    links: list[Link] = []
    if mode in ("chain", "first") and sla_seconds:
        links = _time_links(raw, sla_seconds, clock)
    elif mode == "availability" and isinstance(target, Percent):
        links = _availability_links(raw, target, metric, clock)
    if mode != "none" and not links:
        mode, links = "owned", [Link(p, r, s, w) for p, r, s, w in raw]
    handoffs = tuple(_handoff(a.party, b.party, clock)
                     for a, b in zip(links, links[1:], strict=False))
    return Backing(service, metric, path, target, target_path, tier, mode, tuple(links),
                   handoffs if mode == "chain" else (), agreement.ola.margin, calendar_id,
                   clock, sla_seconds)


def _time_links(raw: list[Raw], sla_seconds: int, clock: BusinessCalendar) -> list[Link]:
    links = []
    for party, role, support, where in raw:
        if support.budget is not None:
            seconds = clock_seconds(support.budget, clock)
        elif support.share is not None:
            exact = Decimal(sla_seconds) * support.share.value / _HUNDRED
            seconds = int(exact.to_integral_value(rounding=ROUND_FLOOR))
        else:
            continue
        links.append(Link(party, role, support, where, seconds=seconds))
    order = {id(link): n for n, link in enumerate(links)}
    return sorted(links, key=lambda link: (link.support.order is None,
                                           link.support.order or 0, order[id(link)]))


def _availability_links(raw: list[Raw], target: Percent, metric: Metric,
                        clock: BusinessCalendar) -> list[Link]:
    """Each component's availability: promised, from a share of the downtime budget, or
    from a budget of downtime per measurement window."""
    links = []
    for party, role, support, where in raw:
        if support.availability is not None:
            single = support.availability.value
            value = parallel_availability([single] * max(1, support.redundancy))
        elif support.share is not None:
            value = _HUNDRED - support.share.value * (_HUNDRED - target.value) / _HUNDRED
        elif support.budget is not None:
            window = metric_window_seconds(window_of(metric), None if clock.hours.is_24x7
                                           else clock)
            down = min(Decimal(clock_seconds(support.budget, clock)), window)
            value = availability(window, down)
        else:
            continue
        links.append(Link(party, role, support, where, availability=value))
    return links


def _handoff(source: Team, receiver: Team, clock: BusinessCalendar) -> int | None:
    """The declared hand-off time from one party of a chain to the next, if any."""
    if source.id == receiver.id:
        return None
    for handoff in source.handoffs:
        if handoff.to == receiver.id:
            return clock_seconds(handoff.within, clock)
    return None


def clock_seconds(duration: Duration, clock: BusinessCalendar) -> int:
    """A duration on a metric's clock: business days become typical open days of it."""
    if duration.is_business_days:
        return duration.business_days * clock.business_day_seconds()
    return duration.seconds


def window_of(metric: Metric) -> str | int:
    """The metric's measurement window as `metrics` names it (`month`, or N rolling days)."""
    if metric.window.period == "rolling":
        return metric.window.days or 30
    return metric.window.period
