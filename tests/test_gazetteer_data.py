"""Data-integrity tests for the gazetteer TSV files in src/armswatch/nlp/gazetteer/.

The files are read with the csv module through a small local reader (the package loader
is tested elsewhere). The checking helpers are also run on deliberately broken fixtures
written to tmp_path, so that a helper which stopped detecting problems would fail here.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GAZ = REPO / "src" / "armswatch" / "nlp" / "gazetteer"
DEV = REPO / ".." / "shared" / "eval" / "dev.jsonl"

SYSTEM_COLUMNS = ["canonical", "aliases", "category", "origin"]
COUNTRY_COLUMNS = ["iso3", "name", "aliases", "demonyms", "capitals"]
ORG_COLUMNS = ["name", "aliases", "iso3", "kind"]
CATEGORIES = {
    "aircraft",
    "air defence systems",
    "anti-submarine warfare",
    "armoured vehicles",
    "artillery",
    "engines",
    "missiles",
    "naval weapons",
    "satellites",
    "sensors",
    "ships",
    "other",
}
KINDS = {"firm", "agency", "military"}


def read_tsv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Read a gazetteer TSV: skip leading '#' comment lines, return (header, rows)."""
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    rows = []
    for fields in reader:
        if not fields:
            continue
        assert len(fields) == len(header), f"{path.name}: wrong field count in {fields!r}"
        rows.append(dict(zip(header, fields, strict=True)))
    return header, rows


def split(value: str) -> list[str]:
    """Split a '|'-separated cell into its values ('' gives an empty list)."""
    return value.split("|") if value else []


def norm(surface: str) -> str:
    """Comparison key of a surface form: case-folded, spaces and hyphens removed."""
    return re.sub(r"[\s\-]+", "", surface).casefold()


def system_surfaces(rows: list[dict[str, str]]) -> list[tuple[str, str]]:
    """(surface, canonical) for every canonical name and alias of the systems file."""
    return [(s, r["canonical"]) for r in rows for s in [r["canonical"], *split(r["aliases"])]]


def country_surfaces(
    countries: list[dict[str, str]], orgs: list[dict[str, str]]
) -> list[tuple[str, str]]:
    """(surface, target) for countries and organisations; target is the iso3 or the org."""
    out = []
    for r in countries:
        for col in ("aliases", "demonyms", "capitals"):
            out += [(s, r["iso3"]) for s in split(r[col])]
        out.append((r["name"], r["iso3"]))
    for r in orgs:
        target = r["iso3"] or f"org:{r['name']}"
        out += [(s, target) for s in [r["name"], *split(r["aliases"])]]
    return out


def collisions(pairs: list[tuple[str, str]]) -> dict[str, set[str]]:
    """Comparison keys that point at more than one target."""
    seen: dict[str, set[str]] = defaultdict(set)
    for surface, target in pairs:
        seen[norm(surface)].add(target)
    return {k: v for k, v in seen.items() if len(v) > 1}


def exact_duplicates(pairs: list[tuple[str, str]]) -> list[str]:
    """Surface strings written more than once."""
    count: dict[str, int] = defaultdict(int)
    for surface, _ in pairs:
        count[surface] += 1
    return sorted(s for s, n in count.items() if n > 1)


@pytest.fixture(scope="module")
def systems() -> list[dict[str, str]]:
    header, rows = read_tsv(GAZ / "systems.tsv")
    assert header == SYSTEM_COLUMNS
    return rows


@pytest.fixture(scope="module")
def countries() -> list[dict[str, str]]:
    header, rows = read_tsv(GAZ / "countries.tsv")
    assert header == COUNTRY_COLUMNS
    return rows


@pytest.fixture(scope="module")
def orgs() -> list[dict[str, str]]:
    header, rows = read_tsv(GAZ / "organisations.tsv")
    assert header == ORG_COLUMNS
    return rows


# --- the helpers detect what they should ------------------------------------------------


def test_helpers_detect_broken_fixture(tmp_path: Path) -> None:
    bad = tmp_path / "systems.tsv"
    bad.write_text(
        "# a comment line\n"
        "canonical\taliases\tcategory\torigin\n"
        "S-400\tS400|SA-21\tair defence systems\tRUS\n"
        "S 400 NG\tSA-21\tair defence systems\tRUS\n"
        "Foo\ts-400\tmissiles\tRUS\n",
        encoding="utf-8",
    )
    header, rows = read_tsv(bad)
    assert header == SYSTEM_COLUMNS
    pairs = system_surfaces(rows)
    assert collisions(pairs) == {"s400": {"S-400", "Foo"}, "sa21": {"S-400", "S 400 NG"}}
    assert exact_duplicates(pairs) == ["SA-21"]


def test_reader_rejects_ragged_rows(tmp_path: Path) -> None:
    bad = tmp_path / "x.tsv"
    bad.write_text("canonical\taliases\tcategory\torigin\nF-16\tF16\taircraft\n", encoding="utf-8")
    with pytest.raises(AssertionError):
        read_tsv(bad)


