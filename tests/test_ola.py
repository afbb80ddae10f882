"""OLA companions and underpinning contracts: derivation, consistency checks, documents.

The checks are exercised on small variants of `tests/data/minimal.yaml` with
teams and a supplier added, so each test breaks exactly one thing and reads
the numbers back from the finding.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from slagen.checks import run_checks
from slagen.cli import main
from slagen.document import document_text
from slagen.documents import build_documents
from slagen.errors import Diagnostic
from slagen.load import load_agreement, load_agreement_text
from slagen.ola import backing_rows, derive_olas, derive_ucs
from slagen.pipeline import BuildRequest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
MINIMAL = ROOT / "tests" / "data" / "minimal.yaml"

# A P1 resolution metric on the 24x7 calendar, and a P3 resolution in business days.
METRICS = """\
      - id: p1-resolution
        kind: resolution_time
        priority: P1
        target: 4h
        calendar: always
      - id: p3-resolution
        kind: resolution_time
        priority: P3
        target: 2 business days
        calendar: office
"""

# Teams and a supplier that back every metric of the minimal agreement, with room to spare:
# P1 resolution 20 min + 10 min hand-off + 2 h = 2 h 30 min of 3 h 12 min (4 h less 20%);
# availability 99.95% x 99.99% = 99.94% >= 99.9%.
TEAMS = """\
teams:
  - id: desk
    name: Service Desk
    calendar: always
    lead: {role: Service desk manager, name: Dana Desk}
    supports:
      - {metric: web/p1-response, budget: 10min, step: Acknowledge and start work}
      - {metric: web/p1-resolution, budget: 20min, step: Log and classify, order: 1}
      - {metric: web/p3-resolution, share: 25%, step: Log and classify, order: 1}
    handoffs:
      - {to: ops, within: 10min, contains: [Ticket number and priority, Symptoms]}
  - id: ops
    name: Operations
    calendar: always
    lead: {role: Head of operations, name: Olu Ops}
    supports:
      - {metric: web/p1-resolution, budget: 2h, step: Restore service, order: 2}
      - {metric: web/p3-resolution, share: 50%, step: Fix the fault, order: 2}
      - {metric: web/availability, availability: 99.95%, component: Web servers}
suppliers:
  - id: dc
    name: Data Centre Ltd
    calendar: always
    contract: DC-2027-1
    supports:
      - {metric: web/availability, availability: 99.99%, component: Power and cooling}
