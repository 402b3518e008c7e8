"""Engagement pods: creators who systematically comment on each other's posts within minutes.

Two creators form a *pod tie* when each commented on a large share of the other's sampled posts
and did so quickly (a pod's members are told when a post goes up and comment at once, to lift
it in the feed). Friends who comment on some posts, hours later, do not qualify. The ties are
computed set-based in the database; the few that exist are grouped into pods by community
detection (Leiden, from igraph) on each platform, and every group of at least `min_members`
creators is reported with its members.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import igraph
import pandas as pd

from microscout.metrics.window import KEY

POD_COLUMNS = {"platform": "string", "account_id": "string", "pod_id": "string", "pod_size": "int64",
               "pod_members": "array<string>", "pod_ties": "int64", "pod_coverage": "float64",
               "pod_median_minutes": "float64"}


@dataclass(frozen=True)
class PodRules:
    min_coverage: float = 0.4       # commented on at least this share of the other's sampled posts
    max_median_minutes: float = 60  # with a median delay after posting of at most this
    min_members: int = 3            # a pair of quick friends is not a pod
    seed: int = 7                   # Leiden is randomised; a fixed seed gives the same pods each run


def pod_ties(top: ir.Table, creators: ir.Table, rules: PodRules) -> ir.Table:
    """Mutual quick comment ties between creators: (platform, a, b, coverage, median_minutes) with a < b;
    `top` is comments.top_level_comments (with posted_at)."""
    authors = creators.select("platform", author_id="account_id")
    c = top.join(authors, ["platform", "author_id"])
    c = c.mutate(_minutes=(c.created_at.epoch_seconds() - c.posted_at.epoch_seconds()).cast("float64") / 60.0)
    sampled = top.group_by(["platform", "owner"]).agg(_sampled=top.post_id.nunique())
    edges = c.group_by(["platform", "author_id", "owner"]).agg(_posts=c.post_id.nunique(),
                                                               _minutes=c._minutes.median())
    edges = edges.join(sampled, ["platform", "owner"])
    edges = edges.mutate(_coverage=edges._posts.cast("float64") / edges._sampled.cast("float64"))
    strong = edges.filter((edges._coverage >= rules.min_coverage) & (edges._minutes <= rules.max_median_minutes))
    strong = strong.select("platform", src="author_id", dst="owner", cov="_coverage", mins="_minutes")
    back = strong.select(platform2="platform", src2="src", dst2="dst", cov2="cov", mins2="mins")
    mutual = strong.join(back, [strong.platform == back.platform2, strong.src == back.dst2,
                                strong.dst == back.src2])
    mutual = mutual.filter(mutual.src < mutual.dst)
    return mutual.select("platform", a=mutual.src, b=mutual.dst,
                         coverage=ibis.least(mutual.cov, mutual.cov2),
                         median_minutes=ibis.greatest(mutual.mins, mutual.mins2))


def find_pods(ties: pd.DataFrame, handles: dict[tuple[str, str], str], rules: PodRules) -> pd.DataFrame:
    """Group the tie graph of each platform into pods; one row per member (POD_COLUMNS)."""
    rows: list[dict[str, object]] = []
    igraph.set_random_number_generator(random.Random(rules.seed))
    try:
        for platform, group in ties.groupby("platform", sort=True):
            g = igraph.Graph.DataFrame(group[["a", "b", "coverage", "median_minutes"]], directed=False, use_vids=False)
            parts = g.community_leiden(objective_function="modularity", n_iterations=-1)
            for members in parts:
                if len(members) < rules.min_members:
                    continue
                sub = g.subgraph(members)
                ids = sorted(str(sub.vs[i]["name"]) for i in range(sub.vcount()))
                names = [handles.get((str(platform), i)) or i for i in ids]
                pod_id = f"{platform}:{ids[0]}"
                for v in sub.vs:
                    own = sub.es[sub.incident(v.index)]
                    rows.append({"platform": platform, "account_id": str(v["name"]), "pod_id": pod_id,
                                 "pod_size": len(ids), "pod_members": names, "pod_ties": len(own),
                                 "pod_coverage": float(pd.Series(own["coverage"]).median()),
                                 "pod_median_minutes": float(pd.Series(own["median_minutes"]).median())})
    finally:
        igraph.set_random_number_generator(random)  # igraph's default
    return pd.DataFrame(rows, columns=list(POD_COLUMNS)).astype(
        {k: v for k, v in POD_COLUMNS.items() if v in ("int64", "float64")})


def pods_table(ties: pd.DataFrame, creators: pd.DataFrame, rules: PodRules) -> ir.Table:
    """The pods as an Ibis table, ready to be saved in the workspace."""
    handles = {(p, a): h for p, a, h in creators[[*KEY, "handle"]].itertuples(index=False) if h}
    found = find_pods(ties, handles, rules)
    return ibis.memtable(found, schema=ibis.schema(POD_COLUMNS))
