"""Benchmark: the dashboard and API on the medium demo world, served by `microscout serve` in its
own process on loopback.

1. Latency, one client, 30 requests each (after a warm-up): the home page, the creators list, a
   creator's page, and scout through the API; p50 and p95. Pages keep their data until the
   workspace changes, so repeated views are served from that cache; first views (30 other list
   pages, 30 other creators) are measured apart. Baseline in the same run: a static file
   (/static/app.css), the server's floor.
2. A bounded load run: 20 concurrent clients for 30 s on the first three; p95, requests per
   second and errors (target p95 < 300 ms, no errors).
Writes bench/results/web_latency.json.

    .venv/bin/python -m bench.web_latency [--db existing-medium.duckdb] [--seconds 30]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from bench.analyze_speed import _workspace
from bench.machine import machine, now

HERE = Path(__file__).parent
BRIEF = {"name": "Vegan bakery, Berlin launch", "topic": "vegan baking, cakes", "keywords": ["vegan", "kuchen"],
         "hashtags": ["veganbacken", "vegan"], "locations": ["Berlin, DE"], "languages": ["de"],
         "tiers": ["nano", "micro"]}


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _start(db: Path, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROSCOUT_")}
    proc = subprocess.Popen([sys.executable, "-m", "microscout.cli", "serve", "--port", str(port), "--db", str(db)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while True:
        line = proc.stdout.readline()
        if not line:
            raise RuntimeError(proc.stderr.read())
        if line.startswith("token for writes:"):
            return proc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--port", type=int, default=8765)
    args = ap.parse_args()
    db = _workspace(args.db)
    proc = _start(db, args.port)
    base = f"http://127.0.0.1:{args.port}"
    try:
        with httpx.Client(base_url=base, timeout=60) as client:
            some = client.get("/api/v1/creators", params={"tier": "micro", "limit": 31}).json()["items"]
            top = some[0]
            creator = f"/creators/{top['platform']}/{top['account_id']}"
            # first views: pages no one asked for yet, so the server computes them (no cached data)
            first_views = {}
            for name, paths in (("creators_list_first_view", [f"/creators?page={i}" for i in range(2, 32)]),
                                ("creator_first_view", [f"/creators/{c['platform']}/{c['account_id']}"
                                                        for c in some[1:31]])):
                times = []
                for path in paths:
                    t = time.perf_counter()
                    client.get(path).raise_for_status()
                    times.append(time.perf_counter() - t)
                first_views[name] = {"p50_ms": round(statistics.median(times) * 1000, 1),
                                     "p95_ms": round(_pct(times, 0.95) * 1000, 1)}
            pages = {"home": lambda: client.get("/"), "creators_list": lambda: client.get("/creators"),
                     "creator": lambda: client.get(creator),
                     "scout_api": lambda: client.post("/api/v1/scout", json=BRIEF),
                     "baseline_static": lambda: client.get("/static/app.css")}
            latency = {}
            for name, call in pages.items():
                for _ in range(3):
                    call().raise_for_status()
                times = []
                for _ in range(30):
                    t = time.perf_counter()
                    call().raise_for_status()
                    times.append(time.perf_counter() - t)
                latency[name] = {"p50_ms": round(statistics.median(times) * 1000, 1),
                                 "p95_ms": round(_pct(times, 0.95) * 1000, 1)}
            latency.update(first_views)
        load_paths = ["/", "/creators", creator]
        times: list[float] = []
        errors: list[str] = []
        guard = threading.Lock()
        stop = time.monotonic() + args.seconds

        def client_loop(i: int) -> None:
            with httpx.Client(base_url=base, timeout=60) as c:
                k = i
                while time.monotonic() < stop:
                    path = load_paths[k % len(load_paths)]
                    k += 1
                    t = time.perf_counter()
                    try:
                        r = c.get(path)
                        ok = r.status_code == 200
                    except httpx.HTTPError as e:
                        ok, r = False, e
                    with guard:
                        times.append(time.perf_counter() - t)
                        if not ok:
                            errors.append(str(getattr(r, "status_code", r)))

        threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(20)]
        started = time.monotonic()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        elapsed = time.monotonic() - started
    finally:
        proc.terminate()
        proc.wait(30)
    load = {"clients": 20, "seconds": round(elapsed, 1), "requests": len(times), "errors": len(errors),
            "requests_per_second": round(len(times) / elapsed, 1), "p50_ms": round(statistics.median(times) * 1000, 1),
            "p95_ms": round(_pct(times, 0.95) * 1000, 1)}
    figures = [{"figure": f"{name}_{k}", "value": v, "unit": "ms"} for name, d in latency.items() for k, v in d.items()]
    figures += [{"figure": f"load_{k}", "value": v, "unit": "ms" if k.endswith("_ms") else ""} for k, v in load.items()]
    figures.append({"figure": "home_p50_to_static_p50", "value": round(latency["home"]["p50_ms"] /
                                                                        max(latency["baseline_static"]["p50_ms"], 0.1), 1),
                    "unit": "x"})
    result = {"benchmark": "web_latency", "date": now(), "machine": machine(), "world_size": "medium (seed 7)",
              "targets": {"load_p95_ms": 300, "errors": 0}, "latency": latency, "load": load, "figures": figures}
    (HERE / "results" / "web_latency.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({"latency": latency, "load": load}, indent=2))


if __name__ == "__main__":
    main()
