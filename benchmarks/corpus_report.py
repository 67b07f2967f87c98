"""Sanity report on a corpus without gold: what does extraction find at scale?

Runs the extractor over a JSONL corpus (by default the 1,514 idrw articles in ../shared) and
prints the number of events per type and status, the 20 most frequent systems and supplier ->
recipient pairs, so that anything absurd (a furniture word read as a weapon, a country pair that
makes no sense) shows at a glance.

    .venv/bin/python benchmarks/corpus_report.py [CORPUS.jsonl] [--json] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from itertools import islice
from pathlib import Path

from armswatch.pipeline import Result, process_many
from armswatch.sources import iter_pages

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
DEFAULT_CORPUS = SHARED / "data" / "idrw-defence-news" / "idrw.jsonl"


def report(corpus: Path, limit: int | None = None) -> dict[str, object]:
    """Extract events from every document of ``corpus`` and count them."""
    started = time.perf_counter()
    types: Counter[str] = Counter()
    systems: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    documents = with_events = errors = 0
    for result in process_many(islice(iter_pages([corpus]), limit)):
        if not isinstance(result, Result):
            errors += 1
            continue
        documents += 1
        with_events += bool(result.events)
        for event in result.events:
            types[f"{event.type}/{event.status}"] += 1
            systems[event.system] += 1
            pairs[f"{event.supplier or '?'} -> {event.recipient or '?'}"] += 1
    return {
        "corpus": str(corpus),
        "documents": documents,
        "documents_with_events": with_events,
        "input_errors": errors,
        "events": sum(types.values()),
        "events_by_type": dict(sorted(types.items())),
        "top_systems": systems.most_common(20),
        "top_pairs": pairs.most_common(20),
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--limit", type=int, help="only the first N documents")
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    data = report(args.corpus, args.limit)
    if args.json:
        print(json.dumps(data, indent=2))
        return 0
    print(f"{data['documents']} documents, {data['documents_with_events']} with events, "
          f"{data['events']} events, {data['input_errors']} input errors, {data['seconds']} s")
    print("\nevents by type/status:")
    for name, count in data["events_by_type"].items():  # type: ignore[attr-defined]
        print(f"  {name:<24} {count}")
    for title, key in (("systems", "top_systems"), ("supplier -> recipient", "top_pairs")):
        print(f"\ntop {title}:")
        for name, count in data[key]:  # type: ignore[attr-defined]
            print(f"  {name:<24} {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
