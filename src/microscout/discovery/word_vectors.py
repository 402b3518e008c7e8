"""Topic vectors composed from word vectors: fast enough for a million creators.

Embedding each creator's document with the sentence model costs 20-40 ms; on 200,000 creators
that is hours. Here each distinct word of the documents is embedded once by the same model (with
its query prefix: a lone word reads like a query) and kept in the workspace (`topic_words`), so
a later analyze embeds only words it has not seen. A document's vector is the IDF-weighted sum of
its words' vectors: a sparse product, thousands of documents a second.

Summed word vectors share a large common part (the language, the register of a post) that
drowns the topic: the corpus mean and its two main directions are removed (Arora, Liang and Ma,
"A simple but tough-to-beat baseline for sentence embeddings", ICLR 2017), and that space (the
mean and the directions, `topic_space`) is saved so a query from the sentence model is projected
the same way. On the hand-written multilingual set (bench/topic_quality.py) this places texts
as well as embedding whole documents does. The recipe needs a corpus to learn its mean from:
below SPACE_MIN documents nothing is removed, and below PCS_MIN only the mean.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

MAX_WORDS = 60_000     # the most frequent words only: embedding a word costs ~3 ms, once per workspace
WORD_CHUNK = 2_048     # words embedded between two progress reports
DIRECTIONS = 2         # common directions removed
SPACE_MIN = 50         # documents needed to learn the corpus mean from
PCS_MIN = 500          # documents needed to learn the common directions from
SPACE_SAMPLE = 50_000  # documents the space is learnt from, at most
DIM = 384
_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """The lower-cased words of `text`, hashtags' words included, numbers left out."""
    return [w for w in _WORD.findall(text.lower()) if not w.isdigit()]


def document_frequency(token_lists: Iterable[list[str]]) -> Counter[str]:
    df: Counter[str] = Counter()
    for tokens in token_lists:
        df.update(set(tokens))
    return df


def vocabulary(df: Counter[str], limit: int = MAX_WORDS) -> list[str]:
    """The `limit` words found in the most documents (ties by the word, so a run repeats)."""
    return [w for w, _ in sorted(df.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]]


def missing_words(vocab: list[str], cached: pd.DataFrame | None) -> list[str]:
    have = set(cached["word"]) if cached is not None and len(cached) else set()
    return [w for w in vocab if w not in have]


def word_matrix(vocab: list[str], table: pd.DataFrame) -> np.ndarray:
    """(len(vocab), DIM): the vectors of `table` (word, vector) in the order of `vocab`."""
    by_word = dict(zip(table["word"], table["vector"], strict=True))
    return np.asarray([by_word[w] for w in vocab], dtype=np.float32).reshape(len(vocab), DIM)


def compose(token_lists: list[list[str]], vocab: list[str], vectors: np.ndarray, df: Counter[str]) -> np.ndarray:
    """(documents, DIM): each document's IDF-weighted sum of its words' vectors (words outside
    `vocab` are left out; a document with none of them is all zeros)."""
    from scipy.sparse import csr_matrix

    index = {w: i for i, w in enumerate(vocab)}
    n = len(token_lists)
    idf = np.array([np.log((n + 1) / (df[w] + 0.5)) for w in vocab], dtype=np.float32)
    cols: list[int] = []
    indptr = [0]
    for tokens in token_lists:
        cols.extend(i for i in (index.get(t) for t in tokens) if i is not None)
        indptr.append(len(cols))
    counts = csr_matrix((np.ones(len(cols), dtype=np.float32), np.asarray(cols, dtype=np.int64), indptr),
                        shape=(n, len(vocab)))
    counts.sum_duplicates()
    out: np.ndarray = counts.multiply(idf).tocsr() @ vectors
    return _unit(out)


def fit_space(docs: np.ndarray, seed: int = 0) -> np.ndarray:
    """(1 + k, DIM): the corpus mean, then its k main directions (unit rows); zeros where the
    corpus is too small to learn them (SPACE_MIN, PCS_MIN)."""
    space = np.zeros((1 + DIRECTIONS, docs.shape[1]), dtype=np.float64)
    live = docs[np.abs(docs).sum(axis=1) > 0]
    if len(live) < SPACE_MIN:
        return space
    if len(live) > SPACE_SAMPLE:
        live = live[np.random.default_rng(seed).choice(len(live), SPACE_SAMPLE, replace=False)]
    space[0] = live.mean(axis=0)
    if len(live) >= PCS_MIN:
        _, _, vt = np.linalg.svd(live - space[0], full_matrices=False)
        space[1:] = vt[:DIRECTIONS]
    return space


def project(x: np.ndarray, space: np.ndarray) -> np.ndarray:
    """Unit vectors of `x` (rows) less the space's mean and without its directions."""
    centred = np.atleast_2d(x).astype(np.float64) - space[0]
    directions = space[1:]
    centred -= (centred @ directions.T) @ directions
    return _unit(centred)


def _unit(x: np.ndarray) -> np.ndarray:
    norm = np.linalg.norm(x, axis=1, keepdims=True)
    out: np.ndarray = np.divide(x, norm, out=np.zeros_like(x), where=norm > 0)
    return out


def document_vectors(texts: list[str], cached_words: pd.DataFrame | None,
                     embed_words: Callable[[list[str]], np.ndarray],
                     progress: Callable[[int, int], None] | None = None) -> tuple[np.ndarray, np.ndarray, pd.DataFrame, int]:
    """(vectors, space, words, embedded) for `texts`: the documents' projected unit vectors, the
    space they were projected with (for queries), the (word, vector) rows of the vocabulary
    (the workspace's cache from now on: words no document holds any more leave it) and how many
    of them were embedded in this call."""
    token_lists = [words(t) for t in texts]
    df = document_frequency(token_lists)
    vocab = vocabulary(df)
    todo = missing_words(vocab, cached_words)
    fresh: list[Any] = []
    if progress:
        progress(0, len(todo))
    for start in range(0, len(todo), WORD_CHUNK):
        fresh.extend(embed_words(todo[start:start + WORD_CHUNK]))
        if progress:
            progress(min(start + WORD_CHUNK, len(todo)), len(todo))
    new_words = pd.DataFrame({"word": todo, "vector": [np.asarray(v, dtype=np.float32) for v in fresh]})
    table = new_words if cached_words is None or not len(cached_words) else pd.concat(
        [cached_words[cached_words.word.isin(set(vocab))], new_words], ignore_index=True)
    raw = compose(token_lists, vocab, word_matrix(vocab, table), df) if vocab else np.zeros((len(texts), DIM))
    space = fit_space(raw)
    vectors = project(raw, space)
    vectors[np.abs(raw).sum(axis=1) == 0] = 0.0  # no known word: no direction, not the mean's opposite
    return vectors, space, table, len(todo)
