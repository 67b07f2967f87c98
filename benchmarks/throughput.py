"""Throughput of armswatch's ingest and of the stages it cannot be faster than.

Builds a WARC from the idrw articles in ../shared (each wrapped as an HTML page, as a crawler
would have saved it; ``--repeat K`` writes the corpus K times under new URLs), then measures in
one run, in pages/s and MB/s of WARC payload:

- ``prefilter``: the check that a page names a weapon system (tokenizer + gazetteer matchers),
  on the cleaned article texts;
- ``trafilatura``: cleaning every page (HTML to article text), one process;
- ``spacy``: ``nlp.pipe`` over the pages the prefilter keeps, one process;
- ``ingest``: armswatch's whole ingest of the WARC into a new SQLite file (``--workers``).

``--ingest-only`` skips the stages and times the ingest alone (for ``--repeat``: each copy is a
new page to the store, though its article is the same).

``floor_seconds`` is trafilatura + spaCy, the work no ingest can skip, done in one process;
``ratio`` is ingest time over it (``ratio_per_worker`` divides the floor by the workers, the
floor a perfectly parallel run would have). ``peak_rss_mb`` is the most memory the ingest's
processes held at once (sampled from /proc every 0.1 s).

    .venv/bin/python benchmarks/throughput.py [--repeat K] [--workers N] [--json]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import html
import json
import os
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from armswatch.clean import clean
from armswatch.model import Page
from armswatch.nlp import load_nlp
from armswatch.nlp.entities import GazetteerMatcher
from armswatch.pipeline import MAX_ARTICLE_CHARS, SHIPPED, can_give_events, ingest
from armswatch.sources import iter_pages
from armswatch.store import Store

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
CORPUS = SHARED / "data" / "idrw-defence-news" / "idrw.jsonl"


def build_warc(corpus: Path, out: Path, repeat: int = 1) -> int:
    """Write the JSONL corpus as a gzipped WARC of HTML responses; return the page count."""
    return build_warcs(corpus, [out], repeat)


def build_warcs(corpus: Path, outs: list[Path], repeat: int = 1) -> int:
    """Write the JSONL corpus as gzipped WARCs of HTML responses, its records dealt out in
    turn to the files ``outs``; return the page count."""
    records = [json.loads(line) for line in corpus.open(encoding="utf-8") if line.strip()]
    count = 0
    with contextlib.ExitStack() as stack:
        warcs = [stack.enter_context(gzip.open(out, "wb")) for out in outs]
        for copy in range(repeat):
            for record in records:
                url = record.get("url") or f"https://example.org/{record['id']}"
                body = _html_page(record)
                if copy:  # a new page for the store (its content hash differs), same article
                    url += f"?copy={copy}"
                    body += f"<!-- copy {copy} -->".encode()
                warcs[count % len(warcs)].write(_response(url, body))
                count += 1
    return count


def _html_page(record: dict[str, object]) -> bytes:
    meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
    assert isinstance(meta, dict)
    title = html.escape(str(meta.get("title") or ""))
    published = html.escape(str(meta.get("published") or ""))
    paragraphs = "\n".join(
        f"<p>{html.escape(part.strip())}</p>"
        for part in str(record.get("text") or "").split("\n") if part.strip()
    )
    page = (
        f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="article:published_time" content="{published}"></head><body>'
        f'<nav><a href="/">Home</a> <a href="/news">News</a></nav><article><h1>{title}</h1>'
        f"{paragraphs}</article><footer>Copyright. All rights reserved.</footer></body></html>"
    )
    return page.encode("utf-8")


def _response(url: str, body: bytes) -> bytes:
    http = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    record_id = f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, url)}>"
    header = (
        "WARC/1.0\r\nWARC-Type: response\r\n"
        f"WARC-Record-ID: {record_id}\r\n"
        "WARC-Date: 2023-01-01T00:00:00Z\r\n"
        f"WARC-Target-URI: {url}\r\n"
        "Content-Type: application/http; msgtype=response\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return header + http + b"\r\n\r\n"


class RssSampler:
    """Samples the resident memory of this process and its descendants from /proc."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(pid) for pid in _tree(os.getpid())))
            self._stop.wait(0.1)


