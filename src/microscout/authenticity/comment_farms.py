"""Comment farms: generic comments from accounts that look fake or spray praise on unrelated creators.

A fan's "love this 🔥" is harmless; the same line from an account with no picture and no posts,
or from an account that drops only template praise on many creators who never answer it in
kind, is bought. Per creator the share of its sampled comments of that sort, with the Wilson
interval for the sample, feeds the `bought_engagement` flag. Authors who comment on creators
who comment back are left to the pod detector (authenticity/pods.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from microscout.authenticity.audience import wilson_interval
from microscout.metrics.community import GENERIC_PATTERN
from microscout.metrics.window import KEY, attach


@dataclass(frozen=True)
class SprayRules:
    """When an author is a spray commenter, whatever its profile looks like."""

    min_creators: int = 5          # left generic comments on at least this many creators
    min_generic_share: float = 0.8  # and nearly all of its sampled comments are generic
    max_returned_share: float = 0.5  # and fewer than half of those creators comment on its own posts


def top_level_comments(comments: ir.Table, used: ir.Table) -> ir.Table:
    """Top-level comments on the posts used, by someone other than the creator, with `generic`."""
    posts = used.select("platform", "post_id", owner="account_id", posted_at="created_at")
    c = comments.filter(comments.reply_to.isnull()).join(posts, ["platform", "post_id"])
    c = c.filter(c.author_id != c.owner)
    return c.select("platform", "post_id", "comment_id", "author_id", "owner", "created_at", "posted_at",
                    generic=ibis.ifelse(c.text.isnull(), False, c.text.lower().re_search(GENERIC_PATTERN)))


def spray_commenters(top: ir.Table, rules: SprayRules) -> ir.Table:
    """(platform, author_id) of the authors whose comments follow the spray pattern."""
    pairs = top.select("platform", "author_id", "owner").distinct()
    back = pairs.select("platform", author_id="owner", owner="author_id")
    returned = pairs.semi_join(back, ["platform", "author_id", "owner"]).group_by(["platform", "author_id"]).agg(
        _returned=ibis._.count())
    per_author = top.group_by(["platform", "author_id"]).agg(
        _generic_creators=top.owner.nunique(where=top.generic),
        _generic_share=top.generic.cast("int64").mean(),
        _creators=top.owner.nunique(),
    )
    per_author = attach(per_author, returned, ["platform", "author_id"])
    returned_share = per_author._returned.fill_null(0).cast("float64") / per_author._creators.cast("float64")
    spray = per_author.filter((per_author._generic_creators >= rules.min_creators)
                              & (per_author._generic_share >= rules.min_generic_share)
                              & (returned_share < rules.max_returned_share))
    return spray.select("platform", "author_id")


def comment_farm_shares(top: ir.Table, fakes: ir.Table, rules: SprayRules | None = None) -> ir.Table:
    """Per creator, over `top` (top_level_comments): farm_comments (generic comments by fake-looking
    or spray authors), their share of the sampled top-level comments, the Wilson 95% interval of
    that share, and how many of them came from fake-looking authors and from spray authors."""
    rules = rules or SprayRules()
    spray = spray_commenters(top, rules).mutate(_spray=ibis.literal(True))
    fake = fakes.filter(fakes.looks_fake).select("platform", author_id="account_id", _fake=ibis.literal(True))
    t = attach(top, spray, ["platform", "author_id"])
    t = attach(t, fake, ["platform", "author_id"])
    by_fake = t.generic & t._fake.fill_null(False)
    by_spray = t.generic & t._spray.fill_null(False)
    agg = t.group_by(["platform", "owner"]).agg(
        farm_comments_sampled=t.count(),
        farm_comments=(by_fake | by_spray).cast("int64").sum(),
        farm_comments_fake_authors=by_fake.cast("int64").sum(),
        farm_comments_spray_authors=by_spray.cast("int64").sum(),
    )
    share = agg.farm_comments.cast("float64") / agg.farm_comments_sampled.cast("float64")
    lo, hi = wilson_interval(share, agg.farm_comments_sampled)
    return agg.select("platform", *[c for c in agg.columns if c not in ("platform", "owner")],
                      account_id=agg.owner, farm_comment_share=share, farm_comment_share_lo=lo,
                      farm_comment_share_hi=hi).relocate(*KEY)
