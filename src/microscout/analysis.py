"""Run the creator metrics over a store and keep them in the workspace (the edge around metrics/)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from microscout.authenticity.audience import account_fakes, audience_quality
from microscout.authenticity.comment_farms import comment_farm_shares, top_level_comments
from microscout.authenticity.fake_model import load_model
from microscout.authenticity.pods import PodRules, pod_ties, pods_table
from microscout.config import Settings
from microscout.discovery import topic_vectors, word_vectors
from microscout.discovery.index import creator_documents, creator_hashtags, creator_terms, recent_posts
from microscout.discovery.influence import graph_edges, pagerank
from microscout.discovery.place import follower_profiles
from microscout.discovery.scout import discovery_base
from microscout.discovery.similar import weighted_tokens
from microscout.metrics.creator_metrics import FlagRules, compute_creator_metrics, with_benchmarks, with_flags
from microscout.metrics.tiers import TierScheme, get_scheme, scheme_from_settings, with_tiers
from microscout.metrics.window import KEY, Window, attach, creators_as_of, posts_used
from microscout.plan.people import suggest_links
from microscout.store import Store
from microscout.store.catalog import BUNDLE_TABLES
from microscout.translations import N_

# Raised whenever a creator's own figures change shape or meaning: saved figures of another
# version are recomputed in full rather than mixed with fresh ones.
METRICS_VERSION = 15


@dataclass
class AnalysisResult:
    creators: int
    seconds: float
    tier_scheme: str
    recomputed: int  # creators whose own figures were computed anew (the rest had no new data)
    embedded: int = 0  # creator documents embedded for topic search


def tier_scheme(settings: Settings, name: str | None = None) -> TierScheme:
    custom = {n: scheme_from_settings(n, spec) for n, spec in settings.tier_schemes.items()}
    return get_scheme(name or settings.tier_scheme, custom)


LINK_SCHEMA = ibis.schema({"platform": "string", "account_id": "string", "other_platform": "string",
                           "other_account_id": "string", "reason": "string", "confidence": "float64"})


def suggested_creator_links(accounts: ir.Table, creators: ir.Table) -> ir.Table:
    """Creators that look like one person on two platforms (plan/people.py), judged against every
    account (a handle must be unambiguous among all of them), kept where both sides are creators."""
    acc = accounts.select("platform", "account_id", "handle", "display_name", "bio", "external_url").execute()
    links = suggest_links(acc)
    keys = creators.select(*KEY).execute()
    known = set(zip(keys.platform, keys.account_id, strict=True))
    mine = np.array([(a, b) in known and (c, d) in known for a, b, c, d in zip(
        links.platform, links.account_id, links.other_platform, links.other_account_id, strict=True)], dtype=bool)
    return ibis.memtable(links[mine].reset_index(drop=True), schema=LINK_SCHEMA)


def _state(store: Store, scheme: str, competitors: list[str], fake_model: Path | str | None) -> str:
    imports = store.table("imports").import_id.max().execute()
    forgotten = store.table("forgotten").count().execute()
    # another fake-account model gives other audience figures: the analysis is not current
    return json.dumps({"last_import": None if imports is None else int(imports), "forgotten": int(forgotten),
                       "scheme": scheme, "competitors": sorted(competitors), "version": METRICS_VERSION,
                       "fake_model": str(fake_model or "rules")})


def _saved_state(store: Store) -> dict[str, Any] | None:
    if not store.has_table("analysis_state"):
        return None
    saved = store.table("analysis_state").execute()["state"].tolist()
    return json.loads(saved[0]) if saved else None


def touched_creators(tables: dict[str, ir.Table], since_import: int) -> ir.Table:
    """Creators with a row imported after `since_import`: their account, a post, a snapshot, or a
    comment on one of their posts."""
    acc, posts, snaps, comments = tables["accounts"], tables["posts"], tables["snapshots"], tables["comments"]
    on_posts = comments.filter(comments._import_id > since_import).select("platform", "post_id").distinct()
    owners = on_posts.join(posts.select("platform", "post_id", "account_id"), ["platform", "post_id"])
    parts = [acc.filter(acc._import_id > since_import).select(*KEY),
             posts.filter(posts._import_id > since_import).select(*KEY),
             snaps.filter(snaps._import_id > since_import).select(*KEY),
             owners.select(*KEY)]
    return ibis.union(*parts, distinct=True)


# marked for the catalogs: the dashboard shows a running analyze's step in its reader's language
STEPS = (N_("creator figures"), N_("fake-account scores"), N_("comment farms and pods"), N_("discovery index"),
         N_("influence (PageRank)"), N_("one person on two platforms"), N_("audience quality"),
         N_("benchmarks and flags"))


def analyze(store: Store, settings: Settings, scheme_name: str | None = None,
            competitors: list[str] | None = None, full: bool = False,
            progress: Callable[[str, int, int], None] | None = None) -> AnalysisResult:
    """Compute creator_metrics, creator_spikes and tier_benchmarks.

    A creator's own figures are computed anew only when data imported since the last analysis
    touches it; benchmarks, positions against them and flags are recomputed for everyone on
    every run. Everything is recomputed after a forget, with another tier scheme, with the
    percentile scheme (ranks depend on everyone), or with `full`.
    """
    started = time.perf_counter()

    def step(name: str) -> None:  # (what now, steps done, steps in all)
        if progress:
            progress(name, STEPS.index(name), len(STEPS))

    step("creator figures")
    scheme = tier_scheme(settings, scheme_name)
    comps = list(competitors if competitors is not None else settings.competitors)
    tables = {name: store.table(name) for name in BUNDLE_TABLES}
    now = json.loads(_state(store, scheme.name, comps, settings.fake_model))
    prev = _saved_state(store)
    incremental = (not full and prev is not None and not scheme.percentile and prev.get("scheme") == scheme.name
                   and prev.get("forgotten") == now["forgotten"] and prev.get("version") == METRICS_VERSION
                   and prev.get("last_import") is not None
                   and store.has_table("creator_metrics_base") and store.has_table("creator_spikes"))
    if incremental and prev is not None:
        store.save_table("analysis_touched", touched_creators(tables, int(prev["last_import"])))
        touched = store.table("analysis_touched")
        recomputed = int(touched.count().execute())
        if recomputed:
            only = dict(tables, accounts=tables["accounts"].semi_join(touched, KEY))
            fresh, fresh_spikes = compute_creator_metrics(only, scheme)
            kept = store.table("creator_metrics_base").anti_join(touched, KEY)
            kept_spikes = store.table("creator_spikes").anti_join(touched, KEY)
            store.save_table("creator_metrics_next", kept.union(fresh.select(*kept.columns)))
            store.save_table("creator_spikes_next", kept_spikes.union(fresh_spikes.select(*kept_spikes.columns)))
            store.save_table("creator_metrics_base", store.table("creator_metrics_next"))
            store.save_table("creator_spikes", store.table("creator_spikes_next"))
    else:
        metrics, spikes = compute_creator_metrics(tables, scheme)
        store.save_table("creator_spikes", spikes)
        store.save_table("creator_metrics_base", metrics)
        recomputed = -1
    # Audience quality depends on other accounts' profiles, so it is computed for everyone each time.
    step("fake-account scores")
    model = load_model(settings.fake_model)
    creators = creators_as_of(tables["accounts"], tables["posts"])
    store.save_table("account_fakes", account_fakes(tables["accounts"], model))
    step("comment farms and pods")
    save_engagement_fraud(store, tables, creators)
    step("discovery index")
    save_discovery_index(store, tables, creators, settings.topic_model)
    step("influence (PageRank)")
    store.save_table("creator_influence", ibis.memtable(
        pagerank(graph_edges(tables["follows"], tables["posts"], tables["accounts"]), creators),
        schema={"platform": "string", "account_id": "string", "pagerank": "float64", "pagerank_pct": "float64"}))
    step("one person on two platforms")
    store.save_table("account_links", suggested_creator_links(tables["accounts"], creators))
    step("audience quality")
    store.save_table("audience_quality", audience_quality(tables["follows"], tables["comments"], tables["posts"],
                                                          creators, store.table("account_fakes"),
                                                          store.table("comment_farms")))
    step("benchmarks and flags")
    metrics, bench = _benchmarked(store, store.table("creator_metrics_base"), comps)
    store.save_table("tier_benchmarks", bench)
    store.save_table("creator_metrics", metrics)
    store.save_table("discovery_base", discovery_base(store.table("creator_metrics")))
    store.save_table("analysis_state", ibis.memtable({"state": [json.dumps(now)]}))
    count = int(store.table("creator_metrics").count().execute())
    if progress:
        progress("done", len(STEPS), len(STEPS))
    return AnalysisResult(count, time.perf_counter() - started, scheme.name, count if recomputed < 0 else recomputed)


def save_engagement_fraud(store: Store, tables: dict[str, ir.Table], creators: ir.Table) -> None:
    """comment_farms and creator_pods: both look across creators, so they are computed for everyone."""
    used = posts_used(tables["posts"], creators, Window())
    top = top_level_comments(tables["comments"], used)
    store.save_table("comment_farms", comment_farm_shares(top, store.table("account_fakes")))
    store.save_table("pod_ties", pod_ties(top, creators, PodRules()))
    ties = store.table("pod_ties")
    ends = ties.select("platform", account_id="a").union(ties.select("platform", account_id="b"))
    handles = creators.select(*KEY, "handle").semi_join(ends, KEY)
    store.save_table("creator_pods", pods_table(ties.execute(), handles.execute(), PodRules()))


def save_discovery_index(store: Store, tables: dict[str, ir.Table], creators: ir.Table,
                         topic_model: str = "auto") -> None:
    """The words, hashtags and recent places of every creator that scout searches."""
    store.save_table("discovery_recent", recent_posts(tables["posts"], creators).select(
        *KEY, "post_id", "created_at", "as_of", "caption", "hashtags", "location", "language"))
    recent = store.table("discovery_recent")
    store.save_table("discovery_terms", creator_terms(tables["accounts"], recent, creators))
    store.save_table("discovery_hashtags", creator_hashtags(recent))
    store.save_table("discovery_tokens", weighted_tokens(store.table("discovery_terms"), store.table("discovery_hashtags")))
    store.save_table("discovery_documents", creator_documents(recent, store.table("discovery_terms")))
    store.save_table("discovery_creators", creators.select(*KEY, "city", "country", "location", "language"))
    store.save_table("discovery_follower_profiles", follower_profiles(tables["follows"], tables["accounts"], creators))
    texts = topic_vectors.document_texts(topic_vectors.documents(tables["accounts"], store.table("discovery_recent"),
                                                                 store.table("discovery_creators").select(*KEY)),
                                         topic_model)
    store.save_table("topic_documents", ibis.memtable(texts[["platform", "account_id", "doc_hash"]],
                                                      schema=topic_vectors.DOCUMENT_SCHEMA))


@dataclass
class TopicIndexResult:
    embedded: int   # documents embedded (or composed from word vectors) in this run
    kept: int       # documents unchanged since they were embedded
    seconds: float
    words_embedded: int = 0  # words embedded in this run, where vectors are composed from words


def topic_enabled(settings: Settings) -> bool:
    return settings.topic_model != "none" and topic_vectors.available()


def update_topic_vectors(store: Store, topic_model: str = "auto",
                         progress: Callable[[int, int], None] | None = None) -> TopicIndexResult:
    """creator_vectors for the analysed creators, in the way `topic_model` and their number say
    (discovery/topic_vectors.py)."""
    started = time.perf_counter()
    creators = store.table("discovery_creators").select(*KEY)
    accounts = store.table("accounts")
    docs = topic_vectors.document_texts(topic_vectors.documents(accounts, store.table("discovery_recent"), creators),
                                        topic_model)
    if topic_vectors.mode(topic_model, len(docs)) == "words":
        return _composed_vectors(store, docs, started, progress)
    return _sentence_vectors(store, docs, started, progress)


def _composed_vectors(store: Store, docs: pd.DataFrame, started: float,
                      progress: Callable[[int, int], None] | None) -> TopicIndexResult:
    """Every document's vector from its words' (discovery/word_vectors.py): the space is learnt
    from all documents, so all are composed anew; only words never seen are embedded. The words'
    cache is saved before the documents', so a killed run keeps the slow part."""
    import pyarrow as pa

    cached = None
    if store.has_table("topic_words"):
        arrow = store.table("topic_words").to_pyarrow()
        cached = pd.DataFrame({"word": arrow.column("word").to_pylist(),
                               "vector": list(topic_vectors.column_matrix(arrow.column("vector")))})
    vectors, space, used, embedded = word_vectors.document_vectors(docs.text.tolist(), cached,
                                                                   topic_vectors.embed_words, progress)
    if embedded or cached is None or len(used) != len(cached):
        store.save_table("topic_words", ibis.memtable(pa.table({
            "word": pa.array(used.word.tolist(), pa.string()),
            "vector": topic_vectors.matrix_column(np.vstack([*used.vector, np.zeros((0, word_vectors.DIM))])
                                                  .astype(np.float32))}),
            schema=topic_vectors.WORD_SCHEMA))
    known = np.abs(vectors).sum(axis=1) > 0  # a document of no known word has no direction
    rows = pa.table({"platform": pa.array(docs.platform[known].tolist(), pa.string()),
                     "account_id": pa.array(docs.account_id[known].tolist(), pa.string()),
                     "doc_hash": pa.array(docs.doc_hash[known].tolist(), pa.string()),
                     "vector": topic_vectors.matrix_column(vectors[known].astype(np.float64))})
    store.save_table("topic_space", ibis.memtable(pa.table({
        "part": pa.array(np.arange(len(space), dtype=np.int64)), "vector": topic_vectors.matrix_column(space)}),
        schema=topic_vectors.SPACE_SCHEMA))
    store.save_table("creator_vectors", ibis.memtable(rows, schema=topic_vectors.VECTOR_SCHEMA))
    return TopicIndexResult(int(known.sum()), 0, time.perf_counter() - started, embedded)


