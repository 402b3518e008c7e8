"""Benchmark: `analyze` on the medium demo world against the same metrics in vectorised pandas.

Both run in fresh processes on the same imported workspace, one after the other, so each
peak memory is its own. pandas' time is counted without loading its tables from the
workspace (reported apart), which favours pandas. Writes bench/results/analyze_speed.json.

    .venv/bin/python -m bench.analyze_speed [--db existing-medium.duckdb]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from bench.machine import machine, now

HERE = Path(__file__).parent
WORK = HERE / "work"

_ANALYZE = """
import json, resource, sys, time
from microscout import open_workspace
with open_workspace(db=sys.argv[1]) as ws:
    t = time.perf_counter()
    result = ws.analyze(full=True)  # every creator computed anew, not only those with new data
    seconds = time.perf_counter() - t
    m = ws.table("creator_metrics").select("platform", "account_id", "rate_median", "posts_used",
                                          "sponsored_share", "reply_rate").execute()
    # like for like with pandas: the core metrics alone, without benchmarks, authenticity and flags
    from microscout.analysis import DATA_TABLES, tier_scheme
    from microscout.metrics.creator_metrics import compute_creator_metrics
    t = time.perf_counter()
    core, _ = compute_creator_metrics({n: ws.table(n) for n in DATA_TABLES}, tier_scheme(ws.settings))
    ws.store.save_table("bench_core_metrics", core)
    core_seconds = time.perf_counter() - t
m.to_parquet(sys.argv[2])
print(json.dumps({"seconds": seconds, "core_seconds": core_seconds, "creators": result.creators,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

_PANDAS = """
import json, resource, sys, time
import duckdb
from bench.pandas_metrics import pandas_metrics
t = time.perf_counter()
con = duckdb.connect(sys.argv[1], read_only=True)
tables = {name: con.execute(f"SELECT * FROM {name}").df() for name in ("accounts", "posts", "comments", "snapshots")}
con.close()
load = time.perf_counter() - t
t = time.perf_counter()
out = pandas_metrics(tables["accounts"], tables["posts"], tables["comments"], tables["snapshots"])
seconds = time.perf_counter() - t
out[["platform", "account_id", "rate_median", "posts_used", "sponsored_share", "reply_rate"]].to_parquet(sys.argv[2])
print(json.dumps({"seconds": seconds, "load_seconds": load, "creators": len(out),
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _run(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True,
                         cwd=HERE.parent)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _workspace(db: Path | None) -> Path:
    if db is not None:
        return db
    WORK.mkdir(exist_ok=True)
    world, target = WORK / "analyze-world", WORK / "analyze-medium.duckdb"
    target.unlink(missing_ok=True)
    code = ("import sys; from microscout.demo import write_world; from microscout import open_workspace\n"
            "w = write_world(sys.argv[1], 'medium', 7)\n"
            "with open_workspace(db=sys.argv[2]) as ws: ws.import_bundle(w.bundle)\nprint('{}')")
    _run(code, str(world), str(target))
    shutil.rmtree(world, ignore_errors=True)
    return target


def bench(db: Path | None) -> dict:
    import pandas as pd

    workspace = _workspace(db)
    WORK.mkdir(exist_ok=True)
    ms_out, pd_out = WORK / "ms.parquet", WORK / "pd.parquet"
    ms = _run(_ANALYZE, str(workspace), str(ms_out))
    base = _run(_PANDAS, str(workspace), str(pd_out))
    a = pd.read_parquet(ms_out).set_index(["platform", "account_id"]).sort_index()
    b = pd.read_parquet(pd_out).set_index(["platform", "account_id"]).sort_index()
    both = a.join(b, how="outer", lsuffix="_ms", rsuffix="_pd")
    agree = {}
    for col in ("rate_median", "posts_used", "sponsored_share", "reply_rate"):
        x, y = both[f"{col}_ms"].astype(float), both[f"{col}_pd"].astype(float)
        agree[col] = float((((x - y).abs() < 1e-9) | (x.isna() & y.isna())).mean())
    return {
        "benchmark": "analyze_speed", "date": now(), "machine": machine(), "world_size": "medium (seed 7)",
        "creators": ms["creators"],
        "targets": {"speedup_vs_pandas": 3.0, "seconds": 60, "peak_memory_mib": 4096},
        "figures": [
            {"figure": "analyze_seconds", "value": round(ms["seconds"], 1), "unit": "s"},
            {"figure": "analyze_peak_memory", "value": round(ms["peak_rss_mib"]), "unit": "MiB"},
            {"figure": "pandas_seconds", "value": round(base["seconds"], 1), "unit": "s",
             "note": "compute only; loading the tables took " + f"{base['load_seconds']:.1f} s more"},
            {"figure": "pandas_peak_memory", "value": round(base["peak_rss_mib"]), "unit": "MiB"},
            {"figure": "speedup_vs_pandas", "value": round(base["seconds"] / ms["seconds"], 2), "unit": "x",
             "note": "all of analyze (benchmarks, audience quality, comment farms, pods, flags) against "
                     "pandas doing the core metrics only"},
            {"figure": "core_metrics_seconds", "value": round(ms["core_seconds"], 1), "unit": "s"},
            {"figure": "speedup_vs_pandas_like_for_like", "value": round(base["seconds"] / ms["core_seconds"], 2),
             "unit": "x", "note": "the same core metrics on both sides"},
        ],
        "agreement_with_pandas": agree,
        "agreement_note": "share of creators whose figure is the same in both (equal within 1e-9, or both unknown)",
    }


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path, default=None, help="an imported medium workspace to reuse")
    args = ap.parse_args()
    result = bench(args.db)
    (HERE / "results" / "analyze_speed.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["figures"], indent=2), json.dumps(result["agreement_with_pandas"]))
