"""Benchmark: import a generated 5M-row bundle (Parquet, then CSV); rows/s and peak memory.

Each import runs in a fresh process (so peak memory is its own) into a fresh workspace. The
baseline in the same run is DuckDB copying the same files into a file without any checks
(`CREATE TABLE AS SELECT * FROM read_*`): the ratio says what validation and merging cost.
Writes bench/results/import_speed.json.

    .venv/bin/python -m bench.import_speed [--rows 5000000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from bench.machine import machine, now
from bench.synthetic_bundle import write_synthetic_bundle

HERE = Path(__file__).parent
WORK = HERE / "work"

_IMPORT = """
import json, resource, sys, time
from microscout import open_workspace
t = time.perf_counter()
with open_workspace(db=sys.argv[2]) as ws:
    result = ws.import_bundle(sys.argv[1])
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "rows": result.total_rows, "phases": result.phase_seconds,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_RAW = """
import json, resource, sys, time, duckdb
from pathlib import Path
t = time.perf_counter()
con = duckdb.connect(sys.argv[2])
con.execute("SET enable_progress_bar = false")
fmt = sys.argv[3]
reader = "read_parquet" if fmt == "parquet" else "read_csv"
rows = 0
for table in ("accounts", "posts", "comments", "follows"):
    files = sorted(str(p) for p in Path(sys.argv[1]).glob(f"{table}*.{fmt}"))
    con.execute(f"CREATE TABLE {table} AS SELECT * FROM {reader}({files!r})")
    rows += con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
con.close()
seconds = time.perf_counter() - t
print(json.dumps({"seconds": seconds, "rows": rows,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _run(code: str, *args: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench(rows: int) -> dict[str, object]:
    WORK.mkdir(exist_ok=True)
    figures = []
    for fmt in ("parquet", "csv"):
        bundle = WORK / f"bundle-{fmt}"
        shutil.rmtree(bundle, ignore_errors=True)
        write_synthetic_bundle(bundle, rows, fmt)
        size_mib = sum(p.stat().st_size for p in bundle.iterdir()) / 2**20
        results = {}
        for name, code in (("microscout", _IMPORT), ("duckdb_copy_baseline", _RAW)):
            db = WORK / f"{name}-{fmt}.duckdb"
            db.unlink(missing_ok=True)
            results[name] = _run(code, str(bundle), str(db), fmt)
            db.unlink(missing_ok=True)
        ms, raw = results["microscout"], results["duckdb_copy_baseline"]
        figures.append({
            "figure": f"import_{fmt}", "format": fmt, "rows": int(ms["rows"]), "bundle_mib": round(size_mib, 1),
            "seconds": round(ms["seconds"], 2), "rows_per_second": round(ms["rows"] / ms["seconds"]),
            "peak_memory_mib": round(ms["peak_rss_mib"]),
            "phase_seconds": {k: round(v, 2) for k, v in ms["phases"].items()},
            "baseline_seconds": round(raw["seconds"], 2),
            "baseline_rows_per_second": round(raw["rows"] / raw["seconds"]),
            "baseline_peak_memory_mib": round(raw["peak_rss_mib"]),
            "ratio_to_baseline": round(ms["seconds"] / raw["seconds"], 2),
            "unit": "rows/s (whole import call, in-process); peak resident memory in MiB",
        })
        shutil.rmtree(bundle, ignore_errors=True)
    return {"benchmark": "import_speed", "date": now(), "machine": machine(), "world_size": f"{rows} rows",
            "targets": {"parquet_rows_per_second": 500_000, "peak_memory_mib": 2048},
            "figures": figures}


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rows", type=int, default=5_000_000)
    args = ap.parse_args()
    result = bench(args.rows)
    out = HERE / "results" / "import_speed.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["figures"], indent=2))
