"""The guided interview: scripted and real prompts, refusals, Ctrl-C and resume, answers files.

Most tests drive the real engine with `ScriptedPrompter` (the way httpx's mock
transport drives a client); one drives questionary's own prompts through
prompt_toolkit's pipe input, and one runs the real program in tmux.
"""

from __future__ import annotations

import copy
import io
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from slagen import cli
from slagen.answer_types import AnswerContext, AnswerError, coerce
from slagen.errors import InputError, OutputExistsError
from slagen.interview import Interrupted
from slagen.interview_context import context_line
from slagen.interview_file import load_progress, quick_yaml
from slagen.interview_setup import InterviewRequest, NeedsTerminal, run_interview
from slagen.load import load_agreement
from slagen.prompter import DEFAULT, Each, Retry, ScriptedPrompter
from slagen.questions import load_questions
from slagen.yamlsrc import load_yaml_text

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SLAGEN = Path(sys.executable).with_name("slagen")

PARTIES = {
    "parties.provider.name": "Northwind Cloud GmbH",
    "parties.provider.address": "Hafenstrasse 12, 20457 Hamburg, Germany",
    "provider_signatories.name": "Maria Keller",
    "provider_signatories.title": "Chief Operating Officer",
    "parties.customer.name": "Acme Retail Ltd",
    "parties.customer.address": "1 Market Street, Leeds LS1 6DT, United Kingdom",
    "customer_signatories.name": "Helen Carter",
    "customer_signatories.title": "Chief Information Officer",
}


