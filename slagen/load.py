"""Agreement file → validated model, with the facts the manifest needs."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from .model import Agreement
from .records import record
from .validate import validate_agreement
from .yamlsrc import SourceMap, load_yaml_file, load_yaml_text

__all__ = ["LoadedAgreement", "load_agreement", "load_agreement_text"]


@record
class LoadedAgreement:
    """The model plus where it came from (path, raw data, source map, SHA-256)."""

    model: Agreement
    path: Path | None
    data: Any
    source: SourceMap
    sha256: str


def load_agreement(path: Path | str) -> LoadedAgreement:
    """Load and validate an agreement file; raise `InputError` with every problem."""
    path = Path(path)
    data, source, raw = load_yaml_file(path)
    model = validate_agreement(data, source)
    return LoadedAgreement(model, path, data, source, hashlib.sha256(raw).hexdigest())


def load_agreement_text(text: str, filename: str = "<agreement>") -> LoadedAgreement:
    data, source = load_yaml_text(text, filename)
    model = validate_agreement(data, source)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return LoadedAgreement(model, None, data, source, digest)
