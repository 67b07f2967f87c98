"""A real HTTP server on 127.0.0.1 for the watcher's tests: routes of our own, conditional
requests (ETag), and the bad sources a watcher meets (slow, looping, huge, binary, 429)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """What the server answers for one path."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None  # answer 304 to a matching If-None-Match
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering
    fail_first: int = 0  # answer `status` this many times, then 200 with the body
    redirect: str | None = None  # answer 302 to this path


class NewsServer:
    """The routes, the requests seen (path and headers), and the base URL."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.hits: Counter[str] = Counter()
        self.url = ""

    def route(self, path: str, **kwargs: object) -> str:
        """Serve ``path``; return its absolute URL."""
        self.routes[path] = Route(**kwargs)  # type: ignore[arg-type]
        return self.url + path

    def get_count(self, path: str) -> int:
        """How many times ``path`` was asked for."""
        return self.hits[path]


def _handler(server: NewsServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def do_GET(self) -> None:
            path = self.path.split("?")[0]
            server.requests.append((path, dict(self.headers)))
            server.hits[path] += 1
            route = server.routes.get(path)
            if route is None:
                self._answer(404, b"not found", "text/plain")
                return
            if route.delay:
                time.sleep(route.delay)
            if route.redirect:
                self.send_response(302)
                self.send_header("Location", route.redirect)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if route.fail_first and server.hits[path] <= route.fail_first:
                self._answer(route.status, b"busy", "text/plain", route.headers)
                return
            if route.etag and self.headers.get("If-None-Match") == route.etag:
                self.send_response(304)
                self.send_header("ETag", route.etag)
                self.end_headers()
                return
            status = 200 if route.fail_first else route.status
            headers = dict(route.headers)
            if route.etag:
                headers["ETag"] = route.etag
            self._answer(status, route.body, route.content_type, headers)

        def _answer(self, status: int, body: bytes, content_type: str,
                    headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            with suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    return Handler


@contextmanager
def news_server() -> Iterator[NewsServer]:
    """Run a NewsServer on a free port of 127.0.0.1 for the duration of the block."""
    state = NewsServer()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    httpd.daemon_threads = True
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
