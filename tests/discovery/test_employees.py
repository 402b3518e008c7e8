"""employees: which of a brand's staff post about it, on a tiny world whose answers are known by hand.

anna.works tags @veganz in one post and #veganz in another (plus one older than a year, which does
not count); ben posts, never about the brand; carla only follows the brand; ghost is no account.
"""

from __future__ import annotations

import json
from pathlib import Path

import ibis
import pytest
from tests.conftest import csv_of, write_bundle
from tests.test_cli import NO_TOPIC, run

from microscout import open_workspace
from microscout.discovery.employees import employee_results
from microscout.discovery.mentions import brand_mentions
from microscout.exceptions import MicroscoutError, StaffFileError
from microscout.ingest.staff import read_staff

ACCOUNTS = [("1", "Anna.Works", 900), ("2", "ben", 5000), ("3", "veganz", 50_000), ("4", "carla", 300)]
POSTS = [
    ("a0", "1", "2025-09-01T10:00:00Z", 40, 4, "Erster Tag bei @veganz"),  # more than a year before anna's newest
    ("a1", "1", "2026-10-01T10:00:00Z", 40, 4, "Schicht bei @Veganz heute"),
    ("a2", "1", "2026-10-05T10:00:00Z", 30, 3, "Neues Sortiment #veganz"),
    ("a3", "1", "2026-10-07T10:00:00Z", 30, 3, "Kaffee"),
    ("b1", "2", "2026-10-02T10:00:00Z", 100, 10, "Urlaub"),
    ("b2", "2", "2026-10-03T10:00:00Z", 120, 12, "Strand"),
    ("v1", "3", "2026-10-03T10:00:00Z", 1200, 12, "Neu im Regal!"),
]
STAFF = ("platform,handle,name\n"
         "instagram,ben,\n"
         "Instagram,@anna.works,Anna\n"
         "instagram,carla,Carla\n"
         "instagram,@ghost,Ghost\n")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The workspace file, imported and analysed once, closed (each test opens it again)."""
    root = tmp_path_factory.mktemp("employees")
    files = {"accounts.csv": csv_of("account_id,handle,followers", ACCOUNTS),
             "posts.csv": csv_of("post_id,account_id,created_at,likes,comments,caption", POSTS),
             "follows.csv": csv_of("follower_id,followee_id", [("4", "3")])}
    bundle = write_bundle(root / "bundle", files, {"platform": "instagram", "collected_at": "2026-11-01T12:00:00Z"})
    with open_workspace(db=root / "ws.duckdb", topic_model="none") as ws:
        ws.import_bundle(bundle)
        ws.analyze()
    (root / "staff.csv").write_text(STAFF, encoding="utf-8")
    return root


def test_employees_who_post_about_the_brand_come_first_then_reach_and_nobody_found_is_dropped(world):
    with open_workspace(db=world / "ws.duckdb", topic_model="none") as ws:
        out = ws.employees(world / "staff.csv", ["@veganz"])
    assert out["brief"] == "employees of @veganz"
    assert [(r["rank"], r["handle"], r["name"], r["brand_posts"], r["last_brand_post"]) for r in out["results"]] == [
        (1, "Anna.Works", "Anna", 2, "2026-10-05"), (2, "ben", None, 0, None), (3, "carla", "Carla", 0, None)]
    anna, ben, carla = out["results"]
    assert anna["parts"]["relevance"] == round(2 / 3, 4) and ben["parts"]["relevance"] == 0.0
    assert anna["reasons"][0] == "Mentions @veganz in 2 posts, the latest on 2026-10-05."
    assert ben["reasons"][0] == "No post mentions @veganz in the year before its newest post."
    # median of (40+4)/900, (30+3)/900, (30+3)/900 over anna's year: 33/900
    assert anna["engagement_rate"] == pytest.approx(33 / 900, rel=1e-3)
    assert ben["engagement_rate"] == pytest.approx(121 / 5000, rel=1e-3)
    # carla follows the brand but posts nothing: a result all the same, with null figures and score 0
    assert carla["followers"] == 300 and carla["tier"] is None and carla["engagement_rate"] is None
    assert carla["score"] == 0.0 and carla["parts"]["engagement"] is None and carla["flags"] == []
    assert carla["reasons"][0].startswith("No post mentions @veganz")
    assert any("posts nothing we hold" in x.lower() for x in carla["reasons"])
    assert out["not_found"] == [{"line": 5, "platform": "instagram", "handle": "ghost", "name": "Ghost"}]
    json.dumps(out, allow_nan=False)  # the shape is plain JSON: no NaN slipped through


def test_limit_cuts_the_results_not_the_staff_not_found(world):
    with open_workspace(db=world / "ws.duckdb", topic_model="none") as ws:
        out = ws.employees(world / "staff.csv", ["veganz", "@veganz_de"], limit=1)
        with pytest.raises(MicroscoutError, match="at least one brand handle"):
            ws.employees(world / "staff.csv", [])
    assert out["brief"] == "employees of @veganz, @veganz_de"
    assert [r["handle"] for r in out["results"]] == ["Anna.Works"]
    assert [x["handle"] for x in out["not_found"]] == ["ghost"]


def test_a_flagged_employee_stays_with_its_flags_and_their_reasons(world):
    with open_workspace(db=world / "ws.duckdb", topic_model="none") as ws:
        t = ws.table
        is_ben = ibis._.handle == "ben"
        base = t("discovery_base").mutate(flag_bought_followers=is_ben, flag_private=is_ben)
        metrics = t("creator_metrics").mutate(flag_bought_followers=is_ben, flag_private=is_ben)
        out = employee_results(base, metrics, t("creator_spikes"), t("posts"), t("accounts"),
                               read_staff(world / "staff.csv"), ["@veganz"], 50)
    ben = next(r for r in out["results"] if r["handle"] == "ben")
    assert ben["flags"] == ["bought_followers", "private"]
    assert set(ben["flag_reasons"]) == {"bought_followers", "private"}
    assert "private" in ben["flag_reasons"]["private"]
    assert ben["rank"] == 2  # ranking ignores the score, which the private flag halves


def test_the_brand_as_a_hashtag_counts_as_a_brand_post(world):
    with open_workspace(db=world / "ws.duckdb", topic_model="none") as ws:
        tags = brand_mentions(ws.table("posts"), ["@veganz"]).execute().set_index("account_id").brand_posts.to_dict()
    assert tags == {"1": 2}  # a1's @veganz and a2's #veganz; a0 is more than a year old


@pytest.mark.parametrize("text, message", [
    ("platform,handle,team\ninstagram,ben,x\n",
     "staff.csv:1: unknown column 'team': expected a header row with the columns platform, handle and optionally name"),
    ("handle,name\nben,Ben\n", "staff.csv:1: column platform: missing from the header"),
    ("platform,handle,name\ninstagram,ben,Ben\ninstagram,,Nobody\n", "staff.csv:3: column handle: '' is empty"),
    ("platform,handle\ninstagram,ben\ninstagr,anna\n",
     "staff.csv:3: column platform: 'instagr' is not a platform: expected one of instagram, tiktok"),
    ("platform,handle\n,ben\n", "staff.csv:2: column platform: '' is empty: expected one of instagram"),
    ("platform,handle\ninstagram,ben,Ben\n", "staff.csv:2: 3 values: expected at most 2"),
    ("", "staff.csv: is empty: expected a header row"),
])
def test_a_bad_staff_file_names_file_line_column_value_and_what_was_expected(tmp_path, text, message):
    (tmp_path / "staff.csv").write_text(text, encoding="utf-8")
    with pytest.raises(StaffFileError) as e:
        read_staff(tmp_path / "staff.csv")
    assert str(e.value).replace(str(tmp_path) + "/", "").startswith(message), str(e.value)


def test_the_staff_file_keeps_names_strips_at_and_reads_each_person_once(tmp_path):
    (tmp_path / "s.csv").write_text("\ufeffName, Handle ,PLATFORM\nAnna,@anna.works,Instagram\n\n"
                                    ",ANNA.works,instagram\nBo,bo,tiktok\n", encoding="utf-8")
    staff = read_staff(tmp_path / "s.csv")
    assert staff.to_dict("records") == [{"line": 2, "platform": "instagram", "handle": "anna.works", "name": "Anna"},
                                        {"line": 5, "platform": "tiktok", "handle": "bo", "name": "Bo"}]
    with pytest.raises(StaffFileError, match="no such file"):
        read_staff(tmp_path / "missing.csv")


def test_the_command_prints_json_and_a_bad_file_is_one_line_and_exit_2(world, tmp_path):
    db = str(world / "ws.duckdb")
    r = run("employees", str(world / "staff.csv"), "--brand", "@veganz", "--db", db, "--format", "json",
            cwd=tmp_path, env=NO_TOPIC)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out) == {"brief", "results", "not_found"}
    assert [x["handle"] for x in out["results"]] == ["Anna.Works", "ben", "carla"]
    assert {"rank", "platform", "account_id", "handle", "tier", "followers", "score", "parts", "flags", "flag_reasons",
            "reasons", "name", "brand_posts", "last_brand_post", "engagement_rate"} == set(out["results"][0])
    (tmp_path / "bad.csv").write_text("platform,handle\ninstagram,ben\ninstagrm,anna\n", encoding="utf-8")
    r = run("employees", "bad.csv", "--brand", "@veganz", "--db", db, cwd=tmp_path, env=NO_TOPIC)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr + r.stdout
    assert r.stderr.strip().splitlines() == [
        "error: bad.csv:3: column platform: 'instagrm' is not a platform: expected one of instagram, tiktok, youtube, "
        "x, facebook, linkedin, bluesky, mastodon, threads, twitch, pinterest, blog, other"]


def test_the_brand_in_any_account_form_the_other_commands_take(world):
    with open_workspace(db=world / "ws.duckdb", topic_model="none") as ws:
        expected = ws.employees(world / "staff.csv", ["@veganz"])
        for form in ("veganz", "instagram:@veganz", "instagram:3", "@Veganz"):
            assert ws.employees(world / "staff.csv", [form]) == expected, form
        assert ws.mentions(["instagram:3"]) == ws.mentions(["@veganz"])
