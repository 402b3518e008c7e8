"""The score parts that come from a creator's own figures (creator_metrics): authenticity,
engagement, community and brand fit, each in 0..1 (docs/discovery.md gives the formulas)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

# brand_fit penalties
SATURATION_FROM = 0.3       # disclosed ads above this share of recent posts start to cost
COMPETITOR_PENALTY = 0.5
UNDISCLOSED_PENALTY = 0.3
FULL_POSTS = 10             # posts used from which the engagement percentile counts in full


def quality_parts(m: ir.Table) -> ir.Table:
    """creator_metrics plus authenticity, engagement, community, brand_fit and engagement_rank
    (a brief's own competitors are applied later, in discovery/scout.py)."""
    rank = ibis.percent_rank().over(group_by=[m.platform, m.tier], order_by=m.rate_median)
    m = m.mutate(engagement_rank=ibis.ifelse(m.rate_median.notnull(), rank, ibis.null("float64")))
    authenticity = m.audience_quality.cast("float64") / 100.0
    # regulars who come back, a creator who answers, comments that are not template praise
    community = (0.4 * ibis.least(m.repeat_commenter_share / 0.5, 1.0)
                 + 0.3 * ibis.least(m.reply_rate / 0.5, 1.0)
                 + 0.3 * (1.0 - m.generic_comment_share))
    saturation = ibis.greatest(m.sponsored_share.fill_null(0.0) - SATURATION_FROM, 0.0) / (1.0 - SATURATION_FROM)
    fit = (1.0 - saturation
           - ibis.ifelse(m.flag_competitor_partner, COMPETITOR_PENALTY, 0.0)
           - ibis.ifelse(m.flag_undisclosed_ads, UNDISCLOSED_PENALTY, 0.0))
    return m.mutate(
        authenticity=authenticity,
        # a percentile from a few posts says little: it is drawn towards the middle until FULL_POSTS
        engagement=0.5 + (m.engagement_rank - 0.5) * ibis.least(m.posts_used.cast("float64") / FULL_POSTS, 1.0),
        community=ibis.ifelse(m.comments_sampled.fill_null(0) > 0, community, ibis.null("float64")),
        brand_fit=ibis.greatest(fit, 0.0),
    )
