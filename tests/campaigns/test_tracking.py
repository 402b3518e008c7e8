"""Campaign tracking on a world whose KPIs are computed by hand; bad order files are refused."""

from __future__ import annotations

from datetime import datetime

import pytest
from tests.conftest import social_world
from tests.test_cli import NO_TOPIC, run

from microscout.campaigns.tracking import Campaign
from microscout.exceptions import MicroscoutError

ACCOUNT_COLS = "account_id,handle,followers,following,posts_count"
POST_COLS = "post_id,account_id,created_at,likes,comments,views,caption"
CAMPAIGN = Campaign(name="Winter", start=datetime(2026, 10, 10), end=datetime(2026, 10, 20),
                    hashtags=("kornblumewinter",), mentions=("kornblume",))


def _world(tmp_path, extra_posts=()):
    accounts = [("a", "anna.bakes", 1000, 100, 10), ("b", "ben.bakes", 2000, 100, 10), ("c", "cleo.bakes", 500, 100, 10),
                ("k", "kornblume", 9000, 10, 1)]
    posts = [("a1", "a", "2026-10-11T10:00:00Z", 100, 10, 1000, "Winterkuchen #kornblumewinter"),
             ("a2", "a", "2026-10-12T10:00:00Z", 50, 5, 500, "Noch einer #KornblumeWinter"),
             ("a0", "a", "2026-10-01T10:00:00Z", 999, 99, 9999, "Zu früh #kornblumewinter"),     # before the period
             ("b1", "b", "2026-10-15T10:00:00Z", 200, 20, None, "Mit @kornblume gebacken"),      # no views reported
             ("b2", "b", "2026-10-16T10:00:00Z", 300, 30, 4000, "Code BEN10 spart 10%"),         # the discount code
             ("c1", "c", "2026-10-15T10:00:00Z", 40, 4, 100, "Ein Kuchen"),                      # no mark: not counted
             ("k1", "k", "2026-10-15T10:00:00Z", 5, 1, 10, "Neu im Laden"), *extra_posts]
    ws = social_world(tmp_path, ACCOUNT_COLS, accounts, POST_COLS, posts, [])
    ws.relate("@anna.bakes", "kornblume", {"stage": "live", "fee": 100.0, "discount_code": "ANNA5"}, version=0)
    ws.relate("@ben.bakes", "kornblume", {"stage": "live", "fee": 400.0, "discount_code": "BEN10"}, version=0)
    return ws


def test_every_kpi_equals_the_hand_computation(tmp_path):
    orders = tmp_path / "orders.csv"
    orders.write_text("code,revenue,ordered_at\nANNA5,30,2026-10-12\nben10,50.5,2026-10-17T09:00:00Z\n"
                      "BEN10,49.5,2026-10-18\n")
    with _world(tmp_path) as ws:
        report = ws.track(CAMPAIGN, "kornblume", orders)
    by = {r["handle"]: r for r in report["creators"]}
    assert set(by) == {"anna.bakes", "ben.bakes"}
    a, b, total = by["anna.bakes"], by["ben.bakes"], report["total"]
    # anna: 2 posts, 165 engagements, 1,500 views, rate mean(110/1000, 55/1000)
    assert (a["posts"], a["engagements"], a["views"]) == (2, 165, 1500)
    assert a["engagement_rate"] == pytest.approx(0.0825)
    assert a["emv"] == pytest.approx(165 * 0.10 + 1.5 * 5.0)
    assert (a["cost"], a["conversions"], a["revenue"]) == (100.0, 1, 30.0)
    assert a["cpm"] == pytest.approx(100 / 1500 * 1000, abs=0.01)
    assert a["cost_per_engagement"] == pytest.approx(100 / 165, abs=1e-4)
    assert a["cost_per_acquisition"] == 100.0 and a["return"] == pytest.approx((30 - 100) / 100)
    # ben: 2 posts, 550 engagements, 4,000 views (one post reports none), 2 orders for 100
    assert (b["posts"], b["engagements"], b["views"], b["conversions"], b["revenue"]) == (2, 550, 4000, 2, 100.0)
    assert b["engagement_rate"] == pytest.approx((220 / 2000 + 330 / 2000) / 2)
    assert b["cost_per_acquisition"] == 200.0 and b["return"] == pytest.approx((100 - 400) / 400)
    assert (total["posts"], total["engagements"], total["views"], total["cost"], total["revenue"]) == (
        4, 715, 5500, 500.0, 130.0)
    assert total["cpm"] == pytest.approx(500 / 5500 * 1000, abs=0.01)
    assert [(t["tier"], t["creators"], t["revenue"]) for t in report["tiers"]] == [("nano", 2, 130.0)]


