"""How the interview talks to a person: a small protocol, a terminal front end, a fake.

The engine (`interview`) never imports a prompt library.  It hands a
`Prompt` — the widget kind, message, default, choices and a validator that
returns the reason a value is refused — to a `Prompter`, and prints context
through `say()`.  `QuestionaryPrompter` asks at the terminal with questionary,
always through `unsafe_ask()` so that Ctrl-C arrives as `KeyboardInterrupt`
(questionary's `ask()` would swallow it and return None, losing the answer
being typed and hiding the interruption).  `ScriptedPrompter` answers from a
script, the way httpx's mock transport answers requests: tests drive the real
engine without a terminal, including refused values and interruptions.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, nullcontext
from types import FrameType
from typing import Any, Protocol

from .records import record

__all__ = ["DEFAULT", "INTERRUPT", "Each", "Prompt", "Prompter", "QuestionaryPrompter",
           "Retry", "ScriptError", "ScriptedPrompter"]

_NONE = "__slagen_none__"


@record
class Prompt:
    """One question as the person sees it."""

    kind: str                       # text | select | checkbox | confirm
    message: str
    key: str = ""                   # where the answer goes: services[0].metrics[1].target
    qid: str = ""                   # which question: services.metrics.target
    help: str = ""
    default: Any = None             # text: str; select: a value; checkbox: list; confirm: bool
    choices: tuple[tuple[Any, str], ...] = ()
    validate: Callable[[Any], str | None] | None = None   # None: accepted; text: the reason
    placeholder: str = ""


class Prompter(Protocol):
    def ask(self, prompt: Prompt) -> Any:
        """The answer; raises KeyboardInterrupt when the person interrupts."""

    def say(self, text: str, style: str = "") -> None:
        """Show a line: a heading, help, context for an answer, a warning."""

    def ctrl_c_between_questions(self) -> AbstractContextManager[None]:
        """Hold a Ctrl-C pressed between questions until the next question."""


_STYLES = {"heading": "bold", "help": "fg:ansibrightblack", "context": "fg:ansicyan",
           "warning": "fg:ansiyellow", "error": "fg:ansired bold", "": ""}


class QuestionaryPrompter:
    """Asks at the terminal with questionary; `input`/`output` let tests use a pipe."""

    def __init__(self, input: Any = None, output: Any = None) -> None:  # noqa: A002
        self.io: dict[str, Any] = {}
        self._ctrl_c_pressed = False
        if input is not None:
            self.io["input"] = input
        if output is not None:
            self.io["output"] = output

    def say(self, text: str, style: str = "") -> None:
        import questionary

        output = {"output": self.io["output"]} if "output" in self.io else {}
        questionary.print(text, style=_STYLES.get(style, style), **output)

    @contextmanager
    def ctrl_c_between_questions(self) -> Iterator[None]:
        """While this holds, a Ctrl-C between two questions is never lost.

        While a question is shown, prompt_toolkit reads Ctrl-C as a key and
        `unsafe_ask()` raises KeyboardInterrupt.  Between questions it arrives as
        SIGINT, and Python raises KeyboardInterrupt wherever the program is.
        Inside a weakref callback or a finalizer that exception is dropped (after
        printing "Exception ignored ..."), and the interview would go on.  So the
        press is also noted: the next `ask()` raises, and the dropped exception is
        not printed.  (prompt_toolkit restores this handler after each question.)
        """
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        previous_handler = signal.signal(signal.SIGINT, self._note_ctrl_c)
        previous_hook = sys.unraisablehook

        def hook(unraisable: Any) -> None:
            if not isinstance(unraisable.exc_value, KeyboardInterrupt):
                previous_hook(unraisable)

        sys.unraisablehook = hook
        try:
            yield
        finally:
            signal.signal(signal.SIGINT, previous_handler)
            sys.unraisablehook = previous_hook

    def _note_ctrl_c(self, signum: int, frame: FrameType | None) -> None:
        self._ctrl_c_pressed = True
        raise KeyboardInterrupt

    def ask(self, prompt: Prompt) -> Any:
        import questionary

        if self._ctrl_c_pressed:
            self._ctrl_c_pressed = False
            raise KeyboardInterrupt
        if prompt.help:
            self.say(f"  {prompt.help}", "help")
        if prompt.kind == "confirm":
            return self._run(questionary.confirm(prompt.message, default=bool(prompt.default),
                                                 **self.io))
        if prompt.kind in ("select", "checkbox"):
            return self._choose(prompt)

        def check(text: str) -> bool | str:
            reason = prompt.validate(text) if prompt.validate else None
            return True if reason is None else reason

        extra = {"placeholder": prompt.placeholder} if prompt.placeholder else {}
        return self._run(questionary.text(prompt.message, default=str(prompt.default or ""),
                                          validate=check, validate_while_typing=False, **extra,
                                          **self.io))

    def _run(self, question: Any) -> Any:
        """`unsafe_ask()`; a Ctrl-C noted just before the question took the terminal
        (after the check in `ask()`) ends it at once, as a Ctrl-C typed into it would."""
        application = question.application

        def stop_if_ctrl_c_was_pressed() -> None:  # runs once prompt_toolkit owns SIGINT
            if self._ctrl_c_pressed:
                self._ctrl_c_pressed = False
                application.exit(exception=KeyboardInterrupt, style="class:aborting")

        application.pre_run_callables.append(stop_if_ctrl_c_was_pressed)
        return question.unsafe_ask()

    def _choose(self, prompt: Prompt) -> Any:
        import questionary

        values = [_NONE if value is None else value for value, _ in prompt.choices]
        if prompt.kind == "checkbox":
            chosen = set(prompt.default or [])
            choices = [questionary.Choice(title, value=v, checked=v in chosen)
                       for v, (_, title) in zip(values, prompt.choices, strict=True)]
            return self._run(questionary.checkbox(prompt.message, choices=choices, **self.io))
        default = _NONE if prompt.default is None else prompt.default
        choices = [questionary.Choice(title, value=v)
                   for v, (_, title) in zip(values, prompt.choices, strict=True)]
        answer = self._run(questionary.select(prompt.message, choices=choices,
                                              default=default if default in values else None,
                                              **self.io))
        return None if answer == _NONE else answer


# --- the scripted fake -------------------------------------------------------


class ScriptError(AssertionError):
    """The script has no acceptable answer for a question the engine asked."""


class _Sentinel:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


DEFAULT: Any = _Sentinel("DEFAULT")       # accept the offered default
INTERRUPT: Any = _Sentinel("INTERRUPT")   # press Ctrl-C here


class Retry:
    """Several attempts at one question, e.g. Retry("101%", "99.9%")."""

    def __init__(self, *attempts: Any) -> None:
        self.attempts = attempts


class Each:
    """One answer per time the question is asked, in order (then the default)."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)


