"""Values with units: exact, never rounded up, with messages that show the fix."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from slagen.units import (
    Duration,
    Money,
    UnitError,
    format_duration,
    format_seconds,
    parse_duration,
    parse_money,
    parse_percent,
)


@pytest.mark.parametrize("text,value", [("99.9%", "99.9"), ("99.95 %", "99.95"),
                                        ("100%", "100"), ("0%", "0"), ("99.999%", "99.999")])
def test_percent_parses_exactly(text: str, value: str) -> None:
    assert parse_percent(text).value == Decimal(value)


def test_percent_is_never_rounded_when_shown() -> None:
    assert str(parse_percent("99.95%")) == "99.95%"
    assert str(parse_percent("99.999%")) == "99.999%"


@pytest.mark.parametrize("text,message", [
    ("101%", "between 0 and 100"), ("-5%", "between 0 and 100"),
    ("99.9", "has no unit"), ("soon", "not a percentage"), ("99,9%", "not a percentage")])
def test_percent_refuses_nonsense(text: str, message: str) -> None:
    with pytest.raises(UnitError, match=message):
        parse_percent(text)


@pytest.mark.parametrize("text,seconds,days", [
    ("15min", 900, 0), ("15 min", 900, 0), ("4h", 14400, 0), ("1h 30min", 5400, 0),
    ("30s", 30, 0), ("2 days", 172800, 0), ("1 week", 604800, 0), ("2 business days", 0, 2),
    ("1 business day", 0, 1), ("4 business hours", 14400, 0), ("1.5h", 5400, 0)])
def test_duration_parses(text: str, seconds: int, days: int) -> None:
    assert parse_duration(text) == Duration(seconds, days)


@pytest.mark.parametrize("raw,message", [
    ("soon", "not a duration"), ("1:30", "ambiguous"), (15, "has no unit"),
    ("0min", "zero"), ("2 business days 3h", "mixes"), ("1.5 business days", "whole days"),
    ("15 parsecs", "unknown unit")])
def test_duration_refuses_nonsense(raw: object, message: str) -> None:
    with pytest.raises(UnitError, match=message):
        parse_duration(raw)


def test_duration_words() -> None:
    assert format_duration(parse_duration("90min")) == "1 h 30 min"
    assert format_duration(parse_duration("2 business days")) == "2 business days"
    assert format_seconds(2629) == "43 min 49 s"


@pytest.mark.parametrize("text,amount,currency", [
    ("EUR 12,000", "12000", "EUR"), ("450.00 USD", "450.00", "USD"),
    ("€1,200.50", "1200.50", "EUR"),
    ("£99", "99", "GBP")])
def test_money(text: str, amount: str, currency: str) -> None:
    assert parse_money(text) == Money(Decimal(amount), currency)


@pytest.mark.parametrize("text", ["12000", "EUR", "EUR 12 USD", "lots"])
def test_money_refuses_nonsense(text: str) -> None:
    with pytest.raises(UnitError):
        parse_money(text)


@given(st.decimals(min_value=0, max_value=100, places=4))
def test_percent_round_trips(value: Decimal) -> None:
    assert parse_percent(str(parse_percent(f"{value}%"))).value == value
