"""A real HTTP server on loopback over a small analysed workspace."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn

from microscout.web.app import create_app

TOKEN = "test-token-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def running(workspace: Any, policy_host: str = "127.0.0.1", **kwargs: Any) -> Iterator[str]:
    """The API of `workspace` served on 127.0.0.1; `policy_host` is the address the token rules
    assume (a non-loopback one makes every call need the token)."""
    port = free_port()
    app = create_app(workspace, host=policy_host, token=TOKEN, **kwargs)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
