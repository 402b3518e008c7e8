"""The scale-out workspace: a folder of Parquet tables that PySpark reads through Ibis.

Layout: `<warehouse>/versions/<n>/<table>.parquet` plus `<warehouse>/CURRENT`, a one-line
file naming the version readers use. A write (import, forget, purge) loads the current
version into a private in-memory DuckDB, applies the same change the embedded workspace
applies, writes a complete new version beside the old one, and only then replaces CURRENT
with an atomic rename. A crash before that rename leaves the old version in force; a crash
after it leaves the new one. The rename is atomic on a local or POSIX file system; object
stores (S3, GCS) do not rename atomically, so there a crash during the swap can leave
CURRENT missing (readers then fall back to the newest complete version).

Derived and app tables live beside the versions in a folder named by `<warehouse>/DERIVED`
(`derived` when there is none). An analyze, and a forget or purge that rewrites them, write a
new folder (the unchanged tables hard-linked into it) and then replace DERIVED with an atomic
rename: a run killed half-way leaves every table of the run before, never some of each.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import ibis
import ibis.expr.types as ir

from microscout.config import Settings
from microscout.exceptions import WorkspaceError
from microscout.ingest.sql_types import quote_literal
from microscout.store.base import configure_duckdb, machine_memory_limit
from microscout.store.catalog import BY_NAME, VERSIONED_TABLES
from microscout.store.inventory import inventory
from microscout.store.migrations import migrate

T = TypeVar("T")

WORKSPACE_TABLES = VERSIONED_TABLES
_KEEP_VERSIONS = 2


class SparkStore:
    backend_name = "pyspark"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.warehouse = settings.warehouse_path
        self.warehouse.mkdir(parents=True, exist_ok=True)
        self._session: Any = None
        self._ibis: Any = None
        self._registered: dict[str, str] = {}
        self._staging: Path | None = None  # the derived folder a run writes before its swap
        if self.current_version() is None:
            self.write(lambda con: None)

    # -- versions ---------------------------------------------------------------------------
    def _versions_dir(self) -> Path:
        return self.warehouse / "versions"

    def current_version(self) -> Path | None:
        pointer = self.warehouse / "CURRENT"
        if pointer.exists():
            version = self._versions_dir() / pointer.read_text().strip()
            if version.is_dir():
                return version
        complete = sorted((p for p in self._versions_dir().glob("*") if (p / "_COMPLETE").exists()),
                          key=lambda p: int(p.name))
        return complete[-1] if complete else None

    def write(self, change: Callable[[duckdb.DuckDBPyConnection], T], with_saved: bool = False) -> T:
        """Apply `change` to a copy of the current version and publish it; `with_saved` also gives it
        the saved tables (derived and app tables, beside the versions) and writes back those."""
        con = duckdb.connect()
        tmp = tempfile.mkdtemp(prefix="microscout-spark-")
        try:
            configure_duckdb(con, self.settings.memory_limit, self.settings.threads, tmp)
            current = self.current_version()
            if current is None:
                migrate(con)
            else:
                for name in WORKSPACE_TABLES:
                    path = quote_literal(str(current / f"{name}.parquet"))
                    con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet({path})")
            saved = self._saved_tables() if with_saved else []
            for name in saved:
                path = quote_literal(str(self._derived(name)))
                con.execute(f"CREATE OR REPLACE TABLE {name} AS SELECT * FROM read_parquet({path})")
            migrate(con)
            result = change(con)
            # the derived tables first: killed before the versions are published, a forgotten
            # account is still in accounts, so `forget` can simply run again
            with self._derived_swap() if saved else _nothing():
                for name in saved:
                    target = self._derived(name)
                    tmp_file = target.with_name(f".{name}.{os.getpid()}.parquet")
                    con.execute(f"COPY {name} TO {quote_literal(str(tmp_file))} (FORMAT parquet, COMPRESSION zstd)")
                    os.replace(tmp_file, target)  # a new file: the linked one stays the old folder's
            self._publish(con, current)
            return result
        finally:
            con.close()
            shutil.rmtree(tmp, ignore_errors=True)

    def _publish(self, con: duckdb.DuckDBPyConnection, current: Path | None) -> None:
        versions = self._versions_dir()
        versions.mkdir(parents=True, exist_ok=True)
        number = int(current.name) + 1 if current is not None else 1
        while (versions / str(number)).exists():
            number += 1
        staging = self.warehouse / f".staging-{number}-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir()
        for name in WORKSPACE_TABLES:
            target = quote_literal(str(staging / f"{name}.parquet"))
            con.execute(f"COPY {name} TO {target} (FORMAT parquet, COMPRESSION zstd)")
        (staging / "_COMPLETE").write_text("")
        final = versions / str(number)
        staging.rename(final)
        pointer_tmp = self.warehouse / f".CURRENT.{os.getpid()}"
        pointer_tmp.write_text(f"{number}\n")
        os.replace(pointer_tmp, self.warehouse / "CURRENT")
        self._registered.clear()
        for old in sorted(versions.glob("*"), key=lambda p: int(p.name) if p.name.isdigit() else -1):
            if old.name.isdigit() and int(old.name) <= number - _KEEP_VERSIONS:
                shutil.rmtree(old, ignore_errors=True)

    # -- reading ----------------------------------------------------------------------------
    @property
    def session(self) -> Any:
        if self._session is None:
            os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
            os.environ.setdefault("PYSPARK_PYTHON", _python())
            try:
                from pyspark.sql import SparkSession
            except ImportError:
                raise WorkspaceError("the pyspark backend needs PySpark: pip install 'microscout[spark]'") from None
            if self.settings.spark_remote:
                self._session = _remote_session(SparkSession, self.settings.spark_remote)
            else:
                self._session = (
                    SparkSession.builder.master(self.settings.spark_master)
                    .appName("microscout")
                    .config("spark.ui.enabled", "false")
                    .config("spark.ui.showConsoleProgress", "false")
                    .config("spark.sql.shuffle.partitions", "8")
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.sql.warehouse.dir", str(self.warehouse / "spark-sql"))
                    .config("spark.driver.memory", _driver_memory(self.settings.spark_driver_memory))
                    .config("spark.driver.extraJavaOptions", "-Dderby.system.home=" + str(self.warehouse))
                    .getOrCreate()
                )
                self._session.sparkContext.setLogLevel("ERROR")
            self._ibis = ibis.pyspark.connect(self._session)
        return self._session

    def _derived_dir(self) -> Path:
        if self._staging is not None:
            return self._staging
        pointer = self.warehouse / "DERIVED"
        return self.warehouse / (pointer.read_text().strip() if pointer.exists() else "derived")

    def _saved_tables(self) -> list[str]:
        folder = self._derived_dir()
        names = [p.name.removesuffix(".parquet") for p in folder.glob("*.parquet")] if folder.is_dir() else []
        return sorted(n for n in names if n in BY_NAME)

    def _derived(self, name: str) -> Path:
        return self._derived_dir() / f"{name}.parquet"

    @contextmanager
    def _derived_swap(self) -> Iterator[None]:
        """Derived tables written inside go to a new folder, which replaces the old one at the end
        in one atomic rename of the DERIVED pointer; on any error the new folder is dropped."""
        if self._staging is not None:  # already inside a swap
            yield
            return
        old = self._derived_dir()
        new = self.warehouse / f"derived-{uuid.uuid4().hex[:12]}"
        new.mkdir()
        for f in old.glob("*.parquet") if old.is_dir() else []:
            try:
                os.link(f, new / f.name)  # unchanged tables: no copy
            except OSError:
                shutil.copy2(f, new / f.name)
        self._staging = new
        try:
            yield
        except BaseException:
            self._staging = None
            shutil.rmtree(new, ignore_errors=True)
            self._registered.clear()
            raise
        self._staging = None
        pointer_tmp = self.warehouse / f".DERIVED.{os.getpid()}"
        pointer_tmp.write_text(f"{new.name}\n")
        os.replace(pointer_tmp, self.warehouse / "DERIVED")
        self._registered.clear()
        if old != new and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)

    def save_table(self, name: str, expr: ir.Table) -> None:
        """Replace a derived table (metrics): computed on Spark, written beside the versions."""
        import pyarrow.parquet as pq

        target = self._derived(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{name}.{os.getpid()}.parquet")
        pq.write_table(expr.to_pyarrow(), tmp)
        # a new file, never the linked one in place: the folder in force keeps its own
        os.replace(tmp, target)
        self._registered.pop(name, None)

    def inventory(self) -> dict[str, Any]:
        """Read by DuckDB from the version in force: counting needs no Spark job."""
        current = self.current_version()
        if current is None:
            raise WorkspaceError(f"{self.warehouse}: the warehouse has no complete version")
        with duckdb.connect() as con:
            return inventory(con, lambda name: f"read_parquet({quote_literal(str(current / f'{name}.parquet'))})",
                             self.backend_name)

    def has_table(self, name: str) -> bool:
        return name in WORKSPACE_TABLES or self._derived(name).exists()

    def table(self, name: str) -> ir.Table:
        session = self.session
        current = self.current_version()
        if current is None:
            raise WorkspaceError(f"{self.warehouse}: the warehouse has no complete version")
        path = str(self._derived(name) if name not in WORKSPACE_TABLES else current / f"{name}.parquet")
        view = f"ms_{name}"
        if self._registered.get(name) != path:
            session.read.parquet(path).createOrReplaceTempView(view)
            self._registered[name] = path
        return self._ibis.table(view)

    @contextmanager
    def publishing(self) -> Iterator[None]:
        with self._derived_swap():
            yield

    def close(self) -> None:
        # The Spark session is shared by the process (getOrCreate): leave it for reuse.
        self._registered.clear()


def _remote_session(spark_session: Any, url: str) -> Any:
    """A Spark Connect session: the cluster's own settings stand, but for the two the figures
    depend on (times in UTC) and the shuffle's width."""
    import warnings

    # Ibis builds small tables with an argument Spark Connect ignores, and says so each time
    warnings.filterwarnings("ignore", message=".*'verifySchema' is ignored.*")
    try:
        session = spark_session.builder.remote(url).getOrCreate()
    except Exception as e:  # grpc's and Spark's errors alike: the URL is the user's to fix
        raise WorkspaceError(f"cannot reach Spark Connect at {url} (the spark_remote setting): {e}") from None
    session.conf.set("spark.sql.session.timeZone", "UTC")
    session.conf.set("spark.sql.shuffle.partitions", "8")
    return session


@contextmanager
def _nothing() -> Iterator[None]:
    yield


def _python() -> str:
    import sys

    return sys.executable


def _driver_memory(setting: str) -> str:
    """Spark's own default (1g) fails on a medium world: `auto` takes what the DuckDB default
    takes, a third of the memory this process may use."""
    if setting != "auto":
        return setting
    limit = machine_memory_limit()  # "7800MB", or "2GB" where the machine's memory is unknown
    return limit.removesuffix("B").lower()
