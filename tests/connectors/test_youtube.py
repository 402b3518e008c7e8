"""The YouTube connector against a real loopback server serving replies written from the YouTube
Data API v3 reference (tests/connectors/fixtures/youtube/README.md): a full collect that imports,
retries, quota and key refusals, a killed run resumed, and the fixtures checked against the
discovery document that google-api-python-client carries."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from tests.connectors.loopback import FIXTURES, LoopbackServer, Request, fixture

from microscout.config import load_settings
from microscout.connectors import CollectRequest, ConnectorError, collect
from microscout.connectors.youtube import (
    YouTubeConnector,
    duration_seconds,
    language_code,
    parse_handle,
)
from microscout.workspace import Workspace

KEY = "AIzaSyTEST-not-a-real-key-0123456789abc"
MIRA, LUCIA, QUIET = "UCmRz7bKq3YwN0vLs8dHfT2A", "UCe4Pn9QxJ2tWl6sVb1KmR0g", "UCh1ddenSubsX9kP3qLmN7wZ"
A1, A2, A3, A4, B1, B2 = "Lm9dRzl45sQ", "Sd7uGh2Kx0E", "Cr0iSsAnT3v", "Bn4ScRsh0Rt", "Pn8AdEr2QwE", "Lv3StReAm9k"
T1, T3, T5 = "UgzKq2LmX8rT4vB1nW9AaABAg", "UgxR5tY8uI1oP4aS7dF0AaABAg", "UgzP0oI9uY8tR7eW6qA5AaABAg"
R1 = T1 + ".9uQmZt3xK2w9uQn1Bc4Vd7"
PAGE2 = "EAAaBlBUOkNBTQ"
COMMENTS_PAGE2 = "Z2V0X25ld2VzdF9maXJzdC0tQ2dnSWdBUVZGN2ZST0NBQQ=="
HANDLES = ("bakewithmira", LUCIA, "@hiddensubs", "https://www.youtube.com/@nosuchchannel")
REQUEST = CollectRequest(handles=HANDLES, posts=4, comments=3)
TABLE_KEYS = {"accounts": "account_id", "posts": "post_id", "comments": "comment_id"}


def yt(name: str) -> Any:
    return fixture(f"youtube/{name}")


def script(server: LoopbackServer) -> None:
    """The replies of a clean run: two channels found, one hiding its subscribers, one unknown."""
    server.reply("/channels", yt("channels_bakewithmira.json"), query={"forHandle": "@bakewithmira"})
    server.reply("/channels", yt("channels_by_id.json"), query={"id": LUCIA})
    server.reply("/channels", yt("channels_hiddensubs.json"), query={"forHandle": "@hiddensubs"})
    server.reply("/channels", yt("channels_unknown.json"), query={"forHandle": "@nosuchchannel"})
    server.reply("/channels", yt("channels_search_ids.json"), query={"id": f"{MIRA},{LUCIA}"})
    server.reply("/search", yt("search_channels.json"), query={"type": "channel"})
    server.reply("/playlistItems", yt("playlistItems_mira_1.json"), query={"playlistId": "UU" + MIRA[2:]})
    server.reply("/playlistItems", yt("playlistItems_mira_2.json"),
                 query={"playlistId": "UU" + MIRA[2:], "pageToken": PAGE2})
    server.reply("/playlistItems", yt("playlistItems_panaderia.json"), query={"playlistId": "UU" + LUCIA[2:]})
    server.reply("/videos", yt("videos_mira_1.json"), query={"id": f"{A1},{A2},{A3}"})
    server.reply("/videos", yt("videos_mira_2.json"), query={"id": A4})
    server.reply("/videos", yt("videos_panaderia.json"), query={"id": f"{B1},{B2}"})
    server.reply("/commentThreads", yt("commentThreads_a1_1.json"), query={"videoId": A1})
    server.reply("/commentThreads", yt("commentThreads_a1_2.json"), query={"videoId": A1, "pageToken": COMMENTS_PAGE2})
    server.reply("/commentThreads", yt("commentThreads_a2.json"), query={"videoId": A2})
    server.reply("/commentThreads", yt("error_comments_disabled.json"), query={"videoId": A3}, status=403)
    server.reply("/commentThreads", yt("commentThreads_b1.json"), query={"videoId": B1})


def settings(tmp_path: Path, key: str | None = KEY) -> Any:
    return load_settings(None, db=tmp_path / "w.duckdb", youtube_api_key=key)


def run(tmp_path: Path, server: LoopbackServer, out: str = "bundle", request: CollectRequest = REQUEST) -> Path:
    collect(settings(tmp_path), "youtube", CollectRequest(**{**request.__dict__, "service_url": server.url}),
            tmp_path / out)
    return tmp_path / out


def rows(bundle: Path, table: str) -> list[dict[str, Any]]:
    path = bundle / f"{table}.jsonl"
    if not path.exists():
        return []
    return sorted((json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()),
                  key=lambda r: r[TABLE_KEYS[table]])


def all_rows(bundle: Path) -> dict[str, list[dict[str, Any]]]:
    return {t: rows(bundle, t) for t in TABLE_KEYS}


def assert_no_key(bundle: Path) -> None:
    for path in bundle.rglob("*"):
        if path.is_file():
            assert KEY not in path.read_text(encoding="utf-8"), path


def clean_bundle(tmp_path: Path) -> dict[str, list[dict[str, Any]]]:
    with LoopbackServer() as server:
        script(server)
        return all_rows(run(tmp_path, server, out="clean"))


# 1. a full collect -------------------------------------------------------------------------------
def test_full_collect_pages_and_imports_unchanged(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with LoopbackServer() as server:
        script(server)
        bundle = run(tmp_path, server)
        log = list(server.log)
    # 4 channel look-ups, 3 playlist pages, 3 video batches, 5 comment pages (one refused: comments off)
    paths = [r.path for r in log]
    assert (paths.count("/channels"), paths.count("/playlistItems"), paths.count("/videos"),
            paths.count("/commentThreads"), len(log)) == (4, 3, 3, 5, 15)
    assert all(r.query["key"] == [KEY] for r in log)
    first = log[0].query
    assert first["part"] == ["snippet,statistics,contentDetails"] and first["forHandle"] == ["@bakewithmira"]
    videos = next(r for r in log if r.path == "/videos").query
    assert videos["part"] == ["snippet,statistics,contentDetails,status,paidProductPlacementDetails"]
    threads = next(r for r in log if r.path == "/commentThreads").query
    assert threads["part"] == ["snippet,replies"] and threads["maxResults"] == ["100"]
    assert not any(r.query.get("videoId") in ([A4], [B2]) for r in log)  # outside --comments, or none to read
    err = capsys.readouterr().err
    assert "hiddensubs hides its subscriber count: skipped" in err and "no channel @nosuchchannel" in err

    accounts, posts, comments = rows(bundle, "accounts"), rows(bundle, "posts"), rows(bundle, "comments")
    assert [a["account_id"] for a in accounts] == [LUCIA, MIRA]
    mira = next(a for a in accounts if a["account_id"] == MIRA)
    assert mira == {"platform": "youtube", "account_id": MIRA, "handle": "bakewithmira", "display_name": "Mira Bakes",
                    "bio": mira["bio"], "followers": 48200, "posts_count": 212, "country": "GB", "language": "en",
                    "created_at": "2019-03-14T09:21:44Z", "has_profile_pic": True}
    assert len(posts) == 6 and {p["post_id"] for p in posts} == {A1, A2, A3, A4, B1, B2}
    assert len(comments) == 8
    assert_no_key(bundle)

    with Workspace(settings(tmp_path)) as ws:
        ws.import_bundle(bundle)
        assert [ws.table(t).count().execute() for t in ("accounts", "posts", "comments")] == [2, 6, 8]
        db_posts = {r["post_id"]: r for r in ws.table("posts").execute().to_dict("records")}
        db_comments = {r["comment_id"]: r for r in ws.table("comments").execute().to_dict("records")}
        db_accounts = {r["account_id"]: r for r in ws.table("accounts").execute().to_dict("records")}

    a1, a2, a3, a4, b1, b2 = (db_posts[v] for v in (A1, A2, A3, A4, B1, B2))
    assert (a1["kind"], a2["kind"], a3["kind"], a4["kind"], b1["kind"], b2["kind"]) == (
        "short", "video", "video", "short", "video", "live")
    assert list(a1["hashtags"]) == ["baking", "shorts"] and list(a1["mentions"]) == []
    assert list(a2["hashtags"]) == ["sourdough", "bread"] and list(a2["mentions"]) == ["flourpower"]
    assert list(b1["hashtags"]) == ["masamadre", "pancasero"]
    assert (a1["views"], a1["likes"], a1["comments"]) == (120500, 8100, 57)
    assert pd.isna(a2["likes"]) and a2["views"] == 40211  # likes hidden: unknown, not zero
    assert [bool(p["is_paid_partnership"]) for p in (a1, a2, a3, a4, b1, b2)] == [False, True] + [False] * 4
    assert (a1["language"], a3["language"], b1["language"]) == ("en", None, "es")
    assert a1["url"] == f"https://www.youtube.com/watch?v={A1}"
    assert a2["caption"].startswith("My sourdough routine, start to finish\nEverything I do over 24 hours.")
    assert a1["created_at"] == datetime(2026, 10, 30, 17, 0, 8)
    assert db_accounts[LUCIA]["created_at"] == datetime(2021, 7, 2, 18, 3, 11, 472000)
    assert db_accounts[LUCIA]["country"] is None and db_accounts[LUCIA]["language"] == "es"

    reply = db_comments[R1]
    assert (reply["reply_to"], reply["author_id"], reply["author_handle"], reply["post_id"]) == (T1, MIRA,
                                                                                                  "bakewithmira", A1)
    assert reply["text"] == "@crumbqueen so glad it worked! 💛" and reply["likes"] == 3
    assert db_comments[T1]["reply_to"] is None and db_comments[T1]["created_at"] == datetime(2026, 10, 30, 18, 2, 11)
    assert db_comments[T3]["author_handle"] is None  # a display name, not a handle
    assert db_comments[T5 + ".9uR2Xy7Wz1A9uR2Xy7Wz1B"]["author_id"] == LUCIA
    assert sum(1 for c in db_comments.values() if c["post_id"] == A1) == 5  # two pages of threads


def test_search_finds_channels_at_100_units_a_page(tmp_path: Path) -> None:
    with LoopbackServer() as server:
        script(server)
        bundle = run(tmp_path, server, request=CollectRequest(search="sourdough baking", posts=0, comments=0,
                                                                max_accounts=2))
        searches = server.requests_to("/search")
    assert len(searches) == 1  # max_accounts reached on the first page: the next is not bought
    q = searches[0].query
    assert (q["type"], q["q"], q["maxResults"], q["part"]) == (["channel"], ["sourdough baking"], ["2"], ["snippet"])
    assert [a["handle"] for a in rows(bundle, "accounts")] == ["panaderialucia", "bakewithmira"]
    assert rows(bundle, "posts") == []


# 2. retries and rate limits ----------------------------------------------------------------------
def test_rate_limits_errors_and_dropped_connections_end_in_the_clean_bundle(tmp_path: Path) -> None:
    clean = clean_bundle(tmp_path)
    with LoopbackServer() as server:
        # scripted before the good replies: each route serves its replies in order
        server.reply("/channels", yt("error_rate_limit.json"), status=403, query={"forHandle": "@bakewithmira"},
                     headers={"retry-after": "1"})
        server.reply("/videos", {"error": {"code": 429, "message": "slow down"}}, status=429,
                     query={"id": f"{A1},{A2},{A3}"}, headers={"retry-after": "0"})
        server.reply("/playlistItems", "<html>backend error</html>", status=500,
                     query={"playlistId": "UU" + MIRA[2:], "pageToken": PAGE2}, headers={"retry-after": "0"})
        server.reply("/commentThreads", yt("commentThreads_a1_1.json"), query={"videoId": A1}, drop_after=300)
        script(server)
        started = time.monotonic()
        bundle = run(tmp_path, server)
        elapsed = time.monotonic() - started
        rate_limited = [r for r in server.log if r.query.get("forHandle") == ["@bakewithmira"]]
        assert len(rate_limited) == 2 and len(server.requests_to("/commentThreads")) == 6
        assert len(server.log) == 15 + 4
    assert elapsed >= 1.0  # the Retry-After of the rate-limited 403 was waited out
    assert all_rows(bundle) == clean


def test_spent_quota_is_not_retried_and_the_next_run_resumes(tmp_path: Path) -> None:
    clean = clean_bundle(tmp_path)
    with LoopbackServer() as server:
        server.reply("/commentThreads", yt("error_quota_exceeded.json"), status=403, query={"videoId": A2})
        script(server)
        with pytest.raises(ConnectorError) as e:
            run(tmp_path, server)
        message = str(e.value)
        assert "daily quota is spent" in message and "tomorrow" in message and "resumes" in message
        assert "<a href" not in message and "\n" not in message and KEY not in message
        assert len([r for r in server.log if r.query.get("videoId") == [A2]]) == 1
        before = len(server.log)  # the route's next reply is script()'s good page: the quota is back
        bundle = run(tmp_path, server)
        resumed = server.log[before:]
    # the second run starts at the refused request: a2, a3, then the other channel's comments
    assert [(r.path, r.query.get("videoId")) for r in resumed] == [
        ("/commentThreads", [A2]), ("/commentThreads", [A3]), ("/commentThreads", [B1])]
    assert all_rows(bundle) == clean


# 3. kill and resume ------------------------------------------------------------------------------
def cli(tmp_path: Path, server: LoopbackServer, out: Path, *extra: str) -> list[str]:
    handles = tmp_path / "handles.txt"
    handles.write_text("# channels\n" + "\n".join(HANDLES) + "\n", encoding="utf-8")
    return [sys.executable, "-m", "microscout.cli", "collect", "youtube", "--handles", str(handles), "--posts", "4",
            "--comments", "3", "--out", str(out), "--service-url", server.url, *extra]


def env(key: str | None = KEY) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("MICROSCOUT_")}
    return {**base, "MICROSCOUT_YOUTUBE_API_KEY": key} if key else base


def test_a_killed_run_resumes_without_refetching_committed_pages(tmp_path: Path) -> None:
    clean = clean_bundle(tmp_path)
    out = tmp_path / "killed"
    with LoopbackServer() as server:
        script(server)
        proc: list[subprocess.Popen[bytes]] = []

        def kill_at_a2(request: Request) -> None:
            if request.path == "/commentThreads" and request.query.get("videoId") == [A2] and proc:
                os.kill(proc[0].pid, signal.SIGKILL)

        server.on_request = kill_at_a2
        proc.append(subprocess.Popen(cli(tmp_path, server, out, "--no-import"), cwd=tmp_path, env=env(),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE))
        proc[0].communicate(timeout=60)
        assert proc[0].returncode == -signal.SIGKILL
        assert (out / ".partial" / "checkpoint.json").exists() and not (out / "bundle.json").exists()
        first = len(server.log)
        server.on_request = None
        done = subprocess.run(cli(tmp_path, server, out, "--no-import"), cwd=tmp_path, env=env(),
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        resumed = [(r.path, r.query.get("videoId", r.query.get("pageToken"))) for r in server.log[first:]]
    # channels, uploads, videos and a1's two comment pages were committed before the kill
    assert resumed == [("/commentThreads", [A2]), ("/commentThreads", [A3]), ("/commentThreads", [B1])]
    assert "resuming" in done.stderr
    for table, key in TABLE_KEYS.items():
        ids = [r[key] for r in rows(out, table)]
        assert len(ids) == len(set(ids)), table
    assert all_rows(out) == clean
    assert_no_key(out)


# 4. malformed JSON -------------------------------------------------------------------------------
def test_malformed_json_exits_2_with_one_line_and_imports_nothing(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with LoopbackServer() as server:
        server.reply("/videos", '{"kind": "youtube#videoListResponse", "items": [{"id": "Lm9d', query={"id": f"{A1},{A2},{A3}"})
        script(server)
        done = subprocess.run(cli(tmp_path, server, tmp_path / "bad", "--db", str(db)), cwd=tmp_path, env=env(),
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: youtube: GET /videos: the reply is not valid JSON")
    assert done.stderr.strip().endswith("nothing was imported")  # the error is the last line, whole
    assert "Traceback" not in done.stderr and KEY not in done.stderr
    assert not db.exists()


def test_a_reply_of_the_wrong_shape_is_a_clear_error(tmp_path: Path) -> None:
    with LoopbackServer() as server:
        server.reply("/playlistItems", {"items": {"not": "a list"}}, query={"playlistId": "UU" + MIRA[2:]})
        script(server)
        with pytest.raises(ConnectorError, match="playlistItems reply is not a playlistItems list"):
            run(tmp_path, server)


# 5. refusals -------------------------------------------------------------------------------------
def test_invalid_key_is_one_clear_line_without_the_key(tmp_path: Path) -> None:
    with LoopbackServer() as server:
        server.reply("/channels", yt("error_key_invalid.json"), status=400)
        done = subprocess.run(cli(tmp_path, server, tmp_path / "k", "--no-import"), cwd=tmp_path, env=env(),
                              capture_output=True, text=True, timeout=60)
        assert len(server.log) == 1  # a 400 is not retried
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "the API key is not valid" in lines[0] and "MICROSCOUT_YOUTUBE_API_KEY" in lines[0]
    assert KEY not in done.stderr and KEY not in done.stdout


def test_missing_key_names_the_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MICROSCOUT_YOUTUBE_API_KEY", raising=False)
    with pytest.raises(ConnectorError, match=r"no API key: set youtube_api_key .* MICROSCOUT_YOUTUBE_API_KEY"):
        collect(load_settings(None, db=tmp_path / "w.duckdb"), "youtube", REQUEST, tmp_path / "o")
    assert not (tmp_path / "o").exists()  # refused before anything is written


def test_unknown_handle_alone_is_an_error_naming_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with LoopbackServer() as server:
        script(server)
        server.reply("/channels", {"error": {"code": 404, "message": "Channel not found.", "errors": [
            {"message": "Channel not found.", "domain": "youtube.channel", "reason": "channelNotFound"}]}},
            status=404, query={"forHandle": "@gone"})
        with pytest.raises(ConnectorError, match="no channel to collect: none of @nosuchchannel, @gone was found"):
            run(tmp_path, server, request=CollectRequest(handles=("@nosuchchannel", "@gone")))
    err = capsys.readouterr().err
    assert "no channel @nosuchchannel: skipped" in err and "no channel @gone: skipped" in err


def test_followers_of_is_refused_plainly(tmp_path: Path) -> None:
    with pytest.raises(ConnectorError, match="lists no channel's subscribers"):
        collect(settings(tmp_path), "youtube", CollectRequest(followers_of="@bakewithmira"), tmp_path / "o")
    assert not (tmp_path / "o").exists()


def test_a_channel_without_uploads_gives_no_posts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with LoopbackServer() as server:
        server.reply("/playlistItems", yt("error_playlist_not_found.json"), status=404,
                     query={"playlistId": "UU" + LUCIA[2:]})
        script(server)
        bundle = run(tmp_path, server)
    assert {p["account_id"] for p in rows(bundle, "posts")} == {MIRA}
    assert "has no public uploads" in capsys.readouterr().err


# reading values ----------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "seconds"), [("PT45S", 45), ("PT1M", 60), ("PT1M1S", 61), ("PT12M3S", 723),
                                                 ("PT1H2M", 3720), ("P0D", 0), ("P1DT2H", 93600), ("PT", None),
                                                 ("", None), (None, None), ("1:00", None)])
def test_duration_seconds(value: Any, seconds: float | None) -> None:
    assert duration_seconds(value) == seconds


@pytest.mark.parametrize(("line", "parsed"), [
    ("bakewithmira", ("handle", "@bakewithmira")), ("@BakeWithMira", ("handle", "@BakeWithMira")),
    (MIRA, ("id", MIRA)), (f"https://www.youtube.com/channel/{MIRA}", ("id", MIRA)),
    ("https://youtube.com/@bakewithmira/videos", ("handle", "@bakewithmira"))])
def test_parse_handle(line: str, parsed: tuple[str, str]) -> None:
    assert parse_handle(line) == parsed


def test_language_code() -> None:
    assert [language_code(v) for v in ("en-GB", "es-419", "zxx", "pt_BR", None, "fil")] == [
        "en", "es", None, "pt", None, None]


def test_fills_says_what_youtube_cannot_give() -> None:
    assert "no channel's subscribers" in YouTubeConnector.fills["follows"]


# 6. the fixtures against YouTube's discovery document ---------------------------------------------
RESPONSES = {"channels": "ChannelListResponse", "playlistItems": "PlaylistItemListResponse",
             "videos": "VideoListResponse", "commentThreads": "CommentThreadListResponse",
             "search": "SearchListResponse"}


def discovery() -> dict[str, Any]:
    import googleapiclient

    path = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents" / "youtube.v3.json"
    doc: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return doc


def check(value: Any, schema: dict[str, Any], schemas: dict[str, Any], where: str) -> list[str]:
    """Problems of `value` against a discovery schema: undeclared properties, wrong types."""
    if "$ref" in schema:
        return check(value, schemas[schema["$ref"]], schemas, where)
    kind = schema.get("type")
    expected = {"string": str, "boolean": bool, "object": dict, "array": list}.get(kind or "")
    if kind in ("integer", "number"):
        ok = isinstance(value, int if kind == "integer" else int | float) and not isinstance(value, bool)
        return [] if ok else [f"{where}: {value!r} is not {kind}"]
    if expected is None or not isinstance(value, expected):
        return [f"{where}: {value!r} is not {kind}"]
    if kind == "string" and schema.get("format") in ("uint64", "int64", "uint32") and not value.isdigit():
        return [f"{where}: {value!r} is not {schema['format']}"]
    if kind == "string" and schema.get("format") == "date-time":
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    if kind == "array":
        return [p for i, v in enumerate(value) for p in check(v, schema.get("items", {}), schemas, f"{where}[{i}]")]
    if kind != "object":
        return []
    problems = []
    for name, v in value.items():
        declared = schema.get("properties", {}).get(name) or schema.get("additionalProperties")
        if declared is None:
            problems.append(f"{where}.{name}: not declared in the schema")
        else:
            problems += check(v, declared, schemas, f"{where}.{name}")
    return problems


@pytest.mark.parametrize("name", sorted(p.name for p in (FIXTURES / "youtube").glob("*.json")
                                        if not p.name.startswith("error_")))
def test_fixture_follows_the_discovery_document(name: str) -> None:
    doc = discovery()
    schema = RESPONSES[name.split("_")[0]]
    assert check(yt(name), {"$ref": schema}, doc["schemas"], name) == []
    assert yt(name)["kind"] == f"youtube#{schema[0].lower()}{schema[1:]}"


def test_the_checker_catches_undeclared_fields_and_wrong_types() -> None:
    doc = discovery()
    bad = yt("videos_mira_1.json")
    bad["items"][0]["statistics"]["viewCount"] = 120500  # uint64 is a string in this API
    bad["items"][0]["snippet"]["hashtags"] = ["baking"]
    problems = check(bad, {"$ref": "VideoListResponse"}, doc["schemas"], "v")
    assert problems == ["v.items[0].snippet.hashtags: not declared in the schema",
                        "v.items[0].statistics.viewCount: 120500 is not string"]


def test_error_fixtures_have_google_error_shape() -> None:
    """Error replies are not in the discovery document: checked field by field against the errors guide."""
    expected = {"error_key_invalid.json": (400, "badRequest"), "error_quota_exceeded.json": (403, "quotaExceeded"),
                "error_rate_limit.json": (403, "rateLimitExceeded"),
                "error_comments_disabled.json": (403, "commentsDisabled"),
                "error_playlist_not_found.json": (404, "playlistNotFound")}
    for name, (code, reason) in expected.items():
        error = yt(name)["error"]
        assert set(error) <= {"code", "message", "errors", "status", "details"}, name
        assert error["code"] == code and isinstance(error["message"], str)
        assert [e["reason"] for e in error["errors"]] == [reason]
        assert all(set(e) <= {"message", "domain", "reason", "location", "locationType"} for e in error["errors"])
    assert yt("error_key_invalid.json")["error"]["details"][0]["reason"] == "API_KEY_INVALID"
