"""Reads never rewrite what analyze saved: a tier scheme or competitors apply per question, the
server refuses a read of data changed since the last analyze instead of rebuilding, and the CLI
says when a read must analyze first."""

from __future__ import annotations

from pathlib import Path

import duckdb
import httpx
from tests.test_cli import NO_TOPIC, run
from tests.web.conftest import running

from microscout import open_workspace

SAMPLE = Path(__file__).parent.parent / "examples" / "sample-bundle"


def _saved(db: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        metrics = con.execute("SELECT platform, account_id, tier FROM creator_metrics ORDER BY ALL").fetchall()
        state = con.execute("SELECT state FROM analysis_state").fetchall()
        return metrics, state
    finally:
        con.close()


def test_another_tier_scheme_is_a_question_not_a_rewrite(tmp_path):
    db = tmp_path / "ws.duckdb"
    with open_workspace(db=db, topic_model="none") as ws:
        ws.import_bundle(SAMPLE)
        ws.analyze()
        steps: list[str] = []
        ws.analyze_progress = lambda step, done, total: steps.append(step)
        default = ws.vet("instagram:@lena.bakes")
        five = ws.vet("instagram:@lena.bakes", tier_scheme="five-tier")
        listed, _ = ws.creators(tier_scheme="five-tier", sort="handle")
        again = ws.vet("instagram:@lena.bakes")
        assert steps == []  # no analyze ran for any of them
    assert (default["tier_scheme"], default["tier"]) == ("default", "micro")
    assert (five["tier_scheme"], five["tier"]) == ("five-tier", "influencer")  # 12,000 followers
    assert {r["tier"] for r in listed} <= {"micro", "influencer", "macro", "mega", "celebrity"}
    assert again == default
    # the benchmark of the question's tier: lena is the only "influencer" here
    assert five["engagement"]["tier_benchmark_sample"] == 1
    metrics, state = _saved(db)
    with open_workspace(db=db, topic_model="none") as ws:
        ws.vet("instagram:@lena.bakes", tier_scheme="five-tier")
    assert _saved(db) == (metrics, state)  # what analyze saved is untouched


def test_the_server_answers_409_for_data_not_analyzed_and_writes_nothing(tmp_path):
    db = tmp_path / "ws.duckdb"
    ws = open_workspace(db=db, topic_model="none")
    ws.import_bundle(SAMPLE)
    with ws, running(ws) as url:
        r = httpx.get(f"{url}/api/v1/creators")
        assert r.status_code == 409
        assert r.json()["error"] == ("the data has not been analyzed yet: run `microscout analyze` "
                                     "(or POST /api/v1/analyze)")
        page = httpx.get(f"{url}/creators")
        assert "has not been analyzed yet" in page.text
        assert not ws.store.has_table("analysis_state")


def test_the_cli_says_when_a_read_must_analyze_first(tmp_path):
    assert run("import", str(SAMPLE), "--db", "ws.duckdb", cwd=tmp_path, env=NO_TOPIC).returncode == 0
    first = run("vet", "instagram:@lena.bakes", "--db", "ws.duckdb", cwd=tmp_path, env=NO_TOPIC)
    assert first.returncode == 0, first.stderr
    assert "the data has not been analyzed yet: analyzing first" in first.stderr
    second = run("vet", "instagram:@lena.bakes", "--db", "ws.duckdb", cwd=tmp_path, env=NO_TOPIC)
    assert second.returncode == 0 and "analyzing" not in second.stderr
