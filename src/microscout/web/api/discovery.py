"""Discovery: creators ranked for a brief, lookalikes, the brand's mentions, a niche's hashtags."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query

from microscout.contracts import HashtagsOut, ScoutOut
from microscout.web.api.common import ApiContext, answers
from microscout.web.exports import csv_response
from microscout.web.models import BriefIn


def router(ctx: ApiContext) -> APIRouter:
    api = APIRouter(dependencies=[Depends(ctx.reader)], tags=["discovery"])

    @api.post("/api/v1/scout", **answers(ScoutOut, "csv"))
    def scout(brief: BriefIn, limit: int = Query(20, ge=1, le=1000),
              format: str = Query("json", pattern="^(json|csv)$")) -> Any:
        """Creators ranked for a brief (the scout contract)."""
        asked = brief.as_dict()
        record = ctx.read(("scout", json.dumps(asked, sort_keys=True, default=str), limit),
                          lambda ws: ws.scout_records(asked, limit))
        if format == "csv":
            return csv_response(record["results"], "scout.csv")
        return record

    @api.get("/api/v1/similar/{platform}/{account_id:path}", **answers(ScoutOut))
    def similar(platform: str, account_id: str, limit: int = Query(20, ge=1, le=1000),
                platforms: Annotated[list[str] | None, Query(alias="platform")] = None,
                tiers: Annotated[list[str] | None, Query(alias="tier")] = None,
                allow_flags: Annotated[list[str] | None, Query(alias="allow_flag")] = None,
                tier_scheme: str | None = None) -> dict[str, Any]:
        """Lookalikes of a creator (the scout shape)."""
        with ctx.gate.read() as ws:
            return ws.similar(f"{platform}:{account_id}", limit, platforms, tiers, tuple(allow_flags or ()),
                              tier_scheme)

    @api.get("/api/v1/mentions", **answers(ScoutOut))
    def mentions(handle: Annotated[list[str], Query(min_length=1)], limit: int = Query(20, ge=1, le=1000),
                 allow_flags: Annotated[list[str] | None, Query(alias="allow_flag")] = None) -> dict[str, Any]:
        """People who mention or tag the brand's handles (the scout shape)."""
        with ctx.gate.read() as ws:
            return ws.mentions(handle, limit, tuple(allow_flags or ()))

    @api.get("/api/v1/hashtags", **answers(HashtagsOut))
    def hashtags(topic: str | None = None, location: str | None = None,
                 platforms: Annotated[list[str] | None, Query(alias="platform")] = None,
                 limit: int = Query(20, ge=1, le=1000)) -> dict[str, Any]:
        """A niche's top hashtags, the tags that come with them and the creators behind them."""
        with ctx.gate.read() as ws:
            return ws.niche_hashtags(topic, location, tuple(platforms or ()), limit)

    return api
