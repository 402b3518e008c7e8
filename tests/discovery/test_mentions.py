"""mentions: who already tags the brand in their own posts."""

from __future__ import annotations

import json

from tests.test_cli import run

POST_COLS = "post_id,account_id,created_at,likes,comments,caption"


def _posts(account: str, captions: list[str]) -> list[tuple]:
    return [(f"{account}-{k}", account, f"2026-10-{k + 1:02d}T10:00:00Z", 100, 5, c) for k, c in enumerate(captions)]


def test_fans_who_tag_the_brand_most_come_first_the_brand_itself_never(tiny, tmp_path):
    accounts = [("b", "kornblume", 20_000), ("f1", "mia.isst", 800), ("f2", "tom.kocht", 900), ("f3", "ola", 700)]
    posts = (_posts("b", ["Neue Sorte! @kornblume"] * 3)
             + _posts("f1", ["Frühstück mit @kornblume", "Wieder @Kornblume 😍", "Danke @kornblume", "Spaziergang"])
             + _posts("f2", ["#Anzeige Brot von @kornblume", "Pasta", "Suppe"])
             + _posts("f3", ["Kuchen", "Tee"]))
    ws = tiny(accounts, posts, post_cols=POST_COLS)
    ws.close()
    r = run("mentions", "@kornblume", "--db", str(tmp_path / "ws0.duckdb"), "--format", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["brief"] == "mentions of @kornblume"
    assert [x["handle"] for x in out["results"]] == ["mia.isst", "tom.kocht"]
    first = out["results"][0]
    assert first["parts"]["relevance"] == 1.0 and first["parts"]["place"] is None
    assert first["reasons"][0] == ("Mentions @kornblume in 3 posts, the latest on 2026-10-03; none disclosed as "
                                   "paid: organic.")
    assert (first["paid"], out["results"][1]["paid"], out["results"][1]["paid_posts"]) == (False, True, 1)
    assert out["results"][1]["reasons"][0].endswith("1 of them disclosed as paid: a partner, not an organic fan.")
    assert out["results"][1]["parts"]["relevance"] == round(1 / 3, 4)
    r = run("mentions", "--db", str(tmp_path / "ws0.duckdb"), cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr
