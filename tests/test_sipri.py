"""Tests for armswatch.sipri: reading SIPRI's trade register and comparing our deals with it.

The fixture register under tests/fixtures/sipri/ is invented data in SIPRI's layout: Latin-1,
CRLF, a preamble, ``?`` flag columns, one record broken over two lines and one malformed row.
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

import pytest

from armswatch.model import Deal, Quantity
from armswatch.sipri import (
    Comparison,
    Register,
    RegisterError,
    RegisterRow,
    compare,
    country_code,
    format_comparison,
    read_register,
    system_of,
)

FIXTURES = Path(__file__).parent / "fixtures" / "sipri"
RAW = FIXTURES / "register-raw.csv"
HEADER = (
    "Recipient,Supplier,Year of order, ,Number ordered, ,Weapon designation,Weapon description,"
    "Number delivered, ,Year(s) of delivery,status,Comments,SIPRI TIV per unit,"
    "SIPRI TIV for total order,SIPRI TIV of delivered weapons"
)


def deal(
    id: str,
    supplier: str | None = "RUS",
    recipient: str | None = "IND",
    system: str = "S-400",
    order_date: str | None = None,
    quantity: int | None = None,
    delivered: int | None = None,
    deliveries: tuple[str, ...] = (),
    first_report: str | None = None,
) -> Deal:
    """A deal with only the fields the comparison reads set."""
    return Deal(
        id=id,
        supplier=supplier,
        recipient=recipient,
        system=system,
        category=None,
        status="ordered",
        order_date=order_date,
        quantity=Quantity(quantity, "system") if quantity is not None else None,
        value=None,
        delivery_dates=deliveries,
        quantity_delivered=delivered,
        first_report=first_report,
        last_report=first_report,
        sources=1,
        events=1,
        reports=1,
    )


@pytest.fixture(scope="module")
def register() -> Register:
    return read_register(RAW)


def row_at(register: Register, line: int) -> RegisterRow:
    return next(row for row in register.rows if row.line == line)


# --- reading ----------------------------------------------------------------------------------


def test_fixture_is_latin1_with_crlf() -> None:
    data = RAW.read_bytes()
    assert b"T\xfcrkiye" in data and b"\r\n" in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")


def test_reads_rows_preamble_and_latin1(register: Register) -> None:
    assert register.generated == "02 Jan 2030 09:15:00 AM"
    assert len(register.rows) == 16
    first = register.rows[0]
    assert (first.line, first.recipient, first.recipient_code) == (6, "Türkiye", "TUR")
    assert first.comments == "Invented row; café-style note"
    assert (first.supplier, first.supplier_code, first.designation) == (
        "Russia",
        "RUS",
        "S-400 Triumf",
    )
    assert first.system == "S-400" and first.description == "SAM system"
    assert first.status == "New"


def test_uncertainty_flags(register: Register) -> None:
    turkey = row_at(register, 6)
    assert (turkey.order_year, turkey.order_year_uncertain) == (2017, False)
    assert (turkey.number_ordered, turkey.number_ordered_uncertain) == (2, True)
    assert (turkey.number_delivered, turkey.number_delivered_uncertain) == (2, False)
    india = row_at(register, 7)
    assert india.number_delivered_uncertain and not india.number_ordered_uncertain
    assert row_at(register, 8).order_year_uncertain


def test_delivery_years_and_empty_numbers(register: Register) -> None:
    assert row_at(register, 7).delivery_years == (2021, 2022, 2023)
    taiwan = row_at(register, 12)
    assert taiwan.delivery_years == ()
    assert taiwan.number_delivered is None and taiwan.number_ordered == 4


def test_split_record_is_rejoined(register: Register) -> None:
    greece = row_at(register, 15)
    assert greece.comments == "Invented comment broken across two lines"
    assert greece.status == "Second hand but modernized"
    assert greece.delivery_years == (2021, 2022)
    assert 16 not in {row.line for row in register.rows}


def test_malformed_row_is_skipped_and_reported(register: Register) -> None:
    assert register.skipped == ("line 17: order year '20x7' is not a whole number",)
    assert 17 not in {row.line for row in register.rows}
    assert row_at(register, 18).recipient == "African Union**"


def test_country_codes(register: Register) -> None:
    assert row_at(register, 18).recipient_code is None  # an organisation
    assert row_at(register, 19).supplier_code is None  # unknown supplier(s)
    assert row_at(register, 20).supplier_code == "RUS"  # Soviet Union
    assert [country_code(n) for n in ("Turkiye", "Korea South", "Viet Nam", "UAE", "Czechia")] == [
        "TUR",
        "KOR",
        "VNM",
        "ARE",
        "CZE",
    ]
    assert country_code("Congo") == "COG" and country_code("DR Congo") == "COD"
    assert country_code("Hezbollah (Lebanon)*") is None
    assert country_code("Yugoslavia") is None and country_code("Atlantis") is None


def test_short_row_before_a_full_row_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "short.csv"
    full = "India,France,2016,,36,,Rafale F3,FGA aircraft,36,,2019,New,,50,1800,1800"
    path.write_text(f"{HEADER}\nIndia,France,2016\n{full}\n", encoding="latin-1")
    register = read_register(path)
    assert [row.line for row in register.rows] == [3]
    assert register.skipped == ("line 2: 3 columns, expected 16",)


def test_break_before_a_column_and_long_rows(tmp_path: Path) -> None:
    path = tmp_path / "breaks.csv"
    head = "Chile,Spain,2020,,2,,C-295,transport aircraft,2,,2021,New,Invented"
    long = "Peru,Spain,2020,,2,,C-295,transport aircraft,2,,2021,New,Invented,1,2,2,extra"
    path.write_bytes(f"{HEADER}\r\n{head}\r\n,1,2,2\r\n{long}\r\n".encode("latin-1"))
    register = read_register(path)
    (row,) = register.rows
    assert (row.line, row.comments, row.delivery_years) == (2, "Invented", (2021,))
    assert register.skipped == ("line 4: 17 columns, expected 16",)


def test_reads_the_utf8_copy(tmp_path: Path) -> None:
    path = tmp_path / "register.utf8.csv"
    path.write_text(
        "recipient,supplier,order_year,order_year_uncertain,number_ordered,"
        "number_ordered_uncertain,weapon_designation,weapon_description,number_delivered,"
        "number_delivered_uncertain,delivery_years,status,comments,tiv_per_unit,"
        "tiv_total_order,tiv_delivered\n"
        "Türkiye,Russia,2017,?,2,?,S-400 Triumf,SAM system,2,,2019; 2020,New,é,1,2,2\n",
        encoding="utf-8",
    )
    register = read_register(path)
    (row,) = register.rows
    assert (row.line, row.recipient_code, row.system, row.comments) == (2, "TUR", "S-400", "é")
    assert row.order_year_uncertain and row.number_ordered_uncertain
    assert row.delivery_years == (2019, 2020) and register.generated is None


def test_not_a_register_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text("name,value\nalpha,1\n", encoding="utf-8")
    with pytest.raises(RegisterError, match=r"notes\.csv: no SIPRI header row found"):
        read_register(path)
    assert issubclass(RegisterError, ValueError)


def test_header_without_a_readable_row_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "garbled.csv"
    bad = "India,France,twenty,,36,,Rafale F3,FGA aircraft,36,,2019,New,,50,1800,1800"
    path.write_text(f"{HEADER}\n{bad}\n", encoding="latin-1")
    with pytest.raises(RegisterError, match=r"garbled\.csv: .*line 2: order year 'twenty'"):
        read_register(path)
    (tmp_path / "empty.csv").write_text(HEADER + "\n", encoding="latin-1")
    assert read_register(tmp_path / "empty.csv").rows == ()


def test_missing_file_is_a_register_error(tmp_path: Path) -> None:
    with pytest.raises(RegisterError, match=r"absent\.csv: cannot read"):
        read_register(tmp_path / "absent.csv")


def test_register_as_dict_is_json(register: Register) -> None:
    data = json.loads(json.dumps(register.as_dict()))
    assert data["rows"][1]["delivery_years"] == [2021, 2022, 2023]
    assert data["generated"] == "02 Jan 2030 09:15:00 AM" and len(data["skipped"]) == 1


# --- designations -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("designation", "description", "system"),
    [
        ("S-400 Triumf", "SAM system", "S-400"),  # gazetteer alias
        ("Su-30MK", "FGA aircraft", "Su-30"),
        ("PJ-10 BrahMos-A", "anti-ship missile", "BrahMos"),  # local-name prefix
        ("Rafale F3", "FGA aircraft", "Rafale"),  # words after the family
        ("MQ-9B SkyGuardian", "UAV", "MQ-9"),
        ("K-9 Thunder 155mm", "self-propelled gun", "K9"),  # calibre dropped
        ("M-109A5 155mm", "self-propelled gun", "M109"),  # variant letters and number
        ("F-16C Block-50/52", "FGA aircraft", "F-16"),
        ("F/A-18E Super Hornet", "FGA aircraft", "F/A-18"),
        ("Mirage-2000-5", "FGA aircraft", "Mirage 2000"),  # number after numbered family
        ("Hellfire-2", "anti-tank missile", "Hellfire"),  # number after a name
        ("Tor-M2KM", "SAM system", "Tor"),  # letters after a name
        ("96K9 Pantsyr-S1", "self-propelled air-defence system", "Pantsir"),  # after a code
        ("Storm Shadow/SCALP-EG", "air-to-surface missile", "SCALP"),  # side of a slash
        ("Mi-24D/Mi-25", "combat helicopter", "Mi-35"),
        ("Cessna-208 Caravan", "light transport aircraft", "Cessna-208"),  # unknown: family
        ("Global Express", "", "Global Express"),  # unknown, no code: cleaned designation
        ("MiG-15UTI", "trainer aircraft", "MiG-15"),  # unknown: stripped, keeping a digit
        ("Type-59G", "tank", "Type-59"),
        ("Perry", "frigate", "Perry class"),  # a ship's class
        ("Talwar-4", "frigate", "Talwar class"),
    ],
)
def test_system_of(designation: str, description: str, system: str) -> None:
    assert system_of(designation, description) == system


@pytest.mark.parametrize(
    ("designation", "description", "wrong"),
    [
        ("Canberra RB-57D", "bomber aircraft", "NLAW"),  # a bomber is no anti-tank weapon
        ("SDB Mk-2", "patrol boat", "GBU-39"),  # a boat is no bomb
        ("M-88A2 HERCULES", "armoured recovery vehicle", "C-130"),
        ("M-88A2 HERCULES", "armoured recovery vehicle", "M88"),  # the gazetteer's M88 engine
    ],
)
def test_system_of_respects_the_description(designation: str, description: str, wrong: str) -> None:
    assert system_of(designation, description) != wrong


# --- comparing --------------------------------------------------------------------------------


def test_matches_order_year_within_one(register: Register) -> None:
    result = compare([deal("d1", order_date="2019-03-02")], register)
    assert (result.deals, result.matched, result.match_rate) == (1, 1, 1.0)
    assert [(m.deal_id, m.sipri_line, m.rule) for m in result.matches] == [("d1", 7, "order_year")]
    assert [(d.field, d.ours, d.sipri) for d in result.disagreements] == [
        ("order_year", 2019, 2018)
    ]


def test_system_variants_on_our_side_match(register: Register) -> None:
    result = compare([deal("d1", system="S-400 Triumf", order_date="2018")], register)
    assert result.matched == 1 and result.disagreements == ()


def test_two_years_off_is_a_last_resort(register: Register) -> None:
    result = compare([deal("d1", order_date="2020")], register)
    assert [m.rule for m in result.matches] == ["order_year_2"]


def test_far_year_is_ours_only_with_sipri_years(register: Register) -> None:
    result = compare([deal("d1", order_date="2025-05")], register)
    assert result.matched == 0 and result.match_rate == 0.0
    (only,) = result.ours_only
    assert (only.deal_id, only.system, only.order_date, only.sipri_years) == (
        "d1",
        "S-400",
        "2025-05",
        (2018,),
    )
    assert "2018" in only.note


def test_unknown_triple_is_ours_only(register: Register) -> None:
    result = compare([deal("d1", "USA", "IND", "F-35", order_date="2018")], register)
    assert result.ours_only[0].note == "SIPRI has no row for this supplier, recipient and system"


def test_a_supplier_sipri_does_not_credit_is_a_disagreement(register: Register) -> None:
    result = compare([deal("d1", supplier="UKR", order_date="2018")], register)
    assert [(m.sipri_line, m.rule) for m in result.matches] == [(7, "order_year+other_supplier")]
    assert [(d.field, d.ours, d.sipri) for d in result.disagreements] == [
        ("supplier", "UKR", "RUS")
    ]
    # when SIPRI credits several other states, which one we mean is unknown
    poland = compare([deal("d2", "FRA", "POL", "Patriot", order_date="2018")], register)
    assert poland.matched == 0 and "we name FRA, SIPRI rows from DEU, USA fit" in (
        poland.ours_only[0].note
    )


def test_no_order_date_matches_by_delivery_years(register: Register) -> None:
    egypt = deal("d1", "FRA", "EGY", "Rafale", deliveries=("2016-07-20",), first_report="2016")
    result = compare([egypt], register)
    assert [(m.sipri_line, m.rule) for m in result.matches] == [(13, "delivery_years")]


def test_no_order_date_falls_back_to_the_number_ordered(register: Register) -> None:
    egypt = deal("d1", "FRA", "EGY", "Rafale", quantity=30, first_report="2023-01-05")
    assert [(m.sipri_line, m.rule) for m in compare([egypt], register).matches] == [
        (14, "number_ordered")
    ]
    early = deal("d3", "FRA", "EGY", "Rafale", quantity=30, first_report="2010")
    assert compare([early], register).matched == 0


def test_an_undated_past_transfer_stands_for_the_latest_order_delivered_by_then(
    register: Register,
) -> None:
    # "Egypt's French-supplied Rafales": SIPRI lists the transfer; of its two orders only
    # the 2015 one had deliveries by the time of the report
    vague = deal("d1", "FRA", "EGY", "Rafale", quantity=12, first_report="2023-01-05")
    result = compare([vague], register)
    assert [(m.sipri_line, m.rule) for m in result.matches] == [(13, "latest_delivered")]
    assert result.disagreements == ()  # which order it means is a guess: nothing compared
    # not when nothing was delivered by then, and not for a transfer only planned
    assert compare([deal("d2", "FRA", "EGY", "Rafale", first_report="2014")], register).matched == 0
    planned = replace(deal("d3", "FRA", "EGY", "Rafale", first_report="2023"), status="planned")
    assert compare([planned], register).matched == 0
    # a dated delivery that fits no row is a disagreement to show, not a guess
    dated = deal("d4", "FRA", "EGY", "Rafale", deliveries=("2022",), first_report="2023")
    assert compare([dated], register).matched == 0


def test_an_order_dated_by_its_arrival_matches_the_row_delivered_then(register: Register) -> None:
    # "in 2020 the air force acquired the Rafale": no order within two years, a delivery year
    rafale = deal("d1", "FRA", "IND", "Rafale", order_date="2020", first_report="2020")
    assert [(m.sipri_line, m.rule) for m in compare([rafale], register).matches] == [
        (9, "order_year_in_deliveries")
    ]


def test_a_deal_in_the_making_takes_the_row_ordered_while_we_heard_of_it(
    register: Register,
) -> None:
    # "Egypt will buy some 30 more Rafales", reported in 2020 and 2021: SIPRI dates the deal
    # 2021; its 2015 order is another one
    talks = replace(
        deal("d1", "FRA", "EGY", "Rafale", quantity=36, first_report="2020-11-02"),
        last_report="2021-03-01", status="planned",
    )
    result = compare([talks], register)
    assert [(m.sipri_line, m.rule) for m in result.matches] == [(14, "order_year_reported")]
    assert [(d.field, d.ours, d.sipri) for d in result.disagreements] == [
        ("number_ordered", 36, 30)
    ]
    # not when the row was ordered before we heard of the deal
    later = replace(talks, first_report="2022-01-01", last_report="2022-05-01")
    assert compare([later], register).matched == 0


def test_an_undated_deal_takes_the_only_row_sipri_has(register: Register) -> None:
    turkey = deal("d1", "RUS", "TUR", first_report="2020-03-01")
    assert [(m.sipri_line, m.rule) for m in compare([turkey], register).matches] == [
        (6, "only_row")
    ]
    # not a row ordered after the pages we read, and not one of several
    before = deal("d2", "RUS", "TUR", first_report="2015-03-01")
    assert compare([before], register).matched == 0


def test_supplier_none_matches_a_single_supplier(register: Register) -> None:
    poland = deal("d1", None, "POL", "K9", order_date="2022-07-27")
    result = compare([poland], register)
    assert [(m.sipri_line, m.rule) for m in result.matches] == [(11, "order_year+supplier")]


def test_same_year_prefers_the_same_number(register: Register) -> None:
    for quantity, line in ((308, 23), (212, 11), (None, 11)):
        poland = deal("d1", "KOR", "POL", "K9", order_date="2022", quantity=quantity)
        assert compare([poland], register).matches[0].sipri_line == line, quantity


def test_supplier_none_with_two_suppliers_is_ours_only(register: Register) -> None:
    poland = deal("d1", None, "POL", "Patriot", order_date="2018")
    result = compare([poland], register)
    assert result.matched == 0
    assert "DEU, USA" in result.ours_only[0].note


def test_each_disagreement_field(register: Register) -> None:
    ours = deal(
        "d1",
        order_date="2017-10",
        quantity=12,
        delivered=5,
        deliveries=("2021-12", "2024-02"),
    )
    result = compare([ours], register)
    found = {d.field: (d.ours, d.sipri, d.sipri_line) for d in result.disagreements}
    assert found == {
        "order_year": (2017, 2018, 7),
        "number_ordered": (12, 10, 7),
        "number_delivered": (5, 6, 7),
        "delivery_years": ((2024,), (2021, 2022, 2023), 7),
    }
    assert {(d.deal_id, d.system, d.supplier, d.recipient) for d in result.disagreements} == {
        ("d1", "S-400", "RUS", "IND")
    }


def test_no_disagreement_without_both_values(register: Register) -> None:
    taiwan = deal("d1", "USA", "TWN", "MQ-9", "2020", quantity=4, deliveries=("2023",))
    result = compare([taiwan], register)
    assert result.matched == 1 and result.disagreements == ()


def test_a_row_is_never_matched_twice(register: Register) -> None:
    later = deal("late", "FRA", "IND", "Rafale", order_date="2017")
    exact = deal("exact", "FRA", "IND", "Rafale", order_date="2016-09-23")
    result = compare([later, exact], register)
    assert [(m.deal_id, m.sipri_line) for m in result.matches] == [("exact", 9)]
    (only,) = result.ours_only
    assert only.deal_id == "late" and "matched other deals" in only.note


def test_non_state_rows_never_match(register: Register) -> None:
    nigeria = deal("d1", None, "NGA", "BTR-3", order_date="2014")
    assert compare([nigeria], register).matched == 0


def test_comparison_as_dict_and_report(register: Register) -> None:
    deals = [
        deal("d1", order_date="2019", quantity=12),
        deal("d2", "FRA", "IND", "Rafale", order_date="2030"),
    ]
    result = compare(deals, register)
    assert isinstance(result, Comparison)
    data = json.loads(json.dumps(result.as_dict()))
    assert {"deals", "matched", "match_rate", "matches", "ours_only", "disagreements"} <= set(data)
    assert (data["deals"], data["matched"]) == (2, 1)
    assert isinstance(data["disagreements"], list) and data["disagreements"][0]["deal_id"] == "d1"
    assert data["matches"] == [{"deal_id": "d1", "sipri_line": 7, "rule": "order_year"}]
    text = format_comparison(result)
    assert "2 deals, 1 matched (50.0%)" in text
    assert "number_ordered" in text and "Ours only (1):" in text and "d2" in text


def test_empty_comparison() -> None:
    result = compare([], read_register(RAW))
    assert (result.deals, result.matched, result.match_rate) == (0, 0, 0.0)
    assert "none" in format_comparison(result)


# --- the real register ------------------------------------------------------------------------


def test_real_register(shared_dir: Path) -> None:
    path = shared_dir / "data" / "sipri-trade-register" / "trade-register.raw.csv"
    if not path.exists():
        pytest.skip("SIPRI trade register absent")
    started = time.perf_counter()
    register = read_register(path)
    assert time.perf_counter() - started < 30
    assert len(register.rows) == 29515 and register.skipped == ()
    assert register.generated is not None and register.generated.startswith("13 Mar 2025")
    s400 = {
        row.recipient_code: row
        for row in register.rows
        if row.system == "S-400" and row.supplier_code == "RUS"
    }
    turkey, india = s400["TUR"], s400["IND"]
    assert (turkey.order_year, turkey.number_ordered, turkey.number_ordered_uncertain) == (
        2017,
        2,
        True,
    )
    assert turkey.designation == "S-400 Triumf" and turkey.delivery_years == (2019,)
    assert (india.order_year, india.number_ordered) == (2018, 10)
    match = compare([deal("d1", order_date="2018-10-05", quantity=5)], register)
    assert match.matches[0].sipri_line == india.line
