"""The one sandboxed Jinja environment clause templates run in.

Clause templates are code written by other people.  They run in Jinja's
immutable sandbox with undefined names as errors (a blank where a number
belongs is worse than no document), with multiplication and power bounded,
and with a time limit on every render.  The domain filters here are the only
helpers templates get; none of them calls back into arbitrary callables.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import marshal
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import CodeType
from typing import Any

import jinja2
from jinja2 import StrictUndefined, Template, TemplateSyntaxError, nodes
from jinja2.environment import TemplateExpression
from jinja2.parser import Parser
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from .units import (
    Duration,
    Money,
    Percent,
    format_decimal,
    format_duration,
    format_duration_words,
    format_money,
)
from .usercache import files_stamp, remember

__all__ = ["RENDER_SECONDS", "RenderTimeout", "clause_environment", "time_limit"]

RENDER_SECONDS = 5.0
MAX_OPERAND = 100_000


class RenderTimeout(Exception):
    """A template ran longer than the time limit."""


class _ClauseSandbox(ImmutableSandboxedEnvironment):
    """Sandbox that also bounds `*` and `**`, which can exhaust memory or CPU."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        for operand in (left, right):
            size = len(operand) if isinstance(operand, str | list | tuple) else operand
            if isinstance(size, int | float | Decimal) and abs(size) > MAX_OPERAND:
                raise SecurityError(f"'{operator}' on an operand larger than {MAX_OPERAND:,} "
                                    "is not allowed in a clause")
        if operator == "**" and isinstance(right, int | float) and abs(right) > 64:
            raise SecurityError("powers above 64 are not allowed in a clause")
        return super().call_binop(context, operator, left, right)


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise `RenderTimeout` if the block runs longer (main thread, POSIX only)."""
    if threading.current_thread() is not threading.main_thread() or \
            not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise RenderTimeout(f"rendering took longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --- filters -----------------------------------------------------------------


def percent(value: Percent | Decimal | int | float | None) -> str:
    """`99.95%` exactly as agreed; never rounded."""
    if value is None:
        return ""
    if isinstance(value, Percent):
        return str(value)
    return f"{format_decimal(Decimal(str(value)))}%"


def duration(value: Duration | None) -> str:
    return "" if value is None else format_duration(value)


def duration_words(value: Duration | None) -> str:
    """`30 days`, `2 Business Days`: durations as a contract's sentences need them."""
    return "" if value is None else format_duration_words(value)


def money(value: Money | None) -> str:
    return "" if value is None else format_money(value)


def prose_list(items: Iterable[Any], conjunction: str = "and") -> str:
    """`a, b and c` — lists joined as a person writes them."""
    words = [str(i) for i in items]
    if len(words) <= 2:
        return f" {conjunction} ".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def long_date(value: dt.date | None) -> str:
    """`1 January 2027`: unambiguous in every jurisdiction."""
    return "" if value is None else f"{value.day} {value:%B %Y}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def downtime(target: Percent, window: Any = "month", calendar: Any = None) -> str:
    """Downtime an availability target allows over a window: `43 min 50 s`."""
    from .metrics import downtime_allowance, format_downtime

    business = _business_calendar(calendar) if calendar is not None else None
    if business is not None and business.hours.is_24x7:
        business = None
    return format_downtime(downtime_allowance(target, window, business))


def hours(calendar: Any) -> str:
    """A calendar's hours in words, with its time zone and holidays."""
    return _business_calendar(calendar).describe()


def _business_calendar(calendar: Any) -> Any:
    from .service_hours import business_calendar

    return business_calendar(calendar)


def sentence(text: str) -> str:
    """Capitalise the first letter and end with a full stop."""
    text = str(text).strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?:" else text + "."


FILTERS = {
    "percent": percent,
    "duration": duration,
    "duration_words": duration_words,
    "money": money,
    "prose_list": prose_list,
    "long_date": long_date,
    "plural": plural,
    "downtime": downtime,
    "hours": hours,
    "sentence": sentence,
}


def clause_environment() -> ImmutableSandboxedEnvironment:
    """The sandbox every clause and outline title is rendered in."""
    env = _ClauseSandbox(undefined=StrictUndefined, autoescape=False, trim_blocks=True,
                         lstrip_blocks=True, keep_trailing_newline=True)
    env.filters.update(FILTERS)
    env.globals.clear()
    env.globals.update({"range": _bounded_range})
    return env


def _bounded_range(*args: int) -> range:
    result = range(*args)
    if len(result) > 10_000:
        raise SecurityError("range() over more than 10,000 items is not allowed in a clause")
    return result


def compiled_clause(env: ImmutableSandboxedEnvironment, source: str, name: str,
                    filename: str) -> CodeType:
    """Jinja's compiled code for a clause, kept in the user's cache between runs."""
    return _cached_code(env, ("template", source, name, filename),
                        lambda: env.compile(source, name=name, filename=filename))


def compiled_text(env: ImmutableSandboxedEnvironment, source: str) -> Template:
    """`env.from_string(source)`, with the compiled code cached (outline titles)."""
    code = _cached_code(env, ("text", source), lambda: env.compile(source))
    return env.template_class.from_code(env, code, env.make_globals(None))


def compiled_expression(env: ImmutableSandboxedEnvironment, source: str) -> TemplateExpression:
    """`env.compile_expression(source, undefined_to_none=False)`, with the code cached."""
    def compile_source() -> CodeType:
        parser = Parser(env, source, state="variable")
        expr = parser.parse_expression()
        if not parser.stream.eos:
            raise TemplateSyntaxError("chunk after expression", parser.stream.current.lineno,
                                      None, None)
        expr.set_environment(env)
        body = [nodes.Assign(nodes.Name("result", "store"), expr, lineno=1)]
        return env.compile(nodes.Template(body, lineno=1))

    code = _cached_code(env, ("expression", source), compile_source)
    template = env.template_class.from_code(env, code, env.make_globals(None))
    return TemplateExpression(template, undefined_to_none=False)


def _cached_code(env: ImmutableSandboxedEnvironment, what: tuple[str, ...],
                 compile_source: Callable[[], CodeType]) -> CodeType:
    """Compiled code from the user's cache, or compiled now and stored.

    Compiling the library's templates and conditions is most of a build's own
    time.  The key covers everything the generated code depends on (source,
    names, Jinja, Python and environment class), so a changed clause is compiled
    afresh; a cache that cannot be read or written is simply not used.
    """
    key = hashlib.sha256("\0".join((
        *what, jinja2.__version__, sys.version, type(env).__qualname__, _environment_stamp(),
    )).encode("utf-8")).hexdigest()
    return remember("clauses", f"{key}.jinja-code", compile_source, marshal.dumps,
                    marshal.loads)


@cache
def _environment_stamp() -> str:
    """Changes when this module (the sandbox, its filters and settings) is edited: Jinja
    checks filter names while compiling, so code compiled for other filters must not be
    reused."""
    return files_stamp(Path(__file__)) or ""


def names_used(env: ImmutableSandboxedEnvironment, source: str) -> set[str]:
    """Top-level names a template reads (for the library lint)."""
    from jinja2 import meta

    return set(meta.find_undeclared_variables(env.parse(source)))


