"""The REST API on a real loopback server: every endpoint, the token rules, errors, CSV, jobs."""

from __future__ import annotations

import csv
import io
import json
import time
import zipfile
from typing import Any

import httpx
import pytest
from tests.conftest import social_world
from tests.web.conftest import TOKEN, running

ACCOUNT_COLS = "account_id,handle,followers,following,posts_count,bio,has_profile_pic,is_private"
POST_COLS = "post_id,account_id,created_at,likes,comments,caption"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
BRIEF = {"name": "Vegan cakes", "keywords": ["vegan"], "budget": 200}
RTL_CAPTION = 'كعكة نباتية 🌱 <b onmouseover="alert(2)">Kuchen</b> & "Torte"'


def _world(tmp_path):
    bakers = {"anna.bakes": 4_000, "ben.bakes": 2_500, "cleo.bakes": 1_800, "dan.runs": 3_000}
    accounts = [(h, h, n, 300, 40, "Vegane Kuchen <script>alert(1)</script>" if h == "anna.bakes" else
                 ("Laufen" if h == "dan.runs" else "Vegane Kuchen"), True, False) for h, n in bakers.items()]
    # every tenth follower looks bought: no picture, no posts, following thousands
    accounts += [(f"p{j}", f"person{j}", 100, 200, 3, None, True, False) if j % 10 else
                 (f"p{j}", f"user{j:08d}", 1, 4000, 0, None, False, False) for j in range(300)]
    follows = [(f"p{j}", h) for j in range(300) for i, h in enumerate(bakers) if j % 4 == i or j % 7 == i]
    posts = [(f"{h}-{k}", h, f"2026-10-{k + 1:02d}T10:00:00Z", n // 25, 4, "Veganer Kuchen" if h != "dan.runs"
              else "Morgenlauf") for h, n in bakers.items() for k in range(8)]
    # the newest post mixes right-to-left text, emoji and markup: all of it must show as text
    posts.append(("anna.bakes-rtl", "anna.bakes", "2026-10-09T10:00:00Z", 160, 4, RTL_CAPTION))
    ws = social_world(tmp_path, ACCOUNT_COLS, accounts, POST_COLS, posts, follows)
    ws.analyze()
    return ws


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    ws = _world(tmp_path_factory.mktemp("api"))
    with running(ws) as url:
        yield ws, url
    ws.close()


def test_the_openapi_document_lists_every_endpoint(served):
    _, url = served
    doc = httpx.get(f"{url}/api/v1/openapi.json").json()
    paths = set(doc["paths"])
    assert {"/api/v1/creators", "/api/v1/creators/{platform}/{account_id}", "/api/v1/scout", "/api/v1/plan",
            "/api/v1/fakes", "/api/v1/imports", "/api/v1/jobs/{job_id}", "/api/v1/info",
            "/api/v1/analyze", "/api/v1/collect"} <= paths


def test_creators_filter_sort_page_and_export_as_csv(served):
    _, url = served
    page = httpx.get(f"{url}/api/v1/creators", params={"sort": "-followers", "limit": 2}).json()
    assert page["total"] == 4 and [c["handle"] for c in page["items"]] == ["anna.bakes", "dan.runs"]
    # the vet keys without sub-objects (SCHEMA: REST paths), each flag with its reason
    vet = httpx.get(f"{url}/api/v1/creators/instagram/anna.bakes").json()
    item = page["items"][0]
    assert {"engagement_rate", "audience_quality", "flags", "flag_reasons", "as_of", "tier_scheme"} <= item.keys()
    assert {k: item[k] for k in ("as_of", "tier", "tier_scheme", "followers", "flags", "flag_reasons")} == {
        k: vet[k] for k in ("as_of", "tier", "tier_scheme", "followers", "flags", "flag_reasons")}
    rest = httpx.get(f"{url}/api/v1/creators", params={"sort": "-followers", "limit": 2, "offset": 2}).json()
    assert [c["handle"] for c in rest["items"]] == ["ben.bakes", "cleo.bakes"]
    found = httpx.get(f"{url}/api/v1/creators", params={"q": "bakes"}).json()
    assert found["total"] == 3
    r = httpx.get(f"{url}/api/v1/creators", params={"format": "csv", "sort": "handle"})
    assert r.headers["content-type"].startswith("text/csv") and "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [row["handle"] for row in rows] == ["anna.bakes", "ben.bakes", "cleo.bakes", "dan.runs"]
    assert httpx.get(f"{url}/api/v1/creators", params={"sort": "fame"}).status_code == 400


def test_one_creator_is_the_vet_contract_and_an_unknown_one_is_404(served):
    ws, url = served
    r = httpx.get(f"{url}/api/v1/creators/instagram/anna.bakes")
    assert r.status_code == 200 and r.json() == json.loads(json.dumps(ws.vet("instagram:anna.bakes")))
    missing = httpx.get(f"{url}/api/v1/creators/instagram/nobody")
    assert missing.status_code == 404 and "nobody" in missing.json()["error"]


