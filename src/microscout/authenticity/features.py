"""Profile features of the fake-account model, from the raw account fields, each allowed to be missing.

The same formulas exist twice on purpose: in pandas (training, evaluation) and as Ibis
expressions (scoring every account in the workspace at once); a test checks they agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Raw fields a feature needs; a feature set is usable when all of its fields are known. Every
# feature is a ratio, a log count, a flag or a share, so that it means the same in every source
# (sources differ in size and platform, not in what "no profile picture" or "follows 4,000" means).
FEATURE_FIELDS: dict[str, tuple[str, ...]] = {
    "log_followers": ("followers",),
    "log_following": ("following",),
    "follow_ratio": ("followers", "following"),
    "log_posts": ("posts_count",),
    "no_posts": ("posts_count",),
    "posts_per_follower": ("posts_count", "followers"),
    "has_profile_pic": ("has_profile_pic",),
    # the one-line rule a marketer would write ("no picture, or fewer than 3 posts while following
    # more than 500"), as inputs: the model weighs it against the rest
    "few_posts_many_follows": ("posts_count", "following"),
    "simple_rule": ("has_profile_pic", "posts_count", "following"),
    "log_bio_length": ("bio_length",),
    "no_bio": ("bio_length",),
    "digit_share": ("digit_share",),
    "is_private": ("is_private",),
}

_COUNTS = ("log_followers", "log_following", "follow_ratio", "log_posts", "no_posts", "posts_per_follower",
           "has_profile_pic", "few_posts_many_follows", "simple_rule")
# Richest first: each account is scored by the first set whose fields it has.
FEATURE_SETS: dict[str, tuple[str, ...]] = {
    "full": (*_COUNTS, "log_bio_length", "no_bio", "digit_share", "is_private"),
    "no_private": (*_COUNTS, "log_bio_length", "no_bio", "digit_share"),
    "no_bio": (*_COUNTS, "digit_share", "is_private"),
    "bio_only": (*_COUNTS, "log_bio_length", "no_bio"),
    "minimal": _COUNTS,
}
RAW_FIELDS = ("followers", "following", "posts_count", "has_profile_pic", "is_private", "bio_length", "digit_share")


def simple_rule(has_profile_pic: pd.Series, posts: pd.Series, following: pd.Series) -> pd.Series:
    """1 when the one-line rule calls the account fake: no picture, or < 3 posts and following > 500."""
    known = has_profile_pic.notna() & posts.notna() & following.notna()
    return ((has_profile_pic == 0) | ((posts < 3) & (following > 500))).astype(float).where(known)


def features_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """Features from columns followers, following, posts_count, has_profile_pic, is_private,
    bio_length and the handle's digit share (digit_share, or handle_digits / handle_length, or
    handle_digit_share as some data sets give it); missing columns or values give NaN."""
    def col(name: str) -> pd.Series:
        return raw[name].astype(float) if name in raw else pd.Series(np.nan, index=raw.index)

    followers, following, posts = col("followers"), col("following"), col("posts_count")
    bio, pic = col("bio_length"), col("has_profile_pic")
    share = col("digit_share").fillna(col("handle_digits") / col("handle_length").replace(0, np.nan))
    share = share.fillna(col("handle_digit_share"))
    few_many = ((posts < 3) & (following > 500)).astype(float).where(posts.notna() & following.notna())
    return pd.DataFrame({
        "log_followers": np.log1p(followers),
        "log_following": np.log1p(following),
        "follow_ratio": np.log1p(following) - np.log1p(followers),
        "log_posts": np.log1p(posts),
        "no_posts": (posts == 0).astype(float).where(posts.notna()),
        "posts_per_follower": np.log1p(posts) - np.log1p(followers),
        "has_profile_pic": pic,
        "few_posts_many_follows": few_many,
        "simple_rule": simple_rule(pic, posts, following),
        "log_bio_length": np.log1p(bio),
        "no_bio": (bio == 0).astype(float).where(bio.notna()),
        "digit_share": share,
        "is_private": col("is_private"),
    })
