"""Read SIPRI's arms-transfer trade register and line our deals up with it.

``read_register`` reads the register as SIPRI publishes it (Latin-1/cp1252, a preamble, a header
found by its content, ``?`` flags in unnamed columns, records broken over two lines inside
Comments) or its UTF-8 copy with a snake_case header. ``compare`` pairs our deals with rows and
lists where they disagree; ``format_comparison`` renders that as text.

Countries become ISO3 codes through the gazetteer's names and aliases plus ``SIPRI_NAMES``. SIPRI
(like the UN) treats Russia as the Soviet Union's continuation, so "Soviet Union" is RUS. Other
states that no longer exist (Czechoslovakia, East Germany, Yugoslavia, South Vietnam, North and
South Yemen), non-state actors (``*``), organisations (``**``) and "unknown ..." get None.

``system_of`` turns a designation into our system name: the first of these forms the gazetteer
knows (ignoring case, spaces, hyphens, slashes and dots), else a fallback.

1. The designation without a trailing calibre ("155mm") or a parenthesised part ("(V)").
2. Its last word with variant suffixes stripped, repeatedly: after a slash that follows a digit
   ("F/A-18E/F" -> "F/A-18E"), letters after the family number ("Su-30MK" -> "Su-30", "M-109A5"
   -> "M-109", "MiG-21bis" -> "MiG-21"), a number after a numbered family ("Mirage-2000-5" ->
   "Mirage-2000") or a name ("Hellfire-2" -> "Hellfire"), letters after a name ("BrahMos-A" ->
   "BrahMos", "Tor-M2KM" -> "Tor").
3. Its leading words, longest first, each with step 2 ("S-400 Triumf" -> "S-400", "Rafale F3" ->
   "Rafale", "MQ-9B SkyGuardian" -> "MQ-9B" -> "MQ-9", "PJ-10 BrahMos-A" -> "PJ-10").
4. The words after leading codes that hold a digit (SIPRI index or local-name prefixes), with
   steps 2-3 ("96K9 Pantsyr-S1" -> "Pantsyr-S1").
5. Steps 1-4 for each side of a slash ("Storm Shadow/SCALP-EG" -> "Storm Shadow").
6. For a ship, each form with " class" added ("Perry [frigate]" -> "Perry class").

A gazetteer system counts only if its category fits SIPRI's description (``_KINDS``): aircraft
for "fighter aircraft" or "UAV", ships for "frigate", sensors for "radar", engines for "turbofan",
none of those for a weapon or vehicle ("Canberra RB-57D", a bomber, is not the NLAW missile). The
fallback is the first word stripped by step 2 as far as it keeps a digit ("Cessna-208 Caravan"
-> "Cessna-208", "MiG-15UTI" -> "MiG-15"), else the designation of step 1 ("Global Express").
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from armswatch.model import Deal
from armswatch.nlp.gazetteer import System, load_gazetteer, surface_key


def _table_of(entries: str) -> dict[str, str]:
    """Parse ``"name=value|name=value"`` (a bare name maps to itself) into a dict."""
    pairs = (entry.partition("=") for entry in entries.split("|"))
    return {name.casefold(): value if sep else name for name, sep, value in pairs}


#: SIPRI spellings the gazetteer lacks or reads otherwise; an empty code marks no state today.
SIPRI_NAMES: dict[str, str | None] = {
    name: code or None
    for name, code in _table_of(
        "Soviet Union=RUS|Turkiye=TUR|UAE=ARE|Czechia=CZE|Korea South=KOR|Korea North=PRK|"
        "Viet Nam=VNM|Congo=COG|DR Congo=COD|Saint Vincent=VCT|Bosnia-Herzegovina=BIH|"
        "United States=USA|United Kingdom=GBR|unknown supplier(s)=|unknown recipient(s)=|"
        "Czechoslovakia=|East Germany (GDR)=|Yugoslavia=|South Vietnam=|North Yemen=|"
        "South Yemen=|Yemen Arab Republic (North Yemen)="
    ).items()
}
#: Header names (raw register and UTF-8 copy) to our field names; other columns are ignored.
COLUMNS = _table_of(
    "recipient|supplier|year of order=order_year|number ordered=number_ordered|"
    "weapon designation=designation|weapon_designation=designation|"
    "weapon description=description|weapon_description=description|"
    "number delivered=number_delivered|year(s) of delivery=delivery_years|status|comments|"
    "order_year|order_year_uncertain|number_ordered|number_ordered_uncertain|"
    "number_delivered|number_delivered_uncertain|delivery_years"
)
HEADER_SEARCH_LINES = 100
_CLEAN = re.compile(r"\s*\([^)]*\)|\s+\d+(?:\.\d+)?mm$", re.IGNORECASE)
_VARIANT_RULES = (
    re.compile(r"^(.*?\d[A-Za-z]*)/.+$"),
    re.compile(r"^([A-Za-z][^ ]*\d)(?:[A-Z]{1,4}\d?|[a-z]{1,3})$"),
    re.compile(r"^([A-Za-z][^ ]*\d[A-Za-z]*)-\d{1,3}$"),
    re.compile(r"^([A-Z][a-z]{2,})-\d{1,2}$"),
    re.compile(r"^([A-Za-z]{3,})-[A-Z]{1,3}\d*[A-Z]?\d*$"),
)
#: What a SIPRI description says a weapon is, first match wins: a gazetteer category, "" for a
#: weapon or vehicle (any other category), "*" for anything.
_KINDS = tuple(
    (re.compile(pattern, re.IGNORECASE), kind)
    for pattern, kind in (
        (r"engine\b|turbofan|turbojet|turboprop|gas turbine", "engines"),
        (r"(?<!anti-)radar|sonar|\bEO\b|recce system|intelligence system|search system", "sensors"),
        (r"satellite", "satellites"),
        (r"drone|loitering|turret|chassis|refuel|reactor", "*"),
        (r"boat\b|frigate|corvette|(?<!tank )destroyer|cruiser|carrier|submarine$", "ships"),
        (r"missile|anti-aircraft|torpedo|\bgun\b|mortar|rocket|launcher|\bbomb\b|shell", ""),
        (r"\b(?:SAM|ABM|APC|AD)\b|air-defence|vehicle|\btank\b|armoured|\bcar\b|coastal", ""),
        (r"aircraft|helicopter|\bUAV\b|airship", "aircraft"),
        (r"ship|craft|mine|ice|tug|tanker", "ships"),
    )
)
_STRICT_KINDS = {kind for _, kind in _KINDS if kind not in ("", "*")}
FIELDS = ("supplier", "order_year", "number_ordered", "number_delivered", "delivery_years")
# the deal statuses of a transfer reported as done
DONE_STATUSES = frozenset({"ordered", "delivered", "deployed"})
# the match rule of an undated transfer with SIPRI's latest row delivered by our last report
LATEST_DELIVERED = "latest_delivered"


class _Record:
    """The ``as_dict()`` of the records below."""

    def as_dict(self) -> dict[str, Any]:
        """Return the record as a JSON-ready dict (tuples as lists, records as dicts)."""
        return {name: _plain(value) for name, value in vars(self).items()}


def _plain(value: object) -> object:
    if isinstance(value, _Record):
        return value.as_dict()
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    return value


class RegisterError(ValueError):
    """The file is not a SIPRI trade register (or cannot be read); the message names the file."""


@dataclass(frozen=True)
class RegisterRow(_Record):
    """One deal of the register: SIPRI's names and numbers plus our ISO3 codes and system name."""

    line: int
    recipient: str
    supplier: str
    recipient_code: str | None
    supplier_code: str | None
    order_year: int | None
    order_year_uncertain: bool
    number_ordered: int | None
    number_ordered_uncertain: bool
    designation: str
    system: str
    description: str
    number_delivered: int | None
    number_delivered_uncertain: bool
    delivery_years: tuple[int, ...]
    status: str
    comments: str


