"""Whatever a crawler saved: each bad input gives one clear line naming it (or is read right),
the rest of the batch goes on, the summary counts the failures and the exit status says so.

README's "Bad input" table lists the same inputs and outcomes.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from armswatch.cli import main
from warcs import warc_record

LATIN = ("The Força Aérea Portuguesa, señor Müller said on Monday, ordered six F-16 fighters "
         "from the United States in March 2022 for 200 million euros.")
RUSSIAN = ("Россия поставила Индии первый полк зенитных ракетных комплексов С-400 в декабре "
           "2021 года, сообщило министерство обороны. Контракт на сумму 5,43 млрд долларов "
           "был подписан в октябре 2018 года.")
FRENCH = ("La Pologne a signé en août 2022 avec la Corée du Sud un contrat pour 180 chars K2, "
          "pour un montant de 3,4 milliards de dollars. Les premières livraisons sont prévues "
          "pour la fin de l'année, selon le ministère de la Défense.")
POLISH_NAME = ("Minister Mariusz Błaszczak said on Tuesday that Poland had ordered 96 AH-64 "
               "Apache helicopters from the United States — “the largest such order”.")
K2 = "Poland ordered 180 K2 tanks from South Korea in July 2022, the ministry said on Friday."


def _page(body: str, title: str = "Defence news", head: str = "") -> str:
    return (f"<html><head>{head}<title>{title}</title></head><body><article>"
            f"<p>{body}</p><p>The officials gave no further details.</p></article></body></html>")


def _write_inputs(folder: Path) -> None:
    """The bad inputs of issue 7, written here (none is copied from anywhere)."""
    (folder / "empty.html").write_bytes(b"")
    (folder / "binary.html").write_bytes(bytes(range(256)) * 64)
    (folder / "photo.html").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    (folder / "latin1.html").write_bytes(_page(LATIN, "Força Aérea").encode("latin-1"))
    (folder / "cp1251.html").write_bytes(_page(RUSSIAN, "Новости").encode("cp1251"))
    (folder / "cp1251.txt").write_bytes(f"Новости обороны\n\n{RUSSIAN}\n".encode("cp1251"))
    broken = _page(POLISH_NAME).encode("utf-8").replace(b"Tuesday", b"Tues\xff\xfeday")
    (folder / "invalid-utf8.html").write_bytes(broken)
    with (folder / "huge.html").open("wb") as huge:  # 50 MB
        huge.write(b"<html><body><p>" + K2.encode() + b"</p>\n")
        filler = b"<p>" + b"Filler about nothing in particular. " * 25 + b"</p>\n"
        huge.write(filler * (50_000_000 // len(filler)))
        huge.write(b"</body></html>")
    deep = b"<div>" * 10_000 + f"<p>{K2}</p>".encode() + b"</div>" * 10_000
    (folder / "deep.html").write_bytes(b"<html><body>" + deep + b"</body></html>")
    records = [warc_record(f"https://wire.example/{n}", _page(text).encode(), f"<urn:w:{n}>")
               for n, text in enumerate((LATIN, K2))]
    cut = gzip.compress(records[0]) + gzip.compress(records[1])[:-40]
    (folder / "cut.warc.gz").write_bytes(cut)
    lines = [json.dumps({"id": "first", "text": LATIN}), '{"id": "second", "text": "unclosed',
             json.dumps({"id": "third", "text": K2})]
    (folder / "broken-line.jsonl").write_text("\n".join(lines) + "\n")
    (folder / "french.html").write_text(_page(FRENCH, "Défense"), encoding="utf-8")


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("bad") / "inputs"
    folder.mkdir()
    _write_inputs(folder)
    db = folder.parent / "bad.db"
    result = CliRunner().invoke(
        main, ["ingest", str(folder), "--db", str(db), "--workers", "1", "--json"]
    )
    connection = sqlite3.connect(db)
    connection.row_factory = sqlite3.Row
    articles = {Path(row["name"]).name if row["name"].startswith("/") else row["name"]: dict(row)
                for row in connection.execute("SELECT * FROM articles")}
    events = [dict(row) for row in connection.execute(
        "SELECT a.name AS page, e.* FROM events e JOIN articles a ON a.id = e.article_id")]
    connection.close()
    return {"folder": folder, "result": result, "summary": json.loads(result.stdout),
            "articles": articles, "events": events}


def _error_lines(batch: dict[str, Any]) -> list[str]:
    return [line for line in batch["result"].stderr.splitlines() if line.startswith("error: ")]


EXPECTED_ERRORS = {
    "empty.html": "empty file",
    "binary.html": "binary data, not a page of text",
    "photo.html": "a PNG image, not a page of text",
    "huge.html": "50.0 MB is more than a news page (the limit is 10 MB); skipped",
    "cut.warc.gz": "truncated WARC: record <urn:w:1> has 165 of 224 bytes",
    "broken-line.jsonl:2": "invalid JSON: Unterminated string starting at (column 26)",
}


def test_each_bad_input_gives_one_line_naming_it(batch: dict[str, Any]) -> None:
    folder = batch["folder"]
    expected = [f"error: {folder / name}: {problem}" for name, problem in
                sorted(EXPECTED_ERRORS.items())]
    assert sorted(_error_lines(batch)) == expected


def test_the_summary_counts_the_failures_and_the_exit_status_says_so(
    batch: dict[str, Any],
) -> None:
    assert batch["result"].exit_code == 1
    summary = batch["summary"]
    assert len(summary["errors"]) == len(EXPECTED_ERRORS)
    # every page read was stored: 6 files, the cut WARC's whole record, 2 JSONL records
    assert summary["added"] == summary["pages"] == 9


def test_pages_without_a_charset_are_read_in_theirs(batch: dict[str, Any]) -> None:
    articles = batch["articles"]
    assert "señor Müller" in articles["latin1.html"]["text"]
    assert articles["latin1.html"]["title"] == "Força Aérea"
    assert RUSSIAN in articles["cp1251.html"]["text"]
    assert articles["cp1251.html"]["language"] == "ru"
    assert RUSSIAN in articles["cp1251.txt"]["text"]


def test_invalid_utf8_keeps_the_good_text(batch: dict[str, Any]) -> None:
    text = batch["articles"]["invalid-utf8.html"]["text"]
    assert "Mariusz Błaszczak" in text and "“the largest such order”" in text
    assert "Tues\ufffd" in text


def test_a_page_nested_10000_deep_is_read(batch: dict[str, Any]) -> None:
    assert K2 in batch["articles"]["deep.html"]["text"]
    assert any(e["page"].endswith("deep.html") and e["system"] == "K2" and e["recipient"] == "POL"
               for e in batch["events"])


def test_the_rest_of_a_broken_file_goes_on(batch: dict[str, Any]) -> None:
    articles = batch["articles"]
    assert {"first", "third"} <= set(articles)  # the records around the broken line
    assert "https://wire.example/0" in articles  # the cut WARC's whole record


def test_a_page_in_another_language_is_stored_without_events(batch: dict[str, Any]) -> None:
    article = batch["articles"]["french.html"]
    assert article["language"] == "fr" and "180 chars K2" in article["text"]
    assert not [e for e in batch["events"] if e["page"].endswith("french.html")]


# ------------------------------------------------------------------ unreadable files


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A folder another user can use (pytest's own tmp folders are private to us)."""
    folder = Path(tempfile.mkdtemp(prefix="armswatch-unreadable-"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder)


def _as_another_user(command: list[str]) -> list[str]:
    """Root reads any file, so run ``command`` as nobody to make a file unreadable."""
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    assert setpriv, "setpriv (util-linux) is needed to drop root for this test"
    return [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *command]


def test_a_folder_with_unreadable_files(shared_tmp: Path) -> None:
    folder = shared_tmp / "inputs"
    (folder / "locked").mkdir(parents=True)
    (folder / "good.html").write_text(_page(K2))
    (folder / "secret.html").write_text(_page(LATIN))
    (folder / "locked" / "inside.html").write_text(_page(FRENCH))
    (folder / "secret.html").chmod(0)
    (folder / "locked").chmod(0)
    for path in (folder, folder / "good.html"):
        path.chmod(path.stat().st_mode | 0o005)  # others may list the folder and read the page
    db = shared_tmp / "out.db"
    armswatch = Path(sys.executable).parent / "armswatch"
    completed = subprocess.run(
        _as_another_user([str(armswatch), "ingest", str(folder), "--db", str(db),
                          "--workers", "1"]),
        capture_output=True, text=True, timeout=300, check=False,
    )
    assert completed.returncode == 1, completed.stderr
    errors = [line for line in completed.stderr.splitlines() if line.startswith("error: ")]
    assert errors == [
        f"error: {folder / 'locked'}: cannot read: Permission denied",
        f"error: {folder / 'secret.html'}: cannot read: Permission denied",
    ]
    assert "1 pages read: 1 added" in completed.stderr
    assert "2 inputs failed" in completed.stderr
