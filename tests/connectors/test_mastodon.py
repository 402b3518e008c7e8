"""The Mastodon connector against a real loopback server serving replies written from the Mastodon
API reference (fixtures/mastodon/README.md): pagination by Link header, rate limits, faults, a
killed and resumed CLI run, refusals, and the fixtures checked against Mastodon.py's entities."""

from __future__ import annotations

import ast
import dataclasses
import functools
import io
import json
import os
import signal
import subprocess
import sys
import time
import types
import typing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from mastodon import return_types
from mastodon.types_base import AttribAccessDict
from rich.console import Console
from tests.connectors.loopback import FIXTURES, LoopbackServer, Request, fixture

from microscout.config import Settings, load_settings
from microscout.connectors import CollectRequest, CollectResult, ConnectorError, collect
from microscout.connectors.job import KEYS
from microscout.connectors.mastodon import (
    Mapper,
    MastodonConnector,
    html_links,
    html_text,
    next_max_id,
    parse_handle,
)
from microscout.workspace import Workspace

TOKEN = "mstdn-test-token-7c1e2b9a"  # made up; must reach the server and nothing else
HOME = "https://mastodon.example"
ALICE, BOB = "110000000000000101", "110000000000000202"
S13, S12, S11, S10 = "113570000000000013", "113560000000000012", "113550000000000011", "113540000000000010"
STATUSES = f"/api/v1/accounts/{ALICE}/statuses"
FOLLOWERS = f"/api/v1/accounts/{ALICE}/followers"
FULL = CollectRequest(handles=("alice", "@bob@other.example"), posts=4, comments=2, followers=4)
CLI_ARGS = ["--posts", "4", "--comments", "2", "--followers", "4"]


def mastodon(name: str) -> Any:
    return fixture(f"mastodon/{name}")