def topic_space(store: Store) -> np.ndarray | None:
    """The space composed word vectors were projected into, for queries (None: whole sentences)."""
    if not store.has_table("topic_space"):
        return None
    arrow = store.table("topic_space").order_by("part").to_pyarrow()
    return topic_vectors.column_matrix(arrow.column("vector")) if arrow.num_rows else None


def _sentence_vectors(store: Store, docs: pd.DataFrame, started: float,
                      progress: Callable[[int, int], None] | None) -> TopicIndexResult:
    """Embedding only the documents that changed. It is the slow step of an analyze, so the table
    is saved after every chunk: an interrupted run keeps what it embedded and the next one goes
    on from there."""
    if topic_space(store) is not None:  # no longer composed from words: queries go unprojected
        store.save_table("topic_space", ibis.memtable(topic_vectors.SPACE_SCHEMA.to_pyarrow().empty_table()))
    previous = store.table("creator_vectors").execute() if store.has_table("creator_vectors") else None
    kept, todo = topic_vectors.split_pending(docs, previous)
    done: list[pd.DataFrame] = []
    if progress:
        progress(0, len(todo))
    for start in range(0, len(todo), topic_vectors.CHUNK):
        done.append(topic_vectors.embedded(todo.iloc[start:start + topic_vectors.CHUNK]))
        if progress:
            progress(min(start + topic_vectors.CHUNK, len(todo)), len(todo))
        store.save_table("creator_vectors", ibis.memtable(pd.concat([kept, *done], ignore_index=True),
                                                          schema=topic_vectors.VECTOR_SCHEMA))
    if not len(todo) and (previous is None or len(previous) != len(kept)):
        store.save_table("creator_vectors", ibis.memtable(kept, schema=topic_vectors.VECTOR_SCHEMA))
    return TopicIndexResult(len(todo), len(kept), time.perf_counter() - started)


