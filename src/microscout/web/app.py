"""The REST API: what the CLI does, under /api/v1, on the workspace the server holds.

Token rules (shared SCHEMA): reads and computations (GET, scout, plan, fakes) need no token when
the server is bound to loopback; writes (imports, analyze) always need `Authorization: Bearer
TOKEN` and get 401 without it; bound beyond loopback, every call needs the token. Errors are JSON
`{"error": message}` with the CLI's message and a 4xx code. The workspace is one DuckDB
file: reads share it, each thread on its own cursor, and writes have it alone (web/gate.py); long
jobs (import, analyze, collect) run in a thread and report their progress at /api/v1/jobs/{id}.
"""

from __future__ import annotations

import hmac
import io
import ipaddress
import logging
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from fastapi import FastAPI, Request, UploadFile
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from microscout.exceptions import (
    InvalidBundleError,
    MicroscoutError,
)
from microscout.sentences import marked, say
from microscout.web.api import authenticity, campaigns, creators, discovery, planning, shortlists
from microscout.web.api import workspace as workspace_api
from microscout.web.api.common import ApiContext, ApiError, analyze_reporting, answers
from microscout.web.gate import WorkspaceGate
from microscout.web.jobs import Jobs, Progress
from microscout.web.pages import ReadCache, pages_router
from microscout.web.security import (
    BEYOND_LOOPBACK,
    CSP,
    SESSION_COOKIE,
    allowed_host,
    open_path,
    session_value,
    static_path,
)

if TYPE_CHECKING:
    from rich.console import Console

    from microscout.connectors import CollectRequest

# other modules and tests import these from here, as before the routes moved to web/api
__all__ = ["API_DOCS", "FAVICON", "MAX_UPLOAD", "ApiError", "analyze_reporting", "answers", "create_app",
           "is_loopback"]

