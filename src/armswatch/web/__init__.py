"""The local web UI: deals, a deal's timeline, a page with its evidence, full-text search.

Pages are rendered on the server (Jinja2, autoescaped) and work without JavaScript; each has a
JSON twin under ``/api``. Every request opens the database read-only, so the UI can run while
``armswatch ingest`` writes (SQLite's WAL lets readers and one writer work at once).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Mapping
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape
from starlette.exceptions import HTTPException as StarletteHTTPException

from armswatch import chart
from armswatch.export import money_text, write_csv
from armswatch.model import Deal, Event, FieldClaim, Money
from armswatch.nlp.gazetteer import load_gazetteer
from armswatch.store import (
    DEAL_SORTS,
    DEAL_STATUSES,
    SNIPPET_END,
    SNIPPET_START,
    SearchError,
    SearchResult,
    Store,
)

__all__ = ["DealQuery", "create_app", "highlight", "serve"]

SEARCH_PAGE_SIZE = 20


@dataclass(frozen=True)
class DealQuery:
    """The filters and sort order of a deals view, as they appear in its URL."""

    supplier: str = ""
    recipient: str = ""
    system: str = ""
    category: str = ""
    status: str = ""
    conflicts: str = ""  # "yes", "no" or "" for either
    sort: str = ""
    order: str = "asc"

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> tuple[DealQuery, list[str]]:
        """Read a view from URL parameters; values that cannot apply are dropped and
        described in the returned problems."""
        problems: list[str] = []
        values = {name: params.get(name, "").strip() for name in cls.__dataclass_fields__}
        for name in ("supplier", "recipient"):
            values[name] = values[name].upper()
        if values["status"] and values["status"] not in DEAL_STATUSES:
            problems.append(f"unknown status {values['status']!r}: use one of "
                            + ", ".join(DEAL_STATUSES))
            values["status"] = ""
        if values["conflicts"] not in {"", "yes", "no"}:
            problems.append(f"conflicts must be yes or no, not {values['conflicts']!r}")
            values["conflicts"] = ""
        if values["sort"] and values["sort"] not in DEAL_SORTS:
            problems.append(f"cannot sort by {values['sort']!r}: use one of "
                            + ", ".join(DEAL_SORTS))
            values["sort"] = ""
        if values["order"] not in {"asc", "desc"}:
            values["order"] = "asc"
        return cls(**values), problems

    def deals(self, store: Store) -> list[Deal]:
        """The deals of this view."""
        system = load_gazetteer().canonical_system(self.system) if self.system else None
        return store.deals(
            supplier=self.supplier or None,
            recipient=self.recipient or None,
            system=system,
            category=self.category or None,
            status=self.status or None,
            conflicted={"yes": True, "no": False}.get(self.conflicts),
            sort=self.sort or None,
            descending=self.order == "desc",
        )

    def url_query(self, **changes: str) -> str:
        """The URL query string of this view with ``changes``, leaving out empty values."""
        values = asdict(replace(self, **changes))
        if values["order"] == "asc":
            values["order"] = ""
        return urlencode({name: value for name, value in values.items() if value})

    def sort_link(self, column: str) -> str:
        """The query string that sorts by ``column``, reversing the order when it already does."""
        order = "desc" if self.sort == column and self.order == "asc" else "asc"
        return self.url_query(sort=column, order=order)


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    anchors: tuple[str, ...]
    titles: tuple[str, ...]


def highlight(text: str, spans: list[tuple[int, int, str]], current: str | None = None) -> Markup:
    """Return ``text`` as escaped HTML with each (start, end, title) span in a ``<mark>``.

    Overlapping spans are merged into one mark; each mark carries an anchor ``s<start>-<end>``
    for every span it holds, and the class ``current`` when one of them is ``current``.
    """
    merged: list[_Span] = []
    for start, end, title in sorted(spans):
        start, end = max(0, start), min(len(text), end)
        if start >= end:
            continue
        anchor = f"s{start}-{end}"
        if merged and start < merged[-1].end:
            last = merged[-1]
            merged[-1] = _Span(last.start, max(last.end, end), (*last.anchors, anchor),
                               (*last.titles, title))
        else:
            merged.append(_Span(start, end, (anchor,), (title,)))
    out: list[str] = []
    position = 0
    for span in merged:
        out.append(str(escape(text[position:span.start])))
        others = dict.fromkeys(span.anchors[1:])
        extra = "".join(f'<span id="{anchor}"></span>' for anchor in others)
        classes = "evidence current" if current in span.anchors else "evidence"
        out.append(
            f'{extra}<mark id="{span.anchors[0]}" class="{classes}" '
            f'title="{escape("; ".join(dict.fromkeys(span.titles)))}">'
            f"{escape(text[span.start:span.end])}</mark>"
        )
        position = span.end
    out.append(str(escape(text[position:])))
    return Markup("".join(out))


def snippet_html(snippet: str) -> Markup:
    """A search snippet as escaped HTML with its matches in ``<mark>``."""
    escaped = str(escape(snippet))
    return Markup(escaped.replace(SNIPPET_START, "<mark>").replace(SNIPPET_END, "</mark>"))


def claim_text(claim: FieldClaim) -> str:
    """A claim's value as people write it: "$5.4 b" rather than "5400000000 USD"."""
    if claim.field == "value":
        amount, _, currency = claim.value.partition(" ")
        try:
            return money_text(Money(float(amount), currency))
        except ValueError:
            return claim.value
    return claim.value


