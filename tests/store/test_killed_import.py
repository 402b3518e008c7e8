"""A real import killed in the middle of writing leaves the workspace exactly as it was."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bench.synthetic_bundle import write_synthetic_bundle
from tests.conftest import counts

from microscout import open_workspace

SAMPLE = Path(__file__).parent.parent.parent / "examples" / "sample-bundle"


def test_kill_during_the_merge_leaves_the_workspace_unchanged(tmp_path):
    db = tmp_path / "ws.duckdb"
    with open_workspace(db=db) as ws:
        ws.import_bundle(SAMPLE)
        before = counts(ws)
    big = tmp_path / "big"
    write_synthetic_bundle(big, 1_500_000, "parquet")
    size_before = db.stat().st_size
    proc = subprocess.Popen([sys.executable, "-m", "microscout.cli", "import", str(big), "--db", str(db)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    # Staging happens in memory; the workspace file grows only once the merge writes into it.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if db.stat().st_size > size_before or Path(str(db) + ".wal").exists():
            break
        time.sleep(0.005)
    assert proc.poll() is None, "the import finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    with open_workspace(db=db) as ws:
        assert counts(ws) == before
        assert len(ws.info()["imports"]) == 1
        ws.import_bundle(SAMPLE)  # still a working workspace
        assert counts(ws) == before
