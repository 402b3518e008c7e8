"""Which of a brand's employees post about it, with their reach and engagement.

The brand hands over its staff list (platform, handle, name); each row is matched to an account by
(platform, lower-cased handle). Every employee found is a result, in the scout shape: those who
post come with the scout's parts, relevance being how often they mention the brand (3 posts or
more count in full, as in `mentions`); those who post nothing we hold come with their followers,
zero brand posts, null parts and figures, and a score of 0. Nobody is left out: fraud flags stay
visible in `flags` and `flag_reasons`, since these are the brand's own people. Ranking: more
posts about the brand first, then more followers, then the handle.
"""

from __future__ import annotations

from typing import Any

import ibis.expr.types as ir
import pandas as pd

from microscout.brief import Brief
from microscout.discovery.mentions import FULL_AT, brand_mentions
from microscout.discovery.scout import DORMANT_FACTOR, MODE_PARTS, result_record, weighted_score
from microscout.metrics.vet import as_float, flag_reasons
from microscout.metrics.window import KEY
from microscout.sentences import say, say_n

NO_POSTS = say("Posts nothing we hold: engagement, authenticity and the other parts are unknown, so the score is 0.")


def brand_label(handles: list[str]) -> str:
    """'@veganz, @veganz_de': the brand as the brief name and the reasons write it."""
    return ", ".join("@" + h.strip().lower().lstrip("@") for h in handles)


def staff_accounts(accounts: ir.Table, staff: pd.DataFrame) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Each staff row's account(s), matched by (platform, lower(handle)), as (line, name, platform,
    account_id, handle, followers); and the staff rows that match no account, in the file's order."""
    wanted = staff.assign(_handle=staff.handle.str.lower())
    cols = ["line", "name", *KEY, "handle", "followers"]
    if wanted.empty:
        return pd.DataFrame(columns=cols), []
    acc = accounts.filter(accounts.platform.isin(sorted(set(wanted.platform))),
                          accounts.handle.lower().isin(sorted(set(wanted._handle))))
    found = acc.select(*KEY, "handle", "followers", _handle=acc.handle.lower()).execute()
    both = wanted.drop(columns="handle").merge(found, on=["platform", "_handle"], how="left", indicator=True)
    lost = both[both._merge == "left_only"].line
    not_found = [{"line": int(r.line), "platform": r.platform, "handle": r.handle, "name": r.name}
                 for r in wanted[wanted.line.isin(lost)].itertuples()]
    return both[both._merge == "both"][cols].reset_index(drop=True), not_found


def _first_reason(r: dict[str, Any], brand: str) -> str:
    if not r["_creator"]:
        return say("No post mentions {brand}: we hold none of this account's posts.", brand=brand)
    if r["brand_posts"]:
        return say_n("Mentions {brand} in {count:int} post, the latest on {day:date}.",
                     "Mentions {brand} in {count:int} posts, the latest on {day:date}.", int(r["brand_posts"]),
                     brand=brand, day=r["last_brand_post"])
    return say("No post mentions {brand} in the year before its newest post.", brand=brand)


def employee_results(base: ir.Table, metrics: ir.Table, spikes: ir.Table, posts: ir.Table, accounts: ir.Table,
                     staff: pd.DataFrame, handles: list[str], limit: int) -> dict[str, Any]:
    """The scout shape, `brief` = "employees of @brand", plus `not_found` (staff rows that match no
    account). `base` is discovery_base, `metrics` creator_metrics and `spikes` creator_spikes (for
    the flag sentences), `staff` the rows of `read_staff`. Each result adds `name`, `brand_posts`
    (posts mentioning the brand by @, tag or #hashtag in the year before the account's newest
    post), `last_brand_post` (ISO date or null) and `engagement_rate` (median, null if unknown)."""
    brand = brand_label(handles)
    brief = Brief(name=f"employees of {brand}")
    people, not_found = staff_accounts(accounts, staff)
    if people.empty:
        return {"brief": say("employees of {brand}", brand=brand), "results": [], "not_found": not_found}
    ids = sorted(set(people.account_id))
    mine = base.filter(base.account_id.isin(ids)).drop("handle", "followers").execute()
    mine["_creator"] = True
    hits = brand_mentions(posts.filter(posts.account_id.isin(ids)), handles).execute()
    df = people.merge(mine, on=KEY, how="left").merge(hits, on=KEY, how="left")
    df["_creator"] = df._creator.eq(True)
    df["brand_posts"] = df.brand_posts.fillna(0).astype(int)
    df["last_brand_post"] = [None if pd.isna(x) else str(x)[:10] for x in df.last_mention]
    df["relevance"] = (df.brand_posts / FULL_AT).clip(upper=1.0)
    df["score"] = weighted_score(df, brief, MODE_PARTS) if len(df) else 0.0
    dormant = df.flag_inactive.eq(True) | df.flag_private.eq(True)
    df.loc[dormant, "score"] *= DORMANT_FACTOR
    df.loc[~df._creator, "score"] = 0.0
    df["_handle"] = df.handle.str.lower()
    df = df.sort_values(["brand_posts", "followers", "_handle", *KEY], ascending=[False, False, True, True, True])
    df = df.head(limit).reset_index(drop=True)
    df.insert(0, "rank", range(1, len(df) + 1))
    df = df.astype(object).where(df.notna(), None)
    flagged = _flag_rows(metrics, spikes, df)
    results = []
    for r in df.to_dict("records"):
        m, s = flagged.get((r["platform"], r["account_id"]), ({}, []))
        rec = result_record(r, MODE_PARTS, flag_reasons(m, s) if m else {})
        rec["reasons"] = ([_first_reason(r, brand), *rec["reasons"][1:]] if r["_creator"]
                          else [_first_reason(r, brand), NO_POSTS])
        rec.update(name=r["name"], brand_posts=int(r["brand_posts"]), last_brand_post=r["last_brand_post"],
                   engagement_rate=as_float(r.get("rate_median")))
        results.append(rec)
    return {"brief": say("employees of {brand}", brand=brand), "results": results, "not_found": not_found}


def _flag_rows(metrics: ir.Table, spikes: ir.Table, df: pd.DataFrame
               ) -> dict[tuple[str, str], tuple[dict[str, Any], list[dict[str, Any]]]]:
    """creator_metrics row and follower spikes of each flagged result, for the flag sentences."""
    flagged = df[[any(r.get(c) for c in df.columns if c.startswith("flag_")) for r in df.to_dict("records")]]
    if flagged.empty:
        return {}
    ids = sorted(set(flagged.account_id))
    rows = metrics.filter(metrics.account_id.isin(ids)).execute().to_dict("records")
    jumps = spikes.filter(spikes.account_id.isin(ids)).execute().to_dict("records")
    return {(m["platform"], m["account_id"]): (m, [s for s in jumps if (s["platform"], s["account_id"])
                                                   == (m["platform"], m["account_id"])]) for m in rows}
