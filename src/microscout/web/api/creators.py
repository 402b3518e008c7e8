"""Creators: the filtered list, which account a reference names, and one creator vetted."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from microscout.contracts import AccountIds, CreatorsOut, VetOut
from microscout.web.api.common import ApiContext, answers
from microscout.web.exports import csv_response
from microscout.workspace import MAX_COUNT


def router(ctx: ApiContext) -> APIRouter:
    api = APIRouter(dependencies=[Depends(ctx.reader)], tags=["creators"])

    @api.get("/api/v1/creators", **answers(CreatorsOut, "csv"))
    def creators(platform: str | None = None, tier: str | None = None,
                 min_followers: int | None = Query(None, ge=0, le=MAX_COUNT),
                 max_followers: int | None = Query(None, ge=0, le=MAX_COUNT),
                 q: str | None = None, sort: str = "-followers", limit: int = Query(50, ge=1, le=1000),
                 offset: int = Query(0, ge=0, le=MAX_COUNT), format: str = Query("json", pattern="^(json|csv)$")) -> Any:
        """Creators with filters, sort and pagination: {"items": [...], "total": N}; format=csv for a file."""
        items, total = ctx.read(("creators", platform, tier, min_followers, max_followers, q, sort, limit, offset),
                                lambda ws: ws.creators(platform=platform, tier=tier, min_followers=min_followers,
                                                       max_followers=max_followers, q=q, sort=sort, limit=limit,
                                                       offset=offset))
        if format == "csv":
            return csv_response(items, "creators.csv")
        return {"items": items, "total": total}

    @api.get("/api/v1/accounts/resolve", **answers(AccountIds))
    def resolve(ref: str = Query(..., min_length=1, description="platform:account_id, platform:@handle or @handle")
                ) -> dict[str, str]:
        """Which account a reference names (a bare @handle must name one account only)."""
        with ctx.gate.read() as ws:
            platform, account_id = ws.resolve(ref)
        return {"platform": platform, "account_id": account_id}

    @api.get("/api/v1/creators/{platform}/{account_id:path}", **answers(VetOut))
    def vet(platform: str, account_id: str) -> dict[str, Any]:
        """One creator (the vet contract)."""
        return ctx.read(("vet", platform, account_id), lambda ws: ws.vet(f"{platform}:{account_id}"))

    return api
