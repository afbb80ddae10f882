"""Reading a question file: every entry checked, every problem located.

An organisation's question file is input like an agreement file, so a
mistake in it is reported the same way — `file:line:col: error: ...` — and
all at once: unknown keys, types and validators, Jinja that does not parse,
repeatable groups without a path, keyed groups whose key is not asked first.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from jinja2 import TemplateSyntaxError

from .answer_types import TYPES, VALIDATORS
from .errors import Diagnostic
from .questions import (
    CONTEXTS,
    FORMAT,
    Group,
    Node,
    Question,
    QuestionSpec,
    Section,
    expression_environment,
    is_template,
    slug,
)
from .yamlsrc import Path_, SourceMap

__all__ = ["Reader"]

_QUESTION_KEYS = {"id", "path", "type", "message", "help", "choices", "default", "placeholder",
                  "when", "validate", "required", "ask", "context", "min", "max", "item_type"}
_GROUP_KEYS = {"group", "path", "items", "repeat", "each", "key", "value", "shorthand",
               "optional", "when", "min", "max", "item_message", "add_first", "add_another",
               "help", "like"}
_SECTION_KEYS = {"section", "id", "summary", "items"}


class Reader:
    """Builds a `QuestionSpec` from a question file's data, collecting problems."""

    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.problems: list[Diagnostic] = []
        self.env = expression_environment()
        self.ids: dict[str, Path_] = {}
        self.groups: dict[str, Group] = {}

    def problem(self, where: Path_, message: str, hint: str = "") -> None:
        self.problems.append(self.source.diagnostic(where, message, "questions.invalid", hint))

    def line(self, where: Path_) -> int:
        return self.source.locate(where)[0]

    def spec(self, data: Any) -> QuestionSpec:
        if not isinstance(data, dict) or data.get("questions") != FORMAT:
            self.problem((), "a question file starts with 'questions: 1'")
            return QuestionSpec(self.source.file, ())
        sections = data.get("sections")
        if not isinstance(sections, list) or not sections:
            self.problem(("sections",), "expected a list of sections")
            return QuestionSpec(self.source.file, ())
        built = [self.section(raw, ("sections", i)) for i, raw in enumerate(sections)]
        return QuestionSpec(self.source.file, tuple(s for s in built if s is not None))

    def section(self, raw: Any, where: Path_) -> Section | None:
        if not isinstance(raw, dict) or not isinstance(raw.get("section"), str):
            self.problem(where, "a section needs a title: 'section: Parties'")
            return None
        self.unknown(raw, _SECTION_KEYS, where)
        title = raw["section"]
        section_id = str(raw.get("id") or slug(title).lower())
        self.template(raw.get("summary"), (*where, "summary"))
        items = self.items(raw.get("items"), (*where, "items"), section_id, ())
        return Section(section_id, title, items, str(raw.get("summary") or ""), self.line(where))

    def unknown(self, raw: dict, allowed: set[str], where: Path_) -> None:
        for key in raw:
            if key not in allowed:
                self.problem((*where, key), f"unknown key '{key}'",
                             "allowed here: " + ", ".join(sorted(allowed)))

    def items(self, raw: Any, where: Path_, section: str, scope: tuple[str, ...]
              ) -> tuple[Node, ...]:
        if not isinstance(raw, list) or not raw:
            self.problem(where, "expected a list of questions ('items:')")
            return ()
        out: list[Node] = []
        for i, item in enumerate(raw):
            at = (*where, i)
            if not isinstance(item, dict):
                self.problem(at, "expected a question or a group (a mapping)")
            elif "group" in item:
                group = self.group(item, at, section, scope)
                if group is not None:
                    out.append(group)
            else:
                question = self.question(item, at, section, scope)
                if question is not None:
                    out.append(question)
        return tuple(out)

    def dotted(self, value: Any, where: Path_) -> tuple[str, ...] | None:
        if value == ".":
            return ()
        if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*",
                                                          value):
            self.problem(where, f"{value!r} is not a dotted path such as parties.provider.name")
            return None
        return tuple(value.split("."))

    def register(self, full_id: str, where: Path_) -> None:
        if full_id in self.ids:
            self.problem(where, f"id '{full_id}' is used twice (also line "
                                f"{self.line(self.ids[full_id])})")
        self.ids[full_id] = where

    def question(self, raw: dict, where: Path_, section: str, scope: tuple[str, ...]
                 ) -> Question | None:
        self.unknown(raw, _QUESTION_KEYS, where)
        path = self.dotted(raw.get("path"), (*where, "path"))
        kind = raw.get("type", "text")
        if kind not in TYPES:
            self.problem((*where, "type"), f"unknown type '{kind}'",
                         "types: " + ", ".join(sorted(TYPES)))
        for key in ("validate",):
            if raw.get(key) is not None and raw[key] not in VALIDATORS:
                self.problem((*where, key), f"unknown validator '{raw[key]}'",
                             "validators: " + ", ".join(sorted(VALIDATORS)))
        if raw.get("item_type") is not None and raw["item_type"] not in TYPES:
            self.problem((*where, "item_type"), f"unknown type '{raw['item_type']}'")
        if raw.get("context") is not None and raw["context"] not in CONTEXTS:
            self.problem((*where, "context"), f"unknown context '{raw['context']}'",
                         "contexts: " + ", ".join(sorted(CONTEXTS)))
        if not isinstance(raw.get("message"), str):
            self.problem(where, "a question needs a 'message'")
        choices = self.choices(raw.get("choices"), (*where, "choices"), kind)
        for key in ("when",):
            self.expression(raw.get(key), (*where, key))
        for key in ("default", "message", "placeholder"):
            self.template(raw.get(key), (*where, key))
        if path is None or not path:
            if path == ():
                self.problem((*where, "path"), "a question needs a path of its own")
            return None
        local_id = str(raw.get("id") or ".".join(path))
        full_id = ".".join((*scope, local_id))
        self.register(full_id, where)
        return Question(
            id=full_id, path=path, type=kind, message=str(raw.get("message", "")),
            help=str(raw.get("help") or ""), choices=choices, default=raw.get("default"),
            placeholder=str(raw.get("placeholder") or ""), when=raw.get("when"),
            validate=raw.get("validate"), required=raw.get("required", True) is True,
            ask=raw.get("ask", True) is not False, context=raw.get("context"),
            minimum=raw.get("min"), maximum=raw.get("max"), item_type=raw.get("item_type"),
            section=section, line=self.line(where))

    def choices(self, raw: Any, where: Path_, kind: str) -> Any:
        if kind in ("select", "checkbox") and raw is None:
            self.problem(where, f"a {kind} question needs 'choices'")
            return None
        if raw is None or isinstance(raw, str):
            self.expression(raw, where)
            return raw
        if not isinstance(raw, list):
            self.problem(where, "choices are a list, or an expression giving a list")
            return None
        out = []
        for i, item in enumerate(raw):
            if isinstance(item, dict) and "value" in item:
                out.append((item["value"], str(item.get("title", item["value"]))))
            elif isinstance(item, str | int | bool):
                out.append((item, str(item)))
            else:
                self.problem((*where, i), "a choice is a value or {value: ..., title: ...}")
        return tuple(out)

    def expression(self, text: Any, where: Path_) -> None:
        if text is None:
            return
        if not isinstance(text, str):
            self.problem(where, "expected an expression (text)")
            return
        try:
            self.env.compile_expression(text)
        except TemplateSyntaxError as exc:
            self.problem(where, f"expression does not parse: {exc.message}")

    def template(self, text: Any, where: Path_) -> None:
        if is_template(text):
            try:
                self.env.from_string(text)
            except TemplateSyntaxError as exc:
                self.problem(where, f"template does not parse: {exc.message}")

    def group(self, raw: dict, where: Path_, section: str, scope: tuple[str, ...]
              ) -> Group | None:
        self.unknown(raw, _GROUP_KEYS, where)
        group_id = str(raw["group"])
        path = self.dotted(raw.get("path", group_id), (*where, "path"))
        for key in ("when", "each"):
            self.expression(raw.get(key), (*where, key))
        for key in ("item_message", "add_first", "add_another", "optional"):
            self.template(raw.get(key), (*where, key))
        inner = (*scope, group_id)
        if "like" in raw:
            items = self.like(raw, where, section, inner)
        else:
            items = self.items(raw.get("items"), (*where, "items"), section, inner)
        if path is None:
            return None
        group = Group(
            id=".".join(inner), path=path, items=items, repeat=raw.get("repeat") is True,
            each=raw.get("each"), key=raw.get("key"), value=raw.get("value"),
            shorthand=raw.get("shorthand"), optional=raw.get("optional"), when=raw.get("when"),
            minimum=int(raw.get("min", 0)), maximum=raw.get("max"),
            item_message=str(raw.get("item_message") or ""),
            add_first=str(raw.get("add_first") or ""),
            add_another=str(raw.get("add_another") or ""), help=str(raw.get("help") or ""),
            section=section, line=self.line(where))
        self.check_group(group, where)
        self.groups[group_id] = group
        return group

    def like(self, raw: dict, where: Path_, section: str, scope: tuple[str, ...]
             ) -> tuple[Node, ...]:
        """`like: teams` reuses another group's questions (plus its own `items`)."""
        other = self.groups.get(str(raw["like"]))
        if other is None:
            self.problem((*where, "like"), f"no earlier group '{raw['like']}' to copy")
            return ()
        extra = self.items(raw["items"], (*where, "items"), section, scope) \
            if raw.get("items") else ()
        return tuple(_rescope(node, other.id, ".".join(scope), section)
                     for node in other.items) + extra

    def check_group(self, group: Group, where: Path_) -> None:
        if group.repeat and group.each:
            self.problem(where, "a group repeats by asking ('repeat') or over a list ('each'), "
                                "not both")
        if group.is_list and not group.path:
            self.problem((*where, "path"), "a repeatable group needs a path for its list")
        if group.optional and group.is_list:
            self.problem((*where, "optional"), "'optional' is for blocks; a repeatable group "
                                               "asks 'add_first' instead")
        if (group.key or group.value) and not group.is_list:
            self.problem(where, "'key' and 'value' only apply to repeatable groups")
        if group.each and not group.key:
            self.problem(where, "a group with 'each' needs 'key' (the field that holds the item)")
        names = {n.path[0] for n in group.items if isinstance(n, Question)}
        if group.key and group.repeat:
            first = group.items[0] if group.items else None
            if not isinstance(first, Question) or first.path != (group.key,):
                self.problem(where, f"the key question '{group.key}' must come first")
        if group.value and group.value not in names:
            self.problem((*where, "value"), f"no question '{group.value}' in this group")


def _rescope(node: Node, old: str, new: str, section: str) -> Node:
    new_id = new + node.id[len(old):]
    if isinstance(node, Question):
        return replace(node, id=new_id, section=section)
    return replace(node, id=new_id, section=section,
                   items=tuple(_rescope(n, old, new, section) for n in node.items))
