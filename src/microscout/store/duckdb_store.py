"""The embedded workspace: one DuckDB file, reached through Ibis."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import duckdb
import ibis
import ibis.expr.types as ir

from microscout.config import Settings
from microscout.exceptions import WorkspaceError, WorkspaceLockedError
from microscout.store.base import configure_duckdb, present_tables
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

    def table(self, name: str) -> ir.Table:
        return self.ibis.table(name)

    def save_table(self, name: str, expr: ir.Table) -> None:
        """Replace a derived table (metrics) with the result of `expr`, in one statement."""
        self.ibis.create_table(name, expr, overwrite=True)

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


def _locked_or_broken(path: object, error: Exception) -> Exception:
    text = str(error)
    if "lock" in text.lower():
        pid = re.search(r"PID (\d+)", text)
        holder = f" (process {pid.group(1)})" if pid else ""
        return WorkspaceLockedError(
            f"{path}: the workspace is in use by another process{holder}, such as a running "
            "`microscout serve`: stop it, or use a copy of the file")
    return WorkspaceError(f"{path}: cannot open the workspace: {text.splitlines()[0]}")
