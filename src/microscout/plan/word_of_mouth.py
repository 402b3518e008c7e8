"""Word of mouth: expected spread through the follow and mention graph.

Model: the independent cascade (IC). The seeds S are active at the start; a node u that becomes
active gets one chance to activate each out-neighbour w, succeeding with probability p(u, w),
independently of everything else. The spread σ(S) is the expected number of active nodes at the
end, **the seeds included**. p(u, w) is a given constant, or by default the weighted cascade
p(u, w) = 1 / in-degree(w): an account that listens to many others is moved by each one less.

Estimator: reverse-reachable (RR) sets, as in IMM (Tang, Shi, Xiao 2015, "Influence Maximization
in Near-Linear Time: A Martingale Approach", SIGMOD). Pick a node v uniformly at random, keep each
edge live with its probability and collect every node that reaches v along live edges: that is an
RR set R. Since P(S ∩ R ≠ ∅) = σ(S) / n, with θ sets

    σ̂(S) = n · #{RR sets that S hits} / θ,

unbiased, so each RR set is a coverage unit of weight n / θ and the planner's weighted coverage is
the spread.

Sample size: `samples`, or IMM's sampling phase (its Algorithm 2, Theorem 2) for k seeds, with
ℓ = 1 (confidence 1 − 1/n), ℓ' = ℓ (1 + ln 2 / ln n) and ε' = √2 ε:

    λ' = (2 + 2ε'/3) (ln C(n, k) + ℓ' ln n + ln log₂ n) · n / ε'²
    for i = 1 … ⌈log₂ n⌉ − 1:  x = n / 2^i; draw up to λ' / x sets;
        if n · F(S_i) ≥ (1 + ε') x:  LB = n · F(S_i) / (1 + ε'); stop        (else LB = 1)
    λ* = 2n ((1 − 1/e) α + β)² / ε²,  α = √(ℓ' ln n + ln 2),
         β = √((1 − 1/e) (ln C(n, k) + ℓ' ln n + ln 2))
    θ = ⌈λ* / LB⌉, at most `max_samples`

F(S_i) is the share of sets that the greedy k seeds hit; with k = the number of candidates those
seeds are all the candidates. ε is the relative accuracy: with probability ≥ 1 − 1/n, greedy
coverage over the θ sets is within a factor 1 − 1/e − ε of the best k seeds (0.2: at most 20 % of
the optimum lost on top of greedy's 1 − 1/e). ln C(n, k) counts every k-set of the n nodes, which
covers any choice among the candidates. The θ final sets are drawn afresh, not extended from the
sampling phase: reuse makes them depend on LB, which the martingale argument assumes they do not
(Chen 2018, "An Issue in the Martingale Analysis of the Influence Maximization Algorithm IMM").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

# Bytes of the visited bitmap shared by a batch of RR sets: batch × n bits as bools.
_BITMAP_BYTES = 1 << 26
_MAX_BATCH = 1 << 16


@dataclass(frozen=True)
class WordOfMouth:
    """RR sets as weighted coverage units.

    Entry j says that RR set unit[j] holds candidate candidate[j] (sorted by unit, then candidate).
    Units are numbered 0 … len(weight) − 1 over the sets that hold at least one candidate, in order
    of sampling; the other θ − len(weight) sets can never be covered and have no entries, but they
    count in θ. weight[u] = n_nodes / theta, so the weight of the covered units is the spread.
    """

    unit: np.ndarray
    candidate: np.ndarray
    weight: np.ndarray
    n_nodes: int
    theta: int


def influence_edges(follows: pd.DataFrame, mentions: pd.DataFrame | None = None) -> pd.DataFrame:
    """Influence edges (source, target) from follows (follower_id, followee_id) and optional mentions
    (author_id, mentioned_id) of one platform.

    Influence flows followee → follower (the follower sees the posts) and mentioned → author (the
    author talks about the account it mentions, so it listens to it). Duplicates, self-loops and
    missing ids are dropped; the edges come back sorted.
    """
    parts = [pd.DataFrame({"source": follows["followee_id"].to_numpy(), "target": follows["follower_id"].to_numpy()})]
    if mentions is not None:
        parts.append(pd.DataFrame({"source": mentions["mentioned_id"].to_numpy(),
                                   "target": mentions["author_id"].to_numpy()}))
    edges = pd.concat(parts, ignore_index=True).dropna().astype(str)
    edges = edges[edges["source"] != edges["target"]].drop_duplicates()
    # sorted: node numbers, and so the sampled sets, must not depend on the order rows came in
    # (DuckDB and Spark return the same edges in different orders)
    return edges.sort_values(["source", "target"], kind="stable").reset_index(drop=True)


def _first_of_run(ordered: np.ndarray) -> np.ndarray:
    """Mask of the first element of each run of equal values in a sorted array."""
    return np.concatenate(([True], ordered[1:] != ordered[:-1])) if ordered.size else np.zeros(0, bool)


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values. np.unique on int64 hashes first and is ~100× slower (numpy 2.4)."""
    ordered = np.sort(values)
    return np.asarray(ordered[_first_of_run(ordered)])


