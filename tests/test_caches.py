"""The user's cache and the shortcuts taken for speed: same answers as the long way.

Each cache is checked cold, warm, with a damaged entry and turned off; each
shortcut (whole-word search, one-line width bound, shared record methods) is
checked against what it replaces.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slagen import holiday_data
from slagen.document import Code, Strong, Text
from slagen.library import load_library
from slagen.records import record

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    monkeypatch.delenv("SLAGEN_NO_CACHE", raising=False)
    return home / "slagen"


def _forget_holiday_answers() -> None:
    for function in (holiday_data.country_codes, holiday_data.country_names,
                     holiday_data._country, holiday_data.holidays_in):
        function.cache_clear()


# --- holiday data ----------------------------------------------------------------


def test_holiday_answers_match_the_package_cold_warm_and_damaged(cache_home: Path) -> None:
    import holidays

    expected = tuple(sorted(holidays.country_holidays("DE", subdiv="BY", years=2027).items()))
    _forget_holiday_answers()
    assert holiday_data.holidays_in("DE", "BY", 2027) == expected  # cold: computed, stored
    entries = sorted((cache_home / "holidays").iterdir())
    assert entries
    _forget_holiday_answers()
    assert holiday_data.holidays_in("DE", "BY", 2027) == expected  # warm: from the cache
    for entry in entries:
        entry.write_bytes(b"{not json")
    _forget_holiday_answers()
    assert holiday_data.holidays_in("DE", "BY", 2027) == expected  # damaged: computed again
    assert "BY" in holiday_data.subdivisions("DE")
    assert holiday_data.subdivision_names("DE")["BY"] == "Bayern"
    assert set(holidays.list_supported_countries()) == holiday_data.country_codes()
    assert holiday_data.country_names()["GB"] == "United Kingdom"


def test_holiday_cache_can_be_turned_off(cache_home: Path, monkeypatch: pytest.MonkeyPatch
                                         ) -> None:
    monkeypatch.setenv("SLAGEN_NO_CACHE", "1")
    _forget_holiday_answers()
    days = dict(holiday_data.holidays_in("NL", None, 2027))
    assert days[date(2027, 4, 27)] == "King's Day"
    assert not cache_home.exists()
    _forget_holiday_answers()


@pytest.mark.parametrize("locale", ["C", "C.UTF-8", "nl_NL.UTF-8", "de_DE.UTF-8"])
def test_holiday_names_do_not_depend_on_the_locale(locale: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Left to itself, `holidays` names them in the environment's language."""
    monkeypatch.setenv("SLAGEN_NO_CACHE", "1")
    for name in ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.setenv(name, locale)
    _forget_holiday_answers()
    days = dict(holiday_data.holidays_in("NL", None, 2027))
    assert days[date(2027, 4, 27)] == "King's Day"
    assert dict(holiday_data.holidays_in("DE", "BY", 2027))[date(2027, 10, 3)] == \
        "German Unity Day"
    _forget_holiday_answers()


# --- the clause library ----------------------------------------------------------


