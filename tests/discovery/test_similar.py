"""similar: lookalikes of a creator by words, subject and shared audience."""

from __future__ import annotations

import json

from tests.conftest import social_world
from tests.test_cli import NO_TOPIC, run

ACCOUNT_COLS = "account_id,handle,followers,following,posts_count,bio"
POST_COLS = "post_id,account_id,created_at,likes,comments,caption"

# handle: (bio, caption, sampled followers)
CREATORS = {
    "anna.backt": ("Vegane Kuchen und Torten", "Veganer Schokokuchen #veganbacken #kuchen", range(0, 10)),
    "ben.backt": ("Ich backe vegane Kuchen", "Vegane Zimtschnecken und Kuchen #veganbacken", range(0, 8)),
    "cleo.bakes": ("Vegan baking at home", "Vegan brownies #veganbaking #kuchen", range(20, 30)),
    "dirk.laeuft": ("Laufen und Krafttraining", "Morgenlauf an der Spree #laufen", range(0, 10)),
    "emma.plays": ("Indie games and retro consoles", "Retro console night #gaming", range(40, 45)),
}


def _world(tmp_path):
    accounts, posts, follows = [], [], []
    for i, (handle, (bio, caption, fans)) in enumerate(CREATORS.items()):
        cid = f"c{i}"
        accounts.append((cid, handle, 5_000, 300, 40, bio))
        posts += [(f"{cid}-{k}", cid, f"2026-10-{k + 1:02d}T10:00:00Z", 200, 10, f"{caption} {k}") for k in range(6)]
        follows += [(f"f{j}", cid) for j in fans]
    accounts += [(f"f{j}", f"fan{j}", 100, 100, 2, None) for j in range(50)]
    return social_world(tmp_path, ACCOUNT_COLS, accounts, POST_COLS, posts, follows)


def test_the_creator_with_the_same_words_and_the_same_fans_is_the_closest_lookalike(tmp_path):
    with _world(tmp_path) as ws:
        out = ws.similar("@anna.backt")
    assert out["brief"] == "similar to @anna.backt"
    handles = [r["handle"] for r in out["results"]]
    # ben writes of the same cakes to 8 of anna's 10 sampled fans; emma shares neither words nor fans
    assert handles[0] == "ben.backt"
    assert "anna.backt" not in handles and "emma.plays" not in handles
    assert set(handles) == {"ben.backt", "cleo.bakes", "dirk.laeuft"}
    ben = out["results"][0]
    assert "8 of @anna.backt's sampled followers follow it too (80%)" in ben["reasons"][0]
    assert "#veganbacken" in ben["reasons"][0]
    # dirk shares all of anna's fans but none of her words; cleo shares #kuchen but no fans
    dirk = next(r for r in out["results"] if r["handle"] == "dirk.laeuft")
    assert "shares" not in dirk["reasons"][0] and "10 of @anna.backt's" in dirk["reasons"][0]
    assert ben["parts"]["relevance"] > dirk["parts"]["relevance"]


def test_similar_from_the_cli(tmp_path):
    _world(tmp_path).close()
    r = run("similar", "@ben.backt", "--db", "ws.duckdb", "-f", "json", cwd=tmp_path, env=NO_TOPIC)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["results"][0]["handle"] == "anna.backt"
    r = run("similar", "@nobody", "--db", "ws.duckdb", cwd=tmp_path, env=NO_TOPIC)
    assert r.returncode == 2 and "nobody" in r.stderr and "Traceback" not in r.stderr


def test_the_seeds_own_other_account_is_no_lookalike(tmp_path):
    # the user says ben.backt is anna's second account: the closest match, and no discovery
    linked = [["instagram:@anna.backt", "instagram:@ben.backt"]]
    with _world(tmp_path) as ws:
        ws.settings.account_links = linked
        handles = [r["handle"] for r in ws.similar("@anna.backt")["results"]]
    assert "ben.backt" not in handles and set(handles) == {"cleo.bakes", "dirk.laeuft"}
