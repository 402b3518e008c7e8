"""People who already tag or mention a brand in their own posts: user-generated content, the
warmest leads there are. Ranked like a scout (the same parts), relevance being how often and
how recently they mention the brand."""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from microscout.brief import brief_from_dict
from microscout.discovery.scout import MODE_PARTS, candidates, result_record, weighted_score
from microscout.metrics.sponsorship import post_disclosure
from microscout.metrics.window import KEY
from microscout.sentences import say, say_n

WINDOW_DAYS = 365
FULL_AT = 3  # three posts mentioning the brand earn the full relevance


def brand_mentions(posts: ir.Table, handles: list[str]) -> ir.Table:
    """(platform, account_id, brand_posts, last_mention, paid_posts): posts that mention or tag one of `handles`
    (the mentions column, @handle in the caption, or the handle as a hashtag: #veganz for @veganz),
    in the year before each account's newest post; paid_posts: those disclosed as ads (a label, a
    disclosure tag or phrase), which make the account a paid partner rather than an organic fan."""
    names = [h.lower().lstrip("@") for h in handles]
    newest = posts.group_by(KEY).agg(_newest=posts.created_at.max())
    p = posts.join(newest, KEY)
    p = p.filter(p.created_at > p._newest - ibis.interval(days=WINDOW_DAYS))
    tagged = p.mentions.intersect(ibis.array(names)).length().fill_null(0) > 0
    in_caption = ibis.or_(*[p.caption.lower().contains("@" + n) for n in names]).fill_null(False)
    as_tag = p.hashtags.intersect(ibis.array(names)).length().fill_null(0) > 0
    hit = post_disclosure(p.filter(tagged | in_caption | as_tag))
    return hit.group_by(KEY).agg(brand_posts=hit.post_id.nunique(), last_mention=hit.created_at.max(),
                                 paid_posts=hit.disclosed.cast("int64").sum())


def mention_results(base: ir.Table, posts: ir.Table, handles: list[str], own: list[tuple[str, str]],
                    allow_flags: tuple[str, ...], limit: int) -> dict[str, Any]:
    """The scout shape, `brief` naming the mode, for the creators who mention the brand."""
    # the flags come from the command line or the API: a wrong one is the brief's clear error
    brief = brief_from_dict({"name": "mentions of " + ", ".join("@" + h.lower().lstrip("@") for h in handles),
                             "allow_flags": list(allow_flags)})
    found = brand_mentions(posts, handles)
    df = candidates(base, brief, []).join(found, KEY).execute()
    if own:
        df = df[~pd.MultiIndex.from_frame(df[KEY]).isin(pd.MultiIndex.from_tuples(own, names=KEY))]
    df["relevance"] = (df.brand_posts / FULL_AT).clip(upper=1.0)
    df["score"] = weighted_score(df, brief, MODE_PARTS)
    df = df.sort_values(["score", "brand_posts", "followers"], ascending=False).head(limit).reset_index(drop=True)
    df.insert(0, "rank", range(1, len(df) + 1))
    results = []
    for r in df.to_dict("records"):
        rec = result_record(r, MODE_PARTS, {})
        paid = int(r["paid_posts"] or 0)
        rec["paid"] = paid > 0
        rec["paid_posts"] = paid
        mentioned = say_n("Mentions {brand} in {count:int} post, the latest on {day:date}",
                          "Mentions {brand} in {count:int} posts, the latest on {day:date}", int(r["brand_posts"]),
                          brand=brief.name[12:], day=str(r["last_mention"])[:10])
        rec["reasons"][0] = mentioned + (
            say("; {paid:int} of them disclosed as paid: a partner, not an organic fan.", paid=paid) if paid
            else say("; none disclosed as paid: organic."))
        results.append(rec)
    return {"brief": say("mentions of {brand}", brand=brief.name[12:]), "results": results}
