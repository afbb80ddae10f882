"""`slagen interview`: write an agreement by answering questions at the terminal.

Commands only: parse, call, print.  The interview itself lives in
`interview_setup` / `interview`; questionary is imported only once a
question is really asked, never on `slagen --help`'s path.  Ctrl-C saves
nothing more (every answer is already saved), says where the answers are and
how to continue, and exits 130.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Any

__all__ = ["cmd_interview", "register"]

EXIT_OK, EXIT_INTERRUPTED = 0, 130


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "interview", help="write an agreement by answering questions",
        description="Write an agreement file by answering questions at the terminal. Every "
                    "answer is saved at once; Ctrl-C keeps them and --resume continues. "
                    "Answers given with --set win over --answers, which win over the file "
                    "being resumed, which wins over the profile's and the questions' defaults.")
    parser.add_argument("file", nargs="?", metavar="FILE",
                        help="agreement file to write (default: agreement.yaml)")
    parser.add_argument("--resume", metavar="FILE",
                        help="continue an interview saved in FILE from its first unanswered "
                             "question (a finished file opens the review screen)")
    parser.add_argument("--answers", metavar="FILE",
                        help="take answers from an agreement file; ask only what is missing")
    parser.add_argument("--profile", metavar="NAME",
                        help="starting defaults: a bundled profile (it-service-desk, "
                             "saas-platform, managed-infrastructure) or a profile file")
    parser.add_argument("--defaults", action="store_true",
                        help="accept every default without asking")
    parser.add_argument("--set", action="append", default=[], metavar="PATH=VALUE",
                        dest="sets", help="give one answer, e.g. --set parties.customer.name="
                                          "'Acme Ltd' (repeatable)")
    parser.add_argument("--questions", metavar="FILE",
                        help="an organisation's own question file instead of the bundled one")
    parser.add_argument("--force", action="store_true", help="replace an existing FILE")
    parser.set_defaults(handler=cmd_interview)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def cmd_interview(args: argparse.Namespace) -> int:
    from .interview import Interrupted
    from .interview_setup import InterviewRequest, run_interview
    from .prompter import QuestionaryPrompter

    request = InterviewRequest(
        file=Path(args.file) if args.file else None,
        resume=Path(args.resume) if args.resume else None,
        answers=Path(args.answers) if args.answers else None, profile=args.profile,
        defaults=args.defaults, sets=tuple(args.sets),
        questions=Path(args.questions) if args.questions else None, force=args.force)
    interactive = sys.stdin.isatty()
    prompter = QuestionaryPrompter()
    asks = interactive and not args.defaults
    with prompter.ctrl_c_between_questions() if asks else contextlib.nullcontext():
        try:
            outcome = run_interview(request, prompter, interactive)
        except Interrupted:
            path = request.resume or request.file or Path("agreement.yaml")
            _say(f"\nInterrupted. Your answers so far are saved in {path}; continue with: "
                 f"slagen interview --resume {path}")
            return EXIT_INTERRUPTED
        print(f"Saved {outcome.path}. Check it with: slagen check {outcome.path}", flush=True)
        if not asks:
            return EXIT_OK
        try:
            return _offer_build(prompter, outcome.path)
        except (KeyboardInterrupt, EOFError):
            _say(f"\nInterrupted. The agreement is saved in {outcome.path}.")
            return EXIT_INTERRUPTED


def _offer_build(prompter: Any, path: Path) -> int:
    from .errors import SlagenError
    from .pipeline import BuildRequest, build
    from .prompter import Prompt

    if not prompter.ask(Prompt("confirm", "Build the documents now?", "build", "build", "",
                               True)):
        print(f"Build them later with: slagen build {path}", flush=True)
        return EXIT_OK
    choices = (("docx", "Word (DOCX)"), ("pdf", "PDF"), ("html", "HTML"), ("md", "Markdown"))
    formats = prompter.ask(Prompt("checkbox", "Which formats?", "formats", "formats", "",
                                  ["docx", "pdf"], choices)) or ["docx", "pdf"]
    try:
        result = build(BuildRequest(agreement=path, formats=tuple(formats)))
    except SlagenError as exc:
        _say(exc.report())
        return exc.exit_code
    for warning in result.warnings:
        _say(warning.format())
    for output in result.outputs:
        print(f"wrote {output}", flush=True)
    return EXIT_OK
