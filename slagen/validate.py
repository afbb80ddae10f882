"""Agreement file data + source map → `Agreement`, with every problem reported.

Structure and units are checked by the generic `Converter`; this module adds
what only the agreement knows: the format version, negotiated values that
override the written ones, metric targets whose unit depends on their kind,
and references between sections (calendars, tiers, metrics, teams, credits).
"""

from __future__ import annotations

import copy
from dataclasses import replace
from typing import Any

from .calendar import CalendarError, parse_weekly_hours, validate_holiday_region, validate_timezone
from .convert import INVALID, Converter
from .errors import InputError
from .model import FORMAT_VERSION, METRIC_KINDS, Agreement, Metric
from .terms import TermPathError, resolve_term, set_term
from .units import Duration, Percent, UnitError, parse_duration, parse_percent
from .yamlsrc import Path_, SourceMap

__all__ = ["effective_value", "validate_agreement"]


def validate_agreement(data: Any, source: SourceMap) -> Agreement:
    """Build the model or raise `InputError` carrying every diagnostic found."""
    converter = _AgreementConverter(source)
    if not isinstance(data, dict):
        converter.error((), "the top level must be a mapping that starts with 'slagen: 1'",
                        "agreement.type")
        raise InputError(diagnostics=converter.diagnostics)
    _check_version(data, converter)
    data = _apply_negotiation(data, converter)
    agreement = converter.dataclass(Agreement, data, ())
    if agreement is not INVALID:
        _References(agreement, converter).check()
        if not converter.diagnostics:
            agreement = _resolve_tiers(agreement)
    if converter.diagnostics:
        raise InputError(diagnostics=sorted(converter.diagnostics, key=lambda d: (d.line,
                                                                                  d.column)))
    return agreement


def _check_version(data: dict, converter: Converter) -> None:
    version = data.get("slagen")
    if "slagen" not in data:
        converter.error((), "the file does not start with 'slagen: 1'", "agreement.version",
                        "add 'slagen: 1' as the first line")
        raise InputError(diagnostics=converter.diagnostics)
    if version != FORMAT_VERSION or isinstance(version, bool):
        converter.error(("slagen",), f"format version {converter.raw_text(('slagen',), version)!r}"
                        f" is not supported; this slagen reads version {FORMAT_VERSION}",
                        "agreement.version", "upgrade slagen, or write 'slagen: 1'")
        raise InputError(diagnostics=converter.diagnostics)


def effective_value(term: dict) -> Any:
    """The value documents use: agreed, else the proposal, else the provider's offer."""
    if term.get("status") == "agreed" and term.get("agreed") is not None:
        return term["agreed"]
    for key in ("proposal", "provider"):
        if term.get(key) is not None:
            return term[key]
    return None


def _apply_negotiation(data: dict, converter: Converter) -> dict:
    """Copy the data with each negotiated term's effective value written in place."""
    terms = data.get("negotiation")
    if not isinstance(terms, list) or not terms:
        return data
    data = copy.deepcopy(data)
    for index, term in enumerate(terms):
        if not isinstance(term, dict) or not isinstance(term.get("term"), str):
            continue
        path = ("negotiation", index, "term")
        if term.get("status") == "withdrawn":
            continue
        value = effective_value(term)
        try:
            if value is None:
                resolve_term(data, term["term"])
                continue
            target = set_term(data, term["term"], value)
        except TermPathError as exc:
            converter.error(path, str(exc), "negotiation.term",
                            "name a value in the file, e.g. services.crm.metrics.availability."
                            "target")
            continue
        key = "agreed" if term.get("status") == "agreed" and term.get("agreed") is not None \
            else ("proposal" if term.get("proposal") is not None else "provider")
        origin = ("negotiation", index, key)
        converter.source.positions[target] = converter.source.locate(origin)
        converter.source.raw[target] = converter.source.raw.get(origin, str(value))
    return data


