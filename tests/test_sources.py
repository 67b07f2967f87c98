"""Tests for armswatch.sources: files, folders, JSONL records and WARC archives."""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from armswatch import sources
from armswatch.model import InputError, Page, content_hash
from armswatch.sources import canonical_url, iter_pages
from warcs import warc_record

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "sources"


def _split(items: list[Page | InputError]) -> tuple[list[Page], list[InputError]]:
    pages = [item for item in items if isinstance(item, Page)]
    errors = [item for item in items if isinstance(item, InputError)]
    return pages, errors


# ------------------------------------------------------------------ WARC bytes, by hand


PAGE_A = b"<html><body><p>Freedonia ordered six coastal radars.</p></body></html>"
PAGE_B = b"<html><body><p>Sylvania received two frigates.</p></body></html>"
PAGE_C = b"<html><body><p>Talks on tanks went on.</p></body></html>"


def _records() -> list[bytes]:
    return [
        warc_record("https://a.example/1", PAGE_A, "<urn:uuid:a1>"),
        warc_record("https://a.example/req", b"", "<urn:uuid:q1>", warc_type="request"),
        warc_record("https://a.example/missing", b"gone", "<urn:uuid:n1>", status=404),
        warc_record("https://a.example/img.png", b"\x89PNG", "<urn:uuid:i1>",
                     content_type="image/png"),
        warc_record("https://a.example/2", PAGE_B, "<urn:uuid:b1>",
                     content_type="application/xhtml+xml"),
        warc_record("https://a.example/3", PAGE_C, "<urn:uuid:c1>"),
    ]


@pytest.mark.parametrize("compressed", [False, True])
def test_warc_yields_html_200_responses_only(tmp_path: Path, compressed: bool) -> None:
    name = "crawl.warc.gz" if compressed else "crawl.warc"
    path = tmp_path / name
    records = _records()
    data = b"".join(gzip.compress(r) for r in records) if compressed else b"".join(records)
    path.write_bytes(data)
    pages, errors = _split(list(iter_pages([path])))
    assert errors == []
    assert [p.name for p in pages] == [
        "https://a.example/1", "https://a.example/2", "https://a.example/3",
    ]
    first = pages[0]
    assert first.url == "https://a.example/1"
    assert first.source == f"{path}#<urn:uuid:a1>"
    assert first.content == PAGE_A
    assert first.content_type == "html"
    assert first.id == content_hash(PAGE_A)


def test_warc_decodes_gzip_content_encoding(tmp_path: Path) -> None:
    body = gzip.compress(PAGE_A)
    path = tmp_path / "enc.warc"
    path.write_bytes(
        warc_record("https://a.example/gz", body, "<urn:uuid:g1>",
                     extra_http="Content-Encoding: gzip\r\n")
    )
    pages, errors = _split(list(iter_pages([path])))
    assert errors == []
    assert [p.content for p in pages] == [PAGE_A]


def test_warc_http_charset_reaches_the_page_and_the_cleaner(tmp_path: Path) -> None:
    from armswatch.clean import clean

    text = "Россия поставила Индии комплексы С-400 в декабре 2021 года, сообщило министерство."
    body = f"<html><body><article><p>{text}</p></article></body></html>".encode("koi8_r")
    path = tmp_path / "ru.warc"
    path.write_bytes(warc_record("https://ru.example/1", body, "<urn:uuid:r1>",
                                 content_type="text/html; charset=KOI8-R"))
    (page,) = iter_pages([path])
    assert isinstance(page, Page) and page.meta == {"charset": "koi8-r"}
    assert text in clean(page).text


def test_warc_skips_binary_and_oversized_records_and_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "MAX_PAGE_BYTES", 10_000)
    bomb = gzip.compress(b"<p>" + b"x" * 50_000 + b"</p>")  # small on disk, large unpacked
    path = tmp_path / "mixed.warc"
    path.write_bytes(
        warc_record("https://a.example/png", b"\x89PNG\r\n\x1a\n" + bytes(200), "<urn:p>")
        + warc_record("https://a.example/big", b"<p>" + b"y" * 20_000 + b"</p>", "<urn:b>")
        + warc_record("https://a.example/bomb", bomb, "<urn:z>",
                      extra_http="Content-Encoding: gzip\r\n")
        + warc_record("https://a.example/1", PAGE_A, "<urn:a>")
    )
    pages, errors = _split(list(iter_pages([path])))
    assert [p.name for p in pages] == ["https://a.example/1"]
    assert [(e.source, e.problem) for e in errors] == [
        (f"{path}#<urn:p>", "a PNG image served as HTML"),
        (f"{path}#<urn:b>", "0.0 MB is more than a news page (the limit is 0.01 MB); skipped"),
        (f"{path}#<urn:z>",
         "unpacked, it is more than a news page (the limit is 0.01 MB); skipped"),
    ]


