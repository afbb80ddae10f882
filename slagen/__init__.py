"""slagen: service level agreements from a guided interview and a clause library.

The public API is small: load an agreement, check it, build its documents.
Names load on first use (PEP 562), so `import slagen` and `slagen --help`
stay fast; renderers, the workbook and the interview load only when used.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Agreement": "model",
    "BuildRequest": "pipeline",
    "BuildResult": "pipeline",
    "ChecksFailed": "errors",
    "Diagnostic": "errors",
    "InputError": "errors",
    "LoadedAgreement": "load",
    "SlagenError": "errors",
    "build": "pipeline",
    "load_agreement": "load",
    "run_checks": "checks",
}

__all__ = ["__version__", *sorted(_EXPORTS)]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(f".{_EXPORTS[name]}", __name__), name)
    raise AttributeError(f"module 'slagen' has no attribute {name!r}")
