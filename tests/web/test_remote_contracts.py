"""The CLI's client of a running server checks each answer against the contracts it knows: a
server of another version is named in one line, never misread."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from microscout.exceptions import MicroscoutError
from microscout.web.remote import RemoteWorkspace

ANSWERS = {
    "/api/v1/info": {"tables": {"accounts": {"rows": 6}}, "platforms": {}, "imports": [], "backend": "duckdb"},
    # a server of another version: rows became a string
    "/api/v1/creators": {"items": [], "total": "six"},
}


class _Server(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps(ANSWERS[self.path.split("?")[0]]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def remote():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    with RemoteWorkspace({"url": url, "pid": 1, "token": "t"}) as ws:
        yield ws, url
    server.shutdown()


def test_an_answer_of_the_contracts_shape_is_returned_as_it_came(remote):
    ws, _ = remote
    assert ws.info() == ANSWERS["/api/v1/info"]


def test_an_answer_of_another_shape_is_named_not_misread(remote):
    ws, url = remote
    with pytest.raises(MicroscoutError) as e:
        ws.creators(limit=10)
    assert str(e.value) == (f"the server at {url} answered /api/v1/creators in another shape than this client knows "
                            "(total: Input should be a valid integer, unable to parse string as an integer): run "
                            "the same microscout version for both")
