"""Versioned schema migrations of the workspace: each runs once, in order, in a transaction.

A new column in the bundle schema comes with a new migration that adds it; never edit one
that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from microscout.exceptions import WorkspaceError
from microscout.ingest.sql_types import unique_in_order, with_caption_tags
from microscout.schema import TABLES
from microscout.store.ddl import FORGOTTEN_DDL, IMPORTS_DDL, data_table_ddl
from microscout.store.erasure import account_hash_sql


def _v1(con: duckdb.DuckDBPyConnection) -> None:
    for table in TABLES.values():
        con.execute(data_table_ddl(table))
    con.execute(IMPORTS_DDL)
    con.execute(FORGOTTEN_DDL)


def _v2(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE TABLE IF NOT EXISTS relationships (brand VARCHAR, platform VARCHAR, account_id VARCHAR, "
                "version BIGINT, updated_at TIMESTAMP, record VARCHAR)")
    con.execute("CREATE TABLE IF NOT EXISTS relationship_history (brand VARCHAR, platform VARCHAR, "
                "account_id VARCHAR, version BIGINT, changed_at TIMESTAMP, changes VARCHAR)")


def _v3(con: duckdb.DuckDBPyConnection) -> None:
    # a forgotten account is remembered by a hash of platform:account_id, not by its id
    con.execute("CREATE TABLE forgotten_hashed AS SELECT platform, "
                f"{account_hash_sql('platform', 'account_id')} AS account_hash, forgotten_at FROM forgotten")
    con.execute("DROP TABLE forgotten")
    con.execute("ALTER TABLE forgotten_hashed RENAME TO forgotten")


def _v4(con: duckdb.DuckDBPyConnection) -> None:
    # tags and mentions written in captions join the list columns, as an import now does
    con.execute(f"UPDATE posts SET hashtags = {with_caption_tags('hashtags', 'caption', '#')}, "
                f"mentions = {with_caption_tags('mentions', 'caption', '@')} WHERE caption IS NOT NULL")
    con.execute(f"UPDATE posts SET hashtags = {unique_in_order('hashtags')}, "
                f"mentions = {unique_in_order('mentions')} WHERE caption IS NOT NULL")


MIGRATIONS: list[tuple[int, str, Callable[[duckdb.DuckDBPyConnection], None]]] = [
    (1, "bundle tables, imports, forgotten accounts", _v1),
    (2, "relationships with creators and their history", _v2),
    (3, "forgotten accounts kept as a hash of platform:account_id", _v3),
    (4, "hashtags and mentions written in captions added to the posts' lists", _v4),
]
LATEST = MIGRATIONS[-1][0]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations' "
        "AND table_schema = current_schema() AND table_catalog = current_database()"
    ).fetchall()[0]
    if not exists or not exists[0]:
        return 0
    row = con.execute("SELECT max(version) FROM schema_migrations").fetchall()[0]
    return int(row[0] or 0) if row else 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the workspace to the latest schema; return the version it was at."""
    start = schema_version(con)
    if start > LATEST:
        raise WorkspaceError(
            f"the workspace has schema version {start}, newer than this microscout knows ({LATEST}): "
            "upgrade microscout")
    if start == LATEST:
        return start
    con.execute("BEGIN TRANSACTION")
    try:
        if start == 0:
            con.execute("CREATE TABLE schema_migrations (version INTEGER, description VARCHAR, "
                        "applied_at TIMESTAMP DEFAULT current_timestamp)")
        for version, description, step in MIGRATIONS:
            if version > start:
                step(con)
                con.execute("INSERT INTO schema_migrations (version, description) VALUES (?, ?)",
                            [version, description])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return start
