"""Follower growth from the snapshots, and spikes far outside an account's own history."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from microscout.metrics.window import KEY

DAY_SECONDS = 86_400.0


def follower_history(snapshots: ir.Table, creators: ir.Table) -> ir.Table:
    """Snapshots up to as-of, plus the account's own count at as-of as the newest point."""
    c = creators.select(*KEY, "as_of", "followers")
    snaps = snapshots.join(c.select(*KEY, "as_of"), KEY)
    snaps = snaps.filter(snaps["at"] <= snaps.as_of).select(*KEY, "at", "followers", "as_of")
    current = c.filter(c.followers.notnull() & c.as_of.notnull()).select(
        *KEY, at=c.as_of, followers=c.followers, as_of=c.as_of)
    both = snaps.union(current, distinct=False)
    # a snapshot taken at as-of and the account's count are one point
    return both.distinct(on=[*KEY, "at"], keep="first")


def weekly_growth(history: ir.Table, days: int) -> ir.Table:
    """weekly_rate = (last / first) ^ (7 / days between them) − 1 over the points of the last `days`."""
    h = history.filter(history["at"] > history.as_of - ibis.interval(days=days))
    g = h.group_by(KEY).agg(
        _first=h.followers.argmin(h["at"]), _last=h.followers.argmax(h["at"]),
        _t0=h["at"].min().epoch_seconds(), _t1=h["at"].max().epoch_seconds(), growth_points=h.count(),
    )
    span_days = (g._t1 - g._t0).cast("float64") / DAY_SECONDS
    ok = (span_days > 0) & (g._first > 0)
    rate = ibis.ifelse(ok, (g._last.cast("float64") / g._first.nullif(0).cast("float64")) ** (7.0 / span_days) - 1,
                       ibis.null("float64"))
    return g.mutate(weekly_rate=rate, growth_days=ibis.ifelse(ok, span_days, ibis.null("float64"))).drop(
        "_first", "_last", "_t0", "_t1")


def follower_jumps(history: ir.Table) -> ir.Table:
    """Each step between consecutive points: followers added and the gain relative to before."""
    w = ibis.window(group_by=[history.platform, history.account_id], order_by=history["at"])
    steps = history.mutate(_prev=history.followers.lag().over(w))
    steps = steps.filter(steps._prev.notnull())
    return steps.mutate(
        followers_added=steps.followers - steps._prev,
        gain=ibis.ifelse(steps._prev > 0, (steps.followers - steps._prev).cast("float64") / steps._prev.cast("float64"),
                         ibis.null("float64")),
    ).drop("_prev")


def growth_spikes(history: ir.Table, min_gain: float = 0.1, mad_factor: float = 6.0,
                  min_added: int = 50) -> ir.Table:
    """Steps far outside the account's own history.

    A step is a spike when its relative gain is at least `min_gain` (10%), exceeds the
    account's median step gain by `mad_factor` (6) median absolute deviations, and adds at
    least `min_added` followers. Accounts with fewer than 4 steps have no history to compare
    against: only the first and last rules apply.
    """
    steps = follower_jumps(history)
    med = steps.group_by(KEY).agg(_med=steps.gain.median(), _steps=steps.count())
    s = steps.join(med, KEY)
    s = s.mutate(_dev=(s.gain - s._med).abs())
    mad = s.group_by(KEY).agg(_mad=s._dev.median())
    s = s.join(mad, KEY)
    far = ibis.ifelse(s._steps >= 4, s.gain > s._med + mad_factor * s._mad, True)
    return s.filter((s.gain >= min_gain) & far & (s.followers_added >= min_added)).select(
        *KEY, "at", "followers_added", "gain")