@pytest.mark.parametrize(("rows", "message"), [
    ("code,revenue,ordered_at\nNOPE,10,2026-10-12\n", "orders.csv:2: column code: 'NOPE' is no discount code"),
    ("code,revenue,ordered_at\nANNA5,-3,2026-10-12\n", "orders.csv:2: column revenue: '-3' is negative"),
    ("code,revenue,ordered_at\nANNA5,3,yesterday\n", "orders.csv:2: column ordered_at: 'yesterday' is not a date"),
    ("code,revenue,ordered_at\nANNA5,3,2026-11-30\n", "orders.csv:2: column ordered_at: '2026-11-30' is outside"),
    ("code,amount\nANNA5,3\n", "orders.csv:1: column revenue: missing from the header"),
])
def test_bad_order_files_get_clear_errors_and_change_nothing(tmp_path, rows, message):
    orders = tmp_path / "orders.csv"
    orders.write_text(rows)
    with _world(tmp_path) as ws:
        before = ws.info()["tables"]
        with pytest.raises(MicroscoutError, match=message):
            ws.track(CAMPAIGN, "kornblume", orders)
        assert ws.info()["tables"] == before


def test_the_cli_prints_the_campaign_and_refuses_a_bad_period(tmp_path):
    _world(tmp_path).close()
    r = run("campaign", "track", "--brand", "kornblume", "--from", "2026-10-10", "--to", "2026-10-19",
            "--hashtag", "kornblumewinter", "--db", "ws.duckdb", "-f", "json", cwd=tmp_path, env=NO_TOPIC)
    assert r.returncode == 0, r.stderr
    import json
    assert json.loads(r.stdout)["total"]["posts"] == 4
    bad = run("campaign", "track", "--brand", "kornblume", "--from", "2026-10-20", "--to", "2026-10-10",
              "--db", "ws.duckdb", cwd=tmp_path, env=NO_TOPIC)
    assert bad.returncode == 2 and "before --from" in bad.stderr


@pytest.mark.parametrize(("caption", "label", "status"), [
    ("#Anzeige Winterkuchen mit @kornblume", None, "ok"),
    ("Bezahlte Partnerschaft mit Kornblume: Kuchen!", None, "ok"),
    ("Winterkuchen\nmit Liebe gebacken\n#kuchen #winter #ad", None, "buried"),
    ("Winterkuchen mit #adidas Schuhen #adventure", None, "missing"),   # #ad only as a whole tag
    ("Winterkuchen", True, "ok"),                                        # the platform's label
    ("Pyszne ciasto #reklama", None, "ok"),
])
def test_disclosure_status_of_one_post(caption, label, status):
    from microscout.campaigns.compliance import disclosure_status

    assert disclosure_status(caption, label)[0] == status


def test_every_undisclosed_campaign_post_is_reported(tmp_path):
    with _world(tmp_path) as ws:
        report = ws.track(CAMPAIGN, "kornblume")
    # none of the four campaign posts of this world discloses anything
    d = report["disclosure"]
    assert (d["ok"], d["buried"], d["missing"]) == (0, 0, 4)
    assert sorted(x["post_id"] for x in d["to_fix"]) == ["a1", "a2", "b1", "b2"]
    assert all("add #ad" in x["reason"] for x in d["to_fix"])