def test_scout_and_plan_answer_like_the_python_api(served):
    ws, url = served
    r = httpx.post(f"{url}/api/v1/scout", json=BRIEF)
    assert r.status_code == 200
    assert [x["handle"] for x in r.json()["results"]] == [x["handle"] for x in ws.scout_records(BRIEF)["results"]]
    plan = httpx.post(f"{url}/api/v1/plan", json=BRIEF, timeout=60).json()
    assert plan["budget"] == 200 and plan["spent"] <= 200 and plan["picks"]
    assert plan == json.loads(json.dumps(ws.plan(BRIEF)))
    bad = httpx.post(f"{url}/api/v1/plan", json={"name": "x"})
    assert bad.status_code == 400 and bad.json()["error"].startswith("plan needs a budget")
    unknown = httpx.post(f"{url}/api/v1/scout", json={"name": "x", "colour": "red"})
    assert unknown.status_code == 400 and "colour" in unknown.json()["error"]
    nameless = httpx.post(f"{url}/api/v1/scout", json={"keywords": ["x"]})
    assert nameless.status_code == 422


def test_similar_mentions_and_hashtags_answer_like_the_python_api(served):
    ws, url = served
    alike = httpx.get(f"{url}/api/v1/similar/instagram/anna.bakes", params={"limit": 5}).json()
    assert alike == json.loads(json.dumps(ws.similar("instagram:anna.bakes", 5)))
    assert alike["results"][0]["handle"] in ("ben.bakes", "cleo.bakes")
    tagged = httpx.get(f"{url}/api/v1/mentions", params={"handle": ["@nobody"]}).json()
    assert tagged == json.loads(json.dumps(ws.mentions(["@nobody"])))
    tags = httpx.get(f"{url}/api/v1/hashtags", params={"topic": "vegan"})
    assert tags.status_code == 200 and "hashtags" in tags.json()
    assert httpx.get(f"{url}/api/v1/hashtags").status_code == 400  # neither topic nor place


def test_fakes_scores_rows_and_a_bad_row_names_its_line_and_column(served):
    _, url = served
    rows = [{"platform": "instagram", "account_id": "1", "handle": "real.person", "followers": 800, "following": 300,
             "posts_count": 120, "has_profile_pic": True, "is_private": False, "bio": "Bäckerin"},
            {"platform": "instagram", "account_id": "2", "handle": "user84736291", "followers": 2, "following": 4100,
             "posts_count": 0, "has_profile_pic": False, "is_private": False}]
    scored = httpx.post(f"{url}/api/v1/fakes", json=rows).json()
    by = {r["account_id"]: r for r in scored}
    assert by["2"]["fake_probability"] > by["1"]["fake_probability"] and by["2"]["is_fake"]
    bad = httpx.post(f"{url}/api/v1/fakes", json=[{"platform": "instagram", "account_id": "3", "handle": "x",
                                                   "followers": "many"}])
    assert bad.status_code == 422 and "followers" in bad.json()["error"] and "accounts.jsonl:1" in bad.json()["error"]


