"""Negotiation rules: statuses and their transitions, rounds, and planned updates.

Pure functions over the agreement file's raw data: a `Change` (what someone
asks for, from a workbook row or `negotiate propose`) becomes an `Update`
(which keys of one `negotiation` entry to set or delete, and the round to
append) or a list of problems.  The same `Update` is applied to a plain copy
for validation and to the comment-keeping YAML document for writing, through
an `Editor`, so what is checked is exactly what is written.

Status transitions (a status may always stay as it is):

    open       → proposed, countered, agreed, withdrawn, parked, escalated
    proposed   → countered, agreed, withdrawn, parked, escalated
    countered  → proposed, agreed, withdrawn, parked, escalated
    escalated  → proposed, countered, agreed, withdrawn, parked
    parked     → open, proposed, countered, escalated, withdrawn
    agreed     → open        (reopening; the agreed value goes into the history)
    withdrawn  → open
"""

from __future__ import annotations

import datetime as dt
from collections.abc import MutableMapping
from dataclasses import field
from typing import Any, Protocol

from .positions import TermInfo, yaml_value
from .records import record
from .units import UnitError

__all__ = ["PLAIN", "STATUSES", "TRANSITIONS", "Change", "Editor", "Problem", "Update",
           "apply_update", "find_entry", "next_status", "plan_change", "transition_problem"]

STATUSES = ("open", "proposed", "countered", "agreed", "withdrawn", "parked", "escalated")
PARTIES = ("customer", "provider")
_TALKING = frozenset({"proposed", "countered", "agreed", "withdrawn", "parked", "escalated"})
TRANSITIONS: dict[str, frozenset[str]] = {
    "open": _TALKING,
    "proposed": _TALKING - {"proposed"},
    "countered": _TALKING - {"countered"},
    "escalated": _TALKING - {"escalated"},
    "parked": frozenset({"open", "proposed", "countered", "escalated", "withdrawn"}),
    "agreed": frozenset({"open"}),
    "withdrawn": frozenset({"open"}),
}
# Key order of a negotiation entry, as in the model (new keys are inserted in place).
ENTRY_ORDER = ("term", "status", "customer", "provider", "proposal", "agreed", "standard",
               "owner", "rationale", "history")
ROUND_ORDER = ("by", "value", "date", "note")

Problem = tuple[str, str]  # (field the problem is about, message)


@record
class Change:
    """What someone asks for; None leaves a field as it is, "" clears `agreed`."""

    date: dt.date
    proposal: str | None = None
    agreed: str | None = None
    status: str | None = None
    owner: str | None = None
    rationale: str | None = None
    by: str | None = None
    note: str = ""
    reopen: bool = False


@record
class Update:
    """Edits to one `negotiation` entry (index None: a new entry for `term`)."""

    term: str
    index: int | None
    set: dict[str, Any] = field(default_factory=dict)
    delete: tuple[str, ...] = ()
    round: dict[str, Any] | None = None
    summary: tuple[str, ...] = ()


class Editor(Protocol):
    """How an update touches a document: plain dicts, or ruamel's commented nodes."""

    def set(self, mapping: Any, key: str, value: Any) -> None: ...
    def delete(self, mapping: Any, key: str) -> None: ...
    def append(self, sequence: Any, item: Any) -> None: ...
    def new_map(self, items: dict[str, Any]) -> Any: ...
    def new_seq(self) -> Any: ...


class _PlainEditor:
    def set(self, mapping: Any, key: str, value: Any) -> None:
        mapping[key] = value

    def delete(self, mapping: Any, key: str) -> None:
        mapping.pop(key, None)

    def append(self, sequence: Any, item: Any) -> None:
        sequence.append(item)

    def new_map(self, items: dict[str, Any]) -> Any:
        return dict(items)

    def new_seq(self) -> Any:
        return []


PLAIN: Editor = _PlainEditor()


def transition_problem(old: str, new: str) -> str | None:
    """Why `old` → `new` is impossible, or None if allowed."""
    if new not in STATUSES:
        return f"'{new}' is not a status; choose one of: {', '.join(STATUSES)}"
    if new == old or new in TRANSITIONS.get(old, frozenset()):
        return None
    allowed = [s for s in STATUSES if s in TRANSITIONS.get(old, frozenset())]
    if old in ("agreed", "withdrawn"):
        return (f"cannot go from '{old}' to '{new}': an {old} term must be reopened first "
                "(set its status to open, then propose again)")
    return f"cannot go from '{old}' to '{new}'; from '{old}' a term can go to: " \
           f"{', '.join(allowed)}"


def next_status(entry: dict, by: str) -> str:
    """A new proposal counters the other party's last round, else it is a proposal."""
    history = entry.get("history") or []
    last = history[-1].get("by") if history and isinstance(history[-1], dict) else None
    return "countered" if last in PARTIES and last != by else "proposed"


def find_entry(data: Any, term: str) -> tuple[int | None, dict]:
    """(index, entry) of `term` in the negotiation list; (None, {}) if not there."""
    terms = data.get("negotiation") if isinstance(data, dict) else None
    for index, entry in enumerate(terms or []):
        if isinstance(entry, dict) and entry.get("term") == term:
            return index, entry
    return None, {}


def _text(value: Any) -> str | None:
    return None if value is None or str(value).strip() == "" else str(value).strip()


