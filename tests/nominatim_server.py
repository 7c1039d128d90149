"""A small Nominatim-compatible HTTP server on 127.0.0.1 for the online fallback's tests.

It answers ``GET /search`` like Nominatim's ``format=json`` endpoint, from a
table of places, and misbehaves on purpose for some queries:

``slow ...``      answers after ``slow_seconds`` (longer than the client's timeout)
``busy ...``      HTTP 429 Too Many Requests
``broken ...``    HTTP 500
``garbage ...``   HTTP 200 with a body that is not JSON
``shapeless ...`` HTTP 200 with JSON of the wrong shape

It records every request (query, arrival time, headers) so that tests can count
them and measure the spacing between them.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

PLACES: dict[str, list[dict[str, Any]]] = {
    "hoshab bazaar": [
        {
            "place_id": 101,
            "osm_type": "node",
            "osm_id": 987654,
            "lat": "26.0161",
            "lon": "63.8888",
            "name": "Hoshab Bazaar",
            "display_name": "Hoshab Bazaar, Kech District, Balochistan, Pakistan",
            "addresstype": "village",
            "type": "village",
            "class": "place",
            "address": {
                "village": "Hoshab Bazaar",
                "county": "Kech District",
                "state": "Balochistan",
                "country": "Pakistan",
                "country_code": "pk",
            },
        }
    ],
}


@dataclass
class Request:
    query: str
    at: float
    params: dict[str, list[str]]
    headers: dict[str, str]


@dataclass
class NominatimStub:
    slow_seconds: float = 3.0
    requests: list[Request] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, query: str) -> int:
        with self.lock:
            return sum(1 for r in self.requests if r.query == query)


def start(stub: NominatimStub) -> tuple[ThreadingHTTPServer, str]:
    """Start the server on a free port; returns (server, 'host:port')."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
            pass

        def _send(self, status: int, body: bytes, content_type: str = "application/json") -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            params = parse_qs(url.query)
            query = params.get("q", [""])[0]
            with stub.lock:
                stub.requests.append(Request(query, time.monotonic(), params, dict(self.headers)))
            if url.path != "/search":
                self._send(404, b'{"error": "not found"}')
                return
            word = query.split(" ", 1)[0].lower()
            if word == "slow":
                time.sleep(stub.slow_seconds)
                self._send(200, b"[]")
            elif word == "busy":
                self._send(429, b'{"error": "Too Many Requests"}')
            elif word == "broken":
                self._send(500, b"<html>Internal Server Error</html>", "text/html")
            elif word == "garbage":
                self._send(200, b"<html>this is not json")
            elif word == "shapeless":
                self._send(200, b'[{"lat": "north-ish", "lon": null}]')
            else:
                self._send(200, json.dumps(PLACES.get(query.lower(), [])).encode())

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"{host}:{port}"
