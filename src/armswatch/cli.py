"""The ``armswatch`` command line: each command parses its options and calls one library function.

Exit status: 0 when everything went well, 1 when some inputs failed (the rest were processed),
2 for a usage error (click's own).
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from armswatch import __version__
from armswatch.export import money_text
from armswatch.model import Deal, InputError, Page

if TYPE_CHECKING:
    from armswatch.pipeline import IngestSummary
    from armswatch.store import Store

DB_OPTION = click.option(
    "--db",
    "db_path",
    envvar="ARMSWATCH_DB",
    default="armswatch.db",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite database file (or set ARMSWATCH_DB).",
)
JSON_OPTION = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="armswatch")
def main() -> None:
    """Arms transfers between states, extracted from news pages with their evidence.

    \b
    Example:
      armswatch ingest pages/ && armswatch deals --recipient TUR
    """


def _report_error(error: InputError) -> None:
    click.secho(f"error: {error}", fg="red", err=True)


def _pages_with_progress(paths: tuple[Path, ...], label: str) -> Iterator[Page | InputError]:
    """Read the inputs, showing a running count on a terminal."""
    from armswatch.sources import iter_pages

    show = sys.stderr.isatty()
    count = 0
    for item in iter_pages(paths):
        if isinstance(item, Page):
            count += 1
            if show and count % 10 == 0:
                click.echo(f"\r{label}: {count} pages", err=True, nl=False)
        yield item
    if show and count >= 10:
        click.echo(f"\r{label}: {count} pages", err=True)


WORKERS_OPTION = click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=lambda: os.cpu_count() or 1,
    show_default="the number of cores",
    help="Processes that clean and read pages in parallel.",
)


EXTRACTOR_OPTION = click.option(
    "--extractor",
    type=click.Choice(["rules", "learned"]),
    default="rules",
    show_default=True,
    help="The hand-written rules, or the learned model shipped with armswatch.",
)
MODEL_OPTION = click.option(
    "--model",
    "model_dir",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="A model directory from `armswatch train` (implies --extractor learned).",
)


MIN_CONFIDENCE_OPTION = click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    default=None,
    help="Learned events at or above this confidence make the deals (rebuilds them; "
    "default: the threshold they were built with, from the model).",
)


def _apply_min_confidence(db_path: Path, value: float | None) -> None:
    """Rebuild the deals for a new confidence threshold (no re-ingest needed)."""
    if value is None:
        return
    from armswatch.pipeline import rebuild_deals
    from armswatch.store import Store

    if not db_path.exists():
        raise click.ClickException(f"{db_path}: no such database")
    with Store.open(db_path) as store:
        if store.min_confidence != value:
            store.set_min_confidence(value)
            rebuild_deals(store)


def _model_spec(extractor: str, model_dir: Path | None) -> str | None:
    """The ``model`` argument of the pipeline for the --extractor and --model options."""
    from armswatch.pipeline import SHIPPED

    if model_dir is not None:
        return str(model_dir)
    return SHIPPED if extractor == "learned" else None


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@WORKERS_OPTION
@EXTRACTOR_OPTION
@MODEL_OPTION
@MIN_CONFIDENCE_OPTION
@DB_OPTION
@JSON_OPTION
def ingest(
    inputs: tuple[Path, ...], workers: int, extractor: str, model_dir: Path | None,
    min_confidence: float | None, db_path: Path, as_json: bool,
) -> None:
    """Read pages (files or folders: .html .htm .txt .jsonl .warc .warc.gz) into the database.

    Pages already in the database are skipped, so running it twice adds nothing.

    \b
    Example:
      armswatch ingest ../shared/seeds examples/ --db armswatch.db
    """
    from armswatch.pipeline import ingest as run_ingest
    from armswatch.store import Store

    with Store.open(db_path) as store:
        summary = run_ingest(store, _pages_with_progress(inputs, "ingest"),
                             on_error=_report_error, workers=workers,
                             model=_model_spec(extractor, model_dir),
                             min_confidence=min_confidence)
    _finish_ingest(summary, db_path, as_json)


def _finish_ingest(summary: IngestSummary, db_path: Path, as_json: bool) -> None:
    """Print what an ingest or a load did, and exit 1 if any input failed."""
    if as_json:
        click.echo(json.dumps(summary.as_dict(), indent=2))
    else:
        click.echo(
            f"{summary.pages} pages read: {summary.added} added, {summary.skipped} already "
            f"stored; {summary.events} events; {summary.deals} deals in {db_path}; "
            f"{len(summary.errors)} inputs failed",
            err=True,
        )
    sys.exit(1 if summary.errors else 0)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@WORKERS_OPTION
@EXTRACTOR_OPTION
@MODEL_OPTION
@click.option(
    "--min-confidence", type=click.FloatRange(0, 1), default=None,
    help="Print learned events at or above this confidence [default: the model's threshold].",
)
def extract(
    inputs: tuple[Path, ...], workers: int, extractor: str, model_dir: Path | None,
    min_confidence: float | None,
) -> None:
    """Print one JSON line of events per document, without a database.

    Records of a .jsonl file keep their "id"; other files get their path as "id". Learned
    events carry a "confidence"; rule events have none.

    \b
    Example:
      armswatch extract pages.jsonl > events.jsonl
      armswatch extract --extractor learned --min-confidence 0.3 pages.jsonl
    """
    from armswatch.pipeline import SHIPPED, process_many

    model = _model_spec(extractor, model_dir)
    if model is not None and min_confidence is None:
        from armswatch.learn import load_model

        try:
            min_confidence = load_model(None if model == SHIPPED else model).threshold
        except ValueError as error:
            raise click.ClickException(str(error)) from error
    failed = 0
    pages = _pages_with_progress(inputs, "extract")
    for result in process_many(pages, workers=workers, model=model):
        if isinstance(result, InputError):
            failed += 1
            _report_error(result)
            continue
        data = result.as_dict()
        data["events"] = [
            event.as_dict() for event in result.events
            if min_confidence is None or (event.confidence or 0.0) >= min_confidence
        ]
        click.echo(json.dumps(data, ensure_ascii=False))
    sys.exit(1 if failed else 0)


@main.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--output", "-o", required=True, type=click.Path(path_type=Path),
              help="The model directory to write (model.json).")
@click.option("--no-cv", is_flag=True, help="Skip the 5-fold cross-validation (faster).")
@JSON_OPTION
def train(inputs: tuple[Path, ...], output: Path, no_cv: bool, as_json: bool) -> None:
    """Train the learned extractor on annotated pages (SCHEMA.md JSONL).

    Deterministic: the same files give the same model. Cross-validation by page chooses the
    confidence threshold and its scores go into the model's metadata. Needs scikit-learn
    (pip install 'armswatch[train]').

    \b
    Example:
      armswatch train ../shared/eval/train.jsonl --output my-model
      armswatch extract --model my-model pages.jsonl
    """
    _require("sklearn", "train", "train")
    from armswatch.learn.train import train as run_train

    pages = sum(1 for path in inputs for _ in path.open("rb"))
    with click.progressbar(length=pages + (0 if no_cv else 5), label="training",
                           file=sys.stderr) as bar:
        model = run_train(list(inputs), output, cv=not no_cv, progress=bar.update)
    metadata = model.metadata
    if as_json:
        click.echo(json.dumps(metadata, indent=2))
        return
    cv = metadata.get("cross_validation")
    if cv:
        click.echo(f"cross-validation ({cv['folds']} folds by page): precision "
                   f"{cv['precision']:.3f} recall {cv['recall']:.3f} F1 {cv['f1']:.3f} at "
                   f"confidence {cv['threshold']}")
    click.echo(f"model written to {output}")


def _require(module: str, command: str, extra: str = "spark") -> None:
    if importlib.util.find_spec(module) is None:
        raise click.ClickException(
            f"{command} needs {module}, which is not installed: pip install 'armswatch[{extra}]'"
        )


@main.command(name="spark-extract")
@click.argument("inputs", nargs=-1, required=True)
@click.option("--output", "-o", required=True,
              help="Folder to write (any Spark path: hdfs://, s3a://); must not exist.")
@click.option("--master", default=None,
              help="Spark master URL [default: spark-submit's, else local[*]].")
@click.option("--overwrite", is_flag=True, help="Replace the output folder if it exists.")
@JSON_OPTION
def spark_extract_command(
    inputs: tuple[str, ...], output: str, master: str | None, overwrite: bool, as_json: bool
) -> None:
    """Extract events on Spark, one task per input file; write articles and events as Parquet.

    Inputs are files or folders (as `ingest` takes) that every executor reads at the same
    path. Bring the result into a database with `armswatch load`. Needs pyspark and Java 17.

    \b
    Example:
      armswatch spark-extract crawl/*.warc.gz --output events.parquet --master local[2]
      armswatch load events.parquet --db armswatch.db
    """
    _require("pyspark", "spark-extract")
    from armswatch.spark import spark_extract

    try:
        summary = spark_extract(inputs, output, master=master, overwrite=overwrite)
    except FileExistsError as error:
        raise click.UsageError(str(error)) from error
    for failure in summary.errors:
        _report_error(failure)
    if as_json:
        click.echo(json.dumps(summary.as_dict(), indent=2))
    else:
        click.echo(
            f"{summary.files} input files: {summary.pages} pages, {summary.events} events "
            f"written to {output}; {len(summary.errors)} inputs failed",
            err=True,
        )
    sys.exit(1 if summary.errors else 0)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@DB_OPTION
@JSON_OPTION
def load(directory: Path, db_path: Path, as_json: bool) -> None:
    """Store what `armswatch spark-extract` wrote (its output folder) in the database.

    Pages already in the database are skipped, so loading twice adds nothing.

    \b
    Example:
      armswatch load events.parquet --db armswatch.db
    """
    _require("pyarrow", "load")
    from armswatch.spark import job_errors
    from armswatch.spark import load as run_load
    from armswatch.store import Store

    show = sys.stderr.isatty()

    def progress(count: int) -> None:
        if show and count % 100 == 0:
            click.echo(f"\rload: {count} pages", err=True, nl=False)

    with Store.open(db_path) as store:
        summary = run_load(store, directory, on_error=_report_error, on_page=progress)
    if show and summary.pages >= 100:
        click.echo(err=True)
    try:
        failed_in_job = len(job_errors(directory))
    except Exception as error:  # a damaged errors/ table must not hide the load's summary
        click.echo(f"note: cannot read {directory / 'errors'}: {error}", err=True)
    else:
        if failed_in_job:
            click.echo(f"note: the Spark job could not read {failed_in_job} inputs or pages "
                       f"(listed in {directory / 'errors'})", err=True)
    _finish_ingest(summary, db_path, as_json)


@main.command(name="clean")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@JSON_OPTION
def clean_command(inputs: tuple[Path, ...], as_json: bool) -> None:
    """Print each page's article text, without its page furniture.

    With --json, one object per page: path, title, published, text.

    \b
    Example:
      armswatch clean ../shared/seeds/000_99b156d3f9d0a0bd.txt
    """
    from armswatch.clean import clean

    failed = 0
    for item in _pages_with_progress(inputs, "clean"):
        if isinstance(item, InputError):
            failed += 1
            _report_error(item)
            continue
        try:
            article = clean(item)
        except Exception as error:  # one unreadable page must not stop the others
            failed += 1
            _report_error(InputError(item.source, f"cannot extract the article: {error}"))
            continue
        if as_json:
            record = {"path": item.name, "title": article.title,
                      "published": article.published, "text": article.text}
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            click.echo(f"# {item.name}")
            click.echo(f"# title: {article.title or '-'}; published: {article.published or '-'}")
            click.echo(article.text)
            click.echo()
    sys.exit(1 if failed else 0)


def _deal_rows(deals: list[Deal]) -> list[list[str]]:
    rows = []
    for deal in deals:
        rows.append(
            [
                deal.supplier or "?",
                deal.recipient or "?",
                deal.system,
                str(deal.quantity.value) + " " + deal.quantity.unit if deal.quantity else "",
                money_text(deal.value) if deal.value else "",
                deal.order_date or "",
                ", ".join(deal.delivery_dates),
                deal.status,
                str(deal.sources),
                "" if deal.confidence is None else f"{deal.confidence:.2f}",
            ]
        )
    return rows


def _table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in [header, *rows]
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


@main.command()
@click.option("--supplier", help="ISO3 code of the supplier, e.g. RUS.")
@click.option("--recipient", help="ISO3 code of the recipient, e.g. TUR.")
@click.option("--system", help="Weapon system (any alias), e.g. S-400.")
@MIN_CONFIDENCE_OPTION
@DB_OPTION
@JSON_OPTION
def deals(
    supplier: str | None, recipient: str | None, system: str | None,
    min_confidence: float | None, db_path: Path, as_json: bool,
) -> None:
    """List deals: supplier, recipient, system, quantity, value, dates, status, sources and
    confidence (of a deal's most confident learned event; empty for rule events).

    \b
    Example:
      armswatch deals --recipient TUR --json
      armswatch deals --min-confidence 0.5
    """
    from armswatch.nlp.gazetteer import load_gazetteer

    _apply_min_confidence(db_path, min_confidence)
    canonical = load_gazetteer().canonical_system(system) if system else None
    with _open_readonly(db_path) as store:
        found = store.deals(supplier=_code(supplier), recipient=_code(recipient), system=canonical)
    if as_json:
        click.echo(json.dumps([deal.as_dict() for deal in found], indent=2, ensure_ascii=False))
        return
    if not found:
        click.echo("no deals match", err=True)
        return
    header = [
        "supplier",
        "recipient",
        "system",
        "quantity",
        "value",
        "ordered",
        "delivered",
        "status",
        "sources",
        "confidence",
    ]
    click.echo(_table(header, _deal_rows(found)))


@main.command()
@click.argument("system")
@click.option("--recipient", help="ISO3 code of the recipient, e.g. TUR.")
@click.option("--supplier", help="ISO3 code of the supplier, e.g. RUS.")
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also draw the timeline chart into this .svg or .png file.",
)
@MIN_CONFIDENCE_OPTION
@DB_OPTION
@JSON_OPTION
def timeline(
    system: str,
    recipient: str | None,
    supplier: str | None,
    plot: Path | None,
    min_confidence: float | None,
    db_path: Path,
    as_json: bool,
) -> None:
    """Show a deal's events in date order, each with its source and evidence sentence.

    \b
    Example:
      armswatch timeline S-400 --recipient TUR
      armswatch timeline S-400 --recipient IND --plot s400-india.svg
    """
    from armswatch.nlp.gazetteer import load_gazetteer

    if plot is not None and plot.suffix.lower() not in {".svg", ".png"}:
        raise click.BadParameter(f"{plot}: use a .svg or .png file", param_hint="--plot")
    _apply_min_confidence(db_path, min_confidence)
    gazetteer = load_gazetteer()
    canonical = gazetteer.canonical_system(system)
    with _open_readonly(db_path) as store:
        entries = store.timeline(canonical, recipient=_code(recipient), supplier=_code(supplier))
    if plot is not None and entries:
        from armswatch.chart import write_plot

        title = canonical
        if supplier or recipient:
            names = [gazetteer.country_name(_code(code)) if code else "?"
                     for code in (supplier, recipient)]
            title = f"{' → '.join(names)}: {canonical}"
        write_plot(entries, plot, title=title)
        click.echo(f"chart of {len(entries)} events written to {plot}", err=True)
    if as_json:
        click.echo(json.dumps([entry.as_dict() for entry in entries], indent=2, ensure_ascii=False))
        return
    if not entries:
        click.echo(f"no events for {canonical}", err=True)
        return
    for entry in entries:
        event = entry.event
        extras = []
        if event.quantity:
            extras.append(f"{event.quantity.value} {event.quantity.unit}")
        if event.value:
            extras.append(money_text(event.value))
        if event.confidence is not None:
            extras.append(f"confidence {event.confidence:.2f}")
        conflict = f"  [conflict: {', '.join(entry.conflicts)}]" if entry.conflicts else ""
        click.echo(
            f"{event.date or 'undated':<10}  {event.type:<12} {event.status:<9} "
            f"{event.supplier or '?'} -> {event.recipient or '?'}  {event.system}"
            + (f"  ({', '.join(extras)})" if extras else "")
            + conflict
        )
        copies = len(entry.sources) - entry.reports
        if len(entry.sources) > 1:
            click.echo(
                f"    {entry.reports} independent report(s)"
                + (f", {copies} copies" if copies else "")
            )
        for source in entry.sources:
            copy = " (copy)" if source.duplicate_of else ""
            click.echo(f"    source: {source.source} ({source.published or 'date unknown'}){copy}")
        click.echo(f'    "{event.evidence.sentence.strip()}"')


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; other machines can reach the UI only if you change it.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@DB_OPTION
def serve(host: str, port: int, db_path: Path) -> None:
    """Open the database in a browser: deals, timelines, pages with their evidence, search.

    The database is opened read-only, so `armswatch ingest` may run at the same time.

    \b
    Example:
      armswatch serve --db armswatch.db
      (then open http://127.0.0.1:8000/)
    """
    from armswatch.web import serve as serve_web

    _open_readonly(db_path).close()  # a clear error for a missing file; upgrades an old schema
    if host not in {"127.0.0.1", "localhost", "::1"}:
        click.echo(f"warning: listening on {host}: anyone who can reach it can read the database",
                   err=True)
    click.echo(f"armswatch: serving {db_path} at http://{_url_host(host)}:{port}/ (Ctrl+C stops)",
               err=True)
    serve_web(db_path, host=host, port=port)


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    default="csv",
    show_default=True,
    help="CSV in SIPRI trade-register columns, or JSON.",
)
@click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="Output file (default: standard output).",
)
@MIN_CONFIDENCE_OPTION
@DB_OPTION
def export(fmt: str, output: Any, min_confidence: float | None, db_path: Path) -> None:
    """Write all deals as CSV (SIPRI trade-register columns plus ours, with each deal's
    confidence) or JSON.

    \b
    Example:
      armswatch export --format csv > deals.csv
    """
    from armswatch.export import write_csv, write_json
    from armswatch.nlp.gazetteer import load_gazetteer

    _apply_min_confidence(db_path, min_confidence)
    with _open_readonly(db_path) as store:
        found = store.deals()
    if fmt == "csv":
        write_csv(found, output, country_name=load_gazetteer().country_name)
    else:
        write_json(found, output)


@main.command()
@DB_OPTION
@JSON_OPTION
def stats(db_path: Path, as_json: bool) -> None:
    """Count pages, articles, events, evidence and deals in the database.

    \b
    Example:
      armswatch stats --json
    """
    with _open_readonly(db_path) as store:
        counts = store.stats()
    if as_json:
        click.echo(json.dumps(counts, indent=2))
    else:
        for name, count in counts.items():
            click.echo(f"{name:<10} {count}")


@main.group()
def sipri() -> None:
    """Compare our deals with SIPRI's arms-transfers trade register.

    \b
    Example:
      armswatch sipri compare trade-register.csv
    """


@sipri.command(name="compare")
@click.argument("register", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@DB_OPTION
@JSON_OPTION
def sipri_compare(register: Path, db_path: Path, as_json: bool) -> None:
    """Line up our deals that have an order or delivery with SIPRI register rows.

    REGISTER is the trade register as SIPRI exports it (CSV, Latin-1, preamble lines). Prints
    the matched share, the field disagreements (order year, numbers, delivery years) and the
    deals SIPRI does not list.

    \b
    Example:
      armswatch sipri compare trade-register.csv --json
    """
    from armswatch.sipri import RegisterError, compare, format_comparison, read_register

    try:
        rows = read_register(register)
    except RegisterError as error:
        raise click.ClickException(str(error)) from error
    for problem in rows.skipped:
        click.secho(f"warning: {register}: {problem}", fg="yellow", err=True)
    with _open_readonly(db_path) as store:
        ours = store.deals(with_event=("order", "delivery"))
    comparison = compare(ours, rows)
    if as_json:
        click.echo(json.dumps(comparison.as_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_comparison(comparison))


@main.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--predictions",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Score this JSONL of predictions (as `extract` prints) instead of running.",
)
@click.option("--errors", is_flag=True, help="List every missed and spurious event.")
@JSON_OPTION
def evaluate(gold: Path, predictions: Path | None, errors: bool, as_json: bool) -> None:
    """Score extraction against gold annotations (SCHEMA.md's rule): precision, recall, F1.

    \b
    Example:
      armswatch eval ../shared/eval/dev.jsonl --errors
    """
    from armswatch.evaluate import format_report, load_gold, load_predictions, score
    from armswatch.nlp.gazetteer import load_gazetteer
    from armswatch.pipeline import predict

    documents = load_gold(gold)
    predicted = load_predictions(predictions) if predictions else predict(gold)
    result = score(documents, predicted, canonical=load_gazetteer().canonical_system)
    if as_json:
        data = result.as_dict()
        if not errors:
            data.pop("errors", None)
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        click.echo(format_report(result, errors=errors))


def _open_readonly(db_path: Path) -> Store:
    from armswatch.store import Store

    if not db_path.exists():
        raise click.UsageError(f"no database at {db_path}: run `armswatch ingest` first")
    store = Store.open(db_path, readonly=True)
    if store.pending_migrations():
        store.close()
        from armswatch.pipeline import upgrade

        click.echo(f"upgrading {db_path} to the current schema", err=True)
        upgrade(db_path)
        store = Store.open(db_path, readonly=True)
    return store


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _code(value: str | None) -> str | None:
    return value.upper() if value else None


# the feeds and watch commands live in their own module, which registers them on import
from armswatch import cli_watch  # noqa: E402, F401
