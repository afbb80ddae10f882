"""Negotiation edits → the agreement file: plan, validate, back up, write.

The storyboard behind `negotiate export / import / propose`.  Everything is
checked before anything is written: each value with the unit parsers, each
status change against the transition rules, then the whole agreement with
the edits applied through the same `validate_agreement` that loads files.
Problems are reported where the person made them (a workbook cell, or the
term on the command line), and a workbook exported from another version of
the file is refused rather than merged.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import __version__
from .errors import Diagnostic, InputError
from .load import LoadedAgreement, load_agreement
from .negotiate import PARTIES, Change, Update, apply_update, find_entry, plan_change
from .positions import TermInfo, same_value, term_info
from .records import record
from .standards import load_standard_positions
from .term_views import negotiation_views
from .terms import TermPathError, resolve_term
from .validate import validate_agreement
from .yamlsrc import format_path, load_yaml_text

__all__ = ["ApplyResult", "export", "import_workbook", "propose"]

Locate = Callable[[str, str], str]  # (term, field) → where to report it
_CODES = {"status": "workbook.status", "by": "workbook.round", "owner": "workbook.owner",
          "term": "workbook.term"}


@record
class ApplyResult:
    path: Path
    updates: list[Update]
    backup: Path | None  # None when nothing was written
    text: str = ""


# --- export ------------------------------------------------------------------


def export(agreement: Path, output: Path, force: bool,
           library_dirs: tuple[Path, ...] = ()) -> tuple[int, int]:
    """Write the workbook; return (terms, open terms)."""
    from .output import write_new_file
    from .workbook import WORKBOOK_FORMAT, export_workbook

    loaded = load_agreement(agreement)
    model = loaded.model
    if not model.negotiation:
        raise InputError(f"{agreement}: no terms under negotiation (no 'negotiation' "
                         f"section); start one with: slagen negotiate propose {agreement} "
                         "TERM VALUE --by customer")
    views = negotiation_views(model, load_standard_positions(library_dirs))
    meta = {"format": WORKBOOK_FORMAT, "slagen version": __version__,
            "agreement file": str(agreement), "agreement sha256": loaded.sha256,
            "agreement id": model.agreement.id, "agreement version": model.agreement.version,
            "terms": str(len(views.terms))}
    write_new_file(output, export_workbook(model.agreement.title, views.terms, meta), force)
    return len(views.terms), len(views.open)


# --- import ------------------------------------------------------------------


def import_workbook(workbook: Path, agreement: Path, today: dt.date,
                    dry_run: bool = False) -> ApplyResult:
    from .workbook import read_workbook

    content = read_workbook(workbook)
    loaded = load_agreement(agreement)
    _refuse_stale(content.meta, loaded, workbook, agreement)
    cells = {row.term: row.cells for row in content.rows}
    updates, problems = [], []
    for row in content.rows:
        update, found = _plan_row(loaded, row, today)
        problems += [_at(workbook, row.cells.get(name, row.cells["term"]), message,
                         _CODES.get(name, "workbook.value")) for name, message in found]
        if update is not None:
            updates.append(update)
    if problems:
        raise InputError(diagnostics=problems)

    def locate(term: str, name: str) -> str:
        return cells[term].get(name, cells[term]["term"])

    _validate(loaded, updates, workbook, locate)
    return _write(agreement, loaded, updates, dry_run)


def _refuse_stale(meta: dict[str, str], loaded: LoadedAgreement, workbook: Path,
                  agreement: Path) -> None:
    exported = meta.get("agreement sha256", "")
    if exported == loaded.sha256:
        return
    fresh = workbook.with_name(f"{workbook.stem}-fresh{workbook.suffix}")
    raise InputError(diagnostics=[_at(
        workbook, "", f"workbook was exported from an older version of {agreement} (SHA-256 "
        f"{exported[:12] or 'unknown'}…, the file is now {loaded.sha256[:12]}…); export a fresh "
        f"one with: slagen negotiate export {agreement} -o {fresh}", "workbook.stale",
        "nothing was changed; copy your edits into the fresh workbook and import that")])


def _at(where: Path, path: str, message: str, code: str, hint: str = "") -> Diagnostic:
    return Diagnostic(str(where), 0, 0, path, message, code, hint=hint)


def _plan_row(loaded: LoadedAgreement, row: Any, today: dt.date
              ) -> tuple[Update | None, list[tuple[str, str]]]:
    index, entry = find_entry(loaded.data, row.term)
    if index is None:
        return None, [("term", f"'{row.term}' is not a negotiated term of this agreement")]
    try:
        info = term_info(loaded.model, row.term)
    except TermPathError as exc:
        return None, [("term", str(exc))]
    change, problems = _row_change(entry, row.values, info, today)
    reported = {name for name, _ in problems}
    update, found = plan_change(entry, index, row.term, change, info)
    problems += [(name, message) for name, message in found if name not in reported]
    if problems or update is None or not (update.set or update.delete or update.round):
        return None, problems
    return update, []


def _row_change(entry: dict, v: dict[str, str | None], info: TermInfo,
                today: dt.date) -> tuple[Change, list[tuple[str, str]]]:
    """Compare a row with the file: only what differs in meaning is a change."""
    problems: list[tuple[str, str]] = []
    old = {k: (str(entry[k]).strip() if entry.get(k) is not None else None)
           for k in ("proposal", "agreed", "status", "owner", "rationale")}
    if v["proposal"] is None and old["proposal"] is not None:
        problems.append(("proposal", f"the proposal ({old['proposal']}) cannot be cleared; "
                         "make a new proposal or set the status to withdrawn"))
    if v["status"] is None:
        problems.append(("status", "the status is empty; choose one from the list"))
    if v["by"] is not None and v["by"] not in PARTIES:
        problems.append(("by", f"'{v['by']}' is not customer or provider"))
    agreed = ("" if old["agreed"] else None) if v["agreed"] is None else \
        (None if same_value(info, old["agreed"], v["agreed"]) else v["agreed"])
    texts = {k: (v[k] or "") if (v[k] or "") != (old[k] or "") else None
             for k in ("owner", "rationale")}
    return Change(
        date=today, agreed=agreed, owner=texts["owner"], rationale=texts["rationale"],
        proposal=None if same_value(info, old["proposal"], v["proposal"]) else v["proposal"],
        status=v["status"] if v["status"] != (old["status"] or "open") else None,
        by=v["by"] if v["by"] in PARTIES else None, note=v["note"] or ""), problems


# --- validate and write ------------------------------------------------------


def _applied(data: Any, updates: list[Update]) -> Any:
    data = copy.deepcopy(data)
    for update in updates:
        apply_update(data, update)
    return data


def _validate(loaded: LoadedAgreement, updates: list[Update], where: Path,
              locate: Locate) -> None:
    """Validate the agreement with the edits; report each problem where it was made."""
    data = _applied(loaded.data, updates)
    try:
        validate_agreement(data, copy.deepcopy(loaded.source))
    except InputError as exc:
        raise InputError(diagnostics=[_blame(d, data, updates, where, locate)
                                      for d in exc.diagnostics]) from None


def _blame(diagnostic: Diagnostic, data: Any, updates: list[Update], where: Path,
           locate: Locate) -> Diagnostic:
    """Report a validation problem at the edit that caused it, as near as can be told."""
    culprit = _culprit(diagnostic, data, updates)
    if culprit is None:
        return _at(where, "", f"with these edits, {diagnostic.path}: {diagnostic.message}",
                   diagnostic.code, diagnostic.hint)
    exact = diagnostic.path.startswith((_label(data, culprit.term),
                                        f"negotiation[{culprit.term}]"))
    message = diagnostic.message if exact else f"{diagnostic.path}: {diagnostic.message}"
    return _at(where, locate(culprit.term, _value_field(culprit)), message, diagnostic.code,
               diagnostic.hint)


def _culprit(diagnostic: Diagnostic, data: Any, updates: list[Update]) -> Update | None:
    """The update at the problem's path; else the metric the message names; else the
    only update in the same section; else the only update."""
    for update in updates:
        if diagnostic.path.startswith((_label(data, update.term),
                                       f"negotiation[{update.term}]")):
            return update
    for update in updates:
        parts = update.term.split(".")
        if len(parts) > 3 and parts[0] == "services" and parts[2] == "metrics" and \
                f"{parts[1]}/{parts[3]}" in diagnostic.message:
            return update
    section = [u for u in updates if diagnostic.path.split("[")[0].split(".")[0]
               == u.term.split(".")[0]]
    if len(section) == 1:
        return section[0]
    return updates[0] if len(updates) == 1 else None


def _value_field(update: Update) -> str:
    return "agreed" if "agreed" in update.set else "proposal"


def _label(data: Any, term: str) -> str:
    """The term's path as validation messages write it: services[web].metrics[…].target."""
    try:
        _, path = resolve_term(data, term)
    except TermPathError:
        return term
    labels, node = {}, data
    for depth, key in enumerate(path):
        node = node[key]
        if isinstance(key, int) and isinstance(node, dict):
            label = next((node[k] for k in ("id", "term", "metric", "level") if k in node), None)
            if label is not None:
                labels[path[:depth + 1]] = str(label)
    return format_path(path, labels)


