"""armswatch on Spark: the per-page code over many input files, articles and events as Parquet.

``spark_extract`` runs :func:`armswatch.pipeline.process_many`, the code ``ingest`` runs, in
Spark tasks (one task per input file, a WARC of Common Crawl News say) and writes::

    OUTPUT/articles/   a row per page: the page, its article and its events (nested)
    OUTPUT/events/     a row per event, flat, with its page and article ids
    OUTPUT/errors/     a row per input or page that could not be read or processed

``load`` brings ``OUTPUT/articles`` into the SQLite store in input order, so the store ends as
``ingest`` over the same inputs leaves it. Reading Parquet needs pyarrow, not Spark.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from armswatch import dedup
from armswatch.model import Article, Event, Evidence, InputError, Money, Page, Quantity
from armswatch.pipeline import IngestSummary, Result, process_many, rebuild_deals
from armswatch.sources import input_files, iter_pages
from armswatch.store import Store

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

# The columns, in Spark SQL types: one place for the writer's schema and the reader's check.
EVENT_COLUMNS = (
    ("id", "STRING"), ("type", "STRING"), ("status", "STRING"), ("supplier", "STRING"),
    ("recipient", "STRING"), ("system", "STRING"), ("date", "STRING"),
    ("quantity_value", "BIGINT"), ("quantity_unit", "STRING"),
    ("value_amount", "DOUBLE"), ("value_currency", "STRING"),
    ("evidence_start", "INT"), ("evidence_end", "INT"), ("evidence", "STRING"),
)
ARTICLE_COLUMNS = (
    # where the page was read: the input file's place in the run, its path, the page's place
    ("input_order", "INT"), ("input", "STRING"), ("position", "INT"),
    ("page_id", "STRING"), ("page_name", "STRING"), ("source", "STRING"),
    ("page_url", "STRING"), ("content_type", "STRING"), ("size", "BIGINT"),
    ("article_id", "STRING"), ("name", "STRING"), ("url", "STRING"), ("title", "STRING"),
    ("published", "STRING"), ("site", "STRING"), ("language", "STRING"), ("text", "STRING"),
    ("signature", "BINARY"),
    ("events", "ARRAY<STRUCT<{}>>".format(", ".join(f"{n}: {t}" for n, t in EVENT_COLUMNS))),
)
# What a task writes: an article row, or an error row (``problem`` set, the page columns null).
RECORD_COLUMNS = (*ARTICLE_COLUMNS, ("problem", "STRING"))
ERROR_COLUMNS = ("input", "position", "source", "problem")


def _ddl(columns: Iterable[tuple[str, str]]) -> str:
    return ", ".join(f"`{name}` {kind}" for name, kind in columns)


@dataclass(frozen=True)
class SparkSummary:
    """What a Spark run wrote: input files, pages and events, and what failed."""

    output: str
    files: int
    pages: int
    events: int
    errors: tuple[InputError, ...]

    def as_dict(self) -> dict[str, object]:
        """Return the summary as a JSON-ready dict."""
        return {
            "output": self.output,
            "files": self.files,
            "pages": self.pages,
            "events": self.events,
            "errors": [error.as_dict() for error in self.errors],
        }


def spark_extract(
    inputs: Iterable[str | Path],
    output: str,
    master: str | None = None,
    overwrite: bool = False,
) -> SparkSummary:
    """Extract the events of every page under ``inputs`` on Spark; write Parquet to ``output``.

    ``inputs`` are files or folders every executor can read at the same path (a shared or
    mounted filesystem). ``output`` is any path Spark's Hadoop filesystems take (a folder,
    ``hdfs://``, ``s3a://``); it must not exist unless ``overwrite``. ``master`` is a Spark
    master URL; without one, spark-submit's is used, or ``local[*]`` outside spark-submit.
    """
    if not overwrite and "://" not in output and Path(output).exists():
        raise FileExistsError(_EXISTS.format(output))  # before Spark takes seconds to start
    spark, started_here = _session(master)
    # executors on other machines know nothing of the driver's working folder
    local = (spark.sparkContext.master or "local").startswith("local")
    # each file, and each path that cannot be listed, keeps its place in the walk
    files: list[tuple[int, str]] = []
    listed: list[tuple[Any, ...]] = []
    for order, item in enumerate(input_files(inputs)):
        if isinstance(item, InputError):
            listed.append(_error_record(order, item.source, 0, item))
        else:
            files.append((order, str(item if local else item.absolute())))
    try:
        _prepare_output(spark, output, overwrite)
        staging = f"{output}/_records"
        tasks = spark.sparkContext.parallelize(files, max(1, len(files)))
        records = spark.createDataFrame(tasks.mapPartitions(_records), _ddl(RECORD_COLUMNS))
        if listed:
            records = records.unionByName(spark.createDataFrame(listed, _ddl(RECORD_COLUMNS)))
        records.write.parquet(staging)  # the one pass that runs the NLP
        summary = _write_tables(spark, spark.read.parquet(staging), output, len(files))
        _delete(spark, staging)
        return summary
    finally:
        if started_here:
            spark.stop()


def _session(master: str | None) -> tuple[SparkSession, bool]:
    """Join the running Spark session, or start one (a local one binds to loopback only);
    say whether it was started here."""
    from pyspark.sql import SparkSession

    running = SparkSession.getActiveSession()
    if running is not None:
        return running, False
    if master is None and "PYSPARK_GATEWAY_PORT" not in os.environ:  # not under spark-submit
        master = "local[*]"
    builder = SparkSession.builder.appName("armswatch")
    if master:
        builder = builder.master(master)
    if master and master.startswith("local"):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers run this environment
        builder = builder.config("spark.driver.host", "127.0.0.1").config(
            "spark.driver.bindAddress", "127.0.0.1"
        )
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark, True


def _hadoop_path(spark: SparkSession, path: str) -> tuple[Any, Any]:
    jvm = spark.sparkContext._jvm
    assert jvm is not None
    hadoop_path = jvm.org.apache.hadoop.fs.Path(path)
    return hadoop_path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), hadoop_path


_EXISTS = "{} exists: give a new folder, or --overwrite"


def _prepare_output(spark: SparkSession, output: str, overwrite: bool) -> None:
    filesystem, path = _hadoop_path(spark, output)
    if filesystem.exists(path):
        if not overwrite:
            raise FileExistsError(_EXISTS.format(output))
        filesystem.delete(path, True)


def _delete(spark: SparkSession, path: str) -> None:
    filesystem, hadoop_path = _hadoop_path(spark, path)
    filesystem.delete(hadoop_path, True)


def _write_tables(spark: SparkSession, staged: DataFrame, output: str, files: int) -> SparkSummary:
    """Write the articles, events and errors tables from the staged records; count them."""
    from pyspark.sql import functions as F

    order = ("input_order", "position")
    pages = staged.where(F.col("problem").isNull()).drop("problem")
    pages.orderBy(*order).write.parquet(f"{output}/articles")
    events = pages.select(
        *order, "input", "page_id", "article_id",
        F.posexplode("events").alias("index", "event"),
    ).select(*order, "index", "input", "page_id", "article_id", "event.*")
    events.orderBy(*order, "index").write.parquet(f"{output}/events")
    failed = staged.where(F.col("problem").isNotNull())
    failed.repartition(1).sortWithinPartitions(*order).select(*ERROR_COLUMNS).write.parquet(
        f"{output}/errors"
    )
    counts = pages.agg(F.count("*"), F.sum(F.size("events"))).first()
    errors = tuple(
        InputError(row["source"], row["problem"])
        for row in failed.orderBy(*order).select("source", "problem").collect()
    )
    assert counts is not None
    return SparkSummary(output, files, counts[0], counts[1] or 0, errors)


def _records(tasks: Iterable[tuple[int, str]]) -> Iterator[tuple[Any, ...]]:
    """A Spark task: the record of every page of its input files, in order."""
    for order, path in tasks:
        results = process_many(iter_pages([path]))
        for position, result in enumerate(results):
            if isinstance(result, InputError):
                yield _error_record(order, path, position, result)
            else:
                yield _article_record(order, path, position, result)


def _error_record(order: int, path: str, position: int, error: InputError) -> tuple[Any, ...]:
    row: dict[str, Any] = {"input_order": order, "input": path, "position": position,
                           "source": error.source, "problem": error.problem}
    return tuple(row.get(name) for name, _ in RECORD_COLUMNS)


def _article_record(order: int, path: str, position: int, result: Result) -> tuple[Any, ...]:
    page, article = result.page, result.article
    row: dict[str, Any] = {
        "input_order": order, "input": path, "position": position,
        "page_id": page.id, "page_name": page.name, "source": page.source,
        "page_url": page.url, "content_type": page.content_type, "size": len(page.content),
        "article_id": article.id, "name": article.name, "url": article.url,
        "title": article.title, "published": article.published, "site": article.site,
        "language": article.language, "text": article.text,
        "signature": dedup.signature(article.text).to_bytes(),
        "events": [_event_record(event) for event in result.events],
        "problem": None,
    }
    return tuple(row[name] for name, _ in RECORD_COLUMNS)


def _event_record(event: Event) -> tuple[Any, ...]:
    quantity, value, evidence = event.quantity, event.value, event.evidence
    return (
        event.id, event.type, event.status, event.supplier, event.recipient, event.system,
        event.date, quantity.value if quantity else None, quantity.unit if quantity else None,
        value.amount if value else None, value.currency if value else None,
        evidence.start, evidence.end, evidence.sentence,
    )


# -- load: Parquet back into SQLite ------------------------------------------------------------


def load(
    store: Store,
    directory: str | Path,
    on_error: Callable[[InputError], None] | None = None,
    on_page: Callable[[int], None] | None = None,
) -> IngestSummary:
    """Store the pages, articles and events that ``spark_extract`` wrote under ``directory``,
    skipping pages the store holds, then rebuild the deals.

    Pages are stored in the order they were read, each in its own transaction, as ``ingest``
    stores them. A Parquet file that cannot be read is reported and the others go on.
    """
    import pyarrow.parquet as pq

    errors: list[InputError] = []
    seen = added = skipped = events = 0

    def report(error: InputError) -> None:
        errors.append(error)
        if on_error:
            on_error(error)

    folder = Path(directory) / "articles"
    parts = sorted(folder.glob("part-*.parquet")) if folder.is_dir() else []
    if not parts:
        report(InputError(str(directory), "no articles/*.parquet: not an armswatch "
                                          "spark-extract output"))
    wanted = [name for name, _ in ARTICLE_COLUMNS]
    for part in parts:
        try:
            parquet = pq.ParquetFile(part)
            missing = sorted(set(wanted) - set(parquet.schema_arrow.names))
            if missing:
                raise ValueError(f"missing columns {', '.join(missing)}")
            rows = (row for batch in parquet.iter_batches(batch_size=256, columns=wanted)
                    for row in batch.to_pylist())
            for number, row in enumerate(rows, start=1):
                seen += 1
                if on_page:
                    on_page(seen)
                try:
                    page, article, page_events, signature = _from_record(row)
                    stored = store.add(page, article, page_events, signature, size=row["size"])
                except Exception as error:  # one bad row must not stop the load
                    report(InputError(f"{part}:{number}", f"cannot load the page: {error}"))
                    continue
                added += stored
                skipped += not stored
                events += len(page_events) if stored else 0
        except Exception as error:  # nor one unreadable file
            report(InputError(str(part), f"cannot read: {error}"))
    return IngestSummary(seen, added, skipped, events, rebuild_deals(store), tuple(errors))


def job_errors(directory: str | Path) -> list[InputError]:
    """The inputs and pages the Spark job that wrote ``directory`` could not read or process
    (its ``errors/`` table), in the order it read them."""
    import pyarrow.parquet as pq

    folder = Path(directory) / "errors"
    if not folder.is_dir():
        return []
    rows = pq.read_table(folder, columns=["source", "problem"]).to_pylist()
    return [InputError(row["source"], row["problem"]) for row in rows]


def _from_record(
    row: dict[str, Any],
) -> tuple[Page, Article, list[Event], dedup.Signature | None]:
    """The page (without its content), article, events and signature of an articles row."""
    page = Page(
        id=row["page_id"], name=row["page_name"], source=row["source"], url=row["page_url"],
        content=b"", content_type=row["content_type"],
    )
    article = Article(
        id=row["article_id"], page_id=row["page_id"], name=row["name"], url=row["url"],
        title=row["title"], published=row["published"], site=row["site"],
        language=row["language"], text=row["text"],
    )
    events = [
        Event(
            type=e["type"], status=e["status"], supplier=e["supplier"],
            recipient=e["recipient"], system=e["system"], date=e["date"],
            quantity=(Quantity(e["quantity_value"], e["quantity_unit"])
                      if e["quantity_value"] is not None else None),
            value=(Money(e["value_amount"], e["value_currency"])
                   if e["value_amount"] is not None else None),
            evidence=Evidence(article.id, e["evidence_start"], e["evidence_end"], e["evidence"]),
        )
        for e in row["events"] or ()
    ]
    signature = dedup.Signature.from_bytes(row["signature"]) if row["signature"] else None
    return page, article, events, signature


if __name__ == "__main__":  # spark-submit src/armswatch/spark.py INPUTS... --output DIR
    from armswatch.cli import spark_extract_command

    spark_extract_command(sys.argv[1:])
