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
    heavy_brand_count: int = 6             # distinct brands promoted in the posts used
    undisclosed_min_posts: int = 2         # suspected undisclosed ads among the posts used
    generic_share: float = 0.5             # share of sampled top-level comments that are generic
    generic_min_comments: int = 20         # ... with at least this many comments sampled
    # bought followers: the lower end of the 95% interval of the fake-follower share must be at least
    # this with a growth spike, or `bought_fake_share_alone` without one
    bought_fake_share_with_spike: float = 0.2
    bought_fake_share_alone: float = 0.35
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
        *KEY, "handle", "display_name", "followers", "following", "is_private", "verified", "country", "city",
        "language", "category", "as_of", "tier", "newest_post", "posts_in_workspace")
    out = base
    for part in (engagement_rates(used), weekly_growth(history, window.growth_days), spike_counts,
                 activity(posts, creators, window), sponsorship(used), community(tables["comments"], used, accounts)):
        out = attach(out, part, KEY)
    return out.mutate(growth_spikes=out.growth_spikes.fill_null(0)), spikes


def with_benchmarks(metrics: ir.Table) -> tuple[ir.Table, ir.Table]:
    """Add each creator's tier benchmark and its position (vs_tier = rate_median / tier median)."""
    bench = tier_benchmarks(metrics)
    out = attach(metrics, bench, ["platform", "tier"])
    return out.mutate(vs_tier=out.rate_median / out.tier_median.nullif(0)), bench


def with_flags(metrics: ir.Table, rules: FlagRules, window: Window | None = None) -> ir.Table:
    """Caution flags as booleans (fraud flags come from authenticity)."""
    window = window or Window()
    m = metrics
    competitor = ibis.literal(False)
    if rules.competitors:
        comp = ibis.array([c.lower().lstrip("@") for c in rules.competitors])
        competitor = m.brands.intersect(comp).length().fill_null(0) > 0
    flags = dict(
        flag_inactive=m.days_since_last_post.isnull() | (m.days_since_last_post > window.inactive_days),
        flag_private=m.is_private.fill_null(False),
        flag_growth_spike=m.growth_spikes > 0,
        flag_generic_comments=(m.generic_comment_share >= rules.generic_share)
        & (m.comments_sampled >= rules.generic_min_comments),
        flag_heavy_sponsorship=(m.sponsored_share >= rules.heavy_sponsored_share)
        | (m.brand_count >= rules.heavy_brand_count),
        flag_undisclosed_ads=m.undisclosed_suspected >= rules.undisclosed_min_posts,
        flag_competitor_partner=competitor,
        flag_bought_followers=((m.growth_spikes > 0) & (m.fake_follower_share_lo >= rules.bought_fake_share_with_spike))
        | (m.fake_follower_share_lo >= rules.bought_fake_share_alone),
    )
    # a figure that cannot be computed raises no flag: false, not unknown
    return m.mutate(**{name: expr.fill_null(False) for name, expr in flags.items()})
