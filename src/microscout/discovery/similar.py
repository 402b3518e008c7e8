"""Lookalikes of a creator the user likes: creators who talk about the same things and reach the
same people. Ranked like a scout, the relevance part being the similarity to the seed.

- words: cosine of TF-IDF vectors over the words of the bio and recent captions and the
  hashtags (`#tag`), each weighted (1 + ln tf) × ln(N / df); words only one creator uses carry
  no likeness and are left out. A cosine of WORDS_FULL or more counts as fully alike.
- topic: cosine of the documents' sentence embeddings (when the topic model made them),
  rescaled as for a brief's topic: across languages, other words, the same subject.
- audience: the share of the seed's sampled followers who also follow the candidate;
  AUDIENCE_FULL or more counts in full. Unknown when either has no follower sample.

similarity = CONTENT_WEIGHT × content + (1 − CONTENT_WEIGHT) × audience, content being the mean
of words and topic over those known; with the audience unknown, content alone.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from microscout.brief import Brief
from microscout.discovery.relevance import STOPWORDS
from microscout.discovery.scout import (
    MODE_PARTS,
    ScoutTables,
    candidates,
    frame,
    ranked,
    result_record,
    weighted_score,
)
from microscout.discovery.topic_vectors import vector_similarity
from microscout.metrics.window import KEY
from microscout.sentences import join, say

WORDS_FULL = 0.5
AUDIENCE_FULL = 0.3
CONTENT_WEIGHT = 0.6
SEED_TOKENS = 60   # the seed's strongest words and tags compared; the rest add little and cost joins
MIN_SIMILARITY = 0.05


def weighted_tokens(terms: ir.Table, hashtags: ir.Table) -> ir.Table:
    """(platform, account_id, token, w, norm): TF-IDF weights of every creator's words and #tags, and
    the length of the creator's vector of them. Analyze saves it (discovery_tokens): the document
    frequencies span every creator, too much to count again on each call."""
    # stopwords and numbers say nothing of a subject, however many creators share them
    terms = terms.filter(~terms.term.isin(sorted(STOPWORDS)) & ~terms.term.re_search(r"^[0-9]+$"))
    tokens = terms.select(*KEY, token=terms.term, tf=terms.tf.cast("float64")).union(
        hashtags.select(*KEY, token="#" + hashtags.hashtag, tf=hashtags.posts.cast("float64")), distinct=False)
    n = tokens.select(*KEY).distinct().count().as_scalar().cast("float64")
    df = tokens.group_by("token").agg(df=tokens.count())
    t = tokens.join(df, "token")
    t = t.filter(t.df >= 2)
    t = t.select(*KEY, "token", w=(1.0 + t.tf.ln()) * (n / t.df.cast("float64")).ln())
    return t.mutate(norm=(t.w * t.w).sum().over(group_by=KEY).sqrt())


def _seed_tokens(tokens: ir.Table, seed: tuple[str, str]) -> ir.Table:
    mine = tokens.filter((tokens.platform == seed[0]) & (tokens.account_id == seed[1]))
    return mine.order_by([ibis.desc(mine.w), mine.token]).limit(SEED_TOKENS).select("token", sw=mine.w)


def word_similarity(tokens: ir.Table, seed: tuple[str, str]) -> ir.Table:
    """(platform, account_id, words_cosine): cosine of each creator's tokens to the seed's."""
    seed_norm = tokens.filter((tokens.platform == seed[0]) & (tokens.account_id == seed[1])).norm.max().as_scalar()
    hit = tokens.join(_seed_tokens(tokens, seed), "token")
    dot = hit.group_by([*KEY, "norm"]).agg(dot=(hit.w * hit.sw).sum())
    return dot.select(*KEY, words_cosine=dot.dot / (dot.norm * seed_norm).nullif(0.0))


def shared_tokens(tokens: ir.Table, seed: tuple[str, str], top: int = 5) -> ir.Table:
    """(platform, account_id, token, strength): each creator's `top` tokens shared with the seed,
    strongest first. A window, not an ordered collect: Spark cannot order an aggregation."""
    hit = tokens.join(_seed_tokens(tokens, seed), "token")
    hit = hit.mutate(strength=hit.w * hit.sw)
    hit = hit.mutate(_r=ibis.row_number().over(group_by=KEY, order_by=[ibis.desc(hit.strength), hit.token]))
    return hit.filter(hit._r < top).select(*KEY, "token", "strength")


def audience_overlap(follows: ir.Table, seed: tuple[str, str], sampled: ir.Table) -> ir.Table:
    """(platform, account_id, common_followers, audience_share) for every account of the seed's
    platform in `sampled` (platform, account_id: the creators with a follower sample, as analyze
    counted them in audience_quality.follows_sampled): how many of the seed's sampled followers also follow it, and their share of the seed's
    sample (null when the seed has none). Only the seed's followers' edges are grouped: counting
    every account's sample again took most of a lookalike search on a large workspace."""
    on = follows.filter(follows.platform == seed[0])
    fans = on.filter(on.followee_id == seed[1]).select("follower_id")
    sample = fans.count().as_scalar()
    shared = on.semi_join(fans, "follower_id")
    # (platform, follower_id, followee_id) is the table's key: a count is the number of followers
    per = shared.group_by(account_id=shared.followee_id).agg(common=shared.count())
    everyone = sampled.filter(sampled.platform == seed[0]).select("account_id")
    j = everyone.left_join(per, "account_id")
    common = j.common.fill_null(0)
    return j.select(platform=ibis.literal(seed[0]), account_id=everyone.account_id, common_followers=common,
                    audience_share=common.cast("float64") / sample.nullif(0))


