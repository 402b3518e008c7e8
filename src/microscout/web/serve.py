"""`microscout serve`: the workspace held by one process, its API on a port, its address beside it.

The address file `<db>.server.json` (mode 600: it holds the token) tells other processes that a
server holds this workspace and where; it is removed when the server stops."""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

import uvicorn

from microscout.web import address_file
from microscout.web.app import create_app


def serve(workspace: Any, db: Path, host: str, port: int, token: str | None,
          announce: Callable[[str, str], None]) -> None:
    token = token or secrets.token_urlsafe(24)
    app = create_app(workspace, host=host, token=token)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    marker = address_file(db)
    original_startup = server.startup

    async def startup(sockets: Any = None) -> None:
        await original_startup(sockets)
        bound = server.servers[0].sockets[0].getsockname() if server.servers else (host, port)
        url = f"http://{host if ':' not in host else f'[{host}]'}:{bound[1]}"
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump({"url": url, "pid": os.getpid(), "token": token}, f)
        announce(url, token)

    server.startup = startup  # type: ignore[method-assign]
    try:
        server.run()
    finally:
        marker.unlink(missing_ok=True)
