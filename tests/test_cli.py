"""Tests for the ``armswatch`` command line, run in-process with click's CliRunner."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from armswatch.cli import main

PAGE_SUFFIXES = (".html", ".htm", ".txt")
K2_SENTENCE = (
    "Poland signed a contract with South Korea in August 2022 for 180 K2 tanks worth "
    "$3.4 billion."
)
K2_TEXT = f"Poland buys Korean tanks\n\n{K2_SENTENCE}\n"
S400_TEXT = "Air defence explained\n\nThe S-400 is a long-range air defence system.\n"
DELIVERY_TEXT = (
    "First S-400 regiment reaches India\n\n"
    "Russia delivered the first S-400 regiment to India in December 2021.\n"
)
EVENT_KEYS = {
    "type", "status", "date", "supplier", "recipient", "system", "quantity", "value", "source",
    "evidence",
}


def run(*args: str | Path) -> Result:
    """Invoke ``armswatch`` with ``args`` in-process (stdout and stderr kept apart)."""
    return CliRunner().invoke(main, [str(arg) for arg in args], catch_exceptions=False)


def example_pages(examples_dir: Path) -> list[Path]:
    """The example pages (not README.md)."""
    return sorted(p for p in examples_dir.iterdir() if p.suffix.lower() in PAGE_SUFFIXES)


def stats(db: Path) -> dict[str, Any]:
    """``armswatch stats --json`` as a dict."""
    result = run("stats", "--json", "--db", db)
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def record(record_id: str, text: str, published: str = "2022-09-01") -> str:
    """One JSONL line in the shape `extract` reads."""
    return json.dumps({"id": record_id, "meta": {"published": published}, "text": text})


@pytest.fixture(scope="module")
def examples_db(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> Path:
    """A database holding the example pages (ingested once for the read-only commands)."""
    db = tmp_path_factory.mktemp("examples") / "armswatch.db"
    result = run("ingest", *example_pages(examples_dir), "--db", db)
    assert result.exit_code == 0, result.output
    return db


# ------------------------------------------------------------------------- ingest and stats


def test_ingest_examples_then_rerun_adds_nothing(tmp_path: Path, examples_dir: Path) -> None:
    pages = example_pages(examples_dir)
    assert len(pages) == 6
    db = tmp_path / "x.db"
    first = run("ingest", *pages, "--db", db)
    assert first.exit_code == 0, first.output
    counts = stats(db)
    assert counts["pages"] == len(pages)
    assert counts["articles"] == len(pages)
    assert counts["events"] > 0
    assert counts["deals"] > 0

    again = run("ingest", *pages, "--db", db, "--json")
    assert again.exit_code == 0, again.output
    summary = json.loads(again.stdout)
    assert (summary["pages"], summary["added"], summary["skipped"]) == (6, 0, 6)
    assert summary["events"] == 0
    assert stats(db) == counts


def test_the_agency_copy_among_the_examples_is_one_report(examples_db: Path) -> None:
    result = run("timeline", "S-400", "--recipient", "IND", "--json", "--db", examples_db)
    order = next(
        fact for fact in json.loads(result.stdout)
        if fact["type"] == "order" and fact["date"] == "2018-10-05"
    )
    assert len(order["sources"]) == 2 and order["reports"] == 1
    assert sum(1 for source in order["sources"] if source["duplicate_of"]) == 1


def test_ingest_examples_folder_exits_0(tmp_path: Path, examples_dir: Path) -> None:
    result = run("ingest", examples_dir, "--db", tmp_path / "x.db")
    assert result.exit_code == 0, result.stderr


def test_ingest_examples_folder_stores_every_page(tmp_path: Path, examples_dir: Path) -> None:
    db = tmp_path / "x.db"
    result = run("ingest", examples_dir, "--db", db)
    assert result.exit_code == 0, result.stderr
    assert stats(db)["pages"] == len(example_pages(examples_dir))


# ----------------------------------------------------------------------- read-only commands


def test_deals_json_and_recipient_filter(examples_db: Path) -> None:
    result = run("deals", "--json", "--db", examples_db)
    assert result.exit_code == 0, result.output
    deals = json.loads(result.stdout)
    assert isinstance(deals, list) and deals
    for deal in deals:
        assert {"supplier", "recipient", "system"} <= deal.keys()
    assert {deal["recipient"] for deal in deals} > {"IND"}

    filtered = json.loads(run("deals", "--recipient", "ind", "--json", "--db", examples_db).stdout)
    assert filtered
    assert {deal["recipient"] for deal in filtered} == {"IND"}
    assert [d for d in deals if d["recipient"] == "IND"] == filtered


def test_deals_system_filter_accepts_an_alias(examples_db: Path) -> None:
    result = run("deals", "--system", "S-400 Triumf", "--json", "--db", examples_db)
    deals = json.loads(result.stdout)
    assert deals
    assert {deal["system"] for deal in deals} == {"S-400"}


def test_deals_table(examples_db: Path) -> None:
    result = run("deals", "--db", examples_db)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].split()[:3] == ["supplier", "recipient", "system"]


def test_timeline_json(examples_db: Path) -> None:
    result = run("timeline", "S-400", "--recipient", "IND", "--json", "--db", examples_db)
    assert result.exit_code == 0, result.output
    events = json.loads(result.stdout)
    assert isinstance(events, list) and events
    for event in events:
        assert event.keys() >= EVENT_KEYS
        assert (event["recipient"], event["system"]) == ("IND", "S-400")
        assert event["evidence"]
    dated = [event["date"] for event in events if event["date"]]
    assert dated == sorted(dated)
    assert any(event["type"] == "order" for event in events)


def test_timeline_text(examples_db: Path) -> None:
    result = run("timeline", "S-400", "--recipient", "IND", "--db", examples_db)
    assert result.exit_code == 0
    assert "source:" in result.stdout
    assert "RUS -> IND" in result.stdout


@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_timeline_plot_writes_the_chart(examples_db: Path, tmp_path: Path, suffix: str) -> None:
    plot = tmp_path / f"s400{suffix}"
    result = run("timeline", "S-400", "--recipient", "IND", "--plot", plot, "--db", examples_db)
    assert result.exit_code == 0, result.output
    events = json.loads(
        run("timeline", "S-400", "--recipient", "IND", "--json", "--db", examples_db).stdout
    )
    assert f"chart of {len(events)} events written to {plot}" in result.stderr
    data = plot.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
    else:
        assert data.decode("utf-8").count('<g class="mark ') == len(events)
        assert "India: S-400" in data.decode("utf-8")


def test_timeline_plot_needs_svg_or_png(examples_db: Path, tmp_path: Path) -> None:
    result = run("timeline", "S-400", "--plot", tmp_path / "chart.pdf", "--db", examples_db)
    assert result.exit_code == 2
    assert "use a .svg or .png file" in result.stderr
    assert not (tmp_path / "chart.pdf").exists()


def test_serve_binds_to_loopback_by_default(examples_db: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[Path, str, int]] = []
    monkeypatch.setattr("armswatch.web.serve",
                        lambda db, host, port: calls.append((db, host, port)))
    result = run("serve", "--db", examples_db)
    assert result.exit_code == 0, result.output
    assert calls == [(examples_db, "127.0.0.1", 8000)]
    assert "http://127.0.0.1:8000/" in result.stderr and "warning" not in result.stderr
    other = run("serve", "--host", "0.0.0.0", "--port", "8123", "--db", examples_db)
    assert calls[-1] == (examples_db, "0.0.0.0", 8123)
    assert "warning: listening on 0.0.0.0" in other.stderr


def test_serve_without_a_database_is_a_usage_error(tmp_path: Path) -> None:
    result = run("serve", "--db", tmp_path / "missing.db")
    assert result.exit_code == 2 and "no database at" in result.stderr
    assert not (tmp_path / "missing.db").exists()


def test_export_csv(examples_db: Path) -> None:
    result = run("export", "--format", "csv", "--db", examples_db)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Recipient,Supplier,Year of order")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    deals = json.loads(run("deals", "--json", "--db", examples_db).stdout)
    assert len(rows) == len(deals)
    assert "India" in {row["Recipient"] for row in rows}


def test_export_json_to_a_file(examples_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "deals.json"
    result = run("export", "--format", "json", "-o", out, "--db", examples_db)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    deals = json.loads(run("deals", "--json", "--db", examples_db).stdout)
    assert isinstance(data, list)
    assert len(data) == len(deals)


@pytest.mark.parametrize(
    "command",
    [("deals",), ("stats",), ("export",), ("timeline", "S-400")],
)
def test_read_commands_on_a_missing_database(tmp_path: Path, command: tuple[str, ...]) -> None:
    missing = tmp_path / "missing.db"
    result = run(*command, "--db", missing)
    assert result.exit_code == 2
    assert "no database at" in result.stderr
    assert "armswatch ingest" in result.stderr
    assert not missing.exists()


# ------------------------------------------------------------------------- extract and eval


def test_extract_jsonl_keeps_ids(tmp_path: Path) -> None:
    pages = tmp_path / "pages.jsonl"
    pages.write_text(
        record("rec-k2", K2_TEXT) + "\n" + record("rec-none", S400_TEXT) + "\n",
        encoding="utf-8",
    )
    result = run("extract", pages)
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["rec-k2", "rec-none"]
    assert [event["system"] for event in lines[0]["events"]] == ["K2"]
    assert lines[1]["events"] == []


def bad_inputs(tmp_path: Path) -> tuple[Path, Path]:
    """A .pdf file and a JSONL whose middle line is broken."""
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% not a page armswatch reads\n")
    jsonl = tmp_path / "mixed.jsonl"
    jsonl.write_text(
        record("good-1", K2_TEXT) + "\n"
        + '{"id": "broken", "text": "cut off\n'
        + record("good-2", DELIVERY_TEXT, published="2021-12-21") + "\n",
        encoding="utf-8",
    )
    return pdf, jsonl


def test_extract_bad_inputs_exit_1_and_keep_the_good_records(tmp_path: Path) -> None:
    pdf, jsonl = bad_inputs(tmp_path)
    result = run("extract", pdf, jsonl)
    assert result.exit_code == 1
    assert str(pdf) in result.stderr
    assert f"{jsonl}:2" in result.stderr
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert ids == ["good-1", "good-2"]


def test_ingest_bad_inputs_exit_1_and_store_the_good_records(tmp_path: Path) -> None:
    pdf, jsonl = bad_inputs(tmp_path)
    db = tmp_path / "x.db"
    result = run("ingest", pdf, jsonl, "--db", db, "--json")
    assert result.exit_code == 1
    assert str(pdf) in result.stderr
    assert f"{jsonl}:2" in result.stderr
    summary = json.loads(result.stdout)
    assert {error["source"] for error in summary["errors"]} == {str(pdf), f"{jsonl}:2"}
    assert stats(db)["pages"] == 2


def test_eval_json(tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    documents = [
        {
            "id": "g1", "url": None, "meta": {"published": "2022-09-01"}, "text": K2_TEXT,
            "published": "2022-09-01", "title": None,
            "events": [{
                "type": "order", "status": "happened", "supplier": "KOR", "recipient": "POL",
                "system": "K2", "date": "2022-08", "quantity": {"value": 180, "unit": "tank"},
                "value": {"amount": 3400000000, "currency": "USD"}, "evidence": K2_SENTENCE,
            }],
        },
        {
            "id": "g2", "url": None, "meta": {"published": "2022-09-01"},
            "text": S400_TEXT,
            "published": "2022-09-01", "title": None, "events": [],
        },
    ]
    gold.write_text("".join(json.dumps(doc) + "\n" for doc in documents), encoding="utf-8")
    result = run("eval", gold, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert {"precision", "recall", "f1"} <= data.keys()
    assert "errors" not in data
    assert (data["precision"], data["recall"], data["f1"]) == (1.0, 1.0, 1.0)


# ------------------------------------------------------------------------------------ help


def test_every_help_has_an_example() -> None:
    assert "Example" in run("--help").stdout
    assert isinstance(main, click.Group)
    assert set(main.commands) >= {
        "ingest", "extract", "deals", "timeline", "export", "stats", "eval", "serve"
    }
    for name in main.commands:
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Example" in result.stdout, name


# ------------------------------------------------------------------ the seed pages (../shared)


EXPECTED_SEED_EVENTS = [
    # (type, status, date prefix); quantity and value where the brief states them
    ("talks", "happened", "2017-02"),
    ("talks", "expected", "2017-03"),
    ("order", "happened", "2017-12"),
    ("order", "expected", "2020"),
    ("delivery", "happened", "2019-07"),
    ("deployment", "happened", "2019"),
    ("deployment", "expected", "2020-04"),
]


def also_read_lines(seeds: Path) -> list[str]:
    """The non-empty lines after "Also Read" in each seed page: links to other stories."""
    lines: list[str] = []
    for path in sorted(seeds.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if "Also Read" in text:
            tail = text.split("Also Read", 1)[1]
            lines += [line.strip() for line in tail.splitlines() if line.strip()]
    return lines


@pytest.fixture(scope="module")
def seed_timeline(
    tmp_path_factory: pytest.TempPathFactory, shared_dir: Path
) -> list[dict[str, Any]]:
    """``timeline S-400 --recipient TUR --json`` after ingesting ../shared/seeds."""
    seeds = shared_dir / "seeds"
    db = tmp_path_factory.mktemp("seeds") / "armswatch.db"
    run("ingest", seeds, "--db", db)  # exits 1 while seeds/README.md is an unsupported input
    assert stats(db)["pages"] == len(list(seeds.glob("*.txt")))
    result = run("timeline", "S-400", "--recipient", "TUR", "--json", "--db", db)
    assert result.exit_code == 0, result.output
    events: list[dict[str, Any]] = json.loads(result.stdout)
    return events


def test_seed_timeline_has_the_expected_events(seed_timeline: list[dict[str, Any]]) -> None:
    missing = [
        (kind, status, date)
        for kind, status, date in EXPECTED_SEED_EVENTS
        if not any(
            event["type"] == kind and event["status"] == status
            and (event["date"] or "").startswith(date)
            for event in seed_timeline
        )
    ]
    assert missing == []


def test_seed_timeline_order_has_quantity_and_value(seed_timeline: list[dict[str, Any]]) -> None:
    orders = [
        event for event in seed_timeline
        if (event["type"], event["status"]) == ("order", "happened")
        and (event["date"] or "").startswith("2017-12")
    ]
    assert orders
    assert orders[0]["quantity"] == {"value": 4, "unit": "battery"}
    assert orders[0]["value"] == {"amount": 2500000000, "currency": "USD"}


def test_seed_timeline_ignores_also_read_links(
    shared_dir: Path, seed_timeline: list[dict[str, Any]]
) -> None:
    links = also_read_lines(shared_dir / "seeds")
    assert links  # the seed pages do have such a list
    for event in seed_timeline:
        for line in links:
            assert line not in event["evidence"], (line, event)


def test_seed_timeline_supplier_is_russia(seed_timeline: list[dict[str, Any]]) -> None:
    assert {event["supplier"] for event in seed_timeline} <= {"RUS", None}


def test_seed_timeline_has_no_other_events(seed_timeline: list[dict[str, Any]]) -> None:
    """The seeds report exactly the expected S-400 events: anything else is spurious."""
    spurious = [
        (event["type"], event["status"], event["date"], event["evidence"])
        for event in seed_timeline
        if not any(
            event["type"] == kind and event["status"] == status
            and (event["date"] or "").startswith(date)
            for kind, status, date in EXPECTED_SEED_EVENTS
        )
    ]
    assert spurious == []


def test_clean_json_prints_one_object_per_page(examples_dir: Path) -> None:
    page = examples_dir / "india-s400-deliveries.txt"
    result = run("clean", "--json", page)
    assert result.exit_code == 0, result.stderr
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["path"] == str(page)
    assert record["title"] == "First S-400 Squadron Reaches India, Rest To Follow By 2023"
    assert record["published"] == "2021-12-21"
    assert record["text"].startswith("Russia has started delivering")
    assert "Also Read" not in record["text"] and "Egypt Signs Contract" not in record["text"]


def test_clean_text_and_a_bad_input(examples_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "notes.pdf"
    bad.write_bytes(b"%PDF-1.4")
    result = run("clean", examples_dir / "philippines-brahmos.txt", bad)
    assert result.exit_code == 1
    assert "India delivered the first batteries" in result.stdout
    assert "notes.pdf" in result.stderr


# ------------------------------------------------------------------------- sipri compare

SIPRI_FIXTURE = Path(__file__).parent / "fixtures" / "sipri" / "register-raw.csv"


def test_sipri_compare_json(examples_db: Path) -> None:
    result = run("sipri", "compare", SIPRI_FIXTURE, "--json", "--db", examples_db)
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report.keys() >= {"deals", "matched", "disagreements"}
    assert isinstance(report["disagreements"], list)
    # the example India S-400 order (2018, five regiments) is the invented register's row
    s400 = [d for d in report["disagreements"] if d["system"] == "S-400"]
    assert [(d["field"], d["ours"], d["sipri"]) for d in s400] == [("number_ordered", 5, 10)]
    assert 0 < report["matched"] <= report["deals"]


def test_sipri_compare_text_and_a_file_that_is_not_a_register(
    examples_db: Path, tmp_path: Path
) -> None:
    result = run("sipri", "compare", SIPRI_FIXTURE, "--db", examples_db)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("SIPRI comparison:")
    assert "line 17" in result.stderr  # the fixture's malformed row is reported, not fatal
    other = tmp_path / "notes.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    result = run("sipri", "compare", other, "--db", examples_db)
    assert result.exit_code == 1
    assert str(other) in result.stderr and "no SIPRI header" in result.stderr
