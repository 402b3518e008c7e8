"""bought_engagement (bought likes, comment farms) and engagement_pod on tiny worlds with known answers."""

from __future__ import annotations

from datetime import datetime, timedelta

from microscout.workspace import Workspace

START = datetime(2026, 10, 1, 9, 0)
ACCOUNT_COLS = "account_id,handle,followers,following,posts_count,has_profile_pic,is_private"


def at(day: int, minutes: int = 0) -> str:
    return (START + timedelta(days=day, minutes=minutes)).strftime("%Y-%m-%dT%H:%M:%SZ")


def flags(ws: Workspace) -> dict[str, dict[str, bool]]:
    ws.analyze()
    m = ws.table("creator_metrics").execute()
    return {r["handle"]: {k[5:]: bool(v) for k, v in r.items() if k.startswith("flag_")} for r in m.to_dict("records")}


def fan(i: int) -> tuple:
    """A plain, real-looking person."""
    return (f"fan{i}", f"fan.{i}", 300 + i, 280, 40, True, False)


def fake(i: int) -> tuple:
    """No picture, no posts, following thousands: the fake-account model's clearest case."""
    return (f"bot{i}", f"user8830{i:03d}", 3, 4_500, 0, False, False)


def test_pod_members_found_and_listed_friends_and_a_quick_pair_are_not(tiny):
    pod = ["p1", "p2", "p3", "p4"]
    friends = ["f1", "f2", "f3"]
    pair = ["q1", "q2"]
    creators = pod + friends + pair
    accounts = [(c, f"{c}.creates", 5_000, 300, 50, True, False) for c in creators]
    accounts += [fan(i) for i in range(30)]
    posts, comments = [], []
    for c in creators:
        for k in range(6):
            pid = f"{c}-{k}"
            posts.append((pid, c, at(k * 3), 250, 12))
            for j in range(3):  # ordinary fans, hours later
                comments.append((f"{pid}-fan{j}", pid, f"fan{(k + j) % 30}", at(k * 3, 300 + 60 * j),
                                 "what flour did you use?", None))
            others = pod if c in pod else friends if c in friends else pair
            for o in others:
                if o == c:
                    continue
                if c in pod or c in pair:  # within minutes, on every post
                    comments.append((f"{pid}-{o}", pid, o, at(k * 3, 4), "Amazing as always 👏", None))
                elif k % 3 == 0:  # friends: on some posts, hours later, in their own words
                    comments.append((f"{pid}-{o}", pid, o, at(k * 3, 600), "haha this is so us, see you Sunday", None))
    ws = tiny(accounts, posts, comments, account_cols=ACCOUNT_COLS)
    f = flags(ws)
    assert {h for h, v in f.items() if v["engagement_pod"]} == {f"{c}.creates" for c in pod}
    v = ws.vet("instagram:p2")
    assert v["engagement_checks"]["pod"]["members"] == [f"{c}.creates" for c in pod]
    assert v["engagement_checks"]["pod"]["coverage"] == 1.0
    reason = v["flag_reasons"]["engagement_pod"]
    assert "3 other creators" in reason and "@p1.creates" in reason and "@p2.creates" not in reason
    assert "engagement_pod" in v["flags"]
    assert not ws.vet("instagram:f1")["engagement_checks"]["pod"]


def _farm_world(authors_of_generic: list[str]) -> tuple[list, list, list]:
    creators = [(f"c{i}", f"creator.{i}", 4_000, 300, 60, True, False) for i in range(3)]
    accounts = creators + [fan(i) for i in range(40)] + [fake(i) for i in range(20)]
    posts, comments = [], []
    for i in range(3):
        for k in range(5):
            pid = f"c{i}-{k}"
            posts.append((pid, f"c{i}", at(k * 2), 200, 10))
            for j in range(4):
                comments.append((f"{pid}-own{j}", pid, f"fan{(k * 4 + j + i) % 40}", at(k * 2, 200),
                                 "where is this café?", None))
            if i == 0:  # creator 0 gets the generic comments under test
                for j, author in enumerate(authors_of_generic):
                    comments.append((f"{pid}-g{j}", pid, author, at(k * 2, 30 + j), "Nice pic 🔥", None))
    return accounts, posts, comments


