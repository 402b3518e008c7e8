"""Who the audience is: its split by country, language, gender and age.

A platform's own breakdown (the bundle's `audience` table) is used where the bundle has one;
otherwise countries and languages are counted over the sampled followers whose profiles say
them. Each dimension says which source it came from and, when estimated, over how many
followers, because a split of 12 profiles is not a split of 12,000 followers.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

DIMENSIONS = ("country", "language", "gender", "age")
# the profile columns a follower's own account can tell
PROFILE_DIMENSIONS = ("country", "language")
AGE_BANDS = ("13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
TOP = 6


def audience_mix(audience: ir.Table, follows: ir.Table, accounts: ir.Table) -> ir.Table:
    """(platform, account_id, dimension, value, share, source, sample) for every account with a
    platform breakdown or sampled followers; a dimension the platform reports is not estimated."""
    reported = audience.select(
        "platform", "account_id", "dimension", "value", share=audience.share.cast("float64"),
        source=ibis.literal("platform"), sample=ibis.null("int64"))
    f = follows.select("platform", follower_id=follows.follower_id, account_id=follows.followee_id)
    profiles = accounts.select("platform", follower_id=accounts.account_id, country=accounts.country,
                               language=accounts.language)
    joined = f.join(profiles, ["platform", "follower_id"])
    counted = []
    for dim in PROFILE_DIMENSIONS:
        known = joined.filter(joined[dim].notnull() & (joined[dim] != ""))
        per_value = known.group_by(["platform", "account_id", known[dim].name("value")]).agg(n=known.count())
        totals = per_value.group_by(["platform", "account_id"]).agg(sample=per_value.n.sum())
        j = per_value.join(totals, ["platform", "account_id"])
        # `sample` is also a Table method: columns by name
        counted.append(j.select("platform", "account_id", dimension=ibis.literal(dim), value=j["value"],
                                share=(j["n"] / j["sample"]).cast("float64"), source=ibis.literal("followers"),
                                sample=j["sample"].cast("int64")))
    estimated = ibis.union(*counted)
    has_reported = reported.select("platform", "account_id", "dimension").distinct()
    estimated = estimated.anti_join(has_reported, ["platform", "account_id", "dimension"])
    return reported.union(estimated)


def mix_record(rows: list[dict[str, Any]], top: int = TOP) -> dict[str, Any]:
    """One creator's rows as {dimension: {source, sample, values: [{value, share}]}}, largest shares
    first (age bands in their order, all of them); values beyond `top` are summed into 'other'.
    A dimension with no data is null."""
    out: dict[str, Any] = {}
    for dim in DIMENSIONS:
        mine = [r for r in rows if r["dimension"] == dim]
        if not mine:
            out[dim] = None
            continue
        if dim == "age":
            mine.sort(key=lambda r: AGE_BANDS.index(r["value"]) if r["value"] in AGE_BANDS else len(AGE_BANDS))
            keep = len(mine)
        else:
            mine.sort(key=lambda r: (-r["share"], str(r["value"])))
            keep = top
        values = [{"value": str(r["value"]), "share": round(float(r["share"]), 4)} for r in mine[:keep]]
        rest = sum(float(r["share"]) for r in mine[keep:])
        if rest > 0:
            values.append({"value": "other", "share": round(rest, 4)})
        sample = mine[0].get("sample")
        out[dim] = {"source": mine[0]["source"], "sample": None if sample is None else int(sample), "values": values}
    return out


def mix_lines(mix: dict[str, Any]) -> list[str]:
    """One readable line per known dimension: 'country DE 61%, AT 12%, … (platform)'."""
    lines = []
    for dim in DIMENSIONS:
        d = mix.get(dim)
        if not d:
            continue
        shares = ", ".join(f"{v['value']} {v['share'] * 100:.0f}%" for v in d["values"])
        where = ("as the platform reports it" if d["source"] == "platform"
                 else f"from {d['sample']:,} sampled followers' profiles")
        lines.append(f"{dim}: {shares} ({where})")
    return lines
