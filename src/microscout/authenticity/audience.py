"""Audience quality: who follows and who comments — fake-looking, mass followers, real people.

Everything is set-based: each account's fake probability is computed once in the database,
then joined to every follower edge and every commenter of every creator at once.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from microscout.authenticity.accounts import raw_fields
from microscout.authenticity.fake_model import FakeAccountModel
from microscout.metrics.window import attach

KEY = ["platform", "account_id"]
MASS_FOLLOWING = 1_500       # following more than this: a mass follower, whose feed is too full to see a post
Z95 = 1.959963984540054
QUALITY_VERSION = 2


def account_fakes(accounts: ir.Table, model: FakeAccountModel) -> ir.Table:
    """Per known account: fake probability and the profile facts behind audience reasons."""
    raw = raw_fields(accounts)
    p = model.probability_expr({c: raw[c] for c in raw.columns})
    return raw.select(
        "platform", "account_id",
        fake_probability=p,
        looks_fake=p >= model.threshold_,
        mass_follower=raw.following > MASS_FOLLOWING,
        no_picture=raw.has_profile_pic == 0,
        following_2000=raw.following > 2_000,
        no_posts=raw.posts_count == 0,
    )


def wilson_interval(share: ir.FloatingValue, n: ir.IntegerValue) -> tuple[ir.FloatingValue, ir.FloatingValue]:
    """Wilson score 95% interval of a share observed on n accounts."""
    nf = n.cast("float64")
    z2 = Z95 * Z95
    denom = 1 + z2 / nf
    center = (share + z2 / (2 * nf)) / denom
    half = Z95 * ((share * (1 - share) / nf) + z2 / (4 * nf * nf)).sqrt() / denom
    return ibis.greatest(center - half, 0.0), ibis.least(center + half, 1.0)


def _shares(people: ir.Table, who: str) -> ir.Table:
    """Shares over a table of (platform, account_id = creator, person's fake figures)."""
    scored = people.filter(people.fake_probability.notnull())
    fake = scored.looks_fake.cast("int64")
    agg = scored.group_by(KEY).agg(**{
        f"{who}_sample": scored.count(),
        f"{who}_fake_share": fake.mean(),
        f"{who}_mass_share": scored.mass_follower.fill_null(False).cast("int64").mean(),
        f"{who}_real_share": (~scored.looks_fake & ~scored.mass_follower.fill_null(False)).cast("int64").mean(),
        f"_{who}_mass_real_share": (~scored.looks_fake & scored.mass_follower.fill_null(False)).cast("int64").mean(),
        f"_{who}_fakes": fake.sum(),
        f"_{who}_fake_no_picture": (scored.looks_fake & scored.no_picture.fill_null(False)).cast("int64").sum(),
        f"_{who}_fake_following": (scored.looks_fake & scored.following_2000.fill_null(False)).cast("int64").sum(),
        f"_{who}_fake_no_posts": (scored.looks_fake & scored.no_posts.fill_null(False)).cast("int64").sum(),
    })
    return agg


def audience_quality(follows: ir.Table, comments: ir.Table, posts: ir.Table, creators: ir.Table,
                     fakes: ir.Table, farms: ir.Table) -> ir.Table:
    """Per creator: follower and commenter shares, the Wilson interval of the fake share, and the
    Audience Quality Score v2 with its two parts (docs/metrics.md); `farms` is
    comment_farms.comment_farm_shares."""
    f = fakes.select("platform", person="account_id", fake_probability="fake_probability", looks_fake="looks_fake",
                     mass_follower="mass_follower", no_picture="no_picture", following_2000="following_2000",
                     no_posts="no_posts")
    edges = follows.select("platform", account_id=follows.followee_id, person=follows.follower_id)
    edges = edges.join(creators.select(*KEY), KEY)
    followers = _shares(edges.join(f, ["platform", "person"]), "followers")
    commenters = comments.filter(comments.reply_to.isnull()).select("platform", "post_id", person=comments.author_id)
    commenters = commenters.join(posts.select("platform", "post_id", "account_id"), ["platform", "post_id"])
    commenters = commenters.filter(commenters.person != commenters.account_id).select(*KEY, "person").distinct()
    commenter_shares = _shares(commenters.join(f, ["platform", "person"]), "commenters")
    out = creators.select(*KEY)
    # every edge of the follower sample, known profile or not: lookalikes compare audiences by it
    out = attach(out, edges.group_by(KEY).agg(follows_sampled=edges.count()), KEY)
    out = attach(out, followers, KEY)
    out = attach(out, commenter_shares, KEY)
    out = attach(out, farms, KEY, ["farm_comment_share"])
    lo, hi = wilson_interval(out.followers_fake_share, out.followers_sample)
    # a real mass follower counts half: a feed that full rarely shows a post; a fake one counts nothing
    follower_part = 100.0 * (out.followers_real_share + 0.5 * out._followers_mass_real_share)
    # comments from farms count nothing either, whoever wrote them
    commenter_part = (100.0 * (out.commenters_real_share + 0.5 * out._commenters_mass_real_share)
                      * (1.0 - out.farm_comment_share.fill_null(0.0)))
    quality = ibis.cases(
        (out.followers_sample.isnull(), ibis.null("float64")),
        (out.commenters_sample.isnull(), follower_part),
        else_=0.7 * follower_part + 0.3 * commenter_part,
    )
    known = out.followers_sample.notnull()
    return out.mutate(
        fake_follower_share_lo=ibis.ifelse(known, lo, ibis.null("float64")),
        fake_follower_share_hi=ibis.ifelse(known, hi, ibis.null("float64")),
        audience_quality=quality.round(0),
        audience_follower_part=ibis.ifelse(known, follower_part.round(1), ibis.null("float64")),
        audience_commenter_part=commenter_part.round(1),
        audience_quality_version=ibis.literal(QUALITY_VERSION)).drop("farm_comment_share")
