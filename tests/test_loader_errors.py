"""Malformed agreement files: each gives its specific message, file:line, exit 2."""

from __future__ import annotations

from pathlib import Path

import pytest

from slagen.cli import main
from slagen.errors import InputError
from slagen.load import load_agreement

MINIMAL = Path(__file__).resolve().parent / "data" / "minimal.yaml"

BASE = MINIMAL.read_text(encoding="utf-8")


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


# (case id, text to replace, replacement, expected message fragment, line fragment or None)
REPLACEMENTS = [
    ("percent-over-100", "target: 99.9%", "target: 101%",
     "'101%' is not a percentage between 0 and 100 (e.g. 99.9%)", "target: 101%"),
    ("percent-negative", "target: 99.9%", "target: -5%", "between 0 and 100", "target: -5%"),
    ("percent-without-unit", "target: 99.9%", "target: 99.9",
     "'99.9' has no unit: write it as a percentage, e.g. 99.9%", "target: 99.9"),
    ("duration-word", "target: 15min", "target: soon", "'soon' is not a duration",
     "target: soon"),
    ("duration-clock", "target: 15min", "target: 1:30", "'1:30' is ambiguous: write 1h 30min",
     "target: 1:30"),
    ("duration-unknown-unit", "target: 15min", "target: 15 fortnights",
     "unknown unit 'fortnights'", "target: 15 fortnights"),
    ("duration-for-availability", "target: 99.9%", "target: 4h",
     "an availability target is a percentage", "target: 4h"),
    ("percent-for-response", "target: 15min", "target: 95%",
     "a response time target is a duration", "target: 95%"),
    ("version-unknown", "slagen: 1", "slagen: 2",
     "format version '2' is not supported; this slagen reads version 1", "slagen: 2"),
    ("version-missing", "slagen: 1\n", "", "does not start with 'slagen: 1'", None),
    ("unknown-field", "  review: annually", "  review: annually\n  reveiw: monthly",
     "unknown field 'reveiw'", "reveiw"),
    ("unknown-field-hint", "    hours: always\n", "    hour: always\n",
     "missing required field 'hours'", None),
    ("choice", "kind: service", "kind: services", "'services' is not one of: service, "
     "customer, multi-level", "kind: services"),
    ("boolean-word", "credit: true", "credit: yes", "'yes' is not true or false",
     "credit: yes"),
    ("country-no-as-text", "holidays: GB", "holidays: XX", "XX", "holidays: XX"),
    ("impossible-date", "effective: 2027-01-01", "effective: 2027-02-30",
     "'2027-02-30' is not a real date", "effective: 2027-02-30"),
    ("date-not-date", "effective: 2027-01-01", "effective: next year",
     "'next year' is not a date", "effective: next year"),
    ("expires-before", "  review: annually", "  review: annually\n  expires: 2026-01-01",
     "is not after the effective date", "expires: 2026-01-01"),
    ("duplicate-key", "  review: annually", "  review: annually\n  review: monthly",
     "duplicate key 'review' (first defined on line", "review: monthly"),
    ("unknown-calendar", "hours: always", "hours: allways", "unknown calendar 'allways'",
     "hours: allways"),
    ("bad-hours", "Mon-Fri 09:00-17:00", "Mon-Fry 09:00-17:00", "unknown day 'Fry'",
     "Mon-Fry"),
    ("bad-timezone", "timezone: Europe/London", "timezone: Europe/Londn",
     "Europe/Londn", "timezone: Europe/Londn"),
    ("credit-overlap", "    - {below: 99.0%, credit: 25%}",
     "    - {below: 99.5%, at_least: 98.0%, credit: 25%}\n    - {below: 99.0%, credit: 50%}",
     "overlap", None),
    ("credit-not-growing", "{below: 99.0%, credit: 25%}", "{below: 99.0%, credit: 5%}",
     "does not grow", None),
    ("credit-above-cap", "cap: 50%", "cap: 20%", "exceeds the cap of 20%", None),
    ("duplicate-service-id", "responsibilities:",
     "  - {id: web, name: Again, description: x, hours: always, metrics: []}\n"
     "responsibilities:", "id 'web' is used twice", "id: web, name: Again"),
    ("list-expected", "scope: [Web servers, TLS certificates]", "scope: Web servers",
     "expected a list, got text", "scope: Web servers"),
    ("mapping-expected", "  provider: [Run the service.]", "  provider: {a: b}",
     "expected a list, got a mapping", "provider: {a: b}"),
    ("tab-indent", "  review: annually", "\treview: annually",
     "tab", None),
    ("python-tag", "title: Minimal Service Level Agreement",
     "title: !!python/object/apply:os.system ['echo hi']", "YAML tag", "!!python"),
    ("alias", "  customer:\n", "  customer: &c\n", "anchors (&name) are not supported", None),
    ("truncated", "  customer: [Report incidents through the service desk.]",
     "  customer: [Report incidents", "", None),
    ("text-as-bool", "name: Website hosting", "name: true", "expected text, got the boolean",
     "name: true"),
    ("bidi-control", "name: Provider Ltd", "name: \"Provider\u202eLtd\"",
     "bidirectional control", "Provider"),
    ("control-character", "name: Provider Ltd", "name: \"Provider\\x1b Ltd\"",
     "control character U+001B", "Provider"),
    ("unknown-metric-kind", "kind: availability", "kind: uptime", "'uptime' is not one of",
     "kind: uptime"),
    ("no-claim", "  claim: {within: 30 days}\n", "", "neither automatic nor claimable", None),
    ("missing-target", "        target: 15min\n", "", "no target", None),
    ("rolling-window", "        calendar: office", "        calendar: office\n        window: "
     "rolling days", "'rolling days'", None),
]


