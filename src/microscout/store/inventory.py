"""What a workspace holds (the info contract): rows per bundle table, accounts per platform,
every import. Plain SQL on a DuckDB connection, one implementation for both backends (the
PySpark warehouse's tables are Parquet files DuckDB reads), and no Ibis or pandas: `microscout
info` answers in a fraction of a second."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from microscout.store.catalog import BUNDLE_TABLES
from microscout.words import iso_utc


def inventory(con: duckdb.DuckDBPyConnection, source: Callable[[str], str], backend: str) -> dict[str, Any]:
    """The info record; `source(table)` is what a FROM clause names the table by."""
    rows = {name: int(con.execute(f"SELECT count(*) FROM {source(name)}").fetchall()[0][0]) for name in BUNDLE_TABLES}
    platforms = con.execute(f"SELECT platform, count(*) FROM {source('accounts')} GROUP BY platform "
                            "ORDER BY platform").fetchall()
    imports = con.execute(f"SELECT import_id, source, origin, collected_at, imported_at, rows_read "
                          f"FROM {source('imports')} ORDER BY import_id").fetchall()
    return {
        "tables": {name: {"rows": rows[name]} for name in BUNDLE_TABLES},
        "platforms": {platform: {"accounts": int(n)} for platform, n in platforms},
        "imports": [
            {"import_id": int(i), "source": src, "origin": origin, "collected_at": iso_utc(collected),
             "imported_at": iso_utc(imported), "rows": sum(json.loads(read).values()), "rows_per_table": json.loads(read)}
            for i, src, origin, collected, imported, read in imports
        ],
        "backend": backend,
    }


def read_only_inventory(db: Path) -> dict[str, Any] | None:
    """The info record of a DuckDB workspace file, opened read-only without the rest of the
    store; None where that cannot answer (the file is held by a writer, or needs a migration):
    the caller then opens the workspace the usual way, which says why or migrates."""
    from microscout.ingest.sql_types import quote_ident
    from microscout.store.migrations import LATEST, schema_version

    try:
        con = duckdb.connect(str(db), read_only=True)
    except duckdb.Error:
        return None
    try:
        if schema_version(con) != LATEST:
            return None
        return inventory(con, quote_ident, "duckdb")
    finally:
        con.close()