@pytest.mark.parametrize(
    ("content", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\0\0", "a PNG image"),
        (b"%PDF-1.7\n", "a PDF document"),
        (b"PK\x03\x04rest", "a ZIP archive"),
        (bytes(range(256)) * 4, "binary data"),
        (b"<html>\x01\x02\x03\x04\x05\x06</html>", "binary data"),
        (b"<html><body><p>Plain text.</p></body></html>\r\n", None),
        ("Text in UTF-16.".encode("utf-16"), None),
        ("Accents: é à ü, Cyrillic: Россия".encode(), None),
    ],
)
def test_binary_kind(content: bytes, kind: str | None) -> None:
    assert sources.binary_kind(content) == kind


def test_binary_and_oversized_files_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sources, "MAX_PAGE_BYTES", 1000)
    (tmp_path / "a-photo.html").write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    (tmp_path / "b-big.txt").write_bytes(b"words " * 500)
    (tmp_path / "c-big.jsonl").write_text('{"id": "x", "text": "' + "w" * 5000 + '"}\n'
                                          '{"id": "y", "text": "short"}\n')
    (tmp_path / "d-fine.html").write_bytes(PAGE_A)
    items = list(iter_pages([tmp_path]))
    assert [(type(i).__name__, Path(i.source).name) for i in items] == [
        ("InputError", "a-photo.html"), ("InputError", "b-big.txt"),
        ("InputError", "c-big.jsonl:1"), ("Page", "c-big.jsonl:2"), ("Page", "d-fine.html"),
    ]
    assert str(items[0]).endswith("a JPEG image, not a page of text")
    assert str(items[1]).endswith(": 0.0 MB is more than a news page (the limit is 0.001 MB); "
                                  "skipped")
    assert str(items[2]).endswith("c-big.jsonl:1: 0.0 MB is more than a news page "
                                  "(the limit is 0.001 MB); skipped")


def test_truncated_warc_yields_pages_read_then_one_error(tmp_path: Path) -> None:
    data = b"".join(_records())
    path = tmp_path / "cut.warc"
    path.write_bytes(data[: len(data) - 30])  # cuts into the last record's body
    pages, errors = _split(list(iter_pages([path])))
    assert [p.name for p in pages] == ["https://a.example/1", "https://a.example/2"]
    assert len(errors) == 1
    assert errors[0].source == str(path)
    assert "truncated" in errors[0].problem


