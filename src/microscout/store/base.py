"""What every store offers: Ibis tables to read, and one transactional way to write."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Protocol, TypeVar

import duckdb
import ibis.expr.types as ir

T = TypeVar("T")


class Store(Protocol):
    backend_name: str

    def table(self, name: str) -> ir.Table:
        """A workspace table as an Ibis expression on this store's backend."""
        ...

    def write(self, change: Callable[[duckdb.DuckDBPyConnection], T], with_saved: bool = False) -> T:
        """Run `change` on a connection holding the workspace tables; `change` makes its writes
        in one `transaction`, so they land all or nothing. `with_saved`: the derived and app tables
        too, where a store keeps them apart (forget must reach every table)."""
        ...

    def save_table(self, name: str, expr: ir.Table) -> None:
        """Replace a derived table (such as creator_metrics) with the result of `expr`."""
        ...

    def has_table(self, name: str) -> bool: ...

    def publishing(self) -> AbstractContextManager[None]:
        """Derived tables saved inside are published together: all of them or, on an error or a
        kill, none (readers keep seeing the previous run's)."""
        ...

    def close(self) -> None: ...


def configure_duckdb(con: duckdb.DuckDBPyConnection, memory_limit: str, threads: int | None,
                     temp_directory: str | None = None) -> None:
    configure_session(con)
    con.execute(f"SET memory_limit = '{memory_limit}'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if temp_directory:
        con.execute(f"SET temp_directory = '{temp_directory}'")


def configure_session(con: duckdb.DuckDBPyConnection) -> None:
    """What each connection (or cursor) of a workspace needs set for itself."""
    con.execute("SET TimeZone = 'UTC'")
    con.execute("SET enable_progress_bar = false")
    # ibis 12 writes lambdas as 'x -> ...', which DuckDB 2.0 only reads with this setting
    con.execute("SET lambda_syntax = 'ENABLE_SINGLE_ARROW'")


def present_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The workspace tables a DuckDB connection holds (not temporary ones)."""
    # ibis 12's list_tables calls a method duckdb 2.0 removed: ask the catalog directly
    rows = con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT temporary "
                       "AND database_name = current_database()").fetchall()
    return {str(r[0]) for r in rows}


def transaction(con: duckdb.DuckDBPyConnection, change: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
    """Run `change` in one transaction: committed whole, or rolled back on any error."""
    con.execute("BEGIN TRANSACTION")
    try:
        result = change(con)
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    return result
