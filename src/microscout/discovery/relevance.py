"""Relevance to a brief: its keywords and topic words (BM25 over creator documents) and its hashtags.

Every function takes the index tables (discovery/index.py) and returns one row per creator
that matched at all, with the figures its reasons quote.
"""

from __future__ import annotations

import re
import unicodedata

import ibis
import ibis.expr.types as ir

from microscout.metrics.window import KEY

K1, B = 1.2, 0.75
PREFIX_MIN = 4  # query words this long also match longer forms (vegan → vegane)
# Words that carry no topic in the languages we serve; a topic's own words minus these are searched.
_STOPWORD_TEXT = """
a an and the of for with in on at to from by or my our your their is are be this that these those as it its
und der die das den dem des ein eine einer mit für von im in am zu auf oder ist sind nicht auch
i w z na do od dla jest są się nie oraz lub to ten ta te
og i en et med til af fra på for er det den de som
en het een van met voor op in aan de en of is zijn niet ook
et le la les un une des de du pour avec sur dans au aux ou est sont ne pas
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def query_words(*texts: str) -> list[str]:
    """Lower-cased words of the brief's topic or keywords, without stopwords, each once."""
    words: list[str] = []
    for text in texts:
        for w in re.split(r"[^\w]+", unicodedata.normalize("NFC", text.lower())):
            if len(w) >= 2 and w not in STOPWORDS and not w.isdigit() and w not in words:
                words.append(w)
    return words


def stem(word: str) -> str:
    """A light stem for every language alike: words of 6 letters or more lose up to two final letters
    (plural and case endings: consoles → consol, friperies → friperi), keeping at least 5."""
    return word[:max(5, len(word) - 2)] if len(word) >= 6 else word


def _matches(term: ir.StringValue, word: str) -> ir.BooleanValue:
    if len(word) >= PREFIX_MIN:
        return term.startswith(stem(word))
    return term == word


def keyword_scores(terms: ir.Table, documents: ir.Table, words: list[str]) -> ir.Table:
    """BM25 of `words` against every creator document: (platform, account_id, bm25, matched_words,
    matched_list). A word matches a term equal to it, or, when it has at least PREFIX_MIN letters,
    a term starting with its stem; idf is computed per query word over all creators."""
    if not words:
        return terms.select(*KEY).limit(0).mutate(bm25=ibis.literal(0.0), matched_words=ibis.literal(0))
    n_docs = documents.count().as_scalar().cast("float64")
    avg_len = documents.doc_length.mean().as_scalar().cast("float64")
    hits = []
    for word in words:
        h = terms.filter(_matches(terms.term, word))
        hits.append(h.group_by(KEY).agg(tf=h.tf.sum()).mutate(word=ibis.literal(word)))
    hit = ibis.union(*hits, distinct=False) if len(hits) > 1 else hits[0]
    df = hit.group_by("word").agg(df=hit.count())
    hit = hit.join(df, "word").join(documents.select(*KEY, "doc_length"), KEY)
    idf = (1.0 + (n_docs - hit.df.cast("float64") + 0.5) / (hit.df.cast("float64") + 0.5)).ln()
    tf = hit.tf.cast("float64")
    norm = K1 * (1.0 - B + B * hit.doc_length.cast("float64") / avg_len)
    hit = hit.mutate(_part=idf * tf * (K1 + 1.0) / (tf + norm))
    return hit.group_by(KEY).agg(bm25=hit._part.sum(), matched_words=hit.count(),
                                 matched_list=hit.word.collect())


def hashtag_scores(tags: ir.Table, documents: ir.Table, hashtags: list[str]) -> ir.Table:
    """(platform, account_id, hashtag_share, hashtag_posts, matched_tags): the recency-weighted share
    of recent posts that carry one of `hashtags` (or a longer tag starting with one of them)."""
    wanted = [h.lower().lstrip("#") for h in hashtags if h.strip("# ")]
    cond = ibis.or_(*[_matches(tags.hashtag, h) for h in wanted])
    hit = tags.filter(cond)
    per = hit.group_by(KEY).agg(_weight=hit.weight.sum(), hashtag_posts=hit.posts.sum(),
                                matched_tags=hit.hashtag.collect())
    per = per.join(documents.select(*KEY, "recent_weight"), KEY)
    # a post with two wanted tags counts once at most: cap the share at 1
    return per.select(*KEY, "hashtag_posts", "matched_tags",
                      hashtag_share=ibis.least(per._weight / per.recent_weight.nullif(0.0), 1.0))
