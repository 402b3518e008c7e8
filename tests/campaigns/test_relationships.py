"""Relationships: stages and terms checked field by field, versions, history, and two editors of
one relationship at once getting one conflict, never a silent overwrite."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from tests.test_cli import SAMPLE, run

from microscout import open_workspace
from microscout.exceptions import ConflictError, MicroscoutError


@pytest.fixture
def ws(tmp_path):
    with open_workspace(db=tmp_path / "ws.duckdb", topic_model="none") as w:
        w.import_bundle(SAMPLE)
        yield w


def test_a_relationship_moves_through_the_pipeline_and_keeps_its_history(ws):
    first = ws.relate("@lena.bakes", "@Kornblume", {"stage": "contacted", "contact": "lena@example.org"}, version=0)
    assert first["version"] == 1 and first["brand"] == "kornblume" and first["handle"] == "lena.bakes"
    second = ws.relate("@lena.bakes", "kornblume", {"stage": "agreed", "fee": 250, "currency": "eur",
                                                    "deadline": "2026-12-15", "tags": ["winter", "vegan"]}, version=1)
    assert second["version"] == 2 and second["currency"] == "EUR" and second["contact"] == "lena@example.org"
    assert ws.relationship("instagram:1", "kornblume")["stage"] == "agreed"
    changes = ws.relationship_history("@lena.bakes", "kornblume")
    assert [c["version"] for c in changes] == [1, 2]
    assert changes[0]["changes"]["stage"] == ["prospect", "contacted"]
    assert changes[1]["changes"]["stage"] == ["contacted", "agreed"] and changes[1]["changes"]["fee"] == [None, 250.0]
    ws.relate("@piekarnia.ola", "kornblume", {"stage": "prospect"}, version=0)
    assert [r["handle"] for r in ws.pipeline("kornblume")] == ["piekarnia.ola", "lena.bakes"]
    assert ws.pipeline("someone-else") == []


def test_an_edit_against_an_old_version_is_refused_and_changes_nothing(ws):
    ws.relate("@lena.bakes", "kornblume", {"stage": "contacted"}, version=0)
    ws.relate("@lena.bakes", "kornblume", {"notes": "likes oat milk"}, version=1)
    with pytest.raises(ConflictError, match="version 2, your edit was made against version 1"):
        ws.relate("@lena.bakes", "kornblume", {"stage": "declined"}, version=1)
    with pytest.raises(ConflictError):
        ws.relate("@lena.bakes", "kornblume", {"stage": "declined"}, version=0)  # it exists already
    now = ws.relationship("@lena.bakes", "kornblume")
    assert now["stage"] == "contacted" and now["notes"] == "likes oat milk" and now["version"] == 2


@pytest.mark.parametrize(("changes", "message"), [
    ({"stage": "married"}, "stage: 'married' is not a pipeline stage"),
    ({"fee": -5}, "fee: -5 is not an amount ≥ 0"),
    ({"affiliate_share": 10}, "affiliate_share: 10 is not a share from 0 to 1"),
    ({"currency": "euro"}, "currency: 'euro' is not a three-letter code"),
    ({"deadline": "next week"}, "deadline: 'next week' is not a date"),
    ({"colour": "red"}, "unknown field 'colour'"),
])
def test_bad_terms_get_a_clear_error_and_nothing_is_written(ws, changes, message):
    with pytest.raises(MicroscoutError, match=message):
        ws.relate("@lena.bakes", "kornblume", changes, version=0)
    assert ws.relationship("@lena.bakes", "kornblume") is None


def test_two_editors_at_once_through_the_server_get_one_conflict(tmp_path):
    assert run("import", str(SAMPLE), "--db", "ws.duckdb", cwd=tmp_path).returncode == 0
    base = ("campaign", "relate", "@lena.bakes", "--brand", "kornblume", "--db", "ws.duckdb")
    assert run(*base, "--stage", "contacted", "--version", "0", cwd=tmp_path).returncode == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROSCOUT_")}
    server = subprocess.Popen([sys.executable, "-m", "microscout.cli", "serve", "--port", "0", "--db", "ws.duckdb"],
                              cwd=tmp_path, env={**env, "MICROSCOUT_TOPIC_MODEL": "none"}, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    try:
        while not server.stdout.readline().startswith("token for writes:"):
            assert server.poll() is None, server.stderr.read()
        # both editors loaded version 1 and save at the same moment, each in a process of its own
        with ThreadPoolExecutor(2) as pool:
            edits = list(pool.map(lambda stage: run(*base, "--stage", stage, "--version", "1", "-f", "json",
                                                    cwd=tmp_path, process=True), ["negotiating", "declined"]))
        codes = sorted(e.returncode for e in edits)
        assert codes == [0, 2]
        loser = next(e for e in edits if e.returncode == 2)
        assert "was changed by someone else" in loser.stderr and "Traceback" not in loser.stderr
        winner = json.loads(next(e for e in edits if e.returncode == 0).stdout)
        shown = json.loads(run("campaign", "pipeline", "--brand", "kornblume", "--db", "ws.duckdb", "-f", "json",
                               cwd=tmp_path).stdout)
        assert [r["stage"] for r in shown] == [winner["stage"]] and shown[0]["version"] == 2
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(30)
    history = json.loads(run("campaign", "history", "@lena.bakes", "--brand", "kornblume", "--db", "ws.duckdb",
                             "-f", "json", cwd=tmp_path).stdout)
    assert [h["version"] for h in history] == [1, 2]
