"""The exact optimum of the same objective as the greedy, by integer programming (HiGHS through
scipy.optimize.milp), for shortlists small enough to solve in seconds.

Variables: x[c, k] = 1 when candidate c gets at least k posts (x[c, k] ≤ x[c, k − 1]), and y[e] in
[0, 1] for each unit, bounded by the x that reach it: y[e] ≤ Σ x[d, κ(e, d)]. Maximise
Σ value[e] y[e] + Σ per_post[c] x[c, k], subject to the budget, creators at most and at least (a
person with accounts on several platforms counts once, through a binary z per such person), and
the [min, max] shares of the budget per tier and platform. Units with the same entries are merged
first (their values add up), which shrinks the program a lot when follower lists are complete.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.optimize import Bounds, LinearConstraint, milp

from microscout.plan.allocate import Allocation, Constraints, Coverage


def _merged_units(cov: Coverage) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(value, entry_row, entry_var) with one row per distinct set of entries."""
    width = cov.kmax + 1
    n_groups = len(cov.group) - 1
    sizes = np.diff(cov.group)
    group_of_entry = np.repeat(np.arange(n_groups), sizes)
    var = (group_of_entry // (width + 1)) * width + group_of_entry % (width + 1) - 1  # x[c, κ], κ from 1
    unit = cov.units
    order = np.lexsort((var, unit))
    unit, var = unit[order], var[order]
    starts = np.flatnonzero(np.r_[True, unit[1:] != unit[:-1]])
    keys = [var[a:b].tobytes() for a, b in zip(starts, np.r_[starts[1:], len(unit)], strict=True)]
    distinct, row_of = np.unique(np.array(keys, dtype=object), return_inverse=True)
    value = np.bincount(row_of, weights=cov.value[unit[starts]], minlength=len(distinct))
    first = np.zeros(len(distinct), dtype=np.int64)
    first[row_of[::-1]] = np.arange(len(starts))[::-1]
    rows, cols = [], []
    for r, i in enumerate(first):
        a = starts[i]
        b = starts[i + 1] if i + 1 < len(starts) else len(unit)
        rows.append(np.full(b - a, r))
        cols.append(var[a:b])
    return value, np.concatenate(rows) if rows else np.zeros(0, np.int64), \
        np.concatenate(cols) if cols else np.zeros(0, np.int64)


def exact(cov: Coverage, cons: Constraints, time_limit: float = 60.0) -> Allocation | None:
    """The optimal allocation, or None when the solver finds none within `time_limit` seconds."""
    pool = cov.pool
    n, width = cov.n, cov.kmax + 1
    n_x = n * width                        # x[c, k] at c * width + k - 1 ... index k in 0..kmax (k=0 unused)
    value, e_row, e_var = _merged_units(cov)
    n_y = len(value)
    c_of = np.repeat(np.arange(n), width)
    k_of = np.tile(np.arange(1, width + 1), n)
    first = np.flatnonzero(k_of == 1)                 # x[c, 1]: c is picked
    # a person with several accounts: z[p] = 1 when any of its accounts is picked (counts once)
    person = pool.person if pool.person is not None else np.arange(n)
    groups = pd.Series(np.arange(n)).groupby(person).apply(list)
    shared = [g for g in groups if len(g) > 1]
    n_z = len(shared)
    total = n_x + n_y + n_z
    usable = k_of <= pool.max_posts[c_of]
    objective = np.concatenate([np.where(usable, pool.per_post[c_of], 0.0), value, np.zeros(n_z)])
    upper = np.concatenate([usable.astype(float), np.ones(n_y), np.ones(n_z)])
    integrality = np.concatenate([np.ones(n_x), np.zeros(n_y), np.ones(n_z)])

    def row(values: np.ndarray) -> np.ndarray:
        return np.asarray(np.r_[values, np.zeros(total - len(values))][None, :])

    cons_list = []
    price = np.where(usable, pool.price[c_of], 0.0)
    cons_list.append(LinearConstraint(sp.csr_matrix(row(price)), -np.inf, cons.budget))
    # chain: x[c, k] - x[c, k-1] <= 0
    later = np.flatnonzero(k_of > 1)
    if len(later):
        a = sp.coo_matrix((np.r_[np.ones(len(later)), -np.ones(len(later))],
                           (np.r_[np.arange(len(later)), np.arange(len(later))], np.r_[later, later - 1])),
                          shape=(len(later), total))
        cons_list.append(LinearConstraint(a.tocsr(), -np.inf, 0.0))
    # cover: y[e] - sum x[entries] <= 0
    if n_y:
        a = sp.coo_matrix((np.r_[np.ones(n_y), -np.ones(len(e_row))],
                           (np.r_[np.arange(n_y), e_row], np.r_[n_x + np.arange(n_y), e_var])),
                          shape=(n_y, total))
        cons_list.append(LinearConstraint(a.tocsr(), -np.inf, 0.0))
    # persons: x[c, 1] <= z[p] for each of its accounts, and z[p] <= their sum
    counted = np.zeros(total)
    counted[first] = 1.0
    for j, accounts in enumerate(shared):
        z = n_x + n_y + j
        for c in accounts:
            a = np.zeros(total)
            a[first[c]], a[z] = 1.0, -1.0
            cons_list.append(LinearConstraint(a[None, :], -np.inf, 0.0))
        a = np.zeros(total)
        a[z], a[first[accounts]] = 1.0, -1.0
        cons_list.append(LinearConstraint(a[None, :], -np.inf, 0.0))
        counted[first[accounts]] = 0.0
        counted[z] = 1.0
    if cons.max_creators is not None or cons.min_creators is not None:
        lo = cons.min_creators if cons.min_creators is not None else -np.inf
        hi = cons.max_creators if cons.max_creators is not None else np.inf
        cons_list.append(LinearConstraint(counted[None, :], lo, hi))
    for mix, labels in ((cons.tier_mix, pool.tier), (cons.platform_mix, pool.platform)):
        for name, (lo, hi) in mix.items():
            cons_list.append(LinearConstraint(row(np.where(labels[c_of] == name, price, 0.0)),
                                              lo * cons.budget, hi * cons.budget))
    res = milp(-objective, constraints=cons_list, integrality=integrality, bounds=Bounds(0, upper),
               options={"time_limit": time_limit, "mip_rel_gap": 1e-4})
    if res.x is None or res.status not in (0, 1):
        return None
    x = np.round(res.x[:n_x]).reshape(n, width)
    posts = x.sum(axis=1).astype(np.int64)
    order = [int(c) for c in np.argsort(-(posts * pool.price), kind="stable") if posts[c] > 0]
    method = "exact" if res.status == 0 else "exact (time limit: best found)"
    bound = getattr(res, "mip_dual_bound", None)
    return Allocation(posts, order, cov.value_of(posts), method,
                      bound=-float(bound) if bound is not None and np.isfinite(bound) else None)
