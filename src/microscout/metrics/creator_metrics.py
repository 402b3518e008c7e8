"""All creator figures in one table (creator_metrics), with benchmarks, positions and flags."""

from __future__ import annotations

from dataclasses import dataclass, field

import ibis
import ibis.expr.types as ir

from microscout.metrics.activity import activity
from microscout.metrics.community import community
from microscout.metrics.engagement import engagement_rates, tier_benchmarks
from microscout.metrics.growth import follower_history, growth_spikes, weekly_growth
from microscout.metrics.sponsorship import sponsorship
from microscout.metrics.tiers import TierScheme, with_tiers
from microscout.metrics.window import KEY, Window, attach, creators_as_of, posts_used


@dataclass(frozen=True)
class FlagRules:
    """Thresholds of the caution flags, documented in docs/metrics.md."""

    heavy_sponsored_share: float = 0.4     # disclosed sponsored posts / posts used
    heavy_min_posts: int = 5               # ... over at least this many posts (one paid post of one is no pattern)
    heavy_brand_count: int = 6             # distinct brands promoted in the posts used
    undisclosed_min_posts: int = 2         # suspected undisclosed ads among the posts used
    generic_share: float = 0.5             # share of sampled top-level comments that are generic
    generic_min_comments: int = 20         # ... with at least this many comments sampled
    # bought followers: the lower end of the 95% interval of the fake-follower share must exceed the
    # platform's typical audience (the median creator's fake-follower share) by at least this with a
    # growth spike, or by `bought_fake_share_alone` without one
    bought_fake_share_with_spike: float = 0.1
    bought_fake_share_alone: float = 0.2
    # ... or engagement far under its tier with a fake-leaning sample (large but unengaged audiences
    # alone are common among big genuine accounts, so the sample must point the same way)
    bought_low_vs_tier: float = 0.35
    bought_low_fake_share: float = 0.08
    # bought engagement (likes): the top fifth of posts get e^0.9 ≈ 2.5× the likes per comment of
    # the bottom fifth, over at least 8 posts, while engagement is at least its tier's median and
    # likes per comment at least half the platform's median (a creator whose ratio sits far below
    # it gets extra comments, as in a pod, not extra likes) ...
    likes_spread: float = 0.9
    likes_spread_min_posts: int = 8
    likes_spread_min_vs_tier: float = 1.0
    likes_spread_min_lpc: float = 0.5
    # ... or engagement and likes per comment both far above the usual (every post inflated)
    likes_far_vs_tier: float = 3.0
    likes_per_comment_vs_platform: float = 2.5
    # bought engagement (comments): the lower end of the 95% interval of the share of sampled comments
    # from comment farms, over at least `farm_min_comments` comments
    farm_share: float = 0.2
    farm_min_comments: int = 5
    competitors: tuple[str, ...] = field(default_factory=tuple)


def compute_creator_metrics(tables: dict[str, ir.Table], scheme: TierScheme, window: Window | None = None,
                            ) -> tuple[ir.Table, ir.Table]:
    """(creator_metrics, spikes) for every creator at once."""
    window = window or Window()
    accounts, posts = tables["accounts"], tables["posts"]
    creators = creators_as_of(accounts, posts)
    creators = with_tiers(creators, scheme)
    used = posts_used(posts, creators, window)
    history = follower_history(tables["snapshots"], creators)
    spikes = growth_spikes(history)
    spike_counts = spikes.group_by(KEY).agg(growth_spikes=spikes.count(), last_spike_at=spikes["at"].max())

    base = creators.select(
        *KEY, "handle", "display_name", "followers", "following", "is_private", "is_business", "verified", "country",
        "city",
        "language", "category", "as_of", "tier", "newest_post", "posts_in_workspace")
    out = base
    for part in (engagement_rates(used), weekly_growth(history, window.growth_days), spike_counts,
                 activity(posts, creators, window), sponsorship(used), community(tables["comments"], used, accounts)):
        out = attach(out, part, KEY)
    return out.mutate(growth_spikes=out.growth_spikes.fill_null(0)), spikes


