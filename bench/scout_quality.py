"""Benchmark: how good is scout's ranking? Precision@20 and NDCG@20 on demo-world ground truth.

Six briefs in six languages and places, written as a marketer would, with synonyms and
word forms the generator does not use for that niche. A result is relevant when the creator's
true niche is the brief's and it lives in the brief's country. Each part of the score is then
removed in turn (its weight set to 0, or the relevance input dropped) to see which parts earn
their place. Also counts creators with true fraud labels in any top 20. Where the world holds
fewer than 20 relevant creators, precision@20 cannot reach 1: r_precision (precision over the
first min(20, relevant) results) is reported beside it. Writes
bench/results/scout_quality.json.

    .venv/bin/python -m bench.scout_quality
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb

from microscout.demo import SIZES, write_world
from microscout.workspace import open_workspace

HERE = Path(__file__).parent
SEED = 11
PARAMS = replace(SIZES["small"], accounts=15_000)
K = 20

# niche, country, brief
BRIEFS: list[tuple[str, str, dict[str, Any]]] = [
    ("food", "DE", {"name": "Pflanzliche Backwaren (de)", "topic": "pflanzliche Backwaren und Süßspeisen",
                    "keywords": ["backrezepte", "gebäck", "torten"], "hashtags": ["backen", "veganerkuchen"],
                    "locations": ["DE"], "languages": ["de"]}),
    ("fitness", "FR", {"name": "Remise en forme (fr)", "topic": "entraînement sportif et remise en forme",
                       "keywords": ["sportive", "entraînements", "courir"], "hashtags": ["sportif", "musculations"],
                       "locations": ["FR"], "languages": ["fr"]}),
    ("travel", "PL", {"name": "Wędrówki górskie (pl)", "topic": "podróżowanie i górskie wędrówki",
                      "keywords": ["turystyka", "wyjazdy", "górskie"], "hashtags": ["podróż", "wakacyjne"],
                      "locations": ["PL"], "languages": ["pl"]}),
    ("beauty", "NL", {"name": "Verzorging (nl)", "topic": "gezichtsverzorging en schoonheid",
                      "keywords": ["verzorgings", "cosmeticas"], "hashtags": ["huid", "skincareroutine"],
                      "locations": ["NL"], "languages": ["nl"]}),
    ("gaming", "GB", {"name": "Console gameplay (en)", "topic": "video game streams and console gameplay",
                      "keywords": ["consoles", "games"], "hashtags": ["videogame", "gamers"],
                      "locations": ["GB"], "languages": ["en"]}),
    ("fashion", "DK", {"name": "Bæredygtig mode (da)", "topic": "bæredygtig påklædning og stil",
                       "keywords": ["outfits", "genbrugstøj"], "hashtags": ["genbrugsmode", "modeblogger"],
                       "locations": ["DK"], "languages": ["da"]}),
]
ABLATIONS = {
    "all parts": {},
    "without topic and keywords": {"drop": "keywords"},
    "without hashtags": {"drop": "hashtags"},
    **{f"without {part}": {"weight": part} for part in ("place", "authenticity", "engagement", "community",
                                                        "brand_fit")},
}


def _brief(brief: dict[str, Any], ablation: dict[str, str]) -> dict[str, Any]:
    b = dict(brief)
    if "drop" in ablation:
        b.pop(ablation["drop"])
        if ablation["drop"] == "keywords":
            b.pop("topic")  # the topic's words go through the same keyword ranking
    if "weight" in ablation:
        b["weights"] = {ablation["weight"]: 0.0}
    return b


def _ndcg(hits: list[bool], relevant_total: int) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, h in enumerate(hits) if h)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(relevant_total, len(hits))))
    return dcg / ideal if ideal else 0.0


def _score(ws: Any, ablation: dict[str, str], truth: Any, label: dict[Any, Any]) -> dict[str, Any]:
    per_brief, frauds = {}, 0
    for niche, country, brief in BRIEFS:
        top = ws.scout(_brief(brief, ablation), limit=K)
        keys = list(zip(top.platform, top.account_id, strict=True))
        hits = [label[k].niche == niche and label[k].country == country for k in keys]
        frauds += sum(bool(label[k].fraud) for k in keys)
        relevant = int(((truth.niche == niche) & (truth.country == country)).sum())
        cap = max(min(K, relevant), 1)
        per_brief[brief["name"]] = {"precision_at_20": sum(hits) / K, "ndcg_at_20": _ndcg(hits, relevant),
                                    "r_precision": sum(hits[:cap]) / cap, "relevant_in_world": relevant}
    return {"precision_at_20": sum(b["precision_at_20"] for b in per_brief.values()) / len(per_brief),
            "r_precision": sum(b["r_precision"] for b in per_brief.values()) / len(per_brief),
            "ndcg_at_20": sum(b["ndcg_at_20"] for b in per_brief.values()) / len(per_brief),
            "fraud_labelled_in_top_20": frauds, "briefs": per_brief}


class _World:
    def __init__(self, root: Path) -> None:
        self.bundle, self.truth = root / "bundle", root / "truth"


def evaluate() -> dict[str, Any]:
    tmp = HERE / "work" / "scout_quality"  # kept between runs: the world and its topic vectors take minutes
    if not (tmp / "w" / "truth" / "world.json").exists():
        write_world(tmp / "w", params=PARAMS, seed=SEED)
    world = _World(tmp / "w")
    # brands, employees and fans who tag brands post too, so scout may propose one: never what is asked
    truth = duckdb.sql(f"""SELECT t.platform, t.account_id, CASE WHEN t.role = 'creator' THEN t.niche END AS niche,
        a.country,
        len(list_intersect(t.fraud, ['bought_followers', 'bought_engagement', 'engagement_pod'])) > 0 AS fraud
        FROM read_parquet('{world.truth}/accounts-*.parquet') t
        JOIN read_parquet('{world.bundle}/accounts-*.parquet') a USING (platform, account_id)""").df()
    label = {(r.platform, r.account_id): r for r in truth.itertuples()}
    out: dict[str, Any] = {}
    with open_workspace(db=Path(tmp) / "ws.duckdb") as ws:
        ws.import_bundle(world.bundle)
        run = ws.analyze()
        out["analyze"] = {"creators": run.creators, "documents_embedded": run.embedded, "seconds": round(run.seconds, 1)}
        for name, ablation in ABLATIONS.items():
            out[name] = _score(ws, ablation, truth, label)
    # the same workspace without the topic model: keywords and hashtags carry relevance alone
    with open_workspace(db=Path(tmp) / "ws.duckdb", topic_model="none") as ws:
        out["without topic similarity"] = _score(ws, {}, truth, label)
    return out


if __name__ == "__main__":
    from bench.machine import machine, now

    result = {"benchmark": "scout_quality", "date": now(), "machine": machine(),
              "world_size": f"demo, {PARAMS.accounts:,} accounts, seed {SEED}",
              "relevant": "the creator's true niche is the brief's and it lives in the brief's country",
              "targets": {"precision_at_20": 0.9, "fraud_labelled_in_top_20": 0},
              "briefs": [b for _, _, b in BRIEFS], "results": evaluate()}
    (HERE / "results" / "scout_quality.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(result["results"].pop("analyze", None))
    for name, r in result["results"].items():
        print(f"{name:28s} P@20 {r['precision_at_20']:.3f}  R-prec {r['r_precision']:.3f}  "
              f"NDCG@20 {r['ndcg_at_20']:.3f}  "
              f"fraud in top 20: {r['fraud_labelled_in_top_20']}  "
              + " ".join(f"{b['precision_at_20']:.2f}" for b in r["briefs"].values()))
