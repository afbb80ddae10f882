"""slagen: service level agreements from a guided interview and a clause library.

The public API is small: load an agreement, check it, build its documents.
Heavy modules (renderers, workbook, interview) load only when used.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
