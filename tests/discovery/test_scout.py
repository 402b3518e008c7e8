"""scout on a tiny world whose right answers are known: relevance, place, persona, filters, reasons."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import ibis
import pytest
from tests.conftest import csv_of, social_world, write_bundle
from tests.test_cli import run

from microscout import open_workspace
from microscout.brief import BriefError, brief_from_dict
from microscout.discovery import topic_vectors
from microscout.discovery.topic_vectors import VECTOR_SCHEMA

START = datetime(2026, 10, 1, 9, 0)
ACCOUNT_COLS = "account_id,handle,followers,following,posts_count,has_profile_pic,is_private,bio,city,country,language"
POST_COLS = "post_id,account_id,created_at,likes,comments,caption,location,language"

# handle: (bio, city, country, language, caption words)
CREATORS = {
    "anna.backt": ("Vegane Kuchen und Torten aus Berlin", "Berlin", "DE", "de", "Veganer Schokokuchen #veganbacken"),
    "ben.backt": ("Ich backe vegane Kuchen", "Hamburg", "DE", "de", "Vegane Zimtschnecken #veganbacken"),
    "chloe.bakes": ("Vegan baking from London", "London", "GB", "en", "Vegan brownies #veganbaking"),
    "dirk.laeuft": ("Laufen und Krafttraining", "Berlin", "DE", "de", "Morgenlauf an der Spree #laufen"),
    "emma.plays": ("Indie games and retro consoles", "Berlin", "DE", "en", "Retro console night #gaming"),
    "fred.backt": ("Vegane Kuchen, jeden Tag", "Berlin", "DE", "de", "Veganer Käsekuchen #veganbacken"),
}


def _world(tmp_path):
    accounts, posts, follows = [], [], []
    for i, (handle, (bio, city, country, lang, caption)) in enumerate(CREATORS.items()):
        cid = f"c{i}"
        # the same size and engagement for all: place, relevance and audience decide
        accounts.append((cid, handle, 5_000, 300, 40, True, False, bio, city, country, lang))
        for k in range(6):
            posts.append((f"{cid}-{k}", cid, (START + timedelta(days=3 * k)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                          200, 10, f"{caption} {k}", city if k == 0 else None, lang))
    # followers: anna's and ben's live in Germany and speak German, chloe's in Britain
    for j in range(40):
        country, lang = ("DE", "de") if j < 30 else ("GB", "en")
        accounts.append((f"f{j}", f"follower{j}", 200, 150, 30, True, False, None, None, country, lang))
        for cid in (("c0", "c1") if j < 30 else ("c2",)):
            follows.append((f"f{j}", cid))
    files = {"accounts.csv": csv_of(ACCOUNT_COLS, accounts), "posts.csv": csv_of(POST_COLS, posts),
             "follows.csv": csv_of("follower_id,followee_id", follows)}
    bundle = write_bundle(tmp_path / "b", files, {"platform": "instagram", "collected_at": "2026-11-01T12:00:00Z"})
    ws = open_workspace(db=tmp_path / "ws.duckdb")
    ws.import_bundle(bundle)
    return ws


BRIEF = {"name": "Vegan cakes Berlin", "keywords": ["vegan", "kuchen"], "hashtags": ["veganbacken"],
         "locations": ["Berlin, DE"], "languages": ["de"], "persona": {"countries": ["DE"]}}


def test_the_vegan_bakers_come_first_the_berlin_one_on_top_off_topic_creators_not_at_all(tmp_path):
    with _world(tmp_path) as ws:
        result = ws.scout_records(BRIEF)
    handles = [r["handle"] for r in result["results"]]
    assert handles[0] in ("anna.backt", "fred.backt")  # both in Berlin, German, vegan cakes
    assert set(handles[:3]) == {"anna.backt", "fred.backt", "ben.backt"}
    assert "dirk.laeuft" not in handles and "emma.plays" not in handles  # no vegan word, no wanted tag
    top = result["results"][0]
    assert set(top["parts"]) == {"relevance", "place", "authenticity", "engagement", "community", "audience_match",
                                 "brand_fit"}
    assert top["parts"]["place"] == 1.0
    assert any("'kuchen', 'vegan'" in x and "#veganbacken" in x for x in top["reasons"])
    ben = next(r for r in result["results"] if r["handle"] == "ben.backt")
    assert ben["parts"]["place"] == pytest.approx(0.6 * (0.5 + 0.5 * 1.0))  # Germany but Hamburg; writes German
    anna = next(r for r in result["results"] if r["handle"] == "anna.backt")
    assert anna["parts"]["audience_match"] == 1.0  # 30 followers, all in Germany
    assert any("follower sample (30 followers" in x for x in anna["reasons"])
    chloe = next(r for r in result["results"] if r["handle"] == "chloe.bakes")
    assert chloe["parts"]["audience_match"] == 0.0 and chloe["parts"]["place"] == 0.0
    # the score is the weighted mean of the parts with the brief's default weights
    w = {"relevance": 3, "place": 1, "authenticity": 2, "engagement": 1, "community": 1, "audience_match": 1,
         "brand_fit": 1}
    expected = sum(w[k] * (v if v is not None else 0.5) for k, v in anna["parts"].items()) / sum(w.values())
    assert anna["score"] == pytest.approx(expected, abs=1e-3)


def test_filters_exclusions_and_strict_place(tmp_path):
    with _world(tmp_path) as ws:
        strict = ws.scout_records({**BRIEF, "strict_place": True})
        assert {r["handle"] for r in strict["results"]} == {"anna.backt", "fred.backt"}
        excluded = ws.scout_records({**BRIEF, "exclude": ["instagram:@anna.backt"]})
        assert {r["handle"] for r in excluded["results"]} == {"ben.backt", "chloe.bakes", "fred.backt"}
        assert ws.scout_records({**BRIEF, "max_followers": 4_999})["results"] == []
        assert ws.scout_records({**BRIEF, "platforms": ["tiktok"]})["results"] == []
        frame = ws.scout(brief_from_dict({"name": "x", "keywords": ["vegan"]}))
        assert list(frame["rank"]) == list(range(1, len(frame) + 1))
        assert frame["score"].is_monotonic_decreasing
        with pytest.raises(BriefError, match="'giant' is not a tier"):
            ws.scout({"name": "x", "tiers": ["giant"]})


def test_brief_errors_are_one_line_from_the_cli(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "x"\ntopic = ""\n', encoding="utf-8")
    r = run("scout", str(bad), "--db", "ws.duckdb", cwd=tmp_path)
    assert r.returncode == 2 and "topic" in r.stderr and "Traceback" not in r.stderr
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('name = "x"\ncolour = "red"\n', encoding="utf-8")
    r = run("scout", str(unknown), "--db", "ws.duckdb", cwd=tmp_path)
    assert r.returncode == 2 and "colour" in r.stderr


def test_scout_from_the_cli_follows_the_contract(tmp_path):
    _world(tmp_path).close()
    brief = tmp_path / "brief.toml"
    brief.write_text('name = "Vegan cakes"\nkeywords = ["vegan", "kuchen"]\nlanguages = ["de"]\n', encoding="utf-8")
    r = run("scout", str(brief), "--db", "ws.duckdb", "--format", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["brief"] == "Vegan cakes"
    first = out["results"][0]
    assert set(first) >= {"rank", "platform", "account_id", "handle", "tier", "followers", "score", "parts", "flags",
                          "flag_reasons", "reasons"}
    assert first["rank"] == 1 and first["handle"] in ("anna.backt", "fred.backt", "ben.backt")
    table = run("scout", str(brief), "--db", "ws.duckdb", cwd=tmp_path)
    assert "Vegan cakes" in table.stdout and "@anna.backt" in table.stdout


def test_a_topic_in_english_finds_creators_who_write_in_german_with_other_words(tmp_path):
    # no keyword or hashtag: only the multilingual topic model connects these words to "Kuchen" and "backen"
    topic = "plant-based desserts and pastries"
    with _world(tmp_path) as ws:
        result = ws.scout_records({"name": "Desserts", "topic": topic})
        cosines = topic_vectors.topic_similarity(ws.table("creator_vectors"), topic).execute()
        handles_of = dict(ws.table("accounts").select("account_id", "handle").execute().itertuples(index=False))
    cosine = {handles_of[a]: c for a, c in zip(cosines.account_id, cosines.topic_cosine, strict=True)}
    bakers = {"anna.backt", "ben.backt", "chloe.bakes", "fred.backt"}
    # every baker, German or English, is closer to the topic than the runner and the gamer
    assert min(cosine[h] for h in bakers) > max(cosine["dirk.laeuft"], cosine["emma.plays"])
    handles = [r["handle"] for r in result["results"]]
    # similarity counts from the median creator up, so the weaker half of this tiny world drops out
    assert len(handles) >= 2 and set(handles) <= bakers and "anna.backt" in handles
    assert any("topic similarity" in x for x in result["results"][0]["reasons"])


def test_an_interrupted_embedding_goes_on_where_it_stopped_and_changed_documents_are_embedded_anew(tmp_path):
    with _world(tmp_path) as ws:
        first = ws.analyze()
        assert first.embedded == len(CREATORS)
        vectors = ws.table("creator_vectors").execute()
        # as if the run had stopped after two documents
        ws.store.save_table("creator_vectors", ibis.memtable(vectors.iloc[:2], schema=VECTOR_SCHEMA))
        assert ws.embed_documents().embedded == len(CREATORS) - 2
        again = ws.table("creator_vectors").execute().sort_values("account_id")
        assert len(again) == len(CREATORS)
        assert ws.embed_documents().embedded == 0
    # one creator's bio changes: only its document is embedded again, the others keep their vectors
    changed = csv_of(ACCOUNT_COLS, [("c3", "dirk.laeuft", 5_000, 300, 40, True, False,
                                     "Marathon, Trailrunning und Radfahren", "Berlin", "DE", "de")])
    bundle = write_bundle(tmp_path / "b2", {"accounts.csv": changed},
                          {"platform": "instagram", "collected_at": "2026-11-02T12:00:00Z"})
    with open_workspace(db=tmp_path / "ws.duckdb") as ws:
        ws.import_bundle(bundle)
        assert ws.analyze().embedded == 1
        after = ws.table("creator_vectors").execute().sort_values("account_id")
    same = after.account_id != "c3"
    assert (after[same].doc_hash.to_numpy() == again[again.account_id != "c3"].doc_hash.to_numpy()).all()
    assert after[~same].doc_hash.iloc[0] != again[again.account_id == "c3"].doc_hash.iloc[0]


def test_the_engagement_part_is_a_mid_rank_percentile_within_platform_and_tier(tiny):
    # four nano creators with 10 posts each at rates 1%..4%, three with the same 2% rate, one alone in micro
    rates = {"r1": 0.01, "r2": 0.02, "r3": 0.03, "r4": 0.04, "t1": 0.05, "t2": 0.05, "t3": 0.05}
    accounts = [(h, h, 5_000) for h in rates] + [("solo", "solo", 20_000)]
    posts = [(f"{h}-{k}", h, f"2026-10-{k + 1:02d}T10:00:00Z", int(rates.get(h, 0.02) * (20_000 if h == "solo"
                                                                                           else 5_000)), 0)
             for h, _, _ in accounts for k in range(10)]
    ws = tiny(accounts=accounts, posts=posts)
    parts = {r["handle"]: r["parts"]["engagement"] for r in ws.scout_records({"name": "all"}, 50)["results"]}
    # below + half of the equal ones, over the 7 nano creators: 0.5/7, 1.5/7, ...; the three equal share 5.5/7
    assert parts["r1"] == pytest.approx(0.5 / 7, abs=1e-4) and parts["r4"] == pytest.approx(3.5 / 7, abs=1e-4)
    assert parts["t1"] == parts["t2"] == parts["t3"] == pytest.approx(5.5 / 7, abs=1e-4)
    assert parts["solo"] == pytest.approx(0.5)


def test_business_accounts_are_brands_not_creators_unless_the_brief_says_so(tmp_path):
    accounts = [("c1", "anna.backt", 3000, "Vegane Kuchen", "false"), ("b1", "kuchen.shop", 9000, "Vegane Kuchen", "true")]
    posts = [(f"{a}-{k}", a, f"2026-10-{k + 1:02d}T10:00:00Z", 100, 5, "Veganer Kuchen #vegan") for a in ("c1", "b1")
             for k in range(5)]
    with social_world(tmp_path, "account_id,handle,followers,bio,is_business", accounts,
                      "post_id,account_id,created_at,likes,comments,caption", posts, []) as ws:
        plain = ws.scout_records({"name": "Kuchen", "keywords": ["kuchen"]})
        wide = ws.scout_records({"name": "Kuchen", "keywords": ["kuchen"], "include_businesses": True})
    assert [r["handle"] for r in plain["results"]] == ["anna.backt"]
    assert {r["handle"] for r in wide["results"]} == {"anna.backt", "kuchen.shop"}
