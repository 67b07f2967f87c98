"""Read input pages from files, folders, JSONL record files and WARC archives.

``iter_pages`` is the one entry point: it walks the paths it is given and yields a ``Page`` for
each document, or an ``InputError`` for each input it could not read, and carries on. JSONL and
WARC files are streamed record by record; nothing reads a whole archive into memory. Bytes are
kept as found: decoding is the cleaner's job.
"""

from __future__ import annotations

import html
import json
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from armswatch.model import InputError, Page, content_hash

SUPPORTED = (".html", ".htm", ".txt", ".jsonl", ".warc", ".warc.gz")
_EXPECTED = ", ".join(SUPPORTED)
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_HEAD_BYTES = 64 * 1024
# A page larger than this is no news article (a data dump, an archive listing, a page with
# inlined media); reading it would cost minutes and a gigabyte for nothing.
MAX_PAGE_BYTES = 10_000_000
_MAGIC = (
    (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"), (b"PK\x03\x04", "a ZIP archive"), (b"\x1f\x8b", "gzip data"),
    (b"\x7fELF", "a program"), (b"OggS", "Ogg media"), (b"ID3", "an MP3 file"),
)
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1b")

_LINK_TAG = re.compile(rb"<link\b[^>]*>", re.IGNORECASE)
_META_TAG = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(rb"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")


def iter_pages(paths: Iterable[str | Path]) -> Iterator[Page | InputError]:
    """Yield a Page per document found under ``paths``, or an InputError per unreadable input.

    Folders are walked recursively in sorted order, skipping hidden files and folders. The
    type of a file comes from its extension (see ``SUPPORTED``); anything else, a missing path
    or an unreadable file yields one InputError and the walk goes on.
    """
    for item in input_files(paths):
        if isinstance(item, InputError):
            yield item
        else:
            yield from _iter_file(item)


def input_files(paths: Iterable[str | Path]) -> Iterator[Path | InputError]:
    """Yield each file that ``iter_pages`` reads under ``paths``, in its order, or an
    InputError per path that does not exist or cannot be listed."""
    for path in paths:
        yield from _walk(Path(path), seen_dirs=set())


def file_kind(path: Path) -> str | None:
    """Return the supported extension of ``path`` (e.g. ``".warc.gz"``), or None."""
    name = path.name.lower()
    if name.endswith(".warc.gz"):
        return ".warc.gz"
    suffix = path.suffix.lower()
    return suffix if suffix in SUPPORTED else None


def _walk(path: Path, seen_dirs: set[str]) -> Iterator[Path | InputError]:
    """Yield ``path`` if it is a file, or the files under it if it is a folder."""
    try:
        is_dir = path.is_dir()
        exists = is_dir or path.exists()
    except OSError as exc:
        yield InputError(str(path), f"cannot read: {_reason(exc)}")
        return
    if not exists:
        yield InputError(str(path), "no such file or directory")
        return
    if not is_dir:
        yield path
        return
    real = os.path.realpath(path)
    if real in seen_dirs:  # a symlink loop
        return
    seen_dirs.add(real)
    try:
        names = sorted(entry.name for entry in os.scandir(path))
    except OSError as exc:
        yield InputError(str(path), f"cannot read: {_reason(exc)}")
        return
    for name in names:
        if not name.startswith("."):
            yield from _walk(path / name, seen_dirs)


def _iter_file(path: Path) -> Iterator[Page | InputError]:
    """Yield the pages of one file according to its extension."""
    kind = file_kind(path)
    if kind is None:
        suffix = path.suffix.lower() or "(none)"
        yield InputError(
            str(path), f"unsupported file type '{suffix}' (expected {_EXPECTED})"
        )
        return
    try:
        size = path.stat().st_size
        handle = path.open("rb")
    except OSError as exc:
        yield InputError(str(path), f"cannot read: {_reason(exc)}")
        return
    with handle:
        if size == 0:
            yield InputError(str(path), "empty file")
        elif size > MAX_PAGE_BYTES and kind in (".html", ".htm", ".txt"):
            yield InputError(str(path), _too_large(size))
        elif kind in (".html", ".htm", ".txt"):
            yield _read_single(path, handle, "html" if kind != ".txt" else "text")
        elif kind == ".jsonl":
            yield from _iter_jsonl(path, handle)
        else:
            yield from _iter_warc(path, handle)


def _read_single(path: Path, handle: BinaryIO, content_type: str) -> Page | InputError:
    """Return the Page of one HTML or text file."""
    try:
        content = handle.read()
    except OSError as exc:
        return InputError(str(path), f"cannot read: {_reason(exc)}")
    if not content:
        return InputError(str(path), "empty file")
    binary = binary_kind(content)
    if binary:
        return InputError(str(path), f"{binary}, not a page of text")
    url = canonical_url(content) if content_type == "html" else None
    return Page(
        id=content_hash(content),
        name=str(path),
        source=str(path),
        url=url,
        content=content,
        content_type="html" if content_type == "html" else "text",
    )


def canonical_url(content: bytes) -> str | None:
    """Return the page's ``<link rel="canonical">`` or ``og:url`` address, if the head has one.

    Only the first 64 KB are searched, with a regex, and only absolute http(s) URLs count.
    """
    head = content[:_HEAD_BYTES]
    for tag in _LINK_TAG.findall(head):
        attrs = _attributes(tag)
        if "canonical" in attrs.get("rel", "").lower().split():
            url = _absolute(attrs.get("href"))
            if url:
                return url
    for tag in _META_TAG.findall(head):
        attrs = _attributes(tag)
        if attrs.get("property", attrs.get("name", "")).lower() == "og:url":
            url = _absolute(attrs.get("content"))
            if url:
                return url
    return None


def _attributes(tag: bytes) -> dict[str, str]:
    """Return the attributes of one HTML tag, names lower-cased and values unescaped."""
    attrs: dict[str, str] = {}
    for name, value in _ATTR.findall(tag):
        text = value.decode("utf-8", errors="replace").strip("\"'")
        attrs.setdefault(name.decode("ascii").lower(), html.unescape(text).strip())
    return attrs


def _absolute(url: str | None) -> str | None:
    """Return ``url`` when it is an absolute http(s) URL, else None."""
    if url and url.lower().startswith(("http://", "https://")) and " " not in url:
        return url
    return None


def _iter_jsonl(path: Path, handle: BinaryIO) -> Iterator[Page | InputError]:
    """Yield one Page per JSONL record and one InputError per broken line."""
    records = 0
    line_number = 0
    try:
        while raw := handle.readline(MAX_PAGE_BYTES + 1):
            line_number += 1
            if len(raw) > MAX_PAGE_BYTES and not raw.endswith(b"\n"):
                size = len(raw) + _skip_line(handle)  # not read into memory: counted, dropped
                records += 1
                yield InputError(f"{path}:{line_number}", _too_large(size))
                continue
            if not raw.strip():
                continue
            item = _record_page(path, line_number, raw)
            records += 1
            yield item
    except OSError as exc:
        yield InputError(f"{path}:{line_number + 1}", f"cannot read: {_reason(exc)}")
        return
    if records == 0:
        yield InputError(str(path), "no records (only blank lines)")


def _skip_line(handle: BinaryIO) -> int:
    """Read past the rest of the current line, a block at a time; return its length."""
    skipped = 0
    while chunk := handle.readline(1 << 20):
        skipped += len(chunk)
        if chunk.endswith(b"\n"):
            break
    return skipped


def _record_page(path: Path, line_number: int, raw: bytes) -> Page | InputError:
    """Return the Page of one JSONL line, or an InputError saying what is wrong with it."""
    source = f"{path}:{line_number}"
    raw = raw.rstrip(b"\r\n")  # else a string left open reads as a control character
    if line_number == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        record: Any = json.loads(raw)
    except UnicodeDecodeError:
        return InputError(source, "line is not valid UTF-8")
    except json.JSONDecodeError as exc:
        return InputError(source, f"invalid JSON: {exc.msg} (column {exc.colno})")
    if not isinstance(record, dict):
        return InputError(source, f"expected a JSON object, got {type(record).__name__}")
    if "text" not in record:
        return InputError(source, "record has no 'text'")
    text = record["text"]
    if not isinstance(text, str):
        return InputError(source, f"'text' is not a string ({type(text).__name__})")
    content = text.encode("utf-8", errors="replace")  # lone surrogates from JSON escapes
    record_id = record.get("id")
    name = source if record_id is None or record_id == "" else str(record_id)
    url = record.get("url")
    return Page(
        id=content_hash(name.encode("utf-8", errors="replace") + b"\0" + content),
        name=name,
        source=source,
        url=url if isinstance(url, str) and url else None,
        content=content,
        content_type="record",
        meta=_record_meta(record.get("meta")),
    )


def _record_meta(meta: Any) -> dict[str, str | None]:
    """Return the ``title`` and ``published`` of a record's ``meta``, as given, where present."""
    if not isinstance(meta, dict):
        return {}
    out: dict[str, str | None] = {}
    for key in ("title", "published"):
        if key in meta:
            value = meta[key]
            out[key] = value if value is None or isinstance(value, str) else str(value)
    return out


def _iter_warc(path: Path, handle: BinaryIO) -> Iterator[Page | InputError]:
    """Yield the HTML responses of a WARC file; a damaged file ends with one InputError."""
    from fastwarc import ArchiveIterator

    stream: BinaryIO | _GzipStream = handle
    if handle.read(2) == b"\x1f\x8b":
        stream = _GzipStream(handle)
    handle.seek(0)
    try:
        for record in ArchiveIterator(
            stream, parse_http=True, auto_decode="none", stream_detect=False
        ):
            expected = record.content_length
            if record.record_id is None:
                yield InputError(str(path), "truncated WARC: last record header is incomplete")
                return
            if not _is_html_response(record):
                if record.reader.consume() < expected:
                    yield InputError(
                        str(path), f"truncated WARC: record {record.record_id} is incomplete"
                    )
                    return
                continue
            if expected > MAX_PAGE_BYTES:
                record.reader.consume()
                yield InputError(f"{path}#{record.record_id}", _too_large(expected))
                continue
            body = record.reader.read()
            if len(body) < expected:
                yield InputError(
                    str(path),
                    f"truncated WARC: record {record.record_id} has {len(body)} of "
                    f"{expected} bytes",
                )
                return
            yield _warc_page(path, record, body)
    except (OSError, ValueError, EOFError, zlib.error) as exc:
        yield InputError(str(path), f"corrupt WARC: {exc}")
        return
    if isinstance(stream, _GzipStream) and stream.truncated:
        yield InputError(str(path), "truncated WARC: the gzip stream ends mid-record")


class _GzipStream:
    """A read-only stream that decompresses (multi-member) gzip and notes a cut-off end.

    FastWARC's own gzip reader stops quietly at a truncated member; reading through this
    stream instead lets ``_iter_warc`` tell a complete archive from a cut one.
    """

    _CHUNK = 1 << 16

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw
        self._inflate = zlib.decompressobj(wbits=47)
        self._buffer = b""
        self._pos = 0
        self._done = False
        self.truncated = False

    def read(self, size: int = -1) -> bytes:
        """Return up to ``size`` decompressed bytes (all that is left for a negative size)."""
        while not self._done and (size < 0 or len(self._buffer) < size):
            if self._inflate.eof:  # a member ended: start the next one, if any
                rest = self._inflate.unused_data or self._raw.read(self._CHUNK)
                if not rest:
                    self._done = True
                    break
                self._inflate = zlib.decompressobj(wbits=47)
                self._buffer += self._inflate.decompress(rest, self._CHUNK * 4)
                continue
            data = self._inflate.unconsumed_tail or self._raw.read(self._CHUNK)
            if not data:
                self._done = True
                self.truncated = True
                break
            self._buffer += self._inflate.decompress(data, self._CHUNK * 4)
        if size < 0:
            out, self._buffer = self._buffer, b""
        else:
            out, self._buffer = self._buffer[:size], self._buffer[size:]
        self._pos += len(out)
        return out

    def tell(self) -> int:
        """Return the position in the decompressed stream."""
        return self._pos

    def seek(self, offset: int, whence: int = 0) -> int:
        """Support only no-op seeks: the stream reads forward."""
        if (whence, offset) in ((0, self._pos), (1, 0)):
            return self._pos
        raise OSError("gzip WARC stream cannot seek")

    def close(self) -> None:
        """Close nothing: the caller owns the underlying file."""


def _is_html_response(record: Any) -> bool:
    """Return True for a WARC response record holding an HTTP 200 HTML page."""
    from fastwarc import WarcRecordType

    if record.record_type != WarcRecordType.response or not record.is_http:
        return False
    if record.http_headers.status_code != 200:
        return False
    ctype = (record.http_content_type or "").split(";")[0].strip().lower()
    return ctype in _HTML_TYPES


def _warc_page(path: Path, record: Any, body: bytes) -> Page | InputError:
    """Return the Page of one WARC HTML response, undoing chunking and gzip/deflate."""
    source = f"{path}#{record.record_id}"
    headers = record.http_headers
    try:
        if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
            body = _dechunk(body)
        encoding = (headers.get("Content-Encoding") or "identity").strip().lower()
        if encoding in ("gzip", "x-gzip"):
            body = _inflate(body, wbits=47)
        elif encoding == "deflate":
            try:
                body = _inflate(body, wbits=15)
            except zlib.error:
                body = _inflate(body, wbits=-15)
        elif encoding not in ("identity", ""):
            return InputError(source, f"unsupported content encoding '{encoding}'")
    except (zlib.error, ValueError) as exc:
        return InputError(source, f"cannot decode HTTP body: {exc}")
    if len(body) > MAX_PAGE_BYTES:  # only an unpacked body can be: its record was not
        return InputError(source, _too_large(None))
    binary = binary_kind(body)
    if binary:
        return InputError(source, f"{binary} served as HTML")
    url = record.headers.get("WARC-Target-URI") or ""
    return Page(
        id=content_hash(body),
        name=url or source,
        source=source,
        url=url or None,
        content=body,
        content_type="html",
        meta={"charset": record.http_charset} if record.http_charset else {},
    )


def _inflate(data: bytes, wbits: int) -> bytes:
    """Decompress ``data``, stopping just past the page size limit (a gzip bomb stops there)."""
    inflater = zlib.decompressobj(wbits=wbits)
    out = inflater.decompress(data, MAX_PAGE_BYTES + 1)
    if len(out) <= MAX_PAGE_BYTES and not inflater.eof:
        raise zlib.error("incomplete or truncated stream")
    return out


def binary_kind(content: bytes) -> str | None:
    """Say what binary data ``content`` is ("a PNG image", "binary data"), or None for text.

    Text has no NUL bytes and few control characters; UTF-16 and UTF-32 text starts with a
    byte-order mark.
    """
    for magic, kind in _MAGIC:
        if content.startswith(magic):
            return kind
    head = content[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16/32 byte-order marks
        return None
    controls = sum(byte < 0x20 and byte not in _TEXT_CONTROLS for byte in head)
    return "binary data" if b"\0" in head or controls > len(head) // 20 else None


def _too_large(size: int | None) -> str:
    """The problem of a page over the limit; ``size`` None for a body that was cut off while
    it was being unpacked."""
    amount = "unpacked, it" if size is None else f"{size / 1e6:.1f} MB"
    return (f"{amount} is more than a news page (the limit is {MAX_PAGE_BYTES / 1e6:g} MB); "
            "skipped")


def _dechunk(body: bytes) -> bytes:
    """Return an HTTP chunked body joined back together."""
    out = bytearray()
    pos = 0
    while pos < len(body):
        end = body.find(b"\r\n", pos)
        if end < 0:
            raise ValueError("bad chunked encoding")
        size = int(body[pos:end].split(b";")[0].strip() or b"0", 16)
        if size == 0:
            break
        start = end + 2
        out += body[start:start + size]
        pos = start + size + 2
    return bytes(out)


def _reason(exc: OSError) -> str:
    """Return the plain-words reason of an OS error ("Permission denied")."""
    return exc.strerror or str(exc)
