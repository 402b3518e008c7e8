"""From a brief to a ranked, explainable shortlist (the scout contract).

The score is the weighted mean of seven parts in 0..1 with the brief's weights. A part the
brief asks nothing of (no locations and languages: no `place`) is left out of the mean; a
part the data cannot tell (no follower sample: `authenticity` unknown) counts as NEUTRAL and
says so in the reasons, so unknown creators neither float to the top nor sink.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from microscout.brief import Brief, BriefError
from microscout.discovery.influence import with_influence
from microscout.discovery.place import POSTED_THERE, Location, persona_scores, place_scores
from microscout.discovery.quality_parts import COMPETITOR_PENALTY, FULL_POSTS, quality_parts
from microscout.discovery.relevance import hashtag_scores, keyword_scores, query_words
from microscout.metrics.vet import FLAG_KEYS, FRAUD_FLAGS, as_float, as_int
from microscout.metrics.window import KEY
from microscout.sentences import join, say, say_n

PARTS = ("relevance", "place", "authenticity", "engagement", "community", "audience_match", "brand_fit")
# the modes that start from an account or a brand rather than a brief ask no place and no persona
MODE_PARTS = [p for p in PARTS if p not in ("place", "audience_match")]
NEUTRAL = 0.5
HASHTAG_FULL = 0.5       # half of recent posts carrying a wanted hashtag earns the full hashtag score
RELEVANCE_WEIGHTS = {"topic": 0.5, "keywords": 0.25, "hashtags": 0.25}
MIN_RELEVANCE = 0.05     # below this a creator is off topic and left out when the brief asks for relevance
DORMANT_FACTOR = 0.5     # inactive or private creators: score halved
INFLUENCE_WEIGHT = 3.0   # among a brand's followers, influence weighs as much as relevance does by default


BASE_COLUMNS = [
    "platform", "account_id", "handle", "followers", "tier", "city", "country", "language", "is_business",
    "rate_median", "vs_tier",
    "audience_quality", "sponsored_share", "brands", "repeat_commenter_share", "reply_rate", "comments_sampled",
    "posts_used", "engagement_rank",
    "authenticity", "engagement", "community", "brand_fit",
    *[f"flag_{k}" for k in FLAG_KEYS],
]


def discovery_base(metrics: ir.Table) -> ir.Table:
    """What scout reads of every creator, with the parts that do not depend on a brief (built at analyze)."""
    return quality_parts(metrics).select(*BASE_COLUMNS)


@dataclass(frozen=True)
class ScoutTables:
    """What a scout reads: discovery_base of the brief's tier scheme and the discovery index."""

    base: ir.Table
    terms: ir.Table
    hashtags: ir.Table
    documents: ir.Table
    recent: ir.Table
    creators: ir.Table
    profiles: ir.Table
    audience: ir.Table
    # (platform, account_id, topic_similarity) when a model is at hand; a frame where it is kept
    topic_similarity: ir.Table | pd.DataFrame | None = None
    influence: ir.Table | None = None  # (platform, account_id, pagerank, pagerank_pct) from analyze
    tokens: ir.Table | None = None  # discovery_tokens (similar.weighted_tokens) as analyze saved them


def candidates(base: ir.Table, brief: Brief, tier_names: list[str]) -> ir.Table:
    """discovery_base after the brief's hard filters on the creator's own figures."""
    m = base
    bad = [x for x in brief.tiers if x not in tier_names]
    if bad:
        raise BriefError(f"brief: tiers: '{bad[0]}' is not a tier of the '{brief.tier_scheme or 'default'}' scheme: "
                         f"expected one of {', '.join(tier_names)}")
    conds = []
    if brief.platforms:
        conds.append(m.platform.isin(list(brief.platforms)))
    if brief.tiers:
        conds.append(m.tier.isin(list(brief.tiers)))
    if brief.min_followers is not None:
        conds.append(m.followers >= brief.min_followers)
    if brief.max_followers is not None:
        conds.append(m.followers <= brief.max_followers)
    for flag in FRAUD_FLAGS:
        if flag not in brief.allow_flags:
            conds.append(~m[f"flag_{flag}"])
    if not brief.include_businesses:  # a brand's own account is no creator to hire
        conds.append(~m.is_business.fill_null(False))
    return m.filter(*conds) if conds else m


