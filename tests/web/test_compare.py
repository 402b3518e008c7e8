"""The compare view's rows from vet records: each figure shown per creator, the best marked only
where higher or lower is plainly better, an unknown figure never the best."""

from __future__ import annotations

from microscout.web.compare import compare_rows


def _record(handle: str, rate: float | None, fakes: float | None, followers: int) -> dict:
    return {"platform": "instagram", "account_id": handle, "handle": handle, "tier": "micro", "followers": followers,
            "engagement": {"rate_median": rate, "vs_tier": None},
            "audience": {"quality_score": 70, "fake_follower_share": fakes,
                         "breakdown": {"country": {"values": [{"value": "DE", "share": 0.6},
                                                              {"value": "PL", "share": 0.3}]}}},
            "sponsorship": {"brands": ["veganz"]}, "community": {}, "activity": None}


def _row(rows: list[dict], label: str) -> dict:
    return next(r for r in rows if r["label"] == label)


def test_each_figure_per_creator_with_the_best_marked_by_its_direction():
    rows = compare_rows([_record("a", 0.05, 0.10, 12_000), _record("b", 0.03, 0.02, 4_000),
                         _record("c", None, 0.02, 900)])
    rate = _row(rows, "engagement rate (median)")
    assert [c["text"] for c in rate["cells"]] == ["5.0%", "3.0%", "unknown"]
    assert [c["best"] for c in rate["cells"]] == [True, False, False]
    fakes = _row(rows, "fake followers (estimated)")  # lower is better; a tie marks both
    assert [c["best"] for c in fakes["cells"]] == [False, True, True]
    followers = _row(rows, "followers")  # more is not plainly better: no mark
    assert [c["text"] for c in followers["cells"]] == ["12,000", "4,000", "900"]
    assert not any(c["best"] for c in followers["cells"])
    quality = _row(rows, "audience quality (0–100)")  # all equal: nothing to prefer
    assert not any(c["best"] for c in quality["cells"])
    assert _row(rows, "audience's top countries")["cells"][0]["text"] == "DE 60%, PL 30%"
    assert _row(rows, "brands worked with")["cells"][0]["text"] == "@veganz"
    assert _row(rows, "posts a week")["cells"][0]["text"] == "unknown"
