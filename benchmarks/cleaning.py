"""Cleaning benchmark: shingle precision/recall/F1 of our article extraction.

Scores (a) ``clean()`` on the benchmark's HTML pages and (b) ``clean_text_dump()`` on its
plain-text dumps against the gold article bodies, with the metric of the article-extraction
benchmark (shared/benchmarks/article-extraction/README.md): 4-token shingles of ``\\w+``
tokens, per-page TP/FP/FN normalised by their sum, macro precision (empty predictions left
out) and macro recall, F1 of the two means.

    PYTHONPATH=src python benchmarks/cleaning.py [--data DIR] [--json] [--only html|text]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from armswatch.clean import clean, clean_text_dump
from armswatch.model import Page, content_hash

DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "benchmarks" / (
    "article-extraction"
)
_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Return the multiset of ``n``-token shingles of ``text`` (one short shingle if fewer)."""
    tokens = _TOKEN.findall(text)
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def page_counts(gold: str, predicted: str) -> tuple[float, float, float]:
    """Return the page's TP, FP, FN, each divided by TP+FP+FN (all 0 when both are empty)."""
    g, p = shingles(gold), shingles(predicted)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    total = tp + fp + fn
    if total == 0:
        return 0.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def score(pairs: list[tuple[str, str]]) -> dict[str, float]:
    """Return macro precision, recall, F1 and exact-token accuracy over (gold, predicted) pairs."""
    precisions: list[float] = []
    recalls: list[float] = []
    exact = 0
    for gold, predicted in pairs:
        tp, fp, fn = page_counts(gold, predicted)
        if tp + fp + fn == 0:
            precisions.append(1.0)
            recalls.append(1.0)
        else:
            if tp + fp > 0:
                precisions.append(tp / (tp + fp))
            if tp + fn > 0:
                recalls.append(tp / (tp + fn))
        exact += _TOKEN.findall(gold) == _TOKEN.findall(predicted)
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    n = len(pairs)
    return {
        "precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4),
        "accuracy": round(exact / n, 4) if n else 0.0, "pages": n,
    }


def _html_prediction(path: Path, url: str) -> str:
    content = gzip.decompress(path.read_bytes())
    page = Page(id=content_hash(content), name=str(path), source=str(path), url=url,
                content=content, content_type="html")
    return clean(page).text


def _text_prediction(path: Path, url: str) -> str:
    del url
    return clean_text_dump(path.read_text(encoding="utf-8")).text


def run(data: Path, kind: str, per_page: bool = False) -> dict[str, float]:
    """Score one path ("html" or "text") over every page of the benchmark in ``data``."""
    truth = json.loads((data / "ground-truth.json").read_text(encoding="utf-8"))
    predict: Callable[[Path, str], str]
    if kind == "html":
        folder, suffix, predict = data / "html", ".html.gz", _html_prediction
    else:
        folder, suffix, predict = data / "text", ".txt", _text_prediction
    pairs: list[tuple[str, str]] = []
    started = time.perf_counter()
    for page_id in sorted(truth):
        path = folder / f"{page_id}{suffix}"
        if not path.exists():
            continue
        gold = truth[page_id]["articleBody"]
        predicted = predict(path, truth[page_id].get("url", ""))
        pairs.append((gold, predicted))
        if per_page:
            tp, fp, fn = page_counts(gold, predicted)
            print(f"{kind} {page_id[:12]} tp={tp:.2f} fp={fp:.2f} fn={fn:.2f}", file=sys.stderr)
    seconds = time.perf_counter() - started
    result = score(pairs)
    result["pages_per_second"] = round(len(pairs) / seconds, 1) if seconds else 0.0
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a table, or JSON with ``--json``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true", help="print {html: {...}, text: {...}}")
    parser.add_argument("--only", choices=("html", "text"))
    parser.add_argument("--per-page", action="store_true", help="per-page counts on stderr")
    args = parser.parse_args(argv)
    if not (args.data / "ground-truth.json").exists():
        print(f"benchmark data not found in {args.data}", file=sys.stderr)
        return 2
    kinds = [args.only] if args.only else ["html", "text"]
    results = {kind: run(args.data, kind, args.per_page) for kind in kinds}
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"{'path':6} {'P':>6} {'R':>6} {'F1':>6} {'acc':>6} {'pages':>5} {'pages/s':>8}")
        for kind, r in results.items():
            print(f"{kind:6} {r['precision']:6.3f} {r['recall']:6.3f} {r['f1']:6.3f} "
                  f"{r['accuracy']:6.3f} {r['pages']:5.0f} {r['pages_per_second']:8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
