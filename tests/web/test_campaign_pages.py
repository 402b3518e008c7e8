"""The campaign pages in a real headless Chromium, and the campaign exports of the API: the
pipeline with stage changes (a stale form gets the conflict), tracking with its charts, the
shareable report and the CSV."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from tests.campaigns.test_tracking import _world
from tests.web.test_pages import SHOTS, _login, _page, browse

ORDERS = "code,revenue,ordered_at\nANNA5,30,2026-10-12\nBEN10,50.5,2026-10-17\n"
UGC = [("c2", "c", "2026-10-14T10:00:00Z", 20, 2, 300, "Nachgebacken! #kornblumewinter")]
TRACK = {"brand": "kornblume", "start": "2026-10-10", "end": "2026-10-19", "hashtags": ["kornblumewinter"],
         "orders": [{"code": "ANNA5", "revenue": 30, "ordered_at": "2026-10-12"},
                    {"code": "BEN10", "revenue": 50.5, "ordered_at": "2026-10-17"}]}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    ws = _world(tmp_path_factory.mktemp("campaign-pages"), UGC)
    ws.analyze()  # as `microscout serve` does before serving: the server's reads never analyze
    yield from browse(ws)


def test_the_api_exports_a_campaign_as_csv_and_as_the_shareable_report(site):
    url, _ = site
    report = httpx.post(f"{url}/api/v1/campaigns/track", json=TRACK).json()
    assert (report["total"]["revenue"], report["user_generated"]["posts"]) == (80.5, 1)
    rows = list(csv.DictReader(io.StringIO(httpx.post(f"{url}/api/v1/campaigns/track", json=TRACK,
                                                      params={"format": "csv"}).text)))
    assert {(r["handle"], r["partner"], r["revenue"]) for r in rows} == {
        ("anna.bakes", "true", "30.0"), ("ben.bakes", "true", "50.5"), ("cleo.bakes", "false", "")}
    html = httpx.post(f"{url}/api/v1/campaigns/track", json=TRACK, params={"format": "html"})
    assert html.headers["content-disposition"].startswith("attachment") and html.text.count("<svg") == 3
    pipeline = httpx.get(f"{url}/api/v1/relationships", params={"brand": "kornblume", "format": "csv"}).text
    assert sorted(r["handle"] for r in csv.DictReader(io.StringIO(pipeline))) == ["anna.bakes", "ben.bakes"]


def test_the_pipeline_page_changes_a_stage_and_a_stale_form_gets_the_conflict(site):
    url, browser = site
    page, _, errors = _page(browser)
    _login(page, url)
    page.goto(f"{url}/campaigns?brand=kornblume")
    page.wait_for_selector("#chart-funnel[data-drawn=true]", timeout=30_000)
    assert page.locator('#chart-funnel svg [aria-roledescription="bar"]').count() == 7  # one per stage
    other, _, _ = _page(browser)
    _login(other, url)
    other.goto(f"{url}/campaigns?brand=kornblume")  # a second reader holds the same versions
    row = page.locator("#pipeline tr", has_text="@anna.bakes")
    row.locator("select[name=stage]").select_option("completed")
    with page.expect_navigation():
        row.locator("button").click()
    assert page.locator("#pipeline tr", has_text="@anna.bakes").get_attribute("data-stage") == "completed"
    stale = other.locator("#pipeline tr", has_text="@anna.bakes")
    stale.locator("input[name=note]").fill("my edit")
    with other.expect_navigation():
        stale.locator("button").click()
    assert "changed by someone else" in other.locator("p.error").inner_text()
    record = httpx.get(f"{url}/api/v1/relationships/instagram/a", params={"brand": "kornblume"}).json()
    assert (record["stage"], record["version"], record.get("notes")) == ("completed", 2, None)
    page.screenshot(path=str(SHOTS / "campaigns.png"), full_page=True)
    assert not errors


def test_tracking_page_shows_the_figures_draws_them_and_downloads_the_report(site, tmp_path):
    url, browser = site
    page, dialogs, errors = _page(browser)
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS)
    page.goto(f"{url}/campaigns/track?brand=kornblume")
    page.fill("input[name=start]", "2026-10-10")
    page.fill("input[name=end]", "2026-10-19")
    page.fill("input[name=hashtags]", "kornblumewinter")
    page.set_input_files("input[name=orders]", str(orders))
    with page.expect_navigation():
        page.click("button[value=show]")
    api = httpx.post(f"{url}/api/v1/campaigns/track", json=TRACK).json()
    shown = page.locator("#partners tbody tr a").all_inner_texts()
    assert shown == ["@" + c["handle"] for c in api["creators"]]
    assert "revenue 80.50" in page.locator("#summary").inner_text()
    assert page.locator("#user-generated tbody tr a").all_inner_texts() == ["@cleo.bakes"]
    page.wait_for_selector("#chart-value[data-drawn=true]", timeout=30_000)
    # cost, EMV and revenue for each of the two partners
    assert page.locator('#chart-value svg [aria-roledescription="bar"]').count() == 6
    page.screenshot(path=str(SHOTS / "campaign-track.png"), full_page=True)
    # the orders travel with the page, so the report holds the same revenue without a second upload
    with page.expect_download() as download:
        page.click("#download-report")
    report = (tmp_path / "report.html")
    download.value.save_as(report)
    text = report.read_text()
    assert text.count("<svg") == 3 and ">80.50<" in text and "<script" not in text
    assert not dialogs and not errors