class ScriptedPrompter:
    """Answers from a script keyed by answer key (`services[0].name`) or question id.

    A plain value answers every time; `Each(...)` answers successive asks;
    `Retry(...)` types several values at one prompt (refused ones are recorded
    with their reasons, as the terminal would show them).  Questions not in
    the script take their default; `interrupt_at=N` presses Ctrl-C at the
    N-th prompt.
    """

    def __init__(self, script: Mapping[str, Any] | None = None, *,
                 interrupt_at: int | None = None, limit: int = 5000) -> None:
        self.script = dict(script or {})
        self.interrupt_at = interrupt_at
        self.limit = limit  # a script that never fixes a problem must not loop forever
        self.asked: list[Prompt] = []
        self.refused: list[tuple[str, Any, str]] = []
        self.said: list[str] = []
        self.transcript: list[str] = []

    def ctrl_c_between_questions(self) -> AbstractContextManager[None]:
        return nullcontext()  # a script presses Ctrl-C only at a question (INTERRUPT)

    def say(self, text: str, style: str = "") -> None:
        self.said.append(text)
        self.transcript.append(text)

    def ask(self, prompt: Prompt) -> Any:
        if self.interrupt_at is not None and len(self.asked) + 1 >= self.interrupt_at:
            self.transcript.append(f"? {prompt.message} ^C")
            raise KeyboardInterrupt
        self.asked.append(prompt)
        if len(self.asked) > self.limit:
            raise ScriptError(f"more than {self.limit} questions; the last: {prompt.key}")
        for value in self._attempts(prompt):
            if value is INTERRUPT:
                self.transcript.append(f"? {prompt.message} ^C")
                raise KeyboardInterrupt
            if value is DEFAULT:
                value = prompt.default
            reason = prompt.validate(value) if prompt.validate else None
            if reason is None:
                self.transcript.append(f"? {prompt.message} {_show(value)}")
                return value
            self.refused.append((prompt.key, value, reason))
            self.transcript.append(f"? {prompt.message} {_show(value)}\n  ! {reason}")
        raise ScriptError(f"no acceptable answer for {prompt.key} ({prompt.message!r}); "
                          f"refused: {[r for k, _, r in self.refused if k == prompt.key]}")

    def _attempts(self, prompt: Prompt) -> list[Any]:
        for name in (prompt.key, prompt.qid):
            if name in self.script:
                entry = self.script[name]
                if isinstance(entry, Each):
                    if not entry.answers:
                        return [DEFAULT]
                    entry = entry.answers.pop(0)
                return list(entry.attempts) if isinstance(entry, Retry) else [entry]
        return [DEFAULT]


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)
