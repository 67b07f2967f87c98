"""The gazetteers: weapon systems, countries and organisations, read from the TSV files beside
this module. A user can add a row to a file without touching code.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

SEPARATOR = "|"


@dataclass(frozen=True)
class System:
    """A weapon system family: its canonical name, other names, SIPRI category and origin."""

    canonical: str
    aliases: tuple[str, ...]
    category: str
    origin: str | None  # ISO3 of the state that makes it; None for multinational makers

    def as_dict(self) -> dict[str, object]:
        """Return the system as a JSON-ready dict."""
        return {
            "canonical": self.canonical,
            "aliases": list(self.aliases),
            "category": self.category,
            "origin": self.origin,
        }


@dataclass(frozen=True)
class Country:
    """A state with the words news uses for it."""

    iso3: str
    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]
    capitals: tuple[str, ...]


@dataclass(frozen=True)
class Organisation:
    """A defence firm, agency or armed service and its state (None: multinational)."""

    name: str
    aliases: tuple[str, ...]
    iso3: str | None
    kind: str  # firm, agency or military


@dataclass(frozen=True)
class Gazetteer:
    """All gazetteer entries, with look-ups from surface forms."""

    systems: tuple[System, ...]
    countries: tuple[Country, ...]
    organisations: tuple[Organisation, ...]
    _system_by_key: dict[str, System] = field(default_factory=dict, repr=False, compare=False)
    _country_by_iso3: dict[str, Country] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for system in self.systems:
            for surface in (system.canonical, *system.aliases):
                self._system_by_key.setdefault(surface_key(surface), system)
        for country in self.countries:
            self._country_by_iso3[country.iso3] = country

    def system(self, name: str) -> System | None:
        """Return the system a name or alias stands for, or None."""
        return self._system_by_key.get(surface_key(name))

    def canonical_system(self, name: str) -> str:
        """Return the canonical family name for ``name``, or ``name`` itself when unknown."""
        system = self.system(name)
        return system.canonical if system else name

    def country(self, iso3: str | None) -> Country | None:
        """Return the country with this ISO3 code, or None."""
        return self._country_by_iso3.get(iso3 or "")

    def country_name(self, iso3: str | None) -> str:
        """Return the short English name for an ISO3 code (the code itself when unknown)."""
        country = self.country(iso3)
        return country.name if country else (iso3 or "")


def surface_key(surface: str) -> str:
    """Normalise a name for look-up: case, spaces, hyphens and slashes do not matter."""
    return re.sub(r"[\s\-‐–/.]", "", surface).casefold()


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(SEPARATOR) if part.strip())


def _rows(filename: str) -> Iterator[dict[str, str]]:
    text = resources.files("armswatch.nlp").joinpath("gazetteer", filename).read_text("utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    yield from csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)


@cache
def load_gazetteer() -> Gazetteer:
    """Read the gazetteer files shipped with the package (once per process)."""
    systems = tuple(
        System(
            canonical=row["canonical"].strip(),
            aliases=_split(row.get("aliases")),
            category=(row.get("category") or "other").strip(),
            origin=(row.get("origin") or "").strip() or None,
        )
        for row in _rows("systems.tsv")
    )
    countries = tuple(
        Country(
            iso3=row["iso3"].strip(),
            name=row["name"].strip(),
            aliases=_split(row.get("aliases")),
            demonyms=_split(row.get("demonyms")),
            capitals=_split(row.get("capitals")),
        )
        for row in _rows("countries.tsv")
    )
    organisations = tuple(
        Organisation(
            name=row["name"].strip(),
            aliases=_split(row.get("aliases")),
            iso3=(row.get("iso3") or "").strip() or None,
            kind=(row.get("kind") or "firm").strip(),
        )
        for row in _rows("organisations.tsv")
    )
    return Gazetteer(systems, countries, organisations)


@cache
def load_generic_descriptions() -> dict[str, str]:
    """Read the generic weapon descriptions: lower-case lemma phrase -> the name events carry."""
    table: dict[str, str] = {}
    for row in _rows("generic.tsv"):
        description = row["description"].strip()
        for surface in (description.casefold(), *_split(row.get("surfaces"))):
            table.setdefault(surface.casefold(), description)
    return table
