"""`slagen negotiate`: export, import, status and propose.

Commands only: parse, call, print.  Errors are `SlagenError`s that `cli.main`
turns into messages and exit codes (2 for a bad workbook or value; nothing is
written then).  Heavy modules are imported inside the handlers, so
`slagen --help` stays fast.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

__all__ = ["register"]


def _print(text: str = "") -> None:
    print(text, flush=True)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from None


def cmd_export(args: argparse.Namespace) -> int:
    from .negotiate_apply import export

    agreement = Path(args.file)
    output = Path(args.output) if args.output else \
        agreement.with_name(f"{agreement.stem}-negotiation.xlsx")
    terms, still_open = export(agreement, output, args.force,
                               tuple(Path(d) for d in args.library))
    _print(f"wrote {output} ({terms} term(s), {still_open} not agreed)")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from .negotiate_apply import import_workbook

    result = import_workbook(Path(args.workbook), Path(args.file), args.date or dt.date.today(),
                             dry_run=args.dry_run)
    _report(result, args.dry_run)
    return 0


def cmd_propose(args: argparse.Namespace) -> int:
    from .negotiate_apply import propose

    result = propose(Path(args.file), args.term, args.value, args.by,
                     today=args.date or dt.date.today(), note=args.note or "",
                     agree=args.agree, reopen=args.reopen, dry_run=args.dry_run)
    _report(result, args.dry_run)
    return 0


def _report(result: Any, dry_run: bool) -> None:
    if not result.updates:
        _print(f"{result.path}: nothing changed")
        return
    for update in result.updates:
        _print(f"{update.term}: {', '.join(update.summary)}")
    if dry_run:
        _print(f"{result.path}: not written (--dry-run)")
    else:
        _print(f"updated {result.path} ({len(result.updates)} term(s)); previous version kept "
               f"as {result.backup}")


def cmd_status(args: argparse.Namespace) -> int:
    from .load import load_agreement
    from .standards import load_standard_positions
    from .term_views import negotiation_views

    model = load_agreement(Path(args.file)).model
    views = negotiation_views(model, load_standard_positions())
    rows = views.terms if args.all else views.open
    if not rows:
        _print(f"{args.file}: all terms agreed" + ("" if model.negotiation else
                                                   " (no terms under negotiation)"))
        return 0
    table = [("term", "status", "customer", "provider", "proposal", "gap")]
    table += [(v.term, v.status, v.customer or "-", v.provider or "-", v.proposal or "-",
               v.gap or "-") for v in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]) - 1)]
    for row in table:
        _print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=False))
               + "  " + row[-1])
    agreed = sum(v.status == "agreed" for v in views.terms)
    _print(f"\n{len(views.open)} of {len(views.terms)} term(s) not agreed ({agreed} agreed)")
    return 0


def register(subparsers: Any) -> None:
    """Add the `negotiate` command group to the main parser."""
    group = subparsers.add_parser(
        "negotiate", help="track the negotiation of targets and terms",
        description="Track the negotiation of service levels and terms: a workbook both "
                    "parties edit, a status table, and rounds recorded from the terminal.")
    sub = group.add_subparsers(dest="negotiate_command", metavar="ACTION", required=True)

    export = sub.add_parser("export", help="write the negotiation workbook (xlsx)",
                            description="Write the negotiation workbook (xlsx): Terms, "
                                        "History and Summary sheets.")
    export.add_argument("file", metavar="FILE", help="agreement file (YAML)")
    export.add_argument("-o", "--output", metavar="WORKBOOK",
                        help="workbook to write (default: FILE-negotiation.xlsx next to FILE)")
    export.add_argument("--force", action="store_true", help="overwrite an existing workbook")
    export.add_argument("--library", action="append", default=[], metavar="DIR",
                        help="clause folder whose standard-positions.yaml to use")
    export.set_defaults(handler=cmd_export)

    imp = sub.add_parser("import", help="read a workbook's edits into the agreement file",
                         description="Read the edits in a workbook back into the agreement "
                                     "file; keeps comments and a backup of the previous file.")
    imp.add_argument("workbook", metavar="WORKBOOK", help="workbook exported by slagen")
    imp.add_argument("file", metavar="FILE", help="agreement file (YAML) to update")
    _common(imp)
    imp.set_defaults(handler=cmd_import)

    status = sub.add_parser("status", help="the terms not yet agreed, positions and gap",
                            description="List the terms not yet agreed with both positions, "
                                        "the proposal and the gap.")
    status.add_argument("file", metavar="FILE", help="agreement file (YAML)")
    status.add_argument("--all", action="store_true", help="list agreed terms too")
    status.set_defaults(handler=cmd_status)

    prop = sub.add_parser("propose", help="record a round: who proposed what, and why",
                          description="Record a negotiation round for one term.")
    prop.add_argument("file", metavar="FILE", help="agreement file (YAML) to update")
    prop.add_argument("term", metavar="TERM",
                      help="term path, e.g. services.crm.metrics.availability.target")
    prop.add_argument("value", metavar="VALUE", help="the proposed value, e.g. 99.95%%")
    prop.add_argument("--by", required=True, choices=["customer", "provider"],
                      help="who proposes")
    prop.add_argument("--note", help="why (kept in the history)")
    prop.add_argument("--agree", action="store_true",
                      help="the value is agreed (status agreed) rather than proposed")
    prop.add_argument("--reopen", action="store_true",
                      help="reopen an agreed or withdrawn term with this proposal")
    _common(prop)
    prop.set_defaults(handler=cmd_propose)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--date", type=_date, metavar="YYYY-MM-DD",
                        help="date of the round (default: today)")
    parser.add_argument("--dry-run", action="store_true",
                        help="show what would change; write nothing")