class _AgreementConverter(Converter):
    """Reads metric targets with the unit their kind needs."""

    def dataclass(self, cls: Any, raw: Any, path: Path_, overrides: Any = None) -> Any:
        if cls is Metric and isinstance(raw, dict) and raw.get("kind") in METRIC_KINDS:
            kind = METRIC_KINDS[raw["kind"]]
            parse = parse_percent if kind.unit == "percent" else parse_duration
            overrides = {"target": lambda v, p: self._target(parse, kind.name, v, p),
                         "targets": lambda v, p: self._targets(parse, kind.name, v, p)}
        return super().dataclass(cls, raw, path, overrides)

    def _target(self, parse: Any, kind: str, raw: Any, path: Path_) -> Any:
        if raw is None:
            return None
        try:
            return parse(raw)
        except UnitError as exc:
            unit = "a percentage" if parse is parse_percent else "a duration"
            article = "an" if kind[0].lower() in "aeiou" else "a"
            self.error(path, f"{exc}; {article} {kind.lower()} target is {unit}",
                       "agreement.unit")
            return INVALID

    def _targets(self, parse: Any, kind: str, raw: Any, path: Path_) -> Any:
        if not isinstance(raw, dict):
            self.error(path, "expected a mapping of tier id to target", "agreement.type",
                       "e.g. targets: {standard: 99.9%, premium: 99.95%}")
            return INVALID
        out = {k: self._target(parse, kind, v, (*path, k)) for k, v in raw.items()}
        return INVALID if INVALID in out.values() else out


