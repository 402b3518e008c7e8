"""Benchmark: write the medium demo world and import it; seconds and peak memory of each.

Each step runs in a fresh process, so its peak resident memory is its own. The baseline in
the same run is DuckDB copying the written bundle into a file without checks, as in
bench/import_speed.py. Writes bench/results/demo_world.json.

    .venv/bin/python -m bench.demo_world [--size medium] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from bench.import_speed import _IMPORT, _RAW
from bench.machine import machine, now

HERE = Path(__file__).parent
WORK = HERE / "work"

_WRITE = """
import json, resource, sys, time
from microscout.demo import write_world
t = time.perf_counter()
world = write_world(sys.argv[1], sys.argv[2], int(sys.argv[3]))
print(json.dumps({"seconds": time.perf_counter() - t, "rows": world.rows,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _run(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench(size: str, seed: int) -> dict:
    out = WORK / f"demo-{size}"
    shutil.rmtree(out, ignore_errors=True)
    WORK.mkdir(exist_ok=True)
    written = _run(_WRITE, str(out), size, str(seed))
    db = WORK / f"demo-{size}.duckdb"
    db.unlink(missing_ok=True)
    imported = _run(_IMPORT, str(out / "bundle"), str(db))
    db.unlink(missing_ok=True)
    raw = _run(_RAW, str(out / "bundle"), str(db), "parquet")
    db.unlink(missing_ok=True)
    bundle_mib = sum(p.stat().st_size for p in (out / "bundle").iterdir()) / 2**20
    shutil.rmtree(out, ignore_errors=True)
    total = written["seconds"] + imported["seconds"]
    return {
        "benchmark": "demo_world", "date": now(), "machine": machine(), "world_size": size, "seed": seed,
        "rows": written["rows"], "bundle_mib": round(bundle_mib, 1),
        "targets": {"write_and_import_seconds": 300, "peak_memory_mib": 3072},
        "figures": [
            {"figure": "write_seconds", "value": round(written["seconds"], 1), "unit": "s"},
            {"figure": "write_peak_memory", "value": round(written["peak_rss_mib"]), "unit": "MiB"},
            {"figure": "import_seconds", "value": round(imported["seconds"], 1), "unit": "s"},
            {"figure": "import_peak_memory", "value": round(imported["peak_rss_mib"]), "unit": "MiB"},
            {"figure": "import_rows_per_second", "value": round(imported["rows"] / imported["seconds"]),
             "unit": "rows/s"},
            {"figure": "write_and_import_seconds", "value": round(total, 1), "unit": "s"},
            {"figure": "baseline_duckdb_copy_seconds", "value": round(raw["seconds"], 1), "unit": "s",
             "note": "posts, comments, follows and accounts copied into a DuckDB file without checks"},
            {"figure": "import_to_baseline_ratio", "value": round(imported["seconds"] / raw["seconds"], 2),
             "unit": "x"},
        ],
    }


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", default="medium")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    result = bench(args.size, args.seed)
    out = HERE / "results" / f"demo_world{'' if args.size == 'medium' else '_' + args.size}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["figures"], indent=2))
