"""Topic vectors composed from word vectors (discovery/word_vectors.py): the arithmetic on vectors
whose answers are known, then the way analyze keeps, reuses and forgets the words."""

from __future__ import annotations

import numpy as np
import pytest
from tests.conftest import csv_of, write_bundle
from tests.discovery.test_scout import ACCOUNT_COLS, CREATORS, POST_COLS, _world

from microscout import open_workspace
from microscout.discovery import topic_vectors, word_vectors
from microscout.discovery.word_vectors import compose, document_frequency, fit_space, project, words


def test_words_are_lower_cased_hashtags_kept_and_numbers_left_out():
    assert words("Vegane KUCHEN #veganBacken 2026 café ünd 3x") == ["vegane", "kuchen", "veganbacken", "café",
                                                                     "ünd", "3x"]


def test_a_document_is_the_idf_weighted_sum_of_its_words():
    vocab = ["cake", "run", "the"]
    vectors = np.eye(3, dtype=np.float32)
    docs = [["cake", "the"], ["run", "the"], ["cake", "cake", "the"], ["nothing", "known"]]
    df = document_frequency(docs)
    out = compose(docs, vocab, vectors, df)
    idf = {w: np.log(5 / (df[w] + 0.5)) for w in vocab}
    # "the" is in three documents of four and weighs less than "cake" (two) and "run" (one)
    expected = np.array([idf["cake"], 0, idf["the"]]) / np.hypot(idf["cake"], idf["the"])
    assert np.allclose(out[0], expected)
    assert out[1][1] > out[1][2] > 0
    assert out[2][0] / out[2][2] == pytest.approx(2 * idf["cake"] / idf["the"])  # counted twice
    assert not out[3].any()  # no known word: no vector


def test_the_space_needs_a_corpus_and_projection_removes_its_mean_and_directions():
    rng = np.random.default_rng(1)
    assert not fit_space(rng.normal(size=(word_vectors.SPACE_MIN - 1, 8))).any()
    small = fit_space(rng.normal(size=(word_vectors.PCS_MIN - 1, 8)) + 5.0)
    assert np.allclose(small[0], 5.0, atol=0.2) and not small[1:].any()  # the mean only
    common = rng.normal(size=8)
    docs = rng.normal(size=(2_000, 8)) * 0.1 + np.outer(rng.normal(size=2_000) * 3, common) + 1.0
    space = fit_space(docs)
    assert abs(space[1] @ common / np.linalg.norm(common)) > 0.99  # the dominant direction is found
    out = project(docs, space)
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0)
    assert np.abs(out @ space[1]).max() < 1e-9  # and taken out


def _fake_embed(ws: list[str]) -> np.ndarray:
    return np.array([np.random.default_rng(abs(hash(w)) % 2**32).normal(size=word_vectors.DIM) for w in ws])


def test_only_words_not_in_the_cache_are_embedded_and_the_cache_keeps_only_the_vocabulary():
    texts = ["vegan cake", "cake and bread", "running shoes"]
    _, _, table, embedded = word_vectors.document_vectors(texts, None, _fake_embed)
    assert embedded == 6 and sorted(table.word) == ["and", "bread", "cake", "running", "shoes", "vegan"]
    _, _, again, embedded = word_vectors.document_vectors(["vegan cake", "cake bakery"], table, _fake_embed)
    assert embedded == 1 and sorted(again.word) == ["bakery", "cake", "vegan"]


needs_model = pytest.mark.skipif(not topic_vectors.available(), reason="needs microscout[topic]")


@needs_model
def test_composed_vectors_find_the_bakers_in_any_language_and_reuse_their_words(tmp_path):
    topic = "plant-based desserts and pastries"
    ws = _world(tmp_path)
    ws.close()
    with open_workspace(db=tmp_path / "ws.duckdb", topic_model="words") as ws:
        assert ws.analyze().embedded == len(CREATORS)
        assert len(ws.table("topic_words").execute()) > 20
        cosines = topic_vectors.topic_similarity(ws.table("creator_vectors"), topic).execute()
        handles_of = dict(ws.table("accounts").select("account_id", "handle").execute().itertuples(index=False))
        assert ws.embed_documents().words_embedded == 0  # every word is in the cache
        composed = ws.table("creator_vectors").execute()
    cosine = {handles_of[a]: c for a, c in zip(cosines.account_id, cosines.topic_cosine, strict=True)}
    bakers = {"anna.backt", "ben.backt", "chloe.bakes", "fred.backt"}
    assert min(cosine[h] for h in bakers) > max(cosine["dirk.laeuft"], cosine["emma.plays"])
    # the same texts in the other way get other hashes: one way's vectors never pass for the other's
    with open_workspace(db=tmp_path / "ws.duckdb", topic_model="sentences") as ws:
        ws.analyze()
        assert ws.embed_documents().embedded == 0  # analyze embedded them all, whole
        whole = ws.table("creator_vectors").execute()
        assert ws.store.table("topic_space").count().execute() == 0  # queries are not projected
    assert not set(whole.doc_hash) & set(composed.doc_hash)


@needs_model
def test_forget_takes_a_handle_out_of_the_word_cache(tmp_path):
    ws = _world(tmp_path)
    ws.close()
    extra = csv_of(ACCOUNT_COLS, [("c9", "gretaruns", 5_000, 300, 40, True, False,
                                   "gretaruns: Läuferin aus Köln", "Köln", "DE", "de")])
    posts = csv_of(POST_COLS, [(f"c9-{k}", "c9", f"2026-10-0{k + 1}T09:00:00Z", 200, 10, f"Morgenlauf {k} #laufen",
                                None, "de") for k in range(6)])
    bundle = write_bundle(tmp_path / "b2", {"accounts.csv": extra, "posts.csv": posts},
                          {"platform": "instagram", "collected_at": "2026-11-02T12:00:00Z"})
    with open_workspace(db=tmp_path / "ws.duckdb", topic_model="words") as ws:
        ws.import_bundle(bundle)
        ws.analyze()
        cached = set(ws.table("topic_words").word.execute())
        assert {"gretaruns", "läuferin"} <= cached
        ws.forget("instagram:c9")
        assert "gretaruns" not in set(ws.table("topic_words").word.execute())
