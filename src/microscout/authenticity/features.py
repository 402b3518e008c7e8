"""Profile features of the fake-account model, from the raw account fields, each allowed to be missing.

The same formulas exist twice on purpose: in pandas (training, evaluation) and as Ibis
expressions (scoring every account in the workspace at once); a test checks they agree.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Raw fields a feature needs; a feature set is usable when all of its fields are known.
FEATURE_FIELDS: dict[str, tuple[str, ...]] = {
    "log_followers": ("followers",),
    "log_following": ("following",),
    "follow_ratio": ("followers", "following"),
    "log_posts": ("posts_count",),
    "no_posts": ("posts_count",),
    "has_profile_pic": ("has_profile_pic",),
    "is_private": ("is_private",),
    "log_bio_length": ("bio_length",),
    "no_bio": ("bio_length",),
    "handle_digits": ("handle_digits",),
    "digit_share": ("handle_digits", "handle_length"),
    "handle_length": ("handle_length",),
}

FEATURE_SETS: dict[str, tuple[str, ...]] = {
    "full": tuple(FEATURE_FIELDS),
    "no_bio": tuple(f for f in FEATURE_FIELDS if f not in ("log_bio_length", "no_bio")),
    "minimal": ("log_followers", "log_following", "follow_ratio", "log_posts", "no_posts", "has_profile_pic",
                "is_private"),
}


def features_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """Features from columns followers, following, posts_count, has_profile_pic, is_private,
    bio_length, handle_digits, handle_length (missing columns or values give NaN)."""
    def col(name: str) -> pd.Series:
        return raw[name].astype(float) if name in raw else pd.Series(np.nan, index=raw.index)

    followers, following, posts = col("followers"), col("following"), col("posts_count")
    bio, digits, length = col("bio_length"), col("handle_digits"), col("handle_length")
    return pd.DataFrame({
        "log_followers": np.log1p(followers),
        "log_following": np.log1p(following),
        "follow_ratio": np.log1p(following) - np.log1p(followers),
        "log_posts": np.log1p(posts),
        "no_posts": (posts == 0).astype(float).where(posts.notna()),
        "has_profile_pic": col("has_profile_pic"),
        "is_private": col("is_private"),
        "log_bio_length": np.log1p(bio),
        "no_bio": (bio == 0).astype(float).where(bio.notna()),
        "handle_digits": digits,
        "digit_share": (digits / length.replace(0, np.nan)),
        "handle_length": length,
    })
