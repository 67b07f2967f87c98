"""Throughput of the Spark job: ``spark_extract`` on a local Spark, then ``load`` into SQLite.

Builds the idrw articles as ``--files`` gzipped WARCs (Spark runs one task per file), runs the
job with ``local[N]`` (``--cores``, default all) and loads its Parquet into a new database,
reporting each step's seconds and pages/s, the events written, and the peak RSS of the driver,
its JVM and the Python workers together (sampled from /proc).

    .venv/bin/python benchmarks/spark_job.py [--files 8] [--cores 2] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from armswatch.spark import load, spark_extract
from armswatch.store import Store
from throughput import CORPUS, RssSampler, build_warcs


def measure(corpus: Path, files: int, cores: int) -> dict[str, object]:
    """Run the job and the load over the corpus split into ``files`` WARCs; see the module doc."""
    with tempfile.TemporaryDirectory() as folder:
        inputs = [Path(folder) / f"part-{n:03d}.warc.gz" for n in range(files)]
        pages = build_warcs(corpus, inputs)
        output = str(Path(folder) / "parquet")
        with RssSampler() as sampler:
            started = time.perf_counter()
            summary = spark_extract([Path(folder)], output, master=f"local[{cores}]")
            job_seconds = time.perf_counter() - started
        started = time.perf_counter()
        with Store.open(Path(folder) / "loaded.db") as store:
            loaded = load(store, output)
        load_seconds = time.perf_counter() - started
    return {
        "pages": pages,
        "files": files,
        "cores": cores,
        "events": summary.events,
        "errors": len(summary.errors),
        "job_seconds": round(job_seconds, 1),
        "job_pages_per_s": round(summary.pages / job_seconds, 1),
        "load_seconds": round(load_seconds, 1),
        "load_pages_per_s": round(loaded.added / load_seconds, 1),
        "deals": loaded.deals,
        "peak_rss_mb": round(sampler.peak_kb / 1024),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--files", type=int, default=8, help="WARC files to split it into")
    parser.add_argument("--cores", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if not args.corpus.is_file():
        print(f"no corpus at {args.corpus}", file=sys.stderr)
        return 2
    result = measure(args.corpus, args.files, args.cores)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"{result['pages']} pages in {result['files']} WARCs, local[{result['cores']}]: "
              f"job {result['job_seconds']} s ({result['job_pages_per_s']} pages/s), "
              f"{result['events']} events; load {result['load_seconds']} s; "
              f"peak RSS {result['peak_rss_mb']} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
