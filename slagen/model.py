"""The Agreement model: what the parties agree, as frozen typed data.

This module is the single description of the agreement file format (v1): the
loader converts YAML into these classes field by field, the JSON Schema and
`docs/agreement-format.md` are generated from the same field metadata, and
every later stage (assembly, OLAs, negotiation, checks) reads these objects.
No I/O here.  Percentages and money are `Decimal`-based (see `units`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import field
from decimal import Decimal
from typing import Any, Literal

from .records import record
from .units import Duration, Money, Percent

__all__ = [
    "Agreement", "AgreementMeta", "Calendar", "Change", "ChronicFailure", "Claim",
    "Contact", "CreditBand", "Credits", "CustomerDuty", "EarnBack", "EscalationLevel",
    "Exceptions", "FlatCredit", "ForceMajeure", "Handoff", "Levels", "Maintenance", "Metric",
    "METRIC_KINDS", "MetricKind", "NegotiationRound", "NegotiationTerm", "OlaSettings", "Party",
    "Parties", "Priority", "Reporting", "Responsibilities", "Review", "Rounding", "Service",
    "Signatory", "Support", "Team", "Termination", "Tier", "Window",
]

FORMAT_VERSION = 1


def spec(doc: str, default: Any = ..., *, example: Any = None, factory: Any = None) -> Any:
    """A dataclass field carrying its documentation (for docs and the JSON Schema)."""
    meta = {"doc": doc, "example": example}
    if factory is not None:
        return field(default_factory=factory, metadata=meta)
    if default is ...:
        return field(metadata=meta)
    return field(default=default, metadata=meta)


# --- metric kinds ------------------------------------------------------------


@record
class MetricKind:
    """What a kind of metric measures: its unit, which direction is better."""

    name: str
    unit: Literal["percent", "duration"]
    higher_is_better: bool
    ticket_based: bool = False


METRIC_KINDS: dict[str, MetricKind] = {
    "availability": MetricKind("Availability", "percent", True),
    "response_time": MetricKind("Response time", "duration", False, True),
    "resolution_time": MetricKind("Resolution time", "duration", False, True),
    "mtbf": MetricKind("Mean time between failures (MTBF)", "duration", True),
    "mttr": MetricKind("Mean time to restore service (MTTR)", "duration", False),
    "average_speed_of_answer": MetricKind("Average speed of answer", "duration", False),
    "abandonment_rate": MetricKind("Abandonment rate", "percent", False),
    "first_contact_resolution": MetricKind("First-contact resolution", "percent", True),
    "time_service_factor": MetricKind("Time service factor", "percent", True),
    "customer_satisfaction": MetricKind("Customer satisfaction", "percent", True),
    "error_rate": MetricKind("Error rate", "percent", False),
    "latency": MetricKind("Latency", "duration", False),
    "turnaround_time": MetricKind("Turnaround time", "duration", False, True),
}

KindName = Literal[
    "availability", "response_time", "resolution_time", "mtbf", "mttr",
    "average_speed_of_answer", "abandonment_rate", "first_contact_resolution",
    "time_service_factor", "customer_satisfaction", "error_rate", "latency", "turnaround_time",
]
Cadence = Literal["weekly", "monthly", "quarterly", "semi-annually", "annually"]
Target = Percent | Duration


# --- metadata and parties ----------------------------------------------------


@record
class AgreementMeta:
    id: str = spec("Document identifier, used in file names.", example="ACME-CRM-2027")
    title: str = spec("Title on the cover page.", example="CRM Platform Service Level Agreement")
    kind: Literal["service", "customer", "multi-level"] = spec(
        "ITIL structure: one service for all customers, one customer for all its services, or "
        "layered corporate / customer / service levels.", example="customer")
    version: str = spec("Version of this agreement (semantic version).", example="1.0.0")
    effective: dt.date = spec("Date the agreement takes effect (YYYY-MM-DD).", example="2027-01-01")
    review: Cadence = spec("How often the agreement itself is reviewed.", example="annually")
    expires: dt.date | None = spec("Last day of the initial term, if fixed.", None,
                                example="2027-12-31")
    status: Literal["draft", "negotiation", "agreed", "active", "expired"] = spec(
        "Where the agreement stands.", "draft")
    renewal: str = spec("How the term renews.", "",
                        example="Renews for successive 12-month terms unless either party "
                                "gives notice.")
    owner: str = spec("Person who owns this document at the provider.", "")
    summary: str = spec("One-paragraph purpose of the agreement (overview section).", "")
    related: list[str] = spec("Related documents (master agreement, order form, OLAs).",
                              factory=list)
    precedence: str = spec("Which document prevails in a conflict.", "",
                           example="The Master Services Agreement prevails over this SLA.")


@record
class Contact:
    role: str = spec("What this person does in the agreement.", example="Service owner")
    name: str = spec("Full name.", example="Dana Whitfield")
    email: str = spec("E-mail address.", "")
    phone: str = spec("Phone number, international format.", "")


@record
class Signatory:
    name: str = spec("Full name of the person who signs.", example="Maria Keller")
    title: str = spec("Their position.", example="Chief Operating Officer")


@record
class Party:
    name: str = spec("Legal name.", example="Northwind Cloud GmbH")
    address: str = spec("Registered address.", example="Hafenstrasse 12, 20457 Hamburg, Germany")
    short_name: str = spec("Name used in the text, e.g. 'Northwind'.", "")
    registration: str = spec("Company registration number.", "")
    contacts: list[Contact] = spec("Named contacts with their roles.", factory=list)
    signatories: list[Signatory] = spec("People who sign for this party.", factory=list)

    @property
    def label(self) -> str:
        return self.short_name or self.name


@record
class Parties:
    provider: Party = spec("The party that delivers the service.")
    customer: Party = spec("The party that receives the service.")


# --- calendars, tiers, levels ------------------------------------------------


@record
class Calendar:
    """Named service hours.  The shorthand `24x7` means always open."""

    hours: str = spec("Weekly open hours: `24x7` or e.g. `Mon-Fri 08:00-18:00; Sat 09:00-13:00`.",
                      example="Mon-Fri 08:00-18:00")
    timezone: str = spec("IANA time zone the hours are in.", "UTC", example="Europe/Berlin")
    holidays: str | None = spec("Country whose public holidays close the calendar (ISO code).",
                                None, example="DE")
    subdivision: str | None = spec("State or region for holidays (ISO 3166-2 part).", None,
                                   example="BY")
    prime_time: str | None = spec(
        "Business-critical hours within this calendar (strictest targets, full staffing).",
        None, example="Mon-Fri 09:00-17:00")
    closed: list[dt.date] = spec("Extra closing days (company holidays).", factory=list)
    id: str = ""

    @staticmethod
    def shorthand(raw: Any) -> Any:
        return {"hours": "24x7"} if raw in ("24x7", "24/7") else raw


@record
class Tier:
    id: str = spec("Tier identifier.", example="gold")
    name: str = spec("Tier name shown in documents.", example="Gold")
    description: str = spec("What the tier offers.", "")


@record
class Levels:
    """Multi-level agreements: terms above the individual services."""

    corporate: list[str] = spec("Terms common to every customer of the provider.", factory=list)
    customer: list[str] = spec("Terms for this customer across all its services.", factory=list)


@record
class Priority:
    id: str = spec("Priority code.", example="P1")
    name: str = spec("Short name.", example="Critical")
    description: str = spec("Objective criteria (impact and urgency).",
                            example="Service unavailable for many users; no workaround.")


# --- metrics and services ----------------------------------------------------


@record
class Window:
    """Measurement window: a calendar period in a time zone, or rolling N days."""

    period: Literal["month", "quarter", "year", "week", "rolling"] = spec(
        "Calendar period, or `rolling`.", "month")
    days: int | None = spec("Length of a rolling window in days.", None, example=30)
    timezone: str | None = spec("Time zone the period boundaries are in (default: the metric's "
                                "calendar).", None, example="Europe/Berlin")

    @staticmethod
    def shorthand(raw: Any) -> Any:
        if isinstance(raw, str):
            words = raw.split()
            if len(words) == 3 and words[0] == "rolling" and words[2] in ("days", "day"):
                days = int(words[1]) if words[1].isdigit() else words[1]
                return {"period": "rolling", "days": days}
            return {"period": raw}
        return raw

    def describe(self) -> str:
        if self.period == "rolling":
            return f"rolling {self.days} days"
        return f"calendar {self.period}"


@record
class Rounding:
    decimals: int = spec("Decimal places shown in reports.", 2)
    mode: Literal["truncate", "half-up", "half-even"] = spec(
        "How a result is rounded for reporting; attainment is always judged unrounded.",
        "truncate")


@record
class Metric:
    id: str = spec("Identifier, unique within the service.", example="availability")
    kind: KindName = spec("What is measured.", example="availability")
    target: Target | None = spec("The committed level: a percentage or a duration by kind.", None,
                                 example="99.9%")
    targets: dict[str, Target] = spec("Per-tier targets (tier id → target) for tiered services.",
                                      factory=dict)
    name: str = spec("Name shown in documents (default from the kind and priority).", "")
    priority: str | None = spec("Incident priority the target applies to.", None, example="P1")
    compliance: Percent | None = spec(
        "Share of tickets that must meet a time target (e.g. 95% of P1 within 15 min).", None,
        example="95%")
    maximum: Duration | None = spec("Absolute limit for any single ticket (guards the tail).",
                                    None, example="2 business days")
    threshold: Duration | None = spec("Time service factor: answered within this time.", None,
                                      example="20s")
    percentile: int | None = spec("Latency: the percentile measured (e.g. 95).", None)
    window: Window = spec("Measurement window.", factory=Window)
    calendar: str | None = spec("Calendar id whose hours the clock runs on (default: the "
                                "service hours).", None, example="support-hours")
    definition: str = spec("What counts, in words: when the clock starts and stops.", "",
                           example="From ticket creation until an engineer has acknowledged the "
                                   "ticket and started work.")
    excludes: list[str] = spec("What does not count towards this metric.", factory=list)
    counts_automated_ack: bool = spec(
        "Whether an automated acknowledgement satisfies a response target (should be false).",
        False)
    confirmation: str = spec("Resolution: how restoration is confirmed.", "",
                             example="The customer confirms, or does not object within 2 "
                                     "business days.")
    reopen_within: Duration | None = spec("Resolution: a ticket reopened within this time "
                                          "resumes its original clock.", None,
                                          example="5 business days")
    pause_reasons: list[str] = spec("The only reasons the clock may pause.", factory=list)
    measured_by: str = spec("Who measures.", "", example="Provider, verified by customer audit")
    data_source: str = spec("System of record for the measurement.", "",
                            example="External HTTPS probe every 60 s from three regions")
    rounding: Rounding = spec("How reported results are rounded.", factory=Rounding)
    minimum_sample: int | None = spec("Fewest events in a window for a percentage to count.",
                                      None, example=20)
    expected_volume: int | None = spec("Typical events per window (for the small-sample check).",
                                       None)
    aggregation: Literal["percent-within", "mean", "median", "percentile", "ratio"] | None = spec(
        "How individual measurements combine.", None)
    credit: bool = spec("Whether missing this target earns a service credit.", False)
    baseline: str = spec("Measured current performance the target was set from.", "")

    @property
    def spec_kind(self) -> MetricKind:
        return METRIC_KINDS[self.kind]

    @property
    def title(self) -> str:
        base = self.name or METRIC_KINDS[self.kind].name
        if self.priority and not self.name:
            return f"{self.priority} {base.lower()}"
        return base


@record
class Service:
    id: str = spec("Identifier, used in references such as `crm/availability`.", example="crm")
    name: str = spec("Service name.", example="Hosted CRM")
    description: str = spec("What the service is and does.")
    hours: str = spec("Calendar id of the service hours (when it should run).", example="always")
    support_hours: str | None = spec("Calendar id of the support hours (when people fix it).",
                                     None, example="support-hours")
    scope: list[str] = spec("What is included.", factory=list)
    exclusions: list[str] = spec("What a reader might assume is included but is not.",
                                 factory=list)
    dependencies: list[str] = spec("Components and third parties the service relies on.",
                                   factory=list)
    users: str = spec("Who and where the users are.", "")
    catalogue_ref: str = spec("Service catalogue reference.", "")
    tier: str | None = spec("Tier id this customer takes (tiered services).", None)
    metrics: list[Metric] = spec("Service levels and targets.", factory=list)

    def metric(self, metric_id: str) -> Metric | None:
        return next((m for m in self.metrics if m.id == metric_id), None)


# --- responsibilities, escalation --------------------------------------------


@record
class CustomerDuty:
    duty: str = spec("What the customer must do.", example="Name two authorised contacts.")
    by: Duration | None = spec("How quickly (when it is a timed duty).", None,
                               example="2 business days")
    if_late: Literal["pause", "extend", "excuse", "none"] = spec(
        "What a late duty does to the provider's targets: pause their clocks, extend them by "
        "the delay, excuse misses it causes, or nothing.", "none")
    affects: list[str] = spec("Metric references (`service/metric`) it affects; empty: all.",
                              factory=list)

    @staticmethod
    def shorthand(raw: Any) -> Any:
        return {"duty": raw} if isinstance(raw, str) else raw


@record
class Responsibilities:
    provider: list[str] = spec("What the provider must do.", factory=list)
    customer: list[CustomerDuty] = spec("What the customer must do (text or a duty).",
                                        factory=list)


@record
class EscalationLevel:
    level: int = spec("1 for the first level.", example=1)
    role: str = spec("Role at this level.", example="Service desk")
    after: Duration | None = spec("Time after which an unresolved issue reaches this level "
                                  "(omit for level 1).", None, example="30min")
    name: str = spec("Named person, if any.", "")
    email: str = spec("E-mail address at this level.", "")
    phone: str = spec("Phone number at this level.", "")
    party: Literal["provider", "customer"] = spec("Whose person this is.", "provider")
    kind: Literal["functional", "hierarchical"] = spec(
        "Functional (to more expertise) or hierarchical (to more authority).", "hierarchical")
    priorities: list[str] = spec("Priorities this level applies to; empty: all.", factory=list)


# --- credits -----------------------------------------------------------------


@record
class CreditBand:
    """A half-open band [at_least, below) of attained availability."""

    below: Percent | Literal["target"] = spec("Upper bound (exclusive), or `target`.",
                                              example="99.9%")
    credit: Percent = spec("Credit as a share of the basis.", example="10%")
    at_least: Percent | None = spec("Lower bound (inclusive); default: the next band's `below`, "
                                    "or 0% for the last band.", None, example="99.0%")


@record
class FlatCredit:
    metric: str = spec("Metric reference `service/metric`.", example="desk/p1-resolution")
    credit: Percent = spec("Credit for each window the target is missed.", example="5%")


@record
class Claim:
    within: Duration = spec("Deadline to claim after the end of the window.", example="30 days")
    procedure: str = spec("How to claim.", "")
    evidence: str = spec("What a claim must contain.", "")


@record
class EarnBack:
    months: int = spec("Consecutive months at or above target that earn a credit back.",
                       example=3)
    description: str = spec("Any further condition.", "")


@record
class ChronicFailure:
    missed: int = spec("Missed windows ...", example=2)
    of: int = spec("... out of this many consecutive windows.", example=3)
    remedy: str = spec("What the customer may do.", "terminate the affected service without "
                       "penalty and recover fees prepaid for the remaining term")


@record
class Credits:
    basis: str = spec("What a credit percentage is a share of.",
                      example="monthly fee for the affected service")
    cap: Percent = spec("Most credit in one month, as a share of the basis.", example="50%")
    schedule: list[CreditBand] = spec("Bands of attained availability and their credit.",
                                      factory=list)
    flat: list[FlatCredit] = spec("Fixed credits for missed non-availability targets.",
                                  factory=list)
    automatic: bool = spec("Credits are applied without a claim.", False)
    claim: Claim | None = spec("Claim procedure and deadline (unless automatic).", None)
    earn_back: EarnBack | None = spec("How the provider can earn a credit back.", None)
    sole_remedy: bool = spec("Credits are the customer's only monetary remedy for misses.", False)
    one_per_incident: bool = spec("One incident earns at most one credit per service.", True)
    chronic_failure: ChronicFailure | None = spec("Termination right for repeated misses.", None)
    monthly_fee: Money | None = spec("Monthly fee the basis refers to (for examples).", None,
                                     example="EUR 12,000")
    start_after_months: int = spec("Months of baseline before credits apply.", 0)


# --- exceptions, reporting, review, change, termination ----------------------


@record
class Maintenance:
    window: str = spec("Weekly window for planned maintenance.", example="Sun 02:00-06:00")
    notice: Duration = spec("Advance notice the provider gives.", example="5 days")
    monthly_allowance: Duration = spec("Most planned maintenance in one month.", example="4h")
    timezone: str = spec("Time zone of the window.", "UTC", example="Europe/Berlin")
    emergency_notice: Duration | None = spec("Notice for emergency maintenance.", None,
                                             example="4h")
    emergency_counts: bool = spec("Emergency maintenance counts as downtime.", True)


@record
class ForceMajeure:
    events: list[str] = spec("Events that count as force majeure.", factory=list)
    notify_within: Duration = spec("How soon the affected party must notify.",
                                  Duration(seconds=2 * 86400))
    terminate_after: Duration | None = spec("Either party may terminate if it lasts longer.",
                                            None, example="30 days")


@record
class Exceptions:
    maintenance: Maintenance | None = spec("Planned maintenance rules.", None)
    force_majeure: ForceMajeure | None = spec("Force majeure.", None)
    customer_caused: bool = spec("Misses caused by the customer are excused.", True)
    third_party: list[str] = spec("Third-party causes excluded (beyond the demarcation point).",
                                  factory=list)
    other: list[str] = spec("Other excused events.", factory=list)


@record
class Reporting:
    cadence: Cadence = spec("How often reports are issued.", example="monthly")
    due_within: Duration = spec("Time after the window ends to deliver the report.",
                                Duration(business_days=10))
    content: list[str] = spec("What each report contains.", factory=list)
    recipients: list[str] = spec("Who receives it.", factory=list)
    format: str = spec("Format and channel.", "")
    dispute_within: Duration | None = spec("Time the customer has to dispute a report.", None,
                                           example="30 days")
    raw_data_access: bool = spec("The customer may see the raw measurement data.", False)


@record
class Review:
    service_review: Cadence = spec("How often service performance is reviewed.", "quarterly")
    participants: list[str] = spec("Roles that attend.", factory=list)
    improvement_triggers: list[str] = spec("Events that start a service improvement plan.",
                                           factory=list)


@record
class Change:
    procedure: str = spec("How a change to this agreement is requested and agreed.", "")
    approvers: list[str] = spec("Roles that must approve a change.", factory=list)
    adverse_notice: Duration | None = spec("Notice before a change that reduces the service.",
                                           None, example="90 days")


@record
class Termination:
    notice: Duration = spec("Notice to terminate for convenience.", example="90 days")
    for_cause_cure: Duration | None = spec("Time to cure a material breach before termination.",
                                           None, example="30 days")
    exit_assistance: str = spec("Help the provider gives on exit.", "")


# --- internal teams and suppliers ------------------------------------------


@record
class Support:
    """One contribution of a team or supplier to an SLA metric."""

    metric: str = spec("Metric reference `service/metric`.", example="crm/p1-resolution")
    budget: Duration | None = spec("Time this step may take.", None, example="15min")
    share: Percent | None = spec("Share of the SLA time budget (instead of `budget`).", None,
                                 example="25%")
    step: str = spec("What this step is.", "", example="Log, classify and assign")
    order: int | None = spec("Position in the chain (1 first).", None)
    availability: Percent | None = spec("Availability of the component this party runs.", None,
                                        example="99.95%")
    component: str = spec("The component whose availability is promised.", "")
    redundancy: int = spec("Redundant instances in parallel (1: none).", 1)


@record
class Handoff:
    to: str = spec("Team id that receives the hand-off.", example="second-line")
    within: Duration = spec("Time to hand over.", example="10min")
    contains: list[str] = spec("What a complete hand-off contains.", factory=list)


@record
class Team:
    id: str = spec("Identifier.", example="service-desk")
    name: str = spec("Team name.", example="Service Desk")
    calendar: str = spec("Calendar id of the hours the team covers.", example="always")
    lead: Contact | None = spec("Team lead.", None)
    description: str = spec("What the team does.", "")
    supports: list[Support] = spec("Metrics the team contributes to.", factory=list)
    handoffs: list[Handoff] = spec("Hand-offs to other teams.", factory=list)
    escalation: list[EscalationLevel] = spec("Internal escalation.", factory=list)
    contract: str = spec("Suppliers: contract reference.", "")


@record
class OlaSettings:
    margin: Percent = spec("Share of each SLA budget kept in reserve.",
                          Percent(Decimal(20)))
    reporting: Cadence = spec("How often teams report.", "monthly")
    review: Cadence = spec("How often OLAs are reviewed.", "quarterly")


# --- negotiation -------------------------------------------------------------


@record
class NegotiationRound:
    by: Literal["customer", "provider"] = spec("Who proposed.")
    value: str = spec("The proposed value (empty for a round that only reopens a term).", "",
                      example="99.95%")
    date: dt.date | None = spec("When.", None)
    note: str = spec("Why.", "")


@record
class NegotiationTerm:
    term: str = spec("Path of the negotiated value.",
                     example="services.crm.metrics.availability.target")
    status: Literal["open", "proposed", "countered", "agreed", "withdrawn", "parked",
                    "escalated"] = spec("Where the term stands.", "open")
    customer: str | None = spec("The customer's requirement.", None, example="99.99%")
    provider: str | None = spec("The provider's offer.", None, example="99.5%")
    proposal: str | None = spec("The current proposal on the table.", None)
    agreed: str | None = spec("The agreed value (documents use it).", None)
    standard: str | None = spec("The provider's standard position.", None)
    owner: str = spec("Who drives this term.", "")
    rationale: str = spec("Why the current position.", "")
    history: list[NegotiationRound] = spec("Rounds so far, oldest first.", factory=list)

    @property
    def is_settled(self) -> bool:
        return self.status in ("agreed", "withdrawn")


# --- the agreement -----------------------------------------------------------


@record
class Agreement:
    slagen: int = spec("Format version; must be 1.", example=1)
    agreement: AgreementMeta = spec("Identity, term and status.")
    parties: Parties = spec("Provider and customer.")
    calendars: dict[str, Calendar] = spec("Named service hours.")
    services: list[Service] = spec("The services covered.")
    responsibilities: Responsibilities = spec("Duties of both parties.")
    escalation: list[EscalationLevel] = spec("Escalation path.", factory=list)
    priorities: list[Priority] = spec("Incident priority definitions.", factory=list)
    tiers: list[Tier] = spec("Service tiers (e.g. Bronze/Silver/Gold).", factory=list)
    levels: Levels | None = spec("Corporate and customer levels (multi-level agreements).", None)
    credits: Credits | None = spec("Service credits; omit when there are none.", None)
    exceptions: Exceptions = spec("Excused events.", factory=Exceptions)
    reporting: Reporting | None = spec("Service reporting.", None)
    review: Review = spec("Service review.", factory=Review)
    change: Change = spec("Change and amendment.", factory=Change)
    termination: Termination | None = spec("Term and termination.", None)
    definitions: dict[str, str] = spec("Agreement-specific defined terms.", factory=dict)
    teams: list[Team] = spec("Internal teams (each gets an OLA).", factory=list)
    suppliers: list[Team] = spec("External suppliers (underpinning contracts).", factory=list)
    ola: OlaSettings = spec("Settings for OLA derivation.", factory=OlaSettings)
    negotiation: list[NegotiationTerm] = spec("Negotiated terms.", factory=list)
    variants: dict[str, str] = spec(
        "Clause variants chosen for outline slots (slot → variant), e.g. "
        "{credits.schedule: flat}.", factory=dict)

    @property
    def provider(self) -> Party:
        return self.parties.provider

    @property
    def customer(self) -> Party:
        return self.parties.customer

    @property
    def open_terms(self) -> list[NegotiationTerm]:
        return [t for t in self.negotiation if not t.is_settled]

    def metric(self, ref: str) -> tuple[Service, Metric] | None:
        """Resolve `service/metric`."""
        service_id, _, metric_id = ref.partition("/")
        for service in self.services:
            if service.id == service_id:
                found = service.metric(metric_id)
                return (service, found) if found else None
        return None

    def all_metrics(self) -> list[tuple[Service, Metric]]:
        return [(s, m) for s in self.services for m in s.metrics]
