"""Shortlists: every saved one, one with its creators' figures, and adding or removing a creator."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from microscout.contracts import ShortlistMember, ShortlistOut
from microscout.web.api.common import ApiContext, answers
from microscout.web.exports import csv_response
from microscout.web.models import ShortlistItem


def router(ctx: ApiContext) -> APIRouter:
    api = APIRouter(tags=["shortlists"])

    @api.get("/api/v1/shortlists", **answers(dict[str, list[ShortlistMember]]), dependencies=[Depends(ctx.reader)])
    def get_shortlists() -> dict[str, Any]:
        """Every saved shortlist: name → its creators."""
        with ctx.gate.read() as ws:
            return ws.shortlists()

    @api.get("/api/v1/shortlists/{name}", **answers(ShortlistOut, "csv"), dependencies=[Depends(ctx.reader)])
    def get_shortlist(name: str, format: str = Query("json", pattern="^(json|csv)$")) -> Any:
        """One shortlist's creators with tier, followers, engagement, audience quality, flags and
        contact; format=csv for a file."""
        rows = ctx.read(("shortlist", name), lambda ws: ws.shortlist(name))
        return csv_response(rows, "shortlist.csv") if format == "csv" else {"name": name, "items": rows}

    @api.post("/api/v1/shortlists/{name}", **answers(dict[str, list[ShortlistMember]]),
              dependencies=[Depends(ctx.writer)])
    def add_to_shortlist(name: str, item: ShortlistItem) -> dict[str, Any]:
        """Add a creator (`ref`: platform:account_id or platform:@handle) to a shortlist, or remove it."""
        with ctx.gate.write() as ws:
            (ws.remove_from_shortlist if item.remove else ws.add_to_shortlist)(name, item.ref)
            ctx.cache.bump()
            return ws.shortlists()

    return api