def similarity_frame(df: pd.DataFrame, words: pd.DataFrame, topic: pd.DataFrame | None,
                     audience: pd.DataFrame) -> pd.DataFrame:
    """`df` (candidates) with words_part, topic_similarity, audience_part and `relevance` (the similarity)."""
    df = df.merge(words, on=KEY, how="left")
    if topic is not None:
        df = df.merge(topic[[*KEY, "topic_similarity"]], on=KEY, how="left")
    else:
        df["topic_similarity"] = float("nan")
    df = df.merge(audience, on=KEY, how="left")
    df["words_part"] = (df.words_cosine.fillna(0.0) / WORDS_FULL).clip(upper=1.0)
    content = df[["words_part", "topic_similarity"]].mean(axis=1, skipna=True)
    # without a follower sample on either side the audience is unknown (NaN), not zero
    df["audience_part"] = (df.audience_share / AUDIENCE_FULL).clip(upper=1.0)
    df["relevance"] = (CONTENT_WEIGHT * content + (1 - CONTENT_WEIGHT) * df.audience_part).fillna(content)
    return df[df.relevance >= MIN_SIMILARITY]


def similar_results(t: ScoutTables, follows: ir.Table, sampled: ir.Table, vectors: ir.Table | None,
                    seed: tuple[str, str], seed_handle: str, brief: Brief, tier_names: list[str], limit: int,
                    same_person: set[tuple[str, str]] | frozenset[tuple[str, str]] = frozenset()) -> dict[str, Any]:
    """The scout shape for the lookalikes of `seed`, `brief` naming the mode (`sampled`: see
    audience_overlap); `brief` holds the hard filters (platforms, tiers, allow_flags) and the weights. The seed and `same_person` (its
    own accounts on other platforms: the most alike of all, and no discovery) are left out."""
    df = frame(candidates(t.base, brief, tier_names))
    mine = {seed, *same_person}
    df = df[[(p, a) not in mine for p, a in zip(df.platform, df.account_id, strict=True)]]
    tokens = t.tokens if t.tokens is not None else weighted_tokens(t.terms, t.hashtags)
    words = frame(word_similarity(tokens, seed))
    topic = None
    if vectors is not None:
        mine = vectors.filter((vectors.platform == seed[0]) & (vectors.account_id == seed[1])).execute()
        if len(mine):
            topic = frame(vector_similarity(vectors, list(mine.vector.iloc[0])))
    df = similarity_frame(df, words, topic, frame(audience_overlap(follows, seed, sampled)))
    df["score"] = weighted_score(df, brief, MODE_PARTS)
    df = ranked(df, limit)
    # the shared words of the results only: grouping them for every creator took most of the time
    shown = ibis.memtable(df[KEY].reset_index(drop=True))
    df = df.merge(_shared_lists(frame(shared_tokens(tokens, seed).semi_join(shown, KEY))), on=KEY, how="left")
    name = say("similar to @{seed}", seed=seed_handle)
    results = []
    for r in df.to_dict("records"):
        rec = result_record(r, MODE_PARTS, {})
        rec["reasons"][0] = _likeness(r, seed_handle)
        results.append(rec)
    return {"brief": name, "results": results}


def _shared_lists(shared: pd.DataFrame) -> pd.DataFrame:
    shared = shared.sort_values([*KEY, "strength", "token"], ascending=[True, True, False, True])
    return shared.groupby(KEY, as_index=False).agg(shared=("token", list))


def _likeness(r: dict[str, Any], seed_handle: str) -> str:
    bits = []
    shared = r.get("shared")
    if shared is not None and not isinstance(shared, float):  # NaN where no word is shared
        bits.append(say("shares {words} (word cosine {cosine:f2})", words=list(shared)[:5], cosine=r["words_cosine"]))
    if pd.notna(r.get("topic_similarity")):
        bits.append(say("topic similarity {similarity:f2}", similarity=r["topic_similarity"]))
    if pd.notna(r.get("audience_share")):
        bits.append(say("{common:int} of @{seed}'s sampled followers follow it too ({share:pct0})",
                        common=int(r["common_followers"]), seed=seed_handle, share=r["audience_share"]))
    else:
        bits.append(say("audience overlap unknown (no follower sample)"))
    return say("Like @{seed} ({relevance:f2}): {why}.", seed=seed_handle, relevance=r["relevance"],
               why=join("; ", bits))
