"""Benchmark: the same analytics on PySpark (local[*], this machine) and on DuckDB, on a demo
world (issue 18, item 3). Each backend imports the world, analyzes it (topic model on, the
default `auto`) and scouts the README's brief, each phase in its own process with its wall time
and peak memory (the Python process and, for PySpark, its Java driver, together). Then every figure of
`creator_metrics` is compared for a random sample of creators, and the scout's ranking as a
whole. Writes bench/results/spark_world.json.

    nice .venv/bin/python -m bench.spark_world [--size medium] [--sample 2000]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.analyze_speed import WORK
from bench.machine import machine, now
from bench.scout_speed import BRIEF

HERE = Path(__file__).parent

_OPEN = ("import json, sys, time; from microscout import open_workspace\n"
         "ws = open_workspace(db=sys.argv[2], backend=sys.argv[3], warehouse=sys.argv[4],\n"
         "                    spark_master='local[*]')\n")
_PEAK = "ws.close()\nprint(json.dumps(out))"
_IMPORT = _OPEN + "r = ws.import_bundle(sys.argv[1])\nout = {'rows': r.total_rows}\n" + _PEAK
_ANALYZE = _OPEN + ("t = time.perf_counter(); r = ws.analyze(); out = {'creators': r.creators, 'embedded': r.embedded}\n"
                    + _PEAK)
_SCOUT = _OPEN + ("t = time.perf_counter(); first = ws.scout(sys.argv[1], limit=50); cold = time.perf_counter() - t\n"
                  "t = time.perf_counter(); ws.scout(sys.argv[1], limit=50); warm = time.perf_counter() - t\n"
                  "out = {'cold': cold, 'warm': warm,\n"
                  "       'ranking': [[p, a, round(float(s), 9)] for p, a, s in\n"
                  "                   zip(first.platform, first.account_id, first.score, strict=True)]}\n" + _PEAK)
_SAMPLE = _OPEN + ("import pandas as pd\n"
                   "m = ws.table('creator_metrics')\n"
                   "keys = pd.read_json(sys.argv[1], dtype=False)\n"
                   "import ibis\n"
                   "df = m.semi_join(ibis.memtable(keys), ['platform', 'account_id']).execute()\n"
                   "df.sort_values(['platform', 'account_id']).to_parquet(sys.argv[5])\n"
                   "out = {'rows': len(df)}\n" + _PEAK)


def _phase(code: str, *args: str) -> tuple[float, dict[str, Any]]:
    """Run a step in its own process; its wall time, its output and (as `peak_mib`) the largest
    resident memory of the process and its children together (PySpark's Java driver is one),
    sampled every 0.2 s."""
    import psutil

    t = time.perf_counter()
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        proc = subprocess.Popen([sys.executable, "-c", code, *args], stdout=stdout, stderr=stderr, text=True,
                                cwd=HERE.parent)
        peak = 0
        watched = psutil.Process(proc.pid)
        while proc.poll() is None:
            with contextlib.suppress(psutil.Error):
                tree = [watched, *watched.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            time.sleep(0.2)
        seconds = time.perf_counter() - t
        stdout.seek(0)
        stderr.seek(0)
        if proc.returncode:
            raise SystemExit(f"step failed:\n{stderr.read()[-3000:]}")
        return seconds, {**json.loads(stdout.read().strip().splitlines()[-1]), "peak_mib": peak // 2**20}


def _compare(duck_file: Path, spark_file: Path) -> dict[str, Any]:
    """Cells compared, cells that differ (floats beyond 1e-9 relative), and the columns they are in."""
    import pandas as pd

    a, b = pd.read_parquet(duck_file), pd.read_parquet(spark_file)
    a, b = a.reset_index(drop=True), b.reset_index(drop=True)
    differ: dict[str, int] = {}
    cells = 0
    worst = 0.0
    for column in a.columns:
        x, y = a[column], b[column]
        cells += len(x)
        if pd.api.types.is_float_dtype(x) or pd.api.types.is_float_dtype(y):
            for u, v in zip(x.astype(float), y.astype(float), strict=True):
                if math.isnan(u) and math.isnan(v):
                    continue
                gap = abs(u - v) / max(abs(u), abs(v), 1e-12)
                worst = max(worst, gap if not math.isnan(gap) else 1.0)
                if not gap <= 1e-9:
                    differ[column] = differ.get(column, 0) + 1
        else:
            n = sum(str(u) != str(v) for u, v in zip(x, y, strict=True))
            if n:
                differ[column] = n
    return {"creators": len(a), "columns": len(a.columns), "cells": cells, "cells_differing": sum(differ.values()),
            "columns_differing": differ, "largest_relative_gap": worst}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--size", default="medium", choices=["small", "medium", "large"])
    ap.add_argument("--bundle", type=Path, default=None, help="an existing bundle of that world to reuse")
    ap.add_argument("--sample", type=int, default=2000, help="creators whose every figure is compared")
    args = ap.parse_args()
    WORK.mkdir(exist_ok=True)
    work = WORK / f"spark-{args.size}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    bundle = args.bundle
    if bundle is None:
        _phase("import sys, json; from microscout.demo import write_world\n"
               "w = write_world(sys.argv[1], sys.argv[2], 7); print(json.dumps({}))", str(work / "world"), args.size)
        bundle = work / "world" / "bundle"
    figures: list[dict[str, Any]] = []
    rankings: dict[str, list[Any]] = {}
    for backend in ("duckdb", "pyspark"):
        where = [str(work / f"{backend}.duckdb"), backend, str(work / f"{backend}.warehouse")]
        for phase, code, first in (("import", _IMPORT, str(bundle)), ("analyze", _ANALYZE, ""),
                                   ("scout", _SCOUT, str(BRIEF))):
            seconds, r = _phase(code, first, *where)
            figures.append({"figure": f"{backend}_{phase}_seconds", "value": round(seconds, 1), "unit": "s",
                            "note": "the whole process: start, open, the step"})
            figures.append({"figure": f"{backend}_{phase}_peak_memory", "value": r["peak_mib"], "unit": "MiB",
                            "note": "the Python process and its children (the Java driver) together"})
            if phase == "scout":
                figures.append({"figure": f"{backend}_scout_warm_seconds", "value": round(r["warm"], 3), "unit": "s"})
                rankings[backend] = r["ranking"]
    import duckdb

    con = duckdb.connect(str(work / "duckdb.duckdb"), read_only=True)
    keys = con.execute(f"SELECT platform, account_id FROM creator_metrics USING SAMPLE {args.sample} ROWS "
                       "(reservoir, 7)").df()
    con.close()
    keys_file = work / "sample.json"
    keys.to_json(keys_file, orient="records")
    for backend in ("duckdb", "pyspark"):
        _phase(_SAMPLE, str(keys_file), str(work / f"{backend}.duckdb"), backend, str(work / f"{backend}.warehouse"),
               str(work / f"{backend}-sample.parquet"))
    agreement = _compare(work / "duckdb-sample.parquet", work / "pyspark-sample.parquet")
    same_ranking = [r[:2] for r in rankings["duckdb"]] == [r[:2] for r in rankings["pyspark"]]
    by = {f["figure"]: f["value"] for f in figures}
    for phase in ("import", "analyze"):
        figures.append({"figure": f"pyspark_to_duckdb_{phase}_ratio", "unit": "x",
                        "value": round(by[f"pyspark_{phase}_seconds"] / by[f"duckdb_{phase}_seconds"], 2)})
    result = {"benchmark": "spark_world", "date": now(), "machine": machine(), "world_size": f"{args.size} (seed 7)",
              "spark_master": "local[*]", "topic_model": "auto", "brief": BRIEF.name, "figures": figures,
              "agreement": agreement, "scout_top_50_same_order": same_ranking}
    (HERE / "results" / "spark_world.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
