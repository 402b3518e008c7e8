"""An analyze says what it is doing, step by step (the CLI draws it as a bar on a terminal)."""

from __future__ import annotations

from pathlib import Path

from microscout import open_workspace
from microscout.analysis import STEPS

SAMPLE = Path(__file__).parent.parent / "examples" / "sample-bundle"


def test_every_step_is_reported_in_order_then_done(tmp_path):
    seen: list[tuple[str, int, int]] = []
    with open_workspace(db=tmp_path / "ws.duckdb", topic_model="none") as ws:
        ws.import_bundle(SAMPLE)
        ws.analyze_progress = lambda step, done, total: seen.append((step, done, total))
        ws.vet("instagram:@lena.bakes")  # a read that finds the data changed analyzes, and says so too
    assert seen == [*((s, k, len(STEPS)) for k, s in enumerate(STEPS)), ("done", len(STEPS), len(STEPS))]


def test_a_server_job_reports_every_step_with_a_growing_share(tmp_path):
    from microscout.web.app import analyze_reporting

    reported: list[tuple[str, float]] = []
    with open_workspace(db=tmp_path / "ws.duckdb", topic_model="none") as ws:
        ws.import_bundle(SAMPLE)
        analyze_reporting(ws, lambda step, share: reported.append((step, share)), 0.5, 1.0)
        assert ws.analyze_progress is None  # the job's reporter is taken off again
    assert [s for s, _ in reported] == [f"analyzing: {s}" for s in (*STEPS, "done")]
    shares = [x for _, x in reported]
    assert shares == sorted(shares) and shares[0] == 0.5 and shares[-1] == 0.9
