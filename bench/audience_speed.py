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
from microscout.authenticity.comment_farms import comment_farm_shares, top_level_comments
from microscout.authenticity.fake_model import default_model
from microscout.authenticity.pods import PodRules, pod_ties, pods_table
from microscout.metrics.window import Window, creators_as_of, posts_used
with open_workspace(db=sys.argv[1]) as ws:
    t = time.perf_counter()
    ws.store.save_table("bench_account_fakes", account_fakes(ws.table("accounts"), default_model()))
    profiles = time.perf_counter() - t
    creators = creators_as_of(ws.table("accounts"), ws.table("posts"))
    used = posts_used(ws.table("posts"), creators, Window())
    ws.store.save_table("bench_top", top_level_comments(ws.table("comments"), used))
    ws.store.save_table("bench_farms", comment_farm_shares(ws.table("bench_top"), ws.table("bench_account_fakes")))
    farms = time.perf_counter() - t - profiles
    ties = pod_ties(ws.table("bench_top"), creators, PodRules()).execute()
    pods = pods_table(ties, creators.select("platform", "account_id", "handle").execute(), PodRules())
    ws.store.save_table("bench_pods", pods)
    pods_s = time.perf_counter() - t - profiles - farms
    ws.store.save_table("bench_audience", audience_quality(ws.table("follows"), ws.table("comments"), ws.table("posts"),
                                                         creators, ws.table("bench_account_fakes"), ws.table("bench_farms")))
    total = time.perf_counter() - t
    edges = ws.table("follows").count().execute()
    comments = ws.table("comments").count().execute()
    creators_n = ws.table("bench_audience").count().execute()
print(json.dumps({"profiles_seconds": profiles, "farms_seconds": farms, "pods_seconds": pods_s, "total_seconds": total,
                  "edges": int(edges), "comments": int(comments), "creators": int(creators_n),
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
              "edges": r["edges"], "comments": r["comments"], "creators": r["creators"],
              "figures": [{"figure": "score_profiles_seconds", "value": round(r["profiles_seconds"], 1), "unit": "s"},
                          {"figure": "comment_farms_seconds", "value": round(r["farms_seconds"], 1), "unit": "s"},
                          {"figure": "pods_seconds", "value": round(r["pods_seconds"], 1), "unit": "s",
                           "note": "quick mutual comment ties in SQL, then Leiden on them"},
                          {"figure": "audience_quality_seconds", "value": round(r["total_seconds"], 1), "unit": "s",
                           "note": "all of it: profiles scored, farms, pods, then every follower edge and "
                                   "commenter of every creator"},
                          {"figure": "edges_per_second", "value": round(r["edges"] / r["total_seconds"]),
                           "unit": "edges/s"},
                          {"figure": "peak_memory", "value": round(r["peak_rss_mib"]), "unit": "MiB"}]}
    (HERE / "results" / "audience_speed.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["figures"], indent=2))