def test_generic_comments_from_fake_accounts_are_a_comment_farm(tiny):
    accounts, posts, comments = _farm_world([f"bot{j}" for j in range(6)])
    ws = tiny(accounts, posts, comments, account_cols=ACCOUNT_COLS)
    f = flags(ws)
    assert f["creator.0"]["bought_engagement"] and not f["creator.1"]["bought_engagement"]
    v = ws.vet("instagram:c0")
    checks = v["engagement_checks"]
    assert checks["farm_comments"] == 30 and checks["farm_comment_share"] == 30 / 50
    assert "30 of 50 sampled comments" in v["flag_reasons"]["bought_engagement"]
    assert "accounts that look fake" in v["flag_reasons"]["bought_engagement"]
    # farm comments count nothing in the commenter part of the quality score
    assert v["audience"]["quality_parts"]["commenters"] < ws.vet("instagram:c1")["audience"]["quality_parts"]["commenters"]


def test_the_same_generic_comments_from_real_fans_are_not_a_farm(tiny):
    accounts, posts, comments = _farm_world([f"fan{30 + j}" for j in range(6)])
    f = flags(ws := tiny(accounts, posts, comments, account_cols=ACCOUNT_COLS))
    assert not f["creator.0"]["bought_engagement"]
    assert f["creator.0"]["generic_comments"]  # 30 of 50: a caution, not fraud
    assert ws.vet("instagram:c0")["engagement_checks"]["farm_comments"] == 0


def test_an_account_spraying_template_praise_on_unrelated_creators_is_a_farm_without_a_profile(tiny):
    creators = [(f"c{i}", f"creator.{i}", 4_000, 300, 60, True, False) for i in range(6)]
    accounts = creators + [fan(i) for i in range(40)]
    posts, comments = [], []
    for i in range(6):
        for k in range(4):
            pid = f"c{i}-{k}"
            posts.append((pid, f"c{i}", at(k * 2), 200, 10))
            comments.append((f"{pid}-own", pid, f"fan{(k + i) % 40}", at(k * 2, 200), "recipe please?", None))
            # sprayer1 and sprayer2 have no profile: only their behaviour gives them away
            comments.append((f"{pid}-s1", pid, "sprayer1", at(k * 2, 3), "Love this ❤️", None))
            comments.append((f"{pid}-s2", pid, "sprayer2", at(k * 2, 5), "🔥🔥🔥", None))
    ws = tiny(accounts, posts, comments, account_cols=ACCOUNT_COLS)
    f = flags(ws)
    assert all(f[f"creator.{i}"]["bought_engagement"] for i in range(6))
    reason = ws.vet("instagram:c3")["flag_reasons"]["bought_engagement"]
    assert "8 of 12 sampled comments" in reason and "template praise on many unrelated creators" in reason


def test_likes_bought_for_some_posts_show_in_the_likes_per_comment_spread(tiny):
    accounts = [(f"c{i}", f"creator.{i}", 10_000, 300, 60, True, False) for i in range(5)]
    posts = []
    for i in range(5):
        for k in range(10):
            likes, comments = 300 + 10 * k, 15 + (k % 3)
            if i == 0 and k % 2 == 0:
                likes *= 4  # bought: likes quadrupled, comments as they were
            posts.append((f"c{i}-{k}", f"c{i}", at(k * 2), likes, comments))
    ws = tiny(accounts, posts, account_cols=ACCOUNT_COLS)
    f = flags(ws)
    assert f["creator.0"]["bought_engagement"]
    assert not any(f[f"creator.{i}"]["bought_engagement"] for i in range(1, 5))
    v = ws.vet("instagram:c0")
    assert v["engagement_checks"]["spread_posts"] == 10
    assert "likes were likely bought for those posts" in v["flag_reasons"]["bought_engagement"]


def test_a_creator_whose_posts_all_get_more_likes_and_comments_is_not_flagged(tiny):
    # twice its peers' engagement on every post, likes and comments alike: a good creator
    accounts = [(f"c{i}", f"creator.{i}", 10_000, 300, 60, True, False) for i in range(5)]
    posts = [(f"c{i}-{k}", f"c{i}", at(k * 2), (600 if i == 0 else 300) + 10 * k, (30 if i == 0 else 15) + k % 3)
             for i in range(5) for k in range(10)]
    f = flags(tiny(accounts, posts, account_cols=ACCOUNT_COLS))
    assert not any(v["bought_engagement"] for v in f.values())
