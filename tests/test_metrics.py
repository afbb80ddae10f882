"""Service-level math against the figures in domain.md §3–5."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from slagen.calendar import BusinessCalendar, WeeklyHours, parse_weekly_hours
from slagen.metrics import (
    CreditBand,
    MetricError,
    apply_cap,
    availability,
    bands_from_thresholds,
    chain_fits,
    check_schedule,
    credit_for,
    downtime_allowance,
    downtime_budget_split,
    earn_back_eligible,
    format_downtime,
    monthly_credit,
    mtbf,
    mttr,
    outage_scenario_credit,
    parallel_availability,
    serial_availability,
    steady_state_availability,
    window_seconds,
)
from slagen.units import Money, Percent

D = Decimal
HOUR = 3600


def pct(text: str) -> Percent:
    return Percent(D(text))


# --- the downtime table, domain.md §3.1, cell by cell -----------------------

BUSINESS = BusinessCalendar(parse_weekly_hours("Mon-Fri 09:00-18:00"))
BUSINESS_MONTH = (2027, 6)  # June 2027 has 22 weekdays: 22 x 9 h = 11,880 min
COLUMNS = [("30 days", None), ("month", None), ("year", None), ("week", None),
           (BUSINESS_MONTH, BUSINESS)]
TABLE = """
| 99 % | 7 h 12 m | 7 h 18 m | 87.6 h (3.65 d) | 1 h 41 m | 1 h 59 m |
| 99.5 % | 3 h 36 m | 3 h 39 m | 43.8 h | 50.4 m | 59.4 m |
| 99.9 % | 43.2 m | 43.8 m | 8.76 h | 10.1 m | 11.9 m |
| 99.95 % | 21.6 m | 21.9 m | 4.38 h | 5.0 m | 5.9 m |
| 99.99 % | 4.32 m | 4.38 m | 52.6 m | 1.0 m | 1.2 m |
| 99.999 % | 26 s | 26 s | 5.26 m | 6 s | 7 s |
"""
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def table_cells() -> list[tuple[str, object, object, str]]:
    cells = []
    for line in TABLE.strip().splitlines():
        target, *row = (cell.strip() for cell in line.strip("|").split("|"))
        for (window, calendar), cell in zip(COLUMNS, row, strict=True):
            for printed in re.findall(r"[^()]+", cell):
                cells.append((target.rstrip(" %"), window, calendar, printed.strip()))
    return cells


def shows_as(seconds: Decimal, printed: str) -> bool:
    """Whether `seconds` prints as the cell does, at the cell's own precision."""
    parts = re.findall(r"(\d+(?:\.\d+)?) (\w)", printed)
    unit = UNIT_SECONDS[parts[-1][1]]
    value = sum(D(number) * UNIT_SECONDS[name] for number, name in parts) / unit
    places = D(1).scaleb(D(parts[-1][0]).as_tuple().exponent)
    return (seconds / unit).quantize(places, rounding=ROUND_HALF_UP) == value


@pytest.mark.parametrize(("target", "window", "calendar", "printed"), table_cells())
def test_every_cell_of_the_downtime_table(
    target: str, window: object, calendar: BusinessCalendar | None, printed: str
) -> None:
    allowance = downtime_allowance(pct(target), window, calendar)  # type: ignore[arg-type]
    assert shows_as(allowance, printed), (allowance, printed)


def test_table_covers_every_cell() -> None:
    assert len(table_cells()) == 31  # 6 x 5, plus 3.65 d next to 87.6 h


@pytest.mark.parametrize(
    ("window", "seconds"),
    [("month", D("2629.8")), ("30 days", D("2592")), (30, D("2592")), ("year", D("31536")),
     ("week", D("604.8")), ("day", D("86.4")), ("quarter", D("7889.4")),
     ((2027, 1), D("2678.4")), ((2027, 2), D("2419.2")), ((2028, 2), D("2505.6")),
     ("rolling 90 days", D("7776")), ("7 days", D("604.8"))],
)
def test_allowances_are_exact(window: object, seconds: Decimal) -> None:
    assert downtime_allowance(pct("99.9"), window) == seconds  # type: ignore[arg-type]