def frame(expr: ir.Table) -> pd.DataFrame:
    """`expr` as pandas through Arrow in one vectorised step: Ibis's own execute turns every list
    column, and every column with a null, into Python objects cell by cell, which took a second
    of a scout over 200,000 creators."""
    out: pd.DataFrame = expr.to_pyarrow().to_pandas()
    return out


def _merge(df: pd.DataFrame, part: ir.Table | pd.DataFrame) -> pd.DataFrame:
    return df.merge(part if isinstance(part, pd.DataFrame) else frame(part), on=KEY, how="left")


def score_frame(t: ScoutTables, brief: Brief, tier_names: list[str], excluded: list[tuple[str, str]],
                among: ir.Table | None = None) -> pd.DataFrame:
    """Every candidate with its parts and score. Each part is its own small query; the weighted mean
    of a few columns over the candidates is then plain arithmetic. With `among` (platform,
    account_id), only those accounts are candidates and their influence is a part of the score."""
    base = t.base if among is None else t.base.semi_join(among, KEY)
    df = frame(candidates(base, brief, tier_names))
    if excluded:
        gone = pd.MultiIndex.from_tuples(excluded, names=KEY)
        df = df[~pd.MultiIndex.from_frame(df[KEY]).isin(gone)]
    if brief.competitors:
        comp = {c.lower().lstrip("@") for c in brief.competitors}
        hit = df.brands.map(lambda b: bool(comp & set(b)) if b is not None else False)
        df = df.assign(brand_fit=(df.brand_fit - COMPETITOR_PENALTY * (hit & ~df.flag_competitor_partner)).clip(lower=0),
                       flag_competitor_partner=hit)
    words = query_words(*([brief.topic] if brief.topic else []), *brief.keywords)
    sub: dict[str, pd.Series] = {}
    if words:
        df = _merge(df, keyword_scores(t.terms, t.documents, words))
        best = df.bm25.max()
        df["keywords_part"] = (0.5 * df.matched_words.fillna(0) / len(words)
                               + 0.5 * (df.bm25.fillna(0.0) / best if best and best > 0 else 0.0))
        sub["keywords"] = df.keywords_part
    if brief.hashtags:
        df = _merge(df, hashtag_scores(t.hashtags, t.documents, list(brief.hashtags)))
        df["hashtags_part"] = (df.hashtag_share.fillna(0.0) / HASHTAG_FULL).clip(upper=1.0)
        sub["hashtags"] = df.hashtags_part
    if brief.topic and t.topic_similarity is not None:
        df = _merge(df, t.topic_similarity)
        # a creator not embedded yet (an unfinished analyze) is judged on its words alone
        df["topic_part"] = df.topic_similarity
        sub["topic"] = df.topic_part
    if sub:
        total = sum(RELEVANCE_WEIGHTS[k] * v.notna() for k, v in sub.items())
        df["relevance"] = sum(RELEVANCE_WEIGHTS[k] * v.fillna(0.0) for k, v in sub.items()) / total
    else:
        df["relevance"] = float("nan")
    if sub and among is None:
        # off the subject is out whatever the rest says: the per-creator parts below are then
        # computed for those left only (the relevance parts compare each creator with all others)
        df = df[df.relevance >= MIN_RELEVANCE]
    keys = ibis.memtable(df[KEY].reset_index(drop=True))

    def theirs(table: ir.Table) -> ir.Table:
        return table.semi_join(keys, KEY)

    locations = [Location.parse(x) for x in brief.locations]
    if locations or brief.languages:
        df = _merge(df, place_scores(theirs(t.creators), theirs(t.recent), locations, list(brief.languages)))
        if brief.strict_place:
            if locations:  # in the place asked for, or posting mostly from there; the country alone is not enough
                df = df[df.location_score >= POSTED_THERE]
            if brief.languages:
                df = df[df.language_score > 0]
    else:
        df["place"] = float("nan")
    p = brief.persona
    if persona_asked(brief):
        df = _merge(df, persona_scores(theirs(t.profiles), theirs(t.audience), p))
    else:
        df = df.assign(audience_match=float("nan"), persona_source=None, persona_sample=None)
    extra = {}
    if among is not None:
        df = with_influence(df, t.influence.execute() if t.influence is not None else pd.DataFrame(
            columns=[*KEY, "pagerank", "pagerank_pct"]))
        extra["influence"] = INFLUENCE_WEIGHT
    df["score"] = weighted_score(df, brief, asked_parts(brief, bool(sub)), extra)
    # a creator who stopped posting, or whose account others cannot see, is a poor bet whatever its figures
    dormant = df.flag_inactive.fillna(False).astype(bool) | df.flag_private.fillna(False).astype(bool)
    df.loc[dormant, "score"] *= DORMANT_FACTOR
    if sub and among is not None:
        # among the brand's own followers a creator is never dropped for its subject: they already
        # chose the brand, so relevance ranks them and the reasons say so
        df = df.assign(off_topic=df.relevance < MIN_RELEVANCE)
    return df