def test_country_helper_detects_two_states(tmp_path: Path) -> None:
    countries = [
        {"iso3": "KOR", "name": "South Korea", "aliases": "Korea", "demonyms": "", "capitals": ""},
        {"iso3": "PRK", "name": "North Korea", "aliases": "korea", "demonyms": "", "capitals": ""},
    ]
    assert collisions(country_surfaces(countries, [])) == {"korea": {"KOR", "PRK"}}


# --- the shipped files --------------------------------------------------------------------


def test_enough_systems(systems: list[dict[str, str]]) -> None:
    assert len(systems) >= 300


def test_system_fields(systems: list[dict[str, str]], countries: list[dict[str, str]]) -> None:
    codes = {r["iso3"] for r in countries}
    for r in systems:
        assert r["canonical"] and r["canonical"] == r["canonical"].strip(), r
        assert r["category"] in CATEGORIES, r
        assert r["origin"] == "" or r["origin"] in codes, r
        for alias in split(r["aliases"]):
            assert alias and alias == alias.strip(), r


def test_country_codes(countries: list[dict[str, str]]) -> None:
    codes = [r["iso3"] for r in countries]
    assert all(re.fullmatch(r"[A-Z]{3}", c) for c in codes)
    assert len(codes) == len(set(codes))
    # 193 UN member states plus Taiwan, Kosovo and Palestine.
    assert len(codes) == 196
    assert {"TWN", "XKX", "PSE", "USA", "RUS", "IND", "TUR"} <= set(codes)


def test_org_fields(orgs: list[dict[str, str]], countries: list[dict[str, str]]) -> None:
    codes = {r["iso3"] for r in countries}
    for r in orgs:
        assert r["name"], r
        assert r["iso3"] == "" or r["iso3"] in codes, r
        assert r["kind"] in KINDS, r


def test_no_system_surface_maps_to_two_canonicals(systems: list[dict[str, str]]) -> None:
    pairs = system_surfaces(systems)
    assert collisions(pairs) == {}
    assert exact_duplicates(pairs) == []


def test_no_country_surface_maps_to_two_states(
    countries: list[dict[str, str]], orgs: list[dict[str, str]]
) -> None:
    assert collisions(country_surfaces(countries, orgs)) == {}


def test_no_surface_is_both_a_system_and_a_state_or_org(
    systems: list[dict[str, str]], countries: list[dict[str, str]], orgs: list[dict[str, str]]
) -> None:
    sys_keys = {norm(s) for s, _ in system_surfaces(systems)}
    other_keys = {norm(s) for s, _ in country_surfaces(countries, orgs)}
    assert sys_keys & other_keys == set()


def test_schema_examples(systems: list[dict[str, str]], orgs: list[dict[str, str]]) -> None:
    by_surface = {norm(s): c for s, c in system_surfaces(systems)}
    row = {r["canonical"]: r for r in systems}
    for surface, canonical in [
        ("S-400 Triumf", "S-400"),
        ("SA-21", "S-400"),
        ("F-35A", "F-35"),
        ("Patriot PAC-3", "Patriot"),
        ("Super Hornet", "F/A-18"),
        ("SeaGuardian", "MQ-9"),
        ("Su-30MKI", "Su-30"),
        ("MiG-29K", "MiG-29"),
        ("Storm Shadow", "SCALP"),
        ("AASM", "Hammer"),
        ("Lynx multi-mode radar", "Lynx"),
    ]:
        assert by_surface[norm(surface)] == canonical, surface
    assert row["Rafale"]["origin"] == "FRA"
    assert row["BrahMos"]["origin"] == "IND"
    assert row["Barak-8"]["origin"] == row["MRSAM"]["origin"] == "ISR"
    for multinational in ("Meteor", "ASRAAM", "Eurofighter", "Jaguar", "Tornado", "NH90"):
        assert row[multinational]["origin"] == "", multinational
    # The radar must not claim the bare word, which also names a helicopter and an IFV.
    assert "Lynx" not in split(row["Lynx"]["aliases"])
    org_iso = {norm(s): r["iso3"] for r in orgs for s in [r["name"], *split(r["aliases"])]}
    assert org_iso["iaf"] == "IND"
    assert org_iso["mbda"] == ""
    assert org_iso["rosoboronexport"] == "RUS"


def test_dev_gold_systems_are_canonical(systems: list[dict[str, str]]) -> None:
    if not DEV.exists():
        pytest.skip("shared eval data absent")
    canonicals = {r["canonical"] for r in systems}
    gold = set()
    with DEV.open(encoding="utf-8") as fh:
        for line in fh:
            for event in json.loads(line).get("events", []):
                name = event.get("system")
                # Generic descriptions ("air defense system") are written in lower case.
                if name and name != name.lower():
                    gold.add(name)
    assert gold, "no designations found in the gold file"
    assert sorted(gold - canonicals) == []