class _Sampler:
    """Draws RR sets many at a time: one BFS level of a whole batch is a few numpy calls."""

    def __init__(self, indptr: np.ndarray, src: np.ndarray, p_node: np.ndarray, cand_of_node: np.ndarray,
                 seed: int) -> None:
        self.indptr, self.src, self.p_node, self.cand_of_node = indptr, src, p_node, cand_of_node
        self.n = len(indptr) - 1
        self.batch = max(1, min(_BITMAP_BYTES // self.n, _MAX_BATCH))
        # A flat visited map keyed by set * n + node: a batch dedups without sorting per set.
        self.seen = np.zeros(self.batch * self.n, dtype=bool)
        self.rng = np.random.default_rng(seed)

    def draw(self, count: int) -> tuple[np.ndarray, np.ndarray]:
        """`count` RR sets: (set, candidate) pairs of the sets that hold a candidate, sets numbered from 0."""
        units, cands = [np.empty(0, np.int64)], [np.empty(0, np.int64)]
        for start in range(0, count, self.batch):
            u, c = self._batch(min(self.batch, count - start))
            units.append(u + start)
            cands.append(c)
        return np.concatenate(units), np.concatenate(cands)

    def _batch(self, size: int) -> tuple[np.ndarray, np.ndarray]:
        n, indptr = self.n, self.indptr
        frontier = np.arange(size, dtype=np.int64) * n + self.rng.integers(0, n, size=size)
        self.seen[frontier] = True
        found = [frontier]
        while frontier.size:
            rr, node = np.divmod(frontier, n)
            lo = indptr[node]
            deg = indptr[node + 1] - lo
            ends = np.cumsum(deg)
            total = int(ends[-1])
            if total == 0:
                break
            # One uniform per in-edge of the frontier, in CSR order; only the live ones are expanded,
            # and WC keeps about one per node, so index the few live ones instead of repeating all.
            live = np.flatnonzero(self.rng.random(total) < np.repeat(self.p_node[node], deg))
            owner = np.searchsorted(ends, live, side="right")
            new = rr[owner] * n + self.src[lo[owner] + live - (ends[owner] - deg[owner])]
            # Two live edges into one node in the same level: expand it once.
            new = _distinct(new[~self.seen[new]])
            self.seen[new] = True
            found.append(new)
            frontier = new
        keys = np.concatenate(found)
        self.seen[keys] = False
        rr, node = np.divmod(keys, n)
        cand = self.cand_of_node[node]
        hit = cand >= 0
        return rr[hit], cand[hit]


def _imm_theta(sampler: _Sampler, n: int, k: int, epsilon: float, cap: int) -> int:
    """θ from IMM's sampling phase (formulas in the module docstring); its sets are thrown away."""
    ln_n = math.log(max(n, 2))
    ell = 1.0 + math.log(2) / ln_n
    ln_cnk = math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)
    eps1 = math.sqrt(2) * epsilon
    lam1 = (2 + 2 * eps1 / 3) * (ln_cnk + ell * ln_n + math.log(max(math.log2(n), 1.0))) * n / eps1**2
    drawn, covered, lb = 0, 0, 1.0
    for i in range(1, math.ceil(math.log2(max(n, 2)))):
        x = n / 2**i
        # Past the cap the later, smaller x are still checked against the sets already drawn.
        need = min(math.ceil(lam1 / x), cap)
        if need > drawn:
            units, _ = sampler.draw(need - drawn)
            covered += len(_distinct(units))
            drawn = need
        if n * covered / drawn >= (1 + eps1) * x:
            lb = n * covered / drawn / (1 + eps1)
            break
    one_minus = 1 - 1 / math.e
    alpha = math.sqrt(ell * ln_n + math.log(2))
    beta = math.sqrt(one_minus * (ln_cnk + ell * ln_n + math.log(2)))
    lam_star = 2 * n * (one_minus * alpha + beta) ** 2 / epsilon**2
    return max(1, min(math.ceil(lam_star / lb), cap))


def word_of_mouth_units(edges: pd.DataFrame, candidate_ids: list[str], *, samples: int | None = None,
                        epsilon: float = 0.2, probability: float | None = None, seed: int = 0,
                        max_samples: int = 200_000) -> WordOfMouth:
    """RR sets over the influence graph `edges` (source, target), kept where they hold a candidate.

    Nodes are every id in `edges` plus the candidates (a candidate without edges is isolated: it
    reaches only itself). Edge probability: `probability`, else the weighted cascade
    1 / in-degree(target). θ: `samples`, else IMM's sampling phase for k = len(candidate_ids) seeds
    with accuracy `epsilon` and confidence 1 − 1/n, at most `max_samples`. Spread counts the seeds
    themselves. Results are identical for identical arguments (numpy Generator seeded by `seed`).
    """
    if samples is not None and samples < 1:
        raise ValueError("samples must be at least 1")
    if probability is not None and not 0.0 <= probability <= 1.0:
        raise ValueError("probability must be in [0, 1]")
    if epsilon <= 0:
        raise ValueError("epsilon must be positive")
    k = len(candidate_ids)
    src_ids = edges["source"].astype(str).to_numpy(dtype=object)
    tgt_ids = edges["target"].astype(str).to_numpy(dtype=object)
    # Candidates first, so candidate i is node i.
    codes, uniques = pd.factorize(np.concatenate([np.asarray([str(c) for c in candidate_ids], dtype=object),
                                                  src_ids, tgt_ids]))
    n = len(uniques)
    if len(np.unique(codes[:k])) < k:
        raise ValueError("candidate_ids has duplicates")
    empty = np.empty(0, np.int64)
    if k == 0:
        return WordOfMouth(empty, empty, np.empty(0), n, 0)
    codes = codes.astype(np.int64)
    m = len(src_ids)
    # Sorting target * n + source dedups the edges and leaves them in in-edge CSR order.
    key = _distinct(codes[k + m:] * n + codes[k:k + m])
    tgt, src = np.divmod(key, n)
    keep = tgt != src
    tgt, src = tgt[keep], src[keep]
    indeg = np.bincount(tgt, minlength=n)
    indptr = np.zeros(n + 1, np.int64)
    np.cumsum(indeg, out=indptr[1:])
    p_node = 1.0 / np.maximum(indeg, 1) if probability is None else np.full(n, float(probability))
    cand_of_node = np.full(n, -1, np.int64)
    cand_of_node[:k] = np.arange(k)
    sampler = _Sampler(indptr, src, p_node, cand_of_node, seed)
    theta = samples if samples is not None else _imm_theta(sampler, n, k, epsilon, max_samples)
    rr, cand = sampler.draw(theta)
    order = np.lexsort((cand, rr))
    # Number the sets that hold a candidate 0, 1, … in sampling order.
    unit = np.cumsum(_first_of_run(rr[order])) - 1
    return WordOfMouth(unit=unit.astype(np.int64), candidate=cand[order].astype(np.int64),
                       weight=np.full(int(unit[-1]) + 1 if unit.size else 0, n / theta), n_nodes=n,
                       theta=int(theta))


def expected_spread(wom: WordOfMouth, chosen: list[int]) -> float:
    """Estimated expected IC spread of the chosen candidate indices, the chosen ones included."""
    if len(chosen) == 0:
        return 0.0
    hit = np.isin(wom.candidate, np.asarray(chosen, dtype=np.int64))
    covered = np.zeros(len(wom.weight), dtype=bool)
    covered[wom.unit[hit]] = True
    return float(wom.weight[covered].sum())
