"""Benchmark: tracking a campaign on the medium demo world.

The campaign: the world's most used hashtag over 30 days, its 20 busiest creators made partners
(with fees and discount codes), and 2,000 orders on their codes. Measured (median of 5, after a
warm-up that analyses the workspace): the full tracking report (posts, KPIs per creator and
tier, user-generated posts, disclosure check, orders read and checked row by row), and the
shareable HTML report with its three charts. Baseline in the same run: one DuckDB query that only
counts the campaign's posts, the floor of any tracking. Writes bench/results/campaign_track.json.

    .venv/bin/python -m bench.campaign_track [--db existing-medium.duckdb]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import time
from datetime import timedelta
from pathlib import Path

from bench.analyze_speed import WORK, _workspace
from bench.machine import machine, now

HERE = Path(__file__).parent


def _median_seconds(fn, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--db", type=Path, default=None)
    args = ap.parse_args()
    import ibis

    from microscout import open_workspace
    from microscout.campaigns.report import report_html
    from microscout.campaigns.tracking import define_campaign

    source = _workspace(args.db)
    db = WORK / "campaign-medium.duckdb"
    shutil.copy(source, db)
    with open_workspace(db=db) as ws:
        posts = ws.table("posts")
        newest = posts.created_at.max().execute()
        start = (newest - timedelta(days=30)).date()
        recent = posts.filter(posts.created_at >= start)
        counts = recent.select(tag=recent.hashtags.unnest()).group_by("tag").aggregate(n=ibis._.count())
        tag = counts.order_by(ibis.desc("n")).limit(1).execute().tag.iloc[0]
        tagged = recent.filter(recent.hashtags.contains(tag))
        busiest = (tagged.group_by(["platform", "account_id"]).aggregate(n=tagged.count())
                   .order_by(tagged.count().desc()).limit(20).execute())
        rng = random.Random(7)
        codes = []
        for i, r in enumerate(busiest.itertuples()):
            code = f"CODE{i:02d}"
            codes.append(code)
            ws.relate(f"{r.platform}:{r.account_id}", "benchbrand",
                      {"stage": "live", "fee": float(rng.randint(50, 900)), "discount_code": code}, version=0)
        orders = WORK / "campaign-orders.csv"
        last = newest.date()
        with orders.open("w") as f:
            f.write("code,revenue,ordered_at\n")
            for _ in range(2000):
                day = start + timedelta(days=rng.randint(0, (last - start).days))
                f.write(f"{rng.choice(codes)},{rng.uniform(5, 120):.2f},{day.isoformat()}\n")
        campaign = define_campaign("benchbrand", start, last, hashtags=[tag])
        report = ws.track(campaign, "benchbrand", orders)  # warm-up: analyses the workspace once
        track_s = _median_seconds(lambda: ws.track(campaign, "benchbrand", orders))
        html_s = _median_seconds(lambda: report_html(report))
        count_s = _median_seconds(lambda: tagged.count().execute())
        result = {
            "benchmark": "campaign_track", "date": now(), "machine": machine(), "world_size": "medium (seed 7)",
            "campaign": {"hashtag": tag, "days": (last - start).days + 1, "partners": len(report["creators"]),
                         "partner_posts": report["total"]["posts"],
                         "user_generated_posts": report["user_generated"]["posts"], "orders": 2000},
            "figures": [
                {"figure": "track_report", "value": round(track_s, 3), "unit": "s",
                 "note": "KPIs, user-generated posts, disclosure and 2,000 orders checked; median of 5"},
                {"figure": "html_report", "value": round(html_s, 3), "unit": "s",
                 "note": "the shareable report with three SVG charts; median of 5"},
                {"figure": "baseline_count_campaign_posts", "value": round(count_s, 4), "unit": "s"},
                {"figure": "track_over_baseline", "value": round(track_s / count_s, 1), "unit": "ratio"},
            ],
        }
    db.unlink(missing_ok=True)
    out = HERE / "results" / "campaign_track.json"
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result["figures"], indent=2))


if __name__ == "__main__":
    main()
