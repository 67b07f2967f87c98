"""Crash safety and concurrent use, with real processes on a real SQLite file.

- `kill -9` in the middle of ingesting the 1,514 idrw articles, then the same command again:
  the database passes its integrity checks, holds nothing twice, and equals an uninterrupted
  run's, count for count and id for id.
- `serve` answering while `ingest` writes to the same file (WAL): no errors, no lock failures.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ARMSWATCH = str(Path(sys.executable).parent / "armswatch")
TABLES = ("pages", "articles", "article_bands", "events", "evidence", "deals", "deal_claims")


def _idrw(shared_dir: Path) -> Path:
    corpus = shared_dir / "data" / "idrw-defence-news" / "idrw.jsonl"
    if not corpus.is_file():
        pytest.skip("the idrw articles are not in ../shared")
    return corpus


def _ingest(inputs: list[Path], db: Path, workers: int = 2) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [ARMSWATCH, "ingest", *map(str, inputs), "--db", str(db), "--workers", str(workers)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )


def _count(db: Path, table: str) -> int:
    try:
        connection = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            return int(connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
        finally:
            connection.close()
    except sqlite3.OperationalError:  # not created yet
        return 0


def _snapshot(db: Path) -> dict[str, object]:
    connection = sqlite3.connect(db)
    try:
        return {
            "counts": {t: connection.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                       for t in TABLES},
            "pages": sorted(r[0] for r in connection.execute("SELECT id FROM pages")),
            "events": sorted(connection.execute("SELECT id, article_id, deal_id FROM events")),
            "copies": sorted(connection.execute(
                "SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL")),
            "deals": sorted(connection.execute("SELECT * FROM deals")),
        }
    finally:
        connection.close()


def test_kill_9_mid_ingest_then_rerun_equals_an_uninterrupted_run(
    shared_dir: Path, tmp_path: Path
) -> None:
    corpus = _idrw(shared_dir)
    whole = _ingest([corpus], tmp_path / "whole.db")
    crashed_db = tmp_path / "crashed.db"
    crashed = _ingest([corpus], crashed_db)
    deadline = time.monotonic() + 300
    while _count(crashed_db, "pages") < 400 and crashed.poll() is None:
        assert time.monotonic() < deadline, "the ingest stored no pages"
        time.sleep(0.2)
    assert crashed.poll() is None, "the ingest ended before it could be killed"
    crashed.send_signal(signal.SIGKILL)  # kill -9: no cleanup of any kind
    crashed.wait()
    os.killpg(crashed.pid, signal.SIGKILL)  # and its worker processes, now orphans
    killed_at = _count(crashed_db, "pages")
    assert 400 <= killed_at < 1514

    rerun = _ingest([corpus], crashed_db)
    _, rerun_err = rerun.communicate(timeout=600)
    _, whole_err = whole.communicate(timeout=600)
    assert whole.returncode == 0, whole_err
    assert rerun.returncode == 0, rerun_err
    assert f"{killed_at} already stored" in rerun_err

    connection = sqlite3.connect(crashed_db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        connection.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
    finally:
        connection.close()
    after, expected = _snapshot(crashed_db), _snapshot(tmp_path / "whole.db")
    counts = after["counts"]
    assert isinstance(counts, dict) and counts["pages"] == 1514 and counts["events"] > 400
    assert after == expected
    print(f"killed after {killed_at} of 1514 pages; after the rerun: {counts}")  # pytest -s


# ------------------------------------------------------------------ serve while ingest writes


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _tracebacks(log: str) -> str:
    return "\n".join(part[:3000] for part in log.split("Traceback")[1:3])


def test_serve_reads_while_ingest_writes(
    shared_dir: Path, examples_dir: Path, tmp_path: Path
) -> None:
    corpus = _idrw(shared_dir)
    part = tmp_path / "part.jsonl"
    with corpus.open(encoding="utf-8") as lines:
        part.write_text("".join(line for _, line in zip(range(300), lines, strict=False)))
    db = tmp_path / "shared.db"
    first = _ingest([examples_dir], db, workers=1)
    assert first.wait(timeout=300) == 0

    port = _free_port()
    log = tmp_path / "serve.log"  # a file, not a pipe: an unread pipe fills and blocks serve
    server = subprocess.Popen(
        [ARMSWATCH, "serve", "--db", str(db), "--port", str(port)],
        stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(f"{base}/api/deals")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline and server.poll() is None, "serve did not start"
            time.sleep(0.2)

        writer = _ingest([part], db, workers=1)
        answered: dict[int, int] = {}
        grew_while_serving = False
        start_pages = _count(db, "pages")
        while writer.poll() is None:
            status, body = _get(f"{base}/api/deals")
            answered[status] = answered.get(status, 0) + 1
            deals = json.loads(body)["deals"] if status == 200 else []
            urls = ["/", "/deals?sort=last_report", "/search?q=S-400", "/api/search?q=tanks",
                    *[f"/deals/{d['id']}" for d in deals[:2]]]
            for url in urls:
                status, _ = _get(base + url)
                answered[status] = answered.get(status, 0) + 1
            grew_while_serving |= _count(db, "pages") > start_pages
        _, writer_err = writer.communicate(timeout=60)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    server_log = log.read_text()

    assert writer.returncode == 0, writer_err
    assert "locked" not in writer_err.lower()
    assert grew_while_serving
    assert set(answered) == {200}, (answered, _tracebacks(server_log))
    assert sum(answered.values()) >= 50
    assert "Traceback" not in server_log and "ERROR" not in server_log
