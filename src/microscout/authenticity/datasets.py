"""Small labelled datasets shipped with microscout."""

from __future__ import annotations

import json
from importlib import resources

import pandas as pd

_COLUMNS = {
    "userFollowerCount": "followers", "userFollowingCount": "following", "userBiographyLength": "bio_length",
    "userMediaCount": "posts_count", "userHasProfilPic": "has_profile_pic", "userIsPrivate": "is_private",
    "usernameDigitCount": "handle_digits", "usernameLength": "handle_length", "isFake": "is_fake",
}


def load_instafake() -> pd.DataFrame:
    """The InstaFake fake-v1.0 accounts (Akyon & Kalfaoglu 2019; CC BY-NC 4.0, non-commercial).

    Columns: followers, following, bio_length, posts_count, has_profile_pic (0/1), is_private
    (0/1), handle_digits, handle_length, is_fake (0/1). 994 real and 200 fake Instagram
    accounts; 29 rows repeat another row's features.
    """
    folder = resources.files("microscout") / "data" / "instafake"
    frames = []
    for name in ("realAccountData.json", "fakeAccountData.json"):
        rows = json.loads((folder / name).read_text(encoding="utf-8"))
        frames.append(pd.DataFrame(rows))
    return pd.concat(frames, ignore_index=True).rename(columns=_COLUMNS)[list(_COLUMNS.values())]


# The labelled account sets the shipped model is trained and evaluated on, one common format
# (data/labelled_accounts/SOURCES.md says where each came from and under which terms).
LABELLED_SOURCES = {
    "instafake": ("Instagram", "InstaFake fake-v1.0 (Akyon & Kalfaoglu 2019), CC BY-NC 4.0"),
    "kaggle_instagram": ("Instagram", "Kaggle 'Instagram fake spammer genuine accounts' (Bakhshandeh), "
                                      "license not stated"),
    "purba_instagram": ("Instagram", "Instagram fake users (Purba et al., IJECE 2020), research data, sample"),
    "cresci2015_twitter": ("Twitter", "cresci-2015 'Fame for sale' E13 genuine vs INT bought followers, "
                                      "research use only, sample"),
}
_FILES = {"kaggle_instagram": "instagram_kaggle_fake_spammer.csv",
          "purba_instagram": "instagram_purba_fake_users_sample.csv",
          "cresci2015_twitter": "twitter_cresci2015_sample.csv"}


def load_labelled_sources() -> dict[str, pd.DataFrame]:
    """Every labelled source by name: columns followers, following, posts_count, bio_length,
    has_profile_pic, is_private, handle_digits, handle_length, handle_digit_share (NaN where the
    source lacks a field) and is_fake (0/1)."""
    out = {"instafake": load_instafake()}
    folder = resources.files("microscout") / "data" / "labelled_accounts"
    for name, file in _FILES.items():
        with (folder / file).open("rb") as fh:
            frame = pd.read_csv(fh).rename(columns={"posts": "posts_count"})
        out[name] = frame[["followers", "following", "posts_count", "bio_length", "has_profile_pic", "is_private",
                           "handle_digits", "handle_length", "handle_digit_share", "is_fake"]]
    return out