def plan_change(entry: dict, index: int | None, term: str, change: Change,
                info: TermInfo) -> tuple[Update | None, list[Problem]]:
    """Check a change against the rules and turn it into an update."""
    old_status = str(entry.get("status") or "open")
    problems, values = _parse_values(change, info)
    status = _new_status(entry, change, old_status)
    reopening = old_status in ("agreed", "withdrawn") and status != old_status
    problems += _status_problems(entry, change, old_status, status, reopening)
    moved = status != old_status or bool(change.proposal) or change.agreed is not None
    if moved and change.by not in PARTIES:
        problems.append(("by", "say who made this change: customer or provider"))
    if problems:
        return None, problems
    return _update(entry, index, term, change, values, old_status, status, reopening), []


def _parse_values(change: Change, info: TermInfo) -> tuple[list[Problem], dict[str, Any]]:
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for name in ("proposal", "agreed"):
        text = getattr(change, name)
        if not text:
            continue
        try:
            values[name] = yaml_value(info, text)
        except UnitError as exc:
            problems.append((name, str(exc)))
    return problems, values


def _new_status(entry: dict, change: Change, old_status: str) -> str:
    if change.status:
        return change.status.strip()
    if change.proposal and old_status not in ("agreed", "withdrawn") and change.by in PARTIES:
        return next_status(entry, change.by)
    if change.proposal and change.reopen and change.by in PARTIES:
        return next_status(entry, change.by)
    return old_status


def _status_problems(entry: dict, change: Change, old: str, new: str,
                     reopening: bool) -> list[Problem]:
    via = "open" if reopening and change.reopen and new != "open" else old
    problem = transition_problem(via, new)
    out: list[Problem] = [("status", problem)] if problem else []
    agreed_after = change.agreed if change.agreed is not None else _text(entry.get("agreed"))
    if new == "agreed" and not agreed_after:
        on_table = _text(entry.get("proposal")) or change.proposal
        hint = f" (the proposal on the table is {on_table})" if on_table else ""
        out.append(("agreed", f"status 'agreed' needs an agreed value{hint}"))
    if new != "agreed" and change.agreed:
        out.append(("agreed", f"an agreed value needs status 'agreed' (the status is '{new}')"))
    if old == "agreed" and new == "agreed" and change.proposal and not change.agreed:
        out.append(("proposal", "the term is agreed: to make a new proposal, reopen it "
                    "(status open) first"))
    if new == "parked" and not (_text(change.owner) or _text(entry.get("owner"))):
        out.append(("owner", "a parked term needs an owner who will take it up again"))
    return out


def _update(entry: dict, index: int | None, term: str, change: Change, values: dict[str, Any],
            old_status: str, status: str, reopening: bool) -> Update:
    sets: dict[str, Any] = {}
    summary: list[str] = []
    if status != old_status:
        sets["status"] = status
        summary.append(f"status {old_status} → {status}")
    for name in ("proposal", "agreed"):
        if name in values:
            sets[name] = values[name]
            summary.append(f"{name} {_text(entry.get(name)) or '-'} → {values[name]}")
    for name in ("owner", "rationale"):
        text = getattr(change, name)
        if text is not None and text.strip() != (_text(entry.get(name)) or ""):
            sets[name] = text.strip()
            summary.append(f"{name} changed")
    new_value = values.get("agreed", values.get("proposal"))
    if change.by in PARTIES and new_value is not None and _text(entry.get(change.by)) is None:
        sets[change.by] = new_value  # the party's first stated position
    delete = ("agreed",) if _text(entry.get("agreed")) and (reopening or change.agreed == "") \
        else ()
    if delete:
        summary.append(f"agreed {_text(entry.get('agreed'))} cleared")
    round_ = _round(entry, change, sets, old_status, status, reopening)
    if round_ is not None:
        summary.append(f"round by {round_['by']}")
    return Update(term, index, sets, delete, round_, tuple(summary))


def _round(entry: dict, change: Change, sets: dict[str, Any], old: str, new: str,
           reopening: bool) -> dict[str, Any] | None:
    if change.by not in PARTIES:
        return None
    if new == "agreed":
        value = sets.get("agreed", entry.get("agreed"))
    else:
        value = sets.get("proposal", entry.get("proposal"))
    notes = []
    if reopening:
        was = _text(entry.get("agreed"))
        notes.append(f"reopened (was {old}{' at ' + was if was else ''})")
    if new != old and new not in ("proposed", "countered", "open"):
        notes.append(new)
    if change.note.strip():
        notes.append(change.note.strip())
    out = {"by": change.by, "value": "" if value is None else str(value),
           "date": change.date.isoformat()}
    if notes:
        out["note"] = "; ".join(notes)
    return out


def apply_update(data: MutableMapping, update: Update, editor: Editor = PLAIN) -> None:
    """Write one update into the agreement data (a plain copy or the YAML document)."""
    if data.get("negotiation") is None:
        editor.set(data, "negotiation", editor.new_seq())
    terms = data["negotiation"]
    if update.index is None:
        editor.append(terms, editor.new_map({"term": update.term}))
        entry = terms[len(terms) - 1]
    else:
        entry = terms[update.index]
    for key, value in update.set.items():
        editor.set(entry, key, value)
    for key in update.delete:
        editor.delete(entry, key)
    if update.round is not None:
        if entry.get("history") is None:
            editor.set(entry, "history", editor.new_seq())
        editor.append(entry["history"], editor.new_map(update.round))