def test_truncated_warc_gz_is_reported(tmp_path: Path) -> None:
    records = _records()
    whole = b"".join(gzip.compress(r) for r in records[:-1])
    last = gzip.compress(records[-1])
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(whole + last[: len(last) // 2])
    pages, errors = _split(list(iter_pages([path])))
    assert [p.name for p in pages] == ["https://a.example/1", "https://a.example/2"]
    assert len(errors) == 1 and "truncated" in errors[0].problem


def test_corrupt_warc_yields_pages_read_then_one_error(tmp_path: Path) -> None:
    records = _records()
    path = tmp_path / "bad.warc"
    path.write_bytes(records[0] + b"this is not a WARC header\r\n\r\n" + records[-1])
    pages, errors = _split(list(iter_pages([path])))
    assert [p.name for p in pages] == ["https://a.example/1"]
    assert len(errors) == 1
    assert errors[0].source == str(path) and "corrupt" in errors[0].problem


def test_not_a_warc_at_all(tmp_path: Path) -> None:
    path = tmp_path / "notes.warc"
    path.write_bytes(b"just some notes\nabout radars\n")
    assert [type(x) for x in iter_pages([path])] == [InputError]


# ------------------------------------------------------------------ files and folders


def test_folder_walk_sorted_recursive_skips_hidden(tmp_path: Path) -> None:
    root = tmp_path / "in"
    shutil.copytree(FIXTURES, root)
    (root / ".hidden.txt").write_text("not for reading\n")
    (root / ".cache").mkdir()
    (root / ".cache" / "skip.html").write_text("<p>hidden</p>\n")
    items = list(iter_pages([root]))
    jsonl = root / "records.jsonl"
    assert [(type(i).__name__, i.source) for i in items] == [
        ("Page", str(root / "article.html")),
        ("InputError", str(root / "empty.txt")),
        ("InputError", str(root / "manual.pdf")),
        ("Page", str(root / "nested" / "brief.htm")),
        ("Page", str(root / "nested" / "dump.txt")),
        ("Page", f"{jsonl}:1"),
        ("Page", f"{jsonl}:3"),
        ("InputError", f"{jsonl}:4"),
        ("InputError", f"{jsonl}:5"),
        ("InputError", f"{jsonl}:6"),
        ("Page", f"{jsonl}:7"),
    ]
    by_source = {item.source: item for item in items}
    empty = by_source[str(root / "empty.txt")]
    assert isinstance(empty, InputError) and empty.problem == "empty file"
    pdf = by_source[str(root / "manual.pdf")]
    assert isinstance(pdf, InputError)
    assert pdf.problem == (
        "unsupported file type '.pdf' (expected .html, .htm, .txt, .jsonl, .warc, .warc.gz)"
    )


def test_html_and_text_files() -> None:
    html_path = FIXTURES / "article.html"
    text_path = FIXTURES / "nested" / "dump.txt"
    htm_path = FIXTURES / "nested" / "brief.htm"
    pages, errors = _split(list(iter_pages([html_path, str(text_path), htm_path])))
    assert errors == []
    article, dump, brief = pages
    assert article.content_type == "html"
    assert article.name == article.source == str(html_path)
    assert article.url == "https://news.example.org/2021/05/freedonia-radars?utm=a&b=1"
    assert article.content == html_path.read_bytes()
    assert article.id == content_hash(html_path.read_bytes())
    assert article.meta == {}
    assert dump.content_type == "text" and dump.url is None
    assert brief.url == "https://brief.example.net/item/42"


def test_canonical_url_rules() -> None:
    assert canonical_url(b'<link rel="stylesheet" href="https://x.org/s.css">') is None
    assert canonical_url(b"<link rel='canonical' href='/relative/path'>") is None
    assert canonical_url(b'<LINK REL="Canonical" HREF="https://x.org/a">') == "https://x.org/a"
    late = b" " * (70 * 1024) + b'<link rel="canonical" href="https://x.org/late">'
    assert canonical_url(late) is None


def test_missing_path_and_walk_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "ok.txt"
    good.write_text("Freedonia bought radars.\n")
    items = list(iter_pages([tmp_path / "nope.html", good]))
    assert isinstance(items[0], InputError)
    assert items[0].problem == "no such file or directory"
    assert isinstance(items[1], Page) and items[1].content == b"Freedonia bought radars.\n"


def test_unreadable_file_and_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked.html"
    locked.write_text("<p>secret</p>")
    folder = tmp_path / "closed"
    folder.mkdir()
    real_open = Path.open
    real_scandir = os.scandir

    def fake_open(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.name == "locked.html":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    def fake_scandir(path: Any) -> Any:
        if str(path).endswith("closed"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(Path, "open", fake_open)
    monkeypatch.setattr(sources.os, "scandir", fake_scandir)
    items = list(iter_pages([locked, folder]))
    assert [(i.source, i.problem) for i in items if isinstance(i, InputError)] == [
        (str(locked), "cannot read: Permission denied"),
        (str(folder), "cannot read: Permission denied"),
    ]


# ------------------------------------------------------------------ JSONL


def test_jsonl_records_and_broken_lines() -> None:
    path = FIXTURES / "records.jsonl"
    items = list(iter_pages([path]))
    pages, errors = _split(items)
    assert [p.name for p in pages] == ["r1", "r2", "r6"]
    r1, r2, r6 = pages
    assert r1.url == "https://example.org/a"
    assert r1.meta == {"title": "Radars for Freedonia", "published": "2021-05-04"}
    assert r1.content == b"Freedonia signed for six radars."
    assert r1.content_type == "record"
    assert r1.source == f"{path}:1"
    assert r2.url is None and r2.meta == {"published": None}
    assert r6.meta == {}
    # same text, different record ids: still two pages
    assert r1.content == r6.content and r1.id != r6.id
    assert r1.id == content_hash("r1\0Freedonia signed for six radars.")
    assert [e.source for e in errors] == [f"{path}:4", f"{path}:5", f"{path}:6"]
    assert "invalid JSON" in errors[0].problem
    assert "no 'text'" in errors[1].problem
    assert "not a string" in errors[2].problem
    # errors come in file order, between the pages
    assert [type(i).__name__ for i in items] == [
        "Page", "Page", "InputError", "InputError", "InputError", "Page",
    ]


def test_jsonl_ids_are_stable_and_utf8(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text('{"id": 7, "text": "Bogotá \\u00e9"}\n', encoding="utf-8")
    first = list(iter_pages([path]))
    second = list(iter_pages([path]))
    assert first == second
    page = first[0]
    assert isinstance(page, Page)
    assert page.name == "7" and page.content == "Bogotá é".encode()


def test_jsonl_bad_utf8_and_empty(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"id": "x", "text": "\xff\xfe"}\n{"id": "y", "text": "ok"}\n')
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    items = list(iter_pages([bad, empty]))
    assert isinstance(items[0], InputError) and items[0].source == f"{bad}:1"
    assert isinstance(items[1], Page) and items[1].name == "y"
    assert isinstance(items[2], InputError) and items[2].problem == "empty file"