def test_posts_by_non_partners_are_user_generated_and_counted_apart(tmp_path):
    extra = [("c2", "c", "2026-10-14T10:00:00Z", 20, 2, 300, "Nachgebacken! #kornblumewinter"),  # no relationship
             ("k2", "k", "2026-10-14T10:00:00Z", 80, 8, 900, "Unsere #kornblumewinter Aktion")]  # the brand itself
    with _world(tmp_path, extra) as ws:
        ws.relate("@cleo.bakes", "kornblume", {"stage": "contacted"}, version=0)  # contacted is no partner yet
        report = ws.track(CAMPAIGN, "kornblume")
    assert {r["handle"] for r in report["creators"]} == {"anna.bakes", "ben.bakes"}
    assert report["total"]["posts"] == 4
    ugc = report["user_generated"]
    assert (ugc["creators"], ugc["posts"], ugc["engagements"], ugc["views"]) == (1, 1, 22, 300)
    assert ugc["emv"] == pytest.approx(22 * 0.10 + 0.3 * 5.0)
    assert [r["handle"] for r in ugc["items"]] == ["cleo.bakes"]
    # only paid posts need an ad disclosure
    assert sorted(x["post_id"] for x in report["disclosure"]["to_fix"]) == ["a1", "a2", "b1", "b2"]


def test_emv_rates_come_from_the_settings(tmp_path):
    from dataclasses import replace

    with _world(tmp_path) as ws:
        report = ws.track(replace(CAMPAIGN, emv_per_engagement=0.5, emv_per_1000_views=0.0), "kornblume")
    assert report["total"]["emv"] == pytest.approx(715 * 0.5)
    assert report["emv_rates"] == {"per_engagement": 0.5, "per_1000_views": 0.0}


def test_the_shareable_report_and_the_csv_export(tmp_path):
    extra = [("c2", "c", "2026-10-14T10:00:00Z", 20, 2, 300, "Nachgebacken! #kornblumewinter")]
    _world(tmp_path, extra).close()
    args = ("campaign", "track", "--brand", "kornblume", "--from", "2026-10-10", "--to", "2026-10-19",
            "--hashtag", "kornblumewinter", "--db", "ws.duckdb")
    r = run(*args, "--report", "winter.html", "-f", "csv", cwd=tmp_path, env=NO_TOPIC)
    assert r.returncode == 0, r.stderr
    import csv
    import io
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(x["handle"], x["partner"], x["posts"]) for x in rows] == [
        ("ben.bakes", "true", "2"), ("anna.bakes", "true", "2"), ("cleo.bakes", "false", "1")]
    html = (tmp_path / "winter.html").read_text()
    # one file that opens anywhere: charts as inline SVG, no script, no outside resource
    assert html.count("<svg") == 3 and "<script" not in html and "http://" not in html.replace(
        "http://www.w3.org", "")
    assert "@anna.bakes" in html and "@cleo.bakes" in html and "missing" in html
    assert ">715<" in html  # the total engagements of the partners
    # the same report in German: its words, its numbers and dates as German writes them
    r = run(*args, "--report", "winter-de.html", "--language", "de", cwd=tmp_path, env=NO_TOPIC)
    assert r.returncode == 0, r.stderr
    german = (tmp_path / "winter-de.html").read_text()
    assert '<html lang="de">' in german and "Kampagnenbericht" in german and "Nach Stufe" in german
    assert "10.10.2026 bis 19.10.2026" in german and "ohne Kennzeichnung" in german
    assert ">715<" in german and "Partners<" not in german and "By tier" not in german
    # the charts too: their titles and labels
    assert "Cost per engagement by tier" in html and "Kosten pro Interaktion nach Stufe" in german
    assert "Cost per engagement by tier" not in german and "Disclosure of the paid posts" not in german
    wrong = run(*args, "--report", "x.html", "--language", "fr", cwd=tmp_path, env=NO_TOPIC)
    assert wrong.returncode == 2 and "--language fr: expected one of en, de, pl, da, nl" in wrong.stderr
    assert not (tmp_path / "x.html").exists()


