"""The relationship with each creator, per brand: a pipeline stage, notes, tags, lists, contact
details and the agreed terms, with the history of every change.

Every record carries a version. An edit names the version it was made against; if the record
has moved on since, the edit is refused with a ConflictError (HTTP 409, or exit 2), never
written over someone else's change. The workspace is held by one process at a time (the server
when it runs), which makes the check-then-write safe.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

import ibis
import pandas as pd

from microscout.exceptions import ConflictError, MicroscoutError
from microscout.words import iso_utc

if TYPE_CHECKING:
    from microscout.workspace_data import WorkspaceData

STAGES = ("prospect", "contacted", "negotiating", "agreed", "live", "completed", "declined")
TEXT_FIELDS = ("notes", "contact", "deliverables", "usage_rights", "discount_code", "tracking_link", "product")
LIST_FIELDS = ("tags", "lists")
FIELDS = ("stage", *TEXT_FIELDS, *LIST_FIELDS, "fee", "price_per_post", "currency", "affiliate_share", "deadline",
          "disclosure_required")
PRICED_STAGES = ("negotiating", "agreed", "live", "completed")  # a price the creator has named or accepted
SCHEMA = ibis.schema({"brand": "string", "platform": "string", "account_id": "string", "version": "int64",
                      "updated_at": "timestamp", "record": "string"})
HISTORY_SCHEMA = ibis.schema({"brand": "string", "platform": "string", "account_id": "string", "version": "int64",
                              "changed_at": "timestamp", "changes": "string"})


def brand_key(brand: str) -> str:
    key = brand.strip().lower().lstrip("@")
    if not key:
        raise MicroscoutError("brand: empty: expected the brand's handle or name, e.g. @kornblume")
    return key


def check_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """The changes, validated field by field: a clear error names the field, value and what was expected."""
    out: dict[str, Any] = {}
    for key, value in changes.items():
        if key not in FIELDS:
            raise MicroscoutError(f"relationship: unknown field '{key}': expected one of {', '.join(FIELDS)}")
        if value is None:
            out[key] = None
        elif key == "stage":
            if value not in STAGES:
                raise MicroscoutError(f"stage: '{value}' is not a pipeline stage: expected one of {', '.join(STAGES)}")
            out[key] = value
        elif key in TEXT_FIELDS:
            out[key] = str(value)
        elif key in LIST_FIELDS:
            if not isinstance(value, list | tuple) or not all(isinstance(x, str) and x.strip() for x in value):
                raise MicroscoutError(f"{key}: {value!r} is not a list of words")
            out[key] = [x.strip() for x in value]
        elif key in ("fee", "price_per_post", "affiliate_share"):
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or (
                    key == "affiliate_share" and value > 1):
                expected = "a share from 0 to 1 (0.1 = 10%)" if key == "affiliate_share" else "an amount ≥ 0"
                raise MicroscoutError(f"{key}: {value!r} is not {expected}")
            out[key] = float(value)
        elif key == "currency":
            if not (isinstance(value, str) and re.fullmatch(r"[A-Za-z]{3}", value)):
                raise MicroscoutError(f"currency: {value!r} is not a three-letter code such as EUR")
            out[key] = value.upper()
        elif key == "deadline":
            try:
                out[key] = date.fromisoformat(str(value)).isoformat()
            except ValueError:
                raise MicroscoutError(f"deadline: {value!r} is not a date: expected YYYY-MM-DD") from None
        elif key == "disclosure_required":
            if not isinstance(value, bool):
                raise MicroscoutError(f"disclosure_required: {value!r} is not true or false")
            out[key] = value
    return out


def _frames(ws: WorkspaceData) -> tuple[pd.DataFrame, pd.DataFrame]:
    def read(name: str, schema: ibis.Schema) -> pd.DataFrame:
        if ws.store.has_table(name):
            return ws.table(name).execute()
        return pd.DataFrame({c: pd.Series(dtype="object") for c in schema.names})
    return read("relationships", SCHEMA), read("relationship_history", HISTORY_SCHEMA)


def _as_record(row: Any, handle: str | None) -> dict[str, Any]:
    body = json.loads(row.record)
    return {"brand": row.brand, "platform": row.platform, "account_id": row.account_id, "handle": handle,
            "version": int(row.version), "updated_at": iso_utc(row.updated_at), **body}


def get(ws: WorkspaceData, ref: str, brand: str) -> dict[str, Any] | None:
    platform, account_id = ws.resolve(ref)
    rel, _ = _frames(ws)
    found = rel[(rel.brand == brand_key(brand)) & (rel.platform == platform) & (rel.account_id == account_id)]
    if found.empty:
        return None
    return _as_record(next(found.itertuples()), _handle(ws, platform, account_id))


def update(ws: WorkspaceData, ref: str, brand: str, changes: dict[str, Any], version: int | None = None) -> dict[str, Any]:
    """Apply `changes` to the relationship, made against `version` (None: whatever is current, for
    scripts that mean to overwrite; 0: the record must not exist yet). Returns the new record."""
    platform, account_id = ws.resolve(ref)
    key = brand_key(brand)
    changes = check_changes(changes)
    rel, hist = _frames(ws)
    mine = (rel.brand == key) & (rel.platform == platform) & (rel.account_id == account_id)
    current = rel[mine]
    now_version = int(current.version.iloc[0]) if len(current) else 0
    if version is not None and version != now_version:
        raise ConflictError(
            f"the relationship of @{_handle(ws, platform, account_id)} with {key} was changed by someone else "
            f"(it is at version {now_version}, your edit was made against version {version}): reload it and "
            "edit again")
    body = json.loads(current.record.iloc[0]) if len(current) else {"stage": "prospect"}
    before = dict(body)
    body.update(changes)
    diff = {k: [before.get(k), v] for k, v in body.items() if before.get(k) != v}
    if not diff and len(current):
        return _as_record(next(current.itertuples()), _handle(ws, platform, account_id))
    at = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    row = pd.DataFrame([{"brand": key, "platform": platform, "account_id": account_id, "version": now_version + 1,
                         "updated_at": at, "record": json.dumps(body, sort_keys=True)}])
    log = pd.DataFrame([{"brand": key, "platform": platform, "account_id": account_id, "version": now_version + 1,
                         "changed_at": at, "changes": json.dumps(diff, sort_keys=True)}])
    _save(ws, "relationships", pd.concat([rel[~mine], row], ignore_index=True) if len(rel) else row, SCHEMA)
    _save(ws, "relationship_history", pd.concat([hist, log], ignore_index=True) if len(hist) else log,
          HISTORY_SCHEMA)
    return _as_record(next(row.itertuples()), _handle(ws, platform, account_id))


def pipeline(ws: WorkspaceData, brand: str) -> list[dict[str, Any]]:
    """Every relationship of the brand, by stage (pipeline order), then most recently changed."""
    rel, _ = _frames(ws)
    rel = rel[rel.brand == brand_key(brand)]
    handles = _handles(ws, list(zip(rel.platform, rel.account_id, strict=True)))
    records = [_as_record(r, handles.get((r.platform, r.account_id))) for r in rel.itertuples()]
    return sorted(records, key=lambda r: (STAGES.index(r.get("stage", "prospect")), r["updated_at"]), reverse=False)


def history(ws: WorkspaceData, ref: str, brand: str) -> list[dict[str, Any]]:
    platform, account_id = ws.resolve(ref)
    _, hist = _frames(ws)
    mine = hist[(hist.brand == brand_key(brand)) & (hist.platform == platform) & (hist.account_id == account_id)]
    return [{"version": int(r.version), "changed_at": iso_utc(r.changed_at),
             "changes": json.loads(r.changes)} for r in mine.sort_values("version").itertuples()]


def _handle(ws: WorkspaceData, platform: str, account_id: str) -> str | None:
    return _handles(ws, [(platform, account_id)]).get((platform, account_id))


def _handles(ws: WorkspaceData, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The handles of many accounts in one query (a list of relationships is one lookup, not one each)."""
    if not keys:
        return {}
    acc = ws.table("accounts")
    found = acc.filter(acc.account_id.isin(sorted({k[1] for k in keys}))).select(
        "platform", "account_id", "handle").execute()
    return {(r.platform, r.account_id): str(r.handle) for r in found.itertuples()}