def test_writes_need_the_token_and_an_upload_is_imported_as_a_job(served, tmp_path):
    _, url = served
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("bundle/bundle.json", json.dumps({"platform": "tiktok", "collected_at": "2026-11-01T12:00:00Z"}))
        zf.writestr("bundle/accounts.csv", "account_id,handle,followers\nt1,tiki.bakes,5000\n")
        zf.writestr("bundle/posts.csv", "post_id,account_id,created_at,likes,comments,caption\n"
                                        "tp1,t1,2026-10-20T10:00:00Z,300,20,Veganer Kuchen\n")
    files = {"file": ("bundle.zip", buf.getvalue(), "application/zip")}
    assert "tiki.bakes" not in httpx.get(f"{url}/creators", params={"platform": "tiktok"}).text  # cached now
    assert httpx.post(f"{url}/api/v1/imports", files=files).status_code == 401
    assert httpx.post(f"{url}/api/v1/imports", files=files,
                      headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert httpx.post(f"{url}/api/v1/analyze").status_code == 401
    r = httpx.post(f"{url}/api/v1/imports", files=files, headers=AUTH)
    assert r.status_code == 202
    job = _finished(url, r.json()["id"])
    assert job["state"] == "done" and job["result"]["inserted"]["accounts"] == 1
    assert httpx.get(f"{url}/api/v1/info").json()["platforms"]["tiktok"] == {"accounts": 1}
    assert httpx.get(f"{url}/api/v1/creators/tiktok/t1").json()["handle"] == "tiki.bakes"
    # the dashboard's cached pages see the import
    assert "tiki.bakes" in httpx.get(f"{url}/creators", params={"platform": "tiktok"}).text
    broken = {"file": ("bad.zip", b"not a zip at all", "application/zip")}
    failed = _finished(url, httpx.post(f"{url}/api/v1/imports", files=broken, headers=AUTH).json()["id"])
    assert failed["state"] == "failed" and "not a bundle" in failed["error"]
    assert httpx.get(f"{url}/api/v1/jobs/nope").status_code == 404


def test_uploads_above_the_limit_are_refused(tmp_path):
    ws = _world(tmp_path)
    with ws, running(ws, max_upload=1000) as url:
        r = httpx.post(f"{url}/api/v1/imports", files={"file": ("b.zip", b"x" * 5000, "application/zip")},
                       headers=AUTH)
    assert r.status_code == 413 and "larger than" in r.json()["error"]


def test_beyond_loopback_every_call_needs_the_token_and_headers_protect_pages(tmp_path):
    ws = _world(tmp_path)
    with ws, running(ws, policy_host="0.0.0.0") as url:
        assert httpx.get(f"{url}/api/v1/creators").status_code == 401
        assert httpx.post(f"{url}/api/v1/scout", json=BRIEF).status_code == 401
        ok = httpx.get(f"{url}/api/v1/creators", headers=AUTH)
    assert ok.status_code == 200
    assert ok.headers["x-content-type-options"] == "nosniff" and ok.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in ok.headers["content-security-policy"]


def _finished(url: str, job_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job = httpx.get(f"{url}/api/v1/jobs/{job_id}").json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def test_shortlists_through_the_api_need_the_token_to_change(served):
    _, url = served
    body = {"ref": "instagram:ben.bakes"}
    assert httpx.post(f"{url}/api/v1/shortlists/Autumn", json=body).status_code == 401
    saved = httpx.post(f"{url}/api/v1/shortlists/Autumn", json=body, headers=AUTH).json()
    assert [x["handle"] for x in saved["Autumn"]] == ["ben.bakes"]
    again = httpx.post(f"{url}/api/v1/shortlists/Autumn", json=body, headers=AUTH).json()  # once only
    assert len(again["Autumn"]) == 1
    gone = httpx.post(f"{url}/api/v1/shortlists/Autumn", json={**body, "remove": True}, headers=AUTH).json()
    assert "Autumn" not in gone
    unknown = httpx.post(f"{url}/api/v1/shortlists/Autumn", json={"ref": "instagram:nobody"}, headers=AUTH)
    assert unknown.status_code == 404


def test_relationships_through_the_api_with_versions_and_409(served):
    _, url = served
    path = f"{url}/api/v1/relationships/instagram/cleo.bakes"
    edit = {"brand": "kornblume", "version": 0, "changes": {"stage": "contacted"}}
    assert httpx.put(path, json=edit).status_code == 401
    assert httpx.get(path, params={"brand": "kornblume"}).status_code == 404
    made = httpx.put(path, json=edit, headers=AUTH)
    assert made.status_code == 200 and made.json()["version"] == 1
    stale = httpx.put(path, json={**edit, "changes": {"stage": "declined"}}, headers=AUTH)
    assert stale.status_code == 409 and "changed by someone else" in stale.json()["error"]
    bad = httpx.put(path, json={"brand": "kornblume", "version": 1, "changes": {"fee": -1}}, headers=AUTH)
    assert bad.status_code == 400 and bad.json()["error"].startswith("fee:")
    assert httpx.get(path, params={"brand": "kornblume"}).json()["stage"] == "contacted"
    assert [r["handle"] for r in httpx.get(f"{url}/api/v1/relationships", params={"brand": "kornblume"}).json()] == [
        "cleo.bakes"]


def test_campaign_tracking_and_reminders_through_the_api(served):
    _, url = served
    path = f"{url}/api/v1/relationships/instagram/ben.bakes"
    current = httpx.get(path, params={"brand": "kornblume"})
    version = current.json()["version"] if current.status_code == 200 else 0
    httpx.put(path, json={"brand": "kornblume", "version": version,
                          "changes": {"stage": "live", "fee": 100.0, "discount_code": "BEN5"}}, headers=AUTH)
    spec = {"brand": "kornblume", "start": "2026-10-01", "end": "2026-10-31", "hashtags": ["nothing"],
            "codes": ["Kuchen"], "orders": [{"code": "BEN5", "revenue": 40, "ordered_at": "2026-10-05"}]}
    report = httpx.post(f"{url}/api/v1/campaigns/track", json=spec).json()
    ben = {r["handle"]: r for r in report["creators"]}["ben.bakes"]
    assert ben["posts"] == 8 and ben["revenue"] == 40.0 and ben["cost"] == 100.0 and ben["return"] == -0.6
    assert report["disclosure"]["missing"] == report["total"]["posts"]
    bad = httpx.post(f"{url}/api/v1/campaigns/track", json={**spec, "orders": [
        {"code": "NOPE", "revenue": 1, "ordered_at": "2026-10-05"}]})
    assert bad.status_code == 400 and "'NOPE' is no discount code" in bad.json()["error"]
    later = httpx.get(f"{url}/api/v1/reminders", params={"today": "2099-01-01"}).json()
    assert ("ben.bakes", "quiet") in {(r["handle"], r["kind"]) for r in later}
