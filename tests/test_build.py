"""`slagen build` end to end: real documents from the examples, checked by content."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from slagen.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
SAAS = ROOT / "examples" / "saas-crm.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every example with its OLAs as DOCX, HTML and Markdown; PDF for the SLAs only.

    PDF rendering dominates the time, and the OLAs go through the same renderer.
    """
    out = {}
    for example in EXAMPLES:
        folder = tmp_path_factory.mktemp(example.stem)
        assert main(["build", str(example), "-o", str(folder), "-f", "docx,html,md"]) == 0
        assert main(["build", str(example), "-o", str(folder / "pdf"), "-f", "pdf",
                     "--no-ola"]) == 0
        out[example.stem] = folder
    return out


def sla(folder: Path, suffix: str) -> Path:
    return next((folder / "pdf" if suffix == ".pdf" else folder).glob(f"*-sla{suffix}"))


def test_output_names_follow_id_and_version(built: dict[str, Path]) -> None:
    names = {p.name for p in built["saas-crm"].iterdir()}
    assert {"ACME-CRM-2027-v1.0.0-sla.docx", "ACME-CRM-2027-v1.0.0-sla.html",
            "ACME-CRM-2027-v1.0.0-sla.md", "ACME-CRM-2027-v1.0.0-ola-service-desk.docx",
            "ACME-CRM-2027-v1.0.0-ola-platform-ops.docx", "manifest.json"} <= names
    assert (built["saas-crm"] / "pdf" / "ACME-CRM-2027-v1.0.0-sla.pdf").exists()


def test_manifest_traces_every_output(built: dict[str, Path]) -> None:
    folder = built["saas-crm"]
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["agreement"]["sha256"] == hashlib.sha256(SAAS.read_bytes()).hexdigest()
    files = {o["file"]: o["sha256"] for o in manifest["outputs"]}
    for name, digest in files.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    ids = {c["id"] for c in manifest["clauses"]}
    assert len(ids) >= 20 and all(c["version"] for c in manifest["clauses"])
    assert manifest["slagen_version"]


def test_docx_has_sections_tables_and_parties(built: dict[str, Path]) -> None:
    import docx

    document = docx.Document(str(sla(built["saas-crm"], ".docx")))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0].startswith("1 ") and any(h.startswith("8.1 ") for h in headings)
    assert any("Service levels and targets" in h for h in headings)
    cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
    assert "99.95%" in " ".join(cells)
    text = "\n".join(p.text for p in document.paragraphs) + " ".join(cells)
    for party in ("Northwind Cloud GmbH", "Acme Retail Ltd", "Maria Keller", "Helen Carter"):
        assert party in text
    assert document.core_properties.title == "CRM Platform Service Level Agreement"


def test_pdf_text_holds_the_same(built: dict[str, Path]) -> None:
    from pypdf import PdfReader

    reader = PdfReader(str(sla(built["saas-crm"], ".pdf")))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for needle in ("Service levels and targets", "99.95%", "Northwind Cloud GmbH",
                   "Acme Retail Ltd", "Page 2 of"):
        assert needle in text, needle
    assert reader.metadata.title == "CRM Platform Service Level Agreement"
    assert len(reader.outline) >= 10  # bookmarks for sections


def test_open_negotiation_makes_a_draft(built: dict[str, Path]) -> None:
    from pypdf import PdfReader

    text = sla(built["managed-network"], ".md").read_text()
    assert "DRAFT" in text
    pdf = PdfReader(str(sla(built["managed-network"], ".pdf")))
    assert all("DRAFT" in page.extract_text() for page in pdf.pages[1:])


def test_same_input_same_bytes(built: dict[str, Path], tmp_path: Path) -> None:
    assert main(["build", str(SAAS), "-o", str(tmp_path), "-f", "docx,html,md"]) == 0
    for path in built["saas-crm"].glob("*.*"):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_builds_in_separate_processes_match(tmp_path: Path) -> None:
    for run in ("a", "b"):
        subprocess.run([sys.executable, "-m", "slagen", "build", str(SAAS), "-o",
                        str(tmp_path / run), "-f", "docx,pdf", "--no-ola"], check=True,
                       env={"PYTHONHASHSEED": "1" if run == "a" else "2",
                            "PATH": "/usr/bin:/bin"})
    for path in (tmp_path / "a").iterdir():
        assert (tmp_path / "b" / path.name).read_bytes() == path.read_bytes(), path.name


def test_existing_output_is_not_overwritten(tmp_path: Path,
                                            capsys: pytest.CaptureFixture) -> None:
    assert main(["build", str(SAAS), "-o", str(tmp_path), "-f", "md"]) == 0
    target = next(tmp_path.glob("*-sla.md"))
    target.write_text("signed copy")
    capsys.readouterr()
    assert main(["build", str(SAAS), "-o", str(tmp_path), "-f", "md"]) == 2
    err = capsys.readouterr().err
    assert "already exists; not overwritten" in err and "--force" in err
    assert target.read_text() == "signed copy"
    assert main(["build", str(SAAS), "-o", str(tmp_path), "-f", "md", "--force"]) == 0
    assert target.read_text() != "signed copy"


def test_draft_flag_marks_pages(tmp_path: Path) -> None:
    assert main(["build", str(SAAS), "-o", str(tmp_path), "-f", "md", "--draft"]) == 0
    assert "DRAFT" in next(tmp_path.glob("*-sla.md")).read_text()


def test_final_refuses_open_terms(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    network = ROOT / "examples" / "managed-network.yaml"
    assert main(["build", str(network), "-o", str(tmp_path), "--final", "-f", "md"]) == 2
    err = capsys.readouterr().err
    assert "still" in err and "--final" in err
    assert not list(tmp_path.iterdir())


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as info:
        main(["build", str(SAAS), "-o", str(tmp_path), "-f", "docx,odt"])
    assert info.value.code == 2


@pytest.mark.libreoffice
def test_libreoffice_converts_every_docx(built: dict[str, Path], tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed (scripts/test installs it)")
    docs = sorted(p for folder in built.values() for p in folder.glob("*.docx"))
    assert len(docs) >= 10  # SLAs, OLAs and UC summaries
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"),
                    *map(str, docs)], check=True, capture_output=True, timeout=300)
    for doc in docs:
        pdf = tmp_path / "pdf" / (doc.stem + ".pdf")
        assert pdf.exists(), f"LibreOffice did not convert {doc.name}"
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        assert "Approvals" in text or "Approval" in text, doc.name


def test_placeholders_warn_and_block_a_final_build(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture) -> None:
    minimal = ROOT / "tests" / "data" / "minimal.yaml"
    path = tmp_path / "a.yaml"
    path.write_text(minimal.read_text().replace("name: Provider Ltd",
                                                "name: '[Provider legal name]'"))
    assert main(["check", str(path)]) == 0
    err = capsys.readouterr().err
    assert "parties.provider.name: placeholder text '[Provider legal name]'" in err
    assert main(["build", str(path), "-o", str(tmp_path / "out"), "-f", "md", "--final"]) == 2
    assert not (tmp_path / "out").exists()
