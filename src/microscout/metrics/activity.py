"""Posting cadence: posts per week, regularity, days since the last post."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from microscout.metrics.window import KEY, Window, attach, posts_in_window

DAY_SECONDS = 86_400.0


def activity(posts: ir.Table, creators: ir.Table, window: Window) -> ir.Table:
    """Per creator, over the posts before as-of (stories included: they are activity):

    - posts_per_week: posts in the last `growth_days` (90) / (90 / 7);
    - days_since_last_post: as_of − newest post before as-of, in days;
    - posting_regularity: 1 − coefficient of variation of the gaps between consecutive posts in
      the last 180 days, floored at 0 (1 = a post every n days like clockwork), null with < 3 posts.
    """
    recent = posts_in_window(posts, creators, window.growth_days)
    per_week = recent.group_by(KEY).agg(_n=recent.count()).mutate(
        posts_per_week=ibis._._n.cast("float64") / (window.growth_days / 7.0)).drop("_n")
    half = posts_in_window(posts, creators, window.days)
    w = ibis.window(group_by=[half.platform, half.account_id], order_by=half.created_at)
    gaps = half.mutate(_gap=(half.created_at.epoch_seconds() - half.created_at.lag().over(w).epoch_seconds())
                       .cast("float64") / DAY_SECONDS)
    gaps = gaps.filter(gaps._gap.notnull())
    regular = gaps.group_by(KEY).agg(_mean=gaps._gap.mean(), _sd=gaps._gap.std(how="pop"), _n=gaps.count())
    regular = regular.mutate(posting_regularity=ibis.ifelse(
        (regular._n >= 2) & (regular._mean > 0), ibis.greatest(1 - regular._sd / regular._mean, 0.0),
        ibis.null("float64"))).select(*KEY, "posting_regularity")
    before = posts.join(creators.select(*KEY, "as_of"), KEY)
    before = before.filter(before.created_at <= before.as_of)
    last = before.group_by(KEY).agg(_last=before.created_at.max(), _as_of=before.as_of.max())
    last = last.mutate(days_since_last_post=(last._as_of.epoch_seconds() - last._last.epoch_seconds())
                       .cast("float64") / DAY_SECONDS).select(*KEY, "days_since_last_post")
    base = creators.select(*KEY)
    out = attach(base, per_week, KEY, ["posts_per_week"])
    out = attach(out, regular, KEY, ["posting_regularity"])
    out = attach(out, last, KEY, ["days_since_last_post"])
    return out.mutate(posts_per_week=out.posts_per_week.fill_null(0.0))
