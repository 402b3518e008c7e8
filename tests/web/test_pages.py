"""The dashboard in a real headless Chromium (Debian's, driven by Playwright): content, not just
loading. Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import sync_playwright
from tests.web.conftest import TOKEN, running
from tests.web.test_api import RTL_CAPTION, _world

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def browse(ws):
    """The workspace served on loopback and a headless Chromium: yields (url, browser)."""
    with running(ws) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--headless", "--disable-background-networking", "--disable-component-update"])
        SHOTS.mkdir(parents=True, exist_ok=True)
        yield url, browser
        browser.close()
    ws.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    yield from browse(_world(tmp_path_factory.mktemp("pages")))


def _page(browser):
    page = browser.new_page()
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, dialogs, errors


def _login(page, url):
    page.goto(f"{url}/login")
    page.fill("input[name=token]", TOKEN)
    with page.expect_navigation():
        page.click("form[action='/login'] button")


def test_the_ranking_on_the_page_is_the_apis(site):
    url, browser = site
    page, _, errors = _page(browser)
    page.goto(f"{url}/?keywords=vegan&name=Vegan+cakes")
    shown = page.locator("#results tr[data-account]").evaluate_all("rows => rows.map(r => r.dataset.account)")
    api = httpx.post(f"{url}/api/v1/scout", json={"name": "Vegan cakes", "keywords": ["vegan"]}, params={"limit": 50})
    assert shown == [f"{r['platform']}:{r['account_id']}" for r in api.json()["results"]] and len(shown) == 3
    assert page.locator("#results").inner_text().count("Why") == 3
    page.screenshot(path=str(SHOTS / "search.png"), full_page=True)
    assert not errors


def test_a_bio_holding_a_script_shows_as_text_and_the_charts_have_their_marks(site):
    url, browser = site
    page, dialogs, errors = _page(browser)
    page.goto(f"{url}/creators/instagram/anna.bakes")
    assert "<script>alert(1)</script>" in page.locator("#bio").inner_text()
    assert RTL_CAPTION in page.locator(".posts").inner_text()
    assert page.locator(".posts b").count() == 0  # the caption's markup is text, not elements
    page.wait_for_selector("#chart-engagement[data-drawn=true]", timeout=30_000)
    page.wait_for_selector("#chart-audience[data-drawn=true]", timeout=30_000)
    # the creator's rate and its tier's median; real, mass-following and fake followers
    assert page.locator('#chart-engagement svg [aria-roledescription="bar"]').count() == 2
    assert page.locator('#chart-audience svg [aria-roledescription="bar"]').count() == 3
    # lookalikes arrive after the page: the other vegan bakers first
    page.wait_for_selector("#similar[data-loaded=true]", timeout=30_000)
    assert page.locator("#similar a").all_inner_texts()[:2] in (["@ben.bakes", "@cleo.bakes"],
                                                                ["@cleo.bakes", "@ben.bakes"])
    page.screenshot(path=str(SHOTS / "creator.png"), full_page=True)
    assert not dialogs and not errors


def test_a_shortlist_survives_a_reload(site):
    url, browser = site
    page, _, errors = _page(browser)
    page.goto(f"{url}/?keywords=vegan")
    assert page.locator("button.save").count() == 0  # saving is a write: log in first
    _login(page, url)
    page.goto(f"{url}/?keywords=vegan")
    first = page.locator("#results tr[data-account]").first
    handle = first.locator("a.handle").inner_text()
    first.locator("input[name=name]").fill("Launch team")
    with page.expect_navigation():
        first.locator("button.save").click()
    page.reload()
    assert handle in page.locator(".shortlists").inner_text()
    assert "Launch team" in page.locator(".shortlists").inner_text()
    saved = httpx.get(f"{url}/api/v1/shortlists").json()
    assert ["@" + x["handle"] for x in saved["Launch team"]] == [handle]
    page.screenshot(path=str(SHOTS / "shortlist.png"), full_page=True)
    # its own page: the figures a marketer compares, a CSV of the same rows, and removal
    with page.expect_navigation():
        page.locator("a.shortlist", has_text="Launch team").click()
    row = page.locator("#shortlist tbody tr[data-account]")
    assert row.count() == 1 and handle in row.inner_text()
    vet = httpx.get(f"{url}/api/v1/creators/{row.get_attribute('data-account').replace(':', '/', 1)}").json()
    assert f"{vet['followers']:,}" in row.inner_text() and vet["tier"] in row.inner_text()
    with page.expect_download() as download:
        page.click("#export")
    exported = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text())))
    assert [r["handle"] for r in exported] == [handle[1:]] and exported[0]["followers"] == str(vet["followers"])
    page.screenshot(path=str(SHOTS / "shortlist-page.png"), full_page=True)
    api = httpx.get(f"{url}/api/v1/shortlists/Launch team").json()
    assert [r["handle"] for r in api["items"]] == [handle[1:]] and api["items"][0]["tier"] == vet["tier"]
    assert httpx.get(f"{url}/api/v1/shortlists/Nobody's").status_code == 404
    with page.expect_navigation():
        row.locator("button.remove").click()
    assert page.locator("#shortlist tbody tr[data-account]").count() == 0
    assert httpx.get(f"{url}/api/v1/shortlists").json().get("Launch team", []) == []
    assert not errors


def test_the_creators_filters_offer_the_workspaces_choices(site):
    url, browser = site
    page, _, errors = _page(browser)
    page.goto(f"{url}/creators")
    assert page.locator("select[name=platform] option").all_inner_texts() == ["any", "instagram"]
    tiers = page.locator("select[name=tier] option").all_inner_texts()
    assert tiers[0] == "any" and tiers.index("nano") < tiers.index("micro") < tiers.index("macro")
    page.select_option("select[name=tier]", "nano")
    with page.expect_navigation():
        page.click("form.filters button")
    shown = page.locator("#creators tbody a").all_inner_texts()
    api = httpx.get(f"{url}/api/v1/creators", params={"tier": "nano"}).json()
    assert shown == ["@" + c["handle"] for c in api["items"]] and shown
    # a hand-typed URL in another case finds the same creators
    page.goto(f"{url}/creators?platform=Instagram&tier=NANO")
    assert page.locator("#creators tbody a").all_inner_texts() == shown
    # the profile says where the audience data would come from, and that there is no contact
    page.goto(f"{url}/creators/instagram/anna.bakes")
    assert "No public contact" in page.locator("#contact").inner_text()
    assert "No audience breakdown" in page.locator("#audience-breakdown").inner_text()
    assert not errors


def test_a_form_without_its_csrf_token_saves_nothing(site):
    url, browser = site
    page, _, _ = _page(browser)
    _login(page, url)
    before = httpx.get(f"{url}/api/v1/shortlists").json()
    r = page.request.post(f"{url}/shortlists", form={"name": "Forged", "ref": "instagram:ben.bakes", "csrf": "x"})
    assert r.status == 403 and httpx.get(f"{url}/api/v1/shortlists").json() == before


def test_the_planner_shows_its_strategies_and_draws_them(site):
    url, browser = site
    page, _, errors = _page(browser)
    page.goto(f"{url}/plan?budget=200&keywords=vegan")
    assert page.locator("#strategies tbody tr").count() == 3
    # many micro or one macro: when no macro creator fits, the page says so in one line each
    notes = page.locator("#strategy-notes li").all_inner_texts()
    assert notes == [f"{s}: no creator of tier macro or above in the workspace fits the budget and the brief"
                     for s in ("one macro-influencer", "macro and micro mixed")]
    assert "Never picked: creators flagged inactive" in page.locator("#plan-choices").inner_text()
    api = httpx.post(f"{url}/api/v1/plan", json={"name": "Search", "keywords": ["vegan"], "budget": 200}).json()
    shown = page.locator("#picks tbody tr a").all_inner_texts()
    assert shown == ["@" + p["handle"] for p in api["picks"]]
    page.wait_for_selector("#chart-plan[data-drawn=true]", timeout=30_000)
    assert page.locator('#chart-plan svg [aria-roledescription="bar"]').count() == 3
    page.screenshot(path=str(SHOTS / "plan.png"), full_page=True)
    assert not errors


def test_an_import_from_the_data_page_shows_its_progress_until_done(site, tmp_path):
    import io
    import json
    import zipfile

    url, browser = site
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("bundle.json", json.dumps({"platform": "youtube", "collected_at": "2026-11-01T12:00:00Z"}))
        zf.writestr("accounts.csv", "account_id,handle,followers\nyt1,tube.bakes,9000\n")
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(buf.getvalue())
    page, _, errors = _page(browser)
    _login(page, url)
    page.goto(f"{url}/data")
    before = page.locator("#imports tbody tr").count()
    page.set_input_files("#upload input[type=file]", str(bundle))
    with page.expect_navigation():
        page.click("#upload button")
    page.wait_for_selector("#job[data-state=done]", timeout=60_000)
    assert page.locator("#job .job-step").inner_text() == "done"
    page.goto(f"{url}/data")
    assert page.locator("#imports tbody tr").count() == before + 1
    assert httpx.get(f"{url}/api/v1/creators/youtube/yt1").status_code == 404  # no post: audience, not a creator
    assert httpx.get(f"{url}/api/v1/accounts/resolve", params={"ref": "youtube:@tube.bakes"}).json() == {
        "platform": "youtube", "account_id": "yt1"}
    page.screenshot(path=str(SHOTS / "data.png"), full_page=True)
    assert not errors


def test_creators_ticked_on_a_shortlist_compare_side_by_side(site):
    url, browser = site
    page, _, errors = _page(browser)
    auth = {"Authorization": f"Bearer {TOKEN}"}
    for ref in ("instagram:anna.bakes", "instagram:ben.bakes", "instagram:dan.runs"):
        assert httpx.post(f"{url}/api/v1/shortlists/Compare me", json={"ref": ref}, headers=auth).status_code == 200
    page.goto(f"{url}/shortlist?name=Compare+me")
    page.check("input[name=ref][value='instagram:anna.bakes']")
    page.check("input[name=ref][value='instagram:ben.bakes']")
    with page.expect_navigation():
        page.click("#compare-button")
    heads = page.locator("#compare thead th[data-account]")
    assert [heads.nth(i).get_attribute("data-account") for i in range(heads.count())] == [
        "instagram:anna.bakes", "instagram:ben.bakes"]
    vets = [httpx.get(f"{url}/api/v1/creators/instagram/{h}").json() for h in ("anna.bakes", "ben.bakes")]
    row = page.locator("#compare tbody tr", has_text="followers").first
    assert [row.locator("td").nth(i).inner_text() for i in range(2)] == [f"{v['followers']:,}" for v in vets]
    # the higher median engagement is the one marked best
    rates = [v["engagement"]["rate_median"] for v in vets]
    rate_row = page.locator("#compare tbody tr", has_text="engagement rate (median)")
    best = rate_row.locator("td.best")
    assert best.count() == 1 and best.inner_text().startswith(f"{max(rates) * 100:.1f}%")
    page.screenshot(path=str(SHOTS / "compare.png"), full_page=True)
    one = page.request.get(f"{url}/compare?ref=instagram:anna.bakes")
    assert one.status == 400 and "2 to 4 creators: 1 given" in one.text()
    unknown = page.request.get(f"{url}/compare?ref=instagram:anna.bakes&ref=instagram:nobody")
    assert unknown.status == 404 and "no account instagram:nobody" in unknown.text()
    assert not errors
