"""A niche's hashtags: the tags its creators use, the tags that come with them, and who uses them.

The *niche* is the creators relevant to a topic (scout's relevance: BM25 of the topic's words over their
words, the share of their recent posts with a tag starting with a topic word, and the topic
model when present; relevance ≥ MIN_RELEVANCE) that are in a place (a city:
based there or posting mostly from there, location_score ≥ POSTED_THERE; a country: based there).
With only a place, every creator there is the niche. Fraud-flagged creators are never part of it.

From the niche's recent posts (discovery_recent), per hashtag:

- `posts`, `creators`: niche posts carrying it, niche creators using it;
- `recent_weight`: those posts weighted by recency, exp(-days before as-of / 90);
- `niche_share`: posts / all niche posts;
- `lift`: niche_share / the share of every creator's recent posts on the niche's platforms that
  carry it (1 = as common everywhere as in the niche: a generic tag such as #love);
- `score` = creators × ln(1 + lift): many niche creators, and specific to the niche. When the
  niche has at least MIN_NICHE_FOR_SHARED creators, a tag must be used by MIN_TAG_CREATORS of them.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd

from microscout.brief import Brief
from microscout.discovery.index import tagged_posts
from microscout.discovery.place import POSTED_THERE, Location
from microscout.discovery.relevance import query_words
from microscout.discovery.scout import ScoutTables, score_frame
from microscout.exceptions import MicroscoutError
from microscout.metrics.vet import as_int
from microscout.metrics.window import KEY
from microscout.schema import PLATFORMS

MIN_TAG_CREATORS = 2       # in a niche of MIN_NICHE_FOR_SHARED creators or more, a tag needs this many
MIN_NICHE_FOR_SHARED = 5
CO_TAGS = 5                # co-occurring tags shown per tag
TOP_CREATORS = 5           # creators shown per tag


class NicheError(ValueError, MicroscoutError):
    """A niche asked for in a way that cannot be searched (no topic nor place, an empty topic ...)."""


def parse_place(text: str) -> Location:
    """'Berlin', 'Berlin, DE' or 'DE' (a two-letter code in any case) as a Location; a clear error else."""
    raw = text.strip()
    if len(raw) == 2 and raw.isalpha():
        return Location(None, raw.upper())
    loc = Location.parse(raw)
    if (not loc.city and not loc.country) or (loc.city and not any(ch.isalpha() for ch in loc.city)):
        raise NicheError(f"The 'location' parameter of hashtags must be a city, 'City, CC' or a country code "
                         f"'CC'. Got {text!r} instead.")
    return loc


def niche_brief(topic: str | None, location: str | None, platforms: list[str] | tuple[str, ...] = ()) -> Brief:
    """The brief that finds the niche: the topic, the place and the platforms; at least a topic or a place."""
    if topic is None and location is None:
        raise NicheError("hashtags needs a niche: give --topic, --location or both "
                         "(e.g. --topic \"vegan baking\" --location Berlin)")
    if topic is not None:
        if not topic.strip():
            raise NicheError("The 'topic' parameter of hashtags must be non-empty text. Got '' instead.")
        if not query_words(topic):
            raise NicheError(f"The 'topic' parameter of hashtags must hold a word to search for. Got {topic!r} "
                             "instead: it has no word of two or more letters that is not a stopword or a number.")
    wanted = tuple(p.strip().lower() for p in platforms)
    for p in wanted:
        if p not in PLATFORMS:
            raise NicheError(f"The 'platform' parameter of hashtags must be one of {', '.join(PLATFORMS)}. "
                             f"Got {p!r} instead.")
    place = parse_place(location) if location is not None else None
    name = " in ".join(x for x in (f"'{topic.strip()}'" if topic else None, place.label() if place else None) if x)
    # the topic's words are wanted as hashtags too: #veganbacken is about vegan baking (a brief
    # refuses a null topic, so none is no key)
    about: dict[str, Any] = {"topic": topic.strip(), "hashtags": tuple(query_words(topic))} if topic else {}
    return Brief(name=f"hashtags of {name}", locations=(_location_text(place),) if place else (), platforms=wanted,
                 **about)


def _location_text(loc: Location) -> str:
    """The text Location.parse reads back as `loc`."""
    return ", ".join(x for x in (loc.city, loc.country) if x)


def niche_creators(t: ScoutTables, brief: Brief, tier_names: list[str]) -> pd.DataFrame:
    """(platform, account_id, handle, followers) of the niche: scout's candidates (platforms, no fraud
    flags) relevant to the topic and strictly in the place."""
    df = score_frame(t, brief, tier_names, [])
    if brief.locations:  # a city: based there or posting mostly from there; a country: based there
        df = df[df.location_score >= POSTED_THERE]
    return df[[*KEY, "handle", "followers"]].reset_index(drop=True)


def hashtag_stats(hashtags: ir.Table, documents: ir.Table, niche: ir.Table, platforms: list[str],
                  min_creators: int = 1) -> ir.Table:
    """(hashtag, posts, creators, recent_weight, niche_share, lift, score) for every tag of the niche's
    recent posts used by at least `min_creators` niche creators; `niche` holds (platform, account_id).
    The baseline of `lift` is every creator's recent posts on `platforms` (those of the niche). Read
    from the per-creator tag counts and post counts analyze saved (discovery_hashtags and
    discovery_documents), not from the posts: a million accounts' posts take seconds to unnest."""
    mine = hashtags.semi_join(niche, KEY)
    everyone = hashtags.filter(hashtags.platform.isin(platforms))
    docs = documents.filter(documents.platform.isin(platforms))
    niche_posts = docs.semi_join(niche, KEY).recent_posts.sum().as_scalar().cast("float64")
    all_posts = docs.recent_posts.sum().as_scalar().cast("float64")
    per = mine.group_by("hashtag").agg(posts=mine.posts.sum(), creators=mine.count(), recent_weight=mine.weight.sum())
    per = per.filter(per.creators >= min_creators)
    base = everyone.group_by("hashtag").agg(base_posts=everyone.posts.sum())
    per = per.join(base, "hashtag")
    share = per.posts.cast("float64") / niche_posts
    per = per.mutate(niche_share=share, lift=share / (per.base_posts.cast("float64") / all_posts))
    return per.select("hashtag", "posts", "creators", "recent_weight", "niche_share", "lift",
                      score=per.creators.cast("float64") * (1.0 + per.lift).ln())


