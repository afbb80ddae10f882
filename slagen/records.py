"""`@record`: a frozen dataclass whose comparison, hash and repr are shared code.

`dataclasses` writes every class its own `__eq__`, `__hash__` and `__repr__` as
source text and compiles each one; for slagen's hundred or so model and
document classes that was about a tenth of a small build.  Comparing, hashing
and showing a record work alike for every class, so they are written once
here; only `__init__` and the frozen guards are generated per class.
Semantics match `@dataclass(frozen=True)`: equality needs the same class and
equal fields (those with `compare=True`), and the hash follows the same fields.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, TypeVar, dataclass_transform

__all__ = ["record"]

_T = TypeVar("_T")


@dataclass_transform(frozen_default=True)
def record(cls: type[_T]) -> type[_T]:
    """Like `@dataclass(frozen=True)`."""
    own = set(cls.__dict__)  # as with dataclasses, a method the class writes itself stays
    made = dataclass(frozen=True, eq=False, repr=False)(cls)
    every = fields(made)  # type: ignore[arg-type]
    made.__record_compared__ = tuple(f.name for f in every if f.compare)  # type: ignore[attr-defined]
    made.__record_shown__ = tuple(f.name for f in every if f.repr)  # type: ignore[attr-defined]
    for name, shared in (("__eq__", _eq), ("__hash__", _hash), ("__repr__", _repr)):
        if name not in own:
            setattr(made, name, shared)
    return made


def _values(record: Any) -> tuple[Any, ...]:
    return tuple(getattr(record, name) for name in record.__record_compared__)


def _eq(self: Any, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _values(self) == _values(other)


def _hash(self: Any) -> int:
    return hash(_values(self))


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__record_shown__)
    return f"{self.__class__.__qualname__}({shown})"
