"""Only creators touched by new data are computed anew; benchmarks follow every change."""

from __future__ import annotations

import pytest
from tests.conftest import csv_of, write_bundle


def test_a_new_post_recomputes_its_creator_only(tiny, tmp_path):
    ws = tiny(accounts=[(1, "a", 1000), (2, "b", 1000), (3, "c", 1000)], posts=[
        ("p1", 1, "2026-10-30T00:00:00Z", 10, 0), ("p2", 2, "2026-10-30T00:00:00Z", 20, 0),
        ("p3", 3, "2026-10-30T00:00:00Z", 30, 0)])
    first = ws.analyze()
    assert (first.creators, first.recomputed) == (3, 3)
    assert ws.analyze().recomputed == 0
    bundle = write_bundle(tmp_path / "more", {"accounts.csv": "account_id,handle,followers\n", "posts.csv": csv_of(
        "post_id,account_id,created_at,likes,comments", [("p4", 1, "2026-10-31T00:00:00Z", 50, 0)])},
        {"platform": "instagram", "collected_at": "2026-11-01T12:00:00Z"})
    ws.import_bundle(bundle)
    again = ws.analyze()
    assert (again.creators, again.recomputed) == (3, 1)
    a = ws.vet("instagram:1")["engagement"]
    assert a["posts_used"] == 2 and a["rate_median"] == pytest.approx(0.03)
    # the benchmark of the tier moved with it: median of 0.03, 0.02, 0.03
    assert ws.vet("instagram:2")["engagement"]["tier_benchmark_median"] == pytest.approx(0.03)
    full = ws.analyze(full=True)
    assert full.recomputed == 3
    assert ws.vet("instagram:1")["engagement"]["rate_median"] == pytest.approx(0.03)


def test_forget_recomputes_everything(tiny):
    ws = tiny(accounts=[(1, "a", 1000), (2, "b", 1000)], posts=[
        ("p1", 1, "2026-10-30T00:00:00Z", 10, 0), ("p2", 2, "2026-10-30T00:00:00Z", 20, 0)])
    ws.analyze()
    ws.forget("instagram:1")
    result = ws.analyze()
    assert (result.creators, result.recomputed) == (1, 1)


def test_another_fake_account_model_makes_the_analysis_stale(tiny):
    from pathlib import Path

    from microscout import analysis

    ws = tiny(accounts=[(1, "a", 1000)], posts=[("p1", 1, "2026-10-30T00:00:00Z", 10, 0)])
    ws.analyze()
    assert analysis.is_current(ws.store, ws.settings)
    research = ws.settings.model_copy(update={"fake_model": Path("research")})
    # audience figures of the rules are not the research model's: reads must not serve them as such
    assert not analysis.is_current(ws.store, research)
    assert analysis.is_current(ws.store, ws.settings.model_copy(update={"fake_model": Path("rules")}))
