"""Holiday regions and dates from the `holidays` package, kept in the user's cache.

Importing `holidays` loads every one of its ~500 country modules (about 0.2 s),
more than the rest of a small build's checks together.  What slagen asks of it
(which codes exist, a country's subdivisions and their names, one year's
holidays) depends only on the installed package, so answers are cached per
installation: the key is the package's location and the modification times of
its registry and country index, which change whenever it is installed anew.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

from .usercache import package_stamp, remember

__all__ = ["country_codes", "country_names", "holidays_in", "subdivision_names", "subdivisions"]


_ENGLISH = ("en_US", "en_GB", "en")


@cache
def _installation_key() -> str | None:
    return package_stamp("holidays", "registry.py", "countries/__init__.py", "version.py")


def _cached(name: str, compute: Callable[[], Any]) -> Any:
    """JSON value of entry `name` for this installation, computed and stored on a miss."""
    key = _installation_key()
    return remember("holidays", f"{key}-{name}.json" if key else None, compute,
                    lambda value: json.dumps(value, sort_keys=True).encode(), json.loads)


@cache
def country_codes() -> frozenset[str]:
    """Every code the holidays package accepts (alpha-2, alpha-3 and aliases)."""
    def compute() -> list[str]:
        try:  # the registry answers without loading every country module
            from holidays.registry import EntityLoader

            return sorted(EntityLoader.get_country_codes(include_aliases=True))
        except (ImportError, AttributeError):  # older holidays releases
            import holidays

            return sorted(holidays.list_supported_countries())

    return frozenset(_cached("codes", compute))


@cache
def country_names() -> dict[str, str]:
    """Country code -> English name, from the package's registry."""
    def compute() -> dict[str, str]:
        from holidays import registry

        names: dict[str, str] = {}
        for entry in getattr(registry, "COUNTRIES", {}).values():
            words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", entry[0])
            words = re.sub(r"\b(And|Of|The)\b", lambda m: m.group(1).lower(), words)
            for code in entry[1:]:
                if isinstance(code, str) and code.isupper():
                    names[code] = words
        return names

    return dict(_cached("names", compute))


@cache
def _country(country: str) -> dict[str, Any]:
    def compute() -> dict[str, Any]:
        import holidays

        aliases = holidays.country_holidays(country).get_subdivision_aliases()
        return {"subdivisions": list(getattr(holidays, country).subdivisions),
                "names": {code: names[0] for code, names in aliases.items() if names}}

    return dict(_cached(f"country-{country}", compute))


def subdivisions(country: str) -> tuple[str, ...]:
    """Subdivision codes of a known country code."""
    return tuple(_country(country)["subdivisions"])


def subdivision_names(country: str) -> dict[str, str]:
    """Subdivision code -> its name as the holidays package gives it."""
    return dict(_country(country)["names"])


@cache
def holidays_in(country: str, subdivision: str | None, year: int) -> tuple[tuple[date, str], ...]:
    """Public holidays of a region in one year, by date, named in English where the
    package can (the documents are English).

    The language is always given: left out, `holidays` picks it from the
    environment's locale, and the same agreement would name its holidays
    "Koningsdag" on one machine and "King's Day" on another.
    """
    def compute() -> list[list[str]]:
        import holidays

        entity = getattr(holidays, country)
        language = next((code for code in _ENGLISH if code in entity.supported_languages),
                        entity.default_language)
        found = holidays.country_holidays(country, subdiv=subdivision, years=year,
                                          language=language)
        return [[day.isoformat(), name] for day, name in sorted(found.items())]

    rows = _cached(f"dates-{country}-{subdivision or ''}-{year}", compute)
    return tuple((date.fromisoformat(day), name) for day, name in rows)