def with_benchmarks(metrics: ir.Table) -> tuple[ir.Table, ir.Table]:
    """Add each creator's tier benchmark and its position (vs_tier = rate_median / tier median), and
    its likes per comment against the platform's median creator (lpc_vs_platform)."""
    bench = tier_benchmarks(metrics)
    out = attach(metrics, bench, ["platform", "tier"])
    known = metrics.filter(metrics.likes_per_comment_median.notnull())
    lpc = known.group_by("platform").agg(platform_likes_per_comment=known.likes_per_comment_median.median())
    out = attach(out, lpc, ["platform"])
    # the fake-follower share of a typical audience here: no model is free of bias on ordinary
    # quiet followers, and bought followers show as an audience far faker than its peers'
    sampled = metrics.filter(metrics.followers_fake_share.notnull())
    typical = sampled.group_by("platform").agg(platform_fake_share=sampled.followers_fake_share.median())
    out = attach(out, typical, ["platform"])
    return out.mutate(vs_tier=out.rate_median / out.tier_median.nullif(0),
                      lpc_vs_platform=out.likes_per_comment_median / out.platform_likes_per_comment.nullif(0)), bench


def with_flags(metrics: ir.Table, rules: FlagRules, window: Window | None = None) -> ir.Table:
    """Caution flags as booleans (fraud flags come from authenticity)."""
    window = window or Window()
    m = metrics
    competitor = ibis.literal(False)
    if rules.competitors:
        comp = ibis.array([c.lower().lstrip("@") for c in rules.competitors])
        competitor = m.brands.intersect(comp).length().fill_null(0) > 0
    excess = m.fake_follower_share_lo - m.platform_fake_share.fill_null(0.0)
    flags = dict(
        flag_inactive=m.days_since_last_post.isnull() | (m.days_since_last_post > window.inactive_days),
        flag_private=m.is_private.fill_null(False),
        flag_growth_spike=m.growth_spikes > 0,
        flag_generic_comments=(m.generic_comment_share >= rules.generic_share)
        & (m.comments_sampled >= rules.generic_min_comments),
        flag_heavy_sponsorship=((m.sponsored_share >= rules.heavy_sponsored_share)
                                & (m.posts_used >= rules.heavy_min_posts))
        | (m.brand_count >= rules.heavy_brand_count),
        flag_undisclosed_ads=m.undisclosed_suspected >= rules.undisclosed_min_posts,
        flag_competitor_partner=competitor,
        flag_bought_followers=((m.growth_spikes > 0) & (excess >= rules.bought_fake_share_with_spike))
        | (excess >= rules.bought_fake_share_alone)
        | ((m.vs_tier <= rules.bought_low_vs_tier) & (excess >= rules.bought_low_fake_share)),
        flag_bought_engagement=bought_likes(m, rules) | comment_farm(m, rules),
        flag_engagement_pod=m.pod_size.notnull(),
    )
    # a figure that cannot be computed raises no flag: false, not unknown
    return m.mutate(**{name: expr.fill_null(False) for name, expr in flags.items()})


def bought_likes(m: ir.Table, rules: FlagRules) -> ir.BooleanValue:
    uneven = ((m.likes_per_comment_spread >= rules.likes_spread) & (m.spread_posts >= rules.likes_spread_min_posts)
              & (m.vs_tier >= rules.likes_spread_min_vs_tier) & (m.lpc_vs_platform >= rules.likes_spread_min_lpc))
    inflated = (m.vs_tier >= rules.likes_far_vs_tier) & (m.lpc_vs_platform >= rules.likes_per_comment_vs_platform)
    return uneven.fill_null(False) | inflated.fill_null(False)


def comment_farm(m: ir.Table, rules: FlagRules) -> ir.BooleanValue:
    return ((m.farm_comment_share_lo >= rules.farm_share)
            & (m.farm_comments_sampled >= rules.farm_min_comments)).fill_null(False)
