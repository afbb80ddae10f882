"""The interview engine: walk the questions, ask only what is missing, save after every answer.

The engine walks the question spec against the answers so far (working form,
see `answers`).  For each question it either finds a value — supplied on the
command line, in `--answers`, or in the file being resumed — and checks it
with the question's own validator, or it asks: with the current value, the
profile's value or the question's default offered, in that order.  Group
decisions (include the credits block? add another service?) are taken the
same way.  After every answer the partial agreement and the progress record
are written atomically, so Ctrl-C or a crash loses at most the answer being
typed; Ctrl-C surfaces as `Interrupted`, carrying the answers (copier's model).

Modes: `ask` (a person answers), `defaults` (every question with a usable
default takes it; the rest are asked), `dry` (nothing is asked or saved; the
questions that would need a person are counted, for the no-terminal check).
The review screen, dependants and the final check live in `interview_review`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from .answer_types import AnswerContext, AnswerError, as_text, coerce
from .answers import MISSING, Key, delete, format_key, get, put, to_file, view
from .errors import Diagnostic, InputError
from .interview_context import context_line
from .interview_file import Progress
from .interview_groups import GroupsMixin, Scope
from .interview_review import ReviewMixin
from .model import METRIC_KINDS, Agreement
from .prompter import Prompt, Prompter
from .questions import Group, Node, Question, QuestionSpec, expression_environment, is_template

__all__ = ["Interrupted", "Interview"]

TOP_FIELDS = tuple(f.name for f in dataclasses.fields(Agreement))
KINDS = {name: {"name": k.name, "unit": k.unit, "higher_is_better": k.higher_is_better,
                "ticket_based": k.ticket_based} for name, k in METRIC_KINDS.items()}
Saver = Callable[[dict, Progress], None]


class Interrupted(Exception):
    """Ctrl-C during the interview; the answers so far are saved and carried here."""

    def __init__(self, data: dict) -> None:
        super().__init__("interrupted")
        self.data = data


class Interview(GroupsMixin, ReviewMixin):
    """One interview over one question spec; `run()` (see `ReviewMixin`) drives it."""

    def __init__(self, spec: QuestionSpec, data: dict, progress: Progress, prompter: Prompter,
                 *, profile: dict | None = None, saver: Saver | None = None,
                 mode: str = "ask", review: bool = True, path_name: str = "") -> None:
        self.spec = spec
        self.path_name = path_name
        self.nodes: list[Node] = [n for s in spec.sections for n in s.items]
        self.data = data
        self.progress = progress
        self.prompter = prompter
        self.profile = profile or {}
        self.saver = saver
        self.accept_defaults = mode in ("defaults", "dry-defaults")
        self.dry = mode.startswith("dry")
        self.review_enabled = review and not self.accept_defaults and not self.dry
        self.asked = 0
        self.would_ask: list[tuple[str, str]] = []
        self.env = expression_environment()
        self._cache: dict[tuple[str, str], Any] = {}
        self._headings: list[str] = []
        self._dirty = False
        self.fresh_defaults: set[Key] = set()  # dependants whose computed default changed
        self.root = Scope((), self.profile)

    # --- saving ----------------------------------------------------------------

    def file_data(self) -> dict:
        return to_file(self.nodes, self.data)

    def save(self, *, typed: bool = True) -> None:
        """Write the file; answers nobody typed (defaults, supplied values) may wait."""
        self._dirty = True
        if typed and self.saver is not None and not self.dry:
            self.saver(self.file_data(), self.progress)
            self._dirty = False

    # --- expressions -----------------------------------------------------------

    def names(self, scope: Scope) -> dict[str, Any]:
        names: dict[str, Any] = dict.fromkeys(TOP_FIELDS, MISSING)
        names.update({k: view(v) for k, v in self.data.items()})
        item = get(self.data, scope.base) if scope.base else {}
        parent = get(self.data, scope.parent.base) if scope.parent and scope.parent.base else {}
        metrics = {f"{s.get('id')}/{m.get('id')}": m for s in self.data.get("services") or []
                   if isinstance(s, dict) for m in s.get("metrics") or [] if isinstance(m, dict)}
        today = dt.date.today()
        names.update(item=view(item or {}), parent=view(parent or {}), index=scope.index,
                     kinds=view(KINDS), metric_refs=list(metrics), metrics=view(metrics),
                     today=today.isoformat(),
                     next_month=(today.replace(day=1) + dt.timedelta(days=32)).replace(
                         day=1).isoformat())
        return names

    def _compiled(self, text: str, template: bool) -> Any:
        key = ("t" if template else "e", text)
        if key not in self._cache:
            self._cache[key] = self.env.from_string(text) if template else \
                self.env.compile_expression(text)
        return self._cache[key]

    def evaluate(self, text: str, scope: Scope, node: Node) -> Any:
        try:
            return self._compiled(text, False)(**self.names(scope))
        except Exception as exc:  # noqa: BLE001 - any failure is the question file's
            raise self.spec_error(node, f"cannot evaluate {text!r}: {exc}") from None

    def render(self, text: str, scope: Scope, node: Node) -> str:
        if not is_template(text):
            return text
        try:
            return self._compiled(text, True).render(**self.names(scope)).strip()
        except Exception as exc:  # noqa: BLE001
            raise self.spec_error(node, f"cannot render {text!r}: {exc}") from None

    def spec_error(self, node: Any, message: str) -> InputError:
        return InputError(diagnostics=[Diagnostic(self.spec.file, node.line, 0, node.id,
                                                  message, "questions.expression")])

    def _true(self, expr: str | None, scope: Scope, node: Node) -> bool:
        return expr is None or bool(self.evaluate(expr, scope, node))

    # --- the walk --------------------------------------------------------------

    def walk(self, nodes: Iterable[Node] | None = None) -> None:
        """Ask everything still missing (all sections, or the given nodes)."""
        self.walk_nodes(list(self.nodes if nodes is None else nodes), self.root)

    def walk_nodes(self, nodes: list[Node], scope: Scope) -> None:
        for node in nodes:
            if isinstance(node, Group):
                self._group(node, scope)
            else:
                self._question(node, scope, nodes)

    def _question(self, q: Question, scope: Scope, siblings: list[Node]) -> None:
        path = (*scope.base, *q.path)
        if not self._true(q.when, scope, q):
            twins = [n for n in siblings if isinstance(n, Question) and n is not q
                     and n.path == q.path]
            if any(self._true(t.when, scope, t) for t in twins):
                return  # the same field, asked in another case
            if path in self.progress.answered:
                delete(self.data, path)  # answered here, now out of place; supplied: kept
            self.progress.answered.discard(path)
            self.progress.stale.discard(path)
            return
        present = get(self.data, path)
        stale = path in self.progress.stale
        if path in self.progress.answered and not stale and q.ask:
            return
        refused = ""
        if not q.ask:
            self._store(path, self._coerce_quietly(q, self.default(q, scope), scope, path))
            return
        if present is not None and not stale:
            try:
                self._store(path, self.check(q, present, scope, path))
                return
            except AnswerError as exc:
                refused = str(exc)
        elif present is None and not stale and not q.required and self.sealed(path):
            self._store(path, None)
            return
        asked = self.asked
        value = self._answer(q, path, scope, present, refused)
        self._store(path, value)
        self.progress.stale.discard(path)
        self.save(typed=self.asked > asked)

    def _store(self, path: Key, value: Any) -> None:
        if value is None:
            delete(self.data, path)
        else:
            put(self.data, path, value)
        self.progress.answered.add(path)

    def sealed(self, path: Key) -> bool:
        """Whether the place of `path` came complete from `--answers`: its nearest
        existing container was supplied there (absent optional answers stay absent)."""
        container = path[:-1]
        while container and get(self.data, container) is None:
            container = container[:-1]
        return container in self.progress.sealed

    def answer_context(self, q: Question, scope: Scope, path: Key) -> AnswerContext:
        item = get(self.data, scope.base) if scope.base else self.data
        owner = get(self.data, scope.base[:-1]) if scope.base and isinstance(
            scope.base[-1], int) else []
        return AnswerContext(
            item=item if isinstance(item, dict) else {}, siblings=owner or [],
            choices=[v for v, _ in self.choices(q, scope)], file_data=self.file_data,
            minimum=q.minimum, maximum=q.maximum, item_type=q.item_type)

    def check(self, q: Question, raw: Any, scope: Scope, path: Key) -> Any:
        return coerce(q.type, raw, self.answer_context(q, scope, path), required=q.required,
                      validator=q.validate)

    def _coerce_quietly(self, q: Question, raw: Any, scope: Scope, path: Key) -> Any:
        try:
            return self.check(q, raw, scope, path)
        except AnswerError:
            return None

    def choices(self, q: Question, scope: Scope) -> list[tuple[Any, str]]:
        if q.choices is None:
            return []
        if isinstance(q.choices, str):
            found = self.evaluate(q.choices, scope, q)
            out = [(v, str(v)) for v in (found or []) if v not in (None, "")]
        else:
            out = list(q.choices)
        if q.type == "select" and not q.required and q.default is None:
            out.append((None, "(none)"))
        return out

    def default(self, q: Question, scope: Scope) -> Any:
        """The profile's value for this place, else the question's default."""
        found = get(scope.profile, q.path) if isinstance(scope.profile, dict) else None
        if found is not None:
            return found
        if is_template(q.default):
            return self.render(q.default, scope, q) or None
        return q.default

    def _answer(self, q: Question, path: Key, scope: Scope, current: Any, refused: str) -> Any:
        default = current
        if current is None or path in self.fresh_defaults:
            default = self.default(q, scope) if q.default is not None or current is None \
                else current
            default = current if default is None else default
        self.fresh_defaults.discard(path)
        if self.accept_defaults and not refused:
            for candidate in (default, q.placeholder or None):
                if candidate is not None:
                    value = self._coerce_quietly(q, candidate, scope, path)
                    if value is not None:
                        return value
            if not q.required:
                return None
        if self.dry:
            self.would_ask.append((format_key(path), self.render(q.message, scope, q)))
            return default
        return self._prompt(q, path, scope, default, refused)

    def _prompt(self, q: Question, path: Key, scope: Scope, default: Any, refused: str) -> Any:
        self.flush_headings()
        if refused:
            self.prompter.say(f"  The value given for {format_key(path)} was refused: {refused}",
                              "warning")
        kind = q.type if q.type in ("select", "checkbox", "confirm") else "text"
        if kind == "text":
            default = as_text(q.type, default)
        elif kind == "confirm":
            default = self._coerce_quietly(q, default, scope, path) if default is not None \
                else False

        def validate(raw: Any) -> str | None:
            try:
                self.check(q, raw, scope, path)
            except AnswerError as exc:
                return str(exc)
            return None

        prompt = Prompt(kind, self.render(q.message, scope, q), format_key(path), q.id,
                        q.help, default, tuple(self.choices(q, scope)), validate,
                        q.placeholder)
        self.mark_next(path)
        while True:
            raw = self.ask(prompt)
            reason = validate(raw)
            if reason is None:
                break
            self.prompter.say(f"  {reason}", "warning")
        value = self.check(q, raw, scope, path)
        if q.context:
            items = [get(self.data, s.base) for s in self._chain(scope)]
            line = context_line(q.context, value, [i for i in items if isinstance(i, dict)],
                                self.data)
            if line:
                self.prompter.say(f"  → {line}", "context")
        return value

    def ask(self, prompt: Prompt) -> Any:
        """The answer; Ctrl-C or a closed input ends the interview (see `run_interview`)."""
        answer = self.prompter.ask(prompt)
        self.asked += 1
        return answer

    def mark_next(self, path: Key) -> None:
        """Before a prompt: note what is asked, and write anything not yet written."""
        self.progress.next = format_key(path)
        if self._dirty:
            self.save()

    def _chain(self, scope: Scope | None) -> list[Scope]:
        out = []
        while scope is not None and scope.base:
            out.append(scope)
            scope = scope.parent
        return out

    def flush_headings(self) -> None:
        for heading in self._headings:
            if heading:
                self.prompter.say(heading, "heading")
        self._headings = [""] * len(self._headings)
