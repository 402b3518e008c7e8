"""The planner's core on worlds with known answers: audience units, the greedy, the exact program."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from microscout.plan.allocate import Constraints, Coverage, Pool, allocate, best_single, greedy
from microscout.plan.audience import build_audience
from microscout.plan.exact import exact

GUARANTEE = 1 - np.exp(-0.5)


def _candidates(followers: list[int], reach: float = 1.0, posts: int = 1, conv: float = 0.0) -> pd.DataFrame:
    return pd.DataFrame({"platform": "instagram", "account_id": [str(i) for i in range(len(followers))],
                         "followers": followers, "reach_rate": reach, "max_posts": posts, "conversion_rate": conv})


def _follows(lists: dict[int, list[int]]) -> pd.DataFrame:
    return pd.DataFrame([("instagram", f"u{u}", str(c)) for c, people in lists.items() for u in people],
                        columns=["platform", "follower_id", "followee_id"])


def _pool(price, posts=1, tiers=None, platforms=None) -> Pool:
    n = len(price)
    return Pool(np.asarray(price, float), np.full(n, posts), np.zeros(n),
                np.asarray(tiers or ["micro"] * n), np.asarray(platforms or ["instagram"] * n))


def _random_instance(rng, n, people, posts=1, reach=1.0):
    lists = {c: sorted(rng.choice(people, int(rng.integers(5, people // 2)), replace=False)) for c in range(n)}
    cands = _candidates([len(v) for v in lists.values()], reach, posts)
    price = rng.integers(10, 60, n).astype(float)
    return build_audience(cands, _follows(lists)), price, lists


def test_a_shared_audience_is_counted_once():
    # a and b have the same 100 followers, c has 50 others; with complete lists the units are exact
    lists = {0: list(range(100)), 1: list(range(100)), 2: list(range(100, 150))}
    aud = build_audience(_candidates([100, 100, 50]), _follows(lists))
    cov = Coverage(aud, aud.weight, _pool([10, 10, 10]))
    assert cov.value_of(np.array([1, 0, 0])) == pytest.approx(100)
    assert cov.value_of(np.array([1, 1, 0])) == pytest.approx(100)
    assert cov.value_of(np.array([1, 1, 1])) == pytest.approx(150)
    # so the greedy buys a and c, never the twin b
    alloc = greedy(cov, Constraints(budget=30))
    assert alloc.value == pytest.approx(150) and alloc.posts.sum() == 2 and alloc.posts[2] == 1


def test_repeat_posts_reach_fewer_new_people_each():
    aud = build_audience(_candidates([4000], reach=0.3, posts=4), _follows({0: list(range(4000))}))
    cov = Coverage(aud, aud.weight, _pool([10], posts=4))
    reached = [cov.value_of(np.array([k])) for k in range(1, 5)]
    expected = [4000 * (1 - 0.7 ** k) for k in range(1, 5)]
    assert reached == pytest.approx(expected, rel=0.05)
    gains = np.diff([0, *reached])
    assert all(gains[i] > gains[i + 1] for i in range(3))


@pytest.mark.parametrize("seed", range(12))
def test_the_exact_program_finds_the_brute_force_optimum_and_the_greedy_keeps_its_guarantee(seed):
    rng = np.random.default_rng(seed)
    n, posts = 6, 2
    aud, price, _ = _random_instance(rng, n, 80, posts=posts, reach=0.6)
    cov = Coverage(aud, aud.weight, _pool(price, posts=posts))
    budget = float(price.sum() * 0.6)
    best = 0.0
    for combo in itertools.product(range(posts + 1), repeat=n):
        alloc = np.array(combo)
        if (alloc * price).sum() <= budget:
            best = max(best, cov.value_of(alloc))
    solved = exact(cov, Constraints(budget))
    assert solved is not None and solved.value == pytest.approx(best)
    assert (solved.posts * price).sum() <= budget + 1e-9
    found = allocate(cov, Constraints(budget))
    assert (found.posts * price).sum() <= budget + 1e-9
    assert GUARANTEE * best - 1e-9 <= found.value <= best + 1e-9


def test_never_over_budget_and_the_limits_hold():
    rng = np.random.default_rng(3)
    aud, price, _ = _random_instance(rng, 30, 400, posts=3, reach=0.4)
    tiers = ["nano"] * 15 + ["micro"] * 15
    cov = Coverage(aud, aud.weight, _pool(price, posts=3, tiers=tiers))
    for budget in (25.0, 100.0, 333.0, 5_000.0):
        cons = Constraints(budget, max_creators=6, tier_mix={"micro": (0.5, 1.0), "nano": (0.0, 0.3)})
        alloc = greedy(cov, cons)
        spent = alloc.posts * price
        assert spent.sum() <= budget + 1e-9
        assert (alloc.posts > 0).sum() <= 6 and alloc.posts.max() <= 3
        assert spent[:15].sum() <= 0.3 * budget + 1e-9
        assert spent[15:].sum() >= 0.5 * budget - 1e-9 or alloc.unmet
        ex = exact(cov, cons)
        if ex is None:  # no allocation meets every minimum: the greedy says which it missed
            assert alloc.unmet
            continue
        assert ex.value >= alloc.value - 1e-6
        assert (ex.posts * price).sum() <= budget + 1e-9 and (ex.posts > 0).sum() <= 6


def test_an_unmet_minimum_is_reported_not_hidden():
    aud = build_audience(_candidates([100, 100]), _follows({0: list(range(100)), 1: list(range(100, 200))}))
    cov = Coverage(aud, aud.weight, _pool([10, 500], tiers=["nano", "micro"]))
    alloc = greedy(cov, Constraints(100.0, min_creators=2, tier_mix={"micro": (0.5, 1.0)}))
    assert alloc.posts.tolist() == [1, 0]
    assert any(u.startswith("tier micro") for u in alloc.unmet) and any(u.startswith("creators") for u in alloc.unmet)


def test_the_best_single_creator_beats_a_greedy_misled_by_cheap_crumbs():
    # the classic trap: a tiny cheap audience has the best ratio, then the big one no longer fits
    aud = build_audience(_candidates([2, 100]), _follows({0: [0, 1], 1: list(range(2, 102))}))
    cov = Coverage(aud, aud.weight, _pool([1.0, 100.0]))
    assert greedy(cov, Constraints(100.0)).value == pytest.approx(2)
    assert best_single(cov, Constraints(100.0)).value == pytest.approx(100)
    assert allocate(cov, Constraints(100.0)).posts.tolist() == [0, 1]


def test_unique_reach_from_a_ten_percent_sample_is_within_ten_percent_of_the_complete_lists():
    rng = np.random.default_rng(2)
    n, people = 40, 60_000
    community = rng.integers(0, 6, people)
    frames = []
    for c in range(n):
        pool = np.flatnonzero(np.isin(community, rng.choice(6, int(rng.integers(1, 3)), replace=False)))
        weights = 1 / (1 + np.arange(len(pool))) ** 0.3     # some people follow many creators
        chosen = rng.choice(pool, int(rng.integers(2000, 8000)), replace=False, p=weights / weights.sum())
        frames.append(pd.DataFrame({"platform": "instagram", "follower_id": chosen.astype(str), "followee_id": str(c)}))
    complete = pd.concat(frames, ignore_index=True)
    sizes = complete.groupby("followee_id").size()
    cands = _candidates(sizes.reindex([str(i) for i in range(n)]).tolist(), reach=0.35, posts=2)
    sample = complete.groupby("followee_id", group_keys=False).sample(frac=0.1, random_state=3)
    full, part = build_audience(cands, complete), build_audience(cands, sample)
    pool = _pool(np.ones(n), posts=2)
    exact_cov, sampled_cov = Coverage(full, full.weight, pool), Coverage(part, part.weight, pool)
    naive_errors = []
    for _ in range(25):
        posts = np.zeros(n, dtype=np.int64)
        picked = rng.choice(n, int(rng.integers(2, 25)), replace=False)
        posts[picked] = rng.integers(1, 3, len(picked))
        truth = exact_cov.value_of(posts)
        assert sampled_cov.value_of(posts) == pytest.approx(truth, rel=0.10)
        naive = (cands.followers.to_numpy() * (1 - 0.65 ** posts)).sum()
        naive_errors.append(naive / truth - 1)
    # without the overlap the same plans would look bigger than they are
    assert np.median(naive_errors) > 0.1


def test_a_creator_without_a_follower_sample_reaches_its_followers_times_the_reach_rate():
    cands = _candidates([10_000, 100], reach=0.2, posts=2)
    aud = build_audience(cands, _follows({1: list(range(100))}))
    cov = Coverage(aud, aud.weight, _pool([10, 10], posts=2))
    assert cov.value_of(np.array([1, 0])) == pytest.approx(2_000)
    assert cov.value_of(np.array([2, 0])) == pytest.approx(10_000 * (1 - 0.8 ** 2))


def test_the_units_do_not_depend_on_the_order_of_the_follow_rows():
    rng = np.random.default_rng(5)
    lists = {c: list(rng.choice(3000, 600, replace=False)) for c in range(5)}
    cands = _candidates([6000] * 5, reach=0.3, posts=2)
    f = _follows(lists)
    a, b = build_audience(cands, f), build_audience(cands, f.sample(frac=1.0, random_state=1))
    pool = _pool([1] * 5, posts=2)
    for posts in ([1, 0, 0, 0, 0], [2, 1, 0, 1, 0], [2, 2, 2, 2, 2]):
        assert Coverage(a, a.weight, pool).value_of(np.array(posts)) == pytest.approx(
            Coverage(b, b.weight, pool).value_of(np.array(posts)))


def test_the_overlap_matrix_scales_sampled_counts_to_full_audiences():
    from microscout.plan.audience import overlap_matrix

    # a and b share 500 of their 1,000 followers; both lists are independent 50% samples
    rng = np.random.default_rng(0)
    a, b = list(range(1000)), list(range(500, 1500))
    half = {0: list(rng.choice(a, 500, replace=False)), 1: list(rng.choice(b, 500, replace=False))}
    m = overlap_matrix(build_audience(_candidates([1000, 1000]), _follows(half)), [0, 1])
    # about 125 shared in the samples, / (0.5 × 0.5)
    assert m["shared_followers"][0][1] == pytest.approx(500, rel=0.15)
    assert m["shared_followers"][0][0] == 1000 and m["jaccard"][0][1] == pytest.approx(1 / 3, rel=0.2)
    complete = build_audience(_candidates([1000, 1000]), _follows({0: a, 1: b}))
    m = overlap_matrix(complete, [0, 1])
    assert m["shared_followers"][0][1] == 500 and m["jaccard"][0][1] == pytest.approx(500 / 1500, abs=1e-4)


def test_a_sample_above_the_limit_is_thinned_and_still_scaled_to_the_full_audience():
    lists = {0: list(range(20_000)), 1: list(range(10_000, 30_000))}
    cands = _candidates([20_000, 20_000], reach=1.0)
    full, thinned = build_audience(cands, _follows(lists)), build_audience(cands, _follows(lists), max_sample=4_000)
    assert thinned.sample_size.tolist() == pytest.approx([4_000, 4_000], rel=0.05)
    pool = _pool([1, 1])
    for posts in ([1, 0], [1, 1]):
        assert Coverage(thinned, thinned.weight, pool).value_of(np.array(posts)) == pytest.approx(
            Coverage(full, full.weight, pool).value_of(np.array(posts)), rel=0.05)


def test_accounts_of_one_person_count_once_against_max_creators():
    # accounts 0 and 1 are one person on two platforms; 2 is someone else
    lists = {0: list(range(0, 160)), 1: list(range(160, 260)), 2: list(range(300, 450))}
    aud = build_audience(_candidates([160, 100, 150]), _follows(lists))
    pool = Pool(np.array([10.0, 10.0, 10.0]), np.ones(3, dtype=np.int64), np.zeros(3), np.array(["micro"] * 3),
                np.array(["instagram", "tiktok", "instagram"]), person=np.array([0, 0, 1]))
    cov = Coverage(aud, aud.weight, pool)
    cons = Constraints(100.0, max_creators=1)
    # one creator: the person with two accounts reaches 260 with both, the other 150
    for alloc in (greedy(cov, cons), exact(cov, cons)):
        assert alloc.posts.tolist() == [1, 1, 0] and alloc.value == pytest.approx(260)
    alone = Coverage(aud, aud.weight, _pool([10.0, 10.0, 10.0]))
    assert greedy(alone, cons).posts.tolist() == [1, 0, 0] and exact(alone, cons).posts.tolist() == [1, 0, 0]


def test_memberships_are_the_same_on_the_bitmap_and_on_the_sparse_path(monkeypatch):
    from microscout.plan import audience

    rng = np.random.default_rng(9)
    # overlapping samples of lists longer than the samples: many deemed draws, repeated across creators
    lists = {c: list(rng.choice(4000, 500, replace=False)) for c in range(12)}
    cands = _candidates([8000] * 12, reach=0.3, posts=2)
    fast = build_audience(cands, _follows(lists))
    monkeypatch.setattr(audience, "MAX_BITMAP", 0)
    slow = build_audience(cands, _follows(lists))
    assert len(fast.entry_unit) > sum(len(v) for v in lists.values())  # deemed memberships were drawn
    for name in ("weight", "conversions", "entry_unit", "entry_candidate", "entry_kappa"):
        assert np.array_equal(getattr(fast, name), getattr(slow, name)), name


def test_stacking_candidates_with_all_null_columns_keeps_values_and_dtypes():
    from microscout.plan.strategies import _stack

    portfolio = pd.DataFrame({"account_id": ["a", "b"], "score": [0.9, 0.8], "topic": [0.5, 0.4], "x": [None, None]})
    macros = pd.DataFrame({"account_id": ["m"], "score": [0.7], "topic": [None], "x": [None]})
    both = _stack([portfolio, macros])  # warnings are errors in the tests: pandas warned here before
    assert list(both.columns) == ["account_id", "score", "topic", "x"]
    assert both.topic.tolist()[:2] == [0.5, 0.4] and np.isnan(both.topic.iloc[2]) and both.x.isna().all()
    assert both.score.dtype == float and _stack([macros.iloc[:0], macros]).account_id.tolist() == ["m"]


@pytest.mark.parametrize("solver", ["greedy", "exact"])
def test_a_penalised_flag_weighs_a_creator_down_without_changing_the_reach_reported(solver):
    from microscout.plan.strategies import penalised_coverage

    # 0 and 1 reach 100 people each, the same price; only one fits. 2 (flagged too) reaches 300.
    lists = {0: list(range(100)), 1: list(range(100, 200)), 2: list(range(200, 500))}
    aud = build_audience(_candidates([100, 100, 300]), _follows(lists))
    frame = pd.DataFrame({"flag_growth_spike": [True, False, True], "flag_inactive": [False, False, None]})

    def pick(budget: float, prices: list[float], flags: tuple[str, ...]):
        cov = penalised_coverage(Coverage(aud, aud.weight, _pool(prices)), frame, flags)
        alloc = greedy(cov, Constraints(budget)) if solver == "greedy" else exact(cov, Constraints(budget))
        reach = Coverage(aud, aud.weight, _pool(prices)).value_of(alloc.posts)
        return set(np.flatnonzero(alloc.posts)), reach

    # without a penalty the tie may go to the flagged one; with it, never
    assert pick(10, [10, 10, 1000], ("growth_spike",))[0] == {1}
    assert pick(10, [10, 10, 1000], ())[0] in ({0}, {1})
    # a penalised creator reaching three times as many for the same price is still worth it
    # (300 x 0.5 = 150 > 100), and its reach is reported in full
    chosen, reach = pick(10, [1000, 10, 10], ("growth_spike",))
    assert chosen == {2} and reach == pytest.approx(300)
    # a flag not penalised, or absent from the table, changes nothing
    assert pick(10, [10, 10, 1000], ("inactive", "private"))[0] in ({0}, {1})
    # with money for both, the flagged one is still bought: half its reach is still reach
    assert pick(20, [10, 10, 1000], ("growth_spike",))[0] == {0, 1}
