"""What a campaign earned: its posts, reach, engagements and returns, per creator and per tier.

A campaign is a period and what marks its posts: hashtags, brand handles mentioned (or tagged as
a hashtag), discount codes and tracking links found in the caption. A post counts when it falls
in the period and carries any of them. Figures (all documented in docs/campaigns.md):

- views: the posts' views where the platform reports them;
- engagements: likes + comments + shares + saves (unknown counts left out);
- engagement rate: engagements / followers, the mean over the creator's campaign posts;
- earned media value (EMV): engagements × value per engagement + views / 1,000 × value per
  1,000 views (settings `emv_per_engagement`, `emv_per_1000_views`);
- cost: the fee agreed in the brand's relationship with the creator;
- conversions and revenue: orders (a CSV of code or link, revenue, date) matched to the creator
  whose relationship holds that discount code or tracking link;
- partners (a relationship at agreed, live or completed) make the campaign's figures; posts by
  anyone else that carry its marks are user-generated, counted apart (they cost nothing and need
  no ad disclosure); the brand's own accounts are neither;
- CPM = cost / views × 1,000, cost per engagement, cost per acquisition = cost / conversions,
  return = (revenue − cost) / cost.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any

import ibis.expr.types as ir
import pandas as pd

from microscout.exceptions import MicroscoutError
from microscout.metrics.window import KEY

EMV_PER_ENGAGEMENT = 0.10
EMV_PER_1000_VIEWS = 5.0


@dataclass(frozen=True)
class Campaign:
    name: str
    start: datetime
    end: datetime
    hashtags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    emv_per_engagement: float = EMV_PER_ENGAGEMENT
    emv_per_1000_views: float = EMV_PER_1000_VIEWS
    costs: dict[tuple[str, str], float] = field(default_factory=dict)
    partners: frozenset[tuple[str, str]] = frozenset()
    own_accounts: frozenset[str] = frozenset()  # the brand's handles: its own posts are no campaign posts


def define_campaign(brand: str, first: date, last: date, *, name: str | None = None, hashtags: Sequence[str] = (),
                    mentions: Sequence[str] = (), codes: Sequence[str] = (), links: Sequence[str] = (),
                    emv_per_engagement: float = EMV_PER_ENGAGEMENT,
                    emv_per_1000_views: float = EMV_PER_1000_VIEWS) -> Campaign:
    """A campaign from its first to its last day (both included); mentions default to the brand."""
    if last < first:
        raise MicroscoutError(f"the last day {last} is before the first {first}")
    return Campaign(name=name or f"{brand} {first} to {last}", start=datetime.combine(first, time()),
                    end=datetime.combine(last + timedelta(days=1), time()), hashtags=tuple(hashtags),
                    mentions=tuple(mentions or (brand,)), codes=tuple(codes), links=tuple(links),
                    emv_per_engagement=emv_per_engagement, emv_per_1000_views=emv_per_1000_views)


def campaign_posts(posts: ir.Table, c: Campaign) -> ir.Table:
    """The campaign's posts: in the period and carrying one of its marks."""
    in_period = posts.filter((posts.created_at >= c.start) & (posts.created_at < c.end))
    tags = [t.lower().lstrip("#") for t in c.hashtags] + [m.lower().lstrip("@") for m in c.mentions]
    handles = [m.lower().lstrip("@") for m in c.mentions]
    marks = []
    if tags:
        marks.append(in_period.hashtags.map(lambda t: t.lower().re_replace(r"^#+", "")).filter(
            lambda t: t.isin(tags)).length() > 0)
    if handles:
        marks.append(in_period.mentions.map(lambda m: m.lower().re_replace(r"^@+", "")).filter(
            lambda m: m.isin(handles)).length() > 0)
    caption = in_period.caption.fill_null("").lower()
    for text in (*c.codes, *c.links):
        marks.append(caption.contains(text.lower()))
    if not marks:
        return in_period.limit(0)
    hit = marks[0]
    for m in marks[1:]:
        hit = hit | m.fill_null(False)
    return in_period.filter(hit.fill_null(False))


def split_user_generated(posts: pd.DataFrame, creators: pd.DataFrame, c: Campaign) -> tuple[pd.DataFrame,
                                                                                              pd.DataFrame]:
    """(partners' posts, user-generated posts); the brand's own posts are left out of both."""
    handles = creators.set_index(["platform", "account_id"]).handle.to_dict() if len(creators) else {}
    own = {h.lower().lstrip("@") for h in c.own_accounts}
    keys = list(zip(posts.platform, posts.account_id, strict=True))
    mine = pd.Series([str(handles.get(k) or "").lower() in own for k in keys], index=posts.index, dtype=bool)
    partner = pd.Series([k in c.partners for k in keys], index=posts.index, dtype=bool)
    return posts[partner & ~mine], posts[~partner & ~mine]


def user_generated(posts: pd.DataFrame, creators: pd.DataFrame, c: Campaign) -> dict[str, Any]:
    """What people outside the paid partnerships posted with the campaign's marks: per creator and
    in total (posts, views, engagements, engagement rate, EMV); no cost, so no returns."""
    if posts.empty:
        return {"creators": 0, "posts": 0, "views": None, "engagements": None, "emv": 0.0, "items": []}
    figures = kpis(posts, creators, None, replace(c, costs={}))
    keep = ("platform", "account_id", "handle", "tier", "followers", "posts", "views", "engagements",
            "engagement_rate", "emv")
    total = figures["total"]
    return {"creators": total["creators"], "posts": total["posts"], "views": total["views"],
            "engagements": total["engagements"], "emv": total["emv"],
            "items": [{k: r.get(k) for k in keep} for r in figures["creators"]]}


