"""word_of_mouth: RR-set estimates of independent-cascade spread against answers known by hand or by
a forward Monte-Carlo simulation written here."""

from __future__ import annotations

import random

import numpy as np
import pandas as pd
import pytest

from microscout.plan.word_of_mouth import expected_spread, influence_edges, word_of_mouth_units


def _edges(pairs: list[tuple[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(pairs, columns=["source", "target"])


def test_star_hub_reaches_half_its_leaves():
    leaves = [f"l{i}" for i in range(10)]
    edges = _edges([("hub", leaf) for leaf in leaves])
    wom = word_of_mouth_units(edges, ["hub", "l0"], samples=100_000, probability=0.5, seed=1)
    assert wom.n_nodes == 11 and wom.theta == 100_000
    assert expected_spread(wom, [0]) == pytest.approx(1 + 10 * 0.5, rel=0.02)
    assert expected_spread(wom, [1]) == pytest.approx(1, rel=0.03)  # a leaf reaches only itself
    # the hub's own leaf is certain, the other nine half the time
    assert expected_spread(wom, [0, 1]) == pytest.approx(1 + 1 + 9 * 0.5, rel=0.02)
    assert expected_spread(wom, []) == 0.0


def test_directed_path_halves_at_each_step():
    edges = _edges([("a", "b"), ("b", "c"), ("c", "d")])
    wom = word_of_mouth_units(edges, ["a", "b", "c"], samples=100_000, probability=0.5, seed=2)
    assert expected_spread(wom, [0]) == pytest.approx(1 + 0.5 + 0.25 + 0.125, rel=0.02)
    assert expected_spread(wom, [1]) == pytest.approx(1 + 0.5 + 0.25, rel=0.02)
    assert expected_spread(wom, [0, 2]) == pytest.approx(1 + 0.5 + 1 + 0.5, rel=0.02)


def _forward_spread(pairs: list[tuple[str, str]], prob: dict[str, float], seeds: list[str], runs: int,
                    seed: int) -> float:
    """Independent cascade forward: each newly active node tries each out-edge once."""
    out: dict[str, list[str]] = {}
    for s, t in pairs:
        out.setdefault(s, []).append(t)
    rnd = random.Random(seed)
    total = 0
    for _ in range(runs):
        active, frontier = set(seeds), list(seeds)
        while frontier:
            nxt = []
            for u in frontier:
                for w in out.get(u, []):
                    if w not in active and rnd.random() < prob[w]:
                        active.add(w)
                        nxt.append(w)
            frontier = nxt
        total += len(active)
    return total / runs


@pytest.mark.parametrize("probability", [None, 0.2])
def test_matches_forward_monte_carlo_on_a_random_graph(probability):
    rng = np.random.default_rng(7)
    n = 200
    pairs = sorted({(f"v{s}", f"v{t}") for s, t in zip(rng.integers(0, n, 800), rng.integers(0, n, 800), strict=True)
                    if s != t})
    indeg: dict[str, int] = {}
    for _, t in pairs:
        indeg[t] = indeg.get(t, 0) + 1
    prob = {t: (1 / d if probability is None else probability) for t, d in indeg.items()}
    outdeg = pd.Series([s for s, _ in pairs]).value_counts()
    hubs = list(outdeg.index[:3])
    others = [f"v{i}" for i in range(0, n, 20) if f"v{i}" not in hubs]
    candidates = hubs + others
    wom = word_of_mouth_units(_edges(pairs), candidates, samples=100_000, probability=probability, seed=3)
    assert wom.n_nodes == len({x for p in pairs for x in p} | set(candidates))
    for chosen in ([0], [0, 1, 2], list(range(len(candidates)))):
        seeds = [candidates[i] for i in chosen]
        truth = _forward_spread(pairs, prob, seeds, runs=10_000, seed=11)
        assert expected_spread(wom, chosen) == pytest.approx(truth, rel=0.05), seeds


def test_weighted_cascade_is_one_over_in_degree():
    n = 30  # every node hears from the two before it on a ring: in-degree 2, so p = 1/2
    ring = _edges([(f"r{i}", f"r{(i + d) % n}") for i in range(n) for d in (1, 2)])
    default = word_of_mouth_units(ring, ["r0", "r5", "r9"], samples=5_000, seed=4)
    half = word_of_mouth_units(ring, ["r0", "r5", "r9"], samples=5_000, probability=0.5, seed=4)
    np.testing.assert_array_equal(default.unit, half.unit)
    np.testing.assert_array_equal(default.candidate, half.candidate)
    # h -> t1 (p = 1), h, g -> t2 (1/2), h, g, f -> t3 (1/3); the duplicate edge must not count twice
    edges = _edges([("h", "t1"), ("h", "t1"), ("h", "t2"), ("g", "t2"), ("h", "t3"), ("g", "t3"), ("f", "t3")])
    wom = word_of_mouth_units(edges, ["h"], samples=200_000, seed=5)
    assert wom.n_nodes == 6
    assert expected_spread(wom, [0]) == pytest.approx(1 + 1 + 1 / 2 + 1 / 3, rel=0.02)


def test_influence_edges_direction_and_dedup():
    follows = pd.DataFrame({"follower_id": ["f1", "f1", "f2", "x", None],
                            "followee_id": ["c", "c", "c", "x", "c"]})
    mentions = pd.DataFrame({"author_id": ["f2", "f2", "c"], "mentioned_id": ["brand", "brand", "c"]})
    only_follows = influence_edges(follows)
    assert list(only_follows.columns) == ["source", "target"]
    assert sorted(map(tuple, only_follows.to_numpy())) == [("c", "f1"), ("c", "f2")]
    both = influence_edges(follows, mentions)
    # the creator's posts reach its followers; the author listens to the account it mentions
    assert sorted(map(tuple, both.to_numpy())) == [("brand", "f2"), ("c", "f1"), ("c", "f2")]
    assert both.index.tolist() == [0, 1, 2]


def test_same_seed_same_arrays_other_seed_other_arrays():
    rng = np.random.default_rng(9)
    edges = _edges([(f"v{s}", f"v{t}") for s, t in zip(rng.integers(0, 100, 400), rng.integers(0, 100, 400),
                                                        strict=True)])
    cands = [f"v{i}" for i in range(0, 100, 7)]
    a = word_of_mouth_units(edges, cands, samples=3_000, seed=1)
    b = word_of_mouth_units(edges, cands, samples=3_000, seed=1)
    c = word_of_mouth_units(edges, cands, samples=3_000, seed=2)
    for x, y in ((a.unit, b.unit), (a.candidate, b.candidate), (a.weight, b.weight)):
        assert x.tobytes() == y.tobytes()
    assert a.unit.dtype == a.candidate.dtype == np.int64 and a.weight.dtype == np.float64
    assert a.unit.tobytes() != c.unit.tobytes() or a.candidate.tobytes() != c.candidate.tobytes()


def test_sets_without_a_candidate_have_no_entry_but_count_in_theta():
    chain = _edges([(f"n{i}", f"n{i + 1}") for i in range(98)])  # n0 … n98, plus the isolated "z"
    wom = word_of_mouth_units(chain, ["z"], samples=100_000, probability=0.5, seed=6)
    assert wom.n_nodes == 100 and wom.theta == 100_000
    assert 0 < len(wom.weight) < wom.theta / 50  # only the sets that start at z hold it
    assert np.all(wom.weight == 100 / 100_000)
    assert np.array_equal(np.unique(wom.unit), np.arange(len(wom.weight)))
    assert expected_spread(wom, [0]) == pytest.approx(1, rel=0.1)


def test_imm_picks_theta_within_the_cap():
    edges = _edges([("hub", f"l{i}") for i in range(10)])
    wom = word_of_mouth_units(edges, ["hub"], probability=0.5, seed=8)
    assert 100 < wom.theta < 200_000
    assert expected_spread(wom, [0]) == pytest.approx(6, rel=0.2)  # ε = 0.2
    tighter = word_of_mouth_units(edges, ["hub"], probability=0.5, epsilon=0.1, seed=8)
    assert tighter.theta > 3 * wom.theta  # θ grows as 1 / ε²
    assert word_of_mouth_units(edges, ["hub"], probability=0.5, max_samples=50, seed=8).theta == 50


def test_rejects_duplicate_candidates_and_bad_probability():
    edges = _edges([("a", "b")])
    with pytest.raises(ValueError, match="duplicates"):
        word_of_mouth_units(edges, ["a", "a"], samples=10)
    with pytest.raises(ValueError, match="probability"):
        word_of_mouth_units(edges, ["a"], samples=10, probability=1.5)


def test_the_order_of_the_follow_rows_changes_nothing():
    rng = np.random.default_rng(4)
    follows = pd.DataFrame({"follower_id": rng.integers(0, 300, 2000).astype(str),
                            "followee_id": rng.integers(0, 300, 2000).astype(str)})
    shuffled = follows.sample(frac=1.0, random_state=9)
    a = word_of_mouth_units(influence_edges(follows), ["1", "2", "3"], samples=3000, seed=1)
    b = word_of_mouth_units(influence_edges(shuffled), ["1", "2", "3"], samples=3000, seed=1)
    assert np.array_equal(a.unit, b.unit) and np.array_equal(a.candidate, b.candidate)
    assert np.array_equal(a.weight, b.weight)
