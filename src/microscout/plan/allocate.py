"""Which creators, and how many posts each: budgeted maximum coverage.

The objective of an allocation (posts per candidate) is the value of the units it reaches (see
audience.py: people for `unique_reach`, expected buyers for `conversions`, plus word-of-mouth
units when asked) and, for `engagements`, the expected engagements of every post. It is monotone
and submodular in the posts bought, so the **cost-effective greedy** (repeatedly buy the post with
the most value per unit of money that still fits) together with the **best single creator**
(all its affordable posts) is within a constant factor of the optimum: at least
(1 − e^(−1/2)) ≈ 0.39 of it where the budget is the only constraint (Khuller, Moss and Naor 1999;
Lin and Bilmes 2010). Lazy evaluation (CELF) recomputes a gain only when it reaches the top of the
queue: gains only shrink as more is bought.

Constraints: the budget (never exceeded), posts per creator, creators at most and at least, and
the share of the budget per tier and per platform ([min, max]). Maxima are never broken; the
greedy serves unmet minima first and reports any it could not meet.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from microscout.plan.audience import Audience


@dataclass(frozen=True)
class Constraints:
    budget: float
    min_creators: int | None = None
    max_creators: int | None = None
    tier_mix: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    platform_mix: Mapping[str, tuple[float, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Pool:
    """Candidates as arrays: price of one post, most posts, value per post outside the units
    (expected engagements when that is the objective, else 0), tier, platform, and the person
    behind each account (accounts of one person count as one creator; default: each its own)."""

    price: np.ndarray
    max_posts: np.ndarray
    per_post: np.ndarray
    tier: np.ndarray
    platform: np.ndarray
    person: np.ndarray | None = None

    def person_of(self, c: int) -> int:
        return int(self.person[c]) if self.person is not None else c


class Coverage:
    """The units and the value of reaching each, grouped by (candidate, κ) for fast gains."""

    def __init__(self, audience: Audience, unit_value: np.ndarray, pool: Pool):
        self.pool = pool
        self.value = unit_value
        self.n = len(pool.price)
        self.kmax = int(audience.entry_kappa.max()) if len(audience.entry_kappa) else 0
        # entries sorted by (candidate, κ); those of (c, κ) start at group[c * (kmax + 2) + κ]
        key = audience.entry_candidate * (self.kmax + 2) + audience.entry_kappa
        order = np.argsort(key, kind="stable")
        self.units = audience.entry_unit[order]
        self.group = np.searchsorted(key[order], np.arange(self.n * (self.kmax + 2) + 1))

    def valued(self, unit_value: np.ndarray, pool: Pool) -> Coverage:
        """The same units with other values or another pool (no new sort)."""
        other = object.__new__(Coverage)
        other.__dict__.update(self.__dict__, value=unit_value, pool=pool)
        return other

    def entries(self, c: int, kappa_from: int, kappa_to: int) -> np.ndarray:
        width = self.kmax + 2
        return self.units[self.group[c * width + kappa_from]:self.group[c * width + kappa_to + 1]]

    def gain(self, c: int, posts: int, covered: np.ndarray) -> float:
        """Value added by the post number `posts + 1` of candidate c."""
        units = self.entries(c, posts + 1, posts + 1)
        return float(self.value[units][~covered[units]].sum()) + float(self.pool.per_post[c])

    def value_of(self, posts: np.ndarray) -> float:
        return float(self.value[self.covered_by(posts)].sum()) + float((posts * self.pool.per_post).sum())

    def covered_by(self, posts: np.ndarray) -> np.ndarray:
        covered = np.zeros(len(self.value), dtype=bool)
        for c in np.flatnonzero(posts):
            covered[self.entries(int(c), 1, int(posts[c]))] = True
        return covered


@dataclass
class Allocation:
    posts: np.ndarray                 # per candidate
    order: list[int]                  # candidates in the order they were first picked
    value: float
    method: str
    unmet: list[str] = field(default_factory=list)
    bound: float | None = None        # the exact program's proven upper bound on the optimum

    def spent(self, pool: Pool) -> float:
        return float((self.posts * pool.price).sum())


class _Spend:
    """Budget left and spend per tier and platform, against the constraints."""

    def __init__(self, pool: Pool, cons: Constraints):
        self.pool, self.cons = pool, cons
        self.left = cons.budget
        self.by = {("tier", t): 0.0 for t in set(pool.tier)} | {("platform", p): 0.0 for p in set(pool.platform)}
        self.persons: set[int] = set()

    def groups(self, c: int) -> list[tuple[str, str]]:
        return [("tier", str(self.pool.tier[c])), ("platform", str(self.pool.platform[c]))]

    def bounds(self, group: tuple[str, str]) -> tuple[float, float]:
        mix = self.cons.tier_mix if group[0] == "tier" else self.cons.platform_mix
        lo, hi = mix.get(group[1], (0.0, 1.0))
        return lo * self.cons.budget, hi * self.cons.budget

    def fits(self, c: int) -> bool:
        price = self.pool.price[c]
        if price > self.left + 1e-9:
            return False
        new_person = self.pool.person_of(c) not in self.persons
        if new_person and self.cons.max_creators is not None and len(self.persons) >= self.cons.max_creators:
            return False
        return all(self.by[g] + price <= self.bounds(g)[1] + 1e-9 for g in self.groups(c))

    def take(self, c: int) -> None:
        self.left -= self.pool.price[c]
        self.persons.add(self.pool.person_of(c))
        for g in self.groups(c):
            self.by[g] += self.pool.price[c]

    def short(self) -> list[tuple[str, str]]:
        """Groups whose minimum share is not reached yet."""
        return [g for g in self.by if self.by[g] < self.bounds(g)[0] - 1e-9]


def greedy(cov: Coverage, cons: Constraints, start: np.ndarray | None = None) -> Allocation:
    """Cost-effective lazy greedy; unmet minima (tier, platform, creators) are served first.
    `start`: posts already bought (paid from the budget) before the greedy goes on."""
    pool = cov.pool
    posts = np.zeros(cov.n, dtype=np.int64)
    covered = np.zeros(len(cov.value), dtype=bool)
    spend = _Spend(pool, cons)
    order: list[int] = []
    bought = start if start is not None else np.zeros(cov.n, dtype=np.int64)
    for c in np.flatnonzero(bought):
        for _ in range(int(bought[c])):
            spend.take(int(c))
        posts[c] = bought[c]
        order.append(int(c))
        covered[cov.entries(int(c), 1, int(bought[c]))] = True

    def run(allowed: np.ndarray, until_met: bool) -> None:
        step = 0
        heap = [(-cov.gain(int(c), int(posts[c]), covered) / pool.price[c], int(c), step)
                for c in np.flatnonzero(allowed) if posts[c] < pool.max_posts[c]]
        heapq.heapify(heap)
        while heap:
            if until_met and not _needs(spend, cons):
                return
            neg, c, seen = heapq.heappop(heap)
            new = posts[c] == 0
            if posts[c] >= pool.max_posts[c] or not spend.fits(c):
                continue  # the budget and spends only grow tighter: it will not fit later either
            if seen != step:
                gain = cov.gain(c, int(posts[c]), covered)
                heapq.heappush(heap, (-gain / pool.price[c], c, step))
                continue
            if -neg <= 0:
                return  # nothing left adds anything
            covered[cov.entries(c, int(posts[c]) + 1, int(posts[c]) + 1)] = True
            posts[c] += 1
            spend.take(c)
            if new:
                order.append(c)
            step += 1
            if posts[c] < pool.max_posts[c]:
                heapq.heappush(heap, (-cov.gain(c, int(posts[c]), covered) / pool.price[c], c, step))

    short = spend.short()
    if short or (cons.min_creators and cons.min_creators > 0):
        for group in short:
            field_ = pool.tier if group[0] == "tier" else pool.platform
            run(field_ == group[1], until_met=True)
        if cons.min_creators:
            run(np.ones(cov.n, dtype=bool), until_met=True)
    run(np.ones(cov.n, dtype=bool), until_met=False)
    return Allocation(posts, order, cov.value_of(posts), "greedy", _unmet(spend, cons))


def _needs(spend: _Spend, cons: Constraints) -> bool:
    return bool(spend.short()) or (cons.min_creators is not None and len(spend.persons) < cons.min_creators)


def _unmet(spend: _Spend, cons: Constraints) -> list[str]:
    out = [f"{kind} {name}: {spend.by[(kind, name)]:.2f} spent, at least {spend.bounds((kind, name))[0]:.2f} asked"
           for kind, name in spend.short()]
    if cons.min_creators is not None and len(spend.persons) < cons.min_creators:
        out.append(f"creators: {len(spend.persons)} picked, at least {cons.min_creators} asked")
    return out


def best_single(cov: Coverage, cons: Constraints) -> Allocation | None:
    """The one creator, with as many posts as fit, worth most on its own."""
    pool = cov.pool
    best: Allocation | None = None
    if cons.min_creators and cons.min_creators > 1:
        return None
    for c in range(cov.n):
        spend = _Spend(pool, cons)
        k = 0
        while k < pool.max_posts[c] and spend.fits(c):
            spend.take(c)
            k += 1
        if k == 0 or spend.short():
            continue
        posts = np.zeros(cov.n, dtype=np.int64)
        posts[c] = k
        value = cov.value_of(posts)
        if best is None or value > best.value:
            best = Allocation(posts, [c], value, "best single creator")
    return best


def allocate(cov: Coverage, cons: Constraints) -> Allocation:
    """The better of the greedy and the best single creator (the guarantee needs both)."""
    found = greedy(cov, cons)
    single = best_single(cov, cons)
    if single is not None and single.value > found.value and not found.unmet:
        return single
    return found


def marginal_values(cov: Coverage, posts: np.ndarray, order: list[int]) -> list[float]:
    """What each picked creator adds, in `order`, with all its posts."""
    covered = np.zeros(len(cov.value), dtype=bool)
    out = []
    for c in order:
        units = cov.entries(c, 1, int(posts[c]))
        fresh = units[~covered[units]]
        fresh = np.unique(fresh)
        out.append(float(cov.value[fresh].sum()) + float(posts[c] * cov.pool.per_post[c]))
        covered[units] = True
    return out
