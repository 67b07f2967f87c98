"""How cleaning time grows with the size of malformed HTML: linear, or worse?

A crawled page can be anything: thousands of ``<!--`` never closed, ``</`` with no tag name,
tags never closed, elements nested 10,000 deep. For each such page, built here at two sizes
ten times apart, this times ``visible_text`` (the fallback text reader) and ``clean`` (the whole
HTML path: decoding, trafilatura, the fallback) and prints the growth: about 10 is linear,
about 100 quadratic (Python's own HTMLParser gives 100 on several of these).

    .venv/bin/python benchmarks/malformed.py [--size-kb 100] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable

from armswatch.clean import clean, visible_text
from armswatch.model import Page, content_hash

PATTERNS = {
    "unclosed comments": "<!--",
    "end tags without names": "</ ",
    "tags never closed": "<a",
    "CDATA openings": "<![CDATA[",
    "scripts never closed": "<script>",
    "quotes never closed": "<a b='",
    "nested divs": "<div>",
    "text with entities": "Poland &amp; Korea &#8211; K2 ",
}


def _seconds(run: Callable[[Page], object], page: Page) -> float:
    started = time.perf_counter()
    run(page)
    return time.perf_counter() - started


def measure(size_kb: int) -> dict[str, dict[str, float]]:
    """Seconds at ``size_kb`` and ten times that, and their ratio, per pattern and reader."""
    results: dict[str, dict[str, float]] = {}
    for name, pattern in PATTERNS.items():
        row: dict[str, float] = {}
        for reader in ("visible_text", "clean"):
            times = []
            for size in (size_kb * 1000, size_kb * 10_000):
                html = (pattern * (size // len(pattern) + 1))[:size].encode()
                page = Page(id=content_hash(html), name=name, source=name, url=None,
                            content=html, content_type="html")
                run: Callable[[Page], object] = (
                    (lambda p: visible_text(p.content)) if reader == "visible_text" else clean
                )
                times.append(_seconds(run, page))
            row[f"{reader}_small_s"] = round(times[0], 3)
            row[f"{reader}_large_s"] = round(times[1], 3)
            row[f"{reader}_growth"] = round(times[1] / max(times[0], 1e-4), 1)
        results[name] = row
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-kb", type=int, default=100, help="the smaller page's size")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    results = measure(args.size_kb)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{'page':<24} {'visible_text s':>15} {'growth':>7} {'clean s':>9} {'growth':>7}")
    for name, row in results.items():
        print(f"{name:<24} {row['visible_text_large_s']:>15} {row['visible_text_growth']:>7} "
              f"{row['clean_large_s']:>9} {row['clean_growth']:>7}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
