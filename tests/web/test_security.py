"""The server under hostile conditions: DNS rebinding, pages beyond loopback, headers."""

from __future__ import annotations

import httpx
import pytest
from playwright.sync_api import sync_playwright
from tests.conftest import social_world
from tests.web.conftest import TOKEN, running
from tests.web.test_pages import CHROMIUM

ACCOUNT_COLS = "account_id,handle,followers,following,posts_count,bio,has_profile_pic,is_private"
POST_COLS = "post_id,account_id,created_at,likes,comments,caption"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
PAGES = ["/", "/creators", "/creators/instagram/c1", "/similar/instagram/c1", "/plan", "/data", "/campaigns",
         "/api/v1/docs", "/api/v1/openapi.json"]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("security")
    accounts = [("c1", "lena.bakes", 2000, 300, 40, "Vegane Kuchen", True, False),
                ("c2", "ola.bakes", 1500, 200, 30, "Wypieki", True, False)]
    accounts += [(f"p{j}", f"person{j}", 100, 200, 3, None, True, False) for j in range(30)]
    posts = [(f"{c}-{k}", c, f"2026-10-{k + 1:02d}T10:00:00Z", 80, 4, "Veganer Kuchen") for c in ("c1", "c2")
             for k in range(5)]
    follows = [(f"p{j}", "c1" if j % 2 else "c2") for j in range(30)]
    ws = social_world(tmp, ACCOUNT_COLS, accounts, POST_COLS, posts, follows)
    ws.analyze()
    yield ws
    ws.close()


def test_only_the_hosts_it_serves_are_answered(workspace):
    with running(workspace, allowed_hosts=["scout.example.org"]) as url:
        port = url.rsplit(":", 1)[1]
        for host in ("evil.example", f"evil.example:{port}", "127.0.0.1.evil.example", "localhost.evil"):
            for path in ("/", "/api/v1/info", "/creators/instagram/c1"):
                r = httpx.get(url + path, headers={"Host": host})
                assert r.status_code == 400, (host, path)
                assert "allowed_hosts" in r.json()["error"]
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"[::1]:{port}", "scout.example.org",
                     f"192.168.1.20:{port}"):
            assert httpx.get(url + "/api/v1/info", headers={"Host": host}).status_code == 200, host


def test_beyond_loopback_every_page_needs_the_token(workspace):
    with running(workspace, policy_host="0.0.0.0") as url:
        for path in PAGES:
            r = httpx.get(url + path)
            if path.startswith("/api/"):
                assert r.status_code == 401, path
            else:
                assert r.status_code == 303 and r.headers["location"] == "/login", path
        # the campaign tracking form, posted without a session, is turned away too
        assert httpx.post(url + "/campaigns/track", data={"brand": "x"}).status_code == 303
        for path in ("/login", "/static/app.css", "/favicon.ico"):
            assert httpx.get(url + path).status_code == 200, path
        # with the token as a header, or the session a login with it sets, the pages open
        for path in PAGES:
            assert httpx.get(url + path, headers=AUTH).status_code == 200, path
        with httpx.Client(base_url=url) as client:
            assert client.post("/login", data={"token": "wrong"}).status_code == 401
            assert client.get("/creators").status_code == 303
            assert client.post("/login", data={"token": TOKEN}).status_code == 303
            assert client.get("/creators").status_code == 200


def test_headers_tighten_the_page_and_static_files_are_cached(workspace):
    with running(workspace) as url:
        page = httpx.get(url + "/")
        csp = page.headers["content-security-policy"]
        assert "unsafe-eval" not in csp and "script-src 'self';" in csp
        for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in csp
        assert page.headers["cache-control"] == "no-store"
        static = httpx.get(url + "/static/app.css")
        assert "max-age" in static.headers["cache-control"]
        icon = httpx.get(url + "/favicon.ico")
        assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")


def test_the_api_docs_page_runs_offline_under_the_csp(workspace):
    with running(workspace) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--headless", "--disable-background-networking", "--disable-component-update"])
        page = browser.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        requested: list[str] = []
        page.on("request", lambda r: requested.append(r.url))
        page.goto(url + "/api/v1/docs")
        page.wait_for_selector(".opblock-tag", timeout=30_000)  # the endpoints, drawn from the OpenAPI document
        html = httpx.get(url + "/api/v1/docs").text
        browser.close()
    assert "<script>" not in html and "cdn" not in html.lower()
    assert all(r.startswith(url) for r in requested), [r for r in requested if not r.startswith(url)]
    assert not errors, errors


def test_injection_strings_in_query_parameters_get_one_line_errors_and_no_database_text(workspace):
    payloads = ["' OR 1=1 --", "x'; DROP TABLE accounts; --", "\" OR \"\"=\"", "1) UNION SELECT * FROM accounts --",
                "%27", "instagram' --"]
    with running(workspace) as url:
        for p in payloads:
            for key in ("platform", "tier", "sort", "q"):
                r = httpx.get(url + "/api/v1/creators", params={key: p})
                assert r.status_code in (200, 400), (key, p, r.status_code)
                body = r.text.lower()
                assert "duckdb" not in body and "binder error" not in body and "parser error" not in body
                if r.status_code == 400:
                    assert set(r.json()) == {"error"} and "\n" not in r.json()["error"]
            r = httpx.get(url + "/creators", params={"platform": p, "sort": p})
            assert r.status_code in (200, 400) and "duckdb" not in r.text.lower()
        assert httpx.get(url + "/api/v1/creators", params={"platform": "orkut"}).json()["error"].startswith(
            "platform: 'orkut' is not one of")
        assert httpx.get(url + "/api/v1/creators", params={"tier": "giant"}).json()["error"].startswith(
            "tier: 'giant' is not a tier")


XSS = ['<img src=x onerror="window.__pwned=1">', '"><svg onload="window.__pwned=1">',
       "'><b id=pwned onmouseover=\"window.__pwned=1\">x</b>", "javascript:window.__pwned=1",
       "../../api/v1/info<details open ontoggle=\"window.__pwned=1\">"]


def test_no_payload_in_a_path_or_query_reaches_any_page_s_dom_even_without_the_csp(workspace):
    from urllib.parse import quote

    routes = ["/creators/instagram/{p}", "/creators/{p}/c1", "/similar/instagram/{p}", "/similar/{p}/x",
              "/creators?platform={p}&q={p}&tier={p}&sort={p}", "/?name={p}&topic={p}&keywords={p}&locations={p}",
              "/plan?name={p}&topic={p}&budget={p}", "/data?job={p}", "/campaigns?brand={p}",
              "/campaigns/track?brand={p}&hashtag={p}", "/login?next={p}"]
    with running(workspace) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--headless", "--disable-background-networking", "--disable-component-update"])
        context = browser.new_context(bypass_csp=True)  # only escaping stands between a payload and the page
        page = context.new_page()
        for route in routes:
            for payload in XSS:
                for encoded in (quote(payload, safe=""), quote(quote(payload, safe=""), safe="")):
                    page.goto(url + route.format(p=encoded))
                    found = page.evaluate("""() => ({
                        pwned: window.__pwned === 1,
                        injected: [...document.querySelectorAll('*')].some(e => [...e.attributes].some(
                            a => a.name.startsWith('on') && a.value.includes('__pwned'))),
                        link: [...document.querySelectorAll('a[href^="javascript:"]')].length > 0})""")
                    assert found == {"pwned": False, "injected": False, "link": False}, (route, payload, found)
        browser.close()
