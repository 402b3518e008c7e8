"""The core creator metrics written in vectorised pandas: the baseline for bench/analyze_speed.py.

Same definitions as microscout.metrics (docs/metrics.md): posts used, engagement rates,
activity, weekly growth, sponsorship (disclosure, undisclosed suspicion), community and tier
benchmarks. Spikes, regularity and brand lists are left out, so the comparison favours pandas.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from microscout.metrics.community import GENERIC_PATTERN
from microscout.metrics.disclosure import DISCLOSURE_PHRASES, DISCLOSURE_TAGS, PROMOTION_PATTERN
from microscout.metrics.tiers import PRESETS

KEY = ["platform", "account_id"]


def _py_regex(pattern: str) -> str:
    # Python's re has no \p{L}; [^\W\d_] is a Unicode letter, [^\W_] a letter or digit
    return pattern.replace(r"[^\p{L}\p{N}]", r"[\W_]").replace(r"[^\p{L}\p{N}_]", r"\W").replace("(?i)", "")


def pandas_metrics(accounts: pd.DataFrame, posts: pd.DataFrame, comments: pd.DataFrame,
                   snapshots: pd.DataFrame) -> pd.DataFrame:
    newest = posts.groupby(KEY, sort=False).created_at.max().rename("newest_post").reset_index()
    c = accounts.merge(newest, on=KEY)
    c["as_of"] = c.collected_at.fillna(c.newest_post)
    scheme = PRESETS["default"]
    bounds = [lower for _, lower in scheme.bands]
    names = ["emerging"] + [n for n, _ in scheme.bands]
    c["tier"] = np.array(names)[np.searchsorted(bounds, c.followers.to_numpy(), side="right")]

    p = posts.merge(c[[*KEY, "as_of", "followers"]], on=KEY)
    in180 = (p.created_at <= p.as_of) & (p.created_at > p.as_of - pd.Timedelta(days=180))
    used = p[in180 & (p.kind.isna() | (p.kind != "story")) & p.likes.notna() & p.comments.notna()]
    used = used.sort_values([*KEY, "created_at", "post_id"], ascending=[True, True, False, True])
    used = used.groupby(KEY, sort=False).head(30).copy()
    used["rate"] = (used.likes + used.comments) / used.followers.replace(0, np.nan)
    g = used.groupby(KEY, sort=False)
    eng = g.agg(rate_median=("rate", "median"), rate_mean=("rate", "mean"), posts_used=("rate", "size"),
                likes_total=("likes", "sum"), comments_total=("comments", "sum")).reset_index()
    eng["like_to_comment"] = eng.likes_total / eng.comments_total.replace(0, np.nan)

    in90 = (p.created_at <= p.as_of) & (p.created_at > p.as_of - pd.Timedelta(days=90))
    act = p[in90].groupby(KEY, sort=False).size().rename("n").reset_index()
    act["posts_per_week"] = act.n / (90 / 7)
    before = p[p.created_at <= p.as_of]
    last = before.groupby(KEY, sort=False).agg(last=("created_at", "max"), as_of=("as_of", "max")).reset_index()
    last["days_since_last_post"] = (last.as_of - last["last"]).dt.total_seconds() / 86_400

    s = snapshots.merge(c[[*KEY, "as_of"]], on=KEY)
    s = s[s["at"] <= s.as_of][[*KEY, "at", "followers", "as_of"]]
    cur = c[[*KEY, "as_of", "followers"]].assign(at=c.as_of)
    h = pd.concat([s, cur]).drop_duplicates([*KEY, "at"])
    h = h[h["at"] > h.as_of - pd.Timedelta(days=90)].sort_values([*KEY, "at"])
    gg = h.groupby(KEY, sort=False).agg(first=("followers", "first"), last=("followers", "last"),
                                        t0=("at", "min"), t1=("at", "max")).reset_index()
    days = (gg.t1 - gg.t0).dt.total_seconds() / 86_400
    ok = (days > 0) & (gg["first"] > 0)
    gg["weekly_rate"] = np.where(ok, (gg["last"] / gg["first"].replace(0, np.nan)) ** (7 / days.where(ok)) - 1, np.nan)

    tags = set(DISCLOSURE_TAGS)
    cap = used.caption.fillna("")
    has_tag = used.hashtags.map(lambda t: t is not None and any(x in tags for x in t))
    phrase = "(" + "|".join(p.replace("|", r"\|").replace(".", r"\.") for p in DISCLOSURE_PHRASES) + ")"
    disclosed = used.is_paid_partnership.fillna(False).astype(bool) | has_tag | cap.str.contains(phrase, case=False,
                                                                                                    regex=True)
    promotes = cap.str.contains(_py_regex(PROMOTION_PATTERN), case=False, regex=True)
    mentions = used.mentions.map(lambda m: m is not None and len(m) > 0)
    used["disclosed"] = disclosed
    used["undisclosed"] = ~disclosed & mentions & promotes
    sp = used.groupby(KEY, sort=False).agg(sponsored_share=("disclosed", "mean"),
                                           undisclosed_suspected=("undisclosed", "sum")).reset_index()

    cm = comments.merge(used[[*KEY, "post_id"]], on=["platform", "post_id"])
    top = cm[cm.reply_to.isna() & (cm.author_id != cm.account_id)]
    replies = cm[cm.reply_to.notna() & (cm.author_id == cm.account_id)][["platform", "reply_to"]].drop_duplicates()
    top = top.merge(replies.assign(answered=True), left_on=["platform", "comment_id"],
                    right_on=["platform", "reply_to"], how="left", suffixes=("", "_r"))
    per_author = top.groupby([*KEY, "author_id"], sort=False).post_id.nunique().rename("n_posts").reset_index()
    top = top.merge(per_author, on=[*KEY, "author_id"])
    top["repeat"] = top.n_posts >= 3
    top["generic"] = top.text.str.fullmatch(_py_regex(GENERIC_PATTERN).lstrip("^").rstrip("$"), case=False)
    com = top.groupby(KEY, sort=False).agg(repeat_commenter_share=("repeat", "mean"),
                                           reply_rate=("answered", lambda x: x.notna().mean()),
                                           generic_comment_share=("generic", "mean")).reset_index()

    out = c[[*KEY, "followers", "tier", "as_of"]]
    for part in (eng, act[[*KEY, "posts_per_week"]], last[[*KEY, "days_since_last_post"]],
                 gg[[*KEY, "weekly_rate"]], sp, com):
        out = out.merge(part, on=KEY, how="left")
    bench = out.groupby(["platform", "tier"]).rate_median.agg(tier_median="median").reset_index()
    out = out.merge(bench, on=["platform", "tier"], how="left")
    out["vs_tier"] = out.rate_median / out.tier_median
    return out
