"""docs/agreement-format.md documents every field of the agreement model.

The format reference is written by hand, so this test keeps it from drifting:
every documented field of every dataclass in `slagen.model` must have a row in
one of its field tables, and every metric kind must be in the kinds table.
"""

from __future__ import annotations

import dataclasses
import inspect
from pathlib import Path

import pytest

from slagen import model

DOC = Path(__file__).resolve().parent.parent / "docs" / "agreement-format.md"


def _model_classes() -> list[type]:
    return [cls for _, cls in inspect.getmembers(model, inspect.isclass)
            if dataclasses.is_dataclass(cls) and cls.__module__ == model.__name__]


def _documented_fields() -> list[tuple[str, str]]:
    return [(cls.__name__, f.name) for cls in _model_classes()
            for f in dataclasses.fields(cls) if f.metadata.get("doc") is not None]


@pytest.fixture(scope="module")
def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


def test_the_model_has_documented_fields() -> None:
    fields = _documented_fields()
    assert len(fields) > 100
    assert ("Agreement", "slagen") in fields and ("Metric", "targets") in fields


@pytest.mark.parametrize(("cls", "name"), _documented_fields(),
                         ids=[f"{c}.{n}" for c, n in _documented_fields()])
def test_every_field_has_a_table_row(doc_text: str, cls: str, name: str) -> None:
    assert f"| `{name}` |" in doc_text, (
        f"{cls}.{name} is not documented: add a row '| `{name}` | … |' to the {cls} table "
        f"in {DOC.name}")


@pytest.mark.parametrize("kind", sorted(model.METRIC_KINDS))
def test_every_metric_kind_is_in_the_kinds_table(doc_text: str, kind: str) -> None:
    assert f"| `{kind}` | {model.METRIC_KINDS[kind].name} |" in doc_text


def test_top_level_sections_follow_the_model_order(doc_text: str) -> None:
    headings = [line[3:].strip() for line in doc_text.splitlines() if line.startswith("## ")]
    keys = [f.name for f in dataclasses.fields(model.Agreement)]
    missing = [key for key in keys if key not in headings]
    assert not missing, f"no '## <key>' section for: {', '.join(missing)}"
    assert [h for h in headings if h in keys] == keys
