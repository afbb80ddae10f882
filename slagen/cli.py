"""The `slagen` command line: parse, call, print.

This is the one place that turns exceptions into messages and exit codes:
0 success, 1 checks found problems, 2 bad input or usage, 130 interrupted.
An unexpected exception is a bug: its traceback goes to a file, not the screen.
Heavy libraries are imported inside the commands that need them, so
`slagen --help` starts fast.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from . import __version__
from .errors import SlagenError

if TYPE_CHECKING:
    from .errors import Diagnostic
    from .load import LoadedAgreement

__all__ = ["main"]

EXIT_OK, EXIT_CHECKS, EXIT_INPUT, EXIT_BUG, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

Handler = Callable[[argparse.Namespace], int]


def _print(text: str = "") -> None:
    print(text, flush=True)


def _warn(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- commands ----------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    from .errors import InputError
    from .load import load_agreement

    worst = EXIT_OK
    for name in args.files:
        try:
            loaded = load_agreement(Path(name))
        except InputError as exc:
            _warn(exc.report())
            worst = max(worst, EXIT_INPUT)
            continue
        findings = _quality_findings(loaded)
        for finding in findings:
            _warn(finding.format())
        if any(f.severity == "error" for f in findings):
            worst = max(worst, EXIT_CHECKS)
            continue
        model = loaded.model
        metrics = len(model.all_metrics())
        _print(f"{name}: ok ({len(model.services)} service(s), {metrics} metric(s)"
               f"{', ' + str(len(findings)) + ' warning(s)' if findings else ''})")
    return worst


def _quality_findings(loaded: LoadedAgreement) -> list[Diagnostic]:
    """Quality and consistency rules that run after the file loads cleanly."""
    from .checks import run_checks

    return run_checks(loaded)


def cmd_schema(args: argparse.Namespace) -> int:
    import json

    from .schema import json_schema

    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        from .output import write_new_file

        write_new_file(Path(args.output), text.encode("utf-8"), force=args.force)
        _print(f"wrote {args.output}")
    else:
        sys.stdout.write(text)
    return EXIT_OK


def _formats(text: str) -> tuple[str, ...]:
    from .render import RENDERER_NAMES

    names = tuple(dict.fromkeys(n.strip() for n in text.split(",") if n.strip()))
    unknown = [n for n in names if n not in RENDERER_NAMES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or text!r}; choose from "
            f"{', '.join(RENDERER_NAMES)} (comma-separated)")
    return names


def cmd_build(args: argparse.Namespace) -> int:
    from .pipeline import BuildRequest, build

    result = build(BuildRequest(
        agreement=Path(args.file), output_dir=Path(args.output) if args.output else None,
        formats=args.formats, draft=args.draft, final=args.final, force=args.force,
        include_ola=not args.no_ola, internal=args.internal,
        library_dirs=tuple(Path(d) for d in args.library),
        outline=Path(args.outline) if args.outline else None, pdf_variant=args.pdf_variant))
    for warning in result.warnings:
        _warn(warning.format())
    for path in result.outputs:
        _print(f"wrote {path}")
    _print(f"wrote {result.manifest}")
    return EXIT_OK


def cmd_clauses_list(args: argparse.Namespace) -> int:
    from .library import load_library

    library = load_library([Path(d) for d in args.library], strict=False)
    rows = sorted(library.clauses.values(), key=lambda c: c.id)
    width = max((len(c.id) for c in rows), default=2)
    for clause in rows:
        _print(f"{clause.id:<{width}}  {clause.version:<7}  {','.join(clause.applies_to):<7}  "
               f"{clause.title}")
    for problem in library.problems:
        _warn(problem.format())
    return EXIT_OK


def cmd_clauses_show(args: argparse.Namespace) -> int:
    from .errors import InputError
    from .library import load_library
    from .library_lint import variables_used

    library = load_library([Path(d) for d in args.library], strict=False)
    clause = library.clauses.get(args.id)
    if clause is None:
        import difflib

        close = difflib.get_close_matches(args.id, list(library.clauses), n=3)
        raise InputError(f"no clause with id '{args.id}'" +
                         (f"; did you mean {', '.join(close)}?" if close else
                          "; 'slagen clauses list' shows them all"))
    fields = [("id", clause.id), ("title", clause.title), ("version", clause.version),
              ("applies_to", ", ".join(clause.applies_to)), ("slot", clause.slot),
              ("variant", clause.variant or "-"), ("default", "yes" if clause.default else "no"),
              ("when", clause.when or "always"), ("summary", clause.summary),
              ("file", str(clause.path)),
              ("variables", ", ".join(variables_used(clause)) or "none"),
              ("defines", ", ".join(t for t, _ in clause.defines) or "none")]
    for label, value in fields:
        _print(f"{label + ':':<11} {value}")
    _print()
    _print(clause.body.strip())
    return EXIT_OK


def cmd_clauses_check(args: argparse.Namespace) -> int:
    from .library import load_library
    from .library_lint import bundled_outlines, lint_library

    library = load_library([Path(d) for d in args.library], strict=False)
    findings = lint_library(library, bundled_outlines(Path(args.outline) if args.outline
                                                      else None))
    for finding in findings:
        _warn(finding.format())
    if findings:
        _warn(f"{len(findings)} finding(s) in {len(library.clauses)} clauses")
        return EXIT_CHECKS
    _print(f"{len(library.clauses)} clauses ok")
    return EXIT_OK


# --- parser ------------------------------------------------------------------


def _add_check(sub: argparse._SubParsersAction) -> None:
    check = sub.add_parser("check", help="validate agreement files",
                           description="Validate agreement files: format, units, references, "
                                       "then quality and OLA consistency rules.")
    check.add_argument("files", nargs="+", metavar="FILE", help="agreement file(s) (YAML)")
    check.set_defaults(handler=cmd_check)


def _add_schema(sub: argparse._SubParsersAction) -> None:
    schema = sub.add_parser("schema", help="print the JSON Schema of the agreement format",
                            description="Print the JSON Schema of agreement files (format "
                                        "version 1) for editors and the YAML language server.")
    schema.add_argument("-o", "--output", help="write to this file instead of standard output")
    schema.add_argument("--force", action="store_true", help="overwrite an existing file")
    schema.set_defaults(handler=cmd_schema)


def _add_build(sub: argparse._SubParsersAction) -> None:
    build = sub.add_parser("build", help="build the documents to sign",
                           description="Build the SLA (and OLA companions) as DOCX, PDF, HTML "
                                       "or Markdown, with a manifest of SHA-256 hashes.")
    build.add_argument("file", metavar="FILE", help="agreement file (YAML)")
    build.add_argument("-o", "--output", metavar="DIR",
                       help="output folder (default: out/ next to the agreement)")
    build.add_argument("-f", "--formats", type=_formats, default=("docx", "pdf"),
                       metavar="LIST", help="comma-separated: docx,pdf,html,md "
                                            "(default: docx,pdf)")
    build.add_argument("--draft", action="store_true", help="mark every page DRAFT")
    build.add_argument("--final", action="store_true",
                       help="refuse while any negotiated term is still open")
    build.add_argument("--no-ola", action="store_true", help="skip the OLA companions")
    build.add_argument("--internal", action="store_true",
                       help="provider's copy: add the appendix showing how targets are backed")
    build.add_argument("--force", action="store_true", help="overwrite existing outputs")
    build.add_argument("--library", action="append", default=[], metavar="DIR",
                       help="an organisation's clause folder; its clauses override bundled "
                            "ones by id (repeatable)")
    build.add_argument("--outline", metavar="FILE", help="use this SLA outline instead of "
                                                         "the bundled one")
    build.add_argument("--pdf-variant", choices=["pdf/a-3b", "pdf/a-2b", "pdf/ua-1"],
                       help="PDF variant for archiving signed agreements")
    build.set_defaults(handler=cmd_build)


def _add_clauses(sub: argparse._SubParsersAction) -> None:
    clauses = sub.add_parser("clauses", help="browse and lint the clause library",
                             description="Browse and lint the clause library.")
    clause_sub = clauses.add_subparsers(dest="clauses_command", metavar="ACTION", required=True)
    for action, helptext, handler in (
            ("list", "one line per clause: id, version, applies_to, title", cmd_clauses_list),
            ("show", "a clause's metadata, variables and body", cmd_clauses_show),
            ("check", "lint the library and outlines (exit 1 on findings)", cmd_clauses_check)):
        p = clause_sub.add_parser(action, help=helptext, description=helptext[0].upper() +
                                  helptext[1:] + ".")
        if action == "show":
            p.add_argument("id", metavar="ID", help="clause id")
        if action == "check":
            p.add_argument("--outline", metavar="FILE", help="an outline to check as well")
        p.add_argument("--library", action="append", default=[], metavar="DIR",
                       help="an organisation's clause folder (overrides bundled by id)")
        p.set_defaults(handler=handler)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="slagen",
        description="Write service level agreements properly: a guided interview, a clause "
                    "library, documents to sign (DOCX, PDF), OLA companions and a negotiation "
                    "workbook.",
        epilog="Exit codes: 0 success, 1 checks found problems, 2 bad input or usage.",
    )
    parser.add_argument("--version", action="version", version=f"slagen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    import importlib

    def module_command(name: str) -> Callable[[argparse._SubParsersAction], None]:
        """A command group in a module of its own (its heavy imports stay in handlers)."""
        return importlib.import_module(f"{__package__}.{name}").register

    # In the order a user meets them: write, check, build, negotiate, then the library.
    for register in (module_command("cli_interview"), _add_check, _add_build,
                     module_command("cli_negotiate"), _add_clauses, _add_schema):
        register(sub)
    return parser




def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return EXIT_INPUT
    try:
        return handler(args)
    except SlagenError as exc:
        _warn(exc.report())
        return exc.exit_code
    except KeyboardInterrupt:
        _warn("interrupted")
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK
    except Exception:  # a bug: keep the traceback, show a short message
        import tempfile
        import traceback

        with tempfile.NamedTemporaryFile("w", prefix="slagen-crash-", suffix=".txt",
                                         delete=False) as crash:
            traceback.print_exc(file=crash)
        _warn(f"slagen {__version__}: internal error (a bug in slagen, not in your input). "
              f"The details are in {crash.name}; please include that file in a bug report.")
        return EXIT_BUG


def run() -> NoReturn:
    """The `slagen` command: `main()` with the garbage collector tuned for one short run.

    A build makes hundreds of thousands of small objects that live until the
    end, so the collector's frequent young-generation passes find nothing to
    free; and at exit, frozen objects are spared the interpreter's full-heap
    collections (about a tenth of a small build's time).
    """
    gc.set_threshold(50_000, 20, 20)
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":  # pragma: no cover
    run()
