"""The PySpark backend on a cluster through Spark Connect (the spark_remote setting): a real
Spark Connect server on loopback, started from the pyspark package's own jars, runs import,
analyze, vet and scout from the command line, with the figures and the ranking DuckDB gives."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest
from tests.test_cli import run

from microscout.demo import SIZES, write_world

pytestmark = [pytest.mark.spark, pytest.mark.heavy]

BRIEF = Path(__file__).parent.parent.parent / "examples" / "brief-vegan-berlin.toml"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def connect_url(tmp_path_factory):
    import pyspark

    home = os.path.dirname(pyspark.__file__)
    port = _free_port()
    log = tmp_path_factory.mktemp("connect") / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [f"{home}/bin/spark-submit", "--class", "org.apache.spark.sql.connect.service.SparkConnectServer",
             "--master", "local[2]", "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
             "--conf", f"spark.connect.grpc.binding.port={port}", "--conf", "spark.ui.enabled=false",
             "spark-internal"],
            env={**os.environ, "SPARK_HOME": home, "SPARK_LOCAL_IP": "127.0.0.1"}, stdout=out,
            stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        while "Spark Connect server started" not in log.read_text(errors="replace"):
            assert server.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
            time.sleep(0.5)
        yield f"sc://127.0.0.1:{port}", log
    finally:
        server.terminate()
        server.wait(timeout=60)


def test_a_cluster_through_spark_connect_gives_duckdbs_figures_and_ranking(tmp_path, connect_url):
    world = write_world(tmp_path / "w", params=replace(SIZES["small"], accounts=600, creator_share=0.2), seed=5)
    base = {"MICROSCOUT_TOPIC_MODEL": "none"}
    remote = {**base, "MICROSCOUT_BACKEND": "pyspark", "MICROSCOUT_SPARK_REMOTE": connect_url[0],
              "MICROSCOUT_WAREHOUSE": str(tmp_path / "wh")}
    out: dict[str, dict[str, object]] = {}
    for name, env in (("duckdb", base), ("connect", remote)):
        db = f"{name}.duckdb"
        for args in (("import", str(world.bundle)), ("analyze",)):
            r = run(*args, "--db", db, cwd=tmp_path, env=env, process=True)
            assert r.returncode == 0, r.stderr[-3000:]
        scout = run("scout", str(BRIEF), "--db", db, "--format", "json", "--limit", "10", cwd=tmp_path, env=env,
                    process=True)
        assert scout.returncode == 0, scout.stderr[-3000:]
        results = json.loads(scout.stdout)["results"]
        assert results, "a brief with no result would prove nothing"
        top = f"{results[0]['platform']}:{results[0]['account_id']}"
        vet = run("vet", top, "--db", db, "--format", "json", cwd=tmp_path, env=env, process=True)
        assert vet.returncode == 0, vet.stderr[-3000:]
        out[name] = {"ranking": [(r["platform"], r["account_id"], round(r["score"], 6)) for r in results],
                     "vet": json.loads(vet.stdout)}
    assert out["connect"]["ranking"] == out["duckdb"]["ranking"]
    duck, spark = out["duckdb"]["vet"], out["connect"]["vet"]
    for section, key in (("engagement", "rate_median"), ("growth", "weekly_rate"), ("community", "reply_rate"),
                         ("audience", "quality_score"), ("sponsorship", "sponsored_share")):
        assert duck[section][key] is not None, (section, key)
        assert spark[section][key] == pytest.approx(duck[section][key]), (section, key)
    assert (spark["tier"], spark["followers"]) == (duck["tier"], duck["followers"])
    # the work ran on the server: its log holds the jobs of the connect run
    log = connect_url[1]
    assert log.read_text(errors="replace").count("Got job") > 20