"""


def variant(**replacements: str) -> str:
    """The minimal agreement with teams and a supplier, with `old=new` text replaced.

    Keys are only labels; each value is "old => new".
    """
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace("responsibilities:\n", METRICS + "responsibilities:\n", 1)
    text += TEAMS
    for change in replacements.values():
        old, new = change.split(" => ")
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def findings(text: str, code: str = "ola.") -> list[Diagnostic]:
    loaded = load_agreement_text(text, "variant.yaml")
    return [f for f in run_checks(loaded) if f.code.startswith(code)]


def only(text: str, code: str) -> Diagnostic:
    found = findings(text, code)
    assert len(found) == 1, [f.format() for f in found]
    return found[0]


# --- the consistent variant ---------------------------------------------------


def test_the_consistent_variant_passes_every_ola_check() -> None:
    assert findings(variant()) == []


def test_an_sla_without_teams_or_suppliers_gets_no_ola_checks() -> None:
    assert findings(MINIMAL.read_text(encoding="utf-8")) == []


def test_check_command_exits_0_then_1(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(variant(), encoding="utf-8")
    bad.write_text(variant(ops="budget: 2h => budget: 4h 45min"), encoding="utf-8")
    assert main(["check", str(good)]) == 0
    assert main(["check", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.yaml:" in err and "[ola.chain-too-long]" in err


# --- each check, with its numbers ----------------------------------------------


def test_over_long_chain_names_chain_numbers_and_shortfall() -> None:
    finding = only(variant(ops="budget: 2h => budget: 4h 45min"), "ola.chain-too-long")
    assert finding.message == (
        "web/p1-resolution: chain needs 5 h 15 min on always (24x7), SLA allows 4 h, "
        "3 h 12 min after the 20% margin: 2 h 3 min too long "
        "(desk 20 min \u2192 hand-off 10 min \u2192 ops 4 h 45 min)")
    assert finding.severity == "error"
    assert finding.path.endswith("target")  # located at the SLA target it breaks


def test_business_day_targets_and_shares_run_on_the_metric_clock() -> None:
    # 2 business days on Mon-Fri 09:00-17:00 are 16 h; with the desk's share at 60%:
    # 9 h 36 min + 10 min hand-off + 50% (8 h) = 17 h 46 min, of 16 h less 20% = 12 h 48 min.
    text = variant(desk="share: 25% => share: 60%")
    finding = only(text, "ola.chain-too-long")
    assert finding.message.startswith(
        "web/p3-resolution: chain needs 17 h 46 min on office (Mon-Fri 09:00-17:00), SLA "
        "allows 2 business days, 12 h 48 min after the 20% margin: 4 h 58 min too long")


def test_response_metrics_need_the_slowest_first_responder_to_fit() -> None:
    finding = only(variant(desk="budget: 10min, step: Ack => budget: 14min, step: Ack"),
                   "ola.chain-too-long")
    assert "first response needs 14 min" in finding.message
    assert "SLA allows 15 min, 12 min after the 20% margin: 2 min too long" in finding.message


def test_business_hours_team_cannot_back_a_24x7_target() -> None:
    text = variant(desk="calendar: always\n    lead: {role: Service desk => "
                        "calendar: office\n    lead: {role: Service desk")
    found = findings(text, "ola.calendar")
    assert {f.message.split(":")[0] for f in found} == {"web/p1-resolution"}
    message = found[0].message
    assert "team desk works on office (Mon-Fri 09:00-17:00)" in message
    assert "does not cover the clock of this target, always (24x7)" in message
    assert "128 h a week uncovered" in message
    assert found[0].path == "teams[desk].supports[web/p1-resolution]"


def test_a_calendar_with_holidays_does_not_cover_one_without() -> None:
    text = variant(cal="always: 24x7 => always: 24x7\n  always-gb: "
                       "{hours: 24x7, timezone: Europe/London, holidays: GB}",
                   ops="name: Operations\n    calendar: always => "
                       "name: Operations\n    calendar: always-gb")
    messages = [f.message for f in findings(text, "ola.calendar")]
    assert any(m.startswith("web/p1-resolution: team ops works on always-gb (24x7)")
               and "closed on" in m and "2027-01-01, New Year's Day" in m for m in messages)


def test_unbacked_metric_is_named() -> None:
    text = variant(desk="      - {metric: web/p1-response, budget: 10min, step: Acknowledge "
                        "and start work}\n => ")
    finding = only(text, "ola.unbacked")
    assert finding.message.startswith("web/p1-response: no team or supplier backs this metric")
    assert finding.path == "services[web].metrics[p1-response]"


def test_team_that_supports_nothing_is_unused() -> None:
    text = variant(spare="suppliers:\n => "
                         "  - {id: spare, name: Spare Team, calendar: always, supports: []}\n"
                         "suppliers:\n")
    finding = only(text, "ola.unused")
    assert finding.message == ("team spare supports no SLA metric: its OLA would back nothing "
                               "in the SLA")


def test_weak_supplier_availability_is_named_with_its_shortfall() -> None:
    text = variant(dc="availability: 99.99% => availability: 99.5%")
    finding = only(text, "ola.supplier")
    assert finding.message.startswith(
        "web/availability: supplier dc commits 99.5%, weaker than the SLA target 99.9%: "
        "0.4 points short (3 h 39 min 9 s against 43 min 50 s of downtime a month)")
    assert finding.path == "suppliers[dc].supports[web/availability]"


def test_weak_supplier_time_term_is_named_with_its_shortfall() -> None:
    text = variant(dc="      - {metric: web/availability, availability: 99.99%, component: "
                      "Power and cooling} => "
                      "      - {metric: web/availability, availability: 99.99%, component: "
                      "Power and cooling}\n"
                      "      - {metric: web/p1-resolution, budget: 5h, step: Replace "
                      "hardware, order: 3}")
    finding = only(text, "ola.supplier")
    assert finding.message == (
        "web/p1-resolution: supplier dc's term is 5 h, weaker than the SLA's 4 h "
        "(3 h 12 min after the 20% margin): 1 h 48 min too long")


def test_availability_product_below_target() -> None:
    text = variant(dc="availability: 99.99% => availability: 99.94%")
    finding = only(text, "ola.availability")
    assert finding.message == (
        "web/availability: serial availability ops 99.95% \u00d7 dc 99.94% = 99.89% is below "
        "the SLA target 99.9%: 0.01 points short (48 min 12 s against 43 min 50 s of "
        "downtime a month)")
    assert findings(text, "ola.supplier") == []  # 99.94% on its own beats 99.9%


def test_redundancy_multiplies_the_failure_odds_away() -> None:
    text = variant(dc="availability: 99.99%, component => "
                      "availability: 99.94%, redundancy: 2, component")
    assert findings(text) == []


def test_every_tier_target_is_checked() -> None:
    text = (EXAMPLES / "saas-crm.yaml").read_text(encoding="utf-8").replace(
        "{metric: crm/availability, availability: 99.99%",
        "{metric: crm/availability, availability: 99.96%", 1)
    found = findings(text, "ola.availability")
    assert [f.message.split(":")[0] for f in found] == ["crm/availability (Premium)"]
    assert "= 99.94% is below the SLA target 99.95%" in found[0].message


# --- derivation ----------------------------------------------------------------


def test_saas_crm_chain_budgets_and_margin() -> None:
    model = load_agreement(EXAMPLES / "saas-crm.yaml").model
    rows = {row.metric: row for row in backing_rows(model)}
    p1 = rows["crm/p1-resolution"]
    assert p1.chain == ("service-desk 20 min \u2192 hand-off 10 min \u2192 platform-ops "
                        "2 h 30 min")
    assert (p1.needs, p1.sla, p1.allowed, p1.margin, p1.slack, p1.ok) == (
        "3 h", "4 h", "3 h 24 min", "15%", "24 min spare", True)
    premium = rows["crm/availability (Premium)"]
    assert premium.chain == "platform-ops 99.98% \u00d7 aws 99.99%"
    assert (premium.needs, premium.sla, premium.ok) == ("99.97%", "99.95%", True)


def test_saas_crm_ola_models() -> None:
    model = load_agreement(EXAMPLES / "saas-crm.yaml").model
    desk, ops = derive_olas(model)
    assert (desk.team.id, ops.team.id) == ("service-desk", "platform-ops")
    assert str(desk.margin) == "15%"
    targets = {t.metric: t for t in desk.targets}
    assert targets["crm/p1-resolution"].target == "20 min"
    assert targets["crm/p1-resolution"].sla_target == "4 h"
    assert [(h.to_team.id, str(h.within)) for h in desk.hands_to] == [("platform-ops", "10 min")]
    assert [h.from_team.id for h in ops.receives] == ["service-desk"]
    assert {t.metric: t.target for t in ops.targets}["crm/availability"] == "99.98%"
    assert [uc.team.id for uc in derive_ucs(model)] == ["aws"]


def test_shares_become_budgets_on_the_metric_clock() -> None:
    model = load_agreement_text(variant(), "variant.yaml").model
    desk = derive_olas(model)[0]
    share = {t.metric: t.target for t in desk.targets}["web/p3-resolution"]
    assert share == "25% of the SLA target (4 h)"  # of 2 business days of 8 h


def test_supplier_bridged_by_redundancy_is_a_recorded_gap() -> None:
    text = variant(dc="availability: 99.99%, component => "
                      "availability: 99.8%, redundancy: 2, component")
    uc = derive_ucs(load_agreement_text(text, "variant.yaml").model)[0]
    assert uc.gaps == ("web/availability: 99.8% per instance is below the SLA's 99.9%; "
                       "2 instances in parallel give 99.9996%",)


# --- documents -----------------------------------------------------------------


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.yaml")), ids=lambda p: p.stem)
def test_examples_with_teams_get_one_ola_per_team(example: Path) -> None:
    model = load_agreement(example).model
    if not model.teams:
        pytest.skip("no teams")
    documents = build_documents(model, BuildRequest(agreement=example))
    meta = model.agreement
    olas = [d for d in documents if d.kind == "ola"]
    ucs = [d for d in documents if d.kind == "uc"]
    assert [d.file_stem for d in olas] == [
        f"{meta.id}-v{meta.version}-ola-{team.id}" for team in model.teams]
    assert [d.file_stem for d in ucs] == [
        f"{meta.id}-v{meta.version}-uc-{s.id}" for s in model.suppliers]
    for document, team in zip(olas, model.teams, strict=True):
        text = document_text(document)
        assert team.name in document.title
        assert "Targets" in document.outline_text() and "Hand-offs" in text
        assert "service credits" in text  # consequences are internal: no credits
        if team.lead is not None:
            assert team.lead.name in text  # signs the OLA


def test_no_ola_flag_builds_the_sla_only() -> None:
    example = EXAMPLES / "saas-crm.yaml"
    model = load_agreement(example).model
    documents = build_documents(model, BuildRequest(agreement=example, include_ola=False))
    assert [d.kind for d in documents] == ["sla"]


def test_build_writes_olas_and_lists_them_in_the_manifest(tmp_path: Path) -> None:
    source = tmp_path / "web.yaml"
    source.write_text(variant(), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["build", str(source), "-o", str(out), "-f", "md", "--internal"]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["MIN-1-v1.0.0-ola-desk.md", "MIN-1-v1.0.0-ola-ops.md",
                     "MIN-1-v1.0.0-sla-internal.md", "MIN-1-v1.0.0-uc-dc.md", "manifest.json"]
    manifest = json.loads((out / "manifest.json").read_text())
    assert {d["kind"] for d in manifest["documents"]} == {"sla", "ola", "uc"}
    assert {o["file"] for o in manifest["outputs"]} == set(names) - {"manifest.json"}
    sla = (out / "MIN-1-v1.0.0-sla-internal.md").read_text()
    assert "How the service levels are backed" in sla
    assert "desk 20 min \u2192 hand-off 10 min \u2192 ops 2 h" in sla
    ola = (out / "MIN-1-v1.0.0-ola-desk.md").read_text()
    assert "Dana Desk" in ola and "Pat Provider" in ola


def test_customer_copy_has_no_backing_appendix(tmp_path: Path) -> None:
    source = tmp_path / "web.yaml"
    source.write_text(variant(), encoding="utf-8")
    assert main(["build", str(source), "-o", str(tmp_path / "out"), "-f", "md"]) == 0
    sla = (tmp_path / "out" / "MIN-1-v1.0.0-sla.md").read_text()
    assert "How the service levels are backed" not in sla


def test_build_refuses_an_inconsistent_chain(tmp_path: Path) -> None:
    source = tmp_path / "web.yaml"
    source.write_text(variant(ops="budget: 2h => budget: 4h 45min"), encoding="utf-8")
    assert main(["build", str(source), "-o", str(tmp_path / "out"), "-f", "md"]) == 1
    assert not (tmp_path / "out").exists()


def test_outlines_have_a_clause_for_every_slot() -> None:
    from slagen.library import load_library
    from slagen.library_lint import bundled_outlines, lint_library

    problems = [f for f in lint_library(load_library(strict=False), bundled_outlines())
                if "ola" in f.file or "uc" in f.file]
    assert problems == []

