"""hashtags: a niche's top tags on a tiny world whose answers are worked out by hand.

Eleven creators, six posts each (66 recent posts). The niche "vegan baking" in Berlin is anna, fred
and gina (based in Berlin) and hugo (based in Munich, posting from Berlin): 24 posts. ben bakes
vegan in Hamburg, emma (games) and dirk (running) live in Berlin, the others elsewhere; everyone
tags #love on every post.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta

import ibis
import pytest
from tests.conftest import social_world
from tests.test_cli import NO_TOPIC, run

from microscout.discovery.niche_hashtags import NicheError, hashtag_rows, niche_brief, parse_place
from microscout.discovery.place import Location

START = datetime(2026, 10, 1, 9, 0)
AS_OF = datetime(2026, 11, 1, 12, 0)
ACCOUNT_COLS = "account_id,handle,followers,following,posts_count,has_profile_pic,is_private,bio,city,country,language"
POST_COLS = "post_id,account_id,created_at,likes,comments,caption,hashtags,location,language"

# handle: (followers, bio, city, country, caption, hashtags on every post, where the posts are made)
CREATORS = {
    "anna.backt": (8_000, "Vegane Kuchen und Torten aus Berlin", "Berlin", "DE", "Veganer Schokokuchen",
                   "veganbacken berlinfood love", "Berlin"),
    "fred.backt": (6_000, "Vegane Kuchen, jeden Tag", "Berlin", "DE", "Veganer Käsekuchen",
                   "veganbacken berlinfood love", "Berlin"),
    "gina.bakes": (4_000, "Vegan baking in Berlin", "Berlin", "DE", "Vegan cinnamon rolls",
                   "veganbacken love plantbased veganberlin", None),
    "hugo.backt": (3_000, "Vegane Torten", "München", "DE", "Vegane Torte", "veganbacken berlinfood love",
                   "Berlin Mitte"),
    "ben.backt": (5_000, "Ich backe vegane Kuchen", "Hamburg", "DE", "Vegane Zimtschnecken",
                  "veganbacken hamburgfood zimtschnecken love", "Hamburg"),
    "emma.plays": (5_000, "Indie games and retro consoles", "Berlin", "DE", "Retro console night",
                   "gaming berlin love", "Berlin"),
    "dirk.laeuft": (5_000, "Laufen und Krafttraining", "Berlin", "DE", "Morgenlauf an der Spree",
                    "laufen berlin love", "Berlin"),
    "chloe.bakes": (5_000, "Vegan baking from London", "London", "GB", "Vegan brownies", "veganbaking love", None),
    "ivy.style": (5_000, "Mode und Stil", "Paris", "FR", "Outfit du jour", "ootd love", None),
    "jon.fit": (5_000, "Fitness coach", "Wien", "AT", "Leg day", "gym love", None),
    "kai.travel": (5_000, "Travel stories", "Roma", "IT", "Sunset in Trastevere", "travel love", None),
}
N_ALL, N_NICHE = 66, 24


def _hashtags(handle: str, k: int, tags: str) -> str:
    extra = {"anna.backt": (["kuchenliebe"] if k < 3 else []) + (["sonntag"] if k == 0 else [])}.get(handle, [])
    return " ".join([*tags.split(), *extra])


def _world(tmp_path):
    accounts, posts = [], []
    for i, (handle, (followers, bio, city, country, caption, tags, where)) in enumerate(CREATORS.items()):
        cid = f"c{i}"
        accounts.append((cid, handle, followers, 300, 40, True, False, bio, city, country, "de"))
        for k in range(6):
            posts.append((f"{cid}-{k}", cid, (START + timedelta(days=3 * k)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                          200, 10, f"{caption} {k}", _hashtags(handle, k, tags), where, "de"))
    # a few followers, each following every creator: audience, not creators (they never post)
    accounts += [(f"f{j}", f"fan{j}", 100, 100, 5, True, False, None, None, "DE", "de") for j in range(3)]
    follows = [(f"f{j}", f"c{i}") for j in range(3) for i in range(len(CREATORS))]
    return social_world(tmp_path, ACCOUNT_COLS, accounts, POST_COLS, posts, follows)


@pytest.fixture
def world(tmp_path):
    ws = _world(tmp_path)
    yield ws
    ws.close()


def _by_tag(record):
    return {h["hashtag"]: h for h in record["hashtags"]}


def test_the_niche_tag_comes_first_the_generic_one_below_the_niche_tags(world):
    record = world.niche_hashtags("vegan baking", "Berlin")
    assert (record["topic"], record["location"], record["platforms"]) == ("vegan baking", "Berlin", ["instagram"])
    assert record["niche_creators"] == 4  # anna, fred, gina, and hugo who posts from Berlin
    order = [h["hashtag"] for h in record["hashtags"]]
    assert order[:3] == ["veganbacken", "berlinfood", "love"]
    assert [h["rank"] for h in record["hashtags"]] == list(range(1, len(order) + 1))
    tags = _by_tag(record)
    top = tags["veganbacken"]
    # 24 of the 24 niche posts; 30 of all 66 posts (ben's too): lift 66/30
    assert (top["posts"], top["creators"], top["niche_share"]) == (24, 4, 1.0)
    assert top["lift"] == pytest.approx(N_ALL / 30, abs=1e-4)
    assert top["score"] == pytest.approx(4 * math.log(1 + N_ALL / 30), abs=1e-4)
    weight = sum(math.exp(-((AS_OF - START - timedelta(days=3 * k)).total_seconds() / 86_400) / 90) for k in range(6))
    assert top["recent_weight"] == pytest.approx(4 * weight, abs=1e-3)
    love = tags["love"]
    assert love["lift"] == pytest.approx(1.0) and love["score"] == pytest.approx(4 * math.log(2), abs=1e-4)
    assert tags["berlinfood"]["creators"] == 3 and tags["berlinfood"]["lift"] == pytest.approx(0.75 / (18 / N_ALL))
    # the single-creator tags of a small niche (under 5 creators) still count, below the shared ones
    assert order[3:] == ["plantbased", "veganberlin", "kuchenliebe", "sonntag"]


def test_co_tags_and_top_creators(world):
    tags = _by_tag(world.niche_hashtags("vegan baking", "Berlin"))
    # the five tags most often on the same niche posts as #veganbacken, ties by name; #sonntag (1) is sixth
    assert tags["veganbacken"]["co_tags"] == [
        {"hashtag": "love", "posts": 24}, {"hashtag": "berlinfood", "posts": 18},
        {"hashtag": "plantbased", "posts": 6}, {"hashtag": "veganberlin", "posts": 6},
        {"hashtag": "kuchenliebe", "posts": 3}]
    # six posts each: the bigger accounts first
    assert [c["handle"] for c in tags["veganbacken"]["top_creators"]] == [
        "anna.backt", "fred.backt", "gina.bakes", "hugo.backt"]
    assert tags["berlinfood"]["top_creators"][0] == {"platform": "instagram", "account_id": "c0",
                                                     "handle": "anna.backt", "followers": 8_000, "posts": 6}
    assert [c["handle"] for c in tags["berlinfood"]["top_creators"]] == ["anna.backt", "fred.backt", "hugo.backt"]


def test_the_hamburg_baker_and_the_berlin_gamer_are_not_in_the_berlin_niche(world):
    record = world.niche_hashtags("vegan baking", "Berlin, DE")
    assert record["location"] == "Berlin, DE"
    tags = _by_tag(record)
    assert "hamburgfood" not in tags and "zimtschnecken" not in tags and "gaming" not in tags
    assert tags["veganbacken"]["posts"] == N_NICHE  # ben's six posts are not counted
    everyone = {c["handle"] for h in record["hashtags"] for c in h["top_creators"]}
    assert everyone == {"anna.backt", "fred.backt", "gina.bakes", "hugo.backt"}
    # the country takes ben in: five creators, so a tag now needs two of them
    germany = world.niche_hashtags("vegan baking", "DE")
    assert germany["niche_creators"] == 5
    assert [h["hashtag"] for h in germany["hashtags"]] == ["veganbacken", "berlinfood", "love"]
    assert _by_tag(germany)["veganbacken"]["creators"] == 5


def test_a_place_alone_is_every_creator_there_and_a_topic_alone_every_relevant_creator(world):
    berlin = world.niche_hashtags(location="berlin")
    assert berlin["topic"] is None and berlin["niche_creators"] == 6  # the four bakers, emma and dirk
    tags = _by_tag(berlin)
    assert set(tags) == {"love", "veganbacken", "berlinfood", "berlin"}  # six creators: two or more per tag
    assert tags["berlin"]["creators"] == 2
    vegan = world.niche_hashtags("vegan baking")
    assert vegan["location"] is None and vegan["niche_creators"] == 6  # the five German bakers and chloe
    # six creators again: chloe's #veganbaking is hers alone and so left out
    assert set(_by_tag(vegan)) == {"veganbacken", "love", "berlinfood"}
    assert len(world.niche_hashtags("vegan baking", limit=2)["hashtags"]) == 2
    none = world.niche_hashtags("vegan baking", "Berlin", platforms=["tiktok"])
    assert none == {"topic": "vegan baking", "location": "Berlin", "platforms": [], "niche_creators": 0,
                    "hashtags": []}


def test_fraud_flagged_creators_are_left_out_of_the_niche(world):
    world.niche_hashtags("vegan baking", "Berlin")  # analyzes
    table = world.table("discovery_base")
    base = table.execute()
    base.loc[base.handle == "anna.backt", "flag_bought_followers"] = True
    world.store.save_table("discovery_base", ibis.memtable(base, schema=table.schema()))
    record = world.niche_hashtags("vegan baking", "Berlin")
    assert record["niche_creators"] == 3
    assert _by_tag(record)["veganbacken"]["creators"] == 3
    assert "kuchenliebe" not in _by_tag(record)  # anna's own tag


def test_a_niche_needs_a_topic_or_a_place_and_a_place_must_read_as_one(world):
    with pytest.raises(NicheError, match="--topic, --location or both"):
        world.niche_hashtags()
    with pytest.raises(NicheError, match="'topic' parameter"):
        world.niche_hashtags("  ", "Berlin")
    with pytest.raises(NicheError, match=r"'location' parameter .* Got '12345'"):
        world.niche_hashtags("vegan baking", "12345")
    with pytest.raises(NicheError, match="'location' parameter"):
        world.niche_hashtags(location="")
    with pytest.raises(NicheError, match="'platform' parameter"):
        world.niche_hashtags("vegan baking", platforms=["myspace"])
    assert parse_place("de") == Location(None, "DE") and parse_place("Berlin, DE") == Location("berlin", "DE")
    assert niche_brief("vegan", "Berlin, DE").locations == ("berlin, DE",)


def test_csv_rows_are_flat():
    record = {"hashtags": [{"rank": 1, "hashtag": "a", "posts": 2, "creators": 1, "recent_weight": 1.5,
                            "niche_share": 0.5, "lift": 2.0, "score": 1.1, "co_tags": [{"hashtag": "b", "posts": 2}],
                            "top_creators": [{"platform": "instagram", "account_id": "1", "handle": "x",
                                              "followers": 10, "posts": 2}]}]}
    assert hashtag_rows(record) == [{"rank": 1, "hashtag": "a", "posts": 2, "creators": 1, "recent_weight": 1.5,
                                     "niche_share": 0.5, "lift": 2.0, "score": 1.1, "co_tags": "b (2)",
                                     "top_creators": "instagram:1 @x (2)"}]


def test_hashtags_from_the_cli(tmp_path):
    _world(tmp_path).close()
    r = run("hashtags", "--topic", "vegan baking", "--location", "Berlin", "--db", "ws.duckdb", "--format", "json",
            cwd=tmp_path, env=NO_TOPIC)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert set(out) == {"topic", "location", "platforms", "niche_creators", "hashtags"}
    first = out["hashtags"][0]
    assert set(first) == {"rank", "hashtag", "posts", "creators", "recent_weight", "niche_share", "lift", "score",
                          "co_tags", "top_creators"}
    assert (first["rank"], first["hashtag"], out["niche_creators"]) == (1, "veganbacken", 4)
    table = run("hashtags", "--topic", "vegan baking", "--location", "Berlin", "--db", "ws.duckdb", "--limit", "3",
                cwd=tmp_path, env=NO_TOPIC)
    assert table.returncode == 0 and "#veganbacken" in table.stdout and "@anna.backt" in table.stdout
    bad = run("hashtags", "--db", "ws.duckdb", cwd=tmp_path, env=NO_TOPIC)
    assert bad.returncode == 2 and "--topic" in bad.stderr and "Traceback" not in bad.stderr
