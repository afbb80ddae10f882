"""Checks that run on a model that loaded cleanly.

Each rule is a function from the loaded agreement to diagnostics; `slagen
check` and `slagen build` run them all.  Errors make `check` exit 1.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .errors import Diagnostic
from .load import LoadedAgreement

__all__ = ["RULES", "run_checks"]

Rule = Callable[[LoadedAgreement], list[Diagnostic]]

RULES: list[Rule] = []


def rule(func: Rule) -> Rule:
    RULES.append(func)
    return func


_PLACEHOLDER = re.compile(r"^\[[^\[\]]+\]$")


@rule
def placeholders_left(loaded: LoadedAgreement) -> list[Diagnostic]:
    """Text such as `[Provider legal name]` (left by `interview --defaults`) must not be signed."""
    return [loaded.source.diagnostic(path, f"placeholder text {value!r} is still in the "
                                     "agreement", "agreement.placeholder",
                                     hint="fill it in before the agreement is signed; "
                                          "'build --final' refuses it", severity="warning")
            for path, value in _strings(loaded.data, ()) if _PLACEHOLDER.match(value.strip())]


def _strings(node: object, path: tuple) -> list[tuple[tuple, str]]:
    if isinstance(node, str):
        return [(path, node)]
    if isinstance(node, dict):
        return [found for key, value in node.items() for found in _strings(value, (*path, key))]
    if isinstance(node, list):
        return [found for i, value in enumerate(node) for found in _strings(value, (*path, i))]
    return []


def run_checks(loaded: LoadedAgreement) -> list[Diagnostic]:
    findings: list[Diagnostic] = []
    for check in RULES:
        findings.extend(check(loaded))
    return sorted(findings, key=lambda d: (d.line, d.column, d.message))


# Rule modules register themselves with @rule when imported.
from . import ola_checks  # noqa: E402,F401
