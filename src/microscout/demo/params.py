"""Every behaviour parameter of the demo world, in one documented place.

A test can build a second world with other intensities (`replace(params, bought_followers=...)`)
and a different seed, to check that a score tuned on one world holds on another.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

# Bump when the same seed would produce different bytes.
WORLD_VERSION = 2


@dataclass(frozen=True)
class WorldParams:
    # -- size ---------------------------------------------------------------------------------
    accounts: int = 5_000                 # all accounts, creators and audience together
    creator_share: float = 0.08           # share of accounts that are creators (post regularly)
    brand_share: float = 0.004            # brands (post about their products; have followers)
    fake_share: float = 0.10              # fake accounts (farms) among audience accounts
    follow_sample_cap: int = 150          # follower edges kept per creator (the sample)
    comments_per_post: float = 2.5        # mean comment rows sampled per post
    audience_follows_per_account: int = 3  # edges among ordinary audience accounts
    creators_per_chunk: int = 2_000       # creators generated (and held in memory) at a time
    rows_per_part: int = 1_000_000        # Parquet part size for large tables

    # -- time ---------------------------------------------------------------------------------
    as_of: datetime = datetime(2026, 11, 1, 12, 0, 0)   # collection time of the world
    window_days: int = 365                # posts reach back this far
    snapshot_weeks: int = 26              # weekly follower history per creator

    # -- creators -----------------------------------------------------------------------------
    followers_min: int = 300              # Pareto scale of creator follower counts
    followers_alpha: float = 0.9          # Pareto tail (smaller = heavier tail)
    followers_max: int = 5_000_000
    posts_per_week_median: float = 1.9
    inactive_share: float = 0.05          # creators whose last post is > 60 days before as-of
    private_creator_share: float = 0.01
    # engagement rate (likes + comments) / followers = er_scale[platform] * (followers/1000)^-er_slope
    er_scale: dict[str, float] = field(default_factory=lambda: {
        "instagram": 0.045, "tiktok": 0.07, "youtube": 0.035, "bluesky": 0.03})
    er_slope: float = 0.18
    er_noise_sigma: float = 0.35          # per-creator lognormal spread around the curve
    comment_to_like: tuple[float, float] = (0.02, 0.08)  # per-creator range
    organic_weekly_growth: tuple[float, float] = (0.0, 0.008)
    reply_rate_range: tuple[float, float] = (0.0, 0.6)  # share of comments a creator answers
    loyal_share_range: tuple[float, float] = (0.2, 0.7)  # comments written by a creator's regulars
    natural_fake_follower_share: tuple[float, float] = (0.01, 0.08)
    sponsored_share_range: tuple[float, float] = (0.0, 0.25)
    disclosure_rate: float = 0.85         # sponsored posts that carry a disclosure
    buried_disclosure_rate: float = 0.25  # disclosures placed among trailing hashtags

    # -- fraud (shares of creators) -------------------------------------------------------------
    bought_followers: float = 0.04        # a jump in history and a fake-heavy follower sample
    bought_followers_jump: tuple[float, float] = (0.25, 0.8)   # jump as a share of followers
    bought_followers_fake_share: tuple[float, float] = (0.35, 0.75)
    bought_likes: float = 0.03            # likes inflated on a share of posts, comments not
    bought_likes_factor: tuple[float, float] = (3.0, 10.0)
    comment_farm: float = 0.03            # generic comments from fake accounts
    pods: int = 3                         # engagement pods per 1,000 creators
    pod_size: tuple[int, int] = (8, 16)
    undisclosed_ads: float = 0.05         # creators who post ads with codes and no disclosure
    heavy_sponsorship: float = 0.03       # creators with most posts sponsored, many brands

    # -- hard negatives (shares of creators) ----------------------------------------------------
    viral_spike: float = 0.02             # a genuine viral post and follower jump
    giveaway: float = 0.02                # a giveaway: a wave of genuine followers and comments
    low_engagement_large: float = 0.3     # share of creators >= 500k with naturally low engagement
    friend_groups: int = 4                # friend groups per 1,000 creators (comment, not a pod)
    no_pic_genuine_share: float = 0.08    # genuine audience accounts without a profile picture
    digit_handle_genuine_share: float = 0.15

    # -- roles among audience accounts ----------------------------------------------------------
    employee_share: float = 0.006         # employees who post about their employer
    brand_tagger_share: float = 0.012     # people who tag brands in their own posts

    platform_weights: dict[str, float] = field(default_factory=lambda: {
        "instagram": 0.55, "tiktok": 0.2, "youtube": 0.1, "bluesky": 0.15})
    country_weights: dict[str, float] = field(default_factory=lambda: {
        "DE": 0.3, "PL": 0.15, "DK": 0.08, "NL": 0.14, "FR": 0.17, "GB": 0.1, "US": 0.06})


SIZES: dict[str, WorldParams] = {
    "small": WorldParams(),
    "medium": WorldParams(accounts=100_000, creator_share=0.2, follow_sample_cap=700,
                          creators_per_chunk=2_000),
    "large": WorldParams(accounts=1_000_000, creator_share=0.2, follow_sample_cap=700,
                         creators_per_chunk=2_000, rows_per_part=2_000_000),
}
