"""The same bundle imports on DuckDB and on PySpark with identical contents."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import ACCOUNTS_CSV, POSTS_CSV

from microscout import InvalidBundleError, open_workspace

SAMPLE = Path(__file__).parent.parent.parent / "examples" / "sample-bundle"

pytestmark = pytest.mark.spark


def _strip(info: dict) -> dict:
    info = dict(info)
    info.pop("backend")
    info["imports"] = [{k: v for k, v in i.items() if k != "imported_at"} for i in info["imports"]]
    return info


def test_sample_bundle_on_duckdb_and_pyspark(tmp_path, make_bundle):
    with open_workspace(db=tmp_path / "ws.duckdb") as duck:
        duck.import_bundle(SAMPLE)
        expected = duck.info()
        duck_handles = sorted(duck.table("accounts").handle.execute())
    spark = open_workspace(db=tmp_path / "ws.duckdb", backend="pyspark", warehouse=tmp_path / "wh")
    try:
        spark.import_bundle(SAMPLE)
        got = spark.info()
        assert got["backend"] == "pyspark"
        assert _strip(got) == _strip(expected)
        assert sorted(spark.table("accounts").handle.execute()) == duck_handles
        assert spark.resolve("@lena.bakes") == ("instagram", "1")

        # a rejected bundle leaves the warehouse on its version; a forget writes a new one
        version = spark.store.current_version()
        with pytest.raises(InvalidBundleError):
            spark.import_bundle(make_bundle({"accounts.csv": ACCOUNTS_CSV,
                                             "posts.csv": POSTS_CSV + "instagram,p9,404,2026-01-01,1,1\n"}))
        assert spark.store.current_version() == version
        spark.forget("instagram:4")
        assert spark.store.current_version() != version
        assert spark.info()["tables"]["accounts"]["rows"] == 5
    finally:
        spark.close()
