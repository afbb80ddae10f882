"""Checks that run on a model that loaded cleanly.

Each rule is a function from the loaded agreement to diagnostics; `slagen
check` and `slagen build` run them all.  Errors make `check` exit 1.
"""

from __future__ import annotations

from collections.abc import Callable

from .errors import Diagnostic
from .load import LoadedAgreement

__all__ = ["RULES", "run_checks"]

Rule = Callable[[LoadedAgreement], list[Diagnostic]]

RULES: list[Rule] = []


def rule(func: Rule) -> Rule:
    RULES.append(func)
    return func


def run_checks(loaded: LoadedAgreement) -> list[Diagnostic]:
    findings: list[Diagnostic] = []
    for check in RULES:
        findings.extend(check(loaded))
    return sorted(findings, key=lambda d: (d.line, d.column, d.message))


# Rule modules register themselves with @rule when imported.
from . import ola_checks  # noqa: E402,F401