def event_title(event: Event) -> str:
    """A one-line description of an event: "order (happened) RUS → IND S-400, 2018-10"."""
    title = (f"{event.type} ({event.status}) {event.supplier or '?'} → "
             f"{event.recipient or '?'} {event.system}")
    return title + (f", {event.date}" if event.date else "")


# The UI runs no script: a browser is told to run none, even if some markup slipped through,
# not to guess a JSON or CSV response is HTML, and not to frame the pages.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; script-src 'none'; object-src 'none'; "
                               "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def _open_store(request: Request) -> Iterator[Store]:
    """A read-only handle on the app's database for one request."""
    store = Store.open(request.app.state.db_path, readonly=True)
    try:
        yield store
    finally:
        store.close()


StoreDep = Annotated[Store, Depends(_open_store)]


def create_app(db_path: Path) -> FastAPI:
    """Build the web application over the database at ``db_path`` (opened read-only)."""
    db_path = Path(db_path)
    if not db_path.is_file():
        raise FileNotFoundError(f"no database at {db_path}: run `armswatch ingest` first")
    # no /docs page: Swagger UI loads its scripts from a CDN, which an offline machine lacks
    app = FastAPI(title="armswatch", docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json")
    app.state.db_path = db_path

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers.update(SECURITY_HEADERS)
        return response

    templates = _environment()
    gazetteer = load_gazetteer()

    def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        html = templates.get_template(name).render(request=request, **context)
        return HTMLResponse(html, status_code=status_code)

    def not_found(request: Request, what: str) -> HTMLResponse:
        return page(request, "error.html", status_code=404, message=f"There is no {what}.")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    @app.get("/deals", response_class=HTMLResponse, include_in_schema=False)
    def deals_page(request: Request, store: StoreDep) -> HTMLResponse:
        query, problems = DealQuery.from_params(request.query_params)
        found = query.deals(store)
        countries = sorted(store.parties(), key=gazetteer.country_name)
        return page(request, "deals.html", deals=found, query=query, problems=problems,
                    countries=countries, categories=store.categories(), statuses=DEAL_STATUSES,
                    sorts=DEAL_SORTS)

    @app.get("/deals.csv", include_in_schema=False)
    def deals_csv(request: Request, store: StoreDep) -> Response:
        query, _ = DealQuery.from_params(request.query_params)
        out = io.StringIO()
        write_csv(query.deals(store), out, country_name=gazetteer.country_name)
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="deals.csv"'})

    @app.get("/deals/{deal_id}", response_class=HTMLResponse, include_in_schema=False)
    def deal_page(request: Request, deal_id: str, store: StoreDep) -> HTMLResponse:
        deal = store.deal(deal_id)
        if deal is None:
            return not_found(request, f"deal {deal_id!r}")
        entries = store.deal_timeline(deal_id)
        svg = chart.to_svg(chart.layout(entries, title=_deal_title(deal, gazetteer.country_name)))
        return page(request, "deal.html", deal=deal, entries=entries, svg=Markup(svg))

    @app.get("/documents/{article_id}", response_class=HTMLResponse, include_in_schema=False)
    def document_page(request: Request, article_id: str, store: StoreDep,
                      hl: str = "") -> HTMLResponse:
        document = store.document(article_id)
        if document is None:
            return not_found(request, f"page {article_id!r}")
        spans = [(event.evidence.start, event.evidence.end, event_title(event))
                 for event, _ in document.events]
        text = highlight(document.article.text, spans, current=f"s{hl}" if hl else None)
        return page(request, "document.html", document=document, text=text)

    @app.get("/search", response_class=HTMLResponse, include_in_schema=False)
    def search_page(request: Request, store: StoreDep, q: str = "") -> HTMLResponse:
        page_text = request.query_params.get("page", "1")
        page_number = int(page_text) if page_text.isdigit() and int(page_text) > 0 else 1
        try:
            result = _search_page(store, q, page_number)
        except SearchError as error:
            return page(request, "search.html", status_code=400, q=q, result=None,
                        problem=str(error), page_number=1, page_size=SEARCH_PAGE_SIZE)
        return page(request, "search.html", q=q, result=result, problem=None,
                    page_number=page_number, page_size=SEARCH_PAGE_SIZE)

    # -- the JSON API -----------------------------------------------------------------------

    @app.get("/api/deals")
    def api_deals(request: Request, store: StoreDep) -> dict[str, Any]:
        """Deals of a view: the filters and sort of ``/deals`` as URL parameters."""
        query, problems = DealQuery.from_params(request.query_params)
        if problems:
            raise HTTPException(400, "; ".join(problems))
        found = query.deals(store)
        return {"count": len(found), "deals": [deal.as_dict() for deal in found]}

    @app.get("/api/deals/{deal_id}")
    def api_deal(deal_id: str, store: StoreDep) -> dict[str, Any]:
        """A deal with its claims and its timeline (each fact with its sources)."""
        deal = store.deal(deal_id)
        if deal is None:
            raise HTTPException(404, f"no deal {deal_id!r}")
        return {"deal": deal.as_dict(),
                "timeline": [entry.as_dict() for entry in store.deal_timeline(deal_id)]}

    @app.get("/api/documents/{article_id}")
    def api_document(article_id: str, store: StoreDep) -> dict[str, Any]:
        """A page's article text, metadata and events."""
        document = store.document(article_id)
        if document is None:
            raise HTTPException(404, f"no page {article_id!r}")
        return document.as_dict()

    @app.get("/api/search")
    def api_search(store: StoreDep, q: str = "",
                   page_number: Annotated[int, Query(alias="page", ge=1)] = 1) -> dict[str, Any]:
        """Full-text search over articles (FTS5 syntax); matches in the snippet in [brackets]."""
        try:
            result = _search_page(store, q, page_number)
        except SearchError as error:
            raise HTTPException(400, str(error)) from error
        return {**result.as_dict(), "page": page_number}

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": error.detail}, status_code=error.status_code)
        heading = "Nothing here" if error.status_code == 404 else "This request cannot be served"
        return page(request, "error.html", status_code=error.status_code, heading=heading,
                    message=f"{error.status_code}: {error.detail}")

    @app.exception_handler(RequestValidationError)
    def invalid_request(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in problem['loc'][1:])}: {problem['msg']}"
            for problem in error.errors()
        )
        return JSONResponse({"error": problems}, status_code=400)

    return app


