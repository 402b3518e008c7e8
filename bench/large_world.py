"""Benchmark: the whole pipeline on the large demo world (1M accounts, ~217k creators), as a user
runs it (issue 18): write the world, import it, analyze it with the topic model (the default
`auto`: word vectors composed at this size), then scout, similar and hashtags warm, against
`creators` (a plain filtered listing) in the same process as the baseline. No memory limit is
set by hand: the workspace's default (`memory_limit = "auto"`) is used. Each phase runs in its
own process and reports its wall time and peak resident memory. Writes
bench/results/large_world.json. Needs about 10 GB of disk.

    nice .venv/bin/python -m bench.large_world [--db existing-large.duckdb | --bundle written-world/bundle]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.analyze_speed import WORK
from bench.machine import machine, now
from bench.scout_speed import _RUN, BRIEF

HERE = Path(__file__).parent
_PEAK = "\nimport resource; print(json.dumps({'peak_mib': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, **out}))"
_WRITE = ("import json, sys; from microscout.demo import write_world\n"
          "w = write_world(sys.argv[1], 'large', 7)\nout = {'bundle': str(w.bundle)}" + _PEAK)
_IMPORT = ("import json, sys; from microscout import open_workspace\n"
           "with open_workspace(db=sys.argv[2]) as ws: r = ws.import_bundle(sys.argv[1])\nout = {}" + _PEAK)
_ANALYZE = ("import json, sys, time; from microscout import open_workspace\n"
            "with open_workspace(db=sys.argv[1]) as ws:\n"
            "    t = time.perf_counter(); r = ws.analyze(embed=False); figures = time.perf_counter() - t\n"
            "    t = time.perf_counter(); v = ws.embed_documents(); topic = time.perf_counter() - t\n"
            "out = {'creators': r.creators, 'figures_seconds': figures, 'topic_seconds': topic,\n"
            "       'documents': v.embedded, 'words_embedded': v.words_embedded}" + _PEAK)


def _phase(code: str, *args: str) -> tuple[float, dict[str, Any]]:
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=HERE.parent)
    if out.returncode:
        raise SystemExit(f"step failed:\n{out.stderr[-3000:]}")
    return time.perf_counter() - t, json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path, default=None, help="an imported large workspace to reuse")
    ap.add_argument("--bundle", type=Path, default=None, help="the large world's bundle, written before: import "
                    "and analyze it, keeping the write figures of the last full run")
    ap.add_argument("--queries-only", action="store_true", help="with --db: time the queries only, keeping the "
                    "write, import and analyze figures of the last full run")
    args = ap.parse_args()
    figures: list[dict[str, Any]] = []

    def add(name: str, value: float, unit: str, note: str = "") -> None:
        figures.append({"figure": name, "value": round(value, 3), "unit": unit, **({"note": note} if note else {})})

    db = args.db
    phases: dict[str, float] = {}
    if db is None:
        WORK.mkdir(exist_ok=True)
        world, db = WORK / "large-world", WORK / "large.duckdb"
        db.unlink(missing_ok=True)
        if args.bundle is None:
            shutil.rmtree(world, ignore_errors=True)
            phases["write"], r = _phase(_WRITE, str(world))
            add("write_seconds", phases["write"], "s")
            add("write_peak_memory", r["peak_mib"], "MiB")
            bundle = r["bundle"]
        else:
            kept = json.loads((HERE / "results" / "large_world.json").read_text())
            for f in kept["figures"]:
                if f["figure"].startswith("write_") and f["figure"] != "write_import_analyze_seconds":
                    figures.append({**f, "note": f"from the run of {kept['date']}"})
                    if f["figure"] == "write_seconds":
                        phases["write"] = f["value"]
            bundle = str(args.bundle)
        phases["import"], r = _phase(_IMPORT, bundle, str(db))
        add("import_seconds", phases["import"], "s")
        add("import_peak_memory", r["peak_mib"], "MiB")
        if args.bundle is None:
            shutil.rmtree(world, ignore_errors=True)
    if args.queries_only:
        kept = json.loads((HERE / "results" / "large_world.json").read_text())
        figures.extend(f for f in kept["figures"] if f["figure"].startswith(("write", "import", "analyze", "topic")))
        r = {"creators": kept["creators"]}
        _queries(db, r["creators"], figures, add)
        return
    phases["analyze"], r = _phase(_ANALYZE, str(db))
    add("analyze_seconds", phases["analyze"], "s", "the process: open, figures, topic vectors")
    add("analyze_figures_seconds", r["figures_seconds"], "s")
    add("analyze_topic_vectors_seconds", r["topic_seconds"], "s",
        f"{r['documents']:,} documents, {r['words_embedded']:,} words embedded")
    add("topic_documents_per_second", r["documents"] / max(r["topic_seconds"], 1e-9), "documents/s")
    add("analyze_peak_memory", r["peak_mib"], "MiB")
    if len(phases) == 3:
        add("write_import_analyze_seconds", sum(phases.values()), "s", "target < 300 s")
    _queries(db, r["creators"], figures, add)


def _queries(db: Path, creators: int, figures: list[dict[str, Any]], add: Any) -> None:
    out = subprocess.run([sys.executable, "-c", _RUN, str(db), str(BRIEF)], capture_output=True, text=True,
                         check=True, cwd=HERE.parent)
    s = json.loads(out.stdout.strip().splitlines()[-1])
    add("scout_cold_seconds", s["cold"], "s")
    add("scout_warm_seconds", s["warm"], "s", "median of 7 runs of the same brief; target < 1 s")
    add("baseline_creators_listing_seconds", s["baseline"], "s")
    add("scout_to_listing_ratio", s["warm"] / s["baseline"], "x")
    for mode, seconds in s["modes"].items():
        add(f"{mode}_seconds", seconds, "s", "median of 3, warm" + ("; target < 2 s" if mode != "among_followers"
                                                                     else ""))
    result = {"benchmark": "large_world", "date": now(), "machine": machine(), "world_size": "large (seed 7)",
              "creators": creators, "brief": BRIEF.name, "topic_model": "auto (words at this size)",
              "memory_limit": "auto (the default)",
              "targets": {"write_import_analyze_seconds": 300, "peak_memory_mib": 8192, "scout_warm_seconds": 1.0,
                          "similar_seconds": 2.0, "hashtags_seconds": 2.0, "topic_documents_per_second": 2000},
              "figures": figures}
    (HERE / "results" / "large_world.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
