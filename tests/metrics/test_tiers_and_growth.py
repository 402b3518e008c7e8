"""Tier schemes at their boundaries; weekly growth and spikes by hand."""

from __future__ import annotations

import pytest

from microscout import SettingsError
from microscout.metrics.tiers import PRESETS, get_scheme, scheme_from_settings

DEFAULT_CASES = [(0, "emerging"), (999, "emerging"), (1_000, "nano"), (9_999, "nano"), (10_000, "micro"),
                 (49_999, "micro"), (50_000, "mid"), (499_999, "mid"), (500_000, "macro"), (999_999, "macro"),
                 (1_000_000, "mega")]


@pytest.mark.parametrize("followers, tier", DEFAULT_CASES)
def test_default_scheme_bands_include_lower_and_exclude_upper(followers, tier):
    assert PRESETS["default"].tier_of(followers, "instagram") == tier


@pytest.mark.parametrize("scheme, followers, platform, tier", [
    ("five-tier", 9_999, "instagram", "micro"), ("five-tier", 1_500_000, "tiktok", "celebrity"),
    ("agency-6", 499, "instagram", "emerging"), ("agency-6", 500, "instagram", "nano"),
    ("agency-6", 50_000, "instagram", "all-star"), ("nano-micro", 100_000, "x", "macro"),
    ("mediakix", 100_000, "instagram", "macro"), ("mediakix", 100_000, "youtube", "micro"),
    ("mediakix", 250_000, "youtube", "macro"), ("mediakix", 249_999, "facebook", "micro"),
])
def test_presets(scheme, followers, platform, tier):
    assert PRESETS[scheme].tier_of(followers, platform) == tier


def test_the_database_agrees_with_the_scheme_and_users_define_their_own(tiny, tmp_path):
    accounts = [(i, f"u{i}", f, p) for i, (f, p) in enumerate([(999, "instagram"), (1_000, "instagram"),
                                                                (100_000, "youtube"), (250_000, "youtube")])]
    posts = [(f"p{i}", i, "2026-10-30T00:00:00Z", 1, 1, p) for i, _, _, p in accounts]
    ws = tiny(accounts=accounts, account_cols="account_id,handle,followers,platform", posts=posts,
              post_cols="post_id,account_id,created_at,likes,comments,platform",
              settings={"tier_schemes": {"mine": {"bands": {"small": 0, "big": 100_000},
                                                  "platforms": {"youtube": {"small": 0, "big": 200_000}}}}})
    rows, _ = ws.creators(sort="followers")
    assert [r["tier"] for r in rows] == ["emerging", "nano", "mid", "mid"]
    rows, _ = ws.creators(sort="followers", tier_scheme="mediakix")
    assert [r["tier"] for r in rows] == ["micro", "micro", "micro", "macro"]
    rows, _ = ws.creators(sort="followers", tier_scheme="mine")
    assert [r["tier"] for r in rows] == ["small", "small", "small", "big"]
    rows, _ = ws.creators(sort="followers", tier_scheme="percentile")
    # ranks within each platform: the larger of two is in the top 1%
    assert [r["tier"] for r in rows] == ["novice", "celebrity", "novice", "celebrity"]


def test_a_bad_scheme_is_a_settings_error():
    with pytest.raises(SettingsError, match="'huge' is not a tier scheme"):
        get_scheme("huge")
    with pytest.raises(SettingsError, match=r"bands.big = -5 is not a whole number ≥ 0"):
        scheme_from_settings("x", {"bands": {"small": 0, "big": -5}})


def test_weekly_growth_over_ninety_days(tiny):
    ws = tiny(accounts=[(1, "lena", 1100)], posts=[("a", 1, "2026-10-30T00:00:00Z", 1, 1)],
              snapshots=[(1, "2026-05-01T12:00:00Z", 500),       # older than 90 days: not used
                         (1, "2026-08-09T12:00:00Z", 1000)])     # 84 days before as-of
    g = ws.vet("instagram:1")["growth"]
    assert g["weekly_rate"] == pytest.approx((1100 / 1000) ** (7 / 84) - 1)


def test_a_spike_far_outside_the_accounts_history(tiny):
    counts = [1000, 1010, 1020, 1030, 1040, 1352, 1362, 1372]  # +1% a week, then +312 in one week
    snaps = [(1, f"2026-09-{1 + 7 * k:02d}T12:00:00Z" if 1 + 7 * k <= 30 else f"2026-10-{1 + 7 * k - 30:02d}T12:00:00Z",
              c) for k, c in enumerate(counts)]
    ws = tiny(accounts=[(1, "lena", 1380)], posts=[("a", 1, "2026-10-30T00:00:00Z", 1, 1)], snapshots=snaps)
    v = ws.vet("instagram:1")
    assert v["growth"]["spikes"] == [{"at": snaps[5][1], "followers_added": 312}]
    assert "growth_spike" in v["flags"]
    steady = tiny(accounts=[(1, "lena", 1080)], posts=[("a", 1, "2026-10-30T00:00:00Z", 1, 1)],
                  snapshots=[(1, s[1], 1000 + 10 * k) for k, s in enumerate(snaps)])
    assert steady.vet("instagram:1")["growth"]["spikes"] == []


def test_percentile_tiers_by_the_share_of_bigger_creators_and_usable_in_a_brief(tiny):
    counts = list(range(1_000, 201_000, 1_000))                      # 200 instagram creators, all different
    accounts = [(i, f"u{i}", f, "instagram") for i, f in enumerate(counts)]
    accounts += [(900, "solo", 500, "youtube"), (901, "twin1", 7_000, "tiktok"), (902, "twin2", 7_000, "tiktok")]
    posts = [(f"p{a[0]}", a[0], "2026-10-30T00:00:00Z", 1, 1, a[3]) for a in accounts]
    ws = tiny(accounts=accounts, account_cols="account_id,handle,followers,platform", posts=posts,
              post_cols="post_id,account_id,created_at,likes,comments,platform")
    rows, _ = ws.creators(sort="-followers", limit=None, tier_scheme="percentile")
    by = {r["handle"]: r["tier"] for r in rows}
    insta = [r["tier"] for r in rows if r["platform"] == "instagram"]
    # top 1% (0 or 1 bigger of 200), 1-20%, 20-50%, the rest
    assert [insta.count(t) for t in ("celebrity", "power", "casual", "novice")] == [2, 38, 60, 100]
    # a platform's only creator is its top one; equal counts share a tier
    assert by["solo"] == "celebrity" and by["twin1"] == by["twin2"] == "celebrity"
    brief = {"name": "top", "tier_scheme": "percentile", "tiers": ["celebrity", "power"]}
    found = ws.scout(brief, limit=500)
    assert len(found) == 2 + 38 + 3