def kpis(posts: pd.DataFrame, creators: pd.DataFrame, orders: pd.DataFrame | None, c: Campaign) -> dict[str, Any]:
    """Per creator and per tier, and in total: posts, views, engagements, rate, EMV, cost,
    conversions, revenue, CPM, CPE, CPA and return. `creators`: platform, account_id, handle,
    followers, tier; `orders`: platform, account_id, revenue (already matched to creators), or
    None when no orders were given: then conversions, revenue, CPA and return are unknown (null),
    not zero and −100%."""
    orders_given = orders is not None
    if orders is None:
        orders = empty_orders()
    p = posts.copy()
    counts = p[["likes", "comments", "shares", "saves"]].apply(pd.to_numeric, errors="coerce")
    p["engagements"] = counts.sum(axis=1, min_count=1)
    p["views"] = pd.to_numeric(p.get("views"), errors="coerce")
    p = p.merge(creators, on=KEY, how="left")
    p["rate"] = p.engagements / p.followers.where(p.followers > 0)
    per = p.groupby(KEY, as_index=False).agg(handle=("handle", "first"), tier=("tier", "first"),
                                             followers=("followers", "first"), posts=("post_id", "count"),
                                             views=("views", lambda s: s.sum(min_count=1)),
                                             engagements=("engagements", lambda s: s.sum(min_count=1)),
                                             engagement_rate=("rate", "mean"))
    sold = orders.groupby(KEY, as_index=False).agg(conversions=("revenue", "count"), revenue=("revenue", "sum"))
    # a creator whose code sold without a tracked post still counts
    per = per.merge(sold, on=KEY, how="outer").fillna({"conversions": 0, "revenue": 0.0, "posts": 0})
    known = creators.set_index(KEY)
    for column in ("handle", "tier", "followers"):
        missing = per[column].isna()
        if not missing.any():
            continue
        per[column] = per[column].astype(object)
        per.loc[missing, column] = [known[column].get((a, b)) for a, b in
                                    zip(per.platform[missing], per.account_id[missing], strict=True)]
    per["cost"] = [c.costs.get((a, b)) for a, b in zip(per.platform, per.account_id, strict=True)]
    rows = [_figures(r, c, orders_given) for r in per.to_dict("records")]
    tiers = []
    for tier, g in per.groupby(per.tier.fillna("unknown")):
        tiers.append(_figures({"tier": tier, "creators": len(g), **_sums(g)}, c, orders_given))
    total = _figures({"creators": len(per), **_sums(per)}, c, orders_given)
    return {"campaign": c.name, "start": c.start.isoformat(), "end": c.end.isoformat(),
            "last_day": (c.end - timedelta(microseconds=1)).date().isoformat(), "total": total,
            "tiers": tiers, "creators": sorted(rows, key=lambda r: -(r["engagements"] or 0))}


def _sums(g: pd.DataFrame) -> dict[str, Any]:
    costs = g.cost.dropna()
    return {"posts": int(g.posts.sum()), "views": g.views.sum(min_count=1), "engagements": g.engagements.sum(min_count=1),
            "engagement_rate": g.engagement_rate.mean(), "conversions": int(g.conversions.sum()),
            "revenue": float(g.revenue.sum()), "cost": float(costs.sum()) if len(costs) else None}


def _figures(r: dict[str, Any], c: Campaign, orders_given: bool = True) -> dict[str, Any]:
    def num(x: Any) -> float | None:
        return None if x is None or pd.isna(x) else float(x)

    views, eng, cost, conv, revenue = (num(r.get(k)) for k in ("views", "engagements", "cost", "conversions", "revenue"))
    emv = (eng or 0.0) * c.emv_per_engagement + (views or 0.0) / 1000 * c.emv_per_1000_views
    out = {k: v for k, v in r.items() if k not in ("views", "engagements", "cost", "conversions", "revenue")}
    out.update({"posts": int(r.get("posts") or 0), "views": views, "engagements": eng,
                "engagement_rate": num(r.get("engagement_rate")), "emv": round(emv, 2), "cost": cost,
                "conversions": int(conv or 0), "revenue": round(revenue or 0.0, 2),
                "cpm": round(cost / views * 1000, 2) if cost is not None and views else None,
                "cost_per_engagement": round(cost / eng, 4) if cost is not None and eng else None,
                "cost_per_acquisition": round(cost / conv, 2) if cost is not None and conv else None,
                "return": round(((revenue or 0.0) - cost) / cost, 4) if cost else None})
    if not orders_given:
        out.update({"conversions": None, "revenue": None, "cost_per_acquisition": None, "return": None})
    return out


def tracked_posts(posts: ir.Table, c: Campaign) -> pd.DataFrame:
    cols = ["platform", "post_id", "account_id", "created_at", "caption", "url", "likes", "comments", "shares",
            "saves", "views", "is_paid_partnership"]
    return campaign_posts(posts, c).select(*cols).execute()


def empty_orders() -> pd.DataFrame:
    return pd.DataFrame({"platform": pd.Series(dtype=str), "account_id": pd.Series(dtype=str),
                         "revenue": pd.Series(dtype=float)})

