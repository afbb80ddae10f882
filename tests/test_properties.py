"""Arbitrary text in any string field gives a document or a clean, located error."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from slagen.assemble import AssemblyRequest, assemble
from slagen.context import sla_context
from slagen.documents import signatories
from slagen.errors import InputError
from slagen.library import BUNDLED_TEMPLATES, load_library, load_outline
from slagen.load import load_agreement_text
from slagen.render import RenderOptions, get_renderer

MINIMAL = (Path(__file__).resolve().parent / "data" / "minimal.yaml").read_text()
FIELDS = {
    "name: Provider Ltd": "name: {}",
    "description: Hosting of the customer's public website.": "description: {}",
    "scope: [Web servers, TLS certificates]": "scope: [{}]",
    "data_source: External probe every 60 s": "data_source: {}",
}
LIBRARY = load_library()
OUTLINE = load_outline(BUNDLED_TEMPLATES / "outline-sla.yaml")
MARKDOWN = get_renderer("md")
HTML = get_renderer("html")


def agreement_with(field: str, text: str) -> str:
    # JSON string syntax is valid YAML flow syntax and escapes everything.
    return MINIMAL.replace(field, FIELDS[field].format(json.dumps(text)), 1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(sorted(FIELDS)), text=st.text(max_size=60))
def test_any_text_builds_or_fails_cleanly(field: str, text: str) -> None:
    try:
        loaded = load_agreement_text(agreement_with(field, text), "prop.yaml")
    except InputError as exc:
        assert exc.diagnostics and all(d.file == "prop.yaml" and d.line for d in exc.diagnostics)
        return
    model = loaded.model
    document = assemble(AssemblyRequest(OUTLINE, LIBRARY, sla_context(model),
                                        signatories=signatories(model)))
    assert MARKDOWN.render(document, RenderOptions())
    html = HTML.render(document, RenderOptions()).decode("utf-8")
    if "<" in text:
        assert text.strip() not in html or "<" not in text.strip()  # always escaped
