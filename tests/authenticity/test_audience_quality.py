"""Audience quality by hand: who follows a creator, with a Wilson interval for the sample size."""

from __future__ import annotations

import math

import pytest
from tests.conftest import csv_of, write_bundle


def wilson(p: float, n: int, z: float = 1.959963984540054) -> tuple[float, float]:
    center = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return center - half, center + half


def test_followers_fake_mass_and_real(tiny):
    cols = "account_id,handle,followers,following,posts_count,has_profile_pic,is_private"
    accounts = [
        (1, "lena", 12000, 400, 300, "true", "false"),        # the creator
        (10, "user83920184", 3, 7480, 0, "false", "false"),   # looks fake
        (11, "collector", 900, 1800, 300, "true", "false"),   # a mass follower, real
        (12, "anna", 250, 300, 40, "true", "true"),
        (13, "ben", 180, 220, 25, "true", "false"),
        (14, "cleo", 400, 380, 90, "true", "false"),
        (15, "nobody", 10, None, 3, "true", "false"),         # following unknown: not scored
    ]
    ws = tiny(accounts=accounts, account_cols=cols, posts=[("p1", 1, "2026-10-30T00:00:00Z", 100, 5)])
    bundle_follows = [(f, 1) for f in (10, 11, 12, 13, 14, 15)] + [(99, 1)]  # 99 has no profile: not scored

    b = write_bundle(ws.settings.db.parent / "follows", {"accounts.csv": "account_id,handle,followers\n",
                                                          "follows.csv": csv_of("follower_id,followee_id", bundle_follows)},
                     {"platform": "instagram", "collected_at": "2026-11-01T12:00:00Z"})
    ws.import_bundle(b)
    a = ws.vet("instagram:1")["audience"]
    assert a["sample_size"] == 5
    assert a["fake_follower_share"] == pytest.approx(1 / 5)
    assert a["mass_follower_share"] == pytest.approx(2 / 5)  # the fake one follows 7,480 too
    assert a["real_follower_share"] == pytest.approx(3 / 5)
    assert a["fake_follower_share_ci"] == pytest.approx(list(wilson(0.2, 5)))
    assert a["quality_score"] == 70  # 100 × (3/5 real + half of the 1/5 real mass follower); no commenters
    reason = ws.vet("instagram:1")["reasons"][0]
    assert reason.startswith("Audience quality 70/100: 20.0% of 5 sampled followers look fake (no picture 100%")
