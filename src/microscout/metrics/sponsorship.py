"""Sponsored posts, the brands behind them, and ads that look undisclosed."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from microscout.metrics.disclosure import (
    DISCLOSURE_TAGS,
    PROMOTION_PATTERN,
    phrase_pattern,
    tag_pattern,
)
from microscout.metrics.window import KEY, attach


def post_disclosure(used: ir.Table) -> ir.Table:
    """Per post: disclosed (platform label, a disclosure hashtag or phrase), where (first line
    or buried), and whether it promotes a brand without disclosure."""
    # lower-case first: Java's (?i) folds only ASCII letters (Ś, É), RE2's folds all
    caption = used.caption.fill_null("").lower()
    first_line = caption.re_extract(r"^([^\n]*)", 1)
    tags = used.hashtags
    has_tag = (tags.intersect(ibis.array(list(DISCLOSURE_TAGS))).length() > 0).fill_null(False) | caption.re_search(
        tag_pattern())
    has_phrase = caption.re_search(phrase_pattern())
    label = used.is_paid_partnership.fill_null(False)
    disclosed = label | has_tag | has_phrase
    early = first_line.re_search(tag_pattern()) | first_line.re_search(phrase_pattern())
    mentions_someone = (used.mentions.length().fill_null(0) > 0) | caption.re_search(r"(^|[^\p{L}\p{N}_])@[\p{L}\p{N}_]")
    promotes = caption.re_search(PROMOTION_PATTERN) | (used.url.fill_null("").re_search(r"[?&](ref|aff|affiliate)="))
    return used.mutate(
        disclosed=disclosed,
        disclosure_placement=ibis.cases((~disclosed, "none"), (label | early, "first_line"), else_="buried"),
        undisclosed_suspected=(~disclosed) & mentions_someone & promotes,
    )


def sponsorship(used: ir.Table) -> ir.Table:
    """Per creator over the posts used: sponsored_share (disclosed sponsored posts / posts used),
    undisclosed_suspected (a count of posts), buried_disclosures, and the brands promoted
    (accounts mentioned in disclosed or suspected ads)."""
    p = post_disclosure(used)
    counts = p.group_by(KEY).agg(
        _used=p.count(),
        _disclosed=p.disclosed.cast("int64").sum(),
        undisclosed_suspected=p.undisclosed_suspected.cast("int64").sum(),
        buried_disclosures=(p.disclosure_placement == "buried").cast("int64").sum(),
    )
    counts = counts.mutate(sponsored_share=counts._disclosed.cast("float64") / counts._used.cast("float64"),
                           sponsored_posts=counts._disclosed).drop("_used", "_disclosed")
    ads = p.filter(p.disclosed | p.undisclosed_suspected)
    mentioned = ads.select(*KEY, brand=ads.mentions.unnest())
    brands = mentioned.group_by(KEY).agg(brands=mentioned.brand.collect(distinct=True).sort(),
                                         brand_count=mentioned.brand.nunique())
    out = attach(counts, brands, KEY, ["brands", "brand_count"])
    return out.mutate(brand_count=out.brand_count.fill_null(0))
