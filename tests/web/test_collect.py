"""Collecting from the dashboard and the API: a real server collects from a real loopback server
that answers with the recorded Bluesky replies (tests/connectors), imports the bundle and shows
the job's steps on the data page until it is done; refusals and a failing service are clear."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx
import pytest
from axe_playwright_python.sync_playwright import Axe
from tests.connectors.loopback import LoopbackServer, Request
from tests.connectors.test_bluesky import HANDLES, LENA, OLA, script
from tests.web.conftest import TOKEN
from tests.web.test_api import _finished, _world
from tests.web.test_pages import SHOTS, _login, _page, browse

AUTH = {"Authorization": f"Bearer {TOKEN}"}
# the page's steps as they change, recorded before the page's own script runs
RECORD_STEPS = """
window.__steps = [];
document.addEventListener("DOMContentLoaded", () => {
  const step = document.querySelector("#job .job-step");
  if (step) new MutationObserver(() => window.__steps.push(step.textContent))
    .observe(step, {childList: true, characterData: true, subtree: true});
});
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    yield from browse(_world(tmp_path_factory.mktemp("collect")))


def slowly(_: Request) -> None:
    """Each reply a little late, so the page's poll sees the collection's steps."""
    time.sleep(0.15)


def test_a_collection_from_the_data_page_shows_its_steps_until_done(site):
    url, browser = site
    page, _, errors = _page(browser)
    page.add_init_script(RECORD_STEPS)
    _login(page, url)
    assert httpx.get(f"{url}/api/v1/creators/bluesky/{LENA}").status_code == 404
    with LoopbackServer() as bluesky:
        script(bluesky)
        bluesky.on_request = slowly
        page.goto(f"{url}/data")
        page.select_option("#collect select[name=platform]", "bluesky")
        page.fill("#collect textarea[name=handles]", "\n".join(HANDLES))
        page.fill("#collect input[name=posts]", "10")
        page.click("#collect summary")  # the service URL is tucked away in a <details>
        page.fill("#collect input[name=service_url]", bluesky.url)
        with page.expect_navigation():
            page.click("#collect button")
        assert "kind=collect" in page.url
        page.wait_for_selector("#job[data-state=done]", timeout=60_000)
        asked = len(bluesky.log)
    assert page.locator("#job p").inner_text().startswith("Collect ")
    assert page.locator("#job .job-step").inner_text() == "done"
    steps = page.evaluate("window.__steps")
    assert any(s.startswith("bluesky: creators ") for s in steps), steps
    assert "importing" in steps or any(s.startswith("importing ") or s.startswith("analyzing") for s in steps)

    job = httpx.get(f"{url}/api/v1/jobs/{page.get_attribute('#job', 'data-job')}").json()
    assert (job["kind"], job["state"], job["progress"]) == ("collect", "done", 1.0)
    assert job["result"]["rows"] == {"accounts": 5, "posts": 5, "comments": 6, "follows": 6}
    assert job["result"]["requests"] == asked == 12
    bundle = Path(job["result"]["bundle"])
    assert bundle.parent.name == "microscout-collect" and bundle.name.startswith("bluesky-")
    assert (bundle / "bundle.json").exists() and not (bundle / ".partial").exists()
    # the collected creators are in the workspace, analysed, and on the pages
    for did, handle in ((LENA, "lena.bsky.social"), (OLA, "ola.cooks.bsky.social")):
        creator = httpx.get(f"{url}/api/v1/creators/bluesky/{did}")
        assert creator.status_code == 200 and creator.json()["handle"] == handle
    page.goto(f"{url}/creators?platform=bluesky")
    assert "lena.bsky.social" in page.locator("main").inner_text()
    page.goto(f"{url}/data")
    assert "microscout collect bluesky" in page.locator("#imports").inner_text()
    page.screenshot(path=str(SHOTS / "data-collect.png"), full_page=True)
    assert not errors


def test_the_collect_form_is_accessible_and_refuses_with_the_keyboard_alone(site):
    """Every control labelled (axe-core), also with an error shown; Tab to the button and Enter
    with no account named: the page comes back with the message and what was typed."""
    url, browser = site
    page, _, errors = _page(browser)
    _login(page, url)
    page.goto(f"{url}/data")
    page.fill("#collect input[name=posts]", "7")
    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.closest('#collect') && "
                         "document.activeElement.tagName") == "BUTTON":
            break
    else:
        raise AssertionError("the collect button is not reachable with Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("#collect [role=alert]").inner_text() == (
        "name the accounts in exactly one way: handles (one per line), a search or the followers of one account")
    assert page.input_value("#collect input[name=posts]") == "7"
    for state in ("with an error", "as it opens"):
        page.locator("#collect details").evaluate("d => d.open = true")
        found = Axe().run(page).response["violations"]
        assert not found, (state, [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                                   for v in found])
        page.set_viewport_size({"width": 375, "height": 740})
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"the data page is {width[0]} px wide on a {width[1]} px screen"
        page.set_viewport_size({"width": 1280, "height": 720})
        page.goto(f"{url}/data")
    assert not errors


