"""Benchmark: how fast the CLI starts: `microscout --help` and `microscout info` in a fresh process,
and `info` through a running `microscout serve` on the same file, against a bare `python -c pass`
in the same run (issue 18: all < 0.3 s). Python caches compiled modules as it does on a user's
machine (PYTHONDONTWRITEBYTECODE unset), after one warm-up run. Writes bench/results/startup.json.

    .venv/bin/python -m bench.startup
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.machine import machine, now

HERE = Path(__file__).parent
SAMPLE = HERE.parent / "examples" / "sample-bundle"


ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(args: list[str], cwd: Path, runs: int = 7) -> float:
    subprocess.run(args, cwd=cwd, capture_output=True, check=True, env=ENV)  # writes the bytecode caches
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(args, cwd=cwd, capture_output=True, check=True, env=ENV)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _through_server(cli: list[str], cwd: Path) -> float:
    server = subprocess.Popen([*cli, "serve", "--port", "0"], cwd=cwd, env=ENV, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    try:
        assert server.stdout is not None
        for line in server.stdout:  # the address file is written before it says where it serves
            if "serving" in line:
                break
        return timed([*cli, "info"], cwd)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    cli = [sys.executable, "-m", "microscout.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        cwd = Path(tmp)
        subprocess.run([*cli, "import", str(SAMPLE)], cwd=cwd, capture_output=True, check=True)
        bare = timed([sys.executable, "-c", "pass"], cwd)
        helped = timed([*cli, "--help"], cwd)
        info = timed([*cli, "info"], cwd)
        served = _through_server(cli, cwd)
    figures = [
        {"figure": "help_seconds", "value": round(helped, 3), "unit": "s", "note": "microscout --help, median of 7"},
        {"figure": "info_seconds", "value": round(info, 3), "unit": "s",
         "note": "microscout info on the sample bundle's workspace, median of 7"},
        {"figure": "info_through_server_seconds", "value": round(served, 3), "unit": "s",
         "note": "microscout info while `microscout serve` holds the workspace, median of 7"},
        {"figure": "python_seconds", "value": round(bare, 3), "unit": "s", "note": "baseline: python -c pass"},
        {"figure": "help_over_python", "value": round(helped / bare, 2), "unit": "ratio"},
        {"figure": "info_over_python", "value": round(info / bare, 2), "unit": "ratio"},
    ]
    result = {"benchmark": "startup", "date": now(), "machine": machine(), "world_size": "sample bundle (6 accounts)",
              "targets": {"help_seconds": 0.3, "info_seconds": 0.3, "info_through_server_seconds": 0.3}, "figures": figures}
    (HERE / "results" / "startup.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(figures, indent=1))


if __name__ == "__main__":
    main()
