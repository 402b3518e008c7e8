"""Benchmark: `vet` on one creator with 30 posts, ~300 sampled followers and their comments, on a
workspace of its own (issue 17: one such vet answered too slowly to be read). Times the first vet
after an import (which analyzes the workspace first), then vet on the analysed workspace, against
`info` in the same process as the baseline. Writes bench/results/vet_speed.json.

    .venv/bin/python -m bench.vet_speed
"""

from __future__ import annotations

import json
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.machine import machine, now
from microscout import open_workspace

HERE = Path(__file__).parent


def write_bundle(root: Path, posts: int = 30, followers: int = 300, seed: int = 3) -> Path:
    rng = random.Random(seed)
    root.mkdir(parents=True)
    (root / "bundle.json").write_text(json.dumps({"platform": "instagram", "collected_at": "2026-11-01T12:00:00Z"}))
    acc = ["account_id,handle,followers,following,posts_count,bio,has_profile_pic",
           "c1,lena.bakes,8200,410,320,Vegan baking in Berlin,true"]
    acc += [f"f{i},fan.{i}{rng.randint(0, 9999) if i % 7 == 0 else ''},{rng.randint(20, 900)},"
            f"{rng.randint(50, 3000)},{rng.randint(0, 200)},,{str(i % 9 != 0).lower()}" for i in range(followers)]
    (root / "accounts.csv").write_text("\n".join(acc) + "\n")
    post_rows = ["post_id,account_id,created_at,caption,likes,comments"]
    post_rows += [f"p{k},c1,2026-10-{1 + k % 30:02d}T{8 + k % 10:02d}:00:00Z,Kuchen Nummer {k} #vegan,"
                  f"{rng.randint(200, 600)},{rng.randint(5, 40)}" for k in range(posts)]
    (root / "posts.csv").write_text("\n".join(post_rows) + "\n")
    (root / "follows.csv").write_text("follower_id,followee_id\n" + "".join(f"f{i},c1\n" for i in range(followers)))
    comments = ["comment_id,post_id,author_id,created_at,text"]
    comments += [f"k{j},p{j % posts},f{rng.randrange(followers)},2026-10-{1 + (j % posts) % 30:02d}T20:00:00Z,"
                 f"so good {j}" for j in range(posts * 8)]
    (root / "comments.csv").write_text("\n".join(comments) + "\n")
    return root


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        bundle = write_bundle(Path(tmp) / "b")
        with open_workspace(db=Path(tmp) / "ws.duckdb", topic_model="none") as ws:
            ws.import_bundle(bundle)
            t = time.perf_counter()
            ws.vet("instagram:c1")
            first = time.perf_counter() - t
            warm, base = [], []
            for _ in range(7):
                t = time.perf_counter()
                ws.vet("instagram:c1")
                warm.append(time.perf_counter() - t)
                t = time.perf_counter()
                ws.info()
                base.append(time.perf_counter() - t)
    w, b = statistics.median(warm), statistics.median(base)
    result = {"benchmark": "vet_speed", "date": now(), "machine": machine(),
              "world_size": "1 creator, 30 posts, 300 sampled followers, 240 comments",
              "targets": {"vet_seconds": 2.0},
              "figures": [
                  {"figure": "vet_first_seconds", "value": round(first, 3), "unit": "s",
                   "note": "first vet after the import: analyzes the workspace first"},
                  {"figure": "vet_warm_seconds", "value": round(w, 3), "unit": "s", "note": "median of 7"},
                  {"figure": "info_seconds", "value": round(b, 3), "unit": "s", "note": "baseline, median of 7"},
                  {"figure": "vet_over_info", "value": round(w / b, 2), "unit": "ratio"},
              ]}
    (HERE / "results" / "vet_speed.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["figures"], indent=1))


if __name__ == "__main__":
    main()
