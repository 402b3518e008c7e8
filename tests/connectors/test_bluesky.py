"""The Bluesky connector against a real loopback server serving replies written from the
app.bsky lexicons (tests/connectors/fixtures/bluesky/README.md): a full collect that imports, rate
limits and failures that end in the same bundle, a killed run that resumes, clear one-line
errors, and the fixtures checked against atproto's lexicon models."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from tests.connectors.loopback import FIXTURES, LoopbackServer, Request, fixture

from microscout.config import load_settings
from microscout.connectors import CollectJob, CollectRequest, ConnectorError, collect
from microscout.connectors.bluesky import BlueskyConnector, mentions, normalise_actor
from microscout.connectors.job import KEYS
from microscout.workspace import Workspace

LENA, OLA = "did:plc:lenazq7zk5x2maw3vn4rt6yh", "did:plc:olazq7zk5x2maw3vn4rt6yhb"
MIRA, JONAS, XK, GONE = ("did:plc:mirazq7zk5x2maw3vn4rt6yh", "did:plc:jonaszq7zk5x2maw3vn4rt6y",
                         "did:plc:xkzq7zk5x2maw3vn4rt6yhbc", "did:plc:gonezq7zk5x2maw3vn4rt6yh")
L1, L2, L3 = (f"at://{LENA}/app.bsky.feed.post/3m3b2lpst1aa2", f"at://{LENA}/app.bsky.feed.post/3m3a7lpst2bb2",
              f"at://{LENA}/app.bsky.feed.post/3m2xklpst3dd2")
O1, O2 = f"at://{OLA}/app.bsky.feed.post/3m3c4opst1ee2", f"at://{OLA}/app.bsky.feed.post/3m2zaopst2ff2"
R1, R2, R3, R4 = (f"at://{MIRA}/app.bsky.feed.post/3m3b3mrep1aa2", f"at://{LENA}/app.bsky.feed.post/3m3b3lrep2aa2",
                  f"at://{MIRA}/app.bsky.feed.post/3m3b4mrep3aa2", f"at://{OLA}/app.bsky.feed.post/3m3b5orep4aa2")
HANDLES = ("@Lena.bsky.social", "https://bsky.app/profile/ola.cooks.bsky.social")
REQUEST = CollectRequest(handles=HANDLES)
X = "/xrpc/"
PROFILES, FEED, THREAD, FOLLOWERS, SEARCH = (X + "app.bsky.actor.getProfiles", X + "app.bsky.feed.getAuthorFeed",
                                             X + "app.bsky.feed.getPostThread", X + "app.bsky.graph.getFollowers",
                                             X + "app.bsky.actor.searchActors")
#: route -> recorded reply: (path, query the request must hold, fixture file)
ROUTES: list[tuple[str, dict[str, Any], str]] = [
    (PROFILES, {"actors": ["lena.bsky.social", "ola.cooks.bsky.social"]}, "getProfiles.creators.json"),
    (FEED, {"actor": LENA}, "getAuthorFeed.lena.1.json"),
    (FEED, {"actor": LENA, "cursor": "2026-10-04T16:00:00.000Z"}, "getAuthorFeed.lena.2.json"),
    (FEED, {"actor": OLA}, "getAuthorFeed.ola.1.json"),
    (FEED, {"actor": OLA, "cursor": "2026-10-06T07:30:00.000Z"}, "getAuthorFeed.ola.2.json"),
    (THREAD, {"uri": L1}, "getPostThread.lena-1.json"),
    (THREAD, {"uri": L3}, "getPostThread.lena-3.json"),
    (THREAD, {"uri": O1}, "getPostThread.ola-1.json"),
    (FOLLOWERS, {"actor": LENA}, "getFollowers.lena.1.json"),
    (FOLLOWERS, {"actor": LENA, "cursor": "3m2vq5fol2aa2"}, "getFollowers.lena.2.json"),
    (FOLLOWERS, {"actor": OLA}, "getFollowers.ola.1.json"),
    (PROFILES, {"actors": [MIRA, JONAS, XK, GONE]}, "getProfiles.followers.json"),
]
#: what the AppView sends with every reply (the IETF draft headers; reset in epoch seconds)
RATE = {"ratelimit-limit": "3000", "ratelimit-remaining": "2987", "ratelimit-policy": "3000;w=300"}


def rate_headers(remaining: int = 2987, reset_in: int = 300) -> dict[str, str]:
    return {**RATE, "ratelimit-remaining": str(remaining), "ratelimit-reset": str(int(time.time()) + reset_in)}


def script(server: LoopbackServer, before: dict[str, list[dict[str, Any]]] | None = None) -> None:
    """The recorded replies; `before[file]` are replies served first on that file's route."""
    for path, query, name in ROUTES:
        for fault in (before or {}).get(name, []):
            server.reply(path, fault.get("body", {}), query=query, status=fault.get("status", 200),
                         headers=fault.get("headers"), drop_after=fault.get("drop_after"))
        server.reply(path, fixture(f"bluesky/{name}"), query=query, headers=rate_headers())


