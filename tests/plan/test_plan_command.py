"""microscout plan: the plan contract from a workspace, the strategies, fraud flags and user errors."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from tests.conftest import social_world
from tests.test_cli import NO_TOPIC, run

from microscout import open_workspace
from microscout.demo import SIZES, write_world

ACCOUNT_COLS = "account_id,handle,followers,following,posts_count,bio"
POST_COLS = "post_id,account_id,created_at,likes,comments,caption"
BRIEF = """name = "Vegan cakes"
keywords = ["vegan"]
tiers = ["emerging", "nano", "micro"]
budget = 40
currency = "EUR"
[plan]
max_posts_per_creator = 2
"""
BRIEF_DICT = {"name": "Vegan cakes", "keywords": ["vegan"], "tiers": ["emerging", "nano", "micro"], "budget": 40,
              "plan": {"max_posts_per_creator": 2}}


def _world(tmp_path):
    """Five vegan bakers, two of them twins with the same 400 followers, and one vegan macro star."""
    bakers = {"twin.a": 400, "twin.b": 400, "solo.c": 300, "solo.d": 250, "solo.e": 200}
    accounts = [(h, h, n, 300, 40, "Vegane Kuchen, vegan backen") for h, n in bakers.items()]
    accounts.append(("star", "vegan.star", 600_000, 500, 900, "Vegan food for everyone"))
    accounts.append(("brand", "kornblume", 5_000, 10, 0, "Bio-Bäckerei"))  # the brand: no posts, not a candidate
    people = 2_000
    accounts += [(f"p{j}", f"person{j}", 100, 200, 3, None) for j in range(people)]
    follows = [(f"p{j}", "twin.a") for j in range(400)] + [(f"p{j}", "twin.b") for j in range(400)]
    follows += [(f"p{j}", "solo.c") for j in range(400, 700)] + [(f"p{j}", "solo.d") for j in range(700, 950)]
    follows += [(f"p{j}", "solo.e") for j in range(950, 1150)] + [(f"p{j}", "star") for j in range(1150, 2000)]
    posts = [(f"{a}-{k}", a, f"2026-10-{k + 1:02d}T10:00:00Z", max(n // 20, 5), 3, "Veganer Kuchen heute")
             for a, _, n, *_ in accounts[:6] for k in range(8)]
    return social_world(tmp_path, ACCOUNT_COLS, accounts, POST_COLS, posts, follows)


def test_the_plan_buys_one_twin_counts_shared_followers_once_and_compares_strategies(tmp_path):
    _world(tmp_path).close()
    (tmp_path / "brief.toml").write_text(BRIEF)
    # a post reaches nearly every follower, so the second twin would add almost no one
    (tmp_path / "microscout.toml").write_text("[reach_rates]\ntiers = {emerging = 0.95}\n")
    r = run("plan", "brief.toml", "--db", "ws.duckdb", "-f", "json", cwd=tmp_path, env=NO_TOPIC)
    assert r.returncode == 0, r.stderr
    plan = json.loads(r.stdout)
    assert {"budget", "currency", "spent", "objective", "unique_reach", "expected_engagements", "picks",
            "alternatives"} <= plan.keys()
    assert plan["budget"] == 40 and plan["currency"] == "EUR" and plan["objective"] == "unique_reach"
    assert plan["spent"] <= 40
    handles = [p["handle"] for p in plan["picks"]]
    # four posts fit (9.20 EUR each); the twins share every follower, so the second would reach 5% of
    # 400 people where a post of solo.e reaches 95% of 200
    assert len({"twin.a", "twin.b"} & set(handles)) == 1
    assert {"solo.c", "solo.d", "solo.e"} <= set(handles)
    assert sum(p["unique_reach_added"] for p in plan["picks"]) == pytest.approx(plan["unique_reach"], abs=len(handles))
    assert sum(p["cost"] for p in plan["picks"]) == pytest.approx(plan["spent"])
    for p in plan["picks"]:
        assert 1 <= p["posts"] <= 2 and p["cost"] == pytest.approx(p["posts"] * p["price_per_post"])
    # the overlap matrix of the picks: solo creators share no one, a creator shares its whole audience with itself
    matrix = plan["overlap"]
    assert len(matrix["accounts"]) == len(handles) == len(matrix["shared_followers"])
    i = handles.index("solo.c")
    assert matrix["shared_followers"][i][i] == 300 and matrix["jaccard"][i][i] == 1.0
    assert sum(matrix["shared_followers"][i]) == 300 and sum(matrix["jaccard"][i]) == 1.0
    # five creators and a shortlist this small is solved exactly too
    assert plan["exact"]["greedy_share_of_exact"] <= 1.0 and plan["method"].startswith(("greedy", "exact"))
    single, mixed = plan["alternatives"]
    assert single["strategy"] == "single_macro" and mixed["strategy"] == "mixed"
    # the star (600k followers, about 5,500 EUR a post) does not fit 40 EUR
    assert single["unique_reach"] == 0 and "note" in single
    # with enough money the star is the macro option; mixed spends about half on it
    big = run("plan", "brief.toml", "--budget", "20000", "--db", "ws.duckdb", "-f", "json", cwd=tmp_path, env=NO_TOPIC)
    plan = json.loads(big.stdout)
    single, mixed = plan["alternatives"]
    assert [p["handle"] for p in single["picks"]] == ["vegan.star"] and single["spent"] <= 20000
    star = next(p for p in mixed["picks"] if p["handle"] == "vegan.star")
    assert star["cost"] <= 10000 and mixed["spent"] <= 20000 and mixed["contracts"] >= 2
    assert single["contracts"] == 1 and single["cpm"] > plan["cpm"]


def test_the_table_shows_picks_and_strategies(tmp_path):
    _world(tmp_path).close()
    (tmp_path / "brief.toml").write_text(BRIEF)
    r = run("plan", "brief.toml", "--db", "ws.duckdb", cwd=tmp_path, env=NO_TOPIC)
    assert r.returncode == 0, r.stderr
    assert "@solo.c (instagram)" in r.stdout and "micro_portfolio" in r.stdout and "single_macro" in r.stdout


@pytest.mark.parametrize(("brief", "args", "message"), [
    ('name = "x"\nkeywords = ["vegan"]\n', [], "plan needs a budget above 0"),
    ('name = "x"\nbudget = 100\ncurrency = "XYZ"\n', [], "exchange_rates: no rate for 'XYZ'"),
    ('name = "x"\nbudget = 100\n[plan]\nobjective = "fame"\n', [], "objective"),
    ('name = "x"\nbudget = 100\n', ["--post-format", "tweet"], "post format 'tweet'"),
])
def test_user_errors_are_one_clear_line(tmp_path, brief, args, message):
    _world(tmp_path).close()
    (tmp_path / "brief.toml").write_text(brief)
    r = run("plan", "brief.toml", *args, "--db", "ws.duckdb", cwd=tmp_path, env=NO_TOPIC)
    assert r.returncode == 2 and message in r.stderr and "Traceback" not in r.stderr


def test_fraud_flagged_creators_are_left_out_unless_the_brief_allows_them(tmp_path):
    world = write_world(tmp_path / "w", params=replace(SIZES["small"], accounts=1_500, creator_share=0.15), seed=5)
    fraud = ("bought_followers", "bought_engagement", "engagement_pod")
    with open_workspace(db=tmp_path / "ws.duckdb", topic_model="none") as ws:
        ws.import_bundle(world.bundle)
        strict = ws.plan({"name": "all", "budget": 3000}, candidates=400)
        lenient = ws.plan({"name": "all", "budget": 3000, "allow_flags": list(fraud)}, candidates=400)
        flagged = ws.creators(flags=["engagement_pod"], limit=1000)[1]
    assert flagged > 0
    assert not {f for p in strict["picks"] for f in p["flags"]} & set(fraud)
    assert lenient["candidates"] > strict["candidates"]


def test_word_of_mouth_values_the_creator_whose_followers_are_followed_in_turn(tmp_path):
    # y reaches twice as many people directly (a post reaches 95% of followers); x's ten followers each
    # have twenty followers of their own, y's have none. One post fits the budget.
    accounts = [("x", "x.bakes", 10, 300, 40, "Vegane Kuchen"), ("y", "y.bakes", 20, 300, 40, "Vegane Kuchen")]
    follows = []
    for i in range(10):
        accounts.append((f"fx{i}", f"fanx{i}", 20, 1, 3, None))
        follows.append((f"fx{i}", "x"))
        for j in range(20):
            accounts.append((f"fx{i}-{j}", f"fanx{i}_{j}", 5, 1, 1, None))
            follows.append((f"fx{i}-{j}", f"fx{i}"))
    for i in range(20):
        accounts.append((f"fy{i}", f"fany{i}", 5, 1, 1, None))
        follows.append((f"fy{i}", "y"))
    posts = [(f"{a}-{k}", a, f"2026-10-{k + 1:02d}T10:00:00Z", 2, 1, "Veganer Kuchen") for a in "xy" for k in range(6)]
    brief = {"name": "cakes", "keywords": ["kuchen"], "budget": 10, "plan": {"max_posts_per_creator": 1}}
    with social_world(tmp_path, ACCOUNT_COLS, accounts, POST_COLS, posts, follows, word_of_mouth_samples=20_000,
                      reach_rates={"tiers": {"emerging": 0.95}}) as ws:
        direct = ws.plan(brief)
        spread = ws.plan(brief, word_of_mouth=1.0)
    assert [p["handle"] for p in direct["picks"]] == ["y.bakes"] and "word_of_mouth" not in direct
    assert [p["handle"] for p in spread["picks"]] == ["x.bakes"]
    # x, its 10 followers and their 200 (each follows one account only: every edge fires)
    assert spread["word_of_mouth"]["expected_spread"] == pytest.approx(211, rel=0.1)


def test_a_negotiated_price_overrides_the_rate_card(tmp_path):
    with _world(tmp_path) as ws:
        listed = ws.plan(BRIEF_DICT)
        agreed = ws.plan(BRIEF_DICT, prices={"@solo.c": 2.5, "instagram:twin.a": 1.0})
    by = {p["handle"]: p for p in agreed["picks"]}
    assert by["solo.c"]["price_per_post"] == 2.5 and by["solo.c"]["price_source"] == "negotiated"
    assert by["twin.a"]["price_per_post"] == 1.0
    assert {p["price_source"] for p in listed["picks"]} == {"rate card"}
    # the money saved buys more: more posts or creators than at list prices
    assert sum(p["posts"] for p in agreed["picks"]) > sum(p["posts"] for p in listed["picks"])


def test_accounts_the_user_links_are_one_creator_in_the_plan(tmp_path):
    brief = {**BRIEF_DICT, "budget": 200, "plan": {"max_creators": 3, "max_posts_per_creator": 1}}
    with _world(tmp_path) as ws:
        apart = ws.plan(brief)
    with open_workspace(db=tmp_path / "ws.duckdb", topic_model="none",
                        account_links=[["@solo.d", "@solo.e"]]) as ws:
        linked = ws.plan(brief)
    assert len(apart["picks"]) == apart["contracts"] == 3
    # solo.d and solo.e are one person now: four accounts, three contracts
    assert len(linked["picks"]) == 4 and linked["contracts"] == 3
    by = {p["handle"]: p["person"] for p in linked["picks"]}
    assert by["solo.d"] == by["solo.e"] and len(set(by.values())) == 3


def test_the_chart_shows_three_strategies_the_picks_and_their_overlap_offline(tmp_path):
    _world(tmp_path).close()
    (tmp_path / "brief.toml").write_text(BRIEF)
    r = run("plan", "brief.toml", "--budget", "20000", "--chart", "plan.svg", "--db", "ws.duckdb", "-f", "json",
            cwd=tmp_path, env=NO_TOPIC)
    assert r.returncode == 0, r.stderr
    plan = json.loads(r.stdout)
    svg = (tmp_path / "plan.svg").read_text()
    assert svg.count('aria-roledescription="bar"') == 3                      # one bar per strategy
    assert svg.count('aria-roledescription="circle"') == len(plan["picks"])  # one dot per pick
    assert svg.count('aria-roledescription="rect mark"') == len(plan["picks"]) ** 2  # the overlap heatmap
    html = run("plan", "brief.toml", "--chart", "plan.html", "--db", "ws.duckdb", cwd=tmp_path, env=NO_TOPIC)
    assert html.returncode == 0 and "chart written to plan.html" in html.stdout
    page = (tmp_path / "plan.html").read_text()
    # the Vega libraries are inlined: no script or stylesheet is fetched from anywhere
    assert "vegaEmbed" in page and not re.search(r"<script[^>]*\ssrc=|<link[^>]*\shref=", page)
    bad = run("plan", "brief.toml", "--chart", "plan.pdf", "--db", "ws.duckdb", cwd=tmp_path, env=NO_TOPIC)
    assert bad.returncode == 2 and "'.pdf' is not a chart format" in bad.stderr


def test_prices_agreed_in_relationships_feed_the_plan(tmp_path):
    brief = {**BRIEF_DICT, "brand_accounts": ["instagram:brand"]}
    with _world(tmp_path) as ws:
        ws.relate("@solo.c", "@kornblume", {"stage": "agreed", "price_per_post": 2.5, "currency": "EUR"}, version=0)
        ws.relate("@solo.d", "kornblume", {"stage": "negotiating", "price_per_post": 5, "currency": "USD"}, version=0)
        ws.relate("@solo.e", "kornblume", {"stage": "prospect", "price_per_post": 1}, version=0)  # not named yet
        plan = ws.plan(brief)
        everyone = ws.plan({**brief, "budget": 400})  # enough for every baker
        other_brand = ws.plan(BRIEF_DICT)
    by = {p["handle"]: p for p in plan["picks"]}
    assert by["solo.c"]["price_per_post"] == 2.5 and by["solo.c"]["price_source"] == "negotiated"
    assert by["solo.d"]["price_per_post"] == pytest.approx(5 * 0.92)  # USD at the settings' rate
    # a price named at the prospect stage is no agreement: solo.e keeps its rate-card price
    assert {p["handle"]: p["price_source"] for p in everyone["picks"]}["solo.e"] == "rate card"
    assert {p["price_source"] for p in other_brand["picks"]} == {"rate card"}
