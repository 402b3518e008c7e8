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


def engagement_percentile(m: ir.Table) -> ir.Value:
    """Where a creator's median rate stands among the creators of its platform and tier: the share
    below it plus half the share equal to it (mid-rank), so equal rates get equal parts and a
    creator alone in its tier, or at its tier's median, stands at 0.5. Creators without a rate
    are neither counted nor ranked (their own window, whatever the backend's null ordering)."""
    known = m.rate_median.notnull()
    group = [m.platform, m.tier]
    below = ibis.rank().over(group_by=[*group, known], order_by=m.rate_median)
    equal = m.count().over(group_by=[*group, m.rate_median])
    rated = m.rate_median.count().over(group_by=group)
    mid = (below.cast("float64") + 0.5 * equal.cast("float64")) / rated.cast("float64")
    return ibis.ifelse(known, mid, ibis.null("float64"))


def quality_parts(m: ir.Table) -> ir.Table:
    """creator_metrics plus authenticity, engagement, community, brand_fit and engagement_rank
    (a brief's own competitors are applied later, in discovery/scout.py)."""
    m = m.mutate(engagement_rank=engagement_percentile(m))
    authenticity = m.audience_quality.cast("float64") / 100.0
    # regulars who come back, a creator who answers, comments that are not template praise
    community = (0.4 * ibis.least(m.repeat_commenter_share / 0.5, 1.0)
                 + 0.3 * ibis.least(m.reply_rate / 0.5, 1.0)
                 + 0.3 * (1.0 - m.generic_comment_share))
    # a share from a few posts says little: it counts in full from FULL_POSTS posts, like engagement
    trust = ibis.least(m.posts_used.fill_null(0).cast("float64") / FULL_POSTS, 1.0)
    saturation = (ibis.greatest(m.sponsored_share.fill_null(0.0) - SATURATION_FROM, 0.0) / (1.0 - SATURATION_FROM)
                  * trust)
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