def serve(db_path: Path, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the web UI over ``db_path`` until interrupted."""
    import uvicorn

    uvicorn.run(create_app(db_path), host=host, port=port, log_level="warning")


def _search_page(store: Store, query: str, page_number: int) -> SearchResult:
    """One page of search results (``SEARCH_PAGE_SIZE`` hits); raises ``SearchError``."""
    return store.search(query, limit=SEARCH_PAGE_SIZE, offset=(page_number - 1) * SEARCH_PAGE_SIZE)


def web_link(url: str | None) -> str | None:
    """``url`` when it is an http(s) address a page may link to, else None (a stored URL is
    input: a ``javascript:`` one must never become a link)."""
    if url and url.lower().startswith(("http://", "https://")):
        return url
    return None


def _deal_title(deal: Deal, country_name: Callable[[str | None], str]) -> str:
    supplier = country_name(deal.supplier) if deal.supplier else "unknown supplier"
    recipient = country_name(deal.recipient) if deal.recipient else "unknown recipient"
    return f"{supplier} → {recipient}: {deal.system}"


def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("armswatch.web", "templates"),
        autoescape=select_autoescape(["html"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    gazetteer = load_gazetteer()
    env.filters["country_option"] = lambda code: (code, f"{gazetteer.country_name(code)} ({code})")
    env.filters["plain_option"] = lambda value: (value, value)
    env.globals.update(country=gazetteer.country_name, money=money_text,
                       deal_title=lambda deal: _deal_title(deal, gazetteer.country_name),
                       event_title=event_title, snippet=snippet_html, web_link=web_link,
                       claim_text=claim_text)
    return env