def test_an_uploaded_orders_file_is_named_by_its_own_name_never_a_server_path(tmp_path):
    from microscout.campaigns.track import track_orders_text

    with _world(tmp_path) as ws, pytest.raises(MicroscoutError) as caught:
        track_orders_text(ws, CAMPAIGN, "kornblume", "code,revenue,ordered_at\nNOPE,10,2026-10-12\n",
                          "/home/anna/Downloads/winter orders.csv")
    assert str(caught.value).startswith("winter orders.csv:2: column code: 'NOPE'")
    assert "microscout-orders" not in str(caught.value) and "/tmp" not in str(caught.value)


def test_without_orders_revenue_and_return_are_unknown_not_minus_100_percent(tmp_path):
    with _world(tmp_path) as ws:
        report = ws.track(CAMPAIGN, "kornblume")
        assert report["orders_given"] is False and report["currency"] == "EUR"
        for row in (report["total"], *report["creators"], *report["tiers"]):
            assert (row["conversions"], row["revenue"], row["cost_per_acquisition"], row["return"]) == (
                None, None, None, None)
        assert report["total"]["cost"] == 500.0  # what is known stays
        ws.relate("@ben.bakes", "kornblume", {"currency": "usd"}, version=1)
        with pytest.raises(MicroscoutError, match=r"fees are in EUR, USD: .* one currency"):
            ws.track(CAMPAIGN, "kornblume")
        ws.relate("@anna.bakes", "kornblume", {"currency": "USD"}, version=1)
        assert ws.track(CAMPAIGN, "kornblume")["currency"] == "USD"


def test_the_cli_table_fits_80_columns_with_money_in_its_currency_and_posts_by_caption(tmp_path):
    _world(tmp_path).close()
    args = ("campaign", "track", "--brand", "kornblume", "--from", "2026-10-10", "--to", "2026-10-19",
            "--hashtag", "kornblumewinter", "--db", "ws.duckdb")
    r = run(*args, cwd=tmp_path, env={**NO_TOPIC, "COLUMNS": "80"})
    assert r.returncode == 0, r.stderr
    assert max(len(line) for line in r.stdout.splitlines()) <= 80, r.stdout
    flat = " ".join(r.stdout.split())  # sentences wrap at 80 columns
    assert "cost 500.00 EUR" in flat and "no orders given" in flat and "-100" not in flat
    # every figure of both partners is there: reach, money, cost per result
    rows = [line.split()[0] for line in r.stdout.splitlines() if line.strip().startswith(("@", "total"))]
    assert rows == ["@ben.bakes", "@anna.bakes", "total"] * 3
    assert "“Winterkuchen #kornblumewinter” of 2026-10-11: missing" in flat and " a1 " not in flat
    orders = tmp_path / "orders.csv"
    orders.write_text("code,revenue,ordered_at\nANNA5,30,2026-10-12\n")
    r = run(*args, "--orders", str(orders), cwd=tmp_path, env={**NO_TOPIC, "COLUMNS": "80"})
    assert "revenue 30.00 EUR from 1 order · return -94.0%" in " ".join(r.stdout.split()), r.stdout


def test_help_keeps_every_option_name_whole_on_an_80_column_terminal(tmp_path):
    import typer.main

    from microscout.cli import app

    def commands(group, path=()):
        for name, cmd in group.commands.items():
            if hasattr(cmd, "commands"):
                yield from commands(cmd, (*path, name))
            else:
                yield (*path, name), cmd

    for path, cmd in commands(typer.main.get_command(app)):
        if path[0] not in ("campaign", "scout", "plan", "collect"):  # the longest option names; each face once
            continue
        r = run(*path, "--help", cwd=tmp_path, env={"COLUMNS": "80"})
        assert r.returncode == 0, r.stderr
        assert max(len(line) for line in r.stdout.splitlines()) <= 80
        for param in cmd.params:
            for opt in param.opts:
                if opt.startswith("--"):
                    assert opt in r.stdout, (path, opt)
