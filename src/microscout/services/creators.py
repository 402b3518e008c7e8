"""Creators: the vet contract, the filtered list of creators, and each account's own data."""

from __future__ import annotations

from typing import Any

import ibis
import pandas as pd

from microscout import analysis
from microscout.exceptions import AccountNotFoundError, MicroscoutError
from microscout.metrics.audience_mix import audience_mix, mix_record
from microscout.metrics.vet import FLAG_KEYS, FRAUD_FLAGS, as_float, as_int, flag_reasons, vet_record
from microscout.refs import AccountRef
from microscout.schema import PLATFORMS
from microscout.services.state import WorkspaceState
from microscout.words import iso_utc

MAX_COUNT = 10**12  # beyond any follower count, and within 64-bit integers


class CreatorService:
    def __init__(self, state: WorkspaceState) -> None:
        self.state = state
        self.settings = state.settings
        self.table = state.table
        self.resolve = state.resolve

    def tier_names(self, tier_scheme: str | None = None) -> tuple[str, ...]:
        """The tiers of the scheme (the settings' default when none is named), smallest first."""
        return tuple(analysis.tier_scheme(self.settings, tier_scheme).tier_names)

    def vet(self, ref: str | AccountRef, tier_scheme: str | None = None,
            competitors: list[str] | None = None) -> dict[str, Any]:
        """One creator in the vet contract, with flags and reasons; analyzes first if the data changed."""
        platform, account_id = self.resolve(ref)
        metrics, _, _ = self.state.figures(tier_scheme, competitors)
        row, spikes = analysis.metrics_row(metrics, self.state.store, platform, account_id)
        if row is None:
            raise AccountNotFoundError(f"{platform}:{account_id} has no post in the workspace, so it is audience, "
                                       "not a creator: there is nothing to vet")
        record = vet_record(row, spikes, analysis.tier_scheme(self.settings, tier_scheme).name)
        record["audience"]["breakdown"] = self.audience_breakdown((platform, account_id))
        profile = self.account((platform, account_id))
        record["contact"] = {"public": profile.get("contact") or None, "website": profile.get("external_url") or None}
        return record

    def audience_breakdown(self, ref: str | AccountRef | tuple[str, str]) -> dict[str, Any]:
        """The audience split by country, language, gender and age: the platform's own figures
        where the bundle has them, else counted over the sampled followers' profiles."""
        platform, account_id = self.resolve(ref)
        aud, fol, acc = self.table("audience"), self.table("follows"), self.table("accounts")
        mine = audience_mix(aud.filter((aud.platform == platform) & (aud.account_id == account_id)),
                            fol.filter((fol.platform == platform) & (fol.followee_id == account_id)),
                            acc.filter(acc.platform == platform))
        return mix_record(mine.execute().to_dict("records"))

    def creators(self, *, platform: str | None = None, tier: str | None = None, min_followers: int | None = None,
                 max_followers: int | None = None, min_er: float | None = None, max_er: float | None = None,
                 q: str | None = None, flags: list[str] | None = None, no_fraud: bool = False,
                 min_quality: float | None = None, sort: str = "-followers", limit: int | None = 100, offset: int = 0,
                 tier_scheme: str | None = None,
                 accounts: list[tuple[str, str]] | None = None) -> tuple[list[dict[str, Any]], int]:
        """Creators with their main figures, filtered and sorted; returns (rows, total before paging).
        `flags`: only creators with all of them; `no_fraud`: none of the fraud flags; `accounts`:
        only these (platform, account_id)."""
        for name, value in (("min_followers", min_followers), ("max_followers", max_followers), ("limit", limit),
                            ("offset", offset)):
            if value is not None and not 0 <= value <= MAX_COUNT:
                raise MicroscoutError(f"{name}: {value} is out of range: expected a whole number from 0 to {MAX_COUNT:,}")
        if platform and platform not in PLATFORMS:
            raise MicroscoutError(f"platform: '{platform[:40]}' is not one of {', '.join(PLATFORMS)}")
        names = analysis.tier_scheme(self.settings, tier_scheme).tier_names
        if tier and tier not in names:
            raise MicroscoutError(f"tier: '{tier[:40]}' is not a tier of this scheme: expected one of {', '.join(names)}")
        m, _, _ = self.state.figures(tier_scheme)
        conds = []
        if platform:
            conds.append(m.platform == platform)
        if tier:
            conds.append(m.tier == tier)
        if min_followers is not None:
            conds.append(m.followers >= min_followers)
        if max_followers is not None:
            conds.append(m.followers <= max_followers)
        if min_er is not None:
            conds.append(m.rate_median >= min_er)
        if max_er is not None:
            conds.append(m.rate_median <= max_er)
        if q:
            needle = q.lower()
            conds.append(m.handle.lower().contains(needle) | m.display_name.fill_null("").lower().contains(needle))
        for name in flags or []:
            if name not in FLAG_KEYS:
                raise MicroscoutError(f"unknown flag '{name}': expected one of {', '.join(FLAG_KEYS)}")
            conds.append(m[f"flag_{name}"])
        if no_fraud:
            conds.extend(~m[f"flag_{name}"] for name in FRAUD_FLAGS)
        if min_quality is not None:
            conds.append(m.audience_quality >= min_quality)
        if conds:
            m = m.filter(*conds)
        if accounts is not None:
            wanted = pd.DataFrame(accounts, columns=["platform", "account_id"], dtype=object)
            m = m.semi_join(ibis.memtable(wanted, schema={"platform": "string", "account_id": "string"}),
                            ["platform", "account_id"])
        total = int(m.count().execute())
        key = sort.lstrip("-+")
        columns = {"followers": m.followers, "engagement_rate": m.rate_median, "handle": m.handle,
                   "vs_tier": m.vs_tier, "weekly_growth": m.weekly_rate, "posts_per_week": m.posts_per_week,
                   "audience_quality": m.audience_quality}
        if key not in columns:
            raise MicroscoutError(f"cannot sort by '{key[:40]}': expected one of {', '.join(columns)} (prefix - for descending)")
        order = ibis.desc(columns[key]) if sort.startswith("-") else columns[key]
        m = m.order_by([order, m.platform, m.account_id])
        if limit is not None:
            m = m.limit(limit, offset=offset)
        page = m.execute()
        spikes = self._spikes_of(page[page[[f"flag_{k}" for k in FLAG_KEYS]].any(axis=1)])
        scheme = analysis.tier_scheme(self.settings, tier_scheme).name
        rows = []
        for r in page.to_dict("records"):
            rows.append({
                "platform": r["platform"], "account_id": r["account_id"], "handle": r["handle"],
                "followers": as_int(r["followers"]), "as_of": iso_utc(r.get("as_of")), "tier": r["tier"],
                "tier_scheme": scheme, "engagement_rate": as_float(r["rate_median"]),
                "vs_tier": as_float(r["vs_tier"]), "weekly_growth": as_float(r["weekly_rate"]),
                "posts_per_week": as_float(r["posts_per_week"]), "sponsored_share": as_float(r["sponsored_share"]),
                "reply_rate": as_float(r["reply_rate"]), "audience_quality": as_int(r.get("audience_quality")),
                "flags": [k for k in FLAG_KEYS if r.get(f"flag_{k}")],
                "flag_reasons": flag_reasons(r, spikes.get((r["platform"], r["account_id"]), [])),
            })
        return rows, total

    def _spikes_of(self, creators: pd.DataFrame) -> dict[tuple[str, str], list[dict[str, Any]]]:
        """The follower spikes of these creators (their flag reasons name the largest)."""
        if creators.empty:
            return {}
        s = self.table("creator_spikes")
        wanted = ibis.memtable(creators[["platform", "account_id"]].reset_index(drop=True))
        out: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for r in s.semi_join(wanted, ["platform", "account_id"]).execute().to_dict("records"):
            out.setdefault((r["platform"], r["account_id"]), []).append(r)
        return out

    def account(self, ref: str | AccountRef | tuple[str, str]) -> dict[str, Any]:
        """The account's own row (handle, display name, bio, links, place, ...), timestamps as ISO text."""
        platform, account_id = self.resolve(ref)
        t = self.table("accounts")
        row = t.filter((t.platform == platform) & (t.account_id == account_id)).execute().iloc[0].to_dict()
        return {k: (iso_utc(v) if isinstance(v, pd.Timestamp) else None if v is pd.NaT or
                    (isinstance(v, float) and v != v) else v) for k, v in row.items()}

    def snapshots(self, ref: str | AccountRef) -> list[dict[str, Any]]:
        """The account's follower counts over time, oldest first."""
        platform, account_id = self.resolve(ref)
        t = self.table("snapshots")
        df = t.filter((t.platform == platform) & (t.account_id == account_id)).order_by("at").execute()
        return [{"at": iso_utc(r.at), "followers": int(r.followers)} for r in df.itertuples()]

    def recent_posts(self, ref: str | AccountRef, limit: int = 12) -> list[dict[str, Any]]:
        """The account's latest posts: when, caption, likes, comments, and whether marked paid."""
        platform, account_id = self.resolve(ref)
        t = self.table("posts")
        df = (t.filter((t.platform == platform) & (t.account_id == account_id))
              .order_by(ibis.desc("created_at")).limit(limit).execute())
        return [{"post_id": r.post_id, "created_at": iso_utc(r.created_at), "caption": r.caption,
                 "likes": as_int(r.likes), "comments": as_int(r.comments),
                 "sponsored": bool(r.is_paid_partnership) if pd.notna(r.is_paid_partnership) else False}
                for r in df.itertuples()]