@dataclass(frozen=True)
class Register(_Record):
    """The rows read from a register file, the rows skipped (with line and reason) and the
    "Data generated:" stamp of its preamble."""

    rows: tuple[RegisterRow, ...]
    skipped: tuple[str, ...] = ()
    generated: str | None = None
    source: str = ""


@dataclass(frozen=True)
class Match(_Record):
    """A deal of ours paired with a register row, and the rule that paired them."""

    deal_id: str
    sipri_line: int
    rule: str


@dataclass(frozen=True)
class OursOnly(_Record):
    """A deal of ours with no register row; ``sipri_years`` are order years of register rows for
    the same supplier, recipient and system that did not fit."""

    deal_id: str
    supplier: str | None
    recipient: str | None
    system: str
    order_date: str | None
    note: str
    sipri_years: tuple[int, ...] = ()


@dataclass(frozen=True)
class Disagreement(_Record):
    """A field where a matched deal and its register row hold different values."""

    deal_id: str
    system: str
    supplier: str | None
    recipient: str | None
    field: str  # one of FIELDS
    ours: int | tuple[int, ...]
    sipri: int | tuple[int, ...]
    sipri_line: int


@dataclass(frozen=True)
class Comparison(_Record):
    """How our deals line up with the register: counts, matches, our deals SIPRI lacks, and
    disagreements within matches."""

    deals: int
    matched: int
    match_rate: float
    matches: tuple[Match, ...] = ()
    ours_only: tuple[OursOnly, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()


# --- names ------------------------------------------------------------------------------------


@cache
def _country_index() -> dict[str, str | None]:
    index: dict[str, str | None] = {}
    for country in load_gazetteer().countries:
        for name in (country.name, *country.aliases):
            index.setdefault(name.casefold(), country.iso3)
    return {**index, **SIPRI_NAMES}


def country_code(name: str) -> str | None:
    """Return the ISO3 code for a SIPRI country name, or None for non-states and old states."""
    key = name.strip().casefold()
    return None if key.endswith("*") else _country_index().get(key)


def _variants(word: str) -> Iterator[str]:
    """Yield ``word`` with variant suffixes stripped one after another (see the module doc)."""
    while True:
        match = next((m for rule in _VARIANT_RULES if (m := rule.match(word))), None)
        if match is None:
            return
        word = match.group(1)
        yield word


def _phrase_forms(words: Sequence[str]) -> Iterator[str]:
    """The whole phrase, then its leading words, each also with its last word's variants."""
    for end in range(len(words), 0, -1):
        head = " ".join(words[: end - 1])
        for last in (words[end - 1], *_variants(words[end - 1])):
            yield f"{head} {last}".strip()


def _forms(designation: str) -> Iterator[str]:
    """Every form ``system_of`` tries, in order."""
    cleaned = " ".join(_CLEAN.sub("", designation).split())
    sides = [s.strip() for s in cleaned.split("/")] if "/" in cleaned else []
    for phrase in (cleaned, *(s for s in sides if len(s) >= 3)):
        words = phrase.split()
        yield from _phrase_forms(words)
        for start in range(1, len(words)):
            if not any(ch.isdigit() for ch in words[start - 1]):
                break
            yield from _phrase_forms(words[start:])


def _kind(description: str) -> str:
    """What SIPRI's description says the weapon is (see ``_KINDS``); "*" when unknown."""
    return next((kind for rx, kind in _KINDS if rx.search(description)), "*")


def _fits(system: System, kind: str) -> bool:
    """Whether a gazetteer system's category agrees with the kind of weapon SIPRI describes."""
    if kind == "*":
        return True
    return system.category == kind if kind else system.category not in _STRICT_KINDS


def _fallback(designation: str) -> str:
    """The family designation: the first word stripped as far as it keeps a digit."""
    cleaned = " ".join(_CLEAN.sub("", designation).split())
    first = cleaned.split()[0] if cleaned else cleaned
    coded = [form for form in (first, *_variants(first)) if any(ch.isdigit() for ch in form)]
    return coded[-1] if coded else cleaned


@cache
def system_of(designation: str, description: str = "") -> str:
    """Return our canonical system name for a SIPRI designation (rules in the module doc)."""
    gazetteer, kind = load_gazetteer(), _kind(description)
    for form in _forms(designation):
        for name in (form, f"{form} class") if kind == "ships" else (form,):
            system = gazetteer.system(name)
            if system is not None and _fits(system, kind):
                return system.canonical
    return _fallback(designation)


# --- reading ----------------------------------------------------------------------------------


def _fields(text: str) -> list[str]:
    return next(csv.reader([text]), [])


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        with suppress(UnicodeDecodeError):
            return data.decode(encoding)
    return data.decode("latin-1")


def _header_columns(names: list[str]) -> dict[str, int]:
    """Map our field names to column indexes; a blank name flags the column before it."""
    columns: dict[str, int] = {}
    previous = ""
    for index, name in enumerate(names):
        key = name.strip().casefold()
        target = COLUMNS.get(key) or (f"{previous}_uncertain" if not key and previous else "")
        if target and target not in columns:
            columns[target] = index
        previous = COLUMNS.get(key, "")
    return columns


def _find_header(lines: list[str], source: str) -> tuple[int, dict[str, int], int]:
    """Return the header's index, its column map and its column count."""
    for index, text in enumerate(lines[:HEADER_SEARCH_LINES]):
        names = _fields(text)
        columns = _header_columns(names)
        if {"recipient", "supplier", "designation"} <= columns.keys():
            return index, columns, len(names)
    raise RegisterError(
        f"{source}: no SIPRI header row found (expected columns Recipient, "
        f"Supplier and Weapon designation in the first {HEADER_SEARCH_LINES} lines)"
    )


def _records(
    lines: list[str], first: int, width: int, skipped: list[str]
) -> Iterator[tuple[int, list[str]]]:
    """Yield (physical line, fields) per record; a line with too few columns continues the
    record before it when the two together still fit, otherwise it is skipped."""
    pending: tuple[int, str] | None = None
    for number, text in enumerate(lines[first:], start=first + 1):
        if not text.strip():
            continue
        if pending is not None:
            joined = f"{pending[1]} {text}"
            if len(_fields(joined)) <= width:
                number, text = pending[0], joined
            else:
                skipped.append(_short(pending, width))
            pending = None
        fields = _fields(text)
        if len(fields) == width:
            yield number, fields
        elif len(fields) < width:
            pending = (number, text)
        else:
            skipped.append(f"line {number}: {len(fields)} columns, expected {width}")
    if pending is not None:
        skipped.append(_short(pending, width))


def _short(pending: tuple[int, str], width: int) -> str:
    return f"line {pending[0]}: {len(_fields(pending[1]))} columns, expected {width}"


def _int(value: str, what: str) -> int | None:
    if value and not (value.isascii() and value.isdigit()):
        raise ValueError(f"{what} {value!r} is not a whole number")
    return int(value) if value else None


def _flag(value: str) -> bool:
    if value not in ("", "?"):
        raise ValueError(f"uncertainty flag {value!r} is not '?'")
    return value == "?"


def _years(value: str) -> tuple[int, ...]:
    years = tuple(part.strip() for part in value.split(";") if part.strip())
    if not all(re.fullmatch(r"\d{4}", year) for year in years):
        raise ValueError(f"delivery years {value!r} are not '; '-separated years")
    return tuple(int(year) for year in years)


def _row(line: int, fields: list[str], columns: dict[str, int]) -> RegisterRow:
    """Build a row from its fields; raise ValueError naming the problem."""
    get = defaultdict(str, {name: fields[index].strip() for name, index in columns.items()})
    for name in ("recipient", "supplier", "designation"):
        if not get[name]:
            raise ValueError(f"empty {name}")
    order_year = _int(get["order_year"], "order year")
    if order_year is not None and not 1900 <= order_year <= 2100:
        raise ValueError(f"order year {order_year} is not a year")
    return RegisterRow(
        line=line,
        recipient=get["recipient"],
        supplier=get["supplier"],
        recipient_code=country_code(get["recipient"]),
        supplier_code=country_code(get["supplier"]),
        order_year=order_year,
        order_year_uncertain=_flag(get["order_year_uncertain"]),
        number_ordered=_int(get["number_ordered"], "number ordered"),
        number_ordered_uncertain=_flag(get["number_ordered_uncertain"]),
        designation=get["designation"],
        system=system_of(get["designation"], get["description"]),
        description=get["description"],
        number_delivered=_int(get["number_delivered"], "number delivered"),
        number_delivered_uncertain=_flag(get["number_delivered_uncertain"]),
        delivery_years=_years(get["delivery_years"]),
        status=get["status"],
        comments=get["comments"],
    )


def _generated(preamble: list[str]) -> str | None:
    for text in preamble:
        label, _, value = text.strip().partition(":")
        if label.strip().casefold() == "data generated" and value.strip():
            return value.strip().strip(",").strip()
    return None


def read_register(path: str | Path) -> Register:
    """Read a SIPRI trade register (raw Latin-1 export or the UTF-8 copy).

    Raise RegisterError when the file cannot be read, has no SIPRI header row or no readable
    row; a malformed row is left out and described in ``Register.skipped``.
    """
    source = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise RegisterError(f"{source}: cannot read the file ({exc.strerror or exc})") from exc
    lines = [line.rstrip("\r") for line in _decode(data).split("\n")]
    header, columns, width = _find_header(lines, source)
    skipped: list[str] = []
    rows: list[RegisterRow] = []
    for line, fields in _records(lines, header + 1, width, skipped):
        try:
            rows.append(_row(line, fields, columns))
        except ValueError as exc:
            skipped.append(f"line {line}: {exc}")
    if skipped and not rows:
        raise RegisterError(f"{source}: no row could be read; {skipped[0]}")
    return Register(tuple(rows), tuple(skipped), _generated(lines[:header]), source)


# --- comparing --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    """A row that could be a deal; ``rank`` sorts better candidates first: the order-year gap
    (0-2) or 3 for delivery years or 4 for the number ordered or the years reported (then 0 if
    the numbers agree, 1 and 2 for the years reported), 5 for the only row, 6 for the latest
    delivered."""

    rank: tuple[int, int, int]
    row: RegisterRow
    rule: str


@dataclass(frozen=True)
class _Plan:
    candidates: tuple[_Candidate, ...]
    note: str
    years: tuple[int, ...] = ()


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None


def _delivery_years(deal: Deal) -> set[int]:
    return {year for date in deal.delivery_dates if (year := _year(date)) is not None}


def _index(rows: Iterable[RegisterRow]) -> dict[tuple[str, str], list[RegisterRow]]:
    """Rows of states (both codes known) by recipient and system key."""
    index: dict[tuple[str, str], list[RegisterRow]] = defaultdict(list)
    for row in rows:
        if row.recipient_code and row.supplier_code:
            index[(row.recipient_code, surface_key(row.system))].append(row)
    return index


def _same_number(deal: Deal, row: RegisterRow) -> int:
    return 0 if deal.quantity and deal.quantity.value == row.number_ordered else 1


def _by_order_year(deal: Deal, rows: list[RegisterRow], year: int) -> list[_Candidate]:
    """Rows ordered within two years of ``year``; a two-year gap is a last resort."""
    gaps = ((abs(row.order_year - year), row) for row in rows if row.order_year is not None)
    rules = ("order_year", "order_year", "order_year_2")
    return [
        _Candidate((gap, _same_number(deal, row), row.line), row, rules[gap])
        for gap, row in gaps
        if gap <= 2
    ]


def _by_delivery(deal: Deal, rows: list[RegisterRow]) -> list[_Candidate]:
    """Rows whose delivery years hold ours, else rows ordered by our last report that order
    as many as we say, else (for a deal we give no delivery year) rows ordered in the years of
    our reports, else SIPRI's only row, if ordered by then, else (for a transfer we report as
    done but do not date) the latest row delivered by then."""
    ours = _delivery_years(deal)
    if fits := [row for row in rows if ours and ours <= set(row.delivery_years)]:
        return [
            _Candidate((3, _same_number(deal, row), -(row.order_year or 0)), row, "delivery_years")
            for row in fits
        ]
    reported = _year(deal.last_report)
    same_number = [
        _Candidate((4, 0, -(row.order_year or 0)), row, "number_ordered")
        for row in rows
        if row.order_year
        and reported
        and row.order_year <= reported
        and deal.quantity
        and deal.quantity.value == row.number_ordered
    ]
    if same_number:
        return same_number
    first = _year(deal.first_report)
    in_reports = (
        [row for row in rows if row.order_year and first <= row.order_year <= reported]
        if first and reported and not ours
        else []
    )
    if in_reports:
        # "Australia will buy three to five Virginia-class submarines" (2023): a deal reported
        # only while it was being made is the one SIPRI dates to those years
        return [
            _Candidate(
                (4, 1 + _same_number(deal, row), -(row.order_year or 0)), row,
                "order_year_reported",
            )
            for row in in_reports
        ]
    if len(rows) == 1:
        # SIPRI knows one transfer of this system to this state: an undated deal can only be it
        (row,) = rows
        if row.order_year and reported and row.order_year > reported:
            return []  # ordered after we last heard of it: not what our pages describe
        return [_Candidate((5, 0, 0), row, "only_row")]
    if ours or not reported or deal.status not in DONE_STATUSES:
        return []
    # "the Russian-supplied Igla", "over 870 MiG-21s procured": SIPRI lists the transfer, but
    # the page says nothing of which order it means; the latest one delivered by then stands
    # for them, and its fields are not compared with ours
    delivered = [
        row for row in rows
        if row.order_year and row.delivery_years and min(row.delivery_years) <= reported
    ]
    return [
        _Candidate((6, 0, -(row.order_year or 0)), row, LATEST_DELIVERED) for row in delivered
    ]


def _no_fit_note(deal: Deal, years: tuple[int, ...]) -> str:
    listed = ", ".join(map(str, years)) or "no known year"
    if deal.order_date:
        return f"SIPRI has rows ordered in {listed}, none within 2 years of {deal.order_date}"
    return (
        f"SIPRI has rows ordered in {listed}; ours has no order date, and no delivery year or "
        "number that fits one"
    )


def _one_supplier(found: list[_Candidate], deal: Deal) -> tuple[list[_Candidate], str]:
    """For a deal without a supplier, or whose supplier SIPRI does not credit: the candidates
    if they share one supplier, else a note."""
    suppliers = sorted({c.row.supplier_code or "" for c in found})
    if len(suppliers) != 1:
        ours = f"we name {deal.supplier}," if deal.supplier else "we name no supplier and"
        return [], f"{ours} SIPRI rows from {', '.join(suppliers)} fit"
    suffix = "+other_supplier" if deal.supplier else "+supplier"
    return [_Candidate(c.rank, c.row, f"{c.rule}{suffix}") for c in found], ""


def _plan(deal: Deal, index: dict[tuple[str, str], list[RegisterRow]]) -> _Plan:
    """The register rows that could be this deal, best first, or why there are none."""
    if not deal.recipient:
        return _Plan((), "we name no recipient")
    every = index.get((deal.recipient, surface_key(system_of(deal.system))), [])
    rows = [row for row in every if deal.supplier in (None, row.supplier_code)]
    other_supplier = not rows and bool(every)
    if other_supplier:
        # SIPRI credits another state (Tashkent-built Il-78s are Uzbek, SEPECAT Jaguars
        # British): line them up all the same, and report the supplier as a disagreement
        rows = every
    if not rows:
        return _Plan((), "SIPRI has no row for this supplier, recipient and system")
    years = tuple(sorted({row.order_year for row in rows if row.order_year is not None}))
    year = _year(deal.order_date)
    if year is None:
        found = _by_delivery(deal, rows)
    else:
        found = _by_order_year(deal, rows, year) or [
            # "acquired in 2019": news often dates a purchase by the arrival of the goods
            _Candidate((3, _same_number(deal, row), row.line), row, "order_year_in_deliveries")
            for row in rows
            if year in row.delivery_years
        ]
    if not found:
        return _Plan((), _no_fit_note(deal, years), years)
    note = ""
    if deal.supplier is None or other_supplier:
        found, note = _one_supplier(found, deal)
    return _Plan(tuple(sorted(found, key=lambda c: c.rank)), note, years)


def _assign(plans: Sequence[_Plan]) -> dict[int, _Candidate]:
    """Pair deals with rows, best-ranked pairs first; each row and deal is used at most once."""
    proposals = sorted(
        ((c.rank, i, c.row.line), i, c) for i, plan in enumerate(plans) for c in plan.candidates
    )
    chosen: dict[int, _Candidate] = {}
    used: set[int] = set()
    for _, i, candidate in proposals:
        if i not in chosen and candidate.row.line not in used:
            chosen[i] = candidate
            used.add(candidate.row.line)
    return chosen


def _disagreements(deal: Deal, row: RegisterRow) -> list[Disagreement]:
    """The fields where both sides have a value and the values differ."""
    ours_years = _delivery_years(deal)
    extra = tuple(sorted(ours_years - set(row.delivery_years))) if row.delivery_years else ()
    pairs: dict[str, tuple[Any, Any]] = {
        "supplier": (deal.supplier, row.supplier_code),
        "order_year": (_year(deal.order_date), row.order_year),
        "number_ordered": (deal.quantity.value if deal.quantity else None, row.number_ordered),
        "number_delivered": (deal.quantity_delivered, row.number_delivered),
        "delivery_years": (extra or None, row.delivery_years),
    }
    return [
        Disagreement(
            deal.id, deal.system, deal.supplier, deal.recipient, name, ours, sipri, row.line
        )
        for name, (ours, sipri) in pairs.items()
        if ours is not None and sipri is not None and ours != sipri
    ]


def _ours_only(deal: Deal, plan: _Plan) -> OursOnly:
    note = plan.note
    if plan.candidates:
        lines = ", ".join(str(c.row.line) for c in plan.candidates)
        note = f"the SIPRI rows that fit (lines {lines}) matched other deals"
    return OursOnly(
        deal.id, deal.supplier, deal.recipient, deal.system, deal.order_date, note, plan.years
    )


def compare(deals: Iterable[Deal], register: Register) -> Comparison:
    """Line our deals up with the register rows.

    A deal and a row pair when their recipients agree, their suppliers agree (a deal without a
    supplier takes rows only if the fitting ones share one supplier: rule "...+supplier"; a
    deal whose supplier SIPRI never credits for the system takes another one's rows on the
    same terms: "...+other_supplier", with the supplier a disagreement) and their systems
    agree after ``system_of`` on both sides. A deal with an order date takes rows
    ordered within a year ("order_year") or, as a last resort, two ("order_year_2"), closest
    first, then the one ordering as many as we say, else rows delivering in that year ("acquired
    in 2019" dates the arrival: "order_year_in_deliveries"); with none it is ours-only, noting
    SIPRI's order years. A deal without one takes rows whose delivery years hold all of ours
    ("delivery_years"), else a row ordered by the year of its last report that orders as many
    as we say ("number_ordered"), else, with no delivery year of ours, rows ordered between
    our first and last report ("order_year_reported": news of a deal in the making), else the
    row when SIPRI lists only one, ordered by then ("only_row"), else, for a transfer reported
    as done with no delivery year of ours, the latest row delivered by then
    ("latest_delivered": the page names the transfer, not the order). Pairs are taken best
    first over all deals (gap 0, 1, 2, delivery years, number, years reported, only row, latest
    delivered), so a row or deal is used at most once. ``FIELDS`` that both sides give and
    that differ are disagreements (delivery years: ours missing from SIPRI's),
    except for "latest_delivered" pairs, whose row is only a stand-in.
    """
    deals = list(deals)
    index = _index(register.rows)
    plans = [_plan(deal, index) for deal in deals]
    chosen = _assign(plans)
    matches = tuple(
        Match(deal.id, chosen[i].row.line, chosen[i].rule)
        for i, deal in enumerate(deals)
        if i in chosen
    )
    return Comparison(
        deals=len(deals),
        matched=len(matches),
        match_rate=len(matches) / len(deals) if deals else 0.0,
        matches=matches,
        ours_only=tuple(_ours_only(d, plans[i]) for i, d in enumerate(deals) if i not in chosen),
        disagreements=tuple(
            item
            for i, d in enumerate(deals)
            if i in chosen and not chosen[i].rule.startswith(LATEST_DELIVERED)
            for item in _disagreements(d, chosen[i].row)
        ),
    )


# --- report -----------------------------------------------------------------------------------

_DISAGREEMENT_COLUMNS = _table_of(
    "deal_id=deal|system|supplier|recipient|field|ours|sipri=SIPRI|sipri_line=SIPRI line"
)
_OURS_ONLY_COLUMNS = _table_of("deal_id=deal|supplier|recipient|system|order_date=order|note")


def _cell(value: object) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, tuple):
        return ", ".join(map(str, value))
    return str(value)


def _table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> list[str]:
    cells = [list(headers), *([_cell(v) for v in row] for row in rows)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    return [
        "  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip()
        for row in cells
    ]


def _section(title: str, records: Sequence[_Record], columns: dict[str, str]) -> list[str]:
    """A titled table of ``records``: ``columns`` maps attribute names to column headings."""
    lines = ["", f"{title} ({len(records)}):"]
    if not records:
        return [*lines, "  none"]
    rows = ([getattr(record, name) for name in columns] for record in records)
    return lines + _table(list(columns.values()), rows)


def format_comparison(comparison: Comparison) -> str:
    """Render a comparison as plain text: counts, disagreements, then our deals SIPRI lacks."""
    c = comparison
    rules = Counter(match.rule for match in c.matches)
    return "\n".join(
        [
            f"SIPRI comparison: {c.deals} deals, {c.matched} matched ({c.match_rate:.1%})",
            "Matched by: " + (", ".join(f"{r} {n}" for r, n in sorted(rules.items())) or "-"),
            *_section("Disagreements", c.disagreements, _DISAGREEMENT_COLUMNS),
            *_section("Ours only", c.ours_only, _OURS_ONLY_COLUMNS),
        ]
    )