def _save(ws: WorkspaceData, name: str, df: pd.DataFrame, schema: ibis.Schema) -> None:
    df = df.reset_index(drop=True)
    for column, kind in schema.items():
        if kind.is_timestamp():
            df[column] = pd.to_datetime(df[column])
        elif kind.is_integer():
            df[column] = df[column].astype("int64")
        else:
            df[column] = df[column].astype(str)
    ws.store.save_table(name, ibis.memtable(df, schema=schema))


def negotiated_prices(ws: WorkspaceData, brands: list[str]) -> pd.DataFrame:
    """(platform, account_id, price_per_post, currency) agreed with any of `brands` (handles or
    names), from relationships at a stage where a price was named; the latest change wins."""
    rel, _ = _frames(ws)
    keys = {brand_key(b) for b in brands}
    rows = []
    for r in rel[rel.brand.isin(keys)].sort_values("updated_at").itertuples():
        body = json.loads(r.record)
        if body.get("price_per_post") is not None and body.get("stage") in PRICED_STAGES:
            rows.append((r.platform, r.account_id, float(body["price_per_post"]), body.get("currency") or "EUR"))
    out = pd.DataFrame(rows, columns=["platform", "account_id", "price_per_post", "currency"])
    return out.drop_duplicates(["platform", "account_id"], keep="last").reset_index(drop=True)


PARTNER_STAGES = ("agreed", "live", "completed")  # terms agreed: their campaign posts are paid ones


def terms_of(ws: WorkspaceData, brand: str) -> pd.DataFrame:
    """(platform, account_id, stage, fee, currency, discount_code, tracking_link) of every
    relationship of the brand."""
    rel, _ = _frames(ws)
    rows = []
    for r in rel[rel.brand == brand_key(brand)].itertuples():
        body = json.loads(r.record)
        rows.append((r.platform, r.account_id, body.get("stage"), body.get("fee"), body.get("currency"),
                     body.get("discount_code"), body.get("tracking_link")))
    return pd.DataFrame(rows, columns=["platform", "account_id", "stage", "fee", "currency", "discount_code",
                                       "tracking_link"])


def due_reminders(ws: WorkspaceData, today: date, quiet_days: int, due_days: int) -> list[dict[str, Any]]:
    from microscout.campaigns.reminders import reminders

    rel, hist = _frames(ws)
    rows = reminders(rel, hist, today, quiet_days, due_days)
    handles = _handles(ws, [(row["platform"], row["account_id"]) for row in rows])
    for row in rows:
        row["handle"] = handles.get((row["platform"], row["account_id"]))
    return rows


def brands(ws: WorkspaceData) -> list[str]:
    """Every brand with a relationship, for pickers."""
    rel, _ = _frames(ws)
    return sorted(rel.brand.unique().tolist()) if len(rel) else []