def test_named_figures_from_the_text() -> None:
    assert downtime_allowance(pct("99.9"), "30 days") / 60 == D("43.2")  # error budget
    assert downtime_allowance(pct("99.9"), (2027, 1)) / 60 == D("44.64")  # 31 days: 44.6 min
    assert downtime_allowance(pct("99.9"), (2027, 2)) / 60 == D("40.32")  # February: 40.3 min
    assert downtime_allowance(pct("99.9"), BUSINESS_MONTH, BUSINESS) / 60 == D("11.88")
    assert downtime_allowance(pct("100"), "month") == 0


def test_business_month_definition() -> None:
    # An average month is 365.25/12/7 weeks of the calendar's weekly hours.
    expected = D(36525 * 45 * HOUR) / (1200 * 7)  # 704,410.71 s = 195.67 h
    assert window_seconds("month", BUSINESS) == expected
    assert window_seconds("month", BusinessCalendar.always()) == D(2629800)
    assert window_seconds("week", BUSINESS) == 45 * HOUR
    assert window_seconds("quarter") == 3 * window_seconds("month")


def test_specific_months_use_the_real_calendar() -> None:
    berlin = BusinessCalendar.always("Europe/Berlin")
    assert window_seconds((2027, 3), berlin) == (31 * 24 - 1) * HOUR  # DST month
    bavaria = BusinessCalendar(parse_weekly_hours("Mon-Fri 09:00-18:00"), "Europe/Berlin",
                               "DE", "BY")
    assert window_seconds((2027, 5), bavaria) == 18 * 9 * HOUR


@pytest.mark.parametrize("window", ["fortnight", 0, -3, True, (2027, 13), (2027,), "0 days"])
def test_bad_windows(window: object) -> None:
    with pytest.raises(MetricError, match="month|window|empty"):
        downtime_allowance(pct("99.9"), window)  # type: ignore[arg-type]


def test_bad_target() -> None:
    with pytest.raises(MetricError, match="between"):
        downtime_allowance(pct("100.5"), "month")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(D("2629.8"), "43 min 50 s"), (D("31556.952"), "8 h 45 min 57 s"), (D("26.298"), "26 s"),
     (D("0.4"), "0 s"), (D("0.5"), "1 s"), (D("31536"), "8 h 45 min 36 s")],
)
def test_format_downtime_rounds_to_the_nearest_second(seconds: Decimal, text: str) -> None:
    assert format_downtime(seconds) == text


# --- availability and reliability --------------------------------------------


def test_availability_formula() -> None:
    assert availability(2592000, 2592) == D("99.9")
    assert availability(D("2629800"), 0) == 100
    assert availability(2629800, 2630) < D("99.9")  # 43 min 50 s breaches 99.9 %


def test_availability_rejects_nonsense() -> None:
    with pytest.raises(MetricError, match="positive"):
        availability(0, 0)
    with pytest.raises(MetricError, match="between 0"):
        availability(100, 101)
    with pytest.raises(MetricError, match="between 0"):
        availability(100, -1)


def test_composite_availability() -> None:
    three = serial_availability([pct("99.95")] * 3)
    assert three == D("99.8500749875")
    assert three.quantize(D("0.01")) == D("99.85")
    assert parallel_availability([D("99.5"), D("99.5")]) == D("99.9975")
    assert serial_availability([D("100")]) == 100
    with pytest.raises(MetricError, match="at least one"):
        serial_availability([])
    with pytest.raises(MetricError, match="between"):
        parallel_availability([D("101")])


def test_budget_view_approximates_serial_chain() -> None:
    exact = 100 - serial_availability([D("99.95")] * 3)
    assert abs(exact - D("0.15")) < D("0.0001")


