"""What every store offers: Ibis tables to read, and one transactional way to write."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import duckdb

if TYPE_CHECKING:  # Ibis takes a tenth of a second to load: `info` reads without it
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

    def inventory(self) -> dict[str, Any]:
        """The info record (store/inventory.py): rows per bundle table, accounts per platform, imports."""
        ...

    def publishing(self) -> AbstractContextManager[None]:
        """Derived tables saved inside are published together: all of them or, on an error or a
        kill, none (readers keep seeing the previous run's)."""
        ...

    def close(self) -> None: ...


def machine_memory_limit() -> str:
    """`auto`: a third of the memory this process may use (the container's limit where one is
    set, else the machine's), at least 1 GB: a million accounts analyze in 6-8 GB, and the rest
    is left to Python, the topic model and the other programs."""
    total = None
    with contextlib.suppress(AttributeError, ValueError, OSError):  # not a POSIX system
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    for limit_file in ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"):
        try:
            text = Path(limit_file).read_text().strip()
        except OSError:
            continue
        if text.isdigit():
            total = min(total or int(text), int(text))
    if not total:
        return "2GB"
    return f"{max(1024, total // 3 // 2**20)}MB"


def configure_duckdb(con: duckdb.DuckDBPyConnection, memory_limit: str, threads: int | None,
                     temp_directory: str | None = None) -> None:
    configure_session(con)
    limit = machine_memory_limit() if memory_limit == "auto" else memory_limit
    con.execute(f"SET memory_limit = '{limit}'")
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