def rate_headers(remaining: int = 250, reset_in: float = 240.0) -> dict[str, str]:
    """Mastodon's headers (Rack::Attack): the reset is an ISO time with microseconds."""
    reset = (datetime.now(UTC) + timedelta(seconds=reset_in)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return {"x-ratelimit-limit": "300", "x-ratelimit-remaining": str(remaining), "x-ratelimit-reset": reset}


def link(path: str, query: str, max_id: str, since_id: str) -> dict[str, str]:
    # the links name the instance's public host, not the loopback: only their max_id is used
    return {"link": f'<{HOME}{path}?{query}&max_id={max_id}>; rel="next", '
                    f'<{HOME}{path}?{query}&min_id={since_id}>; rel="prev"'}


def script(server: LoopbackServer) -> None:
    """The replies of a clean run; a test scripts its faults before calling this, so they come first."""
    ok = rate_headers()
    server.reply("/api/v2/instance", mastodon("instance.json"), headers=ok)
    server.reply("/api/v1/accounts/lookup", mastodon("account_alice.json"), query={"acct": "alice"},
                 headers=ok)
    server.reply("/api/v1/accounts/lookup", mastodon("account_bob.json"), query={"acct": "bob@other.example"},
                 headers=ok)
    server.reply("/api/v1/accounts/lookup", mastodon("error_not_found.json"), status=404, headers=ok)
    server.reply("/api/v2/search", mastodon("search_bakers.json"), query={"q": "bakers"}, headers=ok)
    query = "exclude_reblogs=true&exclude_replies=true&limit=4"
    server.reply(STATUSES, mastodon("statuses_alice_1.json"),
                 headers={**ok, **link(STATUSES, query, S12, S13)})
    server.reply(STATUSES, mastodon("statuses_alice_2.json"), query={"max_id": S12},
                 headers={**ok, **link(STATUSES, query, S10, S11)})
    server.reply(f"/api/v1/accounts/{BOB}/statuses", mastodon("statuses_bob.json"), headers=ok)
    for status in (S13, S11):
        server.reply(f"/api/v1/statuses/{status}/context", mastodon(f"context_{status}.json"), headers=ok)
    server.reply(FOLLOWERS, mastodon("followers_alice_1.json"), headers={**ok, **link(FOLLOWERS, "limit=4",
                                                                                       "7001", "7100")})
    server.reply(FOLLOWERS, mastodon("followers_alice_2.json"), query={"max_id": "7001"},
                 headers={**ok, **link(FOLLOWERS, "limit=4", "6900", "7000")})


def settings(token: str | None = TOKEN) -> Settings:
    return Settings(mastodon_access_token=token)  # type: ignore[arg-type]


def run(server: LoopbackServer, out: Path, request: CollectRequest = FULL,
        token: str | None = TOKEN) -> tuple[CollectResult, str]:
    """Collect in-process as `microscout collect` does; returns the result and the notes printed."""
    notes = io.StringIO()
    request = dataclasses.replace(request, service_url=server.url)
    result = collect(settings(token), "mastodon", request, out, console=Console(file=notes, width=300))
    return result, notes.getvalue()


def rows(out: Path) -> dict[str, list[dict[str, Any]]]:
    """Each table's rows, sorted, so two runs compare equal whatever their order of work."""
    tables = {}
    for path in sorted(out.glob("*.jsonl")):
        lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        tables[path.stem] = sorted(lines, key=lambda r: json.dumps(r, sort_keys=True))
    return tables


def by_key(table: list[dict[str, Any]], column: str) -> dict[str, dict[str, Any]]:
    return {r[column]: r for r in table}


def clean_rows(tmp_path: Path, request: CollectRequest = FULL) -> dict[str, list[dict[str, Any]]]:
    with LoopbackServer() as server:
        script(server)
        run(server, tmp_path / "clean", request)
    return rows(tmp_path / "clean")


def assert_no_token(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            assert TOKEN not in path.read_text(encoding="utf-8", errors="replace"), path


# 1. a full collect ---------------------------------------------------------------------------------
def test_full_collect_pages_maps_and_imports(tmp_path: Path) -> None:
    with LoopbackServer() as server:
        script(server)
        result, notes = run(server, tmp_path / "b")
        log = list(server.log)
    assert result.rows == {"accounts": 6, "posts": 5, "comments": 3, "follows": 4}
    assert (result.requests, result.retries, result.resumed) == (10, 0, False)
    assert "bob@other.example hides its followers" in notes
    assert "gone@third.example" not in notes  # a suspended follower is no creator: nothing to say

    # the pages asked for: alice's statuses stop at --posts 4 (no third page), followers at 4;
    # replies only for the 2 newest posts with any; bob hides his network: no follower request
    paths = [(r.path, r.query.get("max_id", [None])[0]) for r in log]
    assert paths == [("/api/v2/instance", None), ("/api/v1/accounts/lookup", None),
                     ("/api/v1/accounts/lookup", None), (STATUSES, None), (STATUSES, S12),
                     (f"/api/v1/statuses/{S13}/context", None), (f"/api/v1/statuses/{S11}/context", None),
                     (FOLLOWERS, None), (FOLLOWERS, "7001"), (f"/api/v1/accounts/{BOB}/statuses", None)]
    assert [r.query["acct"] for r in log if r.path.endswith("lookup")] == [["alice"], ["bob@other.example"]]
    first = log[3].query
    assert (first["limit"], first["exclude_reblogs"], first["exclude_replies"]) == (["4"], ["true"], ["true"])
    assert log[7].query["limit"] == ["4"]
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in log)

    tables = rows(tmp_path / "b")
    accounts = by_key(tables["accounts"], "account_id")
    assert sorted(accounts) == ["alice@mastodon.example", "bob@other.example", "carol@third.example",
                                "dave@mastodon.example", "erin@other.example", "feedbot@bots.example"]
    assert accounts["alice@mastodon.example"] == {
        "platform": "mastodon", "account_id": "alice@mastodon.example", "handle": "alice@mastodon.example",
        "display_name": "Alice Bakes 🍰",
        "bio": "Sourdough, cakes & long walks.\n\nRecipes every Friday #baking\nDMs open",
        "followers": 1523, "following": 311, "posts_count": 842, "verified": True,
        "is_private": False, "has_profile_pic": True, "external_url": "https://alicebakes.example/shop",
        "category": None, "created_at": "2022-11-05T00:00:00.000Z"}
    bob, dave = accounts["bob@other.example"], accounts["dave@mastodon.example"]
    assert (bob["verified"], bob["external_url"], bob["followers"]) == (False, "http://bob.example", 98)
    assert (dave["display_name"], dave["bio"]) == (None, None)
    assert (dave["is_private"], dave["has_profile_pic"]) == (True, False)
    erin = accounts["erin@other.example"]
    assert (erin["handle"], erin["external_url"]) == ("Erin@other.example", "https://erin.example/")
    assert accounts["feedbot@bots.example"]["category"] == "bot"

    posts = by_key(tables["posts"], "post_id")
    loaf = posts[f"{HOME}/users/alice/statuses/{S13}"]
    assert loaf == {
        "platform": "mastodon", "post_id": f"{HOME}/users/alice/statuses/{S13}",
        "account_id": "alice@mastodon.example", "created_at": "2024-11-28T10:00:00.000Z", "kind": "photo",
        "caption": "Friday loaf is out! #Sourdough #baking\n\nThanks @bob for the starter <3\n"
                   "Recipe: https://alicebakes.example/recipes/friday-loaf",
        "hashtags": ["baking", "sourdough"], "mentions": ["bob@other.example"], "likes": 31, "comments": 2,
        "shares": 4, "views": None, "url": f"{HOME}/@alice/{S13}", "language": "en"}
    older = [posts[f"{HOME}/users/alice/statuses/{s}"] for s in (S12, S11, S10)]
    assert [(p["kind"], p["language"]) for p in older] == [("text", "en"), ("video", "de"), ("video", None)]
    cat = posts["https://other.example/users/bob/statuses/113565000000009999"]
    assert (cat["account_id"], cat["hashtags"], cat["mentions"]) == ("bob@other.example", ["catsofmastodon"],
                                                                     ["alice@mastodon.example"])
    assert cat["language"] is None  # "kab" is ISO 639-3: the bundle takes ISO 639-1 only

    comments = by_key(tables["comments"], "comment_id")
    c1 = "https://other.example/users/bob/statuses/113570000000005101"
    c2 = f"{HOME}/users/alice/statuses/113570000000000102"
    c5 = "https://third.example/users/carol/statuses/113550000000005105"
    assert sorted(comments) == sorted([c1, c2, c5])  # the private reply and the reply under it are left out
    assert comments[c1] == {"platform": "mastodon", "comment_id": c1, "post_id": loaf["post_id"],
                            "author_id": "bob@other.example", "author_handle": "bob@other.example",
                            "created_at": "2024-11-28T10:05:00.000Z", "text": "@alice looks perfect!",
                            "likes": 2, "reply_to": None}
    assert (comments[c2]["reply_to"], comments[c2]["author_id"]) == (c1, "alice@mastodon.example")
    assert comments[c5]["text"] == "@alice Magnifique !\n\nTu utilises quelle douille ?"
    assert comments[c5]["post_id"] == f"{HOME}/users/alice/statuses/{S11}"

    assert sorted(f["follower_id"] for f in tables["follows"]) == [
        "dave@mastodon.example", "erin@other.example", "feedbot@bots.example", "gone@third.example"]
    assert {f["followee_id"] for f in tables["follows"]} == {"alice@mastodon.example"}
    assert json.loads((tmp_path / "b" / "bundle.json").read_text())["platform"] == "mastodon"
    assert_no_token(tmp_path / "b")

    with Workspace(load_settings(None, db=tmp_path / "w.duckdb")) as ws:
        imported = ws.import_bundle(tmp_path / "b")
        counts = {t: ws.table(t).count().execute() for t in ("accounts", "posts", "comments", "follows")}
        stored = ws.table("posts").execute().set_index("post_id").loc[loaf["post_id"]]
    assert counts == {"accounts": 6, "posts": 5, "comments": 3, "follows": 4}
    assert list(imported.warnings) == []  # every column is one of SCHEMA.md's
    assert (list(stored["hashtags"]), int(stored["likes"])) == (["baking", "sourdough"], 31)


def test_search_and_followers_of_name_the_creators(tmp_path: Path) -> None:
    only_accounts = {"posts": 0, "comments": 0, "followers": 0}
    with LoopbackServer() as server:
        script(server)
        search_request = CollectRequest(search="bakers", max_accounts=5, **only_accounts)
        found, _ = run(server, tmp_path / "s", search_request, token=None)
        search = server.requests_to("/api/v2/search")
        followers, _ = run(server, tmp_path / "f", CollectRequest(followers_of="@alice", max_accounts=3,
                                                                    **only_accounts))
        pages = server.requests_to(FOLLOWERS)
    assert found.rows == {"accounts": 2}
    assert search[0].query == {"q": ["bakers"], "type": ["accounts"], "limit": ["5"]}  # no offset: anonymous
    assert "authorization" not in search[0].headers
    assert followers.rows == {"accounts": 4, "follows": 3}
    assert [(p.query["limit"], p.query.get("max_id")) for p in pages] == [(["3"], None), (["3"], ["7001"])]
    tables = rows(tmp_path / "f")
    assert sorted((f["follower_id"], f["followee_id"]) for f in tables["follows"]) == [
        ("dave@mastodon.example", "alice@mastodon.example"), ("erin@other.example", "alice@mastodon.example"),
        ("feedbot@bots.example", "alice@mastodon.example")]


# 2. rate limits and faults ---------------------------------------------------------------------------
def test_rate_limit_headers_are_honoured(tmp_path: Path) -> None:
    expected = clean_rows(tmp_path)
    with LoopbackServer() as server:
        # an exhausted window on a page, then a 429 as Mastodon sends it (no Retry-After, an ISO reset)
        server.reply(STATUSES, mastodon("statuses_alice_1.json"),
                     headers={**rate_headers(0, 1.2), **link(STATUSES, "limit=4", S12, S13)})
        server.reply("/api/v1/accounts/lookup", mastodon("error_rate_limited.json"), status=429,
                     query={"acct": "bob@other.example"}, headers=rate_headers(0, 0.5))
        script(server)
        started = time.monotonic()
        result, notes = run(server, tmp_path / "b")
        elapsed = time.monotonic() - started
    assert "(rate limit reached)" in notes and "(HTTP 429)" in notes
    assert elapsed >= 1.2  # about 1.2 s then 0.5 s, as the reset times said
    assert result.retries == 1
    assert len(server.requests_to(STATUSES)) == 2  # the exhausted window was waited out, not retried
    assert rows(tmp_path / "b") == expected


def test_5xx_and_a_dropped_connection_are_retried(tmp_path: Path) -> None:
    expected = clean_rows(tmp_path)
    with LoopbackServer() as server:
        server.reply(f"/api/v1/statuses/{S13}/context", "<html>502 Bad Gateway</html>", status=500,
                     headers={"retry-after": "0"})
        server.reply(STATUSES, mastodon("statuses_alice_2.json"), query={"max_id": S12}, drop_after=120)
        script(server)
        result, _ = run(server, tmp_path / "b")
    assert result.retries == 2
    assert len(server.requests_to(f"/api/v1/statuses/{S13}/context")) == 2
    assert rows(tmp_path / "b") == expected


# 3. kill and resume ----------------------------------------------------------------------------------
def cli(server: LoopbackServer, *args: str) -> list[str]:
    return [sys.executable, "-m", "microscout.cli", "collect", "mastodon", *args, "--service-url", server.url]


def cli_env() -> dict[str, str]:
    """The test's environment without any microscout setting of the developer's, plus the token."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROSCOUT_")}
    return {**env, "MICROSCOUT_MASTODON_ACCESS_TOKEN": TOKEN}


def handles_file(tmp_path: Path, *handles: str) -> str:
    path = tmp_path / "handles.txt"
    path.write_text("# creators\n" + "\n".join(handles) + "\n", encoding="utf-8")
    return str(path)


def test_a_killed_run_resumes_without_refetching_committed_pages(tmp_path: Path) -> None:
    expected = clean_rows(tmp_path)
    out = tmp_path / "killed"
    args = ["--handles", handles_file(tmp_path, "alice", "@bob@other.example"), *CLI_ARGS, "--out", str(out),
            "--no-import"]
    with LoopbackServer() as server:
        script(server)
        running: dict[str, subprocess.Popen[bytes]] = {}

        def kill_at_second_follower_page(request: Request) -> None:
            if request.path == FOLLOWERS and request.query.get("max_id") == ["7001"] and running:
                process = running.pop("cli")
                os.kill(process.pid, signal.SIGKILL)
                process.wait(timeout=20)

        server.on_request = kill_at_second_follower_page
        command = cli(server, *args)
        running["cli"] = process = subprocess.Popen(command, cwd=tmp_path, env=cli_env(),
                                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        process.communicate(timeout=60)
        assert process.returncode == -signal.SIGKILL
        assert (out / ".partial" / "checkpoint.json").exists() and not (out / "bundle.json").exists()
        assert_no_token(out)
        before = len(server.log)

        resumed = subprocess.run(command, cwd=tmp_path, env=cli_env(), capture_output=True, text=True,
                                 timeout=60)
        assert resumed.returncode == 0, resumed.stderr
        again = [(r.path, r.query.get("max_id", [None])[0]) for r in server.log[before:]]
    # only the page the kill interrupted and what came after it
    assert again == [(FOLLOWERS, "7001"), (f"/api/v1/accounts/{BOB}/statuses", None)]
    assert "resuming" in resumed.stderr
    tables = rows(out)
    for table, found in tables.items():
        keys = [tuple(r[c] for c in KEYS[table]) for r in found]
        assert len(keys) == len(set(keys)), table
    assert tables == expected
    assert_no_token(out)


# 4. malformed JSON -----------------------------------------------------------------------------------
def test_malformed_json_stops_the_run_with_one_line_and_imports_nothing(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with LoopbackServer() as server:
        server.reply(f"/api/v1/statuses/{S13}/context", '{"ancestors": [], "descendants": [{"id": "1",')
        script(server)
        done = subprocess.run(cli(server, "--handles", handles_file(tmp_path, "alice"), *CLI_ARGS,
                                  "--out", str(tmp_path / "b"), "--db", str(db)),
                              cwd=tmp_path, env=cli_env(), capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert lines[0].startswith(f"error: mastodon: GET /api/v1/statuses/{S13}/context: "
                               "the reply is not valid JSON")
    assert not (tmp_path / "b" / "bundle.json").exists()
    if db.exists():
        with Workspace(load_settings(None, db=db)) as ws:
            assert ws.table("accounts").count().execute() == 0


def test_a_reply_not_shaped_as_documented_is_a_clear_error(tmp_path: Path) -> None:
    page = mastodon("statuses_alice_1.json")
    del page[1]["uri"]
    with LoopbackServer() as server:
        server.reply(STATUSES, page)
        server.reply(f"/api/v1/accounts/{BOB}/statuses", {"statuses": []})  # an object where an array belongs
        script(server)
        with pytest.raises(ConnectorError) as missing:
            run(server, tmp_path / "a")
        with pytest.raises(ConnectorError) as wrong:
            run(server, tmp_path / "b", CollectRequest(handles=("bob@other.example",), followers=0))
    assert str(missing.value) == (f"mastodon: GET {STATUSES}: the reply lacks what the API reference "
                                  "documents (KeyError: 'uri'); nothing was imported")
    assert str(wrong.value) == (f"mastodon: GET /api/v1/accounts/{BOB}/statuses: expected a JSON array, got "
                                "dict; nothing was imported")
    assert not (tmp_path / "a" / "bundle.json").exists()


# 5. refusals -----------------------------------------------------------------------------------------
def test_an_invalid_token_is_one_clear_line_without_the_token(tmp_path: Path) -> None:
    with LoopbackServer() as server:
        server.reply("/api/v2/instance", mastodon("error_invalid_token.json"), status=401)
        done = subprocess.run(cli(server, "--handles", handles_file(tmp_path, "alice"),
                                  "--out", str(tmp_path / "b"), "--no-import"),
                              cwd=tmp_path, env=cli_env(), capture_output=True, text=True, timeout=60)
        sent = server.log[0].headers["authorization"]
    assert done.returncode == 2 and sent == f"Bearer {TOKEN}"
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines == ["error: mastodon: GET /api/v2/instance: HTTP 401: The access token is invalid: set a "
                     "valid access token (mastodon_access_token in the settings file or "
                     "MICROSCOUT_MASTODON_ACCESS_TOKEN), or unset it to read public data"]
    assert TOKEN not in done.stderr + done.stdout
    assert_no_token(tmp_path / "b")


def test_an_unknown_handle_is_named(tmp_path: Path) -> None:
    with LoopbackServer() as server:
        script(server)
        done = subprocess.run(cli(server, "--handles", handles_file(tmp_path, "ghost@other.example"),
                                  "--out", str(tmp_path / "b"), "--no-import"),
                              cwd=tmp_path, env=cli_env(), capture_output=True, text=True, timeout=60)
        # among others, an unknown handle is skipped with a note and the rest is collected
        result, notes = run(server, tmp_path / "mixed", CollectRequest(handles=("ghost", "alice"), posts=0,
                                                                        comments=0, followers=0))
    assert done.returncode == 2 and "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: mastodon: no account 'ghost@other.example' on {server.url}: check the "
                      "handles; an account of another server must be known to this one (or use its own "
                      "server as --service-url)"]
    assert result.rows == {"accounts": 1}
    assert f"no account 'ghost' on {server.url}: skipped" in notes


def test_handles_urls_and_bad_input() -> None:
    assert parse_handle("@Alice@Mastodon.Example") == "Alice@Mastodon.Example"
    assert parse_handle("https://other.example/@bob") == "bob@other.example"
    assert parse_handle("https://other.example/users/bob") == "bob@other.example"
    for bad in ("two words", "a@b@c", "https://other.example/about"):
        with pytest.raises(ConnectorError, match="mastodon: "):
            parse_handle(bad)
    bare = CollectRequest(handles=("a",), service_url="fosstodon.org/")
    assert MastodonConnector(settings(None), bare).service_url == "https://fosstodon.org"
    default = CollectRequest(handles=("a",))
    assert MastodonConnector(settings(None), default).service_url == "https://mastodon.social"


def test_html_and_link_reading() -> None:
    assert html_text("<p>a &amp; b</p><p>c<br>d</p>") == "a & b\n\nc\nd"
    assert html_text("") is None and html_text("<p></p>") is None
    links = '<a href="https://x.example/@y" class="u-url mention">@y</a> <a href="https://z.example">z</a>'
    assert html_links(links) == ["https://z.example"]
    assert html_links("see https://plain.example/x") == ["https://plain.example/x"]
    headers = {"link": '<https://m.example/api/v1/x?limit=2&max_id=7486869>; rel="next", '
                       '<https://m.example/api/v1/x?limit=2&since_id=7489740>; rel="prev"'}
    assert next_max_id(headers) == "7486869"
    assert next_max_id({"link": '<https://m.example/x?since_id=1>; rel="prev"'}) is None
    assert next_max_id({}) is None


def test_post_kind_from_the_attachments() -> None:
    mapper = Mapper("Mastodon.Example")
    status = {**mastodon("statuses_alice_1.json")[0], "language": "EN"}
    kinds = []
    for media in ([], [{"type": "image"}, {"type": "image"}], [{"type": "image"}, {"type": "gifv"}],
                  [{"type": "audio"}], [{"type": "unknown"}]):
        kinds.append(mapper.post({**status, "media_attachments": media}, "alice@mastodon.example")["kind"])
    assert kinds == ["text", "photo", "video", None, None]
    assert mapper.post(status, "x")["language"] == "en"
    assert mapper.handle("Zed") == "Zed@mastodon.example"
    assert mapper.account_id("Zed") == "zed@mastodon.example"


# 6. the fixtures against Mastodon.py's typed entities ------------------------------------------------
TARGET = (4, 3, 0)  # the Mastodon version whose replies the fixtures are (README.md)
ENTITY_OF = {"instance": "InstanceV2", "account": "Account", "statuses": "list[Status]", "context": "Context",
             "followers": "list[Account]", "search": "SearchV2"}
# fields Mastodon.py declares as always sent that the API reference documents otherwise
NOT_ALWAYS_SENT = {("Account", "mute_expires_at"): "only on MutedAccount (entities/Account#MutedAccount)",
                   ("Account", "noindex"): "optional, local accounts only (entities/Account#noindex)"}
# fields the API reference shows that Mastodon.py does not declare: the top level of a video's `meta`
# (entities/MediaAttachment, "Video" and "GIFV" examples); nothing the connector reads
UNDECLARED = {("MediaAttachmentMetadataContainer", key)
              for key in ("length", "duration", "fps", "size", "width", "height", "aspect")}
# every entity field the connector reads, with the type the connector expects
READS = {
    "InstanceV2": {"domain": str},
    "SearchV2": {"accounts": list},
    "Account": {"id": str, "acct": str, "display_name": str, "note": str, "followers_count": int,
                "following_count": int, "statuses_count": int, "fields": list, "locked": bool, "avatar": str,
                "bot": bool, "created_at": datetime, "hide_collections": bool, "suspended": bool},
    "AccountField": {"value": str, "verified_at": str},
    "Status": {"id": str, "uri": str, "url": str, "created_at": datetime, "content": str, "tags": list,
               "mentions": list, "media_attachments": list, "favourites_count": int, "replies_count": int,
               "reblogs_count": int, "language": str, "visibility": str, "reblog": dict,
               "in_reply_to_id": str, "account": dict},
    "Tag": {"name": str}, "StatusMention": {"acct": str}, "MediaAttachment": {"type": str},
    "Context": {"descendants": list},
}


@functools.cache
def declared() -> dict[str, dict[str, tuple[tuple[int, ...], bool]]]:
    """(version added, optional) per entity and field, from the docstrings Mastodon.py puts under
    each attribute ('Version history: * 4.2.0: added', '(optional)')."""
    tree = ast.parse(Path(return_types.__file__).read_text(encoding="utf-8"))
    found: dict[str, dict[str, tuple[tuple[int, ...], bool]]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        fields = found.setdefault(node.name, {})
        for item, doc in zip(node.body, [*node.body[1:], None], strict=True):
            if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
                is_doc = isinstance(doc, ast.Expr) and isinstance(doc.value, ast.Constant)
                text = doc.value.value if is_doc else ""  # type: ignore[union-attr]
                added = next((line.split("*", 1)[1].split(":")[0].strip() for line in str(text).splitlines()
                              if line.strip().startswith("*") and line.strip().endswith("added")), "0")
                fields[item.target.id] = (tuple(int(p) for p in added.split(".")), "(optional" in str(text))
    return found


def check(value: Any, hint: Any, where: str, problems: list[str]) -> None:
    """`value` (parsed JSON) against a Mastodon.py type hint."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Union or origin is types.UnionType:
        if value is None and type(None) in args:
            return
        for option in (a for a in args if a is not type(None)):
            attempt: list[str] = []
            check(value, option, where, attempt)
            if not attempt:
                return
        problems.append(f"{where}: {value!r:.60} is none of {hint}")
    elif isinstance(origin, type) and issubclass(origin, list):
        if not isinstance(value, list):
            problems.append(f"{where}: expected a list, got {value!r:.60}")
            return
        for i, item in enumerate(value):
            check(item, args[0] if args else Any, f"{where}[{i}]", problems)
    elif isinstance(hint, type) and issubclass(hint, AttribAccessDict) and hint is not AttribAccessDict:
        check_entity(hint.__name__, value, where, problems)
    elif hint is AttribAccessDict or origin is dict:
        if not isinstance(value, dict):
            problems.append(f"{where}: expected an object, got {value!r:.60}")
    elif hint is datetime:
        try:
            datetime.fromisoformat(value)
        except (TypeError, ValueError):
            problems.append(f"{where}: {value!r} is not an ISO 8601 time")
    elif hint is bool or (isinstance(hint, type) and issubclass(hint, str)):
        # MaybeSnowflakeIdType is a str: Mastodon sends ids as strings
        if not isinstance(value, str if hint is not bool else bool):
            problems.append(f"{where}: expected {hint.__name__}, got {value!r:.60}")
    elif hint is int or hint is float:
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if not number or (hint is int and isinstance(value, float)):
            problems.append(f"{where}: expected {hint.__name__}, got {value!r:.60}")
    elif isinstance(hint, type) and not isinstance(value, hint):
        problems.append(f"{where}: expected {hint.__name__}, got {value!r:.60}")


def check_entity(name: str, value: Any, where: str, problems: list[str]) -> None:
    if not isinstance(value, dict):
        problems.append(f"{where}: expected a {name} object, got {value!r:.60}")
        return
    cls = getattr(return_types, name)
    hints = typing.get_type_hints(cls)
    # Mastodon.py renames the keys that are no Python names ("@1x" -> at1x)
    field_of = {wire: field for field, wire in getattr(cls, "_rename_map", {}).items()}
    fields = {field_of.get(key, key): item for key, item in value.items()}
    for key, item in fields.items():
        if key in hints:
            check(item, hints[key], f"{where}.{key}", problems)
        elif (name, key) not in UNDECLARED:
            problems.append(f"{where}.{key}: not a field of {name}")
    for key, (added, optional) in declared()[name].items():
        if key not in fields and added <= TARGET and not optional and (name, key) not in NOT_ALWAYS_SENT:
            problems.append(f"{where}: {name}.{key} (since {'.'.join(map(str, added))}) is missing")


@pytest.mark.parametrize("path", sorted((FIXTURES / "mastodon").glob("*.json")), ids=lambda p: p.stem)
def test_fixture_matches_mastodon_py_entities(path: Path) -> None:
    body = json.loads(path.read_text(encoding="utf-8"))
    kind = path.stem.split("_")[0]
    problems: list[str] = []
    if kind == "error":  # every refusal in the reference is {"error": "..."}
        assert list(body) == ["error"] and isinstance(body["error"], str)
        return
    entity = ENTITY_OF[kind]
    if entity.startswith("list["):
        check(body, list[getattr(return_types, entity[5:-1])], path.stem, problems)  # type: ignore[misc]
    else:
        check_entity(entity, body, path.stem, problems)
    assert problems == []
    # the values Mastodon.py casts must survive its own parsing
    typed = getattr(return_types, ENTITY_OF[kind].removeprefix("list[").removesuffix("]"))
    for item in body if isinstance(body, list) else [body]:
        assert isinstance(typed(**item), AttribAccessDict)


def test_the_fields_the_connector_reads_are_declared_with_their_types() -> None:
    for entity, fields in READS.items():
        hints = typing.get_type_hints(getattr(return_types, entity))
        for name, expected in fields.items():
            assert name in hints, f"{entity}.{name}"
            hint = hints[name]
            if typing.get_origin(hint) is typing.Union:
                hint = next(a for a in typing.get_args(hint) if a is not type(None))
            base = typing.get_origin(hint) or hint
            ok = issubclass(base, expected) or (expected is dict and issubclass(base, AttribAccessDict))
            assert ok, f"{entity}.{name}: Mastodon.py says {hints[name]}, the connector reads {expected}"


def test_fixture_values_are_within_the_documented_enumerations() -> None:
    statuses = [s for name in ("statuses_alice_1", "statuses_alice_2", "statuses_bob")
                for s in mastodon(f"{name}.json")]
    for name in ("context_113570000000000013", "context_113550000000000011"):
        statuses += mastodon(f"{name}.json")["descendants"]
    assert {s["visibility"] for s in statuses} <= {"public", "unlisted", "private", "direct"}
    media = {m["type"] for s in statuses for m in s["media_attachments"]}
    assert media == {"image", "video", "gifv"} and media <= {"unknown", "image", "gifv", "video", "audio"}
    assert all(s["language"] is None or len(s["language"]) in (2, 3) for s in statuses)


def test_the_check_catches_what_breaks_the_reference() -> None:
    alice = mastodon("account_alice.json")
    broken = {**alice, "followers_count": "1523", "followers": 1523, "fields": [{"name": "x", "value": 3}]}
    del broken["uri"]
    problems: list[str] = []
    check_entity("Account", broken, "alice", problems)
    assert sorted(problems) == ["alice.fields[0].value: expected str, got 3",
                                "alice.fields[0]: AccountField.verified_at (since 2.6.0) is missing",
                                "alice.followers: not a field of Account",
                                "alice.followers_count: expected int, got '1523'",
                                "alice: Account.uri (since 4.2.0) is missing"]