def test_reliability() -> None:
    assert mtbf(720 * HOUR, 3) == 240 * HOUR
    assert mttr(3 * HOUR, 3) == HOUR
    assert steady_state_availability(999 * HOUR, HOUR) == D("99.9")
    with pytest.raises(MetricError, match="at least one failure"):
        mtbf(720 * HOUR, 0)
    with pytest.raises(MetricError, match="at least one failure"):
        mttr(HOUR, 0)
    with pytest.raises(MetricError, match="not both 0"):
        steady_state_availability(0, 0)


# --- credit schedules --------------------------------------------------------


def band(low: str, high: str, credit: str) -> CreditBand:
    return CreditBand(pct(low), pct(high), pct(credit))


AWS_OPTIMIZER = [band("99.0", "99.9", "10"), band("95.0", "99.0", "25"), band("0", "95.0", "100")]


def test_published_schedules_are_clean() -> None:
    assert check_schedule(AWS_OPTIMIZER, pct("99.9")) == []
    microsoft = bands_from_thresholds([(pct("99"), pct("50")), (pct("99.9"), pct("25")),
                                       (pct("95"), pct("100"))])
    assert microsoft == [band("99", "99.9", "25"), band("95", "99", "50"),
                         band("0", "95", "100")]
    assert check_schedule(microsoft, pct("99.9")) == []


def test_overlap_names_both_bands() -> None:
    bands = [band("99.0", "99.9", "10"), band("98.0", "99.5", "25"), band("0", "98.0", "100")]
    assert check_schedule(bands, pct("99.9")) == [
        "bands 1 (99.0%–99.9%) and 2 (98.0%–99.5%) overlap between 99.0% and 99.5%"
    ]


def test_gap_between_bands() -> None:
    bands = [band("99.0", "99.9", "10"), band("0", "98.5", "25")]
    assert check_schedule(bands, pct("99.9")) == [
        "gap between band 1 (from 99.0%) and band 2 (below 98.5%): 98.5%–99.0% has no credit"
    ]


def test_falling_credit() -> None:
    bands = [band("99.0", "99.9", "10"), band("95.0", "99.0", "5"), band("0", "95.0", "100")]
    assert check_schedule(bands, pct("99.9")) == [
        "credit does not grow as service gets worse: band 2 (95.0%–99.0%) gives 5% "
        "but band 1 (99.0%–99.9%) gives 10%"
    ]


def test_gap_below_the_target() -> None:
    bands = [band("99.0", "99.5", "10"), band("0", "99.0", "25")]
    assert check_schedule(bands, pct("99.9")) == [
        "gap between the target 99.9% and band 1 (below 99.5%): 99.5%–99.9% has no credit"
    ]


def test_bottom_band_must_reach_zero() -> None:
    bands = [band("99.0", "99.9", "10"), band("95.0", "99.0", "25")]
    assert check_schedule(bands, pct("99.9")) == [
        "the bottom band 2 (from 95.0%) does not reach 0%: 0.0%–95.0% has no credit"
    ]


def test_band_above_target_and_empty_band() -> None:
    bands = [band("99.0", "99.95", "10"), band("99.0", "95.0", "25"), band("0", "99.0", "25")]
    problems = check_schedule(bands, pct("99.9"))
    assert problems == [
        "band 1 (99.0%–99.95%) reaches above the target 99.9%: credits are only due below "
        "the target",
        "band 2 (99.0%–95.0%) is empty: its lower bound 99.0% must be below its upper bound "
        "95.0% (bands are at_least–below)",
    ]


def test_equal_bounds_are_empty_too() -> None:
    problems = check_schedule([band("99.0", "99.0", "10"), *AWS_OPTIMIZER], pct("99.9"))
    assert problems == ["band 1 (99.0%–99.0%) is empty: its lower bound 99.0% must be below "
                        "its upper bound 99.0% (bands are at_least–below)"]


def test_no_bands_and_cap() -> None:
    assert check_schedule([], pct("99.9")) == [
        "the schedule has no bands: service below the target 99.9% earns no credit"
    ]
    assert check_schedule(AWS_OPTIMIZER, pct("99.9"), cap=pct("50")) == [
        "band 3 (0.0%–95.0%) gives 100% but credits are capped at 50%"
    ]


def test_bands_entirely_above_target_leave_everything_uncovered() -> None:
    assert check_schedule([band("99.95", "99.99", "10")], pct("99.9")) == [
        "band 1 (99.95%–99.99%) reaches above the target 99.9%: credits are only due below "
        "the target",
        "no band lies below the target: 0.0%–99.9% has no credit",
    ]


def test_credit_is_judged_on_the_unrounded_value() -> None:
    assert credit_for(D("99.8996"), AWS_OPTIMIZER) == pct("10")
    assert credit_for(D("99.9"), AWS_OPTIMIZER) == Percent(D(0))
    assert credit_for(D("99.0"), AWS_OPTIMIZER) == pct("10")
    assert credit_for(D("98.9999"), AWS_OPTIMIZER) == pct("25")
    assert credit_for(pct("94.99"), AWS_OPTIMIZER) == pct("100")


def test_overlapping_bands_pay_the_higher_credit() -> None:
    assert credit_for(D("99.2"), [band("99.0", "99.9", "10"), band("98.0", "99.5", "25")]) == (
        pct("25")
    )


def test_cap_and_money() -> None:
    assert apply_cap([pct("10"), pct("25"), pct("30")], pct("50")) == pct("50")
    assert apply_cap([pct("10"), pct("25")], None) == pct("35")
    assert apply_cap(pct("10"), pct("50")) == pct("10")
    credit = monthly_credit(Money(D("12000"), "EUR"), pct("10"))
    assert credit == Money(D("1200"), "EUR")
    assert str(credit) == "EUR 1,200.00"
    assert monthly_credit(Money(D("999.99"), "USD"), pct("2.5")).amount == D("24.99975")


def test_outage_scenarios() -> None:
    attained, credit = outage_scenario_credit(pct("99.9"), AWS_OPTIMIZER, pct("50"), [2400] * 3)
    assert attained.quantize(D("0.0001")) == D("99.7262")
    assert credit == pct("10")
    assert outage_scenario_credit(pct("99.9"), AWS_OPTIMIZER, None, []) == (100, Percent(D(0)))
    _, capped = outage_scenario_credit(pct("99.9"), AWS_OPTIMIZER, pct("50"), [2 * 86400])
    assert capped == pct("50")
    feb, _ = outage_scenario_credit(pct("99.9"), AWS_OPTIMIZER, None, [2400] * 3, (2027, 2))
    assert feb < attained  # a shorter month hurts more
    # Exactly the allowance is no breach; one more second is.
    assert outage_scenario_credit(pct("99.9"), AWS_OPTIMIZER, None, [D("2629.8")])[1] == (
        Percent(D(0))
    )
    assert outage_scenario_credit(pct("99.9"), AWS_OPTIMIZER, None, [2630])[1] == pct("10")


def test_outage_scenario_on_business_hours() -> None:
    attained, credit = outage_scenario_credit(
        pct("99.9"), AWS_OPTIMIZER, None, [15 * 60], BUSINESS_MONTH, BUSINESS
    )
    assert attained < D("99.9") and credit == pct("10")  # 15 min > 11.88 min


def test_earn_back() -> None:
    assert earn_back_eligible([True, True, True], 3)
    assert earn_back_eligible([True, True, True, False], 3)
    assert not earn_back_eligible([True, True], 3)
    assert not earn_back_eligible([True, False, True, True, True], 3)
    with pytest.raises(MetricError, match="at least 1"):
        earn_back_eligible([True], 0)


# --- OLA derivation ----------------------------------------------------------

P1_CHAIN = [15 * 60, 10 * 60, 45 * 60, 15 * 60, 105 * 60, 15 * 60]  # domain.md §5.2