class _References:
    """Checks that need the whole agreement: ids, references, schedules, dates."""

    def __init__(self, agreement: Agreement, converter: Converter) -> None:
        self.a = agreement
        self.c = converter

    def check(self) -> None:
        self.calendars()
        self.dates()
        self.services()
        self.duties()
        self.escalation()
        self.credits()
        self.maintenance()
        self.teams()

    def error(self, path: Path_, message: str, code: str, hint: str = "") -> None:
        self.c.error(path, message, code, hint)

    def calendar_ref(self, name: str | None, path: Path_) -> None:
        if name is not None and name not in self.a.calendars:
            known = ", ".join(self.a.calendars) or "none defined"
            self.error(path, f"unknown calendar '{name}'", "agreement.reference",
                       f"calendars defined: {known}")

    def metric_ref(self, ref: str, path: Path_) -> None:
        if self.a.metric(ref) is None:
            refs = [f"{s.id}/{m.id}" for s, m in self.a.all_metrics()]
            known = ", ".join(refs[:12]) + (f", … ({len(refs)} in all)" if len(refs) > 12 else "")
            self.error(path, f"'{ref}' names no metric", "agreement.reference",
                       f"write service/metric, one of: {known}")

    def calendars(self) -> None:
        for name, cal in self.a.calendars.items():
            base = ("calendars", name)
            for key, spec in (("hours", cal.hours), ("prime_time", cal.prime_time)):
                if spec is not None:
                    self._hours(spec, (*base, key))
            self._zone(cal.timezone, (*base, "timezone"))
            if cal.holidays is not None:
                try:
                    validate_holiday_region(cal.holidays, cal.subdivision)
                except CalendarError as exc:
                    self.error((*base, "holidays"), str(exc), "agreement.holidays")

    def _hours(self, spec: str, path: Path_) -> None:
        try:
            parse_weekly_hours(spec)
        except CalendarError as exc:
            self.error(path, str(exc), "agreement.hours")

    def _zone(self, name: str, path: Path_) -> None:
        try:
            validate_timezone(name)
        except CalendarError as exc:
            self.error(path, str(exc), "agreement.timezone")

    def dates(self) -> None:
        meta = self.a.agreement
        if meta.expires is not None and meta.expires <= meta.effective:
            self.error(("agreement", "expires"), f"{meta.expires} is not after the effective "
                       f"date {meta.effective}", "agreement.dates")
        if meta.kind == "multi-level" and self.a.levels is None:
            self.error(("agreement", "kind"), "a multi-level agreement needs a 'levels' section "
                       "with corporate and customer terms", "agreement.levels")
        if meta.kind != "multi-level" and self.a.levels is not None:
            self.error(("levels",), f"'levels' only applies to multi-level agreements, this one "
                       f"is '{meta.kind}'", "agreement.levels")

    def services(self) -> None:
        tiers = {t.id for t in self.a.tiers}
        priorities = {p.id for p in self.a.priorities}
        if not self.a.services:
            self.error(("services",), "no services: an agreement covers at least one",
                       "agreement.required")
        for i, service in enumerate(self.a.services):
            base = ("services", i)
            self.calendar_ref(service.hours, (*base, "hours"))
            self.calendar_ref(service.support_hours, (*base, "support_hours"))
            if service.tier is not None and service.tier not in tiers:
                self.error((*base, "tier"), f"unknown tier '{service.tier}'",
                           "agreement.reference", f"tiers: {', '.join(sorted(tiers)) or 'none'}")
            for j, metric in enumerate(service.metrics):
                self.metric(metric, (*base, "metrics", j), tiers, priorities)

    def metric(self, metric: Metric, path: Path_, tiers: set[str], priorities: set[str]) -> None:
        self.calendar_ref(metric.calendar, (*path, "calendar"))
        if metric.window.timezone:
            self._zone(metric.window.timezone, (*path, "window", "timezone"))
        if metric.window.period == "rolling" and not metric.window.days:
            self.error((*path, "window"), "a rolling window needs a length",
                       "agreement.window", "e.g. window: rolling 30 days")
        if metric.target is None and not metric.targets:
            self.error(path, "no target: give 'target' (or 'targets' per tier)",
                       "agreement.required", "e.g. target: 99.9%")
        if metric.targets:
            missing = sorted(tiers - set(metric.targets))
            unknown = sorted(set(metric.targets) - tiers)
            if unknown:
                self.error((*path, "targets"), f"unknown tier(s) {', '.join(unknown)}",
                           "agreement.reference", f"tiers: {', '.join(sorted(tiers)) or 'none'}")
            if missing and not unknown:
                self.error((*path, "targets"), f"no target for tier(s) {', '.join(missing)}",
                           "agreement.required")
        if priorities and metric.priority is not None and metric.priority not in priorities:
            self.error((*path, "priority"), f"unknown priority '{metric.priority}'",
                       "agreement.reference", f"priorities: {', '.join(sorted(priorities))}")
        for value, where in _target_values(metric, path):
            if isinstance(value, Percent) and value.value <= 0:
                self.error(where, "a target of 0% commits to nothing", "agreement.range")

    def duties(self) -> None:
        for i, duty in enumerate(self.a.responsibilities.customer):
            for j, ref in enumerate(duty.affects):
                self.metric_ref(ref, ("responsibilities", "customer", i, "affects", j))

    def escalation(self) -> None:
        last: Duration | None = None
        for i, level in enumerate(self.a.escalation):
            if level.level != i + 1:
                self.error(("escalation", i, "level"), f"level {level.level} is listed as "
                           f"number {i + 1}", "agreement.escalation",
                           "number levels 1, 2, 3 … in order")
            if level.after is not None and last is not None and level.after.seconds and \
                    last.seconds and level.after.seconds <= last.seconds:
                self.error(("escalation", i, "after"), f"{level.after} is not later than the "
                           f"previous level ({last})", "agreement.escalation")
            last = level.after or last

    def credits(self) -> None:
        credits = self.a.credits
        if credits is None:
            return
        from .metrics import check_schedule

        for i, flat in enumerate(credits.flat):
            self.metric_ref(flat.metric, ("credits", "flat", i, "metric"))
        if not credits.automatic and credits.claim is None:
            self.error(("credits",), "credits are neither automatic nor claimable",
                       "agreement.credits", "add 'claim: {within: 30 days}' or "
                       "'automatic: true'")
        if not credits.schedule:
            return
        for service, metric in self.a.all_metrics():
            if metric.kind != "availability" or not metric.credit:
                continue
            for target, _ in _target_values(metric, ()):
                bands = _bands(credits.schedule, target)
                for problem in check_schedule(bands, target):
                    self.error(("credits", "schedule"), f"for {service.id}/{metric.id} "
                               f"(target {target}): {problem}", "agreement.credit-schedule",
                               "bands are half-open [at_least, below), contiguous from the "
                               "target down to 0%, with credits growing as availability falls")
        for i, band in enumerate(credits.schedule):
            if band.credit.value > credits.cap.value:
                self.error(("credits", "schedule", i, "credit"), f"credit {band.credit} exceeds "
                           f"the cap of {credits.cap}", "agreement.credit-schedule")

    def maintenance(self) -> None:
        maintenance = self.a.exceptions.maintenance
        if maintenance is not None:
            self._hours(maintenance.window, ("exceptions", "maintenance", "window"))
            self._zone(maintenance.timezone, ("exceptions", "maintenance", "timezone"))

    def support_amount(self, support: Any, where: Path_) -> None:
        """Time and availability metrics need a number; ratios only an accountable party."""
        given = [k for k in ("budget", "share", "availability")
                 if getattr(support, k) is not None]
        found = self.a.metric(support.metric)
        kind = found[1].spec_kind if found else None
        owned = kind is not None and found[1].kind != "availability" and (
            kind.unit == "percent" or kind.higher_is_better)
        if len(given) > 1:
            self.error(where, f"give one of budget, share or availability, not "
                       f"{' and '.join(given)}", "agreement.support")
        elif not given and not owned:
            self.error(where, "give the part this party delivers: budget (time), share "
                       "(of the SLA budget) or availability (of its component)",
                       "agreement.support", "e.g. budget: 30min")

    def teams(self) -> None:
        team_ids = {t.id for t in self.a.teams}
        for section in ("teams", "suppliers"):
            for i, team in enumerate(getattr(self.a, section)):
                base = (section, i)
                self.calendar_ref(team.calendar, (*base, "calendar"))
                for j, support in enumerate(team.supports):
                    where = (*base, "supports", j)
                    self.metric_ref(support.metric, (*where, "metric"))
                    self.support_amount(support, where)
                for j, handoff in enumerate(team.handoffs):
                    if handoff.to not in team_ids:
                        self.error((*base, "handoffs", j, "to"), f"unknown team '{handoff.to}'",
                                   "agreement.reference",
                                   f"teams: {', '.join(sorted(team_ids))}")


