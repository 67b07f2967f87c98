"""The ``feeds`` and ``watch`` commands of the ``armswatch`` command line (kept apart from
``armswatch.cli`` to keep each file short; importing this module registers them)."""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

import click

from armswatch.cli import DB_OPTION, EXTRACTOR_OPTION, JSON_OPTION, MODEL_OPTION, _model_spec, main

CONTACT_OPTION = click.option(
    "--contact", envvar="ARMSWATCH_CONTACT", default=None,
    help="An e-mail or URL site owners can reach you at; sent in the User-Agent "
    "(or set ARMSWATCH_CONTACT).",
)
DELAY_OPTION = click.option(
    "--delay", type=click.FloatRange(0), default=1.0, show_default=True,
    help="Seconds between two requests to the same host.",
)
INTERVAL = re.compile(r"^(\d+(?:\.\d+)?)([smh]?)$")


@main.group()
def feeds() -> None:
    """The feeds and sitemaps `armswatch watch` polls.

    \b
    Example:
      armswatch feeds add https://example.org/defence/feed.xml && armswatch feeds list
    """


@feeds.command(name="add")
@click.argument("urls", nargs=-1, required=True)
@CONTACT_OPTION
@DB_OPTION
@JSON_OPTION
def feeds_add(urls: tuple[str, ...], contact: str | None, db_path: Path, as_json: bool) -> None:
    """Add RSS or Atom feeds or XML sitemaps; for a site's address, the feeds its home page
    links to or the sitemaps its robots.txt names.

    \b
    Example:
      armswatch feeds add https://example.org/feed.xml https://other.example/
    """
    from armswatch.fetch import Politeness
    from armswatch.store import Store
    from armswatch.watch import add_feeds

    with Store.open(db_path) as store:
        added, errors = add_feeds(store, list(urls), Politeness(contact=contact))
    for error in errors:
        click.secho(f"error: {error}", fg="red", err=True)
    if as_json:
        click.echo(json.dumps({"added": added, "errors": [e.as_dict() for e in errors]}))
    else:
        for url in added:
            click.echo(f"added {url}")
    sys.exit(1 if errors else 0)


@feeds.command(name="list")
@DB_OPTION
@JSON_OPTION
def feeds_list(db_path: Path, as_json: bool) -> None:
    """Each feed: its last fetch, its status, the items it listed and its last error.

    \b
    Example:
      armswatch feeds list --json
    """
    from armswatch.store import Store
    from armswatch.store.feeds import FeedState

    with Store.open(db_path) as store:
        found = FeedState(store).feeds()
    if as_json:
        click.echo(json.dumps([feed.as_dict() for feed in found], indent=2))
        return
    for feed in found:
        status = feed.last_status or "never fetched"
        click.echo(f"{feed.url}\n  {feed.kind or '?'}, last fetch {feed.last_fetched_at or '-'}"
                   f" ({status}); {feed.items} items, {feed.stored} stored, "
                   f"{feed.failed} failed")
        if feed.last_error:
            click.secho(f"  error: {feed.last_error}", fg="red")


@feeds.command(name="remove")
@click.argument("url")
@DB_OPTION
def feeds_remove(url: str, db_path: Path) -> None:
    """Stop polling a feed (the articles it brought stay).

    \b
    Example:
      armswatch feeds remove https://example.org/feed.xml
    """
    from armswatch.store import Store
    from armswatch.store.feeds import FeedState

    with Store.open(db_path) as store:
        if not FeedState(store).remove(url):
            raise click.ClickException(f"{url}: no such feed")


@main.command()
@click.option("--once", is_flag=True, help="One pass, then exit (for cron or a timer).")
@click.option("--every", default=None, help="Poll at this interval until stopped: 90s, 15m, 1h.")
@CONTACT_OPTION
@DELAY_OPTION
@EXTRACTOR_OPTION
@MODEL_OPTION
@DB_OPTION
@JSON_OPTION
def watch(once: bool, every: str | None, contact: str | None, delay: float, extractor: str,
          model_dir: Path | None, db_path: Path, as_json: bool) -> None:
    """Poll every feed: fetch the articles not yet stored and store their events.

    Each feed is fetched with the validators of its last answer, each site politely (its
    robots.txt, one request at a time, --delay between them). Ctrl-C stops cleanly.

    \b
    Example:
      armswatch watch --once --contact me@example.org
      armswatch watch --every 15m
    """
    from armswatch.fetch import Politeness
    from armswatch.store import Store
    from armswatch.watch import watch_once

    if once == (every is not None):
        raise click.UsageError("give --once or --every INTERVAL")
    interval = _seconds(every) if every else 0.0
    politeness = Politeness(contact=contact, delay=delay)
    model = _model_spec(extractor, model_dir)
    failed = False
    try:
        while True:
            with Store.open(db_path) as store:
                report = watch_once(
                    store, politeness, model,
                    on_error=lambda e: click.secho(f"error: {e}", fg="red", err=True),
                )
            failed = bool(report.errors)
            if as_json:
                click.echo(json.dumps(report.as_dict()))
            else:
                click.echo(
                    f"{report.feeds} feeds ({report.not_modified} unchanged), "
                    f"{report.new_items} new items; {report.added} pages added, "
                    f"{report.events} events, {report.deals} deals; {len(report.errors)} "
                    f"errors; {report.seconds:.1f} s", err=True,
                )
            if once:
                break
            time.sleep(interval)
    except KeyboardInterrupt:
        click.echo("stopped", err=True)
        return
    sys.exit(1 if failed and once else 0)


def _seconds(text: str) -> float:
    match = INTERVAL.match(text.strip())
    if not match:
        raise click.BadParameter(f"{text!r}: give a number with s, m or h (15m)",
                                 param_hint="--every")
    number, unit = float(match.group(1)), match.group(2) or "s"
    return number * {"s": 1, "m": 60, "h": 3600}[unit]