log = logging.getLogger("microscout.web")
MAX_UPLOAD = 512 * 2**20
API_DOCS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>microscout API</title>
<link rel="stylesheet" href="/static/swagger/swagger-ui.css"><link rel="icon" href="/favicon.ico"></head>
<body><div id="swagger-ui"></div>
<script src="/static/swagger/swagger-ui-bundle.js"></script><script src="/static/swagger/init.js"></script>
</body></html>"""
# a magnifying glass, so that browsers stop asking for a missing icon
FAVICON = (b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="6.5" cy="6.5" r="4.5" '
           b'fill="none" stroke="#2f6f4f" stroke-width="2"/><path d="M10 10l4.5 4.5" stroke="#2f6f4f" '
           b'stroke-width="2"/></svg>')


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def create_app(workspace: Any, host: str = "127.0.0.1", token: str | None = None,
               max_upload: int = MAX_UPLOAD, allowed_hosts: list[str] | None = None) -> FastAPI:
    """The app over an open Workspace. `token` (default: a new random one) guards writes, and
    every call when `host` is not loopback. `allowed_hosts`: Host names answered besides loopback
    names, `host` and IP literals (default: the workspace's allowed_hosts setting)."""
    if allowed_hosts is None:
        allowed_hosts = list(getattr(getattr(workspace, "settings", None), "allowed_hosts", []) or [])
    token = token or secrets.token_urlsafe(24)
    open_reads = is_loopback(host)
    # a GET never starts minutes of work: the server analyzes in its import and analyze jobs, and a
    # read of data changed since says so (409) instead of rebuilding (`microscout serve` analyzes
    # before it starts serving)
    workspace.analyze_on_read = False
    gate = WorkspaceGate(workspace)
    cache = ReadCache()
    jobs = Jobs(on_done=cache.bump)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        jobs.wait()

    app = FastAPI(title="microscout", version="0.1.0", openapi_url="/api/v1/openapi.json", docs_url=None,
                  redoc_url=None, lifespan=lifespan,
                  description="Find, vet and plan campaigns with micro-influencers. Reads and computations need "
                              "no token on loopback; writes need `Authorization: Bearer TOKEN`.")
    app.state.token, app.state.workspace, app.state.gate, app.state.jobs = token, workspace, gate, jobs

    def bearer_ok(request: Request) -> bool:
        given = request.headers.get("authorization", "")
        return given.startswith("Bearer ") and hmac.compare_digest(given[7:].strip(), token)

    def reader(request: Request) -> None:
        if not open_reads and not bearer_ok(request):
            raise ApiError(401, BEYOND_LOOPBACK)

    def writer(request: Request) -> None:
        if not bearer_ok(request):
            raise ApiError(401, "writes need Authorization: Bearer TOKEN (printed when the server started)")

    @app.exception_handler(ApiError)
    async def api_error(_: Request, e: ApiError) -> JSONResponse:
        return JSONResponse({"error": str(e)}, status_code=e.status,
                            headers={"WWW-Authenticate": "Bearer"} if e.status == 401 else None)

    @app.exception_handler(StarletteHTTPException)
    async def no_route(request: Request, e: StarletteHTTPException) -> Response:
        """The API answers every error in its one shape ({"error": ...}), also for a path no route
        takes (Starlette's own 404 and 405)."""
        if not request.url.path.startswith("/api/"):
            return await http_exception_handler(request, e)
        return JSONResponse({"error": str(e.detail)}, status_code=e.status_code, headers=e.headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, e: Exception) -> JSONResponse:
        # logged here, in full, for whoever runs the server; the client gets no database or stack text
        log.exception("%s %s failed", request.method, request.url.path)
        return JSONResponse({"error": "the server could not answer this request (the server's log says why)"},
                            status_code=500)

    @app.exception_handler(MicroscoutError)
    async def user_error(request: Request, e: MicroscoutError) -> JSONResponse:
        # the user's mistake, answered in full; logged in one line for whoever runs the server
        log.info("%s %s: %s %s", request.method, request.url.path, e.http_status, e)
        if isinstance(e, InvalidBundleError):
            return JSONResponse({"error": str(e), "problems": [str(p) for p in e.problems]}, status_code=e.http_status)
        return JSONResponse({"error": str(e)}, status_code=e.http_status)

    session = session_value(token)

    @app.middleware("http")
    async def security_gate(request: Request, call_next: Any) -> Any:
        """The Host check on every request; beyond loopback, the token (or the session a login with
        it sets) on every route but the login page and static files."""
        given_host = request.headers.get("host", "")
        if not allowed_host(given_host, host, allowed_hosts):
            return JSONResponse({"error": f"this server does not answer to the host '{given_host[:80]}': add it "
                                          "to the allowed_hosts setting (a guard against DNS rebinding)"},
                                status_code=400)
        path = request.url.path
        if not (open_reads or open_path(path) or bearer_ok(request)
                or hmac.compare_digest(request.cookies.get(SESSION_COOKIE, ""), session)):
            if path.startswith("/api/"):
                return JSONResponse({"error": BEYOND_LOOPBACK}, status_code=401,
                                    headers={"WWW-Authenticate": "Bearer"})
            return RedirectResponse("/login", status_code=303)
        return await call_next(request)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("Content-Security-Policy", CSP)
        if static_path(request.url.path):
            response.headers.setdefault("Cache-Control", "public, max-age=3600")
        else:
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.get("/api/v1/docs", include_in_schema=False)
    def api_docs() -> HTMLResponse:
        """Swagger UI from this server's own static files (web/static/swagger): works offline, no
        inline script, under the same CSP as every page."""
        return HTMLResponse(API_DOCS)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(FAVICON, media_type="image/svg+xml")

    def start_upload(file: UploadFile) -> dict[str, Any]:
        """Stream the upload to a temporary file (refused past the limit), then import and analyze it
        as a job; the API and the data page share this."""
        tmp = Path(tempfile.mkdtemp(prefix="microscout-upload-"))
        target = tmp / "bundle.zip"
        size = 0
        with target.open("wb") as out:
            while chunk := file.file.read(1 << 20):
                size += len(chunk)
                if size > max_upload:
                    shutil.rmtree(tmp, ignore_errors=True)
                    raise ApiError(413, f"the upload is larger than {max_upload // 2**20} MiB")
                out.write(chunk)

        def run(progress: Any) -> dict[str, Any]:
            try:
                with gate.write() as ws:
                    progress(say("importing"), 0.1)
                    result = ws.import_bundle(target, progress=lambda name, rows, done: progress(
                        say("importing {file}: {rows:int} rows", file=name, rows=rows), 0.1))
                    analyze_reporting(ws, progress, 0.5, 1.0)
                return {"import_id": result.import_id, "rows_read": result.rows_read, "inserted": result.inserted,
                        "summary": result.as_dict()}
            finally:
                shutil.rmtree(tmp, ignore_errors=True)

        return jobs.start("import", run)

    def start_collect(platform: str, request: CollectRequest, on_page: bool = False) -> dict[str, Any]:
        """Collect from a platform's API into a bundle beside the workspace file, then import and
        analyze it, as a job; the API and the data page share this. The connectors' messages name
        the command line's options: the job's error names the API's fields, or the page's form."""
        check_service_url(request.service_url)
        wording = PAGE_WORDING if on_page else API_WORDING

        def run(progress: Progress) -> dict[str, Any]:
            from microscout.connectors import ConnectorError, collect  # loaded when a collection starts

            # chosen when the job runs (jobs run one at a time): an earlier job may have finished it
            out = collect_folder(Path(workspace.settings.db), platform, request)
            report = CollectReport(platform, progress)
            progress(say("{platform}: starting", platform=platform), report.share)
            try:
                collected = collect(workspace.settings, platform, request, out, console=report.console(),
                                    listener=report.stage)
            except ConnectorError as e:
                raise ConnectorError(reworded(str(e), wording), e.status) from None
            with gate.write() as ws:
                progress(say("importing"), 0.6)
                imported = ws.import_bundle(out, progress=lambda name, rows, done: progress(
                    say("importing {file}: {rows:int} rows", file=name, rows=rows), 0.6))
                analyze_reporting(ws, progress, 0.7, 1.0)
            return {**collected.as_dict(), "notes": report.notes, "import_id": imported.import_id,
                    "rows_read": imported.rows_read, "inserted": imported.inserted, "summary": imported.as_dict()}

        return jobs.start("collect", run)

    ctx = ApiContext(workspace=workspace, gate=gate, cache=cache, jobs=jobs, reader=reader, writer=writer,
                     start_upload=start_upload, start_collect=start_collect)
    # this order is the order of the OpenAPI document's operations, kept as it was when the routes
    # were declared here
    for router in (workspace_api.router, creators.router, discovery.router, planning.router,
                   authenticity.router, workspace_api.jobs_router, shortlists.router, campaigns.router):
        app.include_router(router(ctx))
    app.include_router(pages_router(workspace, gate, token, cache, start_upload, start_collect))
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")
    return app


# what a connector's message calls an option of `microscout collect`, as the API and the data page
# name it (the server picks the bundle folder itself: a run asked again resumes in it)
API_WORDING = {"--service-url": "service_url", "use another --out, or --restart": "ask for another collection",
               "choose a new --out": "ask again", "run the same command again later": "ask for the same collection later"}
PAGE_WORDING = {**API_WORDING, "--service-url": "the API's base URL (under “Another service”)"}


def reworded(message: str, wording: dict[str, str]) -> str:
    for option, words in wording.items():
        message = message.replace(option, words)
    return message


def check_service_url(url: str | None) -> None:
    """Refused before the job starts: anything but an http(s) URL would be retried as a dead
    connection for half a minute before it failed."""
    if url is None:
        return
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MicroscoutError(f"service_url: '{url[:200]}' is not an http:// or https:// URL")


def collect_folder(db: Path, platform: str, request: CollectRequest) -> Path:
    """The CLI's default bundle folder, under the workspace file's folder: an unfinished run of the
    same request that day resumes there; a finished one is kept, and this run gets a folder of its own."""
    from microscout.connectors import default_out

    out = default_out(platform, request, db.resolve().parent / "microscout-collect")
    if (out / "bundle.json").exists() and not (out / ".partial").exists():
        out = out.with_name(f"{out.name}-{datetime.now(UTC):%H%M%S}")
    return out


class CollectReport:
    """A collection's stages as a job's steps ("bluesky: creators 12/50") with a share between 0.05 and
    0.6 that never goes back (the stages' count is not known ahead: each one fills three quarters
    of what is left); what the connector says (a skipped handle, a wait for a rate limit) shows as
    the step and is kept in `notes` for the job's result."""

    START, END = 0.05, 0.6

    def __init__(self, platform: str, progress: Progress) -> None:
        self.platform = platform
        self.progress = progress
        self.share = self.START
        self._low = self.START
        self.notes: list[str] = []

    def stage(self, description: str, done: int, total: int | None) -> None:
        if done == 0:  # a stage starts where the last one stopped
            self._low = self.share
        if total:
            high = self._low + (self.END - self._low) * 0.75
            self.share = max(self.share, self._low + (high - self._low) * min(done / total, 1.0))
        stage = marked(description)  # the connectors' stages are marked for the catalogs (N_)
        self.progress(say("{platform}: {stage} {done:int}/{total:int}", platform=self.platform, stage=stage, done=done,
                          total=total) if total is not None
                      else say("{platform}: {stage} {done:int}", platform=self.platform, stage=stage, done=done),
                      self.share)

    def note(self, text: str) -> None:
        for line in text.splitlines():
            if line.strip():
                self.notes.append(line.strip())
                self.progress(line.strip(), self.share)

    def console(self) -> Console:
        """A console for CollectJob whose prints come here (it is no terminal: no progress bar)."""
        from rich.console import Console

        report = self

        class Sink(io.StringIO):
            def write(self, text: str) -> int:
                report.note(text)
                return len(text)

        return Console(file=Sink(), width=10_000, force_terminal=False, color_system=None, soft_wrap=True)
