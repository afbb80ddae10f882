"""Groups in the interview: optional blocks, repeatable lists, lists that follow a list.

A group's decisions are answers too, and are kept the same way: "include the
credits block?" is recorded as a decision, "add another service?" as an item
appended (or, for the last "no", a decision), so an interrupted interview
resumes at the same group with the same items.  Where the answers came
complete from `--answers`, a block or list that is absent stays absent and a
list that is present is not extended, so nothing is asked that the file
already settled.  Each item is walked with the profile's item at the same
position (or, for `each` groups such as per-tier targets, with the same key)
as the source of its defaults.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .answers import Key, delete, format_key, get, put
from .prompter import Prompt
from .questions import Group
from .records import record

if TYPE_CHECKING:
    from .interview import Interview

__all__ = ["GroupsMixin", "Scope"]


@record
class Scope:
    """Where the walk is: the object answers go into, the profile's counterpart, the item."""

    base: Key
    profile: Any
    parent: Scope | None = None
    index: int = 0


class GroupsMixin:
    """Optional blocks, repeatable and keyed lists, for `Interview`."""

    def _group(self: Interview, g: Group, scope: Scope) -> None:
        gpath = (*scope.base, *g.path)
        if not self._true(g.when, scope, g):
            self.drop_group(g, scope)
            return
        if g.optional is not None and not self._include(g, scope):
            return
        if g.is_list:
            self._list(g, gpath, scope)
        elif g.path:
            profile = get(scope.profile, g.path) if isinstance(scope.profile, dict) else None
            self.walk_nodes(list(g.items), Scope(gpath, profile, scope, scope.index))
        else:
            self.walk_nodes(list(g.items), scope)

    def decision_key(self: Interview, g: Group, scope: Scope) -> Key:
        if g.path:
            return (*scope.base, *g.path, "?")
        return (*scope.base, "~" + g.id.rsplit(".", 1)[-1], "?")

    @staticmethod
    def group_present(g: Group, obj: Any) -> bool:
        """Whether `obj` (the object the group's answers go into) holds any of them."""
        if not isinstance(obj, dict):
            return False
        if g.path:
            return get(obj, g.path) is not None
        return any(get(obj, n.path) is not None for n in g.items if n.path)

    def drop_group(self: Interview, g: Group, scope: Scope, *, answered_only: bool = True) -> None:
        """Remove a group's answers: those given in this interview, or all of them."""
        paths = [(*scope.base, *g.path)] if g.path else \
            [(*scope.base, *n.path) for n in g.items if n.path]
        key = self.decision_key(g, scope)
        for path in paths:
            if not answered_only or key in self.progress.answered or any(
                    k[:len(path)] == path for k in self.progress.answered):
                delete(self.data, path)
            self.forget(path)
        self.progress.answered.discard(key)

    def forget(self: Interview, prefix: Key) -> None:
        """Drop progress under `prefix` (its answers are gone)."""
        for keys in (self.progress.answered, self.progress.stale, self.progress.sealed):
            keys.difference_update({k for k in keys if k[:len(prefix)] == prefix})
        for key in [k for k in self.progress.decisions if k[:len(prefix)] == prefix]:
            del self.progress.decisions[key]

    def _include(self: Interview, g: Group, scope: Scope) -> bool:
        key = self.decision_key(g, scope)
        present = self.group_present(g, get(self.data, scope.base) if scope.base else self.data)
        stale = key in self.progress.stale
        if key in self.progress.answered and not stale:
            return present or self.progress.decisions.get(key, False)
        place = (*scope.base, *g.path) if g.path else (*scope.base, "?")
        if not stale and (present or self.sealed(place)):
            self._decide(key, present)
            return present
        default = present if stale else self.group_present(g, scope.profile)
        answer = self.confirm(key, self.render(g.optional or "", scope, g), g.help, default)
        self._decide(key, answer)
        if answer and g.path and not present:
            put(self.data, (*scope.base, *g.path), {})
        if not answer:
            self.drop_group(g, scope, answered_only=False)
            self._decide(key, False)
        self.save(typed=not self.accept_defaults)
        return answer

    def _decide(self: Interview, key: Key, value: bool) -> None:
        self.progress.answered.add(key)
        self.progress.decisions[key] = value
        self.progress.stale.discard(key)

    def confirm(self: Interview, key: Key, message: str, help_text: str, default: bool) -> bool:
        if self.accept_defaults:
            return default
        if self.dry:
            self.would_ask.append((format_key(key), message))
            return default
        self.flush_headings()
        self.mark_next(key)
        return bool(self.ask(Prompt("confirm", message, format_key(key), "", help_text,
                                    default)))

    def _list(self: Interview, g: Group, gpath: Key, scope: Scope) -> None:
        profiles = get(scope.profile, g.path) if isinstance(scope.profile, dict) else None
        profiles = profiles if isinstance(profiles, list) else []
        if g.each is not None:
            self._align(g, gpath, scope)
        index = 0
        while True:
            items = get(self.data, gpath)
            items = items if isinstance(items, list) else []
            if index < len(items):
                if self.keep(g, gpath, index, scope):
                    self._item(g, gpath, index, scope, profiles)
                    index += 1
                continue
            if g.each is not None or (g.maximum is not None and len(items) >= g.maximum):
                return
            if len(items) >= g.minimum and not self._more(g, gpath, scope, len(profiles)):
                return
            put(self.data, gpath, [*items, {}])
            self.save(typed=not self.accept_defaults)

    def _align(self: Interview, g: Group, gpath: Key, scope: Scope) -> None:
        """`each` groups follow their list (e.g. one target per tier), matched by key."""
        keys = [str(k) for k in self.evaluate(g.each or "", scope, g) or []]
        items = get(self.data, gpath)
        items = [i for i in items if isinstance(i, dict)] if isinstance(items, list) else []
        if [str(i.get(g.key)) for i in items] == keys:
            return
        if not keys:
            delete(self.data, gpath)
            self.forget(gpath)
            return
        by_key = {str(i.get(g.key)): i for i in items}
        put(self.data, gpath, [by_key.get(k, {g.key: k}) for k in keys])
        self.forget(gpath)

    def _item(self: Interview, g: Group, gpath: Key, index: int, scope: Scope,
              profiles: list) -> None:
        item = get(self.data, (*gpath, index))
        if g.each is not None:
            profile = next((p for p in profiles if isinstance(p, dict)
                            and str(p.get(g.key)) == str(item.get(g.key))), None)
        else:
            profile = profiles[index] if index < len(profiles) else None
        inner = Scope((*gpath, index), profile, scope, index + 1)
        self._headings.append(self.render(g.item_message, inner, g) if g.item_message else "")
        try:
            self.walk_nodes(list(g.items), inner)
        finally:
            self._headings.pop()

    def _more(self: Interview, g: Group, gpath: Key, scope: Scope, offered: int) -> bool:
        key = (*gpath, "#more")
        count = len(get(self.data, gpath) or [])
        stale = key in self.progress.stale
        if key in self.progress.answered and not stale:
            return False
        if not stale and (gpath in self.progress.sealed or self.sealed(gpath)):
            self._decide(key, False)
            return False
        inner = Scope(gpath, None, scope, count)
        message = g.add_first if count == 0 and g.add_first else \
            (g.add_another or f"Add another ({g.id})?")
        answer = self.confirm(key, self.render(message, inner, g), g.help if count == 0
                              else "", count < offered and not stale)
        if answer:
            self.progress.answered.discard(key)
            self.progress.stale.discard(key)
        else:
            self._decide(key, False)
            self.save(typed=not self.accept_defaults)
        return answer
