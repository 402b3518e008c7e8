"""Benchmark: does a plan spend on the brief's subject? On the small demo world (seed 7, topic model on, whose
truth gives every creator's niche and whether it stopped posting), the README's example brief
(vegan bakery in Berlin, 5,000 EUR) and three more (vegan baking, running, natural skincare;
3,000 EUR each), planned with the relevance floor and the flag policy
(the default) and without them (floor 0, every caution flag allowed: what plans did before):
picks of the brief's niche, of another niche (people with no niche of their own, who tag a
brand, are neither), the share of money on the brief's niche, and inactive picks.
Writes bench/results/plan_on_subject.json.

    .venv/bin/python -m bench.plan_on_subject
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import duckdb

from bench.machine import machine, now

HERE = Path(__file__).parent
BRIEFS = {
    # the README's example brief (examples/brief-vegan-berlin.toml) with its 5,000 EUR
    "food, Berlin (README)": {"name": "Vegan bakery, Berlin launch", "topic": "vegan baking, cakes",
                              "keywords": ["vegan", "kuchen"], "hashtags": ["veganbacken", "vegan"],
                              "locations": ["Berlin, DE"], "languages": ["de"], "tiers": ["nano", "micro"],
                              "persona": {"countries": ["DE"]}, "budget": 5000},
    "food": {"name": "Vegan bakery", "topic": "vegan baking, cakes", "keywords": ["vegan", "kuchen"],
             "hashtags": ["veganbacken", "vegan"], "budget": 3000},
    "fitness": {"name": "Running shoes", "keywords": ["running", "laufen", "workout"], "budget": 3000},
    "beauty": {"name": "Natural skincare", "keywords": ["skincare", "hautpflege", "naturkosmetik"], "budget": 3000},
}
EVERY_FLAG_ALLOWED = {f: "allow" for f in ("inactive", "private", "competitor_partner", "undisclosed_ads",
                                           "growth_spike", "generic_comments", "heavy_sponsorship")}


def _measure(db: Path, truth: dict, **settings: object) -> dict:
    from microscout import open_workspace

    out = {}
    with open_workspace(db=db, topic_model="auto", **settings) as ws:
        for niche, brief in BRIEFS.items():
            record = ws.plan(brief)
            picks = record["picks"]
            on = [p for p in picks if truth[(p["platform"], p["account_id"])][0] == niche.split(",")[0]]
            other = [p for p in picks if truth[(p["platform"], p["account_id"])][0] not in (niche.split(",")[0], None)]
            spent = sum(p["cost"] for p in picks) or 1.0
            out[niche] = {"picks": len(picks), "picks_on_subject": len(on), "picks_of_another_niche": len(other),
                          "money_on_subject_share": round(sum(p["cost"] for p in on) / spent, 3),
                          "inactive_picks": sum(truth[(p["platform"], p["account_id"])][1] for p in picks),
                          "unique_reach": record["unique_reach"], "left_out": record.get("choices", {}).get("left_out")}
    return out


def main() -> None:
    from microscout import open_workspace
    from microscout.demo import write_world

    with tempfile.TemporaryDirectory() as tmp:
        world = write_world(Path(tmp) / "w", "small", 7)
        rows = duckdb.sql(f"SELECT platform, account_id, niche, inactive FROM "
                          f"read_parquet('{world.truth}/accounts-*.parquet')").fetchall()
        truth = {(a, b): (n, bool(i)) for a, b, n, i in rows}
        db = Path(tmp) / "ws.duckdb"
        with open_workspace(db=db, topic_model="auto") as ws:
            ws.import_bundle(world.bundle)
            ws.analyze()
        now_ = _measure(db, truth)
        before = _measure(db, truth, plan_min_relevance=0.0, plan_flags=EVERY_FLAG_ALLOWED)
    out = {"benchmark": "plan_on_subject", "world": "demo small, seed 7 (topic model on)", "date": now(),
           "machine": machine(), "budget": "3,000 EUR per brief", "with_floor_and_policy": now_,
           "without_them_as_before": before}
    (HERE / "results" / "plan_on_subject.json").write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps({k: v for k, v in out.items() if k != "machine"}, indent=1))


if __name__ == "__main__":
    main()
