"""The bundled SLA clause library: it loads, fills every outline slot, and the
documents it assembles carry the agreement's own numbers.

Each example agreement is assembled with the bundled SLA outline and read as
plain text; variants are exercised on temporary copies of the examples.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from slagen.assemble import AssemblyRequest, assemble
from slagen.context import sla_context
from slagen.document import Document, document_text
from slagen.library import BUNDLED_CLAUSES, BUNDLED_TEMPLATES, load_library, load_outline
from slagen.load import load_agreement
from slagen.model import Agreement
from slagen.templating import downtime, duration, percent

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.yaml"))
OUTLINE = BUNDLED_TEMPLATES / "outline-sla.yaml"
CREDITS_TITLE = "Service credits and earn-back"


# --- helpers -------------------------------------------------------------------


@pytest.fixture(scope="module")
def library():
    return load_library()


def build(agreement: Agreement, library, variants: dict[str, str] | None = None,
          internal: bool = False, backing: list[Any] | None = None) -> Document:
    context = sla_context(agreement, internal=internal)
    if backing is not None:
        context["backing"] = backing
    chosen = dict(agreement.variants)
    chosen.update(variants or {})
    return assemble(AssemblyRequest(load_outline(OUTLINE), library, context, variants=chosen,
                                    definitions=agreement.definitions))


def text_of(doc: Document) -> str:
    return document_text(doc)


def titles(doc: Document) -> list[str]:
    return [section.title for section in doc.walk()]


def clause_ids(doc: Document) -> set[str]:
    return {clause_id for clause_id, _ in doc.clauses_used}


def variant_file(tmp_path: Path, source: str, name: str, change) -> Path:
    """A copy of an example with `change(data)` applied, written under tmp_path."""
    data = yaml.safe_load((EXAMPLES / source).read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    change(data)
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def assert_clean(text: str) -> None:
    """No template residue or empty values in the finished text."""
    for residue in ("{{", "}}", "{%", "%}", "Undefined", "None%", "[]", "()"):
        assert residue not in text, f"{residue!r} in the document text"
    # a Python None printed into prose (the effects table legitimately says "None")
    assert not re.search(r"[a-z,] None\b", text), "None printed in a sentence"
    assert not re.search(r"\s[,.;:]", text.replace(" ...", "")), "space before punctuation"
    assert ".." not in text.replace("…", ""), "doubled full stop"


# --- the library itself ----------------------------------------------------------


def test_every_clause_file_parses(library):
    files = [p for p in BUNDLED_CLAUSES.rglob("*.md")
             if not p.name.startswith(("_", ".")) and p.name.lower() != "readme.md"]
    assert len(files) == len(library.clauses)
    assert not library.problems
    sla = [c for c in library.clauses.values() if "sla" in c.applies_to]
    assert len(sla) >= 40


def test_every_sla_slot_has_a_clause(library):
    outline = load_outline(OUTLINE)
    missing = [slot for slot in dict.fromkeys(outline.slots()) if not library.by_slot(slot, "sla")]
    assert missing == []


def test_each_slot_has_at_most_one_default(library):
    outline = load_outline(OUTLINE)
    for slot in dict.fromkeys(outline.slots()):
        defaults = [c.id for c in library.by_slot(slot, "sla") if c.default]
        assert len(defaults) <= 1, f"{slot}: several defaults {defaults}"


def test_variants_named_in_the_brief_exist(library):
    wanted = {
        ("credits.schedule", "tiered"), ("credits.schedule", "flat"),
        ("credits.claim", "claimed"), ("credits.claim", "automatic"),
        ("credits.remedy", "sole-remedy"), ("credits.remedy", "non-exclusive"),
        ("exceptions.customer-caused", "excuse"), ("exceptions.customer-caused", "clock-pause"),
        ("termination.chronic-failure", "customer-friendly"),
        ("termination.chronic-failure", "provider-friendly"),
    }
    have = {(c.slot, c.variant) for c in library.clauses.values() if "sla" in c.applies_to}
    assert wanted <= have


def test_defined_terms_are_defined_once(library):
    seen: dict[str, str] = {}
    for clause in library.clauses.values():
        if "sla" not in clause.applies_to:
            continue
        for term, _ in clause.defines:
            assert term not in seen, f"{term} defined in {seen.get(term)} and {clause.id}"
            seen[term] = clause.id
    for term in ("Agreement", "Service", "Downtime", "Availability", "Incident", "Priority",
                 "Response Time", "Resolution Time", "Business Day", "Service Hours",
                 "Measurement Period", "Planned Maintenance", "Emergency Maintenance",
                 "Service Credit", "Earn-Back", "Chronic Failure", "Force Majeure Event",
                 "Service Desk"):
        assert term in seen, f"{term} is not defined by any clause"


def test_library_lint_finds_nothing_in_sla_clauses(library):
    lint = pytest.importorskip("slagen.library_lint")
    findings = lint.lint_library(library, [load_outline(OUTLINE)])
    mine = [f for f in findings if "/clauses/" in str(f.file) and
            any(str(c.path) == str(f.file) and "sla" in c.applies_to
                for c in library.clauses.values())]
    assert mine == []


# --- every example ---------------------------------------------------------------


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_example_assembles_with_its_own_values(path, library):
    agreement = load_agreement(path).model
    doc = build(agreement, library)
    text = text_of(doc)
    assert_clean(text)
    assert agreement.provider.label in text
    assert agreement.customer.label in text
    for service, metric in agreement.all_metrics():
        assert metric.title in text, f"{metric.title} missing"
        targets = [metric.target] if metric.target is not None else list(metric.targets.values())
        for target in targets:
            shown = percent(target) if metric.spec_kind.unit == "percent" else duration(target)
            assert shown in text, f"{metric.title}: target {shown} missing"
            if metric.kind == "availability":
                calendar = agreement.calendars[metric.calendar or service.hours]
                assert downtime(target, "month", calendar) in text
    for priority in agreement.priorities:
        assert priority.description.split()[0] in text
    assert ("Approvals" in titles(doc))
    assert ("Metric definitions" in titles(doc))


def test_saas_crm_concrete_values(library):
    agreement = load_agreement(EXAMPLES / "saas-crm.yaml").model
    doc = build(agreement, library)
    text = text_of(doc)
    assert "99.95%" in text
    assert "allows 21 min 55 s of Downtime a month" in text  # 99.95% of an average month
    assert "Northwind Cloud GmbH" in text and "Northwind" in text
    assert "P1 response time | 95% within 15 min | Calendar month | Always | No" in text
    assert "95% within 15 min" in text
    assert "90% within 4 h; no Ticket over 1 d" in text
    # credits: half-open bands, cap, claim deadline, earn-back, chronic failure
    assert "At least 99% and below 99.95% | 10%" in text
    assert "Below 95% | 50%" in text
    assert "shall not exceed 50% of the monthly subscription fee" in text
    assert "within 30 days after the end of the Measurement Period" in text
    assert "3 Measurement Periods" in text
    assert "2 out of any 3 consecutive Measurement Periods" in text
    # worked examples on the EUR 18,500 fee
    assert "99.9499% | 21 min 58 s | At least 99% and below 99.95% | 10% | EUR 1,850.00" in text
    assert "95% | 1 d 12 h 31 min 30 s | At least 95% and below 99% | 25% | EUR 4,625.00" in text
    assert "EUR 9,250.00" in text
    # maintenance bounded, response excludes automated acknowledgements
    assert "Sun 01:00-05:00" in text and "4 hours in a calendar month" in text
    assert "at least 5 days in advance" in text
    assert "does not count as a response" in text
    assert "99.8996% misses a target of 99.9%" in text
    assert "Monday to Friday, 08:00–18:00 (Europe/London)" in text
    assert CREDITS_TITLE in titles(doc)
    assert "Open points" not in titles(doc)


def test_saas_crm_uses_the_default_variants(library):
    doc = build(load_agreement(EXAMPLES / "saas-crm.yaml").model, library)
    used = clause_ids(doc)
    assert {"credits.schedule.tiered", "credits.claim.claimed", "credits.remedy.sole-remedy",
            "exceptions.customer-caused.excuse",
            "termination.chronic-failure.customer-friendly"} <= used
    assert "overview.structure.multi-level" not in used


def test_internal_agreement_has_no_credits_section(library):
    agreement = load_agreement(EXAMPLES / "it-service-desk.yaml").model
    assert agreement.credits is None
    doc = build(agreement, library)
    text = text_of(doc)
    assert CREDITS_TITLE not in titles(doc)
    assert "Service credit examples" not in titles(doc)
    assert not any(c.startswith("credits.") for c in clause_ids(doc))
    assert "provides no Service Credits" in text
    assert "Service Credit column" not in text


def test_credits_removed_from_saas_crm_drop_the_section(tmp_path, library):
    path = variant_file(tmp_path, "saas-crm.yaml", "no-credits",
                        lambda d: [d.pop("credits"),
                                   [m.pop("credit", None) for s in d["services"]
                                    for m in s["metrics"]]])
    doc = build(load_agreement(path).model, library)
    assert CREDITS_TITLE not in titles(doc)
    assert "Chronic Failure" not in text_of(doc)
    assert_clean(text_of(doc))


# --- variants ----------------------------------------------------------------------


def _flat(data: dict) -> None:
    data["credits"].pop("schedule")
    data["credits"]["flat"] = [{"metric": "crm/availability", "credit": "10%"},
                               {"metric": "crm/p1-resolution", "credit": "5%"}]
    data["variants"] = {"credits.schedule": "flat"}


def test_flat_credit_variant_assembles(tmp_path, library):
    agreement = load_agreement(variant_file(tmp_path, "saas-crm.yaml", "flat", _flat)).model
    doc = build(agreement, library)
    text = text_of(doc)
    assert "credits.schedule.flat" in clause_ids(doc)
    assert "Availability | 10%" in text and "P1 resolution time | 5%" in text
    assert "Service credit examples" not in titles(doc)
    assert_clean(text)


def test_flat_variant_never_drops_an_availability_schedule(tmp_path, library):
    def both(data: dict) -> None:
        data["credits"]["flat"] = [{"metric": "crm/p1-resolution", "credit": "5%"}]
        data["variants"] = {"credits.schedule": "flat"}
    doc = build(load_agreement(variant_file(tmp_path, "saas-crm.yaml", "both", both)).model,
                library)
    text = text_of(doc)
    assert "At least 99% and below 99.95% | 10%" in text
    assert "P1 resolution time | 5%" in text


def test_automatic_non_exclusive_pause_and_provider_friendly(tmp_path, library):
    def change(data: dict) -> None:
        data["credits"].update(automatic=True, sole_remedy=False, start_after_months=2)
        data["variants"] = {"exceptions.customer-caused": "clock-pause",
                            "termination.chronic-failure": "provider-friendly"}
    agreement = load_agreement(variant_file(tmp_path, "saas-crm.yaml", "auto", change)).model
    doc = build(agreement, library)
    text = text_of(doc)
    used = clause_ids(doc)
    assert {"credits.claim.automatic", "credits.remedy.non-exclusive",
            "exceptions.customer-caused.clock-pause",
            "termination.chronic-failure.provider-friendly"} <= used
    assert "need not claim a Service Credit" in text
    assert "do not limit any other right or remedy" in text
    assert "first two months" in text
    assert "remediation plan" in text
    assert_clean(text)


def test_tiers_without_a_chosen_tier_show_every_tier(tmp_path, library):
    def change(data: dict) -> None:
        data["agreement"]["kind"] = "service"
        data["services"][0].pop("tier")
    doc = build(load_agreement(variant_file(tmp_path, "saas-crm.yaml", "tiers", change)).model,
                library)
    text = text_of(doc)
    assert "Standard: at least 99.9% (allows 43 min 50 s of Downtime a month)" in text
    assert "Premium: at least 99.95% (allows 21 min 55 s of Downtime a month)" in text
    assert "(target 99.9%)" in text and "(target 99.95%)" in text
    assert_clean(text)


def test_optional_parts_missing_still_assemble(tmp_path, library):
    def change(data: dict) -> None:
        for key in ("reporting", "termination", "escalation", "priorities"):
            data.pop(key, None)
        data["exceptions"] = {"customer_caused": False}
        data["agreement"].pop("expires")
        data["agreement"].pop("renewal")
        data["credits"].pop("chronic_failure")
        data["credits"].pop("earn_back")
    doc = build(load_agreement(variant_file(tmp_path, "saas-crm.yaml", "bare", change)).model,
                library)
    names = titles(doc)
    for dropped in ("Escalation", "Maintenance", "Force majeure", "Reporting",
                    "Incident priorities", "Term and termination"):
        assert dropped not in names
    text = text_of(doc)
    assert "continues until it is terminated" in text
    assert "Escalation section" not in text
    assert_clean(text)


def test_multi_level_open_points_and_deviations(library):
    agreement = load_agreement(EXAMPLES / "managed-network.yaml").model
    if agreement.agreement.kind != "multi-level" or not agreement.open_terms:
        pytest.skip("managed-network example no longer multi-level with open terms")
    doc = build(agreement, library)
    text = text_of(doc)
    assert "Corporate level." in text and "Customer level." in text
    for term in agreement.levels.corporate:
        assert term.split()[0] in text
    assert "Open points" in titles(doc)
    for t in agreement.open_terms:
        assert t.status.capitalize() in text
    assert "This document is a draft" in text
    if agreement.negotiation and any(t.status == "agreed" and t.standard for t in
                                     agreement.negotiation):
        assert "Deviations from standard terms" in titles(doc)


def test_internal_copy_shows_backing_rows(library):
    agreement = load_agreement(EXAMPLES / "saas-crm.yaml").model
    rows = [{"metric": "crm/p1-resolution", "chain": "service-desk 20 min → platform-ops 2 h",
             "budget": "2 h 20 min", "allowed": "3 h 24 min", "margin": "15%"}]
    doc = build(agreement, library, internal=True, backing=rows)
    text = text_of(doc)
    assert "How the service levels are backed" in titles(doc)
    assert "crm/p1-resolution | — | service-desk 20 min → platform-ops 2 h" in text
    customer_copy = build(agreement, library, backing=rows)
    assert "How the service levels are backed" not in titles(customer_copy)
