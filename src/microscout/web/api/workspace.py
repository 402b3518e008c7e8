"""The workspace itself: what it holds, and the writes that change it (import, analyze, collect),
run as background jobs whose state /api/v1/jobs/{id} reports."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, UploadFile

from microscout.contracts import InfoOut
from microscout.sentences import render
from microscout.translations import known
from microscout.web.api.common import ERRORS, ApiContext, ApiError, analyze_reporting, answers
from microscout.web.models import CollectIn, JobOut


def router(ctx: ApiContext) -> APIRouter:
    """The workspace's info. Its jobs are a router of their own (jobs_router) because the OpenAPI
    document has always listed info first and the jobs after the computations."""
    api = APIRouter()

    @api.get("/api/v1/info", **answers(InfoOut), dependencies=[Depends(ctx.reader)], tags=["workspace"])
    def info() -> dict[str, Any]:
        """Rows per table, accounts per platform, every import (the info contract)."""
        return ctx.read(("info",), lambda ws: ws.info())

    return api


def jobs_router(ctx: ApiContext) -> APIRouter:
    api = APIRouter()

    @api.post("/api/v1/imports", dependencies=[Depends(ctx.writer)], status_code=202, responses=ERRORS,
              tags=["workspace"])
    def import_bundle(file: Annotated[UploadFile, File(description="A bundle as a .zip")]) -> JobOut:
        """Upload a bundle (.zip, at most 512 MiB): imported, then analysed, as a background job."""
        return JobOut.model_validate(ctx.start_upload(file))

    @api.post("/api/v1/analyze", dependencies=[Depends(ctx.writer)], status_code=202, responses=ERRORS,
              tags=["workspace"])
    def analyze() -> JobOut:
        """Bring every creator's figures up to date, as a background job."""
        def run(progress: Any) -> dict[str, Any]:
            with ctx.gate.write() as ws:
                result = analyze_reporting(ws, progress, 0.0, 1.0)
            return {"creators": result.creators, "seconds": round(result.seconds, 2)}

        return JobOut.model_validate(ctx.jobs.start("analyze", run))

    @api.post("/api/v1/collect", dependencies=[Depends(ctx.writer)], status_code=202, responses=ERRORS,
              tags=["workspace"])
    def collect(body: CollectIn) -> JobOut:
        """Collect from a platform's API, as `microscout collect` does, into a bundle beside the
        workspace file (microscout-collect/PLATFORM-DATE-HASH), then import and analyse it, as a
        background job: its step says what is being fetched ("bluesky: creators 3/50")."""
        return JobOut.model_validate(ctx.start_collect(body.platform, body.request()))

    @api.get("/api/v1/jobs/{job_id}", dependencies=[Depends(ctx.reader)], responses=ERRORS, tags=["workspace"])
    def job(job_id: str, lang: str | None = None) -> JobOut:
        """A background job's state (queued, running, done, failed), step and progress (0..1);
        with `lang` (en, de, pl, da, nl), `step_said`: the step in that language."""
        found = ctx.jobs.get(job_id)
        if found is None:
            raise ApiError(404, f"no job '{job_id}'")
        said = {"step_said": render(found["step"], chosen)} if (chosen := known(lang)) is not None else {}
        return JobOut.model_validate({**found, **said})

    return api
