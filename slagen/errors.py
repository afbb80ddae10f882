"""Errors and diagnostics.

Every problem a user can cause becomes a `Diagnostic` in compiler form
(`file:line:col: error: field: message [code]`) so it can be read, grepped and
tested.  The CLI is the one place that turns these exceptions into messages
and exit codes:

    SlagenError                  base; never shown with a traceback
    ├── InputError               bad input or usage: exit 2; carries diagnostics
    │   ├── ClauseError          a clause or outline is broken (names the file)
    │   └── OutputExistsError    refusing to overwrite without --force
    └── ChecksFailed             quality or consistency checks found problems: exit 1
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "ChecksFailed",
    "ClauseError",
    "Diagnostic",
    "InputError",
    "OutputExistsError",
    "SlagenError",
]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, located as precisely as the input allows."""

    file: str
    line: int = 0
    column: int = 0
    path: str = ""
    message: str = ""
    code: str = ""
    severity: str = "error"  # error | warning
    hint: str = field(default="", compare=False)

    def format(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        subject = f"{self.path}: " if self.path else ""
        code = f" [{self.code}]" if self.code else ""
        hint = f"\n  hint: {self.hint}" if self.hint else ""
        return f"{where}: {self.severity}: {subject}{self.message}{code}{hint}"

    def __str__(self) -> str:
        return self.format()


class SlagenError(Exception):
    """Base of every error slagen reports to a user."""

    exit_code = 2

    def __init__(self, message: str = "", diagnostics: list[Diagnostic] | None = None) -> None:
        self.diagnostics = list(diagnostics or [])
        super().__init__(message or "\n".join(d.format() for d in self.diagnostics))

    def report(self) -> str:
        if self.diagnostics:
            lines = [d.format() for d in self.diagnostics]
            errors = sum(d.severity == "error" for d in self.diagnostics)
            if errors > 1:
                lines.append(f"{errors} errors")
            return "\n".join(lines)
        return str(self)


class InputError(SlagenError):
    """The input (agreement, clause, workbook, command line) is wrong."""

    exit_code = 2


class ClauseError(InputError):
    """A clause template or outline cannot be used."""


class OutputExistsError(InputError):
    """An output file exists and --force was not given."""


class ChecksFailed(SlagenError):
    """Checks ran and found problems."""

    exit_code = 1
