"""Benchmark: one brief on the medium demo world, in-process, cold (a fresh process: open the
workspace, first scout) and warm (the same brief again), against `creators` (a plain filtered
listing) in the same process as the baseline. Writes bench/results/scout_speed.json.

    .venv/bin/python -m bench.scout_speed [--db existing-medium.duckdb]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from bench.analyze_speed import _workspace
from bench.machine import machine, now

HERE = Path(__file__).parent
BRIEF = HERE.parent / "examples" / "brief-vegan-berlin.toml"

_RUN = """
import json, statistics, sys, time
t0 = time.perf_counter()
import ibis
import microscout
with microscout.open(sys.argv[1]) as ws:
    run = ws.analyze()  # brings the workspace up to date first (and embeds the documents the first time)
    analyzed = {"seconds": run.seconds, "embedded": run.embedded}
    t = time.perf_counter()
    first = ws.scout(sys.argv[2], limit=50)
    cold = time.perf_counter() - t
    warm = []
    for _ in range(7):
        t = time.perf_counter()
        ws.scout(sys.argv[2], limit=50)
        warm.append(time.perf_counter() - t)
    base = []
    for _ in range(7):
        t = time.perf_counter()
        ws.creators(tier="micro", sort="-engagement_rate", limit=50)
        base.append(time.perf_counter() - t)
    creators = ws.table("creator_metrics").count().execute()
    f = ws.table("follows")
    top = f.group_by(["platform", "followee_id"]).agg(n=f.count()).order_by(ibis.desc("n")).limit(1).execute()
    brand = f"{top.platform[0]}:{top.followee_id[0]}"
    modes = {}
    for name, call in (("among_followers", lambda: ws.scout_records(sys.argv[2], 50, [brand])),
                       ("similar", lambda: ws.similar(f"{first.platform[0]}:{first.account_id[0]}", 50)),
                       ("hashtags", lambda: ws.niche_hashtags("vegan baking", "Berlin, DE", (), 20))):
        runs = []
        for _ in range(3):
            t = time.perf_counter()
            call()
            runs.append(time.perf_counter() - t)
        modes[name] = statistics.median(runs)
    vectors = ws.table("creator_vectors").count().execute() if ws.store.has_table("creator_vectors") else 0
print(json.dumps({"cold": cold, "warm": statistics.median(warm), "warm_max": max(warm), "modes": modes,
                  "vectors": int(vectors), "analyze": analyzed,
                  "baseline": statistics.median(base), "creators": int(creators), "results": len(first)}))
"""


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path, default=None, help="an imported medium workspace to reuse")
    args = ap.parse_args()
    db = _workspace(args.db)
    out = subprocess.run([sys.executable, "-c", _RUN, str(db), str(BRIEF)], capture_output=True, text=True,
                         check=True, cwd=HERE.parent)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    result = {"benchmark": "scout_speed", "date": now(), "machine": machine(), "world_size": "medium (seed 7)",
              "creators": r["creators"], "brief": BRIEF.name, "targets": {"warm_seconds": 1.0},
              "figures": [{"figure": "scout_cold_seconds", "value": round(r["cold"], 3), "unit": "s",
                           "note": "first scout in a fresh process, after opening the workspace"},
                          {"figure": "scout_warm_seconds", "value": round(r["warm"], 3), "unit": "s",
                           "note": "median of 7 runs of the same brief"},
                          {"figure": "scout_warm_max_seconds", "value": round(r["warm_max"], 3), "unit": "s"},
                          {"figure": "baseline_creators_listing_seconds", "value": round(r["baseline"], 3), "unit": "s",
                           "note": "`creators --tier micro --sort -engagement_rate`, median of 7"},
                          {"figure": "scout_to_listing_ratio", "value": round(r["warm"] / r["baseline"], 2),
                           "unit": "x"},
                          *[{"figure": f"{mode}_seconds", "value": round(v, 3), "unit": "s",
                             "note": "median of 3, warm"} for mode, v in r["modes"].items()]],
              "topic_vectors": r["vectors"], "analyze_before": r["analyze"],
              "large_world": "bench/results/large_world.json (bench/large_world.py)"}
    (HERE / "results" / "scout_speed.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["figures"], indent=2))
