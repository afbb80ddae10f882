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
answer it names (or, failing that, the section that holds the field).
"""

from __future__ import annotations

import copy
import dataclasses
import re
from typing import TYPE_CHECKING, Any

from .answers import Key, format_key, get
from .errors import Diagnostic, InputError
from .interview_file import agreement_text
from .interview_places import changed_paths, instances, labelled, references
from .prompter import Prompt
from .questions import Group, Node, Question, is_template

if TYPE_CHECKING:
    from .interview import Interview

__all__ = ["FINAL_HEADER", "ReviewMixin"]

FINAL_HEADER = "Service level agreement written with 'slagen interview'.\n" \
               "Check it with 'slagen check', build the documents with 'slagen build'."
_SAVE = "__save__"


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
            self.back_to(problems)

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

    def back_to(self: Interview, problems: list[Diagnostic]) -> None:
        """Ask again what the first problem names: that answer or block if it is known,
        else the section that holds the field.  The review screen follows, for changes
        elsewhere (a budget in a team rather than the target, say)."""
        problem, asked = problems[0], self.asked
        places = self.places_of(problem)
        if places:
            title = self.spec.section(places[0][0].section).title
            self.prompter.say(f"Back to {title}, {places[0][2]}, to fix this.", "warning")
            for node, base, _ in places:  # twins: the same field asked in different cases
                self.mark_stale([node], at=base)
            self.progress.status = "asking"
            self.walk()
        if self.asked == asked:
            section = self.section_of(problem)
            self.prompter.say(f"Back to {self.spec.section(section).title} to fix this.",
                              "warning")
            self.reask(section)
        if self.asked == asked:  # nothing to ask could fix it: stop rather than loop
            raise InputError(diagnostics=problems)

    def places_of(self: Interview, problem: Diagnostic) -> list[tuple[Node, Key, str]]:
        """The answers or blocks with the longest file path that contains the problem's."""
        found: list[tuple[Node, Key, str]] = []
        for node, base, label in labelled(self.nodes, self.data):
            inside = problem.path == label or problem.path.startswith((label + ".",
                                                                        label + "["))
            if not label or not inside or (found and len(label) < len(found[0][2])):
                continue
            if found and len(label) > len(found[0][2]):
                found = []
            found.append((node, base, label))
        return found

    def mark_stale(self: Interview, nodes: list[Node], only: set[str] | None = None,
                   at: Key = ()) -> None:
        progress = self.progress
        for node, base in instances(nodes, self.data, at):
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
