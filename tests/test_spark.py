"""The Spark job on a real local Spark (local[2], Java 17): its events equal a single-machine
ingest's, and `armswatch load` brings its Parquet into a store equal to that ingest's store."""

from __future__ import annotations

import gzip
import html
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from armswatch import spark
from armswatch.cli import main
from armswatch.model import InputError
from armswatch.pipeline import IngestSummary, ingest
from armswatch.sources import iter_pages
from armswatch.spark import ARTICLE_COLUMNS, ERROR_COLUMNS, EVENT_COLUMNS, load
from armswatch.store import Store
from warcs import warc_record

IDRW = Path(__file__).resolve().parents[2] / "shared" / "data" / "idrw-defence-news" / "idrw.jsonl"
IDRW_PAGES = 60  # real articles beside our own pages, when ../shared is beside the checkout


def _as_html(text: str) -> bytes:
    lines = [line for line in text.splitlines() if line.strip()]
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return (f"<html><head><title>{html.escape(lines[0])}</title></head>"
            f"<body><article>{body}</article></body></html>").encode()


def _build_inputs(folder: Path, examples: Path) -> list[Path]:
    """Our example pages as a gzipped WARC; the idrw articles' first pages as a plain WARC;
    a missing path; a WARC cut off in its second record, its first an agency copy; a broken
    file."""
    ours = folder / "ours.warc.gz"
    with gzip.open(ours, "wb") as warc:
        for n, page in enumerate(sorted(examples.iterdir())):
            body = _as_html(page.read_text()) if page.suffix == ".txt" else page.read_bytes()
            warc.write(warc_record(f"https://news.example/{page.stem}", body, f"<urn:ex:{n}>"))
    inputs = [ours]
    if IDRW.is_file():
        real = folder / "idrw.warc"
        with IDRW.open(encoding="utf-8") as lines, real.open("wb") as warc:
            for n, line in zip(range(IDRW_PAGES), lines, strict=False):
                record = json.loads(line)
                url = record.get("url") or f"https://idrw.example/{record['id']}"
                warc.write(warc_record(url, _as_html(record["text"]), f"<urn:idrw:{n}>"))
        inputs.append(real)
    # an agency's copy of one of our pages: a new page whose article copies a stored one
    story = (examples / "philippines-brahmos.txt").read_text() + "\nDistributed by Wire Agency."
    whole = warc_record("https://agency.example/1", _as_html(story), "<urn:cut:1>")
    second = warc_record("https://agency.example/2", _as_html(story + "\nMore."), "<urn:cut:2>")
    (folder / "cut.warc").write_bytes(whole + second[: len(second) // 2])
    (folder / "notes.warc.gz").write_bytes(b"this is not gzip")
    # a path that is not there, after the files: its error keeps its place in the run
    return [*inputs, folder / "cut.warc", folder / "notes.warc.gz", folder / "missing.warc"]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory, examples_dir: Path) -> dict[str, Any]:
    """The same inputs through `ingest` and through `spark-extract` + `load`."""
    folder = tmp_path_factory.mktemp("spark")
    inputs = _build_inputs(folder, examples_dir)
    with Store.open(folder / "ingest.db") as store:
        ingested = ingest(store, iter_pages(inputs))
    output = folder / "parquet"
    result = CliRunner().invoke(
        main,
        ["spark-extract", *map(str, inputs), "--output", str(output), "--master", "local[2]",
         "--json"],
    )
    with Store.open(folder / "loaded.db") as store:
        loaded = load(store, output)
    return {"folder": folder, "inputs": inputs, "ingested": ingested, "extract": result,
            "output": output, "loaded": loaded}


def _rows(db: Path, table: str) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(db)
    try:
        columns = [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
        kept = ", ".join(c for c in columns if c != "ingested_at")  # the time of the run
        return connection.execute(f"SELECT {kept} FROM {table} ORDER BY rowid").fetchall()
    finally:
        connection.close()


def test_spark_extract_reports_the_run(runs: dict[str, Any]) -> None:
    result = runs["extract"]
    assert result.exit_code == 1, result.output  # three inputs are broken
    summary = json.loads(result.stdout)
    ingested: IngestSummary = runs["ingested"]
    assert summary["files"] == len(runs["inputs"]) - 1  # all but the missing one
    assert summary["pages"] == ingested.pages == ingested.added
    assert summary["events"] == ingested.events > 20
    assert [Path(e["source"]).name for e in summary["errors"]] == [
        "cut.warc", "notes.warc.gz", "missing.warc"
    ]


def test_spark_errors_equal_the_ingest_errors(runs: dict[str, Any]) -> None:
    spark_errors = [
        InputError(**e) for e in json.loads(runs["extract"].stdout)["errors"]
    ]
    assert spark_errors == list(runs["ingested"].errors)


@pytest.mark.parametrize(
    "table", ["pages", "articles", "article_bands", "events", "evidence", "deals", "deal_claims"]
)
def test_loaded_store_equals_the_ingested_store(runs: dict[str, Any], table: str) -> None:
    folder: Path = runs["folder"]
    ingested = _rows(folder / "ingest.db", table)
    assert ingested, f"no {table} to compare"
    assert _rows(folder / "loaded.db", table) == ingested


def test_the_agency_copy_stays_a_copy(runs: dict[str, Any]) -> None:
    # duplicate_of depends on the order pages are stored in: load keeps the input order
    query = "SELECT name, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL"
    copies = [sqlite3.connect(runs["folder"] / name).execute(query).fetchall()
              for name in ("ingest.db", "loaded.db")]
    assert copies[0] and copies[1] == copies[0]


def test_load_summary_matches_ingest(runs: dict[str, Any]) -> None:
    ingested, loaded = runs["ingested"], runs["loaded"]
    assert (loaded.added, loaded.events, loaded.deals) == (
        ingested.added, ingested.events, ingested.deals
    )
    assert loaded.errors == ()


def test_events_table_is_flat_and_holds_every_event(runs: dict[str, Any]) -> None:
    events = pq.read_table(runs["output"] / "events").to_pylist()
    stored = {row[0] for row in _rows(runs["folder"] / "ingest.db", "events")}
    assert {event["id"] for event in events} == stored
    assert len(events) == runs["ingested"].events
    columns = set(events[0])
    assert {name for name, _ in EVENT_COLUMNS} <= columns
    assert {"input", "position", "index", "page_id", "article_id"} <= columns
    keys = [(e["input_order"], e["position"], e["index"]) for e in events]
    assert keys == sorted(keys)


def test_articles_and_errors_tables(runs: dict[str, Any]) -> None:
    articles = pq.read_table(runs["output"] / "articles")
    assert articles.column_names == [name for name, _ in ARTICLE_COLUMNS]
    assert articles.num_rows == runs["ingested"].pages
    errors = pq.read_table(runs["output"] / "errors")
    assert errors.column_names == list(ERROR_COLUMNS)
    assert errors.num_rows == 3


def test_loading_twice_adds_nothing(runs: dict[str, Any], tmp_path: Path) -> None:
    db = tmp_path / "twice.db"
    shutil.copy(runs["folder"] / "loaded.db", db)
    with Store.open(db) as store:
        again = load(store, runs["output"])
    assert (again.added, again.skipped, again.events) == (0, runs["ingested"].pages, 0)
    assert _rows(db, "events") == _rows(runs["folder"] / "loaded.db", "events")


def test_load_cli_reports_a_bad_part_and_loads_the_rest(
    runs: dict[str, Any], tmp_path: Path
) -> None:
    output = tmp_path / "parquet"
    shutil.copytree(runs["output"], output)
    (output / "articles" / "part-99999-broken.parquet").write_bytes(b"PAR1 not really")
    db = tmp_path / "cli.db"
    result = CliRunner().invoke(main, ["load", str(output), "--db", str(db), "--json"])
    assert result.exit_code == 1
    assert "part-99999-broken.parquet: cannot read" in result.stderr
    assert "note: the Spark job could not read 3 inputs or pages" in result.stderr
    summary = json.loads(result.stdout)
    assert summary["added"] == runs["ingested"].added
    assert len(summary["errors"]) == 1


def test_load_cli_refuses_a_folder_that_is_not_spark_output(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["load", str(tmp_path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert f"{tmp_path}: no articles/*.parquet" in result.stderr


def test_spark_extract_refuses_an_existing_output(runs: dict[str, Any]) -> None:
    before = sorted(p.name for p in runs["output"].rglob("*"))
    result = CliRunner().invoke(
        main, ["spark-extract", str(runs["inputs"][0]), "--output", str(runs["output"])]
    )
    assert result.exit_code == 2
    assert "exists" in result.stderr
    assert sorted(p.name for p in runs["output"].rglob("*")) == before


def test_spark_submit_runs_the_module_with_the_same_events(
    runs: dict[str, Any], tmp_path: Path
) -> None:
    ours = runs["inputs"][0]
    output = tmp_path / "submitted"
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1", "PYSPARK_PYTHON": sys.executable}
    completed = subprocess.run(
        [str(Path(sys.executable).parent / "spark-submit"), "--master", "local[2]",
         str(Path(spark.__file__)), str(ours), "--output", str(output), "--json"],
        capture_output=True, text=True, env=env, timeout=600, check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert json.loads(completed.stdout)["files"] == 1
    submitted = pq.read_table(output / "events").to_pylist()
    from_cli = pq.read_table(runs["output"] / "events").to_pylist()
    expected = [e for e in from_cli if e["input"] == str(ours)]
    assert expected
    drop = ("input_order",)  # the file's place among the CLI run's inputs
    assert [{k: v for k, v in e.items() if k not in drop} for e in submitted] == [
        {k: v for k, v in e.items() if k not in drop} for e in expected
    ]
