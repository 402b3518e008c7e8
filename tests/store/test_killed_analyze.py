"""A real analyze killed at any moment leaves the derived tables of one run, never a mix, and the
next analyze gives the same tables, row for row, as a run never interrupted."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from microscout import open_workspace
from microscout.store.catalog import SCRATCH_TABLES, tables_of

pytestmark = pytest.mark.heavy

SAMPLE = Path(__file__).parent.parent.parent / "examples" / "sample-bundle"
# when a run happened, not what it found
CLOCK_COLUMNS = {"imported_at", "applied_at"}


def _analyze(db: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "microscout.cli", "analyze", "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _derived(db: Path) -> dict[str, list[tuple[object, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        present = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        snapshot = {}
        for name in (*tables_of("derived"), "analysis_state"):
            if name not in present or name == "creator_vectors" or name in SCRATCH_TABLES:
                continue
            cols = [r[0] for r in con.execute(f'DESCRIBE "{name}"').fetchall() if r[0] not in CLOCK_COLUMNS]
            listed = ", ".join(f'CAST("{c}" AS VARCHAR)' for c in cols)
            snapshot[name] = sorted(con.execute(f'SELECT {listed} FROM "{name}"').fetchall(), key=repr)
        if "creator_vectors" in present:  # a cache filled after the publish: what reads take of it
            snapshot["creator_vectors"] = sorted(con.execute(
                "SELECT platform, account_id, doc_hash, CAST(list_transform(vector, lambda x: round(x, 5)) AS VARCHAR) "
                "FROM creator_vectors SEMI JOIN topic_documents USING (platform, account_id, doc_hash)").fetchall())
        return snapshot
    finally:
        con.close()


def _without_vectors(snapshot: dict[str, list[tuple[object, ...]]]) -> dict[str, list[tuple[object, ...]]]:
    return {k: v for k, v in snapshot.items() if k != "creator_vectors"}


def test_analyze_killed_at_random_moments_publishes_all_or_nothing_and_then_reproduces(tmp_path):
    base = tmp_path / "base.duckdb"
    with open_workspace(db=base) as ws:
        ws.import_bundle(SAMPLE)
    before = _derived(base)

    whole = tmp_path / "whole.duckdb"
    shutil.copy(base, whole)
    started = time.monotonic()
    proc = _analyze(whole)
    assert proc.wait(timeout=300) == 0, proc.stderr.read().decode() if proc.stderr else ""
    took = time.monotonic() - started
    after = _derived(whole)
    assert after != before and after["creator_metrics"], "the uninterrupted analyze found nothing"

    db = tmp_path / "killed.duckdb"
    shutil.copy(base, db)
    rng = random.Random(23)
    limit, killed = took, []
    for kind in ("random", "random", "random", "publish"):
        proc = _analyze(db)
        if kind == "publish":  # the moment its one transaction commits: the write-ahead log appears
            deadline = time.monotonic() + took + 60
            while proc.poll() is None and time.monotonic() < deadline and not Path(f"{db}.wal").exists():
                time.sleep(0.002)
        else:
            delay = rng.uniform(0.2, limit)
            time.sleep(delay)
        if proc.poll() is not None:  # it finished first: aim earlier next time, from the imported state
            limit = min(limit, delay) * 0.7 if kind == "random" else limit
            shutil.copy(base, db)
            Path(f"{db}.wal").unlink(missing_ok=True)
            continue
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        seen = _derived(db)
        vectors = seen.pop("creator_vectors", [])
        assert seen in (before, _without_vectors(after)), f"killed ({kind}): derived tables from two runs"
        # the embedding goes on after the publish, a chunk at a time: each vector read is the run's
        assert set(vectors) <= set(after["creator_vectors"]), f"killed ({kind}): vectors of another run"
        killed.append(kind)

    assert len(killed) >= 2, killed  # kills that landed while it ran
    proc = _analyze(db)
    assert proc.wait(timeout=300) == 0
    assert _derived(db) == after
