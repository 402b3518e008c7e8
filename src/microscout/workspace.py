"""The public Python API: a workspace to import into, ask about, and erase from."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import ibis.expr.types as ir

from microscout.config import Settings, load_settings
from microscout.exceptions import AccountNotFoundError
from microscout.ingest.bundle import locate_bundle
from microscout.refs import AccountRef, parse_account_ref
from microscout.schema import IMPORT_ORDER
from microscout.store import Store, open_store
from microscout.store.erasure import forget_account, purge_audience
from microscout.store.importer import ImportResult, ProgressCallback, import_into
from microscout.summary import accounts_per_platform, rows_per_table


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


class Workspace:
    """A microscout workspace: `Workspace.open(db="my.duckdb")` or `open_workspace()`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store: Store = open_store(settings)

    @classmethod
    def open(cls, db: str | Path | None = None, config_file: str | Path | None = None,
             **settings: Any) -> Workspace:
        return cls(load_settings(config_file, db=db, **settings))

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    @property
    def backend(self) -> str:
        return self.store.backend_name

    def table(self, name: str) -> ir.Table:
        return self.store.table(name)

    def import_bundle(self, path: str | Path, progress: ProgressCallback | None = None) -> ImportResult:
        """Import a bundle (folder or .zip): all of it, or nothing with every problem named."""
        imported_at = _utcnow()
        with locate_bundle(path) as bundle:
            result = self.store.write(
                lambda con: import_into(con, bundle, imported_at, self.settings.max_errors, progress))
        if self.settings.retention_days:
            self.purge()
        return result

    def info(self) -> dict[str, Any]:
        """The info contract: rows per table, accounts per platform, every import."""
        tables = {name: self.table(name) for name in IMPORT_ORDER}
        rows = {name: int(expr.execute()) for name, expr in rows_per_table(tables).items()}
        platforms = accounts_per_platform(tables["accounts"]).execute()
        imports = self.table("imports").order_by("import_id").execute()
        return {
            "tables": {name: {"rows": rows[name]} for name in IMPORT_ORDER},
            "platforms": {r.platform: {"accounts": int(r.accounts)} for r in platforms.itertuples()},
            "imports": [
                {"import_id": int(r.import_id), "source": r.source, "origin": r.origin,
                 "collected_at": _iso(r.collected_at), "imported_at": _iso(r.imported_at),
                 "rows": sum(json.loads(r.rows_read).values()), "rows_per_table": json.loads(r.rows_read)}
                for r in imports.itertuples()
            ],
            "backend": self.backend,
        }

    def resolve(self, ref: str | AccountRef) -> tuple[str, str]:
        """(platform, account_id) of an account reference; a clear error when none or several match."""
        if isinstance(ref, str):
            ref = parse_account_ref(ref)
        accounts = self.table("accounts")
        if ref.account_id is not None:
            assert ref.platform is not None
            found = accounts.filter((accounts.platform == ref.platform) & (accounts.account_id == ref.account_id))
        else:
            handle = (ref.handle or "").lower()
            cond = accounts.handle.lower() == handle
            if ref.platform:
                cond = cond & (accounts.platform == ref.platform)
            found = accounts.filter(cond)
        rows = found.select("platform", "account_id", "handle").limit(11).execute()
        if len(rows) == 0:
            raise AccountNotFoundError(f"no account {ref} in the workspace")
        if len(rows) > 1:
            names = ", ".join(f"{r.platform}:{r.account_id} (@{r.handle})" for r in rows.itertuples())
            raise AccountNotFoundError(f"{ref} names more than one account: {names}; "
                                       "say which with platform:account_id")
        r = rows.iloc[0]
        return str(r.platform), str(r.account_id)

    def forget(self, ref: str | AccountRef) -> dict[str, int]:
        """Erase an account and everything it wrote; later imports skip it."""
        platform, account_id = self.resolve(ref)
        now = _utcnow()
        return self.store.write(lambda con: forget_account(con, platform, account_id, now))

    def purge(self, older_than_days: int | None = None) -> dict[str, int]:
        """Apply the retention setting (or `older_than_days`) to audience-only accounts."""
        days = older_than_days or self.settings.retention_days
        if not days:
            return {"accounts": 0, "snapshots": 0}
        now = _utcnow()
        return self.store.write(lambda con: purge_audience(con, days, now))


def _iso(value: Any) -> str | None:
    if value is None or (isinstance(value, float)) or str(value) in ("NaT", "None"):
        return None
    return value.isoformat() + "Z" if hasattr(value, "isoformat") else str(value)


def open_workspace(db: str | Path | None = None, config_file: str | Path | None = None,
                   **settings: Any) -> Workspace:
    """Open (creating if needed) the workspace named by `db`, the settings file or the environment."""
    return Workspace.open(db, config_file, **settings)
