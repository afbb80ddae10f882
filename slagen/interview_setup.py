"""Setting up an interview: question file, profile, answers in order of precedence.

Answers come from four places, and the first that has a value wins, as
users of project generators expect: `--set PATH=VALUE` on the command line,
then the `--answers` file, then the file being resumed, then defaults (the
profile's, then the question's).  Everything is gathered and checked before
the first question, and without a terminal the interview refuses at once —
naming how many questions are left and the first of them — instead of
waiting on input that never comes.
"""

from __future__ import annotations

import contextlib
import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .answers import Key, from_file, merge, set_dotted
from .errors import Diagnostic, InputError, OutputExistsError
from .interview import Interrupted, Interview
from .interview_file import Progress, agreement_text, load_progress, save_progress
from .interview_review import FINAL_HEADER
from .library import BUNDLED_TEMPLATES
from .output import write_new_file
from .prompter import Prompt, Prompter
from .questions import QuestionSpec, load_questions
from .records import record
from .yamlsrc import load_yaml_file

__all__ = ["DEFAULT_FILE", "InterviewRequest", "NeedsTerminal", "Outcome", "available_profiles",
           "prepare", "run_interview"]

DEFAULT_FILE = "agreement.yaml"
QUESTIONS = BUNDLED_TEMPLATES / "questions.yaml"
PROFILES = BUNDLED_TEMPLATES / "profiles"


class NeedsTerminal(InputError):
    """Questions are left, and there is no terminal to ask them on."""


@record
class InterviewRequest:
    file: Path | None = None
    resume: Path | None = None
    answers: Path | None = None
    profile: str | None = None
    defaults: bool = False
    sets: tuple[str, ...] = ()
    questions: Path | None = None
    force: bool = False


@dataclass
class Outcome:
    path: Path
    asked: int
    interview: Interview = field(repr=False)


def available_profiles() -> list[str]:
    return sorted(p.stem for p in PROFILES.glob("*.yaml"))


def _problem(file: str, message: str, code: str, hint: str = "") -> InputError:
    return InputError(diagnostics=[Diagnostic(file, 0, 0, "", message, code, hint=hint)])


def load_profile(name: str) -> dict:
    """A starting profile's defaults (agreement data), by bundled name or file path."""
    path = Path(name)
    if not (path.suffix in (".yaml", ".yml") and path.exists()):
        path = PROFILES / f"{name}.yaml"
        if not path.exists():
            raise _problem(name, "no such profile", "interview.profile",
                           "profiles: " + ", ".join(available_profiles()))
    data, source, _ = load_yaml_file(path)
    if not isinstance(data, dict) or not isinstance(data.get("defaults"), dict):
        raise InputError(diagnostics=[source.diagnostic((), "a profile has 'defaults:' with "
                                                        "agreement data", "interview.profile")])
    return data["defaults"]


def _containers(data: Any, base: Key = ()) -> set[Key]:
    """Every mapping and list in `data`: what an answers file supplies complete."""
    out: set[Key] = set()
    if isinstance(data, dict):
        out.add(base)
        for key, value in data.items():
            out |= _containers(value, (*base, key))
    elif isinstance(data, list):
        out.add(base)
        for i, value in enumerate(data):
            out |= _containers(value, (*base, i))
    return out


