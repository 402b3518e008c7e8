"""The only code that opens a database: the DuckDB workspace file, or a PySpark warehouse."""

from __future__ import annotations

from microscout.config import Settings
from microscout.store.base import Store


def open_store(settings: Settings, read_only: bool = False) -> Store:
    if settings.backend == "pyspark":
        from microscout.store.spark_store import SparkStore

        return SparkStore(settings)
    from microscout.store.duckdb_store import DuckDBStore

    return DuckDBStore(settings, read_only=read_only)


__all__ = ["Store", "open_store"]
