"""Tags and mentions written in captions count, whether the list columns are absent, empty or filled.

Many real exports carry `hashtags` and `mentions` columns with nothing in them: the same posts must
give the same figures as when the columns are missing or filled."""

from __future__ import annotations

from datetime import date

import pytest
from tests.conftest import csv_of, write_bundle

from microscout import open_workspace
from microscout.campaigns.tracking import define_campaign

# (post_id, account_id, created_at, caption, hashtags, mentions, likes, comments)
POSTS = [
    ("p1", "c1", "2026-10-30T10:00:00Z", "Karottenkuchen mit @koro #anzeige Code KORO15", "anzeige", "koro", 40, 4),
    ("p2", "c1", "2026-10-28T10:00:00Z", "Neues Rezept mit @alnatura\n\n#werbung", "werbung", "alnatura", 50, 5),
    ("p3", "c1", "2026-10-26T10:00:00Z", "Chleb z @biedronka #reklama #chleb", "reklama chleb", "biedronka", 45, 3),
    ("p4", "c1", "2026-10-24T10:00:00Z", "Sonntagsspaziergang #vegan", "vegan", "", 60, 6),
    ("p5", "c1", "2026-10-22T10:00:00Z", "Backen mit @anna.backt #veganbacken", "veganbacken", "anna.backt", 55, 5),
    ("p6", "c1", "2026-10-20T10:00:00Z", "Nur heute mit dem Code LENA10 bei @rivo", "", "rivo", 52, 4),
    ("p7", "fan", "2026-10-29T10:00:00Z", "Mein erster #veganbacken Versuch, danke @c1.bakes", "veganbacken",
     "c1.bakes", 5, 1),
]
ACCOUNTS = "account_id,handle,followers\nc1,c1.bakes,2000\nfan,fan.anna,150\n"


def _workspace(tmp_path, variant: str):
    if variant == "absent":
        rows = [(p, a, t, cap, lk, cm) for p, a, t, cap, _h, _m, lk, cm in POSTS]
        posts = csv_of("post_id,account_id,created_at,caption,likes,comments", rows)
    elif variant == "empty":
        rows = [(p, a, t, cap, None, None, lk, cm) for p, a, t, cap, _h, _m, lk, cm in POSTS]
        posts = csv_of("post_id,account_id,created_at,caption,hashtags,mentions,likes,comments", rows)
    else:
        posts = csv_of("post_id,account_id,created_at,caption,hashtags,mentions,likes,comments", POSTS)
    bundle = write_bundle(tmp_path / variant, {"accounts.csv": ACCOUNTS, "posts.csv": posts},
                          {"platform": "instagram", "collected_at": "2026-11-01T12:00:00Z"})
    ws = open_workspace(db=tmp_path / f"{variant}.duckdb", topic_model="none")
    ws.import_bundle(bundle)
    return ws


def _figures(ws) -> dict:
    v = ws.vet("instagram:c1")
    campaign = define_campaign("kornblume", date(2026, 10, 1), date(2026, 10, 31), hashtags=["veganbacken"])
    track = ws.track(campaign, "kornblume")
    return {
        "sponsorship": v["sponsorship"],
        "flags": sorted(v["flags"]),
        "tags": ws.store.con.execute("SELECT post_id, hashtags, mentions FROM posts ORDER BY post_id").fetchall(),
        "ugc_posts": track["user_generated"]["posts"],
        "mentions_of_c1": [r["handle"] for r in ws.mentions(["@c1.bakes"])["results"]],
        "mentions_of_koro": [r["handle"] for r in ws.mentions(["@koro"])["results"]],
    }


def test_the_same_figures_with_list_columns_absent_empty_or_filled(tmp_path):
    got = {}
    for variant in ("absent", "empty", "filled"):
        ws = _workspace(tmp_path, variant)
        try:
            got[variant] = _figures(ws)
        finally:
            ws.close()
    assert got["absent"] == got["empty"] == got["filled"]
    s = got["empty"]["sponsorship"]
    assert s["sponsored_share"] == pytest.approx(3 / 6)
    assert s["brands"] == ["alnatura", "biedronka", "koro", "rivo"]
    assert s["undisclosed_suspected"] == 1  # p6: a code and a brand, no disclosure
    assert "heavy_sponsorship" in got["empty"]["flags"]
    assert got["empty"]["ugc_posts"] == 2  # p5 and p7 carry #veganbacken only in their captions
    assert got["empty"]["mentions_of_c1"] == ["fan.anna"]
    assert got["empty"]["mentions_of_koro"] == ["c1.bakes"]


def test_a_filled_column_and_the_caption_add_up(tmp_path):
    posts = csv_of("post_id,account_id,created_at,caption,hashtags,mentions",
                   [("p1", "c1", "2026-10-30", "Kuchen #Vegan #anzeige @Koro", "vegan firstcomment", "")])
    bundle = write_bundle(tmp_path / "b", {"accounts.csv": ACCOUNTS, "posts.csv": posts}, {"platform": "instagram"})
    with open_workspace(db=tmp_path / "ws.duckdb") as ws:
        ws.import_bundle(bundle)
        row = ws.store.con.execute("SELECT hashtags, mentions FROM posts").fetchall()[0]
    # the column's tags first (one given only there, as a tag from the first comment), then the caption's
    assert row == (["vegan", "firstcomment", "anzeige"], ["koro"])