def _settled(spec: QuestionSpec, answers: dict) -> set[Key]:
    """What an answers file settles: every block and list it has; and, if it is a whole
    agreement (every required section there), the optional sections it leaves out too.
    A partial file leaves those to ask."""
    import dataclasses

    from .model import Agreement

    sealed = _containers(from_file(_nodes(spec), answers))
    required = [f.name for f in dataclasses.fields(Agreement)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    if not all(name in answers for name in required):
        sealed.discard(())
    return sealed


def _layered(request: InterviewRequest, resumed: dict) -> tuple[dict, dict | None]:
    """Resumed answers, `--answers` on top, `--set` values on top of both (file form).

    `--set` addresses what is already there (list items by id or position), so it is
    applied to the merged data, not merged itself: a list it names is never replaced.
    Also returns the `--answers` data alone (what it settles)."""
    answers = None
    if request.answers is not None:
        answers, _ = load_progress(request.answers)
    data = merge(resumed, answers) if answers is not None else copy.deepcopy(resumed)
    for item in request.sets:
        name, sep, value = item.partition("=")
        try:
            if not sep:
                raise ValueError(f"'{item}' is not PATH=VALUE")
            set_dotted(data, name.strip(), value.strip())
        except ValueError as exc:
            raise _problem("--set", str(exc), "interview.set",
                           "e.g. --set parties.customer.name='Acme Ltd'") from None
    return data, answers


def _target(request: InterviewRequest) -> Path:
    if request.resume is not None:
        if request.file is not None and Path(request.file) != Path(request.resume):
            raise _problem(str(request.file), "give either FILE or --resume FILE, not both",
                           "interview.usage")
        return Path(request.resume)
    path = Path(request.file or DEFAULT_FILE)
    if path.exists() and not request.force:
        raise OutputExistsError(diagnostics=[Diagnostic(
            str(path), 0, 0, "", "already exists; not overwritten", "output.exists",
            hint=f"continue it with: slagen interview --resume {path}; or replace it with "
                 "--force")])
    return path


def prepare(request: InterviewRequest, prompter: Prompter, interactive: bool) -> Interview:
    """Everything an interview needs, checked; refuses at once without a terminal."""
    path = _target(request)
    resumed: dict = {}
    progress, finished = Progress(), False
    if request.resume is not None:
        resumed, found = load_progress(path)
        progress, finished = found or Progress(status="review"), found is None
    questions = request.questions or (Path(progress.questions) if progress.questions else None)
    spec: QuestionSpec = load_questions(questions or QUESTIONS)
    if finished:  # a finished file (no progress record): everything in it is settled
        progress.sealed = _containers(from_file(_nodes(spec), resumed))
    profile_name = request.profile or progress.profile
    profile = from_file(_nodes(spec), load_profile(profile_name)) if profile_name else {}
    if profile_name and Path(profile_name).suffix in (".yaml", ".yml"):
        profile_name = str(Path(profile_name).resolve())  # --resume may run elsewhere
    progress.profile = profile_name
    progress.questions = str(Path(questions).resolve()) if questions else None
    layered, answers = _layered(request, resumed)
    data = from_file(_nodes(spec), _negotiated(layered))
    data.setdefault("slagen", 1)
    if answers is not None:
        progress.sealed |= _settled(spec, answers)
    mode = "defaults" if request.defaults else "ask"
    if not interactive:
        _refuse_without_terminal(spec, data, progress, profile, request.defaults)
    return Interview(spec, data, progress, prompter, profile=profile, mode=mode,
                     review=interactive, saver=lambda d, p: save_progress(path, d, p),
                     path_name=str(path))


def _negotiated(data: dict) -> dict:
    """A value given only by a negotiated term (e.g. `termination.notice` still open) is
    written in place, as the documents will show it, so it is not asked again."""
    from .terms import TermPathError, resolve_term, set_term
    from .validate import effective_value

    for term in data.get("negotiation") or []:
        if not isinstance(term, dict) or not isinstance(term.get("term"), str):
            continue
        try:
            resolve_term(data, term["term"])
        except TermPathError:
            value = effective_value(term)
            if value is not None:
                with contextlib.suppress(TermPathError):
                    set_term(data, term["term"], value)
    return data


def _nodes(spec: QuestionSpec) -> list:
    return [n for s in spec.sections for n in s.items]


class _NoPrompter:
    def ask(self, prompt: Prompt) -> Any:  # pragma: no cover - dry runs never ask
        raise EOFError

    def say(self, text: str, style: str = "") -> None:
        pass


def _refuse_without_terminal(spec: QuestionSpec, data: dict, progress: Progress,
                             profile: dict, defaults: bool) -> None:
    dry = Interview(spec, copy.deepcopy(data), copy.deepcopy(progress), _NoPrompter(),
                    profile=profile, mode="dry-defaults" if defaults else "dry")
    dry.walk()
    if not dry.would_ask:
        return
    count = len(dry.would_ask)
    key, message = dry.would_ask[0]
    how = "give them with --answers FILE or --set PATH=VALUE" + \
        ("" if defaults else ", or accept defaults with --defaults")
    raise NeedsTerminal(
        f"slagen interview needs a terminal to ask {count} unanswered question"
        f"{'s' if count != 1 else ''} (first: {message} [{key}]); {how}")


def run_interview(request: InterviewRequest, prompter: Prompter, interactive: bool) -> Outcome:
    """Run the interview to the end and write the finished agreement file."""
    interview = prepare(request, prompter, interactive)
    try:
        finished = interview.run()
    except (KeyboardInterrupt, EOFError):  # at a question, or between two (a hint, a save)
        interview.save()  # records where it stopped (`next`) and any answer not yet written
        raise Interrupted(interview.file_data()) from None
    path = Path(interview.path_name)
    write_new_file(path, agreement_text(finished, FINAL_HEADER).encode("utf-8"), force=True)
    return Outcome(path, interview.asked, interview)
