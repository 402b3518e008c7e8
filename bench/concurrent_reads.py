"""Benchmark: uncached reads under load (issue 23, item 6). `microscout serve` on the small demo
world in its own process on loopback; 20 clients for 30 s, each cycling through reads the page
cache does not hold: the creators API (other pages and sorts), one creator (vet), info, and scout
with other topics. Per kind: p50 and p95. Baseline in the same run: the same reads from one
client (the cost of a read alone), so `p95 / alone p50` says what waiting adds.
Targets: reads p95 < 300 ms, scout p95 < 1 s under 20 clients.

    .venv/bin/python -m bench.concurrent_reads [--db analysed-small.duckdb] [--seconds 30]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from bench.machine import machine, now
from bench.web_latency import _pct, _start

HERE = Path(__file__).parent
WORK = HERE / ".work"
TOPICS = ["vegan baking, cakes", "trail running", "skincare routine", "board games", "urban gardening",
          "coffee roasting", "street photography", "home workouts"]
SORTS = ["-followers", "followers", "-engagement_rate", "handle"]


def _world(db: Path | None) -> Path:
    if db is not None:
        return db
    WORK.mkdir(exist_ok=True)
    world, target = WORK / "reads-world", WORK / "reads-small.duckdb"
    target.unlink(missing_ok=True)
    code = ("import sys; from microscout.demo import write_world; from microscout import open_workspace\n"
            "w = write_world(sys.argv[1], 'small', 7)\n"
            "with open_workspace(db=sys.argv[2]) as ws: ws.import_bundle(w.bundle); ws.analyze()\n")
    subprocess.run([sys.executable, "-c", code, str(world), str(target)], check=True)
    return target


def _calls(creators: list[dict]) -> dict:
    def creators_page(c: httpx.Client, rng: random.Random) -> httpx.Response:
        return c.get("/api/v1/creators", params={"offset": rng.randrange(0, 2000), "limit": 50,
                                                 "sort": rng.choice(SORTS)})

    def creator(c: httpx.Client, rng: random.Random) -> httpx.Response:
        pick = rng.choice(creators)
        return c.get(f"/api/v1/creators/{pick['platform']}/{pick['account_id']}")

    def info(c: httpx.Client, rng: random.Random) -> httpx.Response:
        return c.get("/api/v1/info")

    def scout(c: httpx.Client, rng: random.Random) -> httpx.Response:
        return c.post("/api/v1/scout", json={"name": "load", "topic": rng.choice(TOPICS),
                                             "tiers": ["nano", "micro"]})

    return {"creators": creators_page, "creator": creator, "info": info, "scout": scout}


def _summary(times: list[float]) -> dict[str, float]:
    return {"requests": len(times), "p50_ms": round(statistics.median(times) * 1000, 1),
            "p95_ms": round(_pct(times, 0.95) * 1000, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path, default=None)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--port", type=int, default=8767)
    args = ap.parse_args()
    db = _world(args.db)
    proc = _start(db, args.port)
    base = f"http://127.0.0.1:{args.port}"
    try:
        with httpx.Client(base_url=base, timeout=300) as client:
            creators = client.get("/api/v1/creators", params={"limit": 500}).json()["items"]
            calls = _calls(creators)
            rng = random.Random(1)
            for call in calls.values():  # warm: the first read after a start may analyze
                call(client, rng).raise_for_status()
            alone: dict[str, dict[str, float]] = {}
            for name, call in calls.items():
                times = []
                for _ in range(15):
                    t = time.perf_counter()
                    call(client, rng).raise_for_status()
                    times.append(time.perf_counter() - t)
                alone[name] = _summary(times)
        seen: dict[str, list[float]] = {name: [] for name in calls}
        errors: list[str] = []
        guard = threading.Lock()
        stop = time.monotonic() + args.seconds

        def client_loop(i: int) -> None:
            r = random.Random(100 + i)
            names = list(calls)
            with httpx.Client(base_url=base, timeout=120) as c:
                k = i
                while time.monotonic() < stop:
                    name = names[k % len(names)]
                    k += 1
                    t = time.perf_counter()
                    try:
                        ok = calls[name](c, r).status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    with guard:
                        seen[name].append(time.perf_counter() - t)
                        if not ok:
                            errors.append(name)

        threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(args.clients)]
        started = time.monotonic()
        for th in threads:
            th.start()
        for th in threads:
            th.join()
        elapsed = time.monotonic() - started
    finally:
        proc.terminate()
        proc.wait(30)
    load = {name: _summary(times) for name, times in seen.items()}
    reads = [t for name, times in seen.items() if name != "scout" for t in times]
    load["all_reads_but_scout"] = _summary(reads)
    figures = [{"figure": f"alone_{name}_{k}", "value": v, "unit": "ms"}
               for name, d in alone.items() for k, v in d.items() if k != "requests"]
    figures += [{"figure": f"load_{name}_{k}", "value": v, "unit": "ms"}
                for name, d in load.items() for k, v in d.items() if k != "requests"]
    figures += [{"figure": f"load_{name}_p95_to_alone_p50", "unit": "x",
                 "value": round(load[name]["p95_ms"] / max(alone[name]["p50_ms"], 0.1), 1)} for name in alone]
    result = {"benchmark": "concurrent_reads", "date": now(), "machine": machine(),
              "world_size": "small demo world (seed 7)", "clients": args.clients, "seconds": round(elapsed, 1),
              "errors": len(errors), "targets": {"reads_p95_ms": 300, "scout_p95_ms": 1000},
              "alone": alone, "load": load, "figures": figures}
    out = HERE / "results" / "concurrent_reads.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({"alone": alone, "load": load, "errors": len(errors)}, indent=2))


if __name__ == "__main__":
    main()
