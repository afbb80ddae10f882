"""Shared fixtures: paths to the examples and a minimal valid agreement."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
MINIMAL = ROOT / "tests" / "data" / "minimal.yaml"


@pytest.fixture
def minimal_text() -> str:
    return MINIMAL.read_text(encoding="utf-8")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "libreoffice: drives LibreOffice headless (slow)")
    config.addinivalue_line("markers", "tmux: drives the program in a real terminal")
