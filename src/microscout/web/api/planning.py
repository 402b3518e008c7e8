"""Planning: how to spend a brief's budget."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from microscout.contracts import PlanOut
from microscout.web.api.common import ApiContext, answers
from microscout.web.exports import csv_response
from microscout.web.models import BriefIn


def router(ctx: ApiContext) -> APIRouter:
    api = APIRouter(dependencies=[Depends(ctx.reader)], tags=["planning"])

    @api.post("/api/v1/plan", **answers(PlanOut, "csv"))
    def plan(brief: BriefIn, format: str = Query("json", pattern="^(json|csv)$")) -> Any:
        """How to spend the brief's budget (the plan contract)."""
        with ctx.gate.read() as ws:
            record = ws.plan(brief.as_dict())
        if format == "csv":
            return csv_response(record["picks"], "plan.csv")
        return record

    return api
