"""Benchmark: how well topic search places creators, and how fast it builds their vectors
(issue 18: at least 2,000 documents a second, at 0.9 of the sentence model's placement or better).

Two ways of building a creator's vector (discovery/topic_vectors.py): `sentences` (the whole
document through multilingual-e5-small) and `words` (the same model's word vectors composed,
discovery/word_vectors.py). Two data sets:

- the hand-written multilingual set of bench/data/topic_handset.py (not the demo world's text):
  each text is a creator document, each niche's English query a query; a text is placed right
  when its nearest query is its own niche; precision@k ranks every text for each query (k = the
  niche's size, 18). Single texts, and pairs joined the way a creator document joins a bio and
  its captions. `words` is measured as the product runs it on a workspace of these 180 documents
  alone (too few to learn the common directions from: only the mean is removed) and with its
  space learnt from these documents among a demo world's (a workspace of ~1,700);
- a demo world (seed 11, 15,000 accounts, 1,483 creators): each of the six scout-quality briefs'
  topics (six languages) ranks all creators; precision@50 counts those of the brief's niche.

Documents a second: the handset's at the document length analyze uses, and the demo world's (for
words: embedding every word once, then composing; the word cache makes later runs faster still),
each against the model's load time in the same run. Writes bench/results/topic_quality.json.

    .venv/bin/python -m bench.topic_quality
"""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from bench.data import topic_handset
from bench.machine import machine, now
from bench.scout_quality import BRIEFS
from microscout.demo import SIZES, write_world
from microscout.discovery import topic_vectors, word_vectors
from microscout.workspace import open_workspace

HERE = Path(__file__).parent
DEMO_K = 50


def _placement(docs: np.ndarray, queries: np.ndarray, labels: list[str]) -> dict[str, float]:
    niches = list(topic_handset.QUERIES)
    sim = docs @ queries.T
    truth = np.array(labels)
    placed = float((np.array(niches)[sim.argmax(1)] == truth).mean())
    precision = []
    for j, niche in enumerate(niches):
        k = int((truth == niche).sum())
        precision.append(float((truth[np.argsort(-sim[:, j])[:k]] == niche).mean()))
    return {"placement_accuracy": round(placed, 3), "precision_at_niche_size": round(float(np.mean(precision)), 3)}


def _queries(texts: list[str], space: np.ndarray | None) -> np.ndarray:
    q = np.array([topic_vectors.embed_query(t) for t in texts])
    return q if space is None else word_vectors.project(q, space)


def _composed(texts: list[str]) -> tuple[np.ndarray, np.ndarray, float]:
    t = time.perf_counter()
    vectors, space, _, _ = word_vectors.document_vectors(texts, None, topic_vectors.embed_words)
    return vectors, space, time.perf_counter() - t


def _demo_world() -> tuple[list[str], list[str]]:
    """The creators' documents of a demo world and each one's true niche."""
    root = HERE / "work" / "topic_quality"
    if not (root / "w" / "truth" / "world.json").exists():
        write_world(root / "w", params=replace(SIZES["small"], accounts=15_000), seed=11)
    with open_workspace(db=root / "ws.duckdb", topic_model="none") as ws:
        if not ws.store.has_table("discovery_creators"):
            ws.import_bundle(root / "w" / "bundle")
            ws.analyze()
        docs = topic_vectors.document_texts(topic_vectors.documents(
            ws.table("accounts"), ws.table("discovery_recent"), ws.table("discovery_creators").select(
                "platform", "account_id")))
    truth = duckdb.sql(f"SELECT platform, account_id, niche FROM "
                       f"read_parquet('{root}/w/truth/accounts-*.parquet')").df()
    labelled = docs.merge(truth, on=["platform", "account_id"], how="left")
    return labelled.text.tolist(), labelled.niche.fillna("").tolist()


def _demo_precision(docs: np.ndarray, queries: np.ndarray, labels: list[str]) -> float:
    truth = np.array(labels)
    sim = docs @ queries.T
    return round(float(np.mean([(truth[np.argsort(-sim[:, j])[:DEMO_K]] == niche).mean()
                                for j, (niche, _, _) in enumerate(BRIEFS)])), 3)


def main() -> None:
    if not topic_vectors.available():
        raise SystemExit("the topic model is not installed: pip install -e '.[topic]'")
    t = time.perf_counter()
    topic_vectors.embed_passages(["warm up"])
    load = time.perf_counter() - t
    figures: list[dict[str, Any]] = [{"figure": "model_load_seconds", "value": round(load, 2), "unit": "s",
                                      "note": "baseline: loading the model, in the same run"}]

    def add(name: str, value: float, unit: str, note: str = "") -> None:
        figures.append({"figure": name, "value": value, "unit": unit, **({"note": note} if note else {})})

    demo_texts, demo_labels = _demo_world()
    sets = {"single": topic_handset.items(), "paired": topic_handset.paired()}
    queries = list(topic_handset.QUERIES.values())
    for name, rows in sets.items():
        texts = [text[:topic_vectors.DOC_CHARS] for _, _, text in rows]
        labels = [niche for niche, _, _ in rows]
        t = time.perf_counter()
        found = _placement(np.array(topic_vectors.embed_passages(texts)), _queries(queries, None), labels)
        seconds = time.perf_counter() - t
        for key, value in found.items():
            add(f"sentences_{key}_{name}", value, "share")
        add(f"sentences_documents_per_second_{name}", round(len(texts) / seconds, 1), "documents/s")
        vectors, space, seconds = _composed(texts)
        for key, value in _placement(vectors, _queries(queries, space), labels).items():
            add(f"words_{key}_{name}", value, "share", "a workspace of these 180 documents only: mean removed")
        add(f"words_documents_per_second_{name}", round(len(texts) / seconds, 1), "documents/s",
            "every word embedded anew: a corpus this small has few words a document shares")
        vectors, space, _ = _composed(texts + demo_texts)
        for key, value in _placement(vectors[:len(texts)], _queries(queries, space), labels).items():
            add(f"words_{key}_{name}_among_demo_documents", value, "share",
                f"the space learnt among {len(demo_texts):,} demo-world documents: mean and 2 directions removed")
    briefs = [brief["topic"] for _, _, brief in BRIEFS]
    t = time.perf_counter()
    sentence_docs = np.array(topic_vectors.embed_passages(demo_texts))
    seconds = time.perf_counter() - t
    add("sentences_demo_precision_at_50", _demo_precision(sentence_docs, _queries(briefs, None), demo_labels),
        "share", f"{len(demo_texts):,} creators, 6 briefs' topics in 6 languages")
    add("sentences_documents_per_second_demo", round(len(demo_texts) / seconds, 1), "documents/s")
    vectors, space, seconds = _composed(demo_texts)
    add("words_demo_precision_at_50", _demo_precision(vectors, _queries(briefs, space), demo_labels), "share")
    add("words_documents_per_second_demo", round(len(demo_texts) / seconds, 1), "documents/s",
        "every word embedded once, then composed")
    result = {"benchmark": "topic_quality", "date": now(), "machine": machine(),
              "world_size": f"hand-written set: 180 texts, 10 niches, 6 languages; demo world: "
                            f"{len(demo_texts):,} creators (seed 11)",
              "model": topic_vectors.MODEL, "targets": {"documents_per_second": 2000,
                                                        "placement_share_of_sentences": 0.9},
              "figures": figures}
    (HERE / "results" / "topic_quality.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
