"""Benchmark: how long the whole test suite takes on this machine (issue 21: under 8 minutes on
2 cores), on one worker per core as scripts/test.sh runs it, beside the time pytest needs only
to collect the tests (the fixed cost every run pays). Writes bench/results/suite_time.json.

    .venv/bin/python -m bench.suite_time
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

from bench.machine import machine, now

HERE = Path(__file__).parent
ROOT = HERE.parent
# earlier figures of the same suite on this machine, for the record (from the closing notes)
BEFORE = [
    {"figure": "suite_seconds_one_process_before", "value": 1066, "unit": "s",
     "note": "577 tests in one process, clean-clone CI before pytest-xdist"},
    {"figure": "suite_seconds_two_workers_before", "value": 592, "unit": "s",
     "note": "591 tests on two workers, each CLI test a new process (this stop, before the in-process runner)"},
]


def _timed(args: list[str]) -> tuple[float, str]:
    t = time.perf_counter()
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def main() -> None:
    pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    collect, _ = _timed([*pytest, "--collect-only"])
    suite, out = _timed([*pytest, "-n", "auto", "--dist", "loadfile"])
    passed = int(re.search(r"(\d+) passed", out).group(1))  # type: ignore[union-attr]
    result = {
        "benchmark": "suite_time",
        "date": now(),
        "machine": machine(),
        "world_size": f"the whole test suite ({passed} tests)",
        "targets": {"suite_seconds": 480},
        "figures": [
            {"figure": "suite_seconds", "value": round(suite, 1), "unit": "s",
             "note": "pytest -n auto --dist loadfile, one worker per core"},
            {"figure": "collect_seconds", "value": round(collect, 1), "unit": "s",
             "note": "baseline: pytest --collect-only in the same run"},
            {"figure": "suite_over_collect", "value": round(suite / collect, 1), "unit": "ratio"},
            {"figure": "tests_passed", "value": passed, "unit": "tests"},
            *BEFORE,
        ],
    }
    out_path = HERE / "results" / "suite_time.json"
    out_path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result["figures"][:4], indent=2))


if __name__ == "__main__":
    main()
