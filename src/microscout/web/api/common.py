"""What the API's routers share: the error they raise, how a route declares its answers, the
cached read, and the ApiContext that create_app builds once and hands to every router."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from fastapi import Request, UploadFile

from microscout.sentences import marked, say
from microscout.web.gate import WorkspaceGate
from microscout.web.jobs import Jobs
from microscout.web.models import ErrorOut
from microscout.web.pages import ReadCache

if TYPE_CHECKING:
    from microscout.connectors import CollectRequest

T = TypeVar("T")


class StartCollect(Protocol):
    def __call__(self, platform: str, request: CollectRequest, on_page: bool = False) -> dict[str, Any]: ...


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
        progress(say("analyzing: {step}", step=marked(name)), start + span * 0.8 * done / max(total, 1))

    def embed(done: int, total: int) -> None:
        progress(say("embedding creator documents for topic search: {done:int} of {total:int}", done=done,
                     total=total),
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


@dataclass(frozen=True)
class ApiContext:
    """The server's state as the routers see it. `reader` and `writer` are the token checks a route
    depends on; `start_upload` and `start_collect` are shared with the data page, so create_app
    builds them."""

    workspace: Any
    gate: WorkspaceGate
    cache: ReadCache
    jobs: Jobs
    reader: Callable[[Request], None]
    writer: Callable[[Request], None]
    start_upload: Callable[[UploadFile], dict[str, Any]]
    start_collect: StartCollect

    def read(self, key: tuple[Any, ...], compute: Callable[[Any], T]) -> T:
        """A read's answer, kept (like the pages' data) until a write changes the workspace."""
        def run() -> T:
            with self.gate.read() as ws:
                return compute(ws)

        return self.cache.get(("api", *key), run)
