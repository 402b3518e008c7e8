"""The embedded workspace: one DuckDB file, reached through Ibis."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import duckdb
import ibis
import ibis.expr.operations as ops
import ibis.expr.schema as sch
import ibis.expr.types as ir
from ibis.backends.sql.datatypes import DuckDBType

from microscout.config import Settings
from microscout.exceptions import WorkspaceError, WorkspaceLockedError
from microscout.ingest.sql_types import quote_ident
from microscout.store.base import configure_duckdb, configure_session, present_tables
from microscout.store.inventory import inventory
from microscout.store.migrations import migrate

T = TypeVar("T")


class DuckDBStore:
    backend_name = "duckdb"

    def __init__(self, settings: Settings, read_only: bool = False) -> None:
        self.path = settings.db
        if read_only and not self.path.exists():
            raise WorkspaceError(f"{self.path}: no workspace here yet: import a bundle first "
                                 "(microscout import PATH) or pass --db")
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as e:
            raise _locked_or_broken(self.path, e) from None
        except duckdb.Error as e:
            raise WorkspaceError(f"{self.path}: cannot open the workspace: {e}") from None
        configure_duckdb(self.con, settings.memory_limit, settings.threads,
                         str(self.path.with_suffix(".tmp")))
        if not read_only:
            migrate(self.con)
        self.ibis = ibis.duckdb.from_connection(self.con)

    def reader(self) -> DuckDBStore:
        """Another handle on the same database for a thread of its own: a cursor, with its own
        transactions, so reads in threads run at once and each sees whole writes only."""
        twin = object.__new__(DuckDBStore)
        twin.path = self.path
        twin.con = self.con.cursor()
        configure_session(twin.con)
        twin.ibis = ibis.duckdb.from_connection(twin.con)
        return twin

    def inventory(self) -> dict[str, Any]:
        return inventory(self.con, quote_ident, self.backend_name)

    def table(self, name: str) -> ir.Table:
        # Ibis asks DESCRIBE and parses every type name with sqlglot on each call: a third of a
        # small read. The types are read here (one cheap query) and parsed once per distinct table shape.
        try:
            rows = self.con.execute(f"DESCRIBE {quote_ident(name)}").fetchall()
        except duckdb.CatalogException:
            return self.ibis.table(name)  # Ibis's own "table not found"
        return ops.DatabaseTable(name, schema=_schema(tuple((r[0], r[1], r[2]) for r in rows)), source=self.ibis,
                                 namespace=ops.Namespace(catalog=None, database=None)).to_expr()

    def save_table(self, name: str, expr: ir.Table) -> None:
        """Replace a derived table (metrics) with the result of `expr`, in one statement."""
        # A derived table's row order means nothing (every read orders, groups or joins, as on
        # Spark); not keeping it lets DuckDB build a large result in less memory.
        self.con.execute("SET preserve_insertion_order = false")
        try:
            self.ibis.create_table(name, expr, overwrite=True)
        finally:
            self.con.execute("SET preserve_insertion_order = true")

    def has_table(self, name: str) -> bool:
        return name in present_tables(self.con)

    def write(self, change: Callable[[duckdb.DuckDBPyConnection], T], with_saved: bool = False) -> T:
        # every table lives in the one file: `with_saved` changes nothing here
        return change(self.con)

    @contextmanager
    def publishing(self) -> Iterator[None]:
        # DDL is transactional in DuckDB: a killed process leaves an uncommitted transaction,
        # which DuckDB discards when it next opens the file
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def close(self) -> None:
        self.con.close()


@functools.lru_cache(maxsize=512)
def _schema(columns: tuple[tuple[str, str, str], ...]) -> sch.Schema:
    mapper = DuckDBType
    return sch.Schema({name: mapper.from_string(typ, nullable=null == "YES") for name, typ, null in columns})


def _locked_or_broken(path: object, error: Exception) -> Exception:
    text = str(error)
    if "lock" in text.lower():
        pid = re.search(r"PID (\d+)", text)
        holder = f" (process {pid.group(1)})" if pid else ""
        return WorkspaceLockedError(
            f"{path}: the workspace is in use by another process{holder}, such as a running "
            "`microscout serve`: stop it, or use a copy of the file")
    return WorkspaceError(f"{path}: cannot open the workspace: {text.splitlines()[0]}")
