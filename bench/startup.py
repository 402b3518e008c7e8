"""Benchmark: how fast the CLI starts: `microscout --help` and `microscout info` in a fresh process,
against a bare `python -c pass` in the same run (issue 18: both < 0.3 s). Writes
bench/results/startup.json.

    .venv/bin/python -m bench.startup
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.machine import machine, now

HERE = Path(__file__).parent
SAMPLE = HERE.parent / "examples" / "sample-bundle"


def timed(args: list[str], cwd: Path, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(args, cwd=cwd, capture_output=True, check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    cli = [sys.executable, "-m", "microscout.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        subprocess.run([*cli, "import", str(SAMPLE)], cwd=cwd, capture_output=True, check=True)
        bare = timed([sys.executable, "-c", "pass"], cwd)
        helped = timed([*cli, "--help"], cwd)
        info = timed([*cli, "info"], cwd)
    figures = [
        {"figure": "help_seconds", "value": round(helped, 3), "unit": "s", "note": "microscout --help, median of 7"},
        {"figure": "info_seconds", "value": round(info, 3), "unit": "s",
         "note": "microscout info on the sample bundle's workspace, median of 7"},
        {"figure": "python_seconds", "value": round(bare, 3), "unit": "s", "note": "baseline: python -c pass"},
        {"figure": "help_over_python", "value": round(helped / bare, 2), "unit": "ratio"},
        {"figure": "info_over_python", "value": round(info / bare, 2), "unit": "ratio"},
    ]
    result = {"benchmark": "startup", "date": now(), "machine": machine(), "world_size": "sample bundle (6 accounts)",
              "targets": {"help_seconds": 0.3, "info_seconds": 0.3}, "figures": figures}
    (HERE / "results" / "startup.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
