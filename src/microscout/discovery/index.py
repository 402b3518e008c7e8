"""What discovery searches, built once per analyze: each creator's words and hashtags.

A creator's *document* is its bio and the captions of its recent posts (the last
DOC_POSTS posts within the window). Words are lower-cased runs of letters and digits, so
every language the data holds is indexed alike; matching later allows longer forms of a
query word (vegan → vegane, veganer, vegansk), which covers most inflection in the European
languages we serve without a stemmer per language.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from microscout.metrics.window import KEY, posts_in_window

DOC_POSTS = 50
WINDOW_DAYS = 180
RECENCY_DAYS = 90.0  # a post d days before as-of weighs exp(-d / RECENCY_DAYS)
WORD_SPLIT = r"[^\p{L}\p{N}]+"


def recent_posts(posts: ir.Table, creators: ir.Table, days: int = WINDOW_DAYS, limit: int = DOC_POSTS) -> ir.Table:
    p = posts_in_window(posts, creators, days)
    recency = ibis.row_number().over(group_by=[p.platform, p.account_id],
                                     order_by=[ibis.desc(p.created_at), p.post_id])
    p = p.mutate(_recency=recency)
    return p.filter(p._recency < limit).drop("_recency")


def recency_weight(recent: ir.Table) -> ir.FloatingValue:
    """exp(-d / RECENCY_DAYS) for a post `d` days before its creator's as-of."""
    age_days = (recent.as_of.epoch_seconds() - recent.created_at.epoch_seconds()).cast("float64") / 86_400.0
    return (-age_days / RECENCY_DAYS).exp()


def creator_terms(accounts: ir.Table, recent: ir.Table, creators: ir.Table) -> ir.Table:
    """(platform, account_id, term, tf): how often each word occurs in the creator's document."""
    bios = accounts.semi_join(creators, KEY).select(*KEY, text=accounts.bio)
    captions = recent.select(*KEY, text=recent.caption)
    texts = bios.union(captions, distinct=False)
    texts = texts.filter(texts.text.notnull())
    words = texts.select(*KEY, term=texts.text.lower().re_split(WORD_SPLIT).unnest())
    words = words.filter(words.term.length() >= 2)
    return words.group_by([*KEY, "term"]).agg(tf=words.count())


def tagged_posts(recent: ir.Table) -> ir.Table:
    """(platform, account_id, post_id, hashtag, w): one row per post and tag (lower case, without
    `#` or spaces), with the post's recency weight."""
    t = recent.select(*KEY, "post_id", w=recency_weight(recent), hashtag=recent.hashtags.unnest())
    # not .strip(): ibis writes it for Spark as TRIM(' \t\n\r\v\f'), and Spark reads '\v' as 'v'
    t = t.mutate(hashtag=t.hashtag.lower().re_replace(r"^[\s#]+|\s+$", ""))
    return t.filter(t.hashtag.notnull() & (t.hashtag != "")).distinct()


def creator_hashtags(recent: ir.Table) -> ir.Table:
    """(platform, account_id, hashtag, posts, weight): posts carrying the tag, and the same count
    weighted by recency (a post `d` days before as-of weighs exp(-d / 90))."""
    tagged = tagged_posts(recent)
    return tagged.group_by([*KEY, "hashtag"]).agg(posts=tagged.count(), weight=tagged.w.sum())


def creator_documents(recent: ir.Table, terms: ir.Table) -> ir.Table:
    """(platform, account_id, doc_length, recent_posts, recent_weight): the document's length in words,
    the recent posts and their summed recency weights (the denominators of the relevance parts)."""
    r = recent.mutate(_w=recency_weight(recent))
    posts = r.group_by(KEY).agg(recent_posts=r.count(), recent_weight=r._w.sum())
    lengths = terms.group_by(KEY).agg(doc_length=terms.tf.sum())
    return lengths.outer_join(posts, KEY).select(
        platform=ibis.coalesce(lengths.platform, posts.platform),
        account_id=ibis.coalesce(lengths.account_id, posts.account_id),
        doc_length=lengths.doc_length.fill_null(0),
        recent_posts=posts.recent_posts.fill_null(0),
        recent_weight=posts.recent_weight.fill_null(0.0),
    )
