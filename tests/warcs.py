"""WARC records written by hand, for the tests that read WARC files."""

from __future__ import annotations


def warc_record(
    uri: str,
    body: bytes,
    record_id: str,
    status: int = 200,
    content_type: str = "text/html; charset=utf-8",
    warc_type: str = "response",
    extra_http: str = "",
) -> bytes:
    """Return one WARC/1.0 record holding an HTTP response (or request) with ``body``."""
    reason = "OK" if status == 200 else "Not Found"
    http = (
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n{extra_http}"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    msgtype = "request" if warc_type == "request" else "response"
    head = (
        f"WARC/1.0\r\nWARC-Type: {warc_type}\r\nWARC-Target-URI: {uri}\r\n"
        f"WARC-Date: 2021-05-04T10:00:00Z\r\nWARC-Record-ID: {record_id}\r\n"
        f"Content-Type: application/http; msgtype={msgtype}\r\n"
        f"Content-Length: {len(http)}\r\n\r\n"
    ).encode()
    return head + http + b"\r\n\r\n"