def test_the_collect_form_needs_the_login_and_its_csrf_token(site):
    url, _ = site
    form = {"platform": "bluesky", "handles": "lena.bsky.social", "csrf": "wrong"}
    refused = httpx.post(f"{url}/data/collect", data=form)
    assert refused.status_code == 401 and "Log in with the server&#39;s token to collect data." in refused.text
    with httpx.Client(base_url=url) as client:
        assert client.post("/login", data={"token": TOKEN}).status_code == 303
        expired = client.post("/data/collect", data=form)
        assert expired.status_code == 403 and "CSRF" in expired.text
        page = client.get("/data").text
        assert 'action="/data/collect"' in page
        csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        too_few = client.post("/data/collect", data={**form, "csrf": csrf, "max_accounts": "0"})
        assert too_few.status_code == 400 and "max_accounts: at least 1" in too_few.text
        two_ways = client.post("/data/collect", data={**form, "csrf": csrf, "search": "vegan"})
        assert two_ways.status_code == 400 and "exactly one way" in two_ways.text


def test_the_api_collects_imports_and_reports_the_job(site):
    url, _ = site
    body = {"platform": "bluesky", "handles": list(HANDLES), "followers": 0}
    with LoopbackServer() as bluesky:
        script(bluesky)
        assert httpx.post(f"{url}/api/v1/collect", json={**body, "service_url": bluesky.url}).status_code == 401
        started = httpx.post(f"{url}/api/v1/collect", json={**body, "service_url": bluesky.url}, headers=AUTH)
        assert started.status_code == 202, started.text
        assert started.json()["kind"] == "collect" and started.json()["state"] in ("queued", "running")
        job = _finished(url, started.json()["id"])
    assert job["state"] == "done", job
    # the step as the page shows it, in the page's language
    said = httpx.get(f"{url}/api/v1/jobs/{job['id']}", params={"lang": "de"}).json()
    assert (said["step"], said["step_said"], job["step_said"]) == ("done", "fertig", None)
    result = job["result"]
    assert result["rows"] == {"accounts": 2, "posts": 5, "comments": 6}  # followers: 0, no follower sample
    assert result["import_id"] and result["rows_read"] == result["rows"] and not result["notes"]
    imported = httpx.get(f"{url}/api/v1/info").json()["imports"]
    assert any(i["import_id"] == result["import_id"] and i["source"].startswith("microscout collect bluesky")
               for i in imported)


def test_the_api_refuses_accounts_named_in_two_ways_or_none(site):
    url, _ = site
    for ways in ({"handles": ["lena.bsky.social"], "search": "vegan"}, {}, {"handles": [" "]}):
        r = httpx.post(f"{url}/api/v1/collect", json={"platform": "bluesky", **ways}, headers=AUTH)
        assert r.status_code == 400 and r.json() == {
            "error": "name the accounts in exactly one way: handles, search or followers_of"}, ways
    r = httpx.post(f"{url}/api/v1/collect", json={"platform": "bluesky", "search": "x", "service_url": "ftp://x"},
                   headers=AUTH)
    assert r.status_code == 400 and "not an http:// or https:// URL" in r.json()["error"]
    for wrong in ({"platform": "myspace", "search": "x"}, {"platform": "bluesky", "search": "x", "posts": -1},
                  {"platform": "bluesky", "search": "x", "max_accounts": 0}):
        assert httpx.post(f"{url}/api/v1/collect", json=wrong, headers=AUTH).status_code == 422, wrong


def test_a_failing_service_ends_the_job_failed_with_a_clear_message(site):
    url, _ = site
    before = httpx.get(f"{url}/api/v1/info").json()["imports"]
    with LoopbackServer() as nothing:  # no recorded reply: every request is a 404
        started = httpx.post(f"{url}/api/v1/collect", headers=AUTH,
                             json={"platform": "bluesky", "handles": ["lena.bsky.social"], "service_url": nothing.url})
        job = _finished(url, started.json()["id"])
    assert job["state"] == "failed" and job["kind"] == "collect"
    assert job["error"].startswith("bluesky: lena.bsky.social: no such account or post, or it is not public ("), \
        job["error"]
    assert "Traceback" not in job["error"] and "internal error" not in job["error"]
    assert "--service-url" not in job["error"]  # the command line's option means nothing here
    assert httpx.get(f"{url}/api/v1/info").json()["imports"] == before


def test_an_unreachable_service_fails_at_once_and_the_page_names_its_field(site):
    url, browser = site
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}"
    page, _, _ = _page(browser)
    _login(page, url)
    page.goto(f"{url}/data")
    page.select_option("#collect select[name=platform]", "bluesky")
    page.fill("#collect textarea[name=handles]", "lena.bsky.social")
    page.click("#collect summary")
    page.fill("#collect input[name=service_url]", dead)
    with page.expect_navigation():
        page.click("#collect button")
    page.wait_for_selector("#job[data-state=failed]", timeout=30_000)
    said = page.locator("#job").inner_text()
    assert "could not connect after 2 tries" in said, said
    assert "the API's base URL" in said and "--service-url" not in said, said


def test_a_collections_steps_are_said_in_the_pages_language():
    from microscout.connectors.bluesky import N_  # the stages are marked where the connector names them
    from microscout.sentences import render
    from microscout.web.app import CollectReport

    said: list[tuple[object, float]] = []
    report = CollectReport("bluesky", lambda step, share: said.append((step, share)))
    report.stage(N_("creators"), 3, 50)
    report.stage(N_("follower profiles"), 2, None)
    assert [str(s) for s, _ in said] == ["bluesky: creators 3/50", "bluesky: follower profiles 2"]
    assert [render(s, "de") for s, _ in said] == ["bluesky: Creator 3/50", "bluesky: Follower-Profile 2"]
