"""Saved shortlists: named lists of creators a user keeps across sessions, in the workspace
table `shortlists` (name, platform, account_id, added_at)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import ibis
import pandas as pd

from microscout.exceptions import MicroscoutError, NotFoundError
from microscout.services.creators import CreatorService
from microscout.services.state import WorkspaceState

SCHEMA = ibis.schema({"name": "string", "platform": "string", "account_id": "string", "added_at": "timestamp"})
MAX_NAME = 80


class ShortlistService:
    def __init__(self, state: WorkspaceState, creators: CreatorService) -> None:
        self.state = state
        self.creators = creators

    def _frame(self) -> pd.DataFrame:
        if not self.state.store.has_table("shortlists"):
            return pd.DataFrame({c: pd.Series(dtype="object") for c in SCHEMA.names})
        return self.state.table("shortlists").execute()


    def shortlists(self) -> dict[str, list[dict[str, Any]]]:
        """Every shortlist: name → its creators (platform, account_id, handle, added_at), oldest first."""
        df = self._frame()
        if df.empty:
            return {}
        acc = self.state.table("accounts").select("platform", "account_id", "handle").execute()
        df = df.merge(acc, on=["platform", "account_id"], how="left").sort_values(["name", "added_at"])
        return {name: [{"platform": r.platform, "account_id": r.account_id, "handle": r.handle,
                        "added_at": pd.Timestamp(r.added_at).isoformat()} for r in g.itertuples()]
                for name, g in df.groupby("name", sort=True)}


    def shortlist(self, name: str) -> list[dict[str, Any]]:
        """One shortlist's creators with the figures a marketer compares them by (tier, followers,
        engagement, audience quality, flags) and their public contact, in the order they were added."""
        members = self.shortlists().get(name)
        if members is None:
            known = ", ".join(self.shortlists()) or "none yet"
            raise NotFoundError(f"no shortlist named '{name[:MAX_NAME]}' (shortlists: {known})")
        keys = [(m["platform"], m["account_id"]) for m in members]
        figures, _ = self.creators.creators(accounts=keys, limit=None)
        by_key = {(f["platform"], f["account_id"]): f for f in figures}
        acc = self.state.table("accounts")
        contacts = (acc.filter(acc.platform.isin(sorted({k[0] for k in keys})) & acc.account_id.isin([k[1] for k in keys]))
                    .select("platform", "account_id", "contact", "external_url").execute())
        contact = {(r.platform, r.account_id): (r.contact, r.external_url) for r in contacts.itertuples()}
        rows = []
        for m in members:
            key = (m["platform"], m["account_id"])
            f = by_key.get(key, {})
            public, website = contact.get(key, (None, None))
            rows.append({"platform": m["platform"], "account_id": m["account_id"], "handle": m["handle"],
                         "tier": f.get("tier"), "followers": f.get("followers"),
                         "engagement_rate": f.get("engagement_rate"), "audience_quality": f.get("audience_quality"),
                         "flags": f.get("flags", []), "contact": public if isinstance(public, str) else None,
                         "website": website if isinstance(website, str) else None, "added_at": m["added_at"]})
        return rows


    def add(self, name: str, ref: str) -> None:
        name = name.strip()
        if not name or len(name) > MAX_NAME:
            raise MicroscoutError(f"shortlist name '{name}': expected 1 to {MAX_NAME} characters")
        platform, account_id = self.state.resolve(ref)
        df = self._frame()
        if ((df.name == name) & (df.platform == platform) & (df.account_id == account_id)).any():
            return
        row = pd.DataFrame([{"name": name, "platform": platform, "account_id": account_id,
                             "added_at": datetime.now(UTC).replace(tzinfo=None, microsecond=0)}])
        self._save(row if df.empty else pd.concat([df, row], ignore_index=True))


    def remove(self, name: str, ref: str) -> None:
        platform, account_id = self.state.resolve(ref)
        df = self._frame()
        self._save(df[~((df.name == name) & (df.platform == platform) & (df.account_id == account_id))])


    def _save(self, df: pd.DataFrame) -> None:
        df = df.astype({"name": str, "platform": str, "account_id": str})
        df["added_at"] = pd.to_datetime(df["added_at"])
        self.state.store.save_table("shortlists", ibis.memtable(df.reset_index(drop=True), schema=SCHEMA))
