"""Campaigns: the brand's relationships with creators (pipeline, one relationship, edits), the
reminders they raise, and a campaign's tracked results."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from fastapi import APIRouter, Depends, Query

from microscout.campaigns.relationships import due_reminders
from microscout.campaigns.report import report_rows
from microscout.campaigns.track import track_orders_text
from microscout.contracts import Change, Relationship, Reminder, TrackOut
from microscout.web.api.common import ERRORS, ApiContext, ApiError, answers
from microscout.web.exports import csv_response, report_download
from microscout.web.models import CampaignIn, ErrorOut, RelationshipEdit


def router(ctx: ApiContext) -> APIRouter:
    api = APIRouter(tags=["campaigns"])

    @api.get("/api/v1/relationships", **answers(list[Relationship], "csv"), dependencies=[Depends(ctx.reader)])
    def pipeline(brand: str = Query(..., min_length=1), format: str = Query("json", pattern="^(json|csv)$")) -> Any:
        """The brand's relationships with creators, in pipeline order; format=csv for a file."""
        with ctx.gate.read() as ws:
            records = ws.pipeline(brand)
        return csv_response(records, "relationships.csv") if format == "csv" else records

    @api.get("/api/v1/relationships/{platform}/{account_id:path}", **answers(Relationship | list[Change]),
             dependencies=[Depends(ctx.reader)])
    def relationship(platform: str, account_id: str, brand: str = Query(..., min_length=1),
                     history: bool = False) -> Any:
        """One relationship (404 if there is none yet), or with history=true its changes."""
        ref = f"{platform}:{account_id}"
        with ctx.gate.read() as ws:
            if history:
                return ws.relationship_history(ref, brand)
            found = ws.relationship(ref, brand)
        if found is None:
            raise ApiError(404, f"no relationship of {ref} with {brand} yet")
        return found

    @api.put("/api/v1/relationships/{platform}/{account_id:path}",
             **answers(Relationship, errors={**ERRORS, 409: {"model": ErrorOut}}),
             dependencies=[Depends(ctx.writer)])
    def relate(platform: str, account_id: str, edit: RelationshipEdit) -> dict[str, Any]:
        """Change a relationship. `version` is the version the edit was made against (0 for a new one):
        if someone changed it since, 409 and nothing is written."""
        with ctx.gate.write() as ws:
            changed = ws.relate(f"{platform}:{account_id}", edit.brand, edit.changes, edit.version)
            ctx.cache.bump()
            return changed

    @api.get("/api/v1/reminders", **answers(list[Reminder]), dependencies=[Depends(ctx.reader)])
    def reminders(quiet_days: int = Query(60, ge=1, le=3650), due_days: int = Query(7, ge=0, le=3650),
                  today: date | None = None) -> list[dict[str, Any]]:
        """Relationships gone quiet, deliverables due, partnership anniversaries."""
        with ctx.gate.read() as ws:
            return due_reminders(ws, today or datetime.now(UTC).date(), quiet_days, due_days)

    @api.post("/api/v1/campaigns/track", **answers(TrackOut, "csv", "html"), dependencies=[Depends(ctx.reader)])
    def track(spec: CampaignIn, format: str = Query("json", pattern="^(json|csv|html)$"),
              lang: str = Query("en", pattern="^(en|de|pl|da|nl)$",
                                description="format=html: the report's language")) -> Any:
        """A campaign's KPIs per partner, tier and in total, the user-generated posts, and the disclosure
        check; `orders` as rows of code, revenue and ordered_at. format=csv: one row per creator;
        format=html: the shareable report with its charts, in `lang`."""
        campaign = spec.campaign(ctx.workspace.settings)
        with ctx.gate.read() as ws:
            report = track_orders_text(ws, campaign, spec.brand, spec.orders_csv())
        if format == "csv":
            return csv_response(report_rows(report), "campaign.csv")
        if format == "html":
            return report_download(report, spec.marks(), lang)
        return report

    return api
