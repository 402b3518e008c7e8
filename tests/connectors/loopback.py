"""A real HTTP server on loopback that answers with recorded API replies, so connector tests run
the real client (pagination, rate-limit headers, retries, dropped connections) with no network.

`server.reply(path, body, query={...}, status=..., headers=...)` scripts the replies to a route;
several replies to one route are served in order and the last repeats. A route matches a request
when its query items are all in the request's (the route with most items wins). `drop_after=N`
sends the headers of the whole body and only N bytes of it, then closes the connection."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Reply:
    body: bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    drop_after: int | None = None


@dataclass
class Route:
    path: str
    query: dict[str, list[str]]
    replies: list[Reply]
    served: int = 0


@dataclass
class Request:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


class LoopbackServer:
    def __init__(self) -> None:
        self.routes: list[Route] = []
        self.log: list[Request] = []
        self.on_request: Callable[[Request], None] | None = None
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # headers and body go in separate writes: no 40 ms stall

            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                request = Request(parts.path, parse_qs(parts.query, keep_blank_values=True),
                                  {k.lower(): v for k, v in self.headers.items()})
                with server._lock:
                    server.log.append(request)
                    reply = server._match(request)
                if server.on_request is not None:
                    server.on_request(request)
                self.send_response(reply.status)
                headers = {"content-type": "application/json; charset=utf-8", **reply.headers}
                for k, v in headers.items():
                    self.send_header(k, v)
                self.send_header("content-length", str(len(reply.body)))
                self.end_headers()
                if reply.drop_after is not None:
                    self.wfile.write(reply.body[: reply.drop_after])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(reply.body)

            def log_message(self, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def reply(self, path: str, body: Any, *, query: dict[str, Any] | None = None, status: int = 200,
              headers: dict[str, str] | None = None, drop_after: int | None = None) -> None:
        """Script one reply; `body` is JSON-encoded unless it is bytes or str (sent as is)."""
        raw = body if isinstance(body, bytes) else body.encode() if isinstance(body, str) else json.dumps(body).encode()
        q = {k: [str(x) for x in v] if isinstance(v, list | tuple) else [str(v)] for k, v in (query or {}).items()}
        reply = Reply(raw, status, headers or {}, drop_after)
        for route in self.routes:
            if route.path == path and route.query == q:
                route.replies.append(reply)
                return
        self.routes.append(Route(path, q, [reply]))

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.log if r.path == path]

    def _match(self, request: Request) -> Reply:
        best = None
        for route in self.routes:
            if route.path != request.path:
                continue
            matches = all(request.query.get(k) == v for k, v in route.query.items())
            if matches and (best is None or len(route.query) > len(best.query)):
                best = route
        if best is None:
            return Reply(json.dumps({"error": "NotFound", "message": f"no fixture for {request.path} "
                                     f"{request.query}"}).encode(), 404)
        reply = best.replies[min(best.served, len(best.replies) - 1)]
        best.served += 1
        return reply


def fixture(name: str) -> Any:
    """A recorded reply from tests/connectors/fixtures/."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))
