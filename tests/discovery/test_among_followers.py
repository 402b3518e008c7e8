"""scout --among-followers: creators who follow the brand, ranked with their influence."""

from __future__ import annotations

import json

import ibis
import pandas as pd
from tests.conftest import social_world
from tests.test_cli import NO_TOPIC, run

from microscout.discovery.influence import pagerank

ACCOUNT_COLS = "account_id,handle,followers,following,posts_count,bio"
POST_COLS = "post_id,account_id,created_at,likes,comments,caption"


def _world(tmp_path):
    accounts = [("b", "kornblume", 20_000, 10, 50, "Bio-Bäckerei"),
                ("c1", "big.baker", 40_000, 300, 90, "Brot und Brötchen"),
                ("c2", "small.baker", 2_000, 300, 40, "Vegane Kuchen"),
                ("c3", "elsewhere", 30_000, 300, 60, "Kuchen in Wien")]
    accounts += [(f"f{j}", f"fan{j}", 150, 200, 3, None) for j in range(20)]
    posts = []
    for cid, caption in (("b", "Neu im Laden"), ("c1", "Sauerteig am Morgen"), ("c2", "Veganer Kuchen mit @big.baker"),
                         ("c3", "Kuchen am Sonntag")):
        posts += [(f"{cid}-{k}", cid, f"2026-10-{k + 1:02d}T10:00:00Z", 400, 20, caption) for k in range(5)]
    follows = [("c1", "b"), ("c2", "b"), ("c2", "c1")] + [(f"f{j}", "b") for j in range(10)]
    follows += [(f"f{j}", "c1") for j in range(20)] + [(f"f{j}", "c2") for j in range(3)]
    follows += [(f"f{j}", "c3") for j in range(10, 20)]
    return social_world(tmp_path, ACCOUNT_COLS, accounts, POST_COLS, posts, follows)


def test_only_the_brands_followers_ranked_by_influence_and_a_topic_narrows_them(tmp_path):
    with _world(tmp_path) as ws:
        out = ws.scout_records({"name": "Fans"}, among_followers=["@kornblume"])
        narrowed = ws.scout_records({"name": "Kuchen", "keywords": ["kuchen"]}, among_followers=["instagram:b"])
        ranks = ws.table("creator_influence").execute().set_index("account_id")
    assert out["brief"] == "among followers of @kornblume: Fans"
    # elsewhere does not follow the brand, the brand is not its own follower
    assert [r["handle"] for r in out["results"]] == ["big.baker", "small.baker"]
    big, small = out["results"]
    assert big["parts"]["influence"] > small["parts"]["influence"]
    assert any(x.startswith("Influence") and "PageRank" in x for x in big["reasons"])
    # the brand, followed by both bakers and ten fans, is the most central; then big.baker, followed by
    # 20 sampled fans and by small.baker and named in its posts; small.baker has 3 fans who follow others too
    assert list(ranks.pagerank.sort_values(ascending=False).index) == ["b", "c1", "c3", "c2"]
    assert ranks.loc["b", "pagerank_pct"] == 1.0
    # a topic ranks the brand's followers, it never drops one: big.baker bakes bread, not cakes
    assert [r["handle"] for r in narrowed["results"]] == ["small.baker", "big.baker"]
    off = narrowed["results"][1]
    assert off["parts"]["relevance"] == 0 and any("kept because it follows the brand" in x for x in off["reasons"])
    assert not any("kept because" in x for x in narrowed["results"][0]["reasons"])


def test_pagerank_follows_the_links_on_a_graph_with_a_known_order():
    # a → c, b → c, c → d: d gets all of c's rank, c gets a's and b's, a and b only the teleport share
    edges = ibis.memtable(pd.DataFrame({"platform": ["x"] * 3, "src": ["a", "b", "c"], "dst": ["c", "c", "d"]}))
    creators = ibis.memtable(pd.DataFrame({"platform": ["x"] * 4, "account_id": list("abcd")}))
    ranks = pagerank(edges, creators).set_index("account_id")
    assert ranks.pagerank["d"] > ranks.pagerank["c"] > ranks.pagerank["a"] == ranks.pagerank["b"]
    assert abs(ranks.pagerank.sum() - 1.0) < 1e-6
    assert ranks.pagerank_pct["d"] == 1.0


def test_among_followers_from_the_cli(tmp_path):
    _world(tmp_path).close()
    r = run("scout", "--among-followers", "--brand", "@kornblume", "--db", "ws.duckdb", "-f", "json",
            cwd=tmp_path, env=NO_TOPIC)
    assert r.returncode == 0, r.stderr
    assert [x["handle"] for x in json.loads(r.stdout)["results"]] == ["big.baker", "small.baker"]
    r = run("scout", "--among-followers", "--db", "ws.duckdb", cwd=tmp_path, env=NO_TOPIC)
    assert r.returncode == 2 and "brand" in r.stderr and "Traceback" not in r.stderr
    r = run("scout", "--db", "ws.duckdb", cwd=tmp_path, env=NO_TOPIC)
    assert r.returncode == 2 and "brief" in r.stderr and "Traceback" not in r.stderr
