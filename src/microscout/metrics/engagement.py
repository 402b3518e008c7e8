"""Engagement rates per creator, and benchmarks per (platform, tier) from the workspace's own creators."""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from microscout.metrics.window import KEY

VIDEO_KINDS = ("video", "reel", "short", "live")
SPREAD_MIN_COMMENTS = 3


def engagement_rates(used: ir.Table) -> ir.Table:
    """Over the posts used (see window.posts_used), per creator:

    - rate_median, rate_mean: median and mean of (likes + comments) / followers;
    - like_to_comment: total likes / total comments;
    - rate_with_shares_saves: median of (likes + comments + shares + saves) / followers over
      posts where shares or saves are known (unknown parts count as 0 on those posts);
    - rate_by_views: median of (likes + comments) / views over video posts with views known;
    - likes_per_comment_median and likes_per_comment_spread over the posts with at least
      SPREAD_MIN_COMMENTS comments: the median of likes / comments, and how far apart the top and
      bottom fifth of posts are (ln of the 80th over the 20th percentile). Likes and comments rise
      and fall together with a post's reach, so the ratio stays steady across a creator's posts;
      likes bought for some posts move it on those posts only. Few comments make the ratio too
      noisy, hence the floor; spread_posts counts the posts it uses.
    A creator with zero followers gets null rates, never infinite ones.
    """
    followers = used.followers.nullif(0).cast("float64")
    interactions = (used.likes + used.comments).cast("float64")
    extended = used.shares.notnull() | used.saves.notnull()
    is_video = used.kind.isin(VIDEO_KINDS) & used.views.notnull() & (used.views > 0)
    p = used.mutate(
        _rate=interactions / followers,
        _rate_ext=ibis.ifelse(extended, (interactions + used.shares.fill_null(0) + used.saves.fill_null(0))
                              / followers, ibis.null("float64")),
        _rate_views=ibis.ifelse(is_video, interactions / used.views.cast("float64"), ibis.null("float64")),
        _lpc=ibis.ifelse((used.comments >= SPREAD_MIN_COMMENTS) & (used.likes > 0),
                         used.likes.cast("float64") / used.comments.cast("float64"), ibis.null("float64")),
    )
    log_lpc = p._lpc.ln()

    return p.group_by(KEY).agg(
        rate_median=p._rate.median(),
        rate_mean=p._rate.mean(),
        posts_used=p.count(),
        likes_total=p.likes.sum(),
        comments_total=p.comments.sum(),
        rate_with_shares_saves=p._rate_ext.median(),
        rate_by_views=p._rate_views.median(),
        likes_per_comment_median=p._lpc.median(),
        likes_per_comment_spread=log_lpc.quantile(0.8) - log_lpc.quantile(0.2),
        spread_posts=p._lpc.count(),

    ).mutate(like_to_comment=ibis._.likes_total.cast("float64") / ibis._.comments_total.nullif(0).cast("float64"))


def tier_benchmarks(metrics: ir.Table) -> ir.Table:
    """Median, quartiles and sample size of rate_median per (platform, tier)."""
    known = metrics.filter(metrics.rate_median.notnull() & metrics.tier.notnull())
    return known.group_by(["platform", "tier"]).agg(
        tier_median=known.rate_median.median(),
        tier_q1=known.rate_median.quantile(0.25),
        tier_q3=known.rate_median.quantile(0.75),
        tier_sample=known.count(),
    )


# Published reference figures, shown beside the workspace's own benchmarks and labelled as such.
REFERENCE_FIGURES: list[dict[str, Any]] = [
    {"source": "common industry rule of thumb (like rate)", "band": "< 1k followers", "rate": 0.08},
    {"source": "common industry rule of thumb (like rate)", "band": "1k–10k followers", "rate": 0.04},
    {"source": "common industry rule of thumb (like rate)", "band": "> 100k followers", "rate": 0.02,
     "note": "below 2%"},
    {"source": "agency study", "band": "1k–5k followers", "rate": 0.05},
    {"source": "2018 study of 37k Instagram accounts", "band": "1k–5k", "rate": 0.0426},
    {"source": "2018 study of 37k Instagram accounts", "band": "5k–20k", "rate": 0.0228},
    {"source": "2018 study of 37k Instagram accounts", "band": "20k–100k", "rate": 0.0162},
    {"source": "2018 study of 37k Instagram accounts", "band": "100k–1M", "rate": 0.0155},
    {"source": "2018 study of 37k Instagram accounts", "band": "> 1M", "rate": 0.0154},
]
