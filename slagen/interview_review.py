"""The end of the interview: review screen, changes and their dependants, final check.

After the last question every section is summarised and the person may go
back to one.  Going back asks that section's questions again, with the
current answers offered; then every question elsewhere whose `when`,
`default` or `choices` reads an answer that changed is asked again too (a
default computed from the customer's name should not silently keep the old
name).  References are found in the Jinja syntax tree of those expressions,
so the question file needs no hand-kept dependency lists.

The finished data is checked with `validate_agreement` and the quality rules
— the same as `slagen check` — and a problem sends the person back to the
section that holds it.
"""

from __future__ import annotations

import copy
import dataclasses
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from jinja2 import nodes as jn

from .answers import Key, format_key, get
from .errors import Diagnostic, InputError
from .interview_file import agreement_text
from .prompter import Prompt
from .questions import Group, Node, Question, is_template

if TYPE_CHECKING:
    from .interview import Interview

__all__ = ["FINAL_HEADER", "ReviewMixin", "changed_paths", "instances", "references"]

FINAL_HEADER = "Service level agreement written with 'slagen interview'.\n" \
               "Check it with 'slagen check', build the documents with 'slagen build'."
_RELATIVE = {"item", "parent", "index", "kinds", "today", "next_month", "loop"}
_SAVE = "__save__"


def instances(nodes: list[Node], data: Any, base: Key = ()) -> Iterator[tuple[Node, Key]]:
    """Every question and group of `nodes` with the base path it applies at, for `data`."""
    for node in nodes:
        yield node, base
        if isinstance(node, Group):
            gpath = (*base, *node.path)
            if node.is_list:
                items = get(data, gpath)
                for i in range(len(items) if isinstance(items, list) else 0):
                    yield from instances(list(node.items), data, (*gpath, i))
            else:
                yield from instances(list(node.items), data, gpath)


def changed_paths(before: Any, after: Any, path: tuple[str, ...] = ()) -> set[tuple[str, ...]]:
    """Field paths (list positions left out) whose values differ."""
    if isinstance(before, dict) and isinstance(after, dict):
        out: set[tuple[str, ...]] = set()
        for key in {*before, *after}:
            out |= changed_paths(before.get(key), after.get(key), (*path, str(key)))
        return out
    if isinstance(before, list) and isinstance(after, list) and len(before) == len(after):
        return set().union(*(changed_paths(b, a, path) for b, a in zip(before, after,
                                                                         strict=True)))
    return {path} if before != after else set()


def references(env: Any, node: Node) -> set[tuple[str, ...]]:
    """Answers a node's expressions read, as field paths (`agreement.kind`, `tiers`)."""
    texts: list[tuple[str, bool]] = []
    for name in ("when", "each"):
        if getattr(node, name, None):
            texts.append((getattr(node, name), False))
    if isinstance(node, Question):
        if isinstance(node.choices, str):
            texts.append((node.choices, False))
        texts += [(t, True) for t in (node.default, node.message) if is_template(t)]
    else:
        texts += [(t, True) for t in (node.optional, node.add_first) if is_template(t)]
    found: set[tuple[str, ...]] = set()
    for text, template in texts:
        tree = env.parse(text if template else "{{ " + text + " }}")
        inner = {id(n.node) for n in tree.find_all((jn.Getattr, jn.Getitem))}
        for ast in tree.find_all((jn.Getattr, jn.Getitem, jn.Name)):
            chain = _chain(ast)
            if chain and id(ast) not in inner:
                found.add(("services",) if chain[0] in ("metric_refs", "metrics") else chain)
    return {r for r in found if r[0] not in _RELATIVE}


def _chain(ast: Any) -> tuple[str, ...] | None:
    if isinstance(ast, jn.Name):
        return (ast.name,)
    if isinstance(ast, jn.Getattr):
        head = _chain(ast.node)
        return None if head is None else (*head, ast.attr)
    if isinstance(ast, jn.Getitem) and isinstance(ast.arg, jn.Const) and \
            isinstance(ast.arg.value, str):
        head = _chain(ast.node)
        return None if head is None else (*head, ast.arg.value)
    return None