def co_tags(recent: ir.Table, niche: ir.Table, hashtags: list[str], top: int = CO_TAGS) -> ir.Table:
    """(hashtag, co_tag, posts): for each of `hashtags`, the `top` tags most often on the same niche
    posts (ties by name)."""
    tags = tagged_posts(recent.semi_join(niche, KEY)).select("platform", "post_id", "hashtag")
    a = tags.filter(tags.hashtag.isin(hashtags))
    b = tags.select(_p="platform", _post="post_id", co_tag="hashtag")
    pairs = a.join(b, [a.platform == b._p, a.post_id == b._post])
    pairs = pairs.filter(pairs.hashtag != pairs.co_tag)
    counted = pairs.group_by(["hashtag", "co_tag"]).agg(posts=pairs.count())
    order = ibis.row_number().over(group_by=counted.hashtag, order_by=[ibis.desc(counted.posts), counted.co_tag])
    counted = counted.mutate(_n=order)
    return counted.filter(counted._n < top).select("hashtag", "co_tag", "posts")


def tag_creators(recent: ir.Table, niche: ir.Table, hashtags: list[str]) -> ir.Table:
    """(hashtag, platform, account_id, posts): niche creators' posts carrying each of `hashtags`."""
    tags = tagged_posts(recent.semi_join(niche, KEY))
    tags = tags.filter(tags.hashtag.isin(hashtags))
    return tags.group_by(["hashtag", *KEY]).agg(posts=tags.count())


def niche_hashtags(t: ScoutTables, brief: Brief, tier_names: list[str], limit: int = 20) -> dict[str, Any]:
    """The hashtags record: the niche's size and platforms, and its top `limit` tags, each with its
    figures, `co_tags` and `top_creators` (see the module's docstring for the formulas)."""
    people = niche_creators(t, brief, tier_names)
    record: dict[str, Any] = {"topic": brief.topic,
                              "location": Location.parse(brief.locations[0]).label() if brief.locations else None,
                              "platforms": sorted(set(people.platform)), "niche_creators": len(people),
                              "hashtags": []}
    if people.empty:
        return record
    niche = ibis.memtable(people[KEY].astype(str), schema={"platform": "string", "account_id": "string"})
    min_creators = MIN_TAG_CREATORS if len(people) >= MIN_NICHE_FOR_SHARED else 1
    stats = hashtag_stats(t.hashtags, t.documents, niche, record["platforms"], min_creators)
    stats = stats.order_by([ibis.desc(stats.score), ibis.desc(stats.creators), ibis.desc(stats.posts),
                            stats.hashtag]).limit(limit).execute()
    if stats.empty:
        return record
    top = list(stats.hashtag)
    co = co_tags(t.recent, niche, top).execute()
    who = tag_creators(t.recent, niche, top).execute().merge(people, on=KEY, how="left")
    who = who.sort_values(["posts", "followers", "platform", "account_id"], ascending=[False, False, True, True])
    co = co.sort_values(["posts", "co_tag"], ascending=[False, True])
    for rank, r in enumerate(stats.to_dict("records"), start=1):
        tag = r["hashtag"]
        record["hashtags"].append({
            "rank": rank, "hashtag": tag, "posts": int(r["posts"]), "creators": int(r["creators"]),
            "recent_weight": round(float(r["recent_weight"]), 4), "niche_share": round(float(r["niche_share"]), 4),
            "lift": round(float(r["lift"]), 4), "score": round(float(r["score"]), 4),
            "co_tags": [{"hashtag": c["co_tag"], "posts": int(c["posts"])}
                        for c in co[co.hashtag == tag].to_dict("records")],
            "top_creators": [{"platform": c["platform"], "account_id": c["account_id"], "handle": c["handle"],
                              "followers": as_int(c["followers"]), "posts": int(c["posts"])}
                             for c in who[who.hashtag == tag].head(TOP_CREATORS).to_dict("records")],
        })
    return record


def hashtag_rows(record: dict[str, Any]) -> list[dict[str, Any]]:
    """One flat row per tag (CSV): the figures, co-tags as 'tag (posts)' and top creators as
    'platform:account_id @handle (posts)', each joined with '; '."""
    return [{**{k: v for k, v in h.items() if k not in ("co_tags", "top_creators")},
             "co_tags": "; ".join(f"{c['hashtag']} ({c['posts']})" for c in h["co_tags"]),
             "top_creators": "; ".join(f"{c['platform']}:{c['account_id']} @{c['handle']} ({c['posts']})"
                                       for c in h["top_creators"])}
            for h in record["hashtags"]]

