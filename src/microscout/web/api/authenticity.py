"""Authenticity: fake-account scores for account rows the caller sends."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Query

from microscout.contracts import FakeScore
from microscout.web.api.common import ApiContext, answers
from microscout.web.exports import csv_response
from microscout.web.models import AccountRows


def router(ctx: ApiContext) -> APIRouter:
    api = APIRouter(dependencies=[Depends(ctx.reader)], tags=["authenticity"])

    @api.post("/api/v1/fakes", **answers(list[FakeScore], "csv"))
    def fakes(rows: AccountRows, format: str = Query("json", pattern="^(json|csv)$")) -> Any:
        """Fake-account probability and reasons for account rows in the bundle's accounts format."""
        with tempfile.TemporaryDirectory(prefix="microscout-fakes-") as tmp:
            rows.write_jsonl(Path(tmp) / "accounts.jsonl")
            scored = ctx.workspace.scratch_fakes(tmp, ctx.workspace.settings.fake_model)
        if format == "csv":
            return csv_response(scored, "fakes.csv")
        return scored

    return api
