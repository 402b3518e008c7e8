"""people: which accounts on different platforms are one creator, on small worlds with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from microscout.plan.people import (
    LINK_COLUMNS,
    normalise_handle,
    person_ids,
    suggest_links,
    url_key,
    user_links,
)


def _accounts(rows: list[dict]) -> pd.DataFrame:
    """Rows of platform, account_id and any of handle, display_name, external_url, bio."""
    frame = pd.DataFrame(rows)
    for column in ("handle", "display_name", "external_url", "bio"):
        if column not in frame:
            frame[column] = None
    frame["followers"] = 1000
    return frame


def _found(links: pd.DataFrame) -> dict[tuple[str, str], str]:
    """{(left, right): reason} with each side written platform:account_id."""
    return {(f"{r.platform}:{r.account_id}", f"{r.other_platform}:{r.other_account_id}"): r.reason
            for r in links.itertuples()}


def _links(*pairs: tuple[str, str, str, str, float]) -> pd.DataFrame:
    return pd.DataFrame([(*pair[:4], "test", pair[4]) for pair in pairs], columns=LINK_COLUMNS)


@pytest.mark.parametrize(("handle", "key"), [
    ("@Lena.Bakes", "lenabakes"),
    ("lena-bakes.bsky.social", "lenabakes"),
    ("Lena_Bakes", "lenabakes"),
    ("lena@mastodon.social", "lena"),
    ("@lena_b@bake.town", "lenab"),
    ("  LENA  ", "lena"),
    ("lena.bakes.com", "lenabakescom"),  # a Bluesky domain handle keeps its domain
    ("@", ""),
])
def test_normalise_handle(handle, key):
    assert normalise_handle(handle) == key


@pytest.mark.parametrize(("url", "key"), [
    ("https://www.LenaBakes.com/", "lenabakes.com"),
    ("http://lenabakes.com/shop/?utm_source=ig#top", "lenabakes.com/shop"),
    ("lenabakes.com", "lenabakes.com"),
    ("www.lenabakes.com:8080/about/", "lenabakes.com/about"),
    ("https://linktr.ee/LenaBakes?utm=ig", "linktr.ee/lenabakes"),
    ("https://beacons.ai/lena/shop", "beacons.ai/lena"),  # the hub's first segment names the person
    ("https://linktr.ee/", None),  # a bare hub names no one
    ("https://lena.carrd.co/", "lena.carrd.co"),
    ("https://www.instagram.com/Lena.Bakes/", "handle:instagram:lenabakes"),
    ("instagram.com/lena_bakes?igsh=abc", "handle:instagram:lenabakes"),
    ("https://m.instagram.com/lenabakes", "handle:instagram:lenabakes"),
    ("https://www.tiktok.com/@lena.bakes", "handle:tiktok:lenabakes"),
    ("https://youtube.com/@LenaBakes/videos", "handle:youtube:lenabakes"),
    ("https://x.com/lena_bakes", "handle:x:lenabakes"),
    ("https://twitter.com/lena_bakes", "handle:x:lenabakes"),
    ("https://bsky.app/profile/lena-bakes.bsky.social", "handle:bluesky:lenabakes"),
    # pages of these sites that are not a person's profile stay ordinary links
    ("https://www.instagram.com/p/Cx12ab/", "instagram.com/p/cx12ab"),
    ("https://www.youtube.com/watch?v=abc", "youtube.com/watch"),
    ("https://x.com/intent/follow", "x.com/intent/follow"),
    ("", None),
    ("   ", None),
    (None, None),
    (float("nan"), None),
    ("not a link", None),
    ("lena@gmail.com", None),
    ("mailto:lena@gmail.com", None),
    ("ftp://lenabakes.com/x", None),
    ("http://[::1", None),
])
def test_url_key(url, key):
    assert url_key(url) == key


def test_each_rule_with_its_reason():
    accounts = _accounts([
        # profile link: the TikTok account's bio link is the Instagram profile
        {"platform": "instagram", "account_id": "1", "handle": "lena.bakes"},
        {"platform": "tiktok", "account_id": "2", "handle": "cakesbylb",
         "external_url": "https://instagram.com/lena.bakes/"},
        # same bio link (hub with the same person path, written differently)
        {"platform": "instagram", "account_id": "3", "handle": "ola_cooks",
         "external_url": "https://linktr.ee/olacooks"},
        {"platform": "youtube", "account_id": "4", "handle": "OlaInTheKitchen",
         "external_url": "linktr.ee/OlaCooks/"},
        # same handle and name (a 4-character handle is enough with the name)
        {"platform": "x", "account_id": "5", "handle": "mi_ka", "display_name": "Mika  Ross"},
        {"platform": "bluesky", "account_id": "did:plc:6", "handle": "mika.bsky.social",
         "display_name": "mika ross"},
        # same handle alone (long and unique on each platform)
        {"platform": "twitch", "account_id": "7", "handle": "veganvera"},
        {"platform": "pinterest", "account_id": "8", "handle": "vegan_vera"},
    ])
    assert _found(suggest_links(accounts)) == {
        ("instagram:1", "tiktok:2"): "links to the other profile",
        ("instagram:3", "youtube:4"): "same bio link",
        ("bluesky:did:plc:6", "x:5"): "same handle and name",
        ("pinterest:8", "twitch:7"): "same handle",
    }
    links = suggest_links(accounts)
    assert list(links.columns) == LINK_COLUMNS
    assert dict(zip(links["reason"], links["confidence"], strict=True)) == {
        "links to the other profile": 0.95, "same bio link": 0.9, "same handle and name": 0.85,
        "same handle": 0.6}


def test_pairs_are_ordered_once_with_the_strongest_reason():
    # same handle, same name, same bio link and a profile link all at once: one row, the strongest
    accounts = _accounts([
        {"platform": "youtube", "account_id": "9", "handle": "lenabakes", "display_name": "Lena",
         "external_url": "https://instagram.com/lenabakes"},
        {"platform": "instagram", "account_id": "1", "handle": "lenabakes", "display_name": "Lena",
         "external_url": "https://instagram.com/lenabakes"},
    ])
    links = suggest_links(accounts)
    assert links[LINK_COLUMNS[:5]].values.tolist() == [
        ["instagram", "1", "youtube", "9", "links to the other profile"]]


def test_profile_link_in_either_direction_and_in_the_bio():
    forward = _accounts([
        {"platform": "instagram", "account_id": "1", "handle": "lb_official",
         "external_url": "https://www.tiktok.com/@lena.cakes"},
        {"platform": "tiktok", "account_id": "2", "handle": "lena_cakes"},
    ])
    backward = _accounts([
        {"platform": "instagram", "account_id": "1", "handle": "lb_official"},
        {"platform": "tiktok", "account_id": "2", "handle": "lena_cakes",
         "bio": "Cakes! More on https://instagram.com/lb_official."},
    ])
    bare_in_bio = _accounts([
        {"platform": "instagram", "account_id": "1", "handle": "lb_official"},
        {"platform": "tiktok", "account_id": "2", "handle": "lena_cakes",
         "bio": "IG: instagram.com/LB_official"},
    ])
    for accounts in (forward, backward, bare_in_bio):
        assert _found(suggest_links(accounts)) == {("instagram:1", "tiktok:2"): "links to the other profile"}


def test_profile_link_needs_one_target_and_one_pointer_per_platform():
    ambiguous_target = _accounts([
        {"platform": "instagram", "account_id": "1", "handle": "lena.cakes"},
        {"platform": "instagram", "account_id": "2", "handle": "lenacakes"},  # same after normalising
        {"platform": "tiktok", "account_id": "3", "handle": "lb", "external_url": "instagram.com/lenacakes"},
    ])
    fans = _accounts([
        {"platform": "instagram", "account_id": "1", "handle": "starbaker"},
        {"platform": "tiktok", "account_id": "2", "handle": "fan1",
         "external_url": "instagram.com/starbaker"},
        {"platform": "tiktok", "account_id": "3", "handle": "fan2", "bio": "love instagram.com/starbaker"},
    ])
    nobody = _accounts([
        {"platform": "instagram", "account_id": "1", "handle": None},
        {"platform": "tiktok", "account_id": "2", "handle": "lb",
         "external_url": "instagram.com/someoneelse"},
    ])
    for accounts in (ambiguous_target, fans, nobody):
        assert suggest_links(accounts).empty


def test_url_shared_by_four_accounts_is_no_evidence():
    shop = "https://www.veganshop.com/"
    three = _accounts([{"platform": p, "account_id": str(i), "handle": f"person{i}", "external_url": shop}
                       for i, p in enumerate(["instagram", "tiktok", "youtube"])])
    assert set(suggest_links(three)["reason"]) == {"same bio link"} and len(suggest_links(three)) == 3
    four = _accounts([{"platform": p, "account_id": str(i), "handle": f"person{i}", "external_url": shop}
                      for i, p in enumerate(["instagram", "tiktok", "youtube", "x"])])
    assert suggest_links(four).empty


def test_short_or_common_handle_gives_nothing():
    short = _accounts([{"platform": "instagram", "account_id": "1", "handle": "anna"},
                       {"platform": "tiktok", "account_id": "2", "handle": "anna"}])
    five = _accounts([{"platform": "instagram", "account_id": "1", "handle": "an_na5"},  # 'anna5'
                      {"platform": "tiktok", "account_id": "2", "handle": "anna5"}])
    common = _accounts([{"platform": "instagram", "account_id": "1", "handle": "anna.bakes"},
                        {"platform": "instagram", "account_id": "2", "handle": "annabakes"},
                        {"platform": "tiktok", "account_id": "3", "handle": "anna_bakes"}])
    short_name_twice = _accounts([
        {"platform": "x", "account_id": "1", "handle": "mika", "display_name": "Mika"},
        {"platform": "x", "account_id": "2", "handle": "mi.ka", "display_name": "Mika"},
        {"platform": "bluesky", "account_id": "3", "handle": "mika.bsky.social", "display_name": "Mika"},
    ])
    too_short_with_name = _accounts([
        {"platform": "x", "account_id": "1", "handle": "mik", "display_name": "Mik"},
        {"platform": "bluesky", "account_id": "2", "handle": "mik.bsky.social", "display_name": "Mik"},
    ])
    for accounts in (short, five, common, short_name_twice, too_short_with_name):
        assert suggest_links(accounts).empty


def test_same_platform_is_never_linked():
    accounts = _accounts([
        {"platform": "instagram", "account_id": "1", "handle": "lenabakes_", "display_name": "Lena",
         "external_url": "https://instagram.com/lenabakes"},
        {"platform": "instagram", "account_id": "2", "handle": "lenabakes", "display_name": "Lena",
         "external_url": "https://instagram.com/lenabakes"},
    ])
    assert suggest_links(accounts).empty


def test_mastodon_account_id_stands_in_for_a_missing_handle():
    accounts = _accounts([
        {"platform": "mastodon", "account_id": "lenabakes@bake.town", "handle": None},
        {"platform": "instagram", "account_id": "1", "handle": "lena.bakes"},
    ])
    assert _found(suggest_links(accounts)) == {("instagram:1", "mastodon:lenabakes@bake.town"): "same handle"}


def test_handles_outside_ascii_match_their_profile_urls():
    # vectorised lowercasing differs from Python's for 'İ'; profile URLs are keyed by Python's
    accounts = _accounts([
        {"platform": "instagram", "account_id": "1", "handle": "İstanbulCakes"},
        {"platform": "tiktok", "account_id": "2", "handle": "ic",
         "external_url": "instagram.com/İstanbulCakes"},
        {"platform": "x", "account_id": "3", "handle": "İstanbul.Cakes"},
    ])
    assert _found(suggest_links(accounts)) == {
        ("instagram:1", "tiktok:2"): "links to the other profile",
        ("instagram:1", "x:3"): "same handle"}


def test_accounts_without_optional_columns():
    accounts = pd.DataFrame({"platform": ["instagram", "tiktok"], "account_id": ["1", "2"]})
    assert suggest_links(accounts).empty
    assert list(suggest_links(accounts.iloc[:0]).columns) == LINK_COLUMNS


def test_user_links():
    links = user_links([(("x", "5"), ("instagram", "1")), (("instagram", "1"), ("x", "5")),
                        (("tiktok", "2"), ("instagram", "1"))])
    assert links.values.tolist() == [["instagram", "1", "x", "5", "linked by you", 1.0],
                                     ["instagram", "1", "tiktok", "2", "linked by you", 1.0]]
    empty = user_links([])
    assert list(empty.columns) == LINK_COLUMNS and empty.empty


def _candidates(*keys: str) -> pd.DataFrame:
    return pd.DataFrame([key.split(":", 1) for key in keys], columns=["platform", "account_id"])


def test_person_ids_are_components_in_order_of_first_appearance():
    candidates = _candidates("x:9", "instagram:1", "tiktok:2", "youtube:3", "x:4", "twitch:5")
    links = _links(("instagram", "1", "youtube", "3", 1.0), ("x", "4", "x", "9", 0.9),
                   ("twitch", "5", "tiktok", "2", 0.85))
    ids = person_ids(candidates, links)
    assert ids.tolist() == [0, 1, 2, 1, 0, 2]
    assert ids.dtype == np.int64


def test_person_ids_join_through_an_account_that_is_no_candidate():
    candidates = _candidates("instagram:1", "tiktok:2", "youtube:3")
    links = _links(("instagram", "1", "x", "7", 1.0), ("x", "7", "youtube", "3", 1.0),
                   ("blog", "a", "blog", "b", 1.0))  # neither end a candidate: ignored
    assert person_ids(candidates, links).tolist() == [0, 1, 0]


def test_person_ids_ignore_weak_suggestions():
    candidates = _candidates("instagram:1", "tiktok:2", "youtube:3")
    links = pd.concat([_links(("instagram", "1", "tiktok", "2", 0.6)),
                       user_links([(("tiktok", "2"), ("youtube", "3"))])])
    assert person_ids(candidates, links).tolist() == [0, 1, 1]
    assert person_ids(candidates, links, min_confidence=0.5).tolist() == [0, 0, 0]
    assert person_ids(candidates, links.iloc[:0]).tolist() == [0, 1, 2]


def test_person_ids_of_suggestions_and_edge_cases():
    accounts = _accounts([
        {"platform": "instagram", "account_id": "1", "handle": "lena.bakes"},
        {"platform": "tiktok", "account_id": "2", "handle": "x", "external_url": "instagram.com/lena.bakes"},
        {"platform": "youtube", "account_id": "3", "handle": "lenabakes"},  # 'same handle': 0.6
    ])
    links = suggest_links(accounts)
    assert person_ids(accounts, links).tolist() == [0, 0, 1]
    assert person_ids(accounts, links, min_confidence=0.6).tolist() == [0, 0, 0]
    assert person_ids(accounts.iloc[:0], links).tolist() == []
    # a candidate listed twice is one account
    assert person_ids(_candidates("x:1", "x:1", "x:2"), links).tolist() == [0, 0, 1]