def _clause(folder: Path, name: str, title: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(f"---\nid: t.{name}\ntitle: {title}\nversion: 1.0.0\napplies_to: [sla]\n"
                    f"---\nBody of {name}.\n", encoding="utf-8")
    return path


def test_library_folder_is_reread_when_a_clause_changes(cache_home: Path, tmp_path: Path
                                                        ) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    _clause(lib, "one", "First")
    assert load_library([lib]).clauses["t.one"].title == "First"
    assert load_library([lib]).clauses["t.one"].title == "First"  # from the cache
    assert list((cache_home / "library").iterdir())
    _clause(lib, "one", "Changed title")
    _clause(lib, "two", "Second")
    library = load_library([lib])
    assert library.clauses["t.one"].title == "Changed title"
    assert library.clauses["t.two"].title == "Second"


def test_library_with_problems_reports_them_every_time(cache_home: Path, tmp_path: Path
                                                       ) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    (lib / "broken.md").write_text("---\nid: t.broken\n---\nNo title.\n", encoding="utf-8")
    for _ in range(2):
        library = load_library([lib], strict=False)
        assert any("missing 'title'" in p.message for p in library.problems)


def test_cached_library_equals_a_fresh_read(cache_home: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    load_library()
    warm = load_library()
    monkeypatch.setenv("SLAGEN_NO_CACHE", "1")
    assert load_library().clauses == warm.clauses


# --- parsed clause text ----------------------------------------------------------


def test_parsed_markdown_is_the_same_from_the_cache(cache_home: Path) -> None:
    from slagen.mdparse import parse_markdown

    text = "Intro with **bold** and `code`.\n\n| A | B |\n|---|--:|\n| 1 | 2 |\n\n- x\n- y\n"
    cold = parse_markdown(text)
    warm = parse_markdown(text)
    assert cold == warm
    entries = list((cache_home / "markdown").iterdir())
    assert len(entries) == 1
    entries[0].write_bytes(b"not a pickle")
    assert parse_markdown(text) == cold


# --- DOCX base document -----------------------------------------------------------


def test_docx_is_identical_cold_warm_and_without_cache(cache_home: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from slagen.pipeline import BuildRequest, build

    def docx_bytes(folder: str) -> bytes:
        result = build(BuildRequest(agreement=ROOT / "examples" / "saas-crm.yaml",
                                    output_dir=tmp_path / folder, formats=("docx",),
                                    include_ola=False))
        return next(p for p in result.outputs if p.suffix == ".docx").read_bytes()

    cold, warm = docx_bytes("cold"), docx_bytes("warm")
    entries = list((cache_home / "docx").iterdir())
    assert entries
    entries[0].write_bytes(entries[0].read_bytes()[:1000])  # damaged: built again
    assert docx_bytes("damaged") == cold
    monkeypatch.setenv("SLAGEN_NO_CACHE", "1")
    assert cold == warm == docx_bytes("off")


# --- shortcuts -------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="ab_ -é1\n.", max_size=40),
       term=st.text(alphabet="ab_ -é1.", min_size=1, max_size=5))
def test_whole_word_search_matches_the_regex(text: str, term: str) -> None:
    from slagen.assemble import _mentions

    expected = re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text) is not None
    assert _mentions(text, term) is expected


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.text(alphabet="aiW m-.", min_size=0, max_size=12), max_size=8),
       width=st.floats(min_value=5, max_value=400), bold=st.booleans(),
       code=st.booleans())
def test_one_line_shortcut_counts_lines_as_the_full_wrap(words: list[str], width: float,
                                                         bold: bool, code: bool) -> None:
    from slagen.render import wordmetrics

    metrics = wordmetrics.StyleMetrics(size=11, before=0, after=6, spacing=1.15)
    inline = tuple(Code(w) if code and i % 2 else Text(w) for i, w in enumerate(words))
    inlines = (Strong(inline),) if bold else inline
    lines: list[list[tuple[float, float]]] = [[(0.0, 0.0)]]
    wordmetrics._pieces(inlines, False, lines)
    limit = max(width / metrics.size, 1.0)
    full_wrap = sum(wordmetrics._wrap(pieces, limit) for pieces in lines)
    assert metrics.lines(inlines, width) == full_wrap


@record
class _Point:
    x: int
    y: int = 0
    label: str = dataclasses.field(default="", compare=False)


@dataclasses.dataclass(frozen=True)
class _DataPoint:
    x: int
    y: int = 0
    label: str = dataclasses.field(default="", compare=False)


def test_record_behaves_like_a_frozen_dataclass() -> None:
    a, b = _Point(1, 2, "a"), _Point(1, 2, "b")
    assert a == b and hash(a) == hash(b)  # label is not compared
    assert a != _Point(1, 3) and a != (1, 2)
    assert hash(a) == hash(_DataPoint(1, 2))  # same field values, same hash
    assert repr(a) == repr(_DataPoint(1, 2, "a")).replace("_DataPoint", "_Point")
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.x = 5  # type: ignore[misc]
    assert dataclasses.replace(a, y=7) == _Point(1, 7)
    assert {a, b} == {a}


def test_record_keeps_methods_the_class_writes_itself() -> None:
    @record
    class Money:
        cents: int

        def __repr__(self) -> str:
            return f"€{self.cents / 100:.2f}"

    assert repr(Money(250)) == "€2.50"
    assert Money(250) == Money(250)


def test_docx_package_is_the_same_when_python_docx_writer_is_unavailable(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The zip is written from python-docx's part writers (private API); if they change,
    the fallback saves through python-docx's public `save()` and gives the same bytes."""
    from slagen.pipeline import BuildRequest, build
    from slagen.render import wordml

    def docx_bytes(folder: str) -> bytes:
        result = build(BuildRequest(agreement=ROOT / "examples" / "it-service-desk.yaml",
                                    output_dir=tmp_path / folder, formats=("docx",),
                                    include_ola=False))
        return next(p for p in result.outputs if p.suffix == ".docx").read_bytes()

    usual = docx_bytes("usual")

    def renamed(document: object) -> dict[str, bytes]:  # a later python-docx
        raise AttributeError("type object 'PackageWriter' has no attribute '_write_parts'")

    monkeypatch.setattr(wordml, "_parts_from_writers", renamed)
    assert docx_bytes("fallback") == usual
