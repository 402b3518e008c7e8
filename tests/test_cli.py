"""The command line as a user runs it: real files, exit codes and output; each command runs in this
process through Click's test runner, and one test starts a real process as a user does."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import traceback
from pathlib import Path

import pytest
from tests.conftest import ACCOUNTS_CSV, POSTS_CSV, write_bundle
from typer.testing import CliRunner

from microscout.cli import app

SAMPLE = Path(__file__).parent.parent / "examples" / "sample-bundle"


NO_TOPIC = {"MICROSCOUT_TOPIC_MODEL": "none"}


def run(*args: str, cwd: Path, env: dict[str, str] | None = None,
        process: bool = False) -> subprocess.CompletedProcess[str]:
    """`microscout ARGS` in `cwd` with only `env` of the MICROSCOUT_ variables: the command's own
    code, exit code, stdout and stderr, run in this process through Click's test runner (a new
    process would spend a second loading the analytics for every command). With `process`, or
    a terminal width in `env` (the consoles read it when the CLI loads), in a real process."""
    if process or "COLUMNS" in (env or {}):
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("MICROSCOUT_")}
        full_env.update(env or {})
        return subprocess.run([sys.executable, "-m", "microscout.cli", *args], cwd=cwd, env=full_env,
                              capture_output=True, text=True, timeout=300)
    cleared: dict[str, str | None] = {k: None for k in os.environ if k.startswith("MICROSCOUT_")}
    before = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, list(args), env={**cleared, **(env or {})}, prog_name="microscout")
    finally:
        os.chdir(before)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        # what an uncaught error prints in a real process, so that tests see the traceback
        stderr += "Traceback (most recent call last):\n" + "".join(traceback.format_exception(result.exception))
    return subprocess.CompletedProcess(["microscout", *args], result.exit_code, result.stdout, stderr)


def test_import_then_info_as_json_follows_the_info_contract(tmp_path):
    # the one run of the command line in a real process, as a user starts it (python -m)
    r = run("import", str(SAMPLE), "--db", "ws.duckdb", cwd=tmp_path, process=True)
    assert r.returncode == 0, r.stderr
    assert "Imported 27 rows" in r.stdout
    info = json.loads(run("info", "--db", "ws.duckdb", "--format", "json", cwd=tmp_path, process=True).stdout)
    assert info["tables"] == {"accounts": {"rows": 6}, "snapshots": {"rows": 3}, "posts": {"rows": 5},
                              "comments": {"rows": 4}, "follows": {"rows": 5}, "audience": {"rows": 4}}
    assert info["platforms"] == {"instagram": {"accounts": 6}}
    assert info["imports"][0]["source"] == "microscout sample bundle (hand-written)"
    assert info["imports"][0]["rows"] == 27


def test_default_db_and_environment(tmp_path):
    assert run("import", str(SAMPLE), cwd=tmp_path).returncode == 0
    assert (tmp_path / "microscout.duckdb").exists()
    r = run("info", "--format", "csv", cwd=tmp_path, env={"MICROSCOUT_DB": str(tmp_path / "other.duckdb")})
    # the environment names the workspace; one that does not exist is named, never made empty
    assert r.returncode == 2 and f"no workspace at {tmp_path / 'other.duckdb'}" in r.stderr
    r = run("info", "--format", "csv", cwd=tmp_path)
    assert r.stdout.splitlines()[:2] == ["table,rows", "accounts,6"]


def test_a_bad_bundle_gives_one_line_per_problem_exit_2_and_no_traceback(tmp_path):
    bundle = write_bundle(tmp_path / "b", {"accounts.csv": ACCOUNTS_CSV,
                                           "posts.csv": POSTS_CSV + "instagram,p3,1,2026-10-03,12k,1\n"})
    r = run("import", str(bundle), "--db", "ws.duckdb", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.strip() == "error: posts.csv:4: column likes: '12k' is not a whole number ≥ 0"
    assert "Traceback" not in r.stderr + r.stdout


@pytest.mark.parametrize("args, message", [
    (["import", "nowhere"], "error: nowhere: no such file or folder"),
    (["forget", "instagram:42"], "error: no account instagram:42 in the workspace"),
    (["forget", "lena"], "error: 'lena' is not an account reference: expected platform:account_id, "
                         "platform:@handle or @handle"),
    (["info", "--backend", "oracle"], "error: setting 'backend': 'oracle' is not valid: "
                                      "Input should be 'duckdb' or 'pyspark'"),
])
def test_user_errors_are_one_line(tmp_path, args, message):
    if args[0] == "forget":
        assert run("import", str(SAMPLE), cwd=tmp_path).returncode == 0
    r = run(*args, cwd=tmp_path)
    assert (r.returncode, r.stderr.strip()) == (2, message)


def test_settings_file_environment_and_flags_in_that_order(tmp_path):
    (tmp_path / "microscout.toml").write_text('db = "from-file.duckdb"\nmax_errors = 7\n')
    r = run("settings", "--format", "json", cwd=tmp_path)
    got = {s["name"]: s["value"] for s in json.loads(r.stdout)}
    assert got["db"] == "from-file.duckdb" and got["max_errors"] == 7
    r = run("settings", "--format", "json", cwd=tmp_path, env={"MICROSCOUT_DB": "from-env.duckdb"})
    assert {s["name"]: s["value"] for s in json.loads(r.stdout)}["db"] == "from-env.duckdb"
    r = run("settings", "--format", "json", "--db", "flag.duckdb", cwd=tmp_path,
            env={"MICROSCOUT_DB": "from-env.duckdb"})
    assert {s["name"]: s["value"] for s in json.loads(r.stdout)}["db"] == "flag.duckdb"
    (tmp_path / "microscout.toml").write_text('dbb = "typo.duckdb"\n')
    r = run("settings", cwd=tmp_path)
    assert r.returncode == 2 and "unknown setting 'dbb'" in r.stderr


def test_a_workspace_held_by_another_process_is_reported_in_one_line(tmp_path):
    db = tmp_path / "held.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, sys, time; c = duckdb.connect({str(db)!r}); print('ready', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        r = run("info", "--db", str(db), cwd=tmp_path)
        assert r.returncode == 2
        assert r.stderr.strip() == (f"error: {db}: the workspace is in use by another process (process "
                                    f"{holder.pid}), such as a running `microscout serve`: stop it, or use a "
                                    "copy of the file")
    finally:
        holder.kill()
        holder.wait()


def test_forget_and_purge_from_the_cli(tmp_path):
    run("import", str(SAMPLE), "--db", "ws.duckdb", cwd=tmp_path)
    r = run("forget", "@anna_k", "--db", "ws.duckdb", "--format", "json", cwd=tmp_path)
    assert json.loads(r.stdout)["deleted"]["comments"] == 2
    r = run("purge", "--db", "ws.duckdb", cwd=tmp_path)
    assert r.returncode == 2 and "no retention set" in r.stderr
    # the sample was collected on 2026-11-01: a 1-day retention purges its audience-only account
    r = run("purge", "--older-than-days", "1", "--db", "ws.duckdb", "--format", "json", cwd=tmp_path)
    assert r.returncode == 0
    assert json.loads(r.stdout) == [{"table": "accounts", "rows deleted": 1}, {"table": "snapshots", "rows deleted": 0}]


def test_demo_writes_and_imports_a_world(tmp_path):
    # flags are under test here, not topics: embedding a thousand creators would only cost time
    r = run("demo", "--out", "world", "--db", "ws.duckdb", cwd=tmp_path, env=NO_TOPIC)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Demo world (small, seed 7) written to world/bundle")
    info = json.loads(run("info", "--db", "ws.duckdb", "--format", "json", cwd=tmp_path, env=NO_TOPIC).stdout)
    assert info["tables"]["accounts"]["rows"] == 5000
    assert set(info["platforms"]) == {"instagram", "tiktok", "youtube", "bluesky"}
    truth = json.loads((tmp_path / "world" / "truth" / "world.json").read_text())
    # the pods the world was made with are the creators flagged engagement_pod, no more, no fewer
    r = run("creators", "--flag", "engagement_pod", "--limit", "500", "--db", "ws.duckdb", "-f", "json", cwd=tmp_path, env=NO_TOPIC)
    assert {c["account_id"] for c in json.loads(r.stdout)["items"]} == {a for pod in truth["pods"] for a in pod}
    every = json.loads(run("creators", "--limit", "1", "--db", "ws.duckdb", "-f", "json", cwd=tmp_path, env=NO_TOPIC).stdout)
    clean = run("creators", "--no-fraud", "--sort", "-audience_quality", "--limit", "5000", "--db", "ws.duckdb", "-f",
                "json", cwd=tmp_path, env=NO_TOPIC)
    items = json.loads(clean.stdout)["items"]
    assert 0 < len(items) < every["total"]
    assert not {"bought_followers", "bought_engagement", "engagement_pod"} & {f for c in items for f in c["flags"]}
    quality = [c["audience_quality"] for c in items if c["audience_quality"] is not None]
    assert quality == sorted(quality, reverse=True)
    r = run("creators", "--flag", "bought", "--db", "ws.duckdb", cwd=tmp_path, env=NO_TOPIC)
    assert r.returncode == 2 and r.stderr.startswith("error: unknown flag 'bought'")


VET_KEYS = {"platform", "account_id", "handle", "followers", "as_of", "tier", "tier_scheme", "engagement", "growth",
            "sponsorship", "community", "audience", "flags", "flag_reasons", "reasons"}


def test_analyze_vet_and_creators_from_the_cli(tmp_path):
    assert run("import", str(SAMPLE), "--db", "ws.duckdb", cwd=tmp_path).returncode == 0
    r = run("analyze", "--db", "ws.duckdb", "--format", "json", cwd=tmp_path)
    assert json.loads(r.stdout)["creators"] == 4  # the accounts with posts
    vet = json.loads(run("vet", "instagram:@lena.bakes", "--db", "ws.duckdb", "--format", "json", cwd=tmp_path).stdout)
    assert set(vet) >= VET_KEYS
    assert {"rate_median", "rate_mean", "posts_used", "tier_benchmark_median", "vs_tier"} <= set(vet["engagement"])
    assert {"weekly_rate", "spikes"} <= set(vet["growth"])
    assert {"sponsored_share", "brands", "undisclosed_suspected"} <= set(vet["sponsorship"])
    assert {"repeat_commenter_share", "reply_rate", "generic_comment_share"} <= set(vet["community"])
    # lena's followers in the sample: anna_k, mariam.cooks and user83920184 (follows 7,480, 3 followers)
    assert {"quality_score", "fake_follower_share", "fake_follower_share_ci", "sample_size"} <= set(vet["audience"])
    assert vet["audience"]["sample_size"] == 3 and vet["audience"]["fake_follower_share"] == pytest.approx(1 / 3)
    # lena: 12,000 followers; posts (610 + 42) and (880 + 75) → median of 0.0543 and 0.0796
    assert vet["tier"] == "micro" and vet["engagement"]["rate_median"] == pytest.approx((652 + 955) / 2 / 12000)
    assert vet["sponsorship"]["brands"] == ["kornblume.berlin"]
    card = run("vet", "@lena.bakes", "--db", "ws.duckdb", cwd=tmp_path)
    assert "Engagement" in card.stdout and "lena.bakes" in card.stdout
    r = run("creators", "--platform", "instagram", "--min-er", "0.05", "--sort", "-engagement_rate",
            "--db", "ws.duckdb", "--format", "csv", cwd=tmp_path)
    lines = r.stdout.splitlines()
    assert lines[0].startswith("platform,account_id,handle,followers,as_of,tier,tier_scheme,engagement_rate")
    assert [line.split(",")[2] for line in lines[1:]] == ["lena.bakes", "mariam.cooks"]  # 6.7% and 5.7%
    r = run("vet", "instagram:@anna_k", "--db", "ws.duckdb", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.startswith("error: instagram:4 has no post in the workspace")


def test_data_that_looks_like_markup_is_printed_as_it_is(tmp_path):
    from tests.conftest import social_world

    social_world(tmp_path, "account_id,handle,followers,bio", [("1", "[b]odd[/b]", 5000, "[red]bio")],
                 "post_id,account_id,created_at,likes,comments,caption",
                 [("p1", "1", "2026-10-30T10:00:00Z", 100, 5, "#[x] cake")], []).close()
    r = run("creators", "--db", "ws.duckdb", cwd=tmp_path, env=NO_TOPIC)
    assert r.returncode == 0 and "@[b]odd[/b]" in r.stdout, r.stdout
    r = run("vet", "instagram:1", "--db", "ws.duckdb", cwd=tmp_path, env=NO_TOPIC)
    assert r.returncode == 0 and "@[b]odd[/b]" in r.stdout, r.stdout


def test_work_beyond_the_memory_limit_is_one_line_naming_the_setting(tmp_path):
    r = run("import", str(SAMPLE), "--db", "ws.duckdb", cwd=tmp_path, env={"MICROSCOUT_MEMORY_LIMIT": "1MB"})
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "MICROSCOUT_MEMORY_LIMIT" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_a_mistyped_workspace_is_named_not_created(tmp_path):
    for args in (("info",), ("vet", "@lena.bakes"), ("creators",), ("forget", "@lena.bakes")):
        r = run(*args, "--db", "typo/ws.duckdb", cwd=tmp_path)
        assert r.returncode == 2 and "no workspace at typo/ws.duckdb" in r.stderr, (args, r.stderr)
        assert "Traceback" not in r.stderr
    assert not (tmp_path / "typo").exists()
    r = run("import", str(SAMPLE), "--db", "new/ws.duckdb", cwd=tmp_path)
    assert r.returncode == 0 and (tmp_path / "new" / "ws.duckdb").exists()
