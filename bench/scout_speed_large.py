"""Benchmark: one brief on the large demo world (about 1M accounts), keywords and hashtags only
(embedding a million documents' topics on 2 cores would take hours; the medium figure has the
topic model). Steps, each timed: write the world, import it, analyze, then scout cold and warm
against `creators` (a plain filtered listing) in the same process as the baseline. Writes
bench/results/scout_speed_large.json. Needs about 10 GB of disk and an hour.

    nice .venv/bin/python -m bench.scout_speed_large [--db existing-large.duckdb]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.analyze_speed import WORK
from bench.machine import machine, now
from bench.scout_speed import _RUN, BRIEF

HERE = Path(__file__).parent
_WRITE = ("import sys; from microscout.demo import write_world\n"
          "w = write_world(sys.argv[1], 'large', 7)\nprint(w.bundle)")
_IMPORT = ("import sys; from microscout import open_workspace\n"
           "with open_workspace(db=sys.argv[2], topic_model='none') as ws: ws.import_bundle(sys.argv[1])\nprint('{}')")


MEMORY = {"MICROSCOUT_TOPIC_MODEL": "none"}


def _timed(code: str, *args: str) -> tuple[float, str]:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         cwd=HERE.parent, env={**os.environ, **MEMORY})
    if out.returncode:
        raise SystemExit(f"step failed:\n{out.stderr[-3000:]}")
    return time.perf_counter() - t, out.stdout.strip().splitlines()[-1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--memory-limit", default="12GB", help="DuckDB's memory_limit setting (default 2GB is too "
                    "little to analyze a million accounts)")
    args = ap.parse_args()
    MEMORY["MICROSCOUT_MEMORY_LIMIT"] = args.memory_limit
    steps: dict[str, float] = {}
    db = args.db
    if db is None:
        WORK.mkdir(exist_ok=True)
        world, db = WORK / "large-world", WORK / "large.duckdb"
        shutil.rmtree(world, ignore_errors=True)
        db.unlink(missing_ok=True)
        steps["write_seconds"], bundle = _timed(_WRITE, str(world))
        steps["import_seconds"], _ = _timed(_IMPORT, bundle, str(db))
        shutil.rmtree(world, ignore_errors=True)
    _, line = _timed(_RUN, str(db), str(BRIEF))
    r = json.loads(line)
    result = {"benchmark": "scout_speed_large", "date": now(), "machine": machine(), "world_size": "large (seed 7)",
              "creators": r["creators"], "brief": BRIEF.name, "topic_model": "none (keywords and hashtags)",
              "memory_limit": args.memory_limit,
              "targets": "none for the large world (issue 6: measure it); < 1 s warm is the medium world's",
              "figures": [*[{"figure": k, "value": round(v, 1), "unit": "s"} for k, v in steps.items()],
                          {"figure": "analyze_seconds", "value": round(r["analyze"]["seconds"], 1), "unit": "s"},
                          {"figure": "scout_cold_seconds", "value": round(r["cold"], 3), "unit": "s"},
                          {"figure": "scout_warm_seconds", "value": round(r["warm"], 3), "unit": "s",
                           "note": "median of 7 runs of the same brief"},
                          {"figure": "baseline_creators_listing_seconds", "value": round(r["baseline"], 3),
                           "unit": "s"},
                          {"figure": "scout_to_listing_ratio", "value": round(r["warm"] / r["baseline"], 2),
                           "unit": "x"},
                          *[{"figure": f"{mode}_seconds", "value": round(v, 3), "unit": "s",
                             "note": "median of 3, warm"} for mode, v in r["modes"].items()]]}
    (HERE / "results" / "scout_speed_large.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["figures"], indent=2))


if __name__ == "__main__":
    main()
