"""The REST API: what the CLI does, under /api/v1, on the workspace the server holds.

Token rules (shared SCHEMA): reads and computations (GET, scout, plan, fakes) need no token when
the server is bound to loopback; writes (imports, analyze) always need `Authorization: Bearer
TOKEN` and get 401 without it; bound beyond loopback, every call needs the token. Errors are JSON
`{"error": message}` with the CLI's message and a 4xx code. The workspace is one DuckDB
file: reads share it, each thread on its own cursor, and writes have it alone (web/gate.py); long
jobs (import, analyze) run in a thread and report their progress at /api/v1/jobs/{id}.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import secrets
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import Depends, FastAPI, File, Query, Request, UploadFile
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from microscout import shortlists
from microscout.campaigns.relationships import due_reminders
from microscout.campaigns.report import report_rows
from microscout.campaigns.track import track_orders_text
from microscout.contracts import (
    AccountIds,
    Change,
    CreatorsOut,
    FakeScore,
    HashtagsOut,
    InfoOut,
    PlanOut,
    Relationship,
    Reminder,
    ScoutOut,
    ShortlistMember,
    ShortlistOut,
    TrackOut,
    VetOut,
)
from microscout.exceptions import (
    InvalidBundleError,
    MicroscoutError,
)
from microscout.web.exports import csv_response, report_download
from microscout.web.gate import WorkspaceGate
from microscout.web.jobs import Jobs
from microscout.web.models import (
    AccountRows,
    BriefIn,
    CampaignIn,
    ErrorOut,
    JobOut,
    RelationshipEdit,
    ShortlistItem,
)
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
from microscout.workspace import MAX_COUNT

log = logging.getLogger("microscout.web")
MAX_UPLOAD = 512 * 2**20
T = TypeVar("T")
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


class ApiError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ErrorOut}, 401: {"model": ErrorOut},
                                           404: {"model": ErrorOut}}
FILE_TYPES = {"csv": "text/csv", "html": "text/html"}


def analyze_reporting(ws: Any, progress: Callable[[str, float], None], start: float, end: float) -> Any:
    """ws.analyze(), each of its steps and the embedding reported to a job's progress between
    `start` and `end`, so the page shows what a long analyze is doing."""
    span = end - start

    def step(name: str, done: int, total: int) -> None:
        progress(f"analyzing: {name}", start + span * 0.8 * done / max(total, 1))

    def embed(done: int, total: int) -> None:
        progress(f"embedding creator documents for topic search: {done:,} of {total:,}",
                 start + span * (0.8 + 0.2 * done / max(total, 1)))

    before = ws.analyze_progress, ws.embed_progress
    ws.analyze_progress, ws.embed_progress = step, embed
    try:
        return ws.analyze()
    finally:
        ws.analyze_progress, ws.embed_progress = before


def answers(model: Any, *files: str, errors: dict[int | str, dict[str, Any]] | None = None) -> dict[str, Any]:
    """A route's response contract: declared in the OpenAPI document and checked on every answer;
    keys a record does not have are not added (absent stays absent, null stays null). `files`: the
    other formats (csv, html) the route sends with ?format=, declared beside JSON."""
    responses = dict(errors or ERRORS)
    if files:
        responses[200] = {"content": {FILE_TYPES[f]: {"schema": {"type": "string"}} for f in files}}
    return {"response_model": model, "response_model_exclude_unset": True, "responses": responses}


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

    errors = ERRORS

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
                    progress("importing", 0.1)
                    result = ws.import_bundle(
                        target, progress=lambda name, rows, done: progress(f"importing {name}: {rows:,} rows", 0.1))
                    analyze_reporting(ws, progress, 0.5, 1.0)
                return {"import_id": result.import_id, "rows_read": result.rows_read, "inserted": result.inserted,
                        "summary": result.as_dict()}
            finally:
                shutil.rmtree(tmp, ignore_errors=True)

        return jobs.start("import", run)

    def read(key: tuple[Any, ...], compute: Callable[[Any], T]) -> T:
        """A read's answer, kept (like the pages' data) until a write changes the workspace."""
        def run() -> T:
            with gate.read() as ws:
                return compute(ws)

        return cache.get(("api", *key), run)

    @app.get("/api/v1/info", **answers(InfoOut), dependencies=[Depends(reader)], tags=["workspace"])
    def info() -> dict[str, Any]:
        """Rows per table, accounts per platform, every import (the info contract)."""
        return read(("info",), lambda ws: ws.info())

    @app.get("/api/v1/creators", **answers(CreatorsOut, "csv"),
             dependencies=[Depends(reader)], tags=["creators"])
    def creators(platform: str | None = None, tier: str | None = None,
                 min_followers: int | None = Query(None, ge=0, le=MAX_COUNT),
                 max_followers: int | None = Query(None, ge=0, le=MAX_COUNT),
                 q: str | None = None, sort: str = "-followers", limit: int = Query(50, ge=1, le=1000),
                 offset: int = Query(0, ge=0, le=MAX_COUNT), format: str = Query("json", pattern="^(json|csv)$")) -> Any:
        """Creators with filters, sort and pagination: {"items": [...], "total": N}; format=csv for a file."""
        items, total = read(("creators", platform, tier, min_followers, max_followers, q, sort, limit, offset),
                            lambda ws: ws.creators(platform=platform, tier=tier, min_followers=min_followers,
                                                   max_followers=max_followers, q=q, sort=sort, limit=limit,
                                                   offset=offset))
        if format == "csv":
            return csv_response(items, "creators.csv")
        return {"items": items, "total": total}

    @app.get("/api/v1/accounts/resolve", **answers(AccountIds),
             dependencies=[Depends(reader)], tags=["creators"])
    def resolve(ref: str = Query(..., min_length=1, description="platform:account_id, platform:@handle or @handle")
                ) -> dict[str, str]:
        """Which account a reference names (a bare @handle must name one account only)."""
        with gate.read() as ws:
            platform, account_id = ws.resolve(ref)
        return {"platform": platform, "account_id": account_id}

    @app.get("/api/v1/creators/{platform}/{account_id:path}", **answers(VetOut),
             dependencies=[Depends(reader)], tags=["creators"])
    def vet(platform: str, account_id: str) -> dict[str, Any]:
        """One creator (the vet contract)."""
        return read(("vet", platform, account_id), lambda ws: ws.vet(f"{platform}:{account_id}"))

    @app.post("/api/v1/scout", **answers(ScoutOut, "csv"),
              dependencies=[Depends(reader)], tags=["discovery"])
    def scout(brief: BriefIn, limit: int = Query(20, ge=1, le=1000),
              format: str = Query("json", pattern="^(json|csv)$")) -> Any:
        """Creators ranked for a brief (the scout contract)."""
        asked = brief.as_dict()
        record = read(("scout", json.dumps(asked, sort_keys=True, default=str), limit),
                      lambda ws: ws.scout_records(asked, limit))
        if format == "csv":
            return csv_response(record["results"], "scout.csv")
        return record

    @app.get("/api/v1/similar/{platform}/{account_id:path}", **answers(ScoutOut),
             dependencies=[Depends(reader)], tags=["discovery"])
    def similar(platform: str, account_id: str, limit: int = Query(20, ge=1, le=1000),
                platforms: Annotated[list[str] | None, Query(alias="platform")] = None,
                tiers: Annotated[list[str] | None, Query(alias="tier")] = None,
                allow_flags: Annotated[list[str] | None, Query(alias="allow_flag")] = None,
                tier_scheme: str | None = None) -> dict[str, Any]:
        """Lookalikes of a creator (the scout shape)."""
        with gate.read() as ws:
            return ws.similar(f"{platform}:{account_id}", limit, platforms, tiers, tuple(allow_flags or ()),
                                     tier_scheme)

    @app.get("/api/v1/mentions", **answers(ScoutOut),
             dependencies=[Depends(reader)], tags=["discovery"])
    def mentions(handle: Annotated[list[str], Query(min_length=1)], limit: int = Query(20, ge=1, le=1000),
                 allow_flags: Annotated[list[str] | None, Query(alias="allow_flag")] = None) -> dict[str, Any]:
        """People who mention or tag the brand's handles (the scout shape)."""
        with gate.read() as ws:
            return ws.mentions(handle, limit, tuple(allow_flags or ()))

    @app.get("/api/v1/hashtags", **answers(HashtagsOut),
             dependencies=[Depends(reader)], tags=["discovery"])
    def hashtags(topic: str | None = None, location: str | None = None,
                 platforms: Annotated[list[str] | None, Query(alias="platform")] = None,
                 limit: int = Query(20, ge=1, le=1000)) -> dict[str, Any]:
        """A niche's top hashtags, the tags that come with them and the creators behind them."""
        with gate.read() as ws:
            return ws.niche_hashtags(topic, location, tuple(platforms or ()), limit)

    @app.post("/api/v1/plan", **answers(PlanOut, "csv"), dependencies=[Depends(reader)], tags=["planning"])
    def plan(brief: BriefIn, format: str = Query("json", pattern="^(json|csv)$")) -> Any:
        """How to spend the brief's budget (the plan contract)."""
        with gate.read() as ws:
            record = ws.plan(brief.as_dict())
        if format == "csv":
            return csv_response(record["picks"], "plan.csv")
        return record

    @app.post("/api/v1/fakes", **answers(list[FakeScore], "csv"),
              dependencies=[Depends(reader)], tags=["authenticity"])
    def fakes(rows: AccountRows, format: str = Query("json", pattern="^(json|csv)$")) -> Any:
        """Fake-account probability and reasons for account rows in the bundle's accounts format."""
        with tempfile.TemporaryDirectory(prefix="microscout-fakes-") as tmp:
            rows.write_jsonl(Path(tmp) / "accounts.jsonl")
            scored = workspace.scratch_fakes(tmp, workspace.settings.fake_model)
        if format == "csv":
            return csv_response(scored, "fakes.csv")
        return scored

    @app.post("/api/v1/imports", dependencies=[Depends(writer)], status_code=202, responses=errors,
              tags=["workspace"])
    def import_bundle(file: Annotated[UploadFile, File(description="A bundle as a .zip")]) -> JobOut:
        """Upload a bundle (.zip, at most 512 MiB): imported, then analysed, as a background job."""
        return JobOut.model_validate(start_upload(file))

    @app.post("/api/v1/analyze", dependencies=[Depends(writer)], status_code=202, responses=errors,
              tags=["workspace"])
    def analyze() -> JobOut:
        """Bring every creator's figures up to date, as a background job."""
        def run(progress: Any) -> dict[str, Any]:
            with gate.write() as ws:
                result = analyze_reporting(ws, progress, 0.0, 1.0)
            return {"creators": result.creators, "seconds": round(result.seconds, 2)}

        return JobOut.model_validate(jobs.start("analyze", run))

    @app.get("/api/v1/jobs/{job_id}", dependencies=[Depends(reader)], responses=errors, tags=["workspace"])
    def job(job_id: str) -> JobOut:
        """A background job's state (queued, running, done, failed), step and progress (0..1)."""
        found = jobs.get(job_id)
        if found is None:
            raise ApiError(404, f"no job '{job_id}'")
        return JobOut.model_validate(found)

    @app.get("/api/v1/shortlists", **answers(dict[str, list[ShortlistMember]]),
             dependencies=[Depends(reader)], tags=["shortlists"])
    def get_shortlists() -> dict[str, Any]:
        """Every saved shortlist: name → its creators."""
        with gate.read() as ws:
            return shortlists.shortlists(ws)

    @app.get("/api/v1/shortlists/{name}", **answers(ShortlistOut, "csv"),
             dependencies=[Depends(reader)], tags=["shortlists"])
    def get_shortlist(name: str, format: str = Query("json", pattern="^(json|csv)$")) -> Any:
        """One shortlist's creators with tier, followers, engagement, audience quality, flags and
        contact; format=csv for a file."""
        rows = read(("shortlist", name), lambda ws: shortlists.shortlist(ws, name))
        return csv_response(rows, "shortlist.csv") if format == "csv" else {"name": name, "items": rows}

    @app.post("/api/v1/shortlists/{name}", **answers(dict[str, list[ShortlistMember]]),
              dependencies=[Depends(writer)], tags=["shortlists"])
    def add_to_shortlist(name: str, item: ShortlistItem) -> dict[str, Any]:
        """Add a creator (`ref`: platform:account_id or platform:@handle) to a shortlist, or remove it."""
        with gate.write() as ws:
            (shortlists.remove if item.remove else shortlists.add)(ws, name, item.ref)
            cache.bump()
            return shortlists.shortlists(ws)

    @app.get("/api/v1/relationships", **answers(list[Relationship], "csv"),
             dependencies=[Depends(reader)], tags=["campaigns"])
    def pipeline(brand: str = Query(..., min_length=1), format: str = Query("json", pattern="^(json|csv)$")) -> Any:
        """The brand's relationships with creators, in pipeline order; format=csv for a file."""
        with gate.read() as ws:
            records = ws.pipeline(brand)
        return csv_response(records, "relationships.csv") if format == "csv" else records

    @app.get("/api/v1/relationships/{platform}/{account_id:path}", **answers(Relationship | list[Change]),
             dependencies=[Depends(reader)], tags=["campaigns"])
    def relationship(platform: str, account_id: str, brand: str = Query(..., min_length=1),
                     history: bool = False) -> Any:
        """One relationship (404 if there is none yet), or with history=true its changes."""
        ref = f"{platform}:{account_id}"
        with gate.read() as ws:
            if history:
                return ws.relationship_history(ref, brand)
            found = ws.relationship(ref, brand)
        if found is None:
            raise ApiError(404, f"no relationship of {ref} with {brand} yet")
        return found

    @app.put("/api/v1/relationships/{platform}/{account_id:path}",
             **answers(Relationship, errors={**ERRORS, 409: {"model": ErrorOut}}),
             dependencies=[Depends(writer)], tags=["campaigns"])
    def relate(platform: str, account_id: str, edit: RelationshipEdit) -> dict[str, Any]:
        """Change a relationship. `version` is the version the edit was made against (0 for a new one):
        if someone changed it since, 409 and nothing is written."""
        with gate.write() as ws:
            changed = ws.relate(f"{platform}:{account_id}", edit.brand, edit.changes, edit.version)
            cache.bump()
            return changed

    @app.get("/api/v1/reminders", **answers(list[Reminder]),
             dependencies=[Depends(reader)], tags=["campaigns"])
    def reminders(quiet_days: int = Query(60, ge=1, le=3650), due_days: int = Query(7, ge=0, le=3650),
                  today: date | None = None) -> list[dict[str, Any]]:
        """Relationships gone quiet, deliverables due, partnership anniversaries."""
        with gate.read() as ws:
            return due_reminders(ws, today or datetime.now(UTC).date(), quiet_days, due_days)

    @app.post("/api/v1/campaigns/track", **answers(TrackOut, "csv", "html"),
              dependencies=[Depends(reader)], tags=["campaigns"])
    def track(spec: CampaignIn, format: str = Query("json", pattern="^(json|csv|html)$")) -> Any:
        """A campaign's KPIs per partner, tier and in total, the user-generated posts, and the disclosure
        check; `orders` as rows of code, revenue and ordered_at. format=csv: one row per creator;
        format=html: the shareable report with its charts."""
        campaign = spec.campaign(workspace.settings)
        with gate.read() as ws:
            report = track_orders_text(ws, campaign, spec.brand, spec.orders_csv())
        if format == "csv":
            return csv_response(report_rows(report), "campaign.csv")
        if format == "html":
            return report_download(report, spec.marks())
        return report

    app.include_router(pages_router(workspace, gate, token, cache, start_upload))
    app.mount("/static", StaticFiles(directory=str(Path(__file__).parent / "static")), name="static")
    return app
