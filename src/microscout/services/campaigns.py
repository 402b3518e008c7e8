"""Campaigns: the brand's relationships with creators, tracking a campaign, and the plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from microscout.brief import Brief, as_brief
from microscout.campaigns import relationships
from microscout.campaigns.track import track_campaign
from microscout.campaigns.tracking import Campaign
from microscout.refs import AccountRef
from microscout.services.discovery import DiscoveryService
from microscout.services.state import WorkspaceState


class CampaignService:
    def __init__(self, state: WorkspaceState, discovery: DiscoveryService) -> None:
        self.state = state
        self.discovery = discovery

    def relationship(self, ref: str | AccountRef, brand: str) -> dict[str, Any] | None:
        """The brand's relationship with a creator (stage, notes, terms, version), or None."""
        return relationships.get(self.state, str(ref), brand)

    def relate(self, ref: str | AccountRef, brand: str, changes: dict[str, Any],
               version: int | None = None) -> dict[str, Any]:
        """Change the relationship; `version` is what the edit was made against (a ConflictError
        if it moved on since; 0 for a new one; None to overwrite whatever is there)."""
        return relationships.update(self.state, str(ref), brand, changes, version)

    def pipeline(self, brand: str) -> list[dict[str, Any]]:
        return relationships.pipeline(self.state, brand)

    def relationship_history(self, ref: str | AccountRef, brand: str) -> list[dict[str, Any]]:
        return relationships.history(self.state, str(ref), brand)

    def track(self, campaign: Campaign, brand: str, orders: str | Path | None = None) -> dict[str, Any]:
        """The campaign's KPIs per creator, per tier and in total (campaigns/tracking.py); costs and
        codes come from the brand's relationships, conversions from an orders CSV."""
        return track_campaign(self.state, campaign, brand, orders)

    def plan(self, brief: Brief | str | Path | dict[str, Any], budget: float | None = None,
             candidates: int | None = None, post_format: str | None = None, exact: bool = False,
             word_of_mouth: float | None = None, prices: dict[str, float] | None = None) -> dict[str, Any]:
        """The plan contract: how to spend `budget` (else the brief's) over scout's best `candidates`
        for the brief, with single_macro and mixed as alternatives; see services/planning.py and
        docs/planner.md. `prices`: negotiated prices per post (account reference → amount in the
        brief's currency) that override the rate card."""
        # the planner's solvers (scipy.optimize) load in a fifth of a second: only when a plan is made
        from microscout.services import planning

        return planning.plan(self.state, self.discovery, as_brief(brief), budget, candidates, post_format, exact,
                             word_of_mouth, prices)
