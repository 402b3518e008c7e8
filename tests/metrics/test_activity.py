"""Posting cadence by hand: a post every week like clockwork, and an irregular one."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

AS_OF = datetime(2026, 11, 1, 12, 0, 0)


def _posts(account: int, days_before: list[int]) -> list[tuple[object, ...]]:
    return [(f"p{account}_{d}", account, (AS_OF - timedelta(days=d)).isoformat() + "Z", 10, 1) for d in days_before]


def test_posts_per_week_and_regularity(tiny):
    weekly = list(range(1, 141, 7))            # every 7 days: 13 of them within 90 days
    irregular = [1, 2, 15, 16, 29, 30, 43, 44]  # gaps alternate 1 and 13 days
    ws = tiny(accounts=[(1, "clock", 1000), (2, "bursty", 1000)], posts=_posts(1, weekly) + _posts(2, irregular))
    a = ws.vet("instagram:1")["activity"]
    assert a["posts_per_week"] == pytest.approx(13 / (90 / 7))
    assert a["posting_regularity"] == pytest.approx(1.0)
    assert a["days_since_last_post"] == pytest.approx(1.0)
    b = ws.vet("instagram:2")["activity"]
    gaps = [1, 13, 1, 13, 1, 13, 1]
    mean = sum(gaps) / len(gaps)
    sd = (sum((g - mean) ** 2 for g in gaps) / len(gaps)) ** 0.5
    assert b["posting_regularity"] == pytest.approx(1 - sd / mean)


def test_repeated_and_mixed_case_tags_count_once_per_post(tiny):
    ws = tiny(accounts=[(1, "lena", 1000)], post_cols="post_id,account_id,created_at,likes,comments,caption",
              posts=[("p1", 1, "2026-10-30T00:00:00Z", 10, 1, "#ad #AD #Ad Loving @oatside"),
                     ("p2", 1, "2026-10-29T00:00:00Z", 10, 1, "Just coffee")])
    s = ws.vet("instagram:1")["sponsorship"]
    assert s["sponsored_share"] == pytest.approx(0.5) and s["brands"] == ["oatside"]