def test_p1_chain_fits_four_hours() -> None:
    assert chain_fits(P1_CHAIN, 4 * HOUR, pct("10")) == (12300, 12960, 0)
    assert chain_fits(P1_CHAIN, 4 * HOUR, pct("15")) == (12300, 12240, 60)
    assert chain_fits([3000], 3601, pct("10")) == (3000, 3240, 0)  # 3240.9 s rounds down


def test_chain_fits_rejects_nonsense() -> None:
    with pytest.raises(MetricError, match="positive"):
        chain_fits([60], 0, pct("10"))
    with pytest.raises(MetricError, match="margin"):
        chain_fits([60], 60, pct("100"))
    with pytest.raises(MetricError, match="negative"):
        chain_fits([-60], 60, pct("10"))


def test_availability_budget_example() -> None:
    shares = {"network": pct("20"), "platform": pct("20"), "application": pct("30"),
              "database": pct("20")}
    split = downtime_budget_split(pct("99.9"), shares)
    assert split == {"network": pct("99.98"), "platform": pct("99.98"),
                     "application": pct("99.97"), "database": pct("99.98")}
    product = serial_availability(split.values())
    assert product >= D("99.9") and product.quantize(D("0.01")) == D("99.91")


def test_budget_split_rounds_towards_stricter() -> None:
    minutes = {"network": 8, "platform": 8, "application": 12, "database": 8}
    shares = {name: Percent(D(m) * 100 / D("43.2")) for name, m in minutes.items()}
    split = downtime_budget_split(pct("99.9"), shares)
    assert split["network"] == pct("99.982")  # exactly 99.98148…, never 99.981
    assert split["application"] == pct("99.973")
    assert serial_availability(split.values()) >= D("99.9")
    assert downtime_budget_split(pct("99.9"), shares, places=2)["network"] == pct("99.99")


def test_budget_split_refuses_overspending() -> None:
    with pytest.raises(MetricError, match="110.0%"):
        downtime_budget_split(pct("99.9"), {"a": pct("60"), "b": pct("50")})
    with pytest.raises(MetricError, match="above 0%"):
        downtime_budget_split(pct("99.9"), {"a": pct("0")})
    with pytest.raises(MetricError, match="no downtime budget"):
        downtime_budget_split(pct("100"), {"a": pct("50")})


# --- properties --------------------------------------------------------------

targets = st.decimals(min_value=D("90"), max_value=D("99.999"), places=3)


@settings(max_examples=100, deadline=None)
@given(targets, st.sampled_from(["month", "30 days", "year", "week", "day", (2027, 2), 90]))
def test_allowance_round_trips_to_the_target(target: Decimal, window: object) -> None:
    allowed = downtime_allowance(Percent(target), window)  # type: ignore[arg-type]
    assert availability(window_seconds(window), allowed) == target  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None)
@given(targets, st.lists(st.integers(1, 1000), min_size=1, max_size=6), st.integers(0, 500))
def test_budget_split_keeps_the_sla(target: Decimal, weights: list[int], spare: int) -> None:
    whole = sum(weights) + spare
    shares = {f"c{i}": Percent(D(w) * 100 / whole) for i, w in enumerate(weights)}
    split = downtime_budget_split(Percent(target), shares)
    for name, share in shares.items():
        assert split[name].value >= 100 - share.value * (100 - target) / 100
    assert serial_availability(split.values()) >= target


@settings(max_examples=100, deadline=None)
@given(st.decimals(min_value=0, max_value=100, places=4))
def test_credit_grows_as_service_worsens(attained: Decimal) -> None:
    worse = max(attained - D("0.5"), D(0))
    assert credit_for(worse, AWS_OPTIMIZER).value >= credit_for(attained, AWS_OPTIMIZER).value


def test_empty_calendar_has_no_allowance() -> None:
    never = BusinessCalendar(WeeklyHours(((),) * 7))
    assert downtime_allowance(pct("99.9"), "month", never) == 0