@pytest.mark.parametrize("case", REPLACEMENTS, ids=[c[0] for c in REPLACEMENTS])
def test_malformed_agreement_is_refused_with_location(case: tuple, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture) -> None:
    _, old, new, expected, line_fragment = case
    assert old in BASE
    text = BASE.replace(old, new, 1)
    path = tmp_path / "agreement.yaml"
    path.write_text(text, encoding="utf-8")
    before = set(tmp_path.iterdir())
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err
    assert set(tmp_path.iterdir()) == before  # nothing written
    if line_fragment is not None:
        assert f"{path}:{line_of(text, line_fragment)}:" in err


RAW_CASES = [
    ("empty", b"", "the file is empty"),
    ("whitespace", b"   \n\n", "the file is empty"),
    ("not-utf8", b"slagen: 1\nagreement:\n  title: Caf\xe9\n", "byte 0xe9 is not UTF-8"),
    ("top-level-list", b"- slagen: 1\n", "top level must be a mapping"),
    ("top-level-scalar", b"hello\n", "top level must be a mapping"),
    ("nul-byte", b"slagen: 1\x00\n", "U+0000"),
    ("alias-bomb", b"a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "not supported"),
    ("deep-nesting", b"a: " + b"[" * 200 + b"]" * 200 + b"\n", "nesting"),
]


@pytest.mark.parametrize("case", RAW_CASES, ids=[c[0] for c in RAW_CASES])
def test_unreadable_input_is_refused_cleanly(case: tuple, tmp_path: Path,
                                             capsys: pytest.CaptureFixture) -> None:
    _, data, expected = case
    path = tmp_path / "agreement.yaml"
    path.write_bytes(data)
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert expected in err
    assert "Traceback" not in err and str(path) in err


def test_all_errors_are_reported_in_one_run(tmp_path: Path) -> None:
    text = BASE.replace("target: 99.9%", "target: 101%").replace("target: 15min",
                                                                  "target: soon")
    text = text.replace("kind: service", "kind: nonsense")
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_agreement(path)
    codes = [d.message for d in info.value.diagnostics]
    assert len(codes) == 3, codes


def test_error_names_service_and_metric_by_id(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(BASE.replace("target: 99.9%", "target: 101%"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_agreement(path)
    assert info.value.diagnostics[0].path == "services[web].metrics[availability].target"


def test_missing_file(capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    assert main(["check", str(tmp_path / "nope.yaml")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_yaml_11_surprises_stay_text(tmp_path: Path) -> None:
    text = BASE.replace("holidays: GB", "holidays: 'NO'").replace(
        "address: 2 Low Road, Leeds", "address: NO")
    path = tmp_path / "a.yaml"
    path.write_text(text, encoding="utf-8")
    model = load_agreement(path).model
    assert model.customer.address == "NO"
    assert model.calendars["office"].holidays == "NO"


def test_required_text_may_not_be_empty(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "a.yaml"
    path.write_text(BASE.replace("name: Provider Ltd", 'name: ""'), encoding="utf-8")
    assert main(["check", str(path)]) == 2
    assert "parties.provider.name: is empty; this field needs a value" in \
        capsys.readouterr().err


@pytest.mark.parametrize("loader", ["_PureLoader", "_FastLoader"])
def test_both_yaml_back_ends_give_the_same_verdicts(loader: str, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """libyaml scans when PyYAML has it; the pure-Python scanner is the fallback."""
    from slagen import yamlsrc

    if not hasattr(yamlsrc, loader):
        pytest.skip(f"{loader} is not available in this PyYAML")
    monkeypatch.setattr(yamlsrc, "_StrictLoader", getattr(yamlsrc, loader))
    cases = {"a: &x 1\nb: *x\n": "not supported", "a: 1\na: 2\n": "duplicate key 'a'",
             "a:\n\tb: 1\n": "tab character", "a: [1, 2\n": "truncated",
             "a: NO\nb: 010\nc: 1:30\n": None}
    for text, expected in cases.items():
        if expected is None:
            data, _ = yamlsrc.load_yaml_text(text, "t.yaml")
            assert data == {"a": "NO", "b": "010", "c": "1:30"}
            continue
        with pytest.raises(InputError) as info:
            yamlsrc.load_yaml_text(text, "t.yaml")
        assert expected in info.value.report(), (loader, text)
