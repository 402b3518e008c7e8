"""Saved shortlists: named lists of creators a user keeps across sessions, in the workspace
table `shortlists` (name, platform, account_id, added_at)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import ibis
import pandas as pd

from microscout.exceptions import MicroscoutError

if TYPE_CHECKING:
    from microscout.workspace import Workspace

SCHEMA = ibis.schema({"name": "string", "platform": "string", "account_id": "string", "added_at": "timestamp"})
MAX_NAME = 80


def _frame(ws: Workspace) -> pd.DataFrame:
    if not ws.store.has_table("shortlists"):
        return pd.DataFrame({c: pd.Series(dtype="object") for c in SCHEMA.names})
    return ws.table("shortlists").execute()


def shortlists(ws: Workspace) -> dict[str, list[dict[str, Any]]]:
    """Every shortlist: name → its creators (platform, account_id, handle, added_at), oldest first."""
    df = _frame(ws)
    if df.empty:
        return {}
    acc = ws.table("accounts").select("platform", "account_id", "handle").execute()
    df = df.merge(acc, on=["platform", "account_id"], how="left").sort_values(["name", "added_at"])
    return {name: [{"platform": r.platform, "account_id": r.account_id, "handle": r.handle,
                    "added_at": pd.Timestamp(r.added_at).isoformat()} for r in g.itertuples()]
            for name, g in df.groupby("name", sort=True)}


def add(ws: Workspace, name: str, ref: str) -> None:
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise MicroscoutError(f"shortlist name '{name}': expected 1 to {MAX_NAME} characters")
    platform, account_id = ws.resolve(ref)
    df = _frame(ws)
    if ((df.name == name) & (df.platform == platform) & (df.account_id == account_id)).any():
        return
    row = pd.DataFrame([{"name": name, "platform": platform, "account_id": account_id,
                         "added_at": datetime.now(UTC).replace(tzinfo=None, microsecond=0)}])
    _save(ws, row if df.empty else pd.concat([df, row], ignore_index=True))


def remove(ws: Workspace, name: str, ref: str) -> None:
    platform, account_id = ws.resolve(ref)
    df = _frame(ws)
    _save(ws, df[~((df.name == name) & (df.platform == platform) & (df.account_id == account_id))])


def _save(ws: Workspace, df: pd.DataFrame) -> None:
    df = df.astype({"name": str, "platform": str, "account_id": str})
    df["added_at"] = pd.to_datetime(df["added_at"])
    ws.store.save_table("shortlists", ibis.memtable(df.reset_index(drop=True), schema=SCHEMA))