class ReviewMixin:
    """Review, re-asking and the final check, for `Interview`."""

    def run(self: Interview) -> dict:
        """Ask what is missing, review, check; return the finished agreement (file form)."""
        self.save()
        while True:
            self.walk()
            if self.review_enabled and (self.asked or self.progress.status == "review"):
                self.progress.status = "review"
                self.save()
                chosen = self.review_screen()
                if chosen is not None:
                    self.reask(chosen)
                    continue
            problems = self.problems()
            if not problems:
                return self.file_data()
            for problem in problems:
                self.prompter.say(problem.format(), "error")
            if self.dry or self.accept_defaults or not self.review_enabled:
                name = self.display_name
                raise InputError(diagnostics=[*problems, Diagnostic(
                    name, 0, 0, "", "the agreement is not finished: the answers are saved, "
                    "fix the values above and finish with: slagen interview --resume "
                    f"{name}", "interview.unfinished")])
            section = self.section_of(problems[0])
            self.prompter.say(f"Back to {self.spec.section(section).title} to fix this.",
                              "warning")
            self.reask(section)

    def summary(self: Interview, section_id: str) -> str:
        section = self.spec.section(section_id)
        if section.summary:
            try:
                return self.render(section.summary, self.root, section) or "(nothing yet)"
            except InputError:
                pass
        count = sum(1 for node, base in instances(list(section.items), self.data)
                    if isinstance(node, Question) and get(self.data, (*base, *node.path))
                    is not None)
        return f"{count} answers"

    def review_screen(self: Interview) -> str | None:
        self.prompter.say("")
        self.prompter.say("Review: your agreement, section by section", "heading")
        for section in self.spec.sections:
            self.prompter.say(f"  {section.title}: {self.summary(section.id)}")
        choices = ((_SAVE, "Everything is right: check and save"),
                   *((s.id, f"Change {s.title}") for s in self.spec.sections))
        self.mark_next(("review",))
        answer = self.ask(Prompt("select", "What next?", "review", "review", "", _SAVE,
                                 choices))
        return None if answer in (_SAVE, None) else str(answer)

    def reask(self: Interview, section_id: str) -> None:
        """Ask a section again, then whatever elsewhere depends on what changed."""
        section = self.spec.section(section_id)
        before = copy.deepcopy(self.data)
        self.mark_stale(list(section.items))
        tops = {(*b, *n.path)[:1] for n, b in instances(list(section.items), self.data)
                if n.path}
        self.progress.sealed = {k for k in self.progress.sealed if k[:1] not in tops}
        self.progress.status = "asking"
        self.walk(section.items)
        changed = changed_paths(before, self.data)
        if changed:
            depends = {n.id for n, _ in instances(self.nodes, self.data)
                       if n.section != section_id and any(
                           c[:len(r)] == r or r[:len(c)] == c
                           for r in references(self.env, n) for c in changed)}
            self.mark_stale([n for n in self.nodes], only=depends)
            self.fresh_defaults |= {
                (*b, *n.path) for n, b in instances(self.nodes, self.data)
                if isinstance(n, Question) and n.id in depends and is_template(n.default)}
        self.save()

    def mark_stale(self: Interview, nodes: list[Node], only: set[str] | None = None) -> None:
        progress = self.progress
        for node, base in instances(nodes, self.data):
            if only is not None and node.id not in only:
                continue
            path = (*base, *node.path)
            if isinstance(node, Question):
                if path in progress.answered or get(self.data, path) is not None:
                    progress.stale.add(path)
                continue
            if node.optional is not None:
                progress.stale.add(self.decision_key(node, _scope_at(self, base)))
            if node.repeat:
                progress.stale.add((*path, "#more"))
                items = get(self.data, path)
                for i in range(len(items) if isinstance(items, list) else 0):
                    progress.stale.add((*path, i, "#keep"))

    def keep(self: Interview, g: Group, gpath: Key, index: int, scope: Any) -> bool:
        """On a second pass, each item of a repeatable group may be removed."""
        key = (*gpath, index, "#keep")
        if key not in self.progress.stale:
            return True
        self.progress.stale.discard(key)
        items = get(self.data, gpath)
        if self.accept_defaults or self.dry or len(items) <= g.minimum:
            return True
        item = items[index]
        first = next((n for n in g.items if isinstance(n, Question)), None)
        label = item.get(first.path[0]) if first is not None and isinstance(item, dict) else ""
        noun = g.id.rsplit(".", 1)[-1].rstrip("s").replace("_", " ")
        if self.confirm(key, f"Keep {noun} {index + 1}{f' ({label})' if label else ''}?", "",
                        True):
            return True
        del items[index]
        self.shift(gpath, index)
        self.save()
        return False

    def shift(self: Interview, gpath: Key, index: int) -> None:
        """Renumber progress keys after item `index` of the list at `gpath` is removed."""
        n = len(gpath)

        def moved(key: Key) -> Key | None:
            if key[:n] != gpath or len(key) <= n or not isinstance(key[n], int):
                return key
            if key[n] == index:
                return None
            return key if key[n] < index else (*gpath, key[n] - 1, *key[n + 1:])

        progress = self.progress
        for name in ("answered", "stale", "sealed"):
            setattr(progress, name, {m for k in getattr(progress, name)
                                     if (m := moved(k)) is not None})
        progress.decisions = {m: v for k, v in progress.decisions.items()
                              if (m := moved(k)) is not None}

    def problems(self: Interview) -> list[Diagnostic]:
        """What `slagen check` would report as errors for the finished file."""
        from .checks import run_checks
        from .load import load_agreement_text

        text = agreement_text(self.file_data(), FINAL_HEADER)
        try:
            loaded = load_agreement_text(text, self.display_name)
            found = [f for f in run_checks(loaded) if f.severity == "error"]
        except InputError as exc:
            found = exc.diagnostics
        # The finished file is not written yet: its line numbers would mislead.
        return [dataclasses.replace(f, line=0, column=0) for f in found]

    def section_of(self: Interview, problem: Diagnostic) -> str:
        """The section whose questions write the field a problem names (the longest match)."""
        def plain(text: str) -> str:
            return re.sub(r"\[[^\]]*\]", "", text).replace(".#", "#")

        wanted = plain(problem.path)
        if not wanted:
            found = re.search(r"field '([A-Za-z_]+)'", problem.message)
            wanted = found.group(1) if found else ""
        best, score = self.spec.sections[0].id, -1
        for section in self.spec.sections:
            for node, base in instances(list(section.items), self.data):
                if not node.path:
                    continue
                field = plain(format_key((*base, *node.path)))
                if (wanted == field or wanted.startswith(field + ".")) and len(field) > score:
                    best, score = section.id, len(field)
        return best

    @property
    def display_name(self: Interview) -> str:
        return getattr(self, "path_name", "") or "<interview>"


def _scope_at(interview: Interview, base: Key) -> Any:
    from .interview_groups import Scope

    return Scope(base, None)
