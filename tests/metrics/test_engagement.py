"""Engagement over the contract's posts used, with hand-computed answers."""

from __future__ import annotations

import pytest


def test_median_rate_ignores_unknown_counts_stories_and_posts_outside_the_window(tiny):
    ws = tiny(accounts=[(1, "lena", 1000)], post_cols="post_id,account_id,created_at,likes,comments,kind", posts=[
        ("a", 1, "2026-10-30T00:00:00Z", 50, 10, "photo"),     # 0.06
        ("b", 1, "2026-10-29T00:00:00Z", 30, None, "photo"),   # unknown comments: left out
        ("c", 1, "2026-10-28T00:00:00Z", 20, 0, "reel"),       # 0.02
        ("d", 1, "2026-10-27T00:00:00Z", 500, 50, "story"),    # stories are left out
        ("e", 1, "2026-03-01T00:00:00Z", 900, 90, "photo"),    # older than 180 days before as-of
        ("f", 1, "2026-11-20T00:00:00Z", 900, 90, "photo"),    # after as-of
    ])
    e = ws.vet("instagram:1")["engagement"]
    assert e["rate_median"] == pytest.approx(0.04)
    assert e["rate_mean"] == pytest.approx(0.04)
    assert e["posts_used"] == 2
    assert e["like_to_comment"] == pytest.approx(70 / 10)


def test_only_the_last_thirty_posts_count(tiny):
    posts = [(f"p{i:02d}", 1, f"2026-10-{1 + i % 30:02d}T{i // 30:02d}:00:00Z", 10 if i < 5 else 100, 0)
             for i in range(35)]
    # the five oldest-looking by date: days 1..5 at hour 0 have 10 likes; they fall out of the last 30
    ws = tiny(accounts=[(1, "lena", 1000)], posts=posts)
    e = ws.vet("instagram:1")["engagement"]
    assert e["posts_used"] == 30
    assert e["rate_median"] == pytest.approx(0.1)


def test_zero_followers_gives_unknown_rates_not_infinite_ones(tiny):
    ws = tiny(accounts=[(1, "new", 0)], posts=[("a", 1, "2026-10-30T00:00:00Z", 5, 1)])
    e = ws.vet("instagram:1")["engagement"]
    assert e["rate_median"] is None and e["posts_used"] == 1


def test_an_old_export_is_measured_as_of_its_collection(tiny):
    ws = tiny(accounts=[(1, "lena", 1000)], collected_at="2020-01-01T00:00:00Z",
              posts=[("a", 1, "2019-12-20T00:00:00Z", 40, 0), ("b", 1, "2019-12-01T00:00:00Z", 60, 0)])
    v = ws.vet("instagram:1")
    assert v["as_of"] == "2020-01-01T00:00:00Z"
    assert v["engagement"]["rate_median"] == pytest.approx(0.05)
    assert "inactive" not in v["flags"]


def test_without_any_collection_time_as_of_is_the_newest_post(tiny):
    ws = tiny(accounts=[(1, "lena", 1000)], collected_at=None,
              posts=[("a", 1, "2025-06-10T00:00:00Z", 40, 0), ("b", 1, "2025-01-01T00:00:00Z", 60, 0)])
    v = ws.vet("instagram:1")
    assert v["as_of"] == "2025-06-10T00:00:00Z"
    assert v["engagement"]["posts_used"] == 2  # both within 180 days of the newest post


def test_benchmarks_and_position_against_the_tier(tiny):
    ws = tiny(accounts=[(1, "a", 20_000), (2, "b", 30_000), (3, "c", 40_000)], posts=[
        ("a", 1, "2026-10-30T00:00:00Z", 200, 0),   # 0.01
        ("b", 2, "2026-10-30T00:00:00Z", 600, 0),   # 0.02
        ("c", 3, "2026-10-30T00:00:00Z", 1600, 0),  # 0.04
    ])
    e = ws.vet("instagram:@c")["engagement"]
    assert e["tier_benchmark_median"] == pytest.approx(0.02)
    assert e["tier_benchmark_sample"] == 3
    assert e["vs_tier"] == pytest.approx(2.0)
    assert e["tier_benchmark_q1"] == pytest.approx(0.015) and e["tier_benchmark_q3"] == pytest.approx(0.03)


def test_private_accounts_are_flagged(tiny):
    ws = tiny(accounts=[(1, "lena", 1000, "true")], account_cols="account_id,handle,followers,is_private",
              posts=[("a", 1, "2026-10-30T00:00:00Z", 40, 0)])
    v = ws.vet("instagram:1")
    assert "private" in v["flags"] and v["flag_reasons"]["private"].startswith("The account is private")


def test_inactive_when_no_post_in_sixty_days(tiny):
    ws = tiny(accounts=[(1, "lena", 1000)], posts=[("a", 1, "2026-08-01T00:00:00Z", 40, 0)])
    v = ws.vet("instagram:1")
    assert "inactive" in v["flags"]
    assert v["activity"]["days_since_last_post"] == pytest.approx(92.5)


@pytest.mark.parametrize(("creators", "benchmark"), [(3, False), (10, True)])
def test_a_tier_of_fewer_than_ten_creators_is_not_called_a_benchmark(tiny, creators, benchmark):
    # creator i: 5,000 followers, (10 + i) likes a post: rates 0.002 .. in one tier
    ws = tiny(accounts=[(i, f"c{i}", 5000) for i in range(creators)],
              posts=[(f"p{i}", i, "2026-10-30T00:00:00Z", 10 + i, 0) for i in range(creators)])
    record = ws.vet("instagram:0")
    assert record["engagement"]["tier_benchmark_sample"] == creators
    line = record["reasons"][0] if record["reasons"][0].startswith("Engagement") else record["reasons"][1]
    if benchmark:
        assert "the median of its tier" in line and "too few" not in line
    else:
        assert f"only {creators}, with this one, too few for a tier benchmark" in line
        assert "its tier" not in line and "×" not in line
