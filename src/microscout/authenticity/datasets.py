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
