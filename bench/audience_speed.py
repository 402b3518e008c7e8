"""Benchmark: score every follower edge and commenter of the medium world (≈ 11M edges):
fake probabilities for every profile, then audience quality for every creator.
Writes bench/results/audience_speed.json.

    .venv/bin/python -m bench.audience_speed [--db existing-medium.duckdb]
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

_SCORE = """
import json, resource, sys, time
from microscout import open_workspace
from microscout.authenticity.audience import account_fakes, audience_quality
from microscout.authenticity.fake_model import default_model
from microscout.metrics.window import creators_as_of
with open_workspace(db=sys.argv[1]) as ws:
    t = time.perf_counter()
    ws.store.save_table("bench_account_fakes", account_fakes(ws.table("accounts"), default_model()))
    profiles = time.perf_counter() - t
    creators = creators_as_of(ws.table("accounts"), ws.table("posts"))
    ws.store.save_table("bench_audience", audience_quality(ws.table("follows"), ws.table("comments"), ws.table("posts"),
                                                         creators, ws.table("bench_account_fakes")))
    total = time.perf_counter() - t
    edges = ws.table("follows").count().execute()
    creators_n = ws.table("bench_audience").count().execute()
print(json.dumps({"profiles_seconds": profiles, "total_seconds": total, "edges": int(edges), "creators": int(creators_n),
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path, default=None)
    args = ap.parse_args()
    db = _workspace(args.db)
    out = subprocess.run([sys.executable, "-c", _SCORE, str(db)], capture_output=True, text=True, check=True,
                         cwd=HERE.parent)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    result = {"benchmark": "audience_speed", "date": now(), "machine": machine(), "world_size": "medium (seed 7)",
              "edges": r["edges"], "creators": r["creators"],
              "figures": [{"figure": "score_profiles_seconds", "value": round(r["profiles_seconds"], 1), "unit": "s"},
                          {"figure": "audience_quality_seconds", "value": round(r["total_seconds"], 1), "unit": "s",
                           "note": "profiles scored, then every follower edge and commenter of every creator"},
                          {"figure": "edges_per_second", "value": round(r["edges"] / r["total_seconds"]),
                           "unit": "edges/s"},
                          {"figure": "peak_memory", "value": round(r["peak_rss_mib"]), "unit": "MiB"}]}
    (HERE / "results" / "audience_speed.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["figures"], indent=2))