def weighted_score(df: pd.DataFrame, brief: Brief, asked: list[str],
                   extra: dict[str, float] | None = None) -> pd.Series | float:
    """Σ weight × part / Σ weight over the asked parts (the brief's weights) and the `extra` parts
    (their own weights, such as influence), an unknown part counting NEUTRAL."""
    weights = {part: getattr(brief.weights, part) for part in asked} | (extra or {})
    den = sum(weights.values())
    num = sum(w * df[part].astype(float).fillna(NEUTRAL) for part, w in weights.items())
    return num / den if den > 0 else 0.0


def persona_asked(brief: Brief) -> bool:
    p = brief.persona
    return bool(p.countries or p.cities or p.languages or p.age or p.gender in ("female", "male"))


def asked_parts(brief: Brief, relevance: bool) -> list[str]:
    asked = {"relevance": relevance, "place": bool(brief.locations or brief.languages),
             "audience_match": persona_asked(brief)}
    return [part for part in PARTS if asked.get(part, True)]


def ranked(scored: pd.DataFrame, limit: int) -> pd.DataFrame:
    df = scored.sort_values(["score", "followers", "platform", "account_id"], ascending=[False, False, True, True])
    df = df.head(limit).reset_index(drop=True)
    df.insert(0, "rank", range(1, len(df) + 1))
    return df


def _listed(x: Any) -> list[Any]:
    """A list cell as a list; a creator that matched nothing has NaN there after the merge."""
    return [] if x is None or isinstance(x, float) else list(x)