def run(server: LoopbackServer, out: Path, request: CollectRequest = REQUEST,
        waits: list[float] | None = None) -> tuple[dict[str, int], str, int]:
    """A collection through the real client, its sleeps recorded in `waits` (none taken):
    (rows per table, the notes printed, retries)."""
    settings = load_settings(None, db=out.parent / "w.duckdb")
    connector = BlueskyConnector(settings, replace(request, service_url=server.url))
    notes = io.StringIO()
    job = CollectJob(out, "bluesky", connector.request, connector.service_url, console=Console(file=notes, width=300))
    with connector.client() as client:
        client.sleep = (waits if waits is not None else []).append
        try:
            connector.collect(job, client)
            counts = job.finish("test")
        finally:
            job.close()
        return counts, notes.getvalue(), client.retries


def rows(out: Path) -> dict[str, list[dict[str, Any]]]:
    """Every table of a bundle, sorted by key, after checking each key occurs once."""
    tables = {}
    for table, key in KEYS.items():
        path = out / f"{table}.jsonl"
        if not path.exists():
            continue
        data = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        keys = [tuple(r[c] for c in key) for r in data]
        assert len(keys) == len(set(keys)), f"duplicate keys in {table}"
        tables[table] = sorted(data, key=lambda r, key=key: tuple(str(r[c]) for c in key))
    return tables


def by(table: list[dict[str, Any]], column: str) -> dict[str, dict[str, Any]]:
    return {r[column]: r for r in table}


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    out = tmp_path_factory.mktemp("clean") / "bundle"
    with LoopbackServer() as server:
        script(server)
        run(server, out)
    return rows(out)


