"""Shared fixtures: paths to the examples and a minimal valid agreement."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
MINIMAL = ROOT / "tests" / "data" / "minimal.yaml"
_CACHE_DIR = pytest.StashKey[str]()


@pytest.fixture
def minimal_text() -> str:
    return MINIMAL.read_text(encoding="utf-8")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "libreoffice: drives LibreOffice headless (slow)")
    config.addinivalue_line("markers", "tmux: drives the program in a real terminal")
    # slagen's caches (compiled clauses, parsed clauses, holiday data, the base DOCX) start
    # empty for each run of the suite, so cold and warm paths are both exercised and the
    # user's own cache is never touched.  Child processes inherit the setting.
    config.stash[_CACHE_DIR] = os.environ["XDG_CACHE_HOME"] = \
        tempfile.mkdtemp(prefix="slagen-test-cache-")
    os.environ.pop("SLAGEN_NO_CACHE", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    if _CACHE_DIR in config.stash:  # only the folder made above
        shutil.rmtree(config.stash[_CACHE_DIR], ignore_errors=True)