def _resolve_tiers(agreement: Agreement) -> Agreement:
    """A service on a tier takes that tier's target as its own."""
    services = []
    for service in agreement.services:
        if service.tier is not None:
            metrics = [replace(m, target=m.targets[service.tier]) if m.targets else m
                       for m in service.metrics]
            service = replace(service, metrics=metrics)
        services.append(service)
    return replace(agreement, services=services)


def _target_values(metric: Metric, path: Path_) -> list[tuple[Any, Path_]]:
    out: list[tuple[Any, Path_]] = []
    if metric.target is not None:
        out.append((metric.target, (*path, "target")))
    out.extend((v, (*path, "targets", k)) for k, v in metric.targets.items())
    return out


def _bands(schedule: list, target: Percent) -> list:
    """Model bands → math bands: `below: target` resolved, `at_least` defaulted."""
    from .metrics import CreditBand

    out = []
    for i, band in enumerate(schedule):
        below = target if band.below == "target" else band.below
        if band.at_least is not None:
            at_least = band.at_least
        elif i + 1 < len(schedule):
            nxt = schedule[i + 1].below
            at_least = target if nxt == "target" else nxt
        else:
            at_least = Percent(type(target.value)(0))
        out.append(CreditBand(at_least=at_least, below=below, credit=band.credit))
    return out
