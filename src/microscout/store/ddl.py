"""Table definitions of the workspace, derived from the bundle schema."""

from __future__ import annotations

from microscout.ingest.sql_types import quote_ident
from microscout.schema import Column, Table

_SQL_TYPES = {
    "id": "VARCHAR", "str": "VARCHAR", "int": "BIGINT", "bool": "BOOLEAN", "ts": "TIMESTAMP",
    "list": "VARCHAR[]", "share": "DOUBLE", "platform": "VARCHAR", "country": "VARCHAR",
    "language": "VARCHAR", "enum": "VARCHAR",
}

# Columns every stored row carries besides the bundle's: where and when it came from.
PROVENANCE = (("extra", "VARCHAR"), ("_collected_at", "TIMESTAMP"), ("_import_id", "INTEGER"))


def sql_type(column: Column) -> str:
    return _SQL_TYPES[column.type]


def data_table_ddl(table: Table, name: str | None = None, temp: bool = False, staged: bool = False) -> str:
    cols = [f"{quote_ident(c.name)} {sql_type(c)}" for c in table.columns]
    if staged:
        cols += ["_collected_at TIMESTAMP", "extra VARCHAR", "__file VARCHAR", "__rec BIGINT",
                 "__bad BOOLEAN"]
    else:
        cols += [f"{n} {t}" for n, t in PROVENANCE]
    kind = "TEMP TABLE" if temp else "TABLE"
    return f"CREATE {kind} {quote_ident(name or table.name)} ({', '.join(cols)})"


IMPORTS_DDL = """CREATE TABLE imports (
    import_id INTEGER, source VARCHAR, origin VARCHAR, collected_at TIMESTAMP,
    imported_at TIMESTAMP, rows_read VARCHAR, inserted VARCHAR, replaced VARCHAR,
    ignored VARCHAR, warnings VARCHAR[])"""

FORGOTTEN_DDL = """CREATE TABLE forgotten (
    platform VARCHAR, account_id VARCHAR, forgotten_at TIMESTAMP)"""