@pytest.fixture(autouse=True)
def _no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hundreds of saves per run: keep the atomic rename, skip waiting for the disk."""
    monkeypatch.setattr(os, "fsync", lambda fd: None)


def interview(tmp_path: Path, script: dict | None = None, *, name: str = "sla.yaml",
              interactive: bool = True, **request: object) -> tuple[Path, ScriptedPrompter]:
    prompter = ScriptedPrompter({**PARTIES, **(script or {})})
    if "resume" not in request:
        request.setdefault("file", tmp_path / name)
    outcome = run_interview(InterviewRequest(**request), prompter, interactive)  # type: ignore
    return outcome.path, prompter


def check_ok(path: Path) -> None:
    assert cli.main(["check", str(path)]) == 0
    assert "interview" not in yaml.safe_load(path.read_text())


# --- full runs -----------------------------------------------------------------


def test_full_scripted_run_writes_an_agreement_that_passes_check(tmp_path: Path) -> None:
    path, prompter = interview(tmp_path, {"services[0].metrics[0].target": "99.9%"},
                               profile="saas-platform")
    check_ok(path)
    model = load_agreement(path).model
    assert model.provider.name == "Northwind Cloud GmbH"
    assert model.provider.short_name == "Northwind"  # default computed from the name
    assert model.agreement.title == "Acme Service Level Agreement"
    assert str(model.services[0].metrics[0].target) == "99.9%"
    assert len(model.services[0].metrics) == 9 and model.credits is not None
    said = "\n".join(prompter.said)
    assert "99.9% a month allows 43 min 50 s of downtime" in said
    assert "a P3 response of 4h on Mon-Fri 08:00-18:00 (Europe/London) starting Friday " \
           "17:00 ends Monday 11:00" in said
    assert "Review: your agreement, section by section" in said
    assert prompter.asked[-1].key == "review"
    assert path.read_text().startswith("# Service level agreement written with")


def test_real_questionary_prompts_through_a_pipe(tmp_path: Path) -> None:
    """questionary's own widgets, typed into through prompt_toolkit's pipe input."""
    from prompt_toolkit.data_structures import Size
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output.vt100 import Vt100_Output

    from slagen.prompter import QuestionaryPrompter

    answers = yaml.safe_load((EXAMPLES / "saas-crm.yaml").read_text())
    del answers["parties"], answers["agreement"]["kind"]
    del answers["services"][0]["metrics"][0]["targets"], answers["services"][0]["tier"]
    (tmp_path / "partial.yaml").write_text(yaml.safe_dump(answers, sort_keys=False))
    keys = {  # what a person types at each prompt; anything else: Enter
        "parties.provider.name": "Northwind Cloud GmbH\r",
        "parties.provider.address": "Hafenstrasse 12, Hamburg\r",
        "parties.provider.signatories[0].name": "Maria Keller\r",
        "parties.provider.signatories[0].title": "COO\r",
        "parties.customer.name": "Acme Retail Ltd\r",
        "parties.customer.address": "1 Market Street, Leeds\r",
        "parties.customer.signatories[0].name": "Helen Carter\r",
        "parties.customer.signatories[0].title": "CIO\r",
        "agreement.kind": "\x1b[A\r",                       # up from 'customer' to 'service'
        "services[0].metrics[0].target": "101%\r",      # refused; erased and retyped below
    }
    screen = io.StringIO()

    class Typist(QuestionaryPrompter):
        def ask(self, prompt):  # type: ignore[no-untyped-def]
            pipe.send_text(keys.get(prompt.key, "\r"))
            if prompt.key == "services[0].metrics[0].target":  # after the refusal is shown
                threading.Timer(0.5, pipe.send_text, ["\x1599.95%\r"]).start()
            return super().ask(prompt)

    with create_pipe_input() as pipe:
        output = Vt100_Output(screen, lambda: Size(rows=40, columns=120), term="xterm")
        outcome = run_interview(InterviewRequest(file=tmp_path / "sla.yaml",
                                                 answers=tmp_path / "partial.yaml"),
                                Typist(input=pipe, output=output), True)
    check_ok(outcome.path)
    model = load_agreement(outcome.path).model
    assert model.agreement.kind == "service"
    assert model.customer.signatories[0].name == "Helen Carter"
    assert str(model.services[0].metrics[0].target) == "99.95%"
    shown = screen.getvalue()
    assert "'101%' is not a percentage between 0 and 100" in shown
    assert "21 min 55 s of downtime" in shown
    # the parties section was missing, so all of it (8 prompts a party; a partial file
    # leaves the optional sections it lacks to ask: definitions, clause variants and
    # negotiation, Enter says no); the kind and the target; the review screen
    assert outcome.asked == 22


# --- refused values --------------------------------------------------------------


def test_refused_values_are_asked_again_with_the_reason(tmp_path: Path) -> None:
    path, prompter = interview(tmp_path, {
        "services[0].metrics[0].target": Retry("101%", "99.9", "99.9%"),
        "calendars[1].hours": Retry("Mon-Fry 08:00-18:00", "Mon-Fri 08:00-18:00"),
        "calendars[1].timezone": Retry("Europe/Berln", "Europe/Berlin"),
        "calendars[1].holidays": Retry("Germny", "DE"),
        "calendars[1].subdivision": "",
        "agreement.effective": Retry("2027-02-30", "2027-03-01"),
    }, profile="saas-platform")
    reasons = {key: [r for k, _, r in prompter.refused if k == key] for key, _, _ in
               prompter.refused}
    assert reasons["services[0].metrics[0].target"] == [
        "'101%' is not a percentage between 0 and 100 (e.g. 99.9%)",
        "'99.9' has no unit: write it as a percentage, e.g. 99.9%"]
    assert "unknown day 'Fry'" in reasons["calendars[1].hours"][0]
    assert "did you mean 'Europe/Berlin'" in reasons["calendars[1].timezone"][0]
    assert "did you mean 'DE'?" in reasons["calendars[1].holidays"][0]
    assert "not a real date" in reasons["agreement.effective"][0]
    assert "  ! '101%' is not a percentage between 0 and 100 (e.g. 99.9%)" in \
        "\n".join(prompter.transcript)
    check_ok(path)
    calendar = load_agreement(path).model.calendars["support-hours"]
    assert (calendar.timezone, calendar.holidays) == ("Europe/Berlin", "DE")


def test_supplied_values_go_through_the_same_validators(tmp_path: Path) -> None:
    """A bad value in --answers is refused with the reason a typed one gets, then asked."""
    answers = yaml.safe_load((EXAMPLES / "saas-crm.yaml").read_text())
    answers["services"][0]["metrics"][1]["target"] = "15 minutes please"
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(answers, sort_keys=False))
    with pytest.raises(NeedsTerminal, match=r"services\[0\]\.metrics\[1\]\.target"):
        interview(tmp_path, answers=tmp_path / "bad.yaml", interactive=False)
    path, prompter = interview(tmp_path, {"services[0].metrics[1].target": "15min"},
                               answers=tmp_path / "bad.yaml")
    assert [p.key for p in prompter.asked] == ["services[0].metrics[1].target", "review"]
    assert "  The value given for services[0].metrics[1].target was refused: '15 minutes " \
           "please' is not a duration (e.g. 15min, 4h, 1h 30min, 2 business days)" in \
           prompter.said
    assert prompter.asked[0].default == "15 minutes please"  # offered for correction
    check_ok(path)


def test_coerce_accepts_and_normalises_like_the_loader() -> None:
    ctx = AnswerContext()
    assert coerce("percent", " 99.9 % ", ctx) == "99.9%"
    assert coerce("hours", "24/7", ctx) == "24x7"
    assert coerce("country", "de", ctx) == "DE"
    assert coerce("list", "a; b ;; c", ctx) == ["a", "b", "c"]
    assert coerce("confirm", "yes", ctx) is True
    assert coerce("window", "rolling 30 days", ctx) == "rolling 30 days"
    assert coerce("text", "", ctx, required=False) is None
    with pytest.raises(AnswerError, match="an answer is needed"):
        coerce("text", "  ", ctx)
    with pytest.raises(AnswerError, match="bidirectional control"):
        coerce("text", "Acme\u202eLtd", ctx)
    with pytest.raises(AnswerError, match="has no unit"):
        coerce("duration", 15, ctx)


# --- Ctrl-C and resume ---------------------------------------------------------------


def test_interrupt_then_resume_continues_at_the_first_unanswered_question(
        tmp_path: Path) -> None:
    path = tmp_path / "sla.yaml"
    first = ScriptedPrompter(PARTIES, interrupt_at=40)
    with pytest.raises(Interrupted) as caught:
        run_interview(InterviewRequest(file=path, profile="saas-platform"), first, True)
    assert caught.value.data["parties"]["customer"]["name"] == "Acme Retail Ltd"
    data, progress = load_progress(path)  # saved: answers so far plus where it stopped
    assert progress is not None and progress.profile == "saas-platform"
    assert data["parties"]["provider"]["name"] == "Northwind Cloud GmbH"
    stopped_at = progress.next
    assert stopped_at and len(first.asked) == 39

    second = ScriptedPrompter({})  # no party names: they must not be asked again
    outcome = run_interview(InterviewRequest(resume=path), second, True)
    assert second.asked[0].key == stopped_at
    asked_before = {p.key for p in first.asked}
    assert not asked_before & {p.key for p in second.asked}
    check_ok(outcome.path)
    model = load_agreement(path).model
    assert model.customer.signatories[0].name == "Helen Carter"
    assert len(model.services[0].metrics) == 9


def test_ctrl_c_at_the_terminal_says_where_the_answers_are(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import slagen.prompter

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(slagen.prompter, "QuestionaryPrompter",
                        lambda: ScriptedPrompter(PARTIES, interrupt_at=5))
    path = tmp_path / "sla.yaml"
    assert cli.main(["interview", str(path), "--profile", "saas-platform"]) == 130
    err = capsys.readouterr().err
    assert f"Interrupted. Your answers so far are saved in {path}; continue with: " \
           f"slagen interview --resume {path}" in err
    data, progress = load_progress(path)
    assert progress is not None and data["parties"]["provider"]["short_name"] == "Northwind"


def test_ctrl_c_between_questions_still_saves_the_answers(tmp_path: Path) -> None:
    class InterruptedWhileTalking(ScriptedPrompter):
        """Ctrl-C lands while a hint is shown, outside any question."""

        def say(self, text: str, style: str = "") -> None:
            if style == "context" and len(self.asked) > 30:
                raise KeyboardInterrupt
            super().say(text, style)

    path = tmp_path / "sla.yaml"
    prompter = InterruptedWhileTalking(PARTIES)
    with pytest.raises(Interrupted):
        run_interview(InterviewRequest(file=path, profile="saas-platform"), prompter, True)
    data, progress = load_progress(path)
    assert progress is not None and progress.next
    assert data["parties"]["provider"]["name"] == "Northwind Cloud GmbH"


def test_ctrl_c_outside_a_question_is_kept_for_the_next_one() -> None:
    import os
    import signal

    from slagen.prompter import Prompt, QuestionaryPrompter

    class Doomed:
        def __del__(self) -> None:  # Ctrl-C lands in a finalizer: Python drops it
            os.kill(os.getpid(), signal.SIGINT)

    before = signal.getsignal(signal.SIGINT), sys.unraisablehook
    prompter = QuestionaryPrompter()
    with prompter.ctrl_c_between_questions():
        with pytest.raises(KeyboardInterrupt):  # in ordinary code it is raised at once
            os.kill(os.getpid(), signal.SIGINT)
        prompter._ctrl_c_pressed = False
        Doomed()  # the KeyboardInterrupt is lost in __del__, but the press was noted
        with pytest.raises(KeyboardInterrupt):
            prompter.ask(Prompt("text", "Customer name"))
    assert (signal.getsignal(signal.SIGINT), sys.unraisablehook) == before


def test_ctrl_c_just_before_a_question_takes_the_terminal_ends_it() -> None:
    """The press lands after `ask()` looked and before prompt_toolkit owns SIGINT."""
    import questionary
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from slagen.prompter import QuestionaryPrompter

    prompter = QuestionaryPrompter()
    with create_pipe_input() as pipe:
        question = questionary.text("Customer name", input=pipe, output=DummyOutput())
        prompter._ctrl_c_pressed = True  # as the SIGINT handler leaves it
        with pytest.raises(KeyboardInterrupt):
            prompter._run(question)  # nothing is typed: it must not wait
    assert not prompter._ctrl_c_pressed


def test_an_existing_file_is_not_overwritten(tmp_path: Path) -> None:
    (tmp_path / "sla.yaml").write_text("slagen: 1\n")
    with pytest.raises(OutputExistsError):
        interview(tmp_path, profile="saas-platform")
    assert (tmp_path / "sla.yaml").read_text() == "slagen: 1\n"


# --- answers files, defaults, precedence -----------------------------------------------


@pytest.mark.parametrize("example", ["saas-crm", "it-service-desk", "managed-network"])
def test_answers_from_a_complete_agreement_ask_nothing(tmp_path: Path, example: str) -> None:
    path, prompter = interview(tmp_path, answers=EXAMPLES / f"{example}.yaml")
    assert prompter.asked == []
    check_ok(path)
    assert load_agreement(path).model == load_agreement(EXAMPLES / f"{example}.yaml").model


def test_answers_ask_only_what_is_missing(tmp_path: Path) -> None:
    answers = yaml.safe_load((EXAMPLES / "saas-crm.yaml").read_text())
    del answers["parties"]["customer"]["name"], answers["agreement"]["effective"]
    (tmp_path / "partial.yaml").write_text(yaml.safe_dump(answers, sort_keys=False))
    path, prompter = interview(tmp_path, {"agreement.effective": "2027-02-01"},
                               answers=tmp_path / "partial.yaml")
    assert [p.key for p in prompter.asked] == ["parties.customer.name", "agreement.effective",
                                               "review"]
    assert load_agreement(path).model.agreement.effective.isoformat() == "2027-02-01"


def test_precedence_set_over_answers_over_resumed_over_profile(tmp_path: Path) -> None:
    path = tmp_path / "sla.yaml"
    with pytest.raises(Interrupted):  # resumed file: title given, kind still the default
        run_interview(InterviewRequest(file=path, profile="saas-platform"),
                      ScriptedPrompter({**PARTIES, "agreement.title": "From the resumed file"},
                                       interrupt_at=25), True)
    answers = tmp_path / "answers.yaml"
    answers.write_text("slagen: 1\nagreement: {title: From answers, version: 2.0.0}\n")
    _, prompter = interview(tmp_path, answers=answers, resume=path,
                            sets=("agreement.title=From the command line",))
    model = load_agreement(path).model
    assert model.agreement.title == "From the command line"  # --set beats --answers
    assert model.agreement.version == "2.0.0"                # --answers beats resumed
    assert model.provider.name == "Northwind Cloud GmbH"     # resumed beats defaults
    assert model.agreement.kind == "service"                 # profile beats question default
    assert "agreement.title" not in {p.key for p in prompter.asked}


@pytest.mark.parametrize("profile", ["saas-platform", "it-service-desk",
                                     "managed-infrastructure"])
def test_defaults_with_a_profile_give_a_complete_agreement(tmp_path: Path, profile: str) -> None:
    path, prompter = interview(tmp_path, defaults=True, profile=profile, interactive=False)
    assert prompter.asked == []
    check_ok(path)
    if profile == "managed-infrastructure":
        model = load_agreement(path).model
        assert [t.id for t in model.tiers] == ["bronze", "silver", "gold"]
        assert {k: str(v) for k, v in model.services[0].metrics[0].targets.items()} == \
            {"bronze": "99.5%", "silver": "99.9%", "gold": "99.95%"}
        assert cli.main(["build", str(path), "-f", "md", "-o", str(tmp_path / "out")]) == 0
        assert list((tmp_path / "out").glob("*-sla.md"))


def test_without_a_terminal_it_stops_at_once_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "sla.yaml"
    started = time.monotonic()
    done = subprocess.run([str(SLAGEN), "interview", str(path), "--profile", "saas-platform"],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert time.monotonic() - started < 30
    assert "slagen interview needs a terminal to ask " in done.stderr
    assert "(first: Provider: legal name [parties.provider.name]); give them with --answers " \
           "FILE or --set PATH=VALUE, or accept defaults with --defaults" in done.stderr
    assert not path.exists()


# --- review ------------------------------------------------------------------------------


def test_review_change_asks_dependants_again(tmp_path: Path) -> None:
    path, prompter = interview(tmp_path, {
        "parties.customer.name": Each("Acme Retail Ltd", "Globex Corporation"),
        "parties.customer.short_name": Each(DEFAULT, "Globex"),
        "review": Each("parties", "__save__"),
    }, profile="saas-platform")
    after = [p for p in prompter.asked[[p.key for p in prompter.asked].index("review") + 1:]]
    keys = [p.key for p in after]
    assert keys[0] == "parties.provider.name"  # the whole section, current answers offered
    assert after[keys.index("parties.customer.name")].default == "Acme Retail Ltd"
    # elsewhere, only what reads the customer's name, with the default worked out again
    title = after[keys.index("agreement.title")]
    assert title.default == "Globex Service Level Agreement"
    assert "services[0].metrics[2].confirmation" in keys
    assert "agreement.version" not in keys and "services[0].metrics[0].target" not in keys
    model = load_agreement(path).model
    assert model.agreement.title == "Globex Service Level Agreement"
    assert model.services[0].metrics[2].confirmation.startswith("Globex confirms")


def test_review_can_remove_an_item_and_turn_a_block_off(tmp_path: Path) -> None:
    path, prompter = interview(tmp_path, {
        "review": Each("services", "credits", "__save__"),
        "services[0].metrics[8].#keep": False,
        "credits.?": False,
    }, profile="saas-platform")
    model = load_agreement(path).model
    assert [m.id for m in model.services[0].metrics][-1] == "p4-response"
    assert model.credits is None


def test_a_failing_final_check_asks_the_offending_answer_again(tmp_path: Path) -> None:
    path, prompter = interview(tmp_path, {
        "agreement.expires": Each("2020-01-01", "2028-12-31"),
        "review": Each("__save__", "__save__"),
    }, profile="saas-platform")
    said = "\n".join(prompter.said)
    assert "agreement.expires: 2020-01-01 is not after the effective date" in said
    assert "Back to Term and review, agreement.expires, to fix this." in said
    keys = [p.key for p in prompter.asked]
    assert keys[keys.index("review"):] == ["review", "agreement.expires", "review"]
    assert load_agreement(path).model.agreement.expires.isoformat() == "2028-12-31"


def test_set_changes_one_item_and_the_checks_catch_what_it_breaks(tmp_path: Path) -> None:
    """--set addresses list items by id; an OLA chain it breaks is asked about again."""
    path, prompter = interview(
        tmp_path, {"services[0].metrics[1].target": "15min"},
        answers=EXAMPLES / "saas-crm.yaml",
        sets=("services.crm.metrics.p1-response.target=10min",
              "calendars.support-hours.timezone=Europe/Dublin"))
    assert [p.key for p in prompter.asked] == ["services[0].metrics[1].target", "review"]
    assert prompter.asked[0].default == "10min"
    assert any("first response needs 12 min" in s and "[ola.chain-too-long]" in s
               for s in prompter.said)
    model = load_agreement(path).model
    assert str(model.services[0].metrics[1].target) == "15 min"
    assert model.calendars["support-hours"].timezone == "Europe/Dublin"
    assert len(model.services[0].metrics) == 5  # the list was changed, not replaced


def test_resuming_a_finished_file_opens_the_review(tmp_path: Path) -> None:
    path, _ = interview(tmp_path, answers=EXAMPLES / "saas-crm.yaml")
    _, prompter = interview(tmp_path, {"review": Each("reporting", "__save__"),
                                       "reporting.cadence": "quarterly"}, resume=path)
    keys = [p.key for p in prompter.asked]
    assert keys[0] == "review" and keys[-1] == "review"
    assert "reporting.?" in keys and "reporting.cadence" in keys
    assert load_agreement(path).model.reporting.cadence == "quarterly"


def test_after_saving_it_offers_to_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    import slagen.prompter

    script = ScriptedPrompter({"build": True, "formats": ["md"]})
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(slagen.prompter, "QuestionaryPrompter", lambda: script)
    path = tmp_path / "crm.yaml"
    assert cli.main(["interview", str(path), "--answers",
                     str(EXAMPLES / "saas-crm.yaml")]) == 0
    assert [p.key for p in script.asked] == ["build", "formats"]  # nothing else to ask
    out = capsys.readouterr().out
    assert f"Saved {path}." in out and "ACME-CRM-2027-v1.0.0-sla.md" in out
    assert (tmp_path / "out" / "ACME-CRM-2027-v1.0.0-sla.md").exists()


# --- question files, files, context ---------------------------------------------------------


def test_question_file_problems_are_located(tmp_path: Path) -> None:
    bad = tmp_path / "questions.yaml"
    bad.write_text("questions: 1\nsections:\n  - section: One\n    items:\n"
                   "      - {path: agreement.title, type: txt, message: Title}\n"
                   "      - {path: agreement.id, message: Id, when: 'agreement.title =='}\n"
                   "      - {group: g, repeat: true, path: ., items: [{path: a, message: A}]}\n")
    with pytest.raises(InputError) as caught:
        load_questions(bad)
    report = caught.value.report()
    assert f"{bad}:5:" in report and "unknown type 'txt'" in report
    assert f"{bad}:6:" in report and "expression does not parse" in report
    assert f"{bad}:7:" in report and "a repeatable group needs a path" in report


def test_an_organisation_question_file_is_used(tmp_path: Path) -> None:
    own = tmp_path / "ours.yaml"
    text = (ROOT / "templates" / "questions.yaml").read_text()
    own.write_text(text.replace("message: \"Provider: legal name\"",
                                "message: \"Supplier (our company)\""))
    _, prompter = interview(tmp_path, questions=own, profile="saas-platform")
    assert prompter.asked[0].message == "Supplier (our company)"


def test_context_lines_explain_targets() -> None:
    data = {"agreement": {"effective": "2027-01-01"},
            "calendars": [{"id": "office", "hours": "Mon-Fri 08:00-18:00",
                           "timezone": "Europe/Berlin"}, {"id": "always", "hours": "24x7"}]}
    availability = {"kind": "availability", "window": "month", "calendar": "always"}
    p1 = {"kind": "resolution_time", "priority": "P1", "calendar": "office"}
    assert context_line("downtime", "99.9%", [availability], data) == \
        "99.9% a month allows 43 min 50 s of downtime"
    assert context_line("clock", "4h", [p1], data) == (
        "a P1 resolution of 4h on Mon-Fri 08:00-18:00 (Europe/Berlin) starting Friday 17:00 "
        "ends Monday 11:00")
    assert context_line("clock", "4h", [{**p1, "calendar": "always"}], data) is None


_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)


@settings(max_examples=150, deadline=None)
@example({"\u2028": None})  # YAML line breaks, even inside quotes (found by Hypothesis)
@example(["a\u2029b", "c\rd", "plain words"])
@given(st.recursive(st.none() | st.booleans() | st.integers() | _text,
                    lambda inner: st.lists(inner, max_size=3) |
                    st.dictionaries(_text.filter(bool), inner, max_size=3), max_leaves=12))
def test_progress_yaml_reads_back_exactly(value: object) -> None:
    from slagen.yamlsrc import _bad_character

    data = {"slagen": 1, "x": value}
    text = quick_yaml(data)
    if _bad_character(text):
        return  # such text is refused at the prompt; the loader refuses it too
    loaded, _ = load_yaml_text(text, "<progress>")
    assert loaded == copy.deepcopy(data)


# --- a real terminal ------------------------------------------------------------------------


@pytest.mark.tmux
def test_in_a_real_terminal(tmp_path: Path) -> None:
    """Type into the real program in tmux: prompts, a refusal, the downtime, Ctrl-C."""
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    session = f"slagen-{uuid.uuid4().hex[:8]}"
    command = f"cd {tmp_path} && {SLAGEN} interview x.yaml --profile saas-platform; " \
              "echo EXIT=$?; sleep 60"
    typed = {"Provider: legal name": "Northwind Cloud GmbH",
             "Provider: registered address": "Hafenstrasse 12, Hamburg",
             "Customer: legal name": "Acme Retail Ltd",
             "Customer: registered address": "1 Market Street, Leeds",
             "Name of the person who signs": "Maria Keller", "Their position": "COO"}

    def screen(history: bool = False) -> str:
        extra = ["-S", "-5000"] if history else []
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", session, *extra],
                              capture_output=True, text=True, check=True).stdout

    def keys(*sent: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", session, *sent], check=True)

    def wait_for(text: str, seconds: float = 10) -> str:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if text in (now := screen()):
                return now
            time.sleep(0.02)
        raise AssertionError(f"{text!r} did not appear; the screen shows:\n{screen()}")

    def prompts() -> list[str]:
        """Every question line so far: answered ones stay on screen, the last is current."""
        return [line[2:] for line in screen(history=True).splitlines()
                if line.startswith("? ")]

    def next_prompt(count: int, seconds: float = 5) -> list[str]:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if len(asked := prompts()) > count:
                return asked
            time.sleep(0.02)
        raise AssertionError(f"no next question; the screen shows:\n{screen()}")

    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40",
                    command], check=True)
    try:
        asked = next_prompt(0, seconds=10)
        for _ in range(150):  # answer as a person would; Enter takes the profile's defaults
            if asked[-1].startswith("Availability target"):
                break
            answer = next((a for m, a in typed.items() if asked[-1].startswith(m)), None)
            if answer is not None:
                keys("-l", answer)
            keys("Enter")
            asked = next_prompt(len(asked))
        shown = screen()
        assert asked[-1] == "Availability target (e.g. 99.9%) 99.9%"  # the profile's default
        assert "Metric 1 of Hosted platform" in shown
        keys("C-u")
        keys("-l", "101%")
        keys("Enter")
        wait_for("'101%' is not a percentage between 0 and 100 (e.g. 99.9%)")
        keys("C-u")
        keys("-l", "99.9%")
        keys("Enter")
        shown = wait_for("43 min 50 s")
        assert "→ 99.9% a month allows 43 min 50 s of downtime" in shown
        assert "Provider: legal name Northwind Cloud GmbH" in prompts()
        keys("C-c")
        shown = wait_for("EXIT=130")
        assert "Interrupted. Your answers so far are saved in x.yaml; continue with: " \
               "slagen interview --resume x.yaml" in shown.replace("\n", "")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    data, progress = load_progress(tmp_path / "x.yaml")
    assert progress is not None and progress.next.startswith("services[0].metrics[0].")
    assert data["parties"]["provider"]["name"] == "Northwind Cloud GmbH"
    assert data["services"][0]["metrics"][0]["target"] == "99.9%"
