"""The output contracts (SCHEMA.md: info, vet, scout, plan; and the shapes of track, shortlists,
relationships, reminders, fakes) as pydantic models.

The REST API declares them as response models, so its OpenAPI document says what every answer
holds and the property-based API test checks each answer against it. Every model allows keys it
does not name: SCHEMA.md lets the product add keys to a contract, never remove or retype them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class Contract(BaseModel):
    model_config = ConfigDict(extra="allow")


# -- info ------------------------------------------------------------------------------------
class TableRows(Contract):
    rows: int


class PlatformAccounts(Contract):
    accounts: int


class ImportRecord(Contract):
    import_id: int
    source: str
    origin: str | None = None
    collected_at: str | None = None
    imported_at: str | None = None
    rows: int
    rows_per_table: dict[str, int]


class InfoOut(Contract):
    tables: dict[str, TableRows]
    platforms: dict[str, PlatformAccounts]
    imports: list[ImportRecord]
    backend: str | None = None


class AccountIds(Contract):
    platform: str
    account_id: str


# -- vet ------------------------------------------------------------------------------------
class Spike(Contract):
    at: str | None
    followers_added: int


class Engagement(Contract):
    rate_median: float | None
    rate_mean: float | None
    posts_used: int
    tier_benchmark_median: float | None
    vs_tier: float | None
    tier_benchmark_sample: int | None = None


class Growth(Contract):
    weekly_rate: float | None
    spikes: list[Spike]


class Activity(Contract):
    posts_per_week: float | None
    posting_regularity: float | None = None
    days_since_last_post: float | None = None


class Sponsorship(Contract):
    sponsored_share: float | None
    brands: list[str]
    undisclosed_suspected: int | None


class Community(Contract):
    repeat_commenter_share: float | None
    reply_rate: float | None
    generic_comment_share: float | None


class MixValue(Contract):
    value: str
    share: float


class MixDimension(Contract):
    source: Literal["platform", "followers"]
    sample: int | None
    values: list[MixValue]


class Breakdown(Contract):
    country: MixDimension | None
    language: MixDimension | None
    gender: MixDimension | None
    age: MixDimension | None


class QualityParts(Contract):
    followers: float | None
    commenters: float | None
    weights: dict[str, float]


class Audience(Contract):
    quality_score: int | None
    fake_follower_share: float | None
    fake_follower_share_ci: list[float] | None
    sample_size: int | None
    quality_parts: QualityParts | None = None
    breakdown: Breakdown | None = None


class Contact(Contract):
    public: str | None
    website: str | None


class VetOut(Contract):
    platform: str
    account_id: str
    handle: str | None
    followers: int | None
    as_of: str | None
    tier: str | None
    tier_scheme: str
    engagement: Engagement
    growth: Growth
    activity: Activity | None = None
    sponsorship: Sponsorship
    community: Community
    audience: Audience
    flags: list[str]
    flag_reasons: dict[str, str]
    reasons: list[str]
    contact: Contact | None = None


class CreatorRow(Contract):
    """One creator in a listing: the vet keys without sub-objects (SCHEMA.md: REST paths)."""

    platform: str
    account_id: str
    handle: str | None
    followers: int | None
    as_of: str | None
    tier: str | None
    tier_scheme: str
    engagement_rate: float | None
    audience_quality: int | None
    flags: list[str]
    flag_reasons: dict[str, str]


class CreatorsOut(Contract):
    items: list[CreatorRow]
    total: int


# -- scout and the other discovery modes -------------------------------------------------------
class Parts(Contract):
    relevance: float | None
    place: float | None
    authenticity: float | None
    engagement: float | None
    community: float | None
    audience_match: float | None
    brand_fit: float | None


class ScoutResult(Contract):
    rank: int
    platform: str
    account_id: str
    handle: str | None
    tier: str | None
    followers: int | None
    score: float
    parts: Parts
    flags: list[str]
    flag_reasons: dict[str, str]
    reasons: list[str]


class ScoutOut(Contract):
    brief: str
    results: list[ScoutResult]


class TopCreator(Contract):
    platform: str
    account_id: str
    handle: str | None
    followers: int | None
    posts: int


class CoTag(Contract):
    hashtag: str
    posts: int


class Hashtag(Contract):
    rank: int
    hashtag: str
    posts: int
    creators: int
    score: float
    co_tags: list[CoTag]
    top_creators: list[TopCreator]


class HashtagsOut(Contract):
    topic: str | None
    location: str | None
    niche_creators: int
    hashtags: list[Hashtag]


# -- plan -------------------------------------------------------------------------------------
class Pick(Contract):
    platform: str
    account_id: str
    handle: str | None
    tier: str | None
    followers: int | None
    posts: int
    cost: float
    unique_reach_added: int
    expected_engagements: int
    score: float | None
    flags: list[str]


class Strategy(Contract):
    strategy: str
    spent: float
    unique_reach: int
    expected_engagements: int
    note: str | None = None


class Overlap(Contract):
    accounts: list[str]
    shared_followers: list[list[int]]
    jaccard: list[list[float]]


class PlanOut(Strategy):
    budget: float
    currency: str
    objective: str
    method: str
    picks: list[Pick]
    overlap: Overlap | None = None
    alternatives: list[Strategy]


# -- campaigns --------------------------------------------------------------------------------
class Relationship(Contract):
    brand: str
    platform: str
    account_id: str
    handle: str | None = None
    version: int
    updated_at: str | None = None
    stage: str | None = None


class Change(Contract):
    version: int


class Reminder(Contract):
    when: str
    kind: str
    platform: str
    account_id: str
    handle: str | None
    brand: str
    what: str


class TrackFigures(Contract):
    posts: int
    views: float | None
    engagements: float | None
    engagement_rate: float | None
    emv: float
    cost: float | None
    conversions: int | None
    revenue: float | None
    cpm: float | None
    cost_per_engagement: float | None
    cost_per_acquisition: float | None
    # "return" is a Python keyword: declared by its alias
    return_: float | None = Field(None, alias="return")

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class TrackCreator(TrackFigures):
    platform: str
    account_id: str
    handle: str | None
    tier: str | None


class TrackTier(TrackFigures):
    tier: str
    creators: int


class TrackTotal(TrackFigures):
    creators: int


class UserGenerated(Contract):
    creators: int
    posts: int
    emv: float


class ToFix(Contract):
    platform: str
    post_id: str
    handle: str | None
    created_at: str | None
    url: str | None = None
    caption_start: str | None = None
    status: Literal["buried", "missing"]
    reason: str


class Disclosure(Contract):
    ok: int
    buried: int
    missing: int
    to_fix: list[ToFix]


class TrackOut(Contract):
    campaign: str
    start: str
    end: str
    last_day: str
    currency: str
    orders_given: bool
    total: TrackTotal
    tiers: list[TrackTier]
    creators: list[TrackCreator]
    user_generated: UserGenerated
    disclosure: Disclosure


# -- shortlists and fakes -----------------------------------------------------------------------
class ShortlistMember(Contract):
    platform: str
    account_id: str
    handle: str | None
    added_at: str


class ShortlistRow(ShortlistMember):
    tier: str | None
    followers: int | None
    engagement_rate: float | None
    audience_quality: int | None
    flags: list[str]
    contact: str | None
    website: str | None


class ShortlistOut(Contract):
    name: str
    items: list[ShortlistRow]


class FakeScore(Contract):
    platform: str
    account_id: str
    fake_probability: float | None
    is_fake: bool | None
    reasons: list[str]
