"""The command line: help, version, exit codes, start-up cost, schema."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from slagen import __version__
from slagen.cli import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def test_version(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"slagen {__version__}"


def test_every_subcommand_has_help() -> None:
    parser = build_parser()
    actions = [a for a in parser._subparsers._group_actions]  # noqa: SLF001
    commands = actions[0].choices
    assert {"check", "build", "schema", "clauses"} <= set(commands)
    for name, sub in commands.items():
        assert sub.format_help().startswith("usage: slagen " + name)


def test_no_command_prints_help_and_exits_2(capsys: pytest.CaptureFixture) -> None:
    assert main([]) == 2
    assert "usage: slagen" in capsys.readouterr().out


def test_unknown_option_is_a_usage_error() -> None:
    with pytest.raises(SystemExit) as info:
        main(["check", "--bogus", "x.yaml"])
    assert info.value.code == 2


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_examples_check_clean(path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["check", str(path)]) == 0, capsys.readouterr().err
    assert f"{path}: ok" in capsys.readouterr().out


def test_help_does_not_import_heavy_libraries() -> None:
    code = ("import sys; from slagen.cli import build_parser; build_parser().format_help();"
            "print(sorted(m for m in ('docx', 'weasyprint', 'openpyxl', 'questionary', "
            "'prompt_toolkit', 'jinja2', 'yaml', 'markdown_it', 'holidays') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"


def test_schema_describes_the_format(capsys: pytest.CaptureFixture) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["properties"]["slagen"] == {"const": 1, "description": "Format version."}
    assert "Metric" in schema["$defs"]
    assert set(schema["required"]) >= {"agreement", "parties", "services"}


def test_schema_accepts_the_examples() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    from slagen.schema import json_schema

    validator = jsonschema.Draft202012Validator(json_schema())
    for path in EXAMPLES:
        data = yaml.load(path.read_text(), Loader=yaml.BaseLoader)  # everything as text
        data["slagen"] = 1
        errors = [e for e in validator.iter_errors(data)
                  if e.validator not in ("type", "anyOf", "const", "enum")]
        assert not errors, (path, errors[:3])


def test_schema_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    target = tmp_path / "schema.json"
    target.write_text("keep me")
    assert main(["schema", "-o", str(target)]) == 2
    assert "already exists" in capsys.readouterr().err
    assert target.read_text() == "keep me"
    assert main(["schema", "-o", str(target), "--force"]) == 0
    assert json.loads(target.read_text())["title"].startswith("slagen agreement file")