# 1. a full collect ------------------------------------------------------------------------------
def test_full_collect_pages_maps_the_lexicon_and_imports(tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    notes = io.StringIO()
    settings = load_settings(None, db=tmp_path / "w.duckdb")
    with LoopbackServer() as server:
        script(server)
        result = collect(settings, "bluesky", replace(REQUEST, service_url=server.url), out,
                         console=Console(file=notes, width=300))
        log = list(server.log)
    assert result.rows == {"accounts": 5, "posts": 5, "comments": 6, "follows": 6}
    assert notes.getvalue() == ""
    assert result.requests == len(log) == 12 and result.retries == 0

    # every page once; no thread asked for the posts without replies; no credentials sent
    feeds = [(r.query["actor"][0], r.query.get("cursor", [None])[0]) for r in log if r.path == FEED]
    assert feeds == [(LENA, None), (LENA, "2026-10-04T16:00:00.000Z"), (OLA, None), (OLA, "2026-10-06T07:30:00.000Z")]
    assert all(r.query["filter"] == ["posts_no_replies"] and r.query["limit"] == ["50"] for r in log if r.path == FEED)
    assert [r.query["uri"][0] for r in log if r.path == THREAD] == [L1, L3, O1]
    assert all(r.query["limit"] == ["100"] for r in log if r.path == FOLLOWERS)
    assert [r.query["actors"] for r in log if r.path == PROFILES] == [
        ["lena.bsky.social", "ola.cooks.bsky.social"], [MIRA, JONAS, XK, GONE]]
    assert not any("authorization" in r.headers for r in log)

    b = rows(out)
    accounts = by(b["accounts"], "account_id")
    assert set(accounts) == {LENA, OLA, MIRA, JONAS, XK}  # GONE: left out by getProfiles
    assert accounts[LENA] == {
        "platform": "bluesky", "account_id": LENA, "handle": "lena.bsky.social", "display_name": "Lena Bakes 🌱",
        "bio": "Vegan baking in Berlin 🥐 Rezepte, Workshops. Kooperationen: hallo@lenabakes.example",
        "followers": 12840, "following": 311, "posts_count": 1520, "verified": None, "is_private": False,
        "has_profile_pic": True, "external_url": "https://lenabakes.example", "created_at": "2023-05-02T10:11:12.000Z"}
    assert (accounts[OLA]["verified"], accounts[OLA]["has_profile_pic"], accounts[OLA]["followers"]) == (True, False, 4302)
    assert (accounts[XK]["display_name"], accounts[XK]["bio"], accounts[XK]["followers"],
            accounts[XK]["following"], accounts[XK]["has_profile_pic"]) == (None, "", 0, 2001, False)

    posts = by(b["posts"], "post_id")
    assert set(posts) == {L1, L2, L3, O1, O2}  # the repost of someone else's post is not Lena's
    assert posts[L1] == {
        "platform": "bluesky", "post_id": L1, "account_id": LENA, "created_at": "2026-10-05T09:15:00.000Z",
        "kind": "photo", "caption": "Zimtschnecken 🍥 mit @Ola.Cooks.bsky.social! #VeganBacken #berlin",
        "hashtags": ["veganbacken", "berlin", "plantbased"], "mentions": ["ola.cooks.bsky.social"],
        "likes": 412, "comments": 3, "shares": 25, "saves": 9, "views": None,
        "url": "https://bsky.app/profile/lena.bsky.social/post/3m3b2lpst1aa2", "language": "de"}
    assert (posts[L2]["kind"], posts[L2]["language"], posts[L2]["hashtags"], posts[L2]["shares"]) == ("text", "en", [], 2)
    assert (posts[L3]["kind"], posts[L3]["hashtags"], posts[L3]["shares"], posts[L3]["saves"]) == ("video", ["rezept"], 77, None)
    assert (posts[O1]["kind"], posts[O1]["shares"]) == ("photo", 4)  # a quote with images
    assert posts[O2]["language"] is None

    comments = by(b["comments"], "comment_id")
    assert len(comments) == 6  # the deleted and the blocked reply are left out
    assert {c: (comments[c]["post_id"], comments[c]["reply_to"]) for c in (R1, R2, R3, R4)} == {
        R1: (L1, None), R2: (L1, R1), R3: (L1, R2), R4: (L1, None)}
    assert comments[R2] == {
        "platform": "bluesky", "comment_id": R2, "post_id": L1, "author_id": LENA, "author_handle": "lena.bsky.social",
        "created_at": "2026-10-05T10:20:00.000Z", "text": "Danke dir! Rezept kommt am Freitag.", "likes": 1,
        "reply_to": R1}
    assert sorted(c["post_id"] for c in comments.values()).count(O1) == 1

    assert sorted((f["follower_id"], f["followee_id"]) for f in b["follows"]) == sorted([
        (MIRA, LENA), (JONAS, LENA), (XK, LENA), (MIRA, OLA), (LENA, OLA), (GONE, OLA)])

    with Workspace(load_settings(None, db=tmp_path / "w.duckdb")) as ws:
        ws.import_bundle(out)
        assert {t: ws.table(t).count().execute() for t in ("accounts", "posts", "comments", "follows")} == {
            "accounts": 5, "posts": 5, "comments": 6, "follows": 6}


def test_search_takes_max_accounts_and_reads_their_counts(tmp_path: Path) -> None:
    with LoopbackServer() as server:
        server.reply(SEARCH, fixture("bluesky/searchActors.1.json"), query={"q": "vegan baking"})
        server.reply(SEARCH, fixture("bluesky/searchActors.2.json"), query={"q": "vegan baking", "cursor": "2"})
        server.reply(PROFILES, fixture("bluesky/getProfiles.search.json"), query={"actors": [LENA, OLA, MIRA]})
        request = CollectRequest(search="vegan baking", max_accounts=3, posts=0, followers=0)
        counts, _, _ = run(server, tmp_path / "b", request)
        assert [r.query.get("limit") for r in server.requests_to(SEARCH)] == [["3"], ["3"]]
    assert counts == {"accounts": 3}
    assert {a["account_id"]: a["followers"] for a in rows(tmp_path / "b")["accounts"]} == {
        LENA: 12840, OLA: 4302, MIRA: 210}


def test_followers_of_collects_the_followers_as_creators(tmp_path: Path) -> None:
    profiles = fixture("bluesky/getProfiles.followers.json")
    with LoopbackServer() as server:
        server.reply(FOLLOWERS, fixture("bluesky/getFollowers.lena.1.json"), query={"actor": "lena.bsky.social"})
        server.reply(PROFILES, {"profiles": profiles["profiles"][:2]}, query={"actors": [MIRA, JONAS]})
        request = CollectRequest(followers_of="@Lena.bsky.social", max_accounts=2, posts=0, followers=0)
        counts, _, _ = run(server, tmp_path / "b", request)
    b = rows(tmp_path / "b")
    assert counts == {"accounts": 2, "follows": 2}
    assert [a["handle"] for a in b["accounts"]] == ["jonasbrandt.de", "mira.bsky.social"]
    assert {(f["follower_id"], f["followee_id"]) for f in b["follows"]} == {(MIRA, LENA), (JONAS, LENA)}


def test_follower_profiles_are_read_25_at_a_time(tmp_path: Path) -> None:
    creator = fixture("bluesky/getProfiles.creators.json")["profiles"][0]
    template = fixture("bluesky/getFollowers.lena.1.json")["followers"][0]
    detailed = fixture("bluesky/getProfiles.followers.json")["profiles"][0]
    dids = [f"did:plc:fan{i:02d}".replace("0", "a").replace("1", "b").replace("8", "c").replace("9", "d")
            for i in range(30)]
    followers = [{**template, "did": d, "handle": f"fan{i}.bsky.social"} for i, d in enumerate(dids)]
    with LoopbackServer() as server:
        server.reply(PROFILES, {"profiles": [creator]}, query={"actors": ["lena.bsky.social"]})
        server.reply(FOLLOWERS, {"followers": followers, "subject": template}, query={"actor": LENA})
        for batch in (dids[:25], dids[25:]):
            server.reply(PROFILES, {"profiles": [{**detailed, "did": d, "handle": "fan.bsky.social"} for d in batch]},
                         query={"actors": batch})
        counts, _, _ = run(server, tmp_path / "b", CollectRequest(handles=("lena.bsky.social",), posts=0, followers=30))
        assert [len(r.query["actors"]) for r in server.requests_to(PROFILES)] == [1, 25, 5]
        assert server.requests_to(FOLLOWERS)[0].query["limit"] == ["30"]
    assert counts == {"accounts": 31, "follows": 30}


# 2. rate limits and failures end in the same bundle ------------------------------------------------
def faults() -> dict[str, tuple[str, list[dict[str, Any]]]]:
    """Replies served before the recorded one, by the fixture whose route they precede; the
    reset times are made when the test runs."""
    return {
    "429 with Bluesky's rate-limit headers": (
        "getAuthorFeed.lena.2.json", [{"status": 429, "body": fixture("bluesky/error.rate-limit.json"),
                                       "headers": {**RATE, "ratelimit-remaining": "0",
                                                   "ratelimit-reset": str(int(time.time()) + 30)}}]),
    "an exhausted window on a success": (
        "getProfiles.creators.json", [{"body": fixture("bluesky/getProfiles.creators.json"),
                                       "headers": {**RATE, "ratelimit-remaining": "0",
                                                   "ratelimit-reset": str(int(time.time()) + 120)}}]),
    "500 then success": (
        "getPostThread.lena-1.json", [{"status": 500, "body": fixture("bluesky/error.internal.json"),
                                       "headers": {"retry-after": "0"}}]),
    "502 twice then success": (
        "getFollowers.ola.1.json", [{"status": 502, "body": "<html>Bad Gateway</html>", "headers": {"retry-after": "0"}}] * 2),
    "a connection dropped mid-page": (
        "getFollowers.lena.1.json", [{"body": fixture("bluesky/getFollowers.lena.1.json"), "drop_after": 60}]),
    }


@pytest.mark.parametrize("fault", list(faults()))
def test_rate_limits_and_failures_end_in_the_same_bundle(fault: str, tmp_path: Path,
                                                         clean: dict[str, list[dict[str, Any]]]) -> None:
    name, before = faults()[fault]
    waits: list[float] = []
    with LoopbackServer() as server:
        script(server, {name: before})
        _, notes, retries = run(server, tmp_path / "b", waits=waits)
    assert rows(tmp_path / "b") == clean
    assert notes == ""
    if fault.startswith("429"):
        assert retries == 1 and len(waits) == 1 and 25 <= waits[0] <= 31  # until ratelimit-reset
    elif fault.startswith("an exhausted"):
        assert retries == 0 and len(waits) == 1 and 115 <= waits[0] <= 121  # before the next call
    elif fault.startswith("a connection"):
        assert retries == 1 and len(waits) == 1 and 0 < waits[0] <= 0.5  # backoff
    else:
        assert retries == len(before) and waits == []  # retry-after: 0


def test_a_creator_whose_feed_is_gone_is_skipped_with_a_note(tmp_path: Path) -> None:
    with LoopbackServer() as server:
        server.reply(FEED, fixture("bluesky/error.profile-not-found.json"), query={"actor": OLA}, status=400)
        script(server)
        counts, notes, _ = run(server, tmp_path / "b", replace(REQUEST, followers=0))
    assert counts["posts"] == 3 and {p["account_id"] for p in rows(tmp_path / "b")["posts"]} == {LENA}
    assert notes.strip() == ("bluesky: ola.cooks.bsky.social: no such account or post, or it is not "
                             "public (InvalidRequest: Profile not found); its posts are skipped")


def test_a_page_of_reposts_only_does_not_end_the_feed(tmp_path: Path) -> None:
    page = fixture("bluesky/getAuthorFeed.lena.1.json")
    reposts = {"feed": [item for item in page["feed"] if "reason" in item], "cursor": "r1"}
    with LoopbackServer() as server:
        server.reply(PROFILES, {"profiles": fixture("bluesky/getProfiles.creators.json")["profiles"][:1]},
                     query={"actors": ["lena.bsky.social"]})
        server.reply(FEED, reposts, query={"actor": LENA})
        server.reply(FEED, fixture("bluesky/getAuthorFeed.lena.2.json"), query={"actor": LENA, "cursor": "r1"})
        server.reply(THREAD, fixture("bluesky/getPostThread.lena-3.json"), query={"uri": L3})
        counts, _, _ = run(server, tmp_path / "b", CollectRequest(handles=("lena.bsky.social",), followers=0))
    assert len(reposts["feed"]) == 1
    assert counts == {"accounts": 1, "posts": 1, "comments": 1}


# 3. kill and resume ---------------------------------------------------------------------------------
def cli(server: LoopbackServer, cwd: Path, *args: str) -> subprocess.Popen[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROSCOUT_")}
    return subprocess.Popen([sys.executable, "-m", "microscout.cli", "collect", "bluesky", *args,
                             "--service-url", server.url], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def handles_file(tmp_path: Path, *handles: str) -> str:
    path = tmp_path / "handles.txt"
    path.write_text("# creators\n" + "\n".join(handles) + "\n", encoding="utf-8")
    return str(path)


def test_a_killed_run_resumes_without_fetching_committed_pages_again(
        tmp_path: Path, clean: dict[str, list[dict[str, Any]]]) -> None:
    out = tmp_path / "bundle"
    args = ("--handles", handles_file(tmp_path, *HANDLES), "--out", str(out), "--no-import")
    proc: list[subprocess.Popen[str]] = []

    def kill_on_second_thread(request: Request) -> None:
        if request.path == THREAD and request.query["uri"] == [L3] and proc:
            os.kill(proc[0].pid, signal.SIGKILL)
            proc.clear()

    with LoopbackServer() as server:
        script(server)
        server.on_request = kill_on_second_thread
        proc.append(cli(server, tmp_path, *args))
        first = proc[0]
        first.communicate(timeout=30)
        assert first.returncode == -signal.SIGKILL and (out / ".partial" / "checkpoint.json").exists()
        before = len(server.log)
        second = cli(server, tmp_path, *args)
        _, err = second.communicate(timeout=30)
        assert second.returncode == 0, err
        assert "resuming" in err
        again = server.log[before:]
    asked = [(r.path, r.query.get("uri", r.query.get("actor", r.query.get("actors")))) for r in again]
    # the pages committed before the kill are not fetched again; the interrupted thread is
    assert asked[0] == (THREAD, [L3])
    assert not any(r.path in (PROFILES, FEED) and r.query.get("actor") == [LENA] for r in again)
    assert [r.query["actors"] for r in again if r.path == PROFILES] == [[MIRA, JONAS, XK, GONE]]
    assert (THREAD, [L1]) not in asked
    assert rows(out) == clean
    assert not (out / ".partial").exists()


# 4. malformed JSON ----------------------------------------------------------------------------------
def test_malformed_json_is_one_line_and_nothing_is_imported(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with LoopbackServer() as server:
        server.reply(THREAD, '{"thread": {"$type": "app.bsky.feed.defs#threadViewPost", "post": {',
                     query={"uri": O1})
        script(server)
        p = cli(server, tmp_path, "--handles", handles_file(tmp_path, *HANDLES), "--out", str(tmp_path / "b"),
                "--db", str(db))
        _, err = p.communicate(timeout=30)
    assert p.returncode == 2
    assert err.strip().splitlines() == [
        "error: bluesky: GET /xrpc/app.bsky.feed.getPostThread: the reply is not valid JSON (Expecting property "
        "name enclosed in double quotes at character 67); nothing was imported"]
    assert "Traceback" not in err
    if db.exists():
        with Workspace(load_settings(None, db=db)) as ws:
            assert ws.table("accounts").count().execute() == 0


# 5. clear messages: unknown handles, a service that asks for a login ---------------------------------
def test_unknown_handles_are_named_in_one_line_and_the_rest_collected(tmp_path: Path) -> None:
    with LoopbackServer() as server:
        # getProfiles leaves out what it does not know; a malformed handle is never sent
        server.reply(PROFILES, fixture("bluesky/getProfiles.creators.json"),
                     query={"actors": ["lena.bsky.social", "ola.cooks.bsky.social", "ghost.bsky.social"]})
        request = CollectRequest(handles=(*HANDLES, "ghost.bsky.social", "not a handle"), posts=0, followers=0)
        counts, notes, _ = run(server, tmp_path / "b", request)
    assert counts == {"accounts": 2}
    assert notes.strip() == "bluesky: 2 of 4 handles not found, skipped: ghost.bsky.social, not a handle"


def test_no_known_handle_is_an_error_naming_them(tmp_path: Path) -> None:
    with LoopbackServer() as server:
        server.reply(PROFILES, {"profiles": []}, query={"actors": ["ghost.bsky.social"]})
        p = cli(server, tmp_path, "--handles", handles_file(tmp_path, "@Ghost.bsky.social"), "--out",
                str(tmp_path / "b"), "--no-import")
        _, err = p.communicate(timeout=30)
    assert p.returncode == 2
    assert err.strip().splitlines() == ["error: bluesky: no account found for ghost.bsky.social: check the handles "
                                        "(they look like name.bsky.social) and --service-url"]


def test_followers_of_an_unknown_account_and_a_login_wall_are_clear(tmp_path: Path) -> None:
    with LoopbackServer() as server:
        server.reply(FOLLOWERS, fixture("bluesky/error.profile-not-found.json"), status=400,
                     query={"actor": "ghost.bsky.social"})
        server.reply(PROFILES, fixture("bluesky/error.auth-missing.json"), status=401)
        with pytest.raises(ConnectorError) as unknown:
            run(server, tmp_path / "a", CollectRequest(followers_of="ghost.bsky.social"))
        with pytest.raises(ConnectorError) as login:
            run(server, tmp_path / "b", CollectRequest(handles=("lena.bsky.social",)))
        assert not any("authorization" in r.headers for r in server.log)
    assert str(unknown.value) == ("bluesky: ghost.bsky.social: no such account or post, or it is not public "
                                  "(InvalidRequest: Profile not found)")
    assert str(login.value) == (
        "bluesky: GET /xrpc/app.bsky.actor.getProfiles: HTTP 401 AuthMissing: this service asks for a login, which "
        "microscout does not send; use a public AppView (https://public.api.bsky.app) or check --service-url")
    assert "\n" not in str(login.value)


# helpers --------------------------------------------------------------------------------------------
def test_mentions_slice_the_utf8_bytes_the_facets_name() -> None:
    text = "Grüße 🍥 an @Ola.Cooks.bsky.social und @mira.bsky.social"
    raw = text.encode()

    def facet(needle: str) -> dict[str, Any]:
        start = raw.index(needle.encode())
        return {"index": {"byteStart": start, "byteEnd": start + len(needle.encode())},
                "features": [{"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:x"}]}

    record = {"text": text, "facets": [facet("@Ola.Cooks.bsky.social"), facet("@mira.bsky.social"),
                                        {"index": {"byteStart": 7, "byteEnd": 9}, "features": [
                                            {"$type": "app.bsky.richtext.facet#mention", "did": "did:plc:y"}]}]}
    assert mentions(record) == ["ola.cooks.bsky.social", "mira.bsky.social"]  # a slice inside 🍥 is dropped


@pytest.mark.parametrize(("typed", "actor"), [
    ("@Lena.Bsky.Social", "lena.bsky.social"), (" https://bsky.app/profile/ola.cooks.bsky.social/post/3k ",
                                                "ola.cooks.bsky.social"),
    ("did:plc:lenazq7zk5x2maw3vn4rt6yh", "did:plc:lenazq7zk5x2maw3vn4rt6yh")])
def test_handles_are_taken_as_typed(typed: str, actor: str) -> None:
    assert normalise_actor(typed) == actor


# 6. the fixtures against Bluesky's lexicons -----------------------------------------------------------
def test_fixtures_follow_the_lexicons() -> None:
    from atproto_client import models  # noqa: F401  (resolves the models' forward references)
    from atproto_client.models.app.bsky.actor import get_profiles, search_actors
    from atproto_client.models.app.bsky.feed import get_author_feed, get_post_thread
    from atproto_client.models.app.bsky.graph import get_followers
    from atproto_client.models.dot_dict import DotDict
    from pydantic import BaseModel

    responses = {"getProfiles": get_profiles.Response, "searchActors": search_actors.Response,
                 "getAuthorFeed": get_author_feed.Response, "getPostThread": get_post_thread.Response,
                 "getFollowers": get_followers.Response}

    def no_unknowns(value: Any, where: str) -> None:
        """Every object is one the lexicon names, with no field it does not define (a misspelt
        field or $type would otherwise pass as an open union or an extra)."""
        assert not isinstance(value, DotDict), f"{where}: not an object of the lexicon: {dict(value)}"
        if isinstance(value, BaseModel):
            assert not value.model_extra, f"{where}: fields outside the lexicon: {list(value.model_extra)}"
            for field in type(value).model_fields:
                no_unknowns(getattr(value, field), f"{where}.{field}")
        elif isinstance(value, list):
            for i, item in enumerate(value):
                no_unknowns(item, f"{where}[{i}]")

    files = sorted((FIXTURES / "bluesky").glob("*.json"))
    checked = 0
    for path in files:
        body = json.loads(path.read_text(encoding="utf-8"))
        kind = path.name.split(".")[0]
        if kind == "error":
            assert set(body) == {"error", "message"} and all(isinstance(v, str) for v in body.values()), path.name
            continue
        model = responses[kind].model_validate(body, context={"strict_string_format": True})
        no_unknowns(model, path.name)
        checked += 1
    assert checked == 15