def _tree(pid: int) -> Iterator[int]:
    yield pid
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            yield from _tree(int(child))


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(
    warc: Path, workers: int, ingest_only: bool = False, model: str | None = None
) -> dict[str, object]:
    """Time each stage over the pages of ``warc`` and the whole ingest; see the module doc."""
    rates: dict[str, dict[str, float]] = {}
    if ingest_only:
        return {"workers": workers,
                **_ingest(warc, workers, rates, _warc_megabytes(warc), model)}
    pages = [page for page in iter_pages([warc]) if isinstance(page, Page)]
    megabytes = sum(len(page.content) for page in pages) / 1e6

    def rate(name: str, seconds: float, count: int, size_mb: float = megabytes) -> None:
        rates[name] = {"seconds": round(seconds, 2), "pages": count,
                       "pages_per_s": round(count / seconds, 1),
                       "mb_per_s": round(size_mb / seconds, 2)}

    started = time.perf_counter()
    articles = [clean(page) for page in pages]
    rate("trafilatura", time.perf_counter() - started, len(pages))

    nlp = load_nlp()
    matcher = nlp.get_pipe("armswatch_gazetteer")
    assert isinstance(matcher, GazetteerMatcher)
    started = time.perf_counter()
    kept = [page for page, article in zip(pages, articles, strict=True)
            if can_give_events(article, nlp.make_doc(article.text[:MAX_ARTICLE_CHARS]), matcher)]
    rate("prefilter", time.perf_counter() - started, len(pages))

    kept_texts = [clean(page).text[:MAX_ARTICLE_CHARS] for page in kept]
    started = time.perf_counter()
    for _ in nlp.pipe(kept_texts, batch_size=16):
        pass
    rate("spacy", time.perf_counter() - started, len(kept),
         sum(len(page.content) for page in kept) / 1e6)

    ingested = _ingest(warc, workers, rates, megabytes, model)
    seconds = rates["ingest"]["seconds"]
    floor = rates["trafilatura"]["seconds"] + rates["spacy"]["seconds"]
    return {
        "prefilter_kept": len(kept),
        "prefilter_dropped": len(pages) - len(kept),
        "workers": workers,
        **ingested,
        "floor_seconds": round(floor, 1),
        "ratio": round(seconds / floor, 2),
        "ratio_per_worker": round(seconds / (floor / workers), 2),
        "stages": rates,
    }


def _ingest(warc: Path, workers: int, rates: dict[str, dict[str, float]],
            megabytes: float, model: str | None = None) -> dict[str, object]:
    """armswatch's whole ingest of ``warc`` into a new database, with its peak memory."""
    with (tempfile.TemporaryDirectory() as folder, RssSampler() as sampler,
          Store.open(Path(folder) / "bench.db") as store):
        started = time.perf_counter()
        summary = ingest(store, iter_pages([warc]), workers=workers, model=model)
        seconds = time.perf_counter() - started
    rates["ingest"] = {"seconds": round(seconds, 2), "pages": summary.added,
                       "pages_per_s": round(summary.added / seconds, 1),
                       "mb_per_s": round(megabytes / seconds, 2)}
    return {
        "pages": summary.pages,
        "megabytes": round(megabytes, 1),
        "added": summary.added,
        "events": summary.events,
        "ingest_seconds": round(seconds, 1),
        "peak_rss_mb": round(sampler.peak_kb / 1024),
    }


def _warc_megabytes(warc: Path) -> float:
    return sum(len(page.content) for page in iter_pages([warc]) if isinstance(page, Page)) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--repeat", type=int, default=1, help="write the corpus K times")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--extractor", choices=["rules", "learned"], default="rules",
                        help="the extractor the ingest runs (learned: the shipped model)")
    parser.add_argument("--ingest-only", action="store_true",
                        help="time only the whole ingest (and its memory), not the stages")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if not args.corpus.is_file():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as folder:
        warc = Path(folder) / "corpus.warc.gz"
        build_warc(args.corpus, warc, repeat=args.repeat)
        result = measure(warc, args.workers, ingest_only=args.ingest_only,
                         model=SHIPPED if args.extractor == "learned" else None)
    if args.json or args.ingest_only:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{result['pages']} pages ({result['megabytes']} MB of HTML), {args.workers} workers")
    stages = result["stages"]
    assert isinstance(stages, dict)
    for name, figures in stages.items():
        print(f"  {name:<12} {figures['seconds']:>7.1f} s  {figures['pages']:>6} pages  "
              f"{figures['pages_per_s']:>7.1f} pages/s  {figures['mb_per_s']:>6.2f} MB/s")
    print(f"ingest {result['ingest_seconds']} s; floor (trafilatura + spaCy, one process) "
          f"{result['floor_seconds']} s; ratio {result['ratio']} "
          f"({result['ratio_per_worker']} against the floor shared by the workers); "
          f"peak RSS {result['peak_rss_mb']} MB; prefilter dropped {result['prefilter_dropped']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
