"""The same analytics code on DuckDB and PySpark: the same figures for every creator, the same
rankings from scout and each discovery mode, and the same plan."""

from __future__ import annotations

import math
from dataclasses import replace

import duckdb
import pandas as pd
import pytest

from microscout import open_workspace
from microscout.demo import SIZES, write_world

pytestmark = [pytest.mark.spark, pytest.mark.heavy]

BRIEF = {"name": "Vegan baking in Germany", "topic": "vegan baking, cakes", "keywords": ["vegan", "kuchen"],
         "hashtags": ["veganbacken"], "locations": ["DE"], "languages": ["de"], "persona": {"countries": ["DE"]}}


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """One world, imported and analysed on each backend (topic model on), with its truth."""
    tmp = tmp_path_factory.mktemp("parity")
    world = write_world(tmp / "w", params=replace(SIZES["small"], accounts=1_200, creator_share=0.15), seed=5)
    truth = duckdb.sql(f"SELECT * FROM read_parquet('{world.truth}/accounts-*.parquet')").df()
    spaces = {}
    for backend in ("duckdb", "pyspark"):
        ws = open_workspace(db=tmp / f"{backend}.duckdb", backend=backend, warehouse=tmp / "wh")
        ws.import_bundle(world.bundle)
        ws.analyze()
        spaces[backend] = ws
    yield spaces, truth, tmp
    for ws in spaces.values():
        ws.close()


def _frames_agree(duck: pd.DataFrame, spark: pd.DataFrame) -> None:
    assert list(duck.columns) == list(spark.columns)
    assert len(duck) == len(spark)
    for column in duck.columns:
        a, b = duck[column], spark[column]
        if pd.api.types.is_float_dtype(a) or pd.api.types.is_float_dtype(b):
            assert a.astype(float).to_numpy() == pytest.approx(b.astype(float).to_numpy(), rel=1e-9, nan_ok=True), column
        else:
            assert a.astype(str).tolist() == b.astype(str).tolist(), column


def _records_agree(a, b, where="") -> None:
    """Equal JSON-like values; floats to 1e-9 relative (sums in another order)."""
    if isinstance(a, dict):
        assert isinstance(b, dict) and a.keys() == b.keys(), where
        for k in a:
            _records_agree(a[k], b[k], f"{where}.{k}")
    elif isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _records_agree(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and isinstance(b, float) and not (math.isnan(a) or math.isnan(b)):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12), where
    else:
        assert a == b or (a != a and b != b), where


def test_creator_metrics_are_identical_on_duckdb_and_pyspark(both):
    spaces, _, _ = both
    frames = {name: ws.table("creator_metrics").execute().sort_values(["platform", "account_id"])
              .reset_index(drop=True) for name, ws in spaces.items()}
    duck = frames["duckdb"]
    assert len(duck) > 100
    # the cross-creator parts are exercised too: a pod and a comment farm or bought likes
    assert duck.flag_engagement_pod.sum() >= 3 and duck.flag_bought_engagement.sum() >= 1
    _frames_agree(duck, frames["pyspark"])


def test_scout_every_discovery_mode_and_the_plan_agree_on_duckdb_and_pyspark(both):
    spaces, truth, tmp = both
    duck = spaces["duckdb"]
    # the brand with the most staff: its people post about it, so mentions and employees find someone
    brand_ref = truth.employer.dropna().value_counts().index[0]
    platform, account_id = brand_ref.split(":", 1)
    brand = truth[(truth.platform == platform) & (truth.account_id == account_id)].iloc[0]
    staff = truth[truth.employer == brand_ref]
    staff_csv = tmp / "staff.csv"
    staff_csv.write_text("platform,handle\n" + "".join(f"{r.platform},{r.handle}\n" for r in staff.itertuples()))
    scouted = duck.scout(BRIEF, limit=20)
    assert len(scouted) >= 10 and scouted.relevance.notna().all()
    seed = f"{scouted.platform.iloc[0]}:{scouted.account_id.iloc[0]}"
    calls = {
        "scout": lambda ws: ws.scout_records(BRIEF, limit=20),
        "among_followers": lambda ws: ws.scout_records(BRIEF, limit=20, among_followers=[brand_ref]),
        "mentions": lambda ws: ws.mentions([brand.handle], limit=20),
        "similar": lambda ws: ws.similar(seed, limit=20),
        "employees": lambda ws: ws.employees(staff_csv, [brand.handle], limit=20),
        "hashtags": lambda ws: ws.niche_hashtags("vegan baking", "DE", (), 10),
        "plan": lambda ws: ws.plan(BRIEF, budget=3000, candidates=120, word_of_mouth=0.5),
        # the audience breakdown: the platform's own where given, else counted over followers
        "vet": lambda ws: {"results": [ws.vet(seed)["audience"]["breakdown"],
                                       ws.audience_breakdown(brand_ref)]},
    }
    for mode, call in calls.items():
        a, b = call(duck), call(spaces["pyspark"])
        found = a.get("results", a.get("hashtags", a.get("picks")))
        assert found, f"{mode} found nothing: the comparison would prove nothing"
        _records_agree(a, b, mode)