def _benchmarked(store: Store, base: ir.Table, competitors: list[str]) -> tuple[ir.Table, ir.Table]:
    """(creator_metrics, tier_benchmarks) from creators' own figures with their tiers: the audience,
    farm and pod figures attached, benchmarks per tier, then the flags."""
    for part in ("audience_quality", "comment_farms", "creator_pods"):
        base = attach(base, store.table(part), KEY)
    ranked, bench = with_benchmarks(base)
    return with_flags(ranked, FlagRules(competitors=tuple(competitors))), bench


def figures(store: Store, settings: Settings, scheme_name: str | None = None,
            competitors: list[str] | None = None) -> tuple[ir.Table, ir.Table, ir.Table]:
    """(creator_metrics, discovery_base, tier_benchmarks) under a tier scheme and competitors.

    The saved tables when they are the ones analyze made; for another scheme or other
    competitors, the same figures computed in the query from the saved creator figures: tiers,
    benchmarks and flags apply per question, and a read never rewrites what analyze saved."""
    scheme = tier_scheme(settings, scheme_name)
    comps = sorted(competitors if competitors is not None else settings.competitors)
    saved = _saved_state(store) or {}
    if saved.get("scheme") == scheme.name and saved.get("competitors") == comps:
        return store.table("creator_metrics"), store.table("discovery_base"), store.table("tier_benchmarks")
    base = store.table("creator_metrics_base")
    metrics, bench = _benchmarked(store, with_tiers(base.drop("tier"), scheme), comps)
    return metrics, discovery_base(metrics), bench


def is_current(store: Store, settings: Settings) -> bool:
    """Whether the saved figures are of the data as it is now (imports, erasures, the metrics'
    version, the fake-account model); the tier scheme and competitors apply per question."""
    saved = _saved_state(store)
    if saved is None or not store.has_table("creator_metrics"):
        return False
    now = json.loads(_state(store, str(saved.get("scheme")), list(saved.get("competitors") or []),
                            settings.fake_model))
    return bool(saved == now)


def metrics_row(m: ir.Table, store: Store, platform: str, account_id: str
                ) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    """One creator's row of `m` (creator_metrics, saved or per question) and its follower spikes."""
    rows = m.filter((m.platform == platform) & (m.account_id == account_id)).execute().to_dict("records")
    s = store.table("creator_spikes")
    spikes = s.filter((s.platform == platform) & (s.account_id == account_id)).execute().to_dict("records")
    return (rows[0] if rows else None), spikes
