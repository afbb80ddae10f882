"""The user's cache folder (`~/.cache/slagen`): results that are costly to
recompute and depend only on their key.

A cache is a convenience, never a source of truth: every entry is keyed by
everything it depends on, a missing or unreadable entry is recomputed, and a
cache that cannot be written is silently not used.  `SLAGEN_NO_CACHE=1`
turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path
from typing import TypeVar

__all__ = ["cache_folder", "files_stamp", "package_stamp", "read_entry", "read_pickle",
           "remember", "store_entry", "store_pickle"]

_T = TypeVar("_T")


def cache_folder(kind: str) -> Path | None:
    """`$XDG_CACHE_HOME/slagen/<kind>` (or `~/.cache/...`); None when caching is off."""
    if os.environ.get("SLAGEN_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "slagen" / kind


def read_entry(kind: str, name: str) -> bytes | None:
    folder = cache_folder(kind)
    if folder is None:
        return None
    try:
        return (folder / name).read_bytes()
    except OSError:
        return None


def store_entry(kind: str, name: str, data: bytes) -> None:
    """Write atomically, so a reader in another process sees all of an entry or none."""
    folder = cache_folder(kind)
    if folder is None:
        return
    path = folder / name
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{path.name}.{os.getpid()}")
        temp.write_bytes(data)
        os.replace(temp, path)
    except OSError:
        pass


def remember(kind: str, name: str | None, compute: Callable[[], _T],
             dumps: Callable[[_T], bytes], loads: Callable[[bytes], _T]) -> _T:
    """The entry `name` decoded with `loads`, or `compute()` stored with `dumps`.

    An entry that cannot be decoded (damaged, or written by another version)
    is computed again; `name=None` (no usable key) just computes.
    """
    raw = read_entry(kind, name) if name else None
    if raw is not None:
        try:
            return loads(raw)
        except Exception:  # any unreadable entry is simply computed again
            pass
    value = compute()
    if name:
        store_entry(kind, name, dumps(value))
    return value


def read_pickle(kind: str, name: str) -> object | None:
    """A pickled entry, or None if it is missing or cannot be unpickled (e.g. written by
    another version of slagen whose classes have changed)."""
    raw = read_entry(kind, name)
    if raw is None:
        return None
    try:
        return pickle.loads(raw)
    except Exception:  # any unreadable entry is simply computed again
        return None


def store_pickle(kind: str, name: str, value: object) -> None:
    store_entry(kind, name, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def files_stamp(*paths: Path) -> str | None:
    """A short key that changes whenever one of `paths` is rewritten (None if one is missing).

    Modification time (in nanoseconds) and size rather than contents: reading
    the files to hash them would cost much of what the cache saves.
    """
    try:
        stamps = [f"{path}:{info.st_mtime_ns}:{info.st_size}"
                  for path, info in ((path, path.stat()) for path in paths)]
    except OSError:
        return None
    return hashlib.sha256("\0".join(stamps).encode()).hexdigest()[:24]


def package_stamp(package: str, *files: str) -> str | None:
    """`files_stamp` of files inside an installed package, found without importing it."""
    spec = find_spec(package)
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent
    return files_stamp(*(folder / name for name in files))
