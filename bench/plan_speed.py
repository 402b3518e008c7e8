"""Benchmark: `plan` over 1,000 candidates of the medium demo world, in-process and warm, against
scout's own shortlist of the same 1,000 (the plan starts from it) in the same process as the
baseline. Writes bench/results/plan_speed.json.

    .venv/bin/python -m bench.plan_speed [--db existing-medium.duckdb]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from bench.analyze_speed import _workspace
from bench.machine import machine, now

HERE = Path(__file__).parent
BRIEF = HERE.parent / "examples" / "brief-vegan-berlin.toml"


def main() -> None:
    import microscout
    from microscout.plan import strategies

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path, default=None, help="an imported medium workspace to reuse")
    args = ap.parse_args()
    db = _workspace(args.db)
    parts: dict[str, list[float]] = {"audience": []}
    build = strategies.build_audience

    def timed_build(*a, **k):  # the audience units alone, inside the plan
        t = time.perf_counter()
        out = build(*a, **k)
        parts["audience"].append(time.perf_counter() - t)
        return out

    strategies.build_audience = timed_build
    with microscout.open(db) as ws:
        ws.analyze()
        ws.plan(BRIEF, budget=5000, candidates=1000)  # warm: the workspace's tables are read once
        runs, base = [], []
        for _ in range(3):
            t = time.perf_counter()
            record = ws.plan(BRIEF, budget=5000, candidates=1000)
            runs.append(time.perf_counter() - t)
            t = time.perf_counter()
            ws.scout(BRIEF, limit=1000)
            base.append(time.perf_counter() - t)
        follows = ws.table("follows").count().execute()
    plan_s, scout_s = statistics.median(runs), statistics.median(base)
    result = {"benchmark": "plan_speed", "date": now(), "machine": machine(), "world_size": "medium (seed 7)",
              "follow_edges": int(follows), "brief": BRIEF.name, "budget": 5000, "candidates": record["candidates"],
              "targets": {"plan_seconds": 2.0},
              "figures": [{"figure": "plan_seconds", "value": round(plan_s, 3), "unit": "s",
                           "note": "median of 3, warm, 1,000 candidates plus the macro ones"},
                          {"figure": "audience_units_seconds", "value": round(statistics.median(parts["audience"]), 3),
                           "unit": "s", "note": "building the audience units from the follower samples"},
                          {"figure": "baseline_scout_1000_seconds", "value": round(scout_s, 3), "unit": "s"},
                          {"figure": "plan_to_scout_ratio", "value": round(plan_s / scout_s, 2), "unit": "x"},
                          {"figure": "picks", "value": len(record["picks"]), "unit": "creators"},
                          {"figure": "unique_reach", "value": record["unique_reach"], "unit": "people"}]}
    (HERE / "results" / "plan_speed.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["figures"], indent=2))


if __name__ == "__main__":
    main()