def result_record(r: dict[str, Any], asked: list[str], flag_reasons: dict[str, str]) -> dict[str, Any]:
    """One scout result in the contract's shape, with reasons a marketer understands."""
    parts = {part: (round(v, 4) if (v := as_float(r.get(part))) is not None else None) for part in PARTS}
    reasons: list[str] = []
    if "relevance" in asked:
        bits = []
        if words := _listed(r.get("matched_list")):
            bits.append(say("uses the words {words}", words=[f"'{x}'" for x in sorted(words)]))
        if tags := _listed(r.get("matched_tags")):
            bits.append(say("tags {tags} on {share:pct0} of recent posts", tags=["#" + x for x in sorted(tags)[:6]],
                            share=as_float(r.get("hashtag_share"))))
        if (similarity := as_float(r.get("topic_similarity"))) is not None:
            bits.append(say("topic similarity {similarity:f2}", similarity=similarity))
        reasons.append(say("Relevance {relevance:f2}: {why}.", relevance=parts["relevance"] or 0,
                           why=join("; ", bits) if bits else say("no match")))
        if r.get("off_topic") is True:
            reasons.append(say("Off the brief's subject (relevance under {floor:f2}), kept because it follows the brand: "
                               "ranked below those on the subject.", floor=MIN_RELEVANCE))
    if "place" in asked:
        where = ", ".join(x for x in (r.get("city"), r.get("country")) if x)
        city_posts = as_int(r.get("place_city_posts"))
        values = {"place": parts["place"] or 0, "where": where or say("unknown place"),
                  "language": r.get("language") or None, "posts": city_posts}
        reasons.append(say("Place {place:f2}: based in {where}, writes in {language}; {posts:int} recent posts "
                           "located in the city.", **values) if city_posts
                       else say("Place {place:f2}: based in {where}, writes in {language}.", **values))
    aq = as_int(r.get("audience_quality"))
    reasons.append(say("Authenticity: audience quality {quality}/100.", quality=aq) if aq is not None
                   else say("Authenticity unknown (no follower sample): counted as {neutral:f1}.", neutral=NEUTRAL))
    vs = as_float(r.get("vs_tier"))
    if parts["engagement"] is not None:
        standing = as_float(r.get("engagement_rank"))
        line = say("Engagement {rate:pct0}, {vs:f1}× its tier's median", rate=as_float(r.get("rate_median")),
                   vs=vs or 0)
        if standing is not None:
            line += say(", at the {rank:ord} percentile of {tier} {platform} creators here",
                        rank=round(standing * 100), tier=r.get("tier"), platform=r.get("platform"))
        used = as_int(r.get("posts_used")) or 0
        if used < FULL_POSTS:
            line += say_n(" (from {count} post only, so drawn towards the middle: {part:f2})",
                          " (from {count} posts only, so drawn towards the middle: {part:f2})", used,
                          part=parts["engagement"])
        reasons.append(line + ".")
    if "audience_match" in asked:
        if parts["audience_match"] is None:
            reasons.append(say("Audience match unknown (no audience report, too few follower profiles): counted as "
                               "{neutral:f1}.", neutral=NEUTRAL))
        else:
            n = as_int(r.get("persona_sample"))
            match = parts["audience_match"]
            if r.get("persona_source") == "audience report":
                reasons.append(say("Audience match {match:f2} from the audience report.", match=match))
            elif n:
                reasons.append(say("Audience match {match:f2} from the follower sample ({n:int} followers with a "
                                   "known profile).", match=match, n=n))
            else:
                reasons.append(say("Audience match {match:f2} from the follower sample.", match=match))
    if parts["brand_fit"] is not None and parts["brand_fit"] < 1:
        line = say("Brand fit {fit:f2}: {share:pct0} of recent posts are ads", fit=parts["brand_fit"],
                   share=as_float(r.get("sponsored_share")))
        if r.get("flag_competitor_partner"):
            line += say(", promoted a competitor")
        if r.get("flag_undisclosed_ads"):
            line += say(", undisclosed ads suspected")
        reasons.append(line + ".")
    if (influence := as_float(r.get("influence"))) is not None:
        parts["influence"] = round(influence, 4)
        pr = as_float(r.get("pagerank_pct"))
        line = say("Influence {influence:f2}: more followers than {share:pct0} of the brand's followers who post; ",
                   influence=influence, share=as_float(r.get("followers_pct")))
        reasons.append(line + (say("PageRank in the follow and mention graph above {pr:pct0} of {platform} "
                                   "creators.", pr=pr, platform=r.get("platform")) if pr is not None
                               else say("PageRank unknown.")))
    flags = [k for k in FLAG_KEYS if r.get(f"flag_{k}")]
    if "inactive" in flags or "private" in flags:
        reasons.append(say("Inactive: score × {factor:f1}.", factor=DORMANT_FACTOR) if "inactive" in flags
                       else say("Private: score × {factor:f1}.", factor=DORMANT_FACTOR))
    return {"rank": int(r["rank"]), "platform": r["platform"], "account_id": r["account_id"], "handle": r.get("handle"),
            "tier": r.get("tier"), "followers": as_int(r.get("followers")), "score": round(float(r["score"]), 4),
            "parts": parts, "flags": flags, "flag_reasons": {k: v for k, v in flag_reasons.items() if k in flags},
            "reasons": reasons}