def _write(agreement: Path, loaded: LoadedAgreement, updates: list[Update],
           dry_run: bool) -> ApplyResult:
    from .yamledit import edit_text, write_with_backup

    if not updates:
        return ApplyResult(agreement, [], None)
    raw = agreement.read_bytes()
    if hashlib.sha256(raw).hexdigest() != loaded.sha256:
        raise InputError(f"{agreement} changed while it was being updated; run the "
                         "command again")

    def mutate(document: Any, editor: Any) -> None:
        for update in updates:
            apply_update(document, update, editor)

    text = edit_text(raw.decode("utf-8-sig"), mutate)
    written, _ = load_yaml_text(text, str(agreement))
    if written != _applied(loaded.data, updates):
        raise RuntimeError("the edited YAML does not hold the intended values (a bug)")
    if dry_run:
        return ApplyResult(agreement, updates, None, text)
    return ApplyResult(agreement, updates, write_with_backup(agreement, raw, text), text)


# --- propose -----------------------------------------------------------------


def propose(agreement: Path, term: str, value: str, by: str, *, today: dt.date,
            note: str = "", agree: bool = False, reopen: bool = False,
            dry_run: bool = False) -> ApplyResult:
    """Record one round from the terminal: a proposal, or with `agree` the agreed value."""
    loaded = load_agreement(agreement)

    def fail(message: str, hint: str = "") -> InputError:
        return InputError(diagnostics=[_at(agreement, term, message, "negotiate.propose",
                                           hint)])

    try:
        info = term_info(loaded.model, term)
    except TermPathError as exc:
        raise fail(str(exc), "name a value, e.g. services.crm.metrics.availability."
                             "target") from None
    index, entry = find_entry(loaded.data, term)
    status = str(entry.get("status") or "open")
    if status in ("agreed", "withdrawn") and not reopen and not (agree and status == "agreed"):
        raise fail(f"the term is {status}" + (f" at {entry.get('agreed')}" if entry.get(
            "agreed") else ""), "pass --reopen to reopen it with this proposal")
    change = Change(date=today, proposal=None if agree and status == "agreed" else value,
                    agreed=value if agree else None, status="agreed" if agree else None,
                    by=by, note=note, reopen=reopen)
    update, problems = plan_change(entry, index, term, change, info)
    if update is None:
        raise InputError(diagnostics=[_at(agreement, term, m, "negotiate.propose")
                                      for _, m in problems])
    if index is None and by == "customer":
        update = _with_provider_position(loaded.data, term, update)
    _validate(loaded, [update], agreement, lambda t, f: t)
    return _write(agreement, loaded, [update], dry_run)


def _with_provider_position(data: Any, term: str, update: Update) -> Update:
    """A new term the customer raises: the file's current value is the provider's offer."""
    try:
        current, _ = resolve_term(data, term)
    except TermPathError:
        return update
    if current is None or isinstance(current, dict | list):
        return update
    return replace(update, set={**update.set, "provider": current})
