"""Request and response shapes for the OpenAPI document. A brief is checked by the product's own
brief parser (its errors name the key and what was expected), so its model only says it is an
object with a required name."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from microscout.campaigns.track import campaign_for
from microscout.exceptions import MicroscoutError

if TYPE_CHECKING:
    from microscout.campaigns.tracking import Campaign
    from microscout.config import Settings
    from microscout.connectors import CollectRequest


class ErrorOut(BaseModel):
    error: str


class JobOut(BaseModel):
    id: str
    kind: str
    state: str
    step: str
    step_said: str | None = None
    progress: float
    created_at: str
    result: dict[str, Any] | None = None
    error: str | None = None
    problems: list[str] | None = None


class BriefIn(BaseModel):
    """A brief as JSON: the same keys as the TOML file (docs/brief.md); `budget` inside for plan."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"example": {
        "name": "Vegan bakery, Berlin launch", "keywords": ["vegan", "kuchen"], "locations": ["Berlin, DE"],
        "budget": 5000}})
    name: str = Field(..., min_length=1)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, **(self.model_extra or {})}


class CollectIn(BaseModel):
    """What `microscout collect` takes, as JSON: the accounts named in exactly one way (handles, a
    search, or the followers of one account), the same limits and defaults."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {
        "platform": "bluesky", "handles": ["lena.bsky.social", "ola.cooks.bsky.social"], "posts": 50}})
    platform: Literal["bluesky", "mastodon", "instagram", "youtube"]
    handles: list[str] | None = Field(None, description="handles or profile URLs, as in a --handles file")
    search: str | None = Field(None, description="accounts found by this search")
    followers_of: str | None = Field(None, description="the followers of this account, collected as creators")
    posts: int = Field(50, ge=0, description="recent posts per account")
    comments: int = Field(20, ge=0, description="posts per account whose replies (comments) are fetched")
    followers: int = Field(200, ge=0, description="follower sample per account, where the API lists followers")
    max_accounts: int = Field(50, ge=1, description="accounts taken from search or followers_of")
    service_url: str | None = Field(None, description="the API's base URL: a self-hosted AppView, a Mastodon "
                                    "instance, a proxy")

    def request(self) -> CollectRequest:
        from microscout.connectors import CollectRequest  # the connectors load when a collection starts

        handles = tuple(h.strip() for h in self.handles or () if h.strip())
        search, followers_of = (self.search or "").strip(), (self.followers_of or "").strip()
        if sum(map(bool, (handles, search, followers_of))) != 1:
            raise MicroscoutError("name the accounts in exactly one way: handles, search or followers_of")
        return CollectRequest(handles=handles, search=search or None, followers_of=followers_of or None,
                              posts=self.posts, comments=self.comments, followers=self.followers,
                              max_accounts=self.max_accounts, service_url=(self.service_url or "").strip() or None)


class AccountRows(RootModel[list[dict[str, Any]]]):
    """Account rows in the bundle's accounts format (platform, account_id, handle, followers, ...)."""

    def write_jsonl(self, path: Path) -> None:
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in self.root), encoding="utf-8")


class ShortlistItem(BaseModel):
    ref: str = Field(..., min_length=1, description="platform:account_id or platform:@handle")
    remove: bool = False


class RelationshipEdit(BaseModel):
    brand: str = Field(..., min_length=1)
    version: int | None = Field(None, ge=0, description="the version this edit was made against; 0: a new one")
    changes: dict[str, Any] = Field(default_factory=dict, description="stage, notes, tags, lists, contact, fee, "
                                    "currency, affiliate_share, discount_code, tracking_link, product, "
                                    "deliverables, deadline, usage_rights, disclosure_required")


class OrderIn(BaseModel):
    code: str
    revenue: float
    ordered_at: str


class CampaignIn(BaseModel):
    brand: str = Field(..., min_length=1)
    start: date
    end: date
    name: str | None = None
    hashtags: list[str] = Field(default_factory=list)
    mentions: list[str] = Field(default_factory=list)
    codes: list[str] = Field(default_factory=list)
    links: list[str] = Field(default_factory=list)
    orders: list[OrderIn] | None = None

    def campaign(self, settings: Settings) -> Campaign:
        return campaign_for(settings, self.brand, self.start, self.end, name=self.name, hashtags=self.hashtags,
                            mentions=self.mentions, codes=self.codes, links=self.links)

    def marks(self) -> dict[str, list[str]]:
        return {"hashtags": self.hashtags, "mentions": self.mentions or [self.brand], "codes": self.codes,
                "links": self.links}

    def orders_csv(self) -> str | None:
        """The orders as the CSV the product reads (so its checks and messages apply)."""
        if self.orders is None:
            return None
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["code", "revenue", "ordered_at"])
        w.writerows([o.code, o.revenue, o.ordered_at] for o in self.orders)
        return buf.getvalue()
