"""The interview's questions, loaded from a question file (`templates/questions.yaml`).

Questions are data so that a new field of the agreement format is a new entry
in the file, and an organisation can ship its own file (`--questions`).  A
file is checked completely when it loads — unknown keys, types and validators,
Jinja syntax, group rules — and every problem is reported in compiler form
with its line, like an agreement file.  See `docs` in the file's header for
the format; in short:

    questions: 1
    sections:
      - section: Parties              # title on the review screen
        id: parties
        summary: "{{ parties.provider.name }} and {{ parties.customer.name }}"
        items:
          - {path: parties.provider.name, type: text, message: Provider's legal name}
          - group: signatories          # a repeatable group: a list in the agreement
            path: parties.provider.signatories
            repeat: true
            min: 1
            add_another: Add another signatory for the provider?
            items:
              - {path: name, type: text, message: Name}

Expressions (`when`, `each`, dynamic `choices`) and templates (`default`,
`message`, `summary`, `item_message` containing `{{`) run in slagen's sandbox
(`templating.clause_environment`) over the answers so far.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from .errors import InputError
from .records import record
from .templating import clause_environment
from .yamlsrc import load_yaml_file

__all__ = ["Group", "Node", "Question", "QuestionSpec", "Section", "expression_environment",
           "is_template", "load_questions", "slug"]

FORMAT = 1
CONTEXTS = frozenset({"downtime", "clock"})


@record
class Question:
    """One answer: where it goes, how it is asked, when, and how it is checked."""

    id: str
    path: tuple[str, ...]
    type: str
    message: str
    help: str = ""
    choices: tuple[tuple[Any, str], ...] | str | None = None
    default: Any = None
    placeholder: str = ""
    when: str | None = None
    validate: str | None = None
    required: bool = True
    ask: bool = True
    context: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    item_type: str | None = None
    section: str = ""
    line: int = 0


@record
class Group:
    """Questions that share a place: a block, an optional block or a repeatable list."""

    id: str
    path: tuple[str, ...]
    items: tuple[Node, ...]
    repeat: bool = False
    each: str | None = None
    key: str | None = None
    value: str | None = None
    shorthand: str | None = None
    optional: str | None = None
    when: str | None = None
    minimum: int = 0
    maximum: int | None = None
    item_message: str = ""
    add_first: str = ""
    add_another: str = ""
    help: str = ""
    section: str = ""
    line: int = 0

    @property
    def is_list(self) -> bool:
        return self.repeat or self.each is not None


Node = Question | Group


@record
class Section:
    id: str
    title: str
    items: tuple[Node, ...]
    summary: str = ""
    line: int = 0


@record
class QuestionSpec:
    file: str
    sections: tuple[Section, ...]

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)


def is_template(text: Any) -> bool:
    return isinstance(text, str) and ("{{" in text or "{%" in text)


def slug(text: Any) -> str:
    """`Acme Retail Ltd` -> `ACME-RETAIL-LTD`: a readable identifier."""
    return re.sub(r"[^A-Za-z0-9]+", "-", str(text)).strip("-").upper()


def _term_end(start: Any, years: int = 1) -> str:
    """Last day of a term of `years` starting on `start` (ISO dates)."""
    try:
        begin = dt.date.fromisoformat(str(start))
    except ValueError:
        return ""
    try:
        after = begin.replace(year=begin.year + int(years))
    except ValueError:  # 29 February
        after = begin.replace(year=begin.year + int(years), day=28)
    return (after - dt.timedelta(days=1)).isoformat()


def expression_environment() -> Any:
    """The clause sandbox plus two small filters the interview's defaults use."""
    env = clause_environment()
    env.filters.update({"slug": slug, "term_end": _term_end})
    return env


def load_questions(path: Path) -> QuestionSpec:
    """Load and check a question file; raise `InputError` listing every problem."""
    from .questions_reader import Reader

    data, source, _ = load_yaml_file(Path(path))
    reader = Reader(source)
    spec = reader.spec(data)
    if reader.problems:
        raise InputError(diagnostics=reader.problems)
    return spec
