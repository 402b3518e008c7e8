"""The Instagram connector (Graph API business discovery) against a real loopback server that
answers with replies written from the Graph API v21.0 reference (fixtures/instagram/README.md)."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from rich.console import Console
from tests.connectors.loopback import FIXTURES, LoopbackServer, Request, fixture

from microscout.config import load_settings
from microscout.connectors import CollectJob, CollectRequest, ConnectorError, collect
from microscout.connectors.instagram import (
    ACCOUNT_FIELDS,
    MEDIA_FIELDS,
    InstagramConnector,
    post_kind,
    timestamp,
    usage_wait,
)
from microscout.workspace import Workspace

ME = "17841401234567890"  # the app user's own professional account
PATH = f"/{ME}"
TOKEN = "EAAGm0PX4ZCpsBAtestTOKENnotREAL0123456789"
HANDLES = ("lena.bakes", "sugarloaf.studio", "ola.runs")
MEDIA = "{id,caption,comments_count,like_count,media_type,media_product_type,permalink,timestamp}"
PROFILE = "id,username,name,biography,website,followers_count,follows_count,media_count,profile_picture_url"


def first(handle: str, posts: int = 5) -> str:
    return f"business_discovery.username({handle}){{{PROFILE},media.limit({posts}){MEDIA}}}"


def after(handle: str, cursor: str, posts: int = 5) -> str:
    return f"business_discovery.username({handle}){{id,media.after({cursor}).limit({posts}){MEDIA}}}"


LENA_1, LENA_2 = first("lena.bakes"), after("lena.bakes", "QVFIUmxlbmFfYWZ0ZXJfMQ")
SUGAR_1, SUGAR_2 = first("sugarloaf.studio"), after("sugarloaf.studio", "QVFIUnN1Z2FyX2FmdGVyXzE")
SUGAR_3 = after("sugarloaf.studio", "QVFIUnN1Z2FyX2FmdGVyXzI")
OLA_1 = first("ola.runs")
#: each request's `fields` and the recorded reply that answers it, in the order a run asks
PAGES = {LENA_1: "lena_bakes_page1.json", LENA_2: "lena_bakes_page2.json", SUGAR_1: "sugarloaf_studio_page1.json",
         SUGAR_2: "sugarloaf_studio_page2.json", SUGAR_3: "sugarloaf_studio_page3.json", OLA_1: "ola_runs_page1.json"}


def script(server: LoopbackServer, before: dict[str, list[dict[str, Any]]] | None = None,
           headers: dict[str, dict[str, str]] | None = None) -> None:
    """The recorded pages; `before` puts failing replies ahead of a page, `headers` adds to its reply."""
    for fields, name in PAGES.items():
        for reply in (before or {}).get(fields, []):
            server.reply(PATH, query={"fields": fields}, **reply)
        server.reply(PATH, fixture(f"instagram/{name}"), query={"fields": fields},
                     headers=(headers or {}).get(fields))


def settings(tmp_path: Path, **kw: Any) -> Any:
    given = {"instagram_access_token": TOKEN, "instagram_user_id": ME, **kw}
    return load_settings(None, db=tmp_path / "w.duckdb", **given)


def run(server: LoopbackServer, out: Path, handles: tuple[str, ...] = HANDLES,
        waits: list[float] | None = None, **kw: Any) -> tuple[dict[str, int], str]:
    """`collect()` as the CLI runs it, with waits recorded rather than slept: (rows, notes)."""
    request = CollectRequest(handles=handles, posts=5, service_url=server.url)
    connector = InstagramConnector(settings(out.parent, **kw), request)
    connector.sleep = (waits if waits is not None else []).append
    console = Console(file=io.StringIO(), width=300)
    job = CollectJob(out, "instagram", request, connector.service_url, console=console)
    try:
        with connector.client() as client:
            connector.collect(job, client)
            rows = job.finish("test")
    finally:
        job.close()
    return rows, console.file.getvalue()  # type: ignore[attr-defined]


def bundle(out: Path) -> dict[str, list[dict[str, Any]]]:
    """Rows per table, in a stable order (bundle.json's collection time differs between runs)."""
    return {p.stem: sorted((json.loads(line) for line in p.read_text(encoding="utf-8").splitlines()),
                           key=lambda r: json.dumps(r, sort_keys=True))
            for p in sorted(out.glob("*.jsonl"))}


def all_text(folder: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in folder.rglob("*") if p.is_file())


def fields_asked(requests: list[Request]) -> list[str]:
    return [r.query["fields"][0] for r in requests]


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    out = tmp_path_factory.mktemp("clean") / "bundle"
    with LoopbackServer() as server:
        script(server)
        run(server, out)
    return bundle(out)


# 1. a full collect ----------------------------------------------------------------------------
def test_three_accounts_over_several_pages_import_unchanged(tmp_path: Path) -> None:
    out = tmp_path / "bundle"
    with LoopbackServer() as server:
        script(server)
        result = collect(settings(tmp_path), "instagram",
                         CollectRequest(handles=("@Lena.Bakes", *HANDLES[1:]), posts=5, service_url=server.url),
                         out, console=Console(file=io.StringIO()))
    assert result.rows == {"accounts": 3, "posts": 12}
    assert (result.requests, result.retries) == (6, 0)
    # each page asked once, in order, through our own account, with the token as a query parameter
    assert fields_asked(server.log) == list(PAGES)
    assert {r.path for r in server.log} == {PATH}
    assert all(r.query["access_token"] == [TOKEN] for r in server.log)
    assert TOKEN not in all_text(out)

    with Workspace(settings(tmp_path)) as ws:
        imported = ws.import_bundle(out)
        assert imported.warnings == []
        accounts = ws.table("accounts").execute().set_index("account_id")
        posts = ws.table("posts").execute().set_index("post_id")
    assert len(accounts) == 3 and len(posts) == 12
    lena = accounts.loc["17841400000000001"]
    assert (lena.handle, lena.display_name, lena.followers, lena.following, lena.posts_count) == (
        "lena.bakes", "Lena Bakes", 12480, 312, 486)
    assert lena.bio == "Sourdough & seasonal cakes in Leipzig 🍰\nWorkshops every Saturday"
    assert (lena.external_url, bool(lena.is_business), bool(lena.has_profile_pic)) == (
        "https://lenabakes.example/", True, True)
    assert posts.groupby("account_id").size().to_dict() == {
        "17841400000000001": 5, "17841400000000002": 5, "17841400000000003": 2}

    reel = posts.loc["17901000000000005"]
    assert (reel.kind, reel.likes, reel.comments, reel.url) == (
        "reel", 1520, 48, "https://www.instagram.com/reel/DBa5LenaR01/")
    assert reel.created_at.isoformat() == "2026-10-30T17:05:12"  # from 2026-10-30T17:05:12+0000, in UTC
    assert list(reel.hashtags) == ["croissant", "baking", "reels"]
    assert posts.loc["17901000000000004"].kind == "carousel"
    assert posts.loc["17901000000000001"].kind == "video"
    # the reference: captions read through business discovery lose the '@' of their mentions
    workshop = posts.loc["17901000000000003"]
    assert (list(workshop.hashtags), list(workshop.mentions)) == (["workshop", "sourdough"], [])
    no_caption = posts.loc["17901000000000002"]
    assert pd.isna(no_caption.caption) and list(no_caption.hashtags) == []
    hidden = posts.loc["17903000000000002"]  # the owner hides like counts: like_count left out
    assert pd.isna(hidden.likes)  # null, never 0
    assert hidden.comments == 14


def test_posts_0_reads_only_the_profiles(tmp_path: Path) -> None:
    with LoopbackServer() as server:
        for handle, name in (("lena.bakes", "lena_bakes_page1.json"), ("ola.runs", "ola_runs_page1.json")):
            profile = fixture(f"instagram/{name}")
            del profile["business_discovery"]["media"]
            server.reply(PATH, profile, query={"fields": f"business_discovery.username({handle}){{{PROFILE}}}"})
        result = collect(settings(tmp_path), "instagram",
                         CollectRequest(handles=("lena.bakes", "ola.runs"), posts=0, service_url=server.url),
                         tmp_path / "b", console=Console(file=io.StringIO()))
    assert result.rows == {"accounts": 2} and len(server.log) == 2


# 2. rate limits, retries, dropped connections -------------------------------------------------
APP_FULL = {"x-app-usage": json.dumps({"call_count": 100, "total_time": 41, "total_cputime": 37})}
BUC_FULL = {"x-business-use-case-usage": json.dumps({ME: [{
    "type": "instagram", "call_count": 100, "total_cputime": 12, "total_time": 15,
    "estimated_time_to_regain_access": 2}]})}
APP_BUSY = {"x-app-usage": json.dumps({"call_count": 86, "total_time": 20, "total_cputime": 18})}


def test_usage_headers_at_100_percent_wait_before_the_next_call(tmp_path: Path, clean: Any) -> None:
    waits: list[float] = []
    with LoopbackServer() as server:
        script(server, headers={LENA_1: APP_FULL, SUGAR_2: BUC_FULL, OLA_1: APP_BUSY})
        _, notes = run(server, tmp_path / "b", waits=waits)
    # X-App-Usage gives no time (a rolling hour): 300 s; BUC: estimated_time_to_regain_access minutes
    assert waits == [300.0, 120.0]
    assert "X-App-Usage at 100 %" in notes and "X-Business-Use-Case-Usage at 100 %" in notes
    assert bundle(tmp_path / "b") == clean


RATE_LIMITED = {"body": fixture("instagram/error_rate_limit.json"), "status": 400}
USER_LIMITED = {"body": {"error": {"message": "(#17) User request limit reached", "type": "OAuthException",
                                   "is_transient": True, "code": 17, "fbtrace_id": "A17Trace"}}, "status": 403}


@pytest.mark.parametrize(("fields", "replies", "backoffs"), [
    (LENA_2, [{"body": {"error": {"message": "Too many requests"}}, "status": 429,
               "headers": {"retry-after": "0"}}], 0),
    (SUGAR_1, [{"body": "upstream connect error", "status": 500}], 1),
    (SUGAR_2, [{"body": fixture("instagram/sugarloaf_studio_page2.json"), "drop_after": 60}], 1),
    (OLA_1, [RATE_LIMITED, USER_LIMITED], 2),
], ids=["429-then-success", "500-then-success", "dropped-mid-page", "graph-codes-4-and-17"])
def test_a_failing_page_is_retried_and_the_bundle_is_the_clean_one(
        tmp_path: Path, clean: Any, fields: str, replies: list[dict[str, Any]], backoffs: int) -> None:
    waits: list[float] = []
    with LoopbackServer() as server:
        script(server, before={fields: replies})
        run(server, tmp_path / "b", waits=waits)
    assert fields_asked(server.log).count(fields) == len(replies) + 1
    assert len(waits) == backoffs and all(0 < w <= 1.0 for w in waits)  # backoff; retry-after 0 sleeps not
    assert bundle(tmp_path / "b") == clean


def test_a_wait_longer_than_allowed_stops_and_the_next_run_resumes(tmp_path: Path, clean: Any) -> None:
    out = tmp_path / "b"
    buc_hours = {"x-business-use-case-usage": json.dumps({ME: [{
        "type": "instagram", "call_count": 100, "total_cputime": 30, "total_time": 30,
        "estimated_time_to_regain_access": 45}]})}
    with LoopbackServer() as server:  # one server: the same --service-url, or it would not resume
        script(server, before={LENA_2: [{"body": fixture("instagram/lena_bakes_page2.json"), "headers": buc_hours}]})
        with pytest.raises(ConnectorError, match=r"wait 2700 s .* run the same command again later, it resumes"):
            run(server, out, connector_max_wait=900)
        assert fields_asked(server.log) == [LENA_1, LENA_2]
        first_run = len(server.log)
        run(server, out, connector_max_wait=900)
    assert fields_asked(server.log[first_run:]) == list(PAGES)[2:]  # lena's pages were committed
    assert bundle(out) == clean


def test_persistent_rate_limit_says_run_again_later(tmp_path: Path) -> None:
    with LoopbackServer() as server:
        server.reply(PATH, **RATE_LIMITED)
        with pytest.raises(ConnectorError) as e:
            run(server, tmp_path / "b")
    assert "Graph API code 4" in str(e.value) and "run the same command again later, it resumes" in str(e.value)
    assert len(server.log) == 7  # the client's 6 retries


# 3. kill and resume ---------------------------------------------------------------------------
def cli() -> list[str]:
    return [sys.executable, "-m", "microscout.cli", "collect", "instagram"]


def cli_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROSCOUT_")}
    env.update({"MICROSCOUT_INSTAGRAM_ACCESS_TOKEN": TOKEN, "MICROSCOUT_INSTAGRAM_USER_ID": ME, **extra})
    return env


def write_handles(tmp_path: Path, handles: tuple[str, ...] = HANDLES) -> str:
    (tmp_path / "handles.txt").write_text("# creators\n" + "\n".join(handles) + "\n", encoding="utf-8")
    return "handles.txt"


def test_killed_run_resumes_without_asking_committed_pages_again(tmp_path: Path, clean: Any) -> None:
    args = ["--handles", write_handles(tmp_path), "--posts", "5", "--out", "out", "--no-import"]
    with LoopbackServer() as server:
        script(server)
        proc: list[subprocess.Popen[str]] = []

        def kill_on_sugarloaf_page_2(request: Request) -> None:
            if request.query.get("fields") == [SUGAR_2] and proc:
                os.kill(proc[0].pid, signal.SIGKILL)

        server.on_request = kill_on_sugarloaf_page_2
        proc.append(subprocess.Popen([*cli(), *args, "--service-url", server.url], cwd=tmp_path, env=cli_env(),
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
        proc[0].communicate(timeout=60)
        assert proc[0].returncode == -signal.SIGKILL
        checkpoint = tmp_path / "out" / ".partial" / "checkpoint.json"
        assert checkpoint.exists() and TOKEN not in all_text(tmp_path / "out")
        server.on_request = None
        first_run = len(server.log)
        done = subprocess.run([*cli(), *args, "--service-url", server.url], cwd=tmp_path, env=cli_env(),
                              capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "resuming" in done.stderr
    assert fields_asked(server.log[:first_run]) == [LENA_1, LENA_2, SUGAR_1, SUGAR_2]
    # pages committed before the kill are not asked again: the killed page and what follows are
    assert fields_asked(server.log[first_run:]) == [SUGAR_2, SUGAR_3, OLA_1]
    rows = bundle(tmp_path / "out")
    for table, key in (("accounts", "account_id"), ("posts", "post_id")):
        keys = [r[key] for r in rows[table]]
        assert len(keys) == len(set(keys))
    assert rows == clean
    assert TOKEN not in all_text(tmp_path / "out") + done.stdout + done.stderr


# 4. malformed JSON ----------------------------------------------------------------------------
def test_malformed_json_exits_2_with_one_line_and_imports_nothing(tmp_path: Path) -> None:
    with LoopbackServer() as server:
        # a reply cut short is not retried: it came whole, it is just not JSON
        script(server, before={LENA_2: [{"body": '{"business_discovery": {"id": "17841400000000001", "media": '}]})
        r = subprocess.run([*cli(), "--handles", write_handles(tmp_path), "--posts", "5", "--out", "out",
                            "--db", "w.duckdb", "--service-url", server.url],
                           cwd=tmp_path, env=cli_env(), capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr
    assert lines[0].startswith(f"error: instagram: GET {PATH}: the reply is not valid JSON")
    assert "nothing was imported" in lines[0] and TOKEN not in r.stderr
    db = tmp_path / "w.duckdb"
    if db.exists():
        with Workspace(load_settings(None, db=db)) as ws:
            assert ws.table("accounts").count().execute() == 0


def test_a_reply_without_business_discovery_is_a_clear_error(tmp_path: Path) -> None:
    with LoopbackServer() as server:
        server.reply(PATH, {"id": ME})
        with pytest.raises(ConnectorError, match=r"reply for @lena\.bakes holds no business_discovery"):
            run(server, tmp_path / "b", handles=("lena.bakes",))


# 5. tokens, handles, what the API cannot do ---------------------------------------------------
def test_invalid_token_is_one_line_naming_the_setting_never_the_token(tmp_path: Path) -> None:
    with LoopbackServer() as server:
        server.reply(PATH, fixture("instagram/error_token_expired.json"), status=400)
        r = subprocess.run([*cli(), "--handles", write_handles(tmp_path), "--out", "out", "--no-import",
                            "--service-url", server.url], cwd=tmp_path, env=cli_env(),
                           capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1
    assert "access token is invalid or expired (Graph API code 190" in r.stderr
    assert "MICROSCOUT_INSTAGRAM_ACCESS_TOKEN" in r.stderr
    assert TOKEN not in r.stderr + r.stdout and len(server.log) == 1  # code 190 is not retried


def test_an_unknown_or_personal_handle_is_a_note_and_the_others_are_collected(tmp_path: Path, clean: Any) -> None:
    with LoopbackServer() as server:
        script(server)
        server.reply(PATH, fixture("instagram/error_unknown_user.json"), status=400,
                     query={"fields": first("ghost.account")})
        rows, notes = run(server, tmp_path / "b", handles=("lena.bakes", "ghost.account", "ola.runs"))
    assert rows == {"accounts": 2, "posts": 7}
    assert "@ghost.account: no professional (business or creator) Instagram account" in notes
    assert fields_asked(server.log).count(first("ghost.account")) == 1
    assert bundle(tmp_path / "b")["posts"] == [p for p in clean["posts"]
                                               if p["account_id"] in ("17841400000000001", "17841400000000003")]


def test_no_readable_handle_at_all_is_an_error(tmp_path: Path) -> None:
    with LoopbackServer() as server:
        server.reply(PATH, fixture("instagram/error_unknown_user.json"), status=400)
        with pytest.raises(ConnectorError, match=r"none of the 2 handles is a professional") as e:
            run(server, tmp_path / "b", handles=("ghost.account", "not a name!"))
    assert len(server.log) == 1  # "not a name!" is never sent: it cannot be a username
    assert TOKEN not in str(e.value)


def test_missing_credentials_name_the_environment_variables(tmp_path: Path, monkeypatch: Any) -> None:
    for name in ("MICROSCOUT_INSTAGRAM_ACCESS_TOKEN", "MICROSCOUT_INSTAGRAM_USER_ID", "MICROSCOUT_CONFIG"):
        monkeypatch.delenv(name, raising=False)
    request = CollectRequest(handles=HANDLES)
    with pytest.raises(ConnectorError, match="MICROSCOUT_INSTAGRAM_ACCESS_TOKEN and MICROSCOUT_INSTAGRAM_USER_ID"):
        InstagramConnector(load_settings(None, db=tmp_path / "w.duckdb"), request)
    with pytest.raises(ConnectorError, match=r"set MICROSCOUT_INSTAGRAM_USER_ID \(") as e:
        InstagramConnector(load_settings(None, db=tmp_path / "w.duckdb", instagram_access_token=TOKEN), request)
    assert TOKEN not in str(e.value)


@pytest.mark.parametrize("request_", [CollectRequest(search="sourdough"), CollectRequest(followers_of="lena.bakes")],
                         ids=["search", "followers-of"])
def test_search_and_followers_of_are_not_possible(tmp_path: Path, request_: CollectRequest) -> None:
    with pytest.raises(ConnectorError, match=r"not possible with the Graph API's business discovery.*--handles"):
        InstagramConnector(settings(tmp_path), request_)


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-11-02T10:15:00+0000", "2026-11-02T10:15:00Z"),
    ("2026-11-02T12:15:00+0200", "2026-11-02T10:15:00Z"),
    ("2026-11-02T10:15:00Z", "2026-11-02T10:15:00Z"),
    ("yesterday", None), (None, None),
])
def test_timestamps_become_utc(value: Any, expected: str | None) -> None:
    assert timestamp(value) == expected


@pytest.mark.parametrize(("media", "kind"), [
    ({"media_type": "VIDEO", "media_product_type": "REELS"}, "reel"),
    ({"media_type": "IMAGE", "media_product_type": "STORY"}, "story"),
    ({"media_type": "CAROUSEL_ALBUM", "media_product_type": "FEED"}, "carousel"),
    ({"media_type": "IMAGE", "media_product_type": "AD"}, "photo"),
    ({"media_type": "VIDEO", "media_product_type": "FEED"}, "video"),
    ({}, None),
])
def test_kinds(media: dict[str, str], kind: str | None) -> None:
    assert post_kind(media) == kind


def test_usage_wait_reads_both_headers() -> None:
    assert usage_wait({}) is None
    assert usage_wait(APP_BUSY) is None
    assert usage_wait({"x-app-usage": "not json"}) is None
    assert usage_wait(APP_FULL) == (300.0, "X-App-Usage at 100 %")
    assert usage_wait({**APP_FULL, **BUC_FULL}) == (300.0, "X-App-Usage at 100 %")
    assert usage_wait(BUC_FULL) == (120.0, "X-Business-Use-Case-Usage at 100 %")


# 6. the fixtures, field by field against the reference ----------------------------------------
# Graph API v21.0 (no machine-readable schema exists offline for it), fields as the reference lists them:
#   IG User   https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user
#   business_discovery
#             https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/business_discovery
#   IG Media  https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/v21.0
#   errors    https://developers.facebook.com/docs/graph-api/guides/error-handling
#             https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/error-codes
#   paging    https://developers.facebook.com/docs/graph-api/results (cursor-based pagination)
DOCUMENTED_IG_USER_FIELDS = {"alt_text", "biography", "followers_count", "follows_count", "has_profile_pic", "id",
                             "ig_id", "is_published", "legacy_instagram_user_id", "media_count", "name",
                             "profile_picture_url", "shopping_product_tag_eligibility", "username", "website"}
DOCUMENTED_IG_USER_EDGES = {"business_discovery", "media"}
DOCUMENTED_IG_MEDIA_FIELDS = {"alt_text", "boost_ads_list", "boost_eligibility_info", "caption", "comments_count",
                              "copyright_check_information", "id", "ig_id", "is_comment_enabled",
                              "is_shared_to_feed", "legacy_instagram_media_id", "like_count", "media_product_type",
                              "media_type", "media_url", "owner", "permalink", "shortcode", "thumbnail_url",
                              "timestamp", "username", "view_count"}
MEDIA_TYPES = {"CAROUSEL_ALBUM", "IMAGE", "VIDEO"}
MEDIA_PRODUCT_TYPES = {"AD", "FEED", "STORY", "REELS"}
GRAPH_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000")  # e.g. 2026-11-02T10:15:00+0000
DOCUMENTED_ERROR_FIELDS = {"message", "type", "code", "error_subcode", "is_transient", "error_user_title",
                           "error_user_msg", "fbtrace_id"}
PAGE_FIXTURES = sorted(p.name for p in (FIXTURES / "instagram").glob("*_page*.json"))
ERROR_FIXTURES = sorted(p.name for p in (FIXTURES / "instagram").glob("error_*.json"))


def test_every_field_the_connector_asks_for_is_documented() -> None:
    assert set(ACCOUNT_FIELDS) <= DOCUMENTED_IG_USER_FIELDS
    assert set(MEDIA_FIELDS) <= DOCUMENTED_IG_MEDIA_FIELDS
    for fields in PAGES:  # the requests the tests answer, as sent: only documented names besides the edges
        bare = re.sub(r"\.(username|after|limit)\([^)]*\)", "", fields)
        names = set(re.findall(r"[a-z_]+", bare))
        assert names <= DOCUMENTED_IG_USER_FIELDS | DOCUMENTED_IG_MEDIA_FIELDS | DOCUMENTED_IG_USER_EDGES, fields


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and value.isdigit()


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


@pytest.mark.parametrize("name", PAGE_FIXTURES)
def test_page_fixtures_hold_only_documented_fields_of_documented_types(name: str) -> None:
    assert set(PAGES.values()) == set(PAGE_FIXTURES)
    reply = fixture(f"instagram/{name}")
    assert set(reply) == {"business_discovery", "id"} and reply["id"] == ME
    found = reply["business_discovery"]
    requested = next(f for f, n in PAGES.items() if n == name)
    if "media.after(" in requested:
        assert set(found) == {"id", "media"}  # exactly what a later page asks for
    else:
        assert set(found) - {"media"} <= set(ACCOUNT_FIELDS) and {"id", "username", "followers_count"} <= set(found)
        assert all(_is_count(found[k]) for k in ("followers_count", "follows_count", "media_count") if k in found)
        assert found["profile_picture_url"].startswith("https://")
        assert re.fullmatch(r"[a-z0-9._]{1,30}", found["username"])
    assert _is_id(found["id"])
    media = found["media"]
    assert set(media) == {"data", "paging"} and set(media["paging"]) == {"cursors"}  # no next link here
    assert set(media["paging"]["cursors"]) in ({"before"}, {"before", "after"})
    for item in media["data"]:
        assert set(item) <= set(MEDIA_FIELDS)
        assert {"id", "comments_count", "media_type", "media_product_type", "permalink", "timestamp"} <= set(item)
        assert _is_id(item["id"]) and _is_count(item["comments_count"])
        assert "like_count" not in item or _is_count(item["like_count"])
        assert item["media_type"] in MEDIA_TYPES and item["media_product_type"] in MEDIA_PRODUCT_TYPES
        assert GRAPH_TIMESTAMP.fullmatch(item["timestamp"])
        assert item["permalink"].startswith(("https://www.instagram.com/p/", "https://www.instagram.com/reel/"))
        assert "caption" not in item or isinstance(item["caption"], str)


@pytest.mark.parametrize("name", ERROR_FIXTURES)
def test_error_fixtures_follow_the_graph_error_shape(name: str) -> None:
    error = fixture(f"instagram/{name}")["error"]
    assert set(error) <= DOCUMENTED_ERROR_FIELDS and {"message", "type", "code", "fbtrace_id"} <= set(error)
    assert error["type"] == "OAuthException" and isinstance(error["code"], int)
