"""Disclosure in many languages, suspected undisclosed ads, and community figures by hand."""

from __future__ import annotations

import pytest

POST = "post_id,account_id,created_at,likes,comments,caption,is_paid_partnership"


def test_disclosures_as_whole_tags_phrases_and_labels(tiny):
    posts = [
        ("p1", 1, "2026-10-30T00:00:00Z", 10, 1, "#ad Loving @veganz oat drink", None),           # first line
        ("p2", 1, "2026-10-29T00:00:00Z", 10, 1, "New shoes!\n#adidas #adventure", None),         # traps
        ("p3", 1, "2026-10-28T00:00:00Z", 10, 1, "Kuchen mit @kornblume\n#vegan #Anzeige", None),  # buried
        ("p4", 1, "2026-10-27T00:00:00Z", 10, 1, "Partenariat rémunéré avec @lumi", None),        # phrase
        ("p5", 1, "2026-10-26T00:00:00Z", 10, 1, "Trening z @fitgym #współpraca", None),           # accented tag
        ("p6", 1, "2026-10-25T00:00:00Z", 10, 1, "Neue Jacke von @nordwear", "true"),              # platform label
        ("p7", 1, "2026-10-24T00:00:00Z", 10, 1, "Mit dem Code LENA15 gibt's 15 % bei @rivo", None),  # undisclosed
        ("p8", 1, "2026-10-23T00:00:00Z", 10, 1, "Use code LENA10 at @sola for 10% off", None),    # undisclosed
        ("p9", 1, "2026-10-22T00:00:00Z", 10, 1, "Code is poetry. Thanks @friend", None),          # no promotion
        ("p10", 1, "2026-10-21T00:00:00Z", 10, 1, "Sale! -20% on everything", None),               # no brand mention
    ]
    ws = tiny(accounts=[(1, "lena", 1000)], posts=posts, post_cols=POST)
    v = ws.vet("instagram:1")
    s = v["sponsorship"]
    assert s["sponsored_share"] == pytest.approx(5 / 10)
    assert s["buried_disclosures"] == 1
    assert s["undisclosed_suspected"] == 2
    assert s["brands"] == ["fitgym", "kornblume", "lumi", "nordwear", "rivo", "sola", "veganz"]
    assert "undisclosed_ads" in v["flags"] and "heavy_sponsorship" in v["flags"]


def test_competitor_partners_need_competitors(tiny):
    ws = tiny(accounts=[(1, "lena", 1000)], post_cols=POST,
              posts=[("p1", 1, "2026-10-30T00:00:00Z", 10, 1, "#ad Loving @Oatly", None)])
    assert "competitor_partner" not in ws.vet("instagram:1")["flags"]
    v = ws.vet("instagram:1", competitors=["@oatly"])
    assert "competitor_partner" in v["flags"] and "oatly" in v["flag_reasons"]["competitor_partner"]


def test_community_figures(tiny):
    posts = [(f"p{i}", 1, f"2026-10-{20 + i}T00:00:00Z", 10, 5) for i in range(4)]
    posts.append(("old", 1, "2026-01-01T00:00:00Z", 10, 5))  # outside the window: its comments do not count
    comments = [
        ("c1", "p0", "anna", "2026-10-20T01:00:00Z", "Das sieht toll aus, Rezept bitte!", None),
        ("c2", "p1", "anna", "2026-10-21T01:00:00Z", "Wygląda świetnie", None),
        ("c3", "p2", "anna", "2026-10-22T01:00:00Z", "Muss ich probieren", None),
        ("c4", "p2", "bot", "2026-10-22T01:00:00Z", "🔥🔥🔥", None),
        ("c5", "p3", "ben", "2026-10-23T01:00:00Z", "Nice pic!", None),
        ("r1", "p0", "1", "2026-10-20T02:00:00Z", "Danke Anna!", "c1"),     # the creator answers c1 after 60 min
        ("r2", "p2", "1", "2026-10-22T01:30:00Z", "Danke!", "c3"),          # ... and c3 after 30 min
        ("self", "p3", "1", "2026-10-23T02:00:00Z", "Link in bio", None),   # the creator on its own post
        ("x1", "old", "zoe", "2026-01-02T00:00:00Z", "so good", None),
        ("b1", "p0", "ben", "2026-10-20T03:00:00Z", "Stimmt, Anna!", "c1"),  # the audience talks among itself
    ]
    ws = tiny(accounts=[(1, "lena", 1000, "de")], account_cols="account_id,handle,followers,language", posts=posts,
              comments=comments)
    c = ws.vet("instagram:1")["community"]
    assert c["comments_sampled"] == 5
    assert c["repeat_commenter_share"] == pytest.approx(3 / 5)   # anna commented on 3 posts
    assert c["reply_rate"] == pytest.approx(2 / 5)
    assert c["generic_comment_share"] == pytest.approx(2 / 5)    # 🔥🔥🔥 and Nice pic!
    assert c["median_reply_minutes"] == pytest.approx(45)
    assert c["distinct_commenters_per_post"] == pytest.approx(3 / 4)
    assert c["conversation_share"] == pytest.approx(1 / 5)
    assert c["median_comment_length"] == 16  # 3 (🔥🔥🔥), 9, 16, 18, 33 characters
    # of the three comments in a recognisable language, two are German like the creator, one Polish
    assert c["comments_in_creator_language"] == pytest.approx(2 / 3)


def test_one_paid_post_of_one_is_no_heavy_sponsorship_and_costs_little_brand_fit(tiny):
    ws = tiny(accounts=[(1, "one.hit", 1000), (2, "steady", 1000)], post_cols=POST,
              posts=[("p1", 1, "2026-10-30T00:00:00Z", 10, 1, "#ad Loving @veganz", None),
                     *[(f"s{k}", 2, f"2026-10-{20 + k}T00:00:00Z", 10, 1, "#ad Loving @veganz" if k < 3 else "Kuchen",
                        None) for k in range(5)]])
    one, steady = ws.vet("instagram:1"), ws.vet("instagram:2")
    assert one["sponsorship"]["sponsored_share"] == 1.0 and "heavy_sponsorship" not in one["flags"]
    assert steady["sponsorship"]["sponsored_share"] == pytest.approx(0.6) and "heavy_sponsorship" in steady["flags"]
    fit = {r["handle"]: r["parts"]["brand_fit"] for r in ws.scout_records({"name": "all"}, 10)["results"]}
    # saturation (share − 0.3) / 0.7, counted by posts used / 10
    assert fit["one.hit"] == pytest.approx(1 - 1.0 * 0.1, abs=1e-4)
    assert fit["steady"] == pytest.approx(1 - (0.3 / 0.7) * 0.5, abs=1e-4)
