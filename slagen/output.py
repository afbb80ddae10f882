"""Writing outputs: atomically, never over an existing file without --force.

A torn or silently replaced contract is worse than none.  Each file is written
to a temporary name in the same folder, flushed to disk, then published: with
`os.link` when it must not exist (which fails if the name appeared meanwhile),
or `os.replace` when the user asked to overwrite.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .errors import Diagnostic, InputError, OutputExistsError

__all__ = ["check_writable", "sha256", "write_manifest", "write_new_file"]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_writable(paths: Iterable[Path], force: bool) -> None:
    """Refuse up front, before any work, if an output exists and --force is off."""
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        raise OutputExistsError(diagnostics=[
            Diagnostic(str(p), 0, 0, "", "already exists; not overwritten", "output.exists",
                       hint="pass --force to replace it, or choose another folder with -o")
            for p in existing])


def write_new_file(path: Path, data: bytes, force: bool = False) -> None:
    """Write `data` to `path` atomically; refuse to replace unless `force`."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(diagnostics=[Diagnostic(str(folder), 0, 0, "",
                                                 f"cannot write here: {exc.strerror}",
                                                 "output.unwritable")]) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, 0o644)
        if force:
            os.replace(temp_name, path)
        else:
            try:
                os.link(temp_name, path)
            except FileExistsError:
                raise OutputExistsError(diagnostics=[Diagnostic(
                    str(path), 0, 0, "", "already exists; not overwritten", "output.exists",
                    hint="pass --force to replace it")]) from None
    finally:
        if os.path.exists(temp_name):
            os.unlink(temp_name)


def write_manifest(path: Path, manifest: dict[str, Any], force: bool) -> None:
    text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    write_new_file(path, text.encode("utf-8"), force=force)
