"""Assembly: numbering, conditions, repetition, overrides and the sandbox."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from slagen import assemble as assemble_module
from slagen.assemble import AssemblyRequest, assemble
from slagen.context import sla_context
from slagen.document import document_text
from slagen.errors import ClauseError
from slagen.library import load_library, load_outline
from slagen.load import load_agreement

MINIMAL = Path(__file__).resolve().parent / "data" / "minimal.yaml"

OUTLINE = """\
kind: sla
title: "{{ agreement.title }}"
subtitle: "for {{ customer.name }}"
sections:
  - title: Purpose
    slots: [t.purpose]
  - title: Services
    sections:
      - title: "{{ service.name }}"
        for_each: service in services
        slots: [t.service]
  - title: Credits
    when: credits
    slots: [t.credits]
  - title: Nothing here
    slots: [t.empty]
  - title: Definitions
    block: glossary
  - title: Signatures
    block: signatures
    slots: [t.purpose]
  - title: Contacts
    appendix: true
    slots: [t.contacts]
"""


def clause(folder: Path, name: str, front: str, body: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(f"---\n{front}\n---\n{body}", encoding="utf-8")
    return path


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    lib.mkdir()
    clause(lib, "purpose", "id: t.purpose\ntitle: Purpose\nversion: 1.0.0\napplies_to: [sla]\n"
           "defines: {Service Credit: a credit against a future invoice.}",
           "{{ provider.label }} provides services to {{ customer.label }}.\n")
    clause(lib, "service", "id: t.service\ntitle: Service\nversion: 1.1.0\napplies_to: [sla]",
           "{{ service.description }}\n\n| Metric | Target |\n|---|---|\n"
           "{% for m in service.metrics %}| {{ m.title }} | {{ m.target }} |\n{% endfor %}")
    clause(lib, "credits-a", "id: t.credits.a\ntitle: Credits A\nversion: 1.0.0\n"
           "applies_to: [sla]\nslot: t.credits\nvariant: tiered\ndefault: true",
           "A Service Credit applies; cap {{ credits.cap | percent }}.\n")
    clause(lib, "credits-b", "id: t.credits.b\ntitle: Credits B\nversion: 1.0.0\n"
           "applies_to: [sla]\nslot: t.credits\nvariant: flat", "Flat credits.\n")
    clause(lib, "empty", "id: t.empty\ntitle: Empty\nversion: 1.0.0\napplies_to: [sla]\n"
           "when: 'false'", "Never shown.\n")
    clause(lib, "contacts", "id: t.contacts\ntitle: Contacts\nversion: 1.0.0\n"
           "applies_to: [sla]", "- {{ provider.name }}\n- {{ customer.name }}\n")
    (tmp_path / "outline.yaml").write_text(OUTLINE, encoding="utf-8")
    return lib


def build(library_dir: Path, agreement_path: Path = MINIMAL, extra: Path | None = None,
          variants: dict[str, str] | None = None):
    agreement = load_agreement(agreement_path).model
    library = load_library([library_dir] + ([extra] if extra else []))
    outline = load_outline(library_dir.parent / "outline.yaml")
    from slagen.documents import signatories

    return assemble(AssemblyRequest(outline, library, sla_context(agreement),
                                    variants=variants or {}, signatories=signatories(agreement)))


def test_sections_are_numbered_in_order_and_empty_ones_dropped(library_dir: Path) -> None:
    document = build(library_dir)
    assert document.outline_text().splitlines() == [
        "1 Purpose", "2 Services", "  2.1 Website hosting", "3 Credits", "4 Definitions",
        "5 Signatures", "A Contacts"]
    assert document.title == "Minimal Service Level Agreement"
    assert ("t.service", "1.1.0") in document.clauses_used
    assert "t.empty" not in dict(document.clauses_used)


def test_clause_text_tables_and_glossary(library_dir: Path) -> None:
    text = document_text(build(library_dir))
    assert "Provider Ltd provides services to Customer plc." in text
    assert "Availability | 99.9%" in text
    assert "Service Credit means a credit against a future invoice." in text
    assert "cap 50%" in text


def test_condition_excludes_section(library_dir: Path, tmp_path: Path) -> None:
    text = MINIMAL.read_text().split("credits:")[0]
    path = tmp_path / "nocredits.yaml"
    path.write_text(text)
    assert "Credits" not in build(library_dir, path).outline_text()


def test_variant_choice(library_dir: Path) -> None:
    assert "Flat credits." in document_text(build(library_dir, variants={"t.credits": "flat"}))
    assert "cap 50%" in document_text(build(library_dir))


def test_override_library_wins_by_id(library_dir: Path, tmp_path: Path) -> None:
    org = tmp_path / "org"
    org.mkdir()
    clause(org, "purpose", "id: t.purpose\ntitle: Our purpose\nversion: 2.0.0\n"
           "applies_to: [sla]", "Our own wording for {{ customer.label }}.\n")
    document = build(library_dir, extra=org)
    assert "Our own wording for Customer plc." in document_text(document)
    assert ("t.purpose", "2.0.0") in document.clauses_used


def test_signature_block_has_both_parties(library_dir: Path) -> None:
    from slagen.document import SignatureBlock

    section = next(s for s in build(library_dir).walk() if s.title == "Signatures")
    block = next(b for b in section.blocks if isinstance(b, SignatureBlock))
    assert [(p.role, p.name) for p in block.parties] == [("Provider", "Pat Provider"),
                                                         ("Customer", "Chris Customer")]


HOSTILE = [
    ("python-internals", "{{ ''.__class__.__mro__[1].__subclasses__() }}", "sandbox"),
    ("globals", "{{ self.__init__.__globals__ }}", "sandbox"),
    ("read-file", "{% include '/etc/passwd' %}", "loader"),
    ("huge-string", "{{ 'x' * 100000000 }}", "larger than"),
    ("huge-power", "{{ 10 ** 100000 }}", "not allowed"),
    ("huge-range", "{% for i in range(100000000) %}x{% endfor %}", "range"),
    ("undefined", "{{ provider.nmae }}", "no such value"),
    ("syntax", "{% for x in %}", "template syntax"),
    ("config", "{{ config }}", "no such value"),
]


@pytest.mark.parametrize("case", HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_clause_is_refused_naming_the_file(case: tuple, library_dir: Path) -> None:
    _, body, expected = case
    path = clause(library_dir, "contacts", "id: t.contacts\ntitle: C\nversion: 1.0.0\n"
                  "applies_to: [sla]", f"Line one.\n{body}\n")
    with pytest.raises(ClauseError) as info:
        build(library_dir)
    diagnostic = info.value.diagnostics[0]
    assert diagnostic.file == str(path)
    assert expected in diagnostic.message
    if case[0] not in ("read-file",):
        assert diagnostic.line == 8  # 6 lines of front matter, then the body's line 2


def test_endless_loop_is_stopped(library_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assemble_module, "RENDER_SECONDS", 0.5)
    path = clause(library_dir, "contacts", "id: t.contacts\ntitle: C\nversion: 1.0.0\n"
                  "applies_to: [sla]", "{% for i in range(10000) %}{% for j in range(10000) %}"
                  "{% endfor %}{% endfor %}\n")
    start = time.monotonic()
    with pytest.raises(ClauseError) as info:
        build(library_dir)
    assert time.monotonic() - start < 5
    assert info.value.diagnostics[0].file == str(path)
    assert "longer than" in info.value.diagnostics[0].message


def test_cached_compiled_clause_keeps_error_lines(library_dir: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("SLAGEN_NO_CACHE", raising=False)
    clause(library_dir, "contacts", "id: t.contacts\ntitle: C\nversion: 1.0.0\n"
           "applies_to: [sla]", "Line one.\n{{ provider.nmae }}\n")
    lines = []
    for _ in range(2):  # the second run reads the compiled code from the cache
        with pytest.raises(ClauseError) as info:
            build(library_dir)
        lines.append(info.value.diagnostics[0].line)
    assert lines == [8, 8]
    assert list((tmp_path / "cache" / "slagen" / "clauses").iterdir())
