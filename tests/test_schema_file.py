"""docs/agreement.schema.json is the schema slagen prints: regenerate it when the model changes."""

from __future__ import annotations

import json
from pathlib import Path

from slagen.schema import json_schema

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "docs" / "agreement.schema.json"


def test_committed_schema_is_current() -> None:
    assert json.loads(SCHEMA_FILE.read_text(encoding="utf-8")) == json_schema(), (
        "docs/agreement.schema.json is stale: run "
        "slagen schema -o docs/agreement.schema.json --force")
