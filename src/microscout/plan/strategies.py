"""A plan and its alternatives: many micro-influencers, one macro-influencer, or half of each.

- `micro_portfolio`: the allocation over the brief's candidates (its filters and tiers), by the
  greedy, or by the exact program when the shortlist is small enough (its gap reported).
- `single_macro`: the best-scoring creator of tier macro or above (in the brief's scheme) whose
  post fits the budget, ignoring the brief's follower limits, with as many posts as fit.
- `mixed`: the best macro creator that fits half the budget, and the portfolio greedy over the
  rest of the money, its audience counted once with the macro creator's.

Each comes with unique reach, expected engagements and conversions, CPM, cost per engagement,
contracts to manage, and the budget spent on creators carrying any flag.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from microscout.brief import Brief
from microscout.metrics.vet import FLAG_KEYS
from microscout.metrics.window import KEY
from microscout.plan.allocate import (
    Allocation,
    Constraints,
    Coverage,
    Pool,
    allocate,
    greedy,
    marginal_values,
)
from microscout.plan.audience import Audience, build_audience, overlap_matrix
from microscout.plan.exact import exact
from microscout.plan.people import person_ids, user_links
from microscout.plan.pool import FLAG_PENALTY
from microscout.plan.rates import Rates
from microscout.plan.word_of_mouth import WordOfMouth
from microscout.sentences import say

DEFAULT_MAX_POSTS = 3
OBJECTIVES = ("unique_reach", "engagements", "conversions")
MATRIX_MAX = 30                  # picks shown in the overlap matrix


@dataclass(frozen=True)
class PlanOptions:
    budget: float
    currency: str = "EUR"
    post_format: str = "post"
    exact_max_candidates: int = 40   # solve exactly up to this many candidates
    force_exact: bool = False
    exact_time_limit: float = 60.0
    word_of_mouth: float = 0.0       # weight of the expected spread (people) against the objective's units
    penalised: tuple[str, ...] = ()  # caution flags whose creators count FLAG_PENALTY less (pool.py)


def _stack(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Rows of the frames, one under the other. All-null columns are left out of the concat and put
    back after it: pandas would otherwise let them decide the dtypes (and warns it soon will)."""
    columns = list(dict.fromkeys(c for f in frames for c in f.columns))
    parts = [f.dropna(axis=1, how="all") for f in frames if len(f)]
    if not parts:
        return frames[0].reindex(columns=columns)
    return pd.concat(parts, ignore_index=True).reindex(columns=columns)


def candidate_frame(portfolio: pd.DataFrame, macros: pd.DataFrame, brief: Brief, rates: Rates,
                    opts: PlanOptions, negotiated: pd.DataFrame | None = None) -> pd.DataFrame:
    """Portfolio candidates then macro ones (`in_portfolio`), with price, reach and conversion
    rates, expected engagements per post and the most posts each. `negotiated` (platform,
    account_id, price per post in the plan's currency) overrides the rate card."""
    both = _stack([portfolio.assign(in_portfolio=True), macros.assign(in_portfolio=False)])
    both = both.drop_duplicates(KEY, keep="first").reset_index(drop=True)
    both["price"] = rates.post_prices(both, opts.currency, opts.post_format)
    both["price_source"] = "rate card"
    if negotiated is not None and len(negotiated):
        agreed = both[KEY].merge(negotiated[[*KEY, "price"]], on=KEY, how="left")["price"].to_numpy(float)
        has = ~np.isnan(agreed)
        both.loc[has, "price"] = agreed[has]
        both.loc[has, "price_source"] = "negotiated"
    both["reach_rate"] = rates.reach_rates(both)
    both["conversion_rate"] = rates.conversion_rates(both)
    rate = both.rate_median.astype(float)
    rate = rate.fillna(rate.groupby(both.tier).transform("median")).fillna(0.0)
    both["engagements_per_post"] = both.followers.fillna(0).astype(float) * rate
    both["max_posts"] = brief.plan.max_posts_per_creator or DEFAULT_MAX_POSTS
    return both


def _pool(c: pd.DataFrame, mask: np.ndarray, objective: str) -> Pool:
    per_post = c.engagements_per_post.to_numpy(float) if objective == "engagements" else np.zeros(len(c))
    return Pool(price=c.price.to_numpy(float), max_posts=np.where(mask, c.max_posts.to_numpy(np.int64), 0),
                per_post=per_post, tier=c.tier.astype(str).to_numpy(), platform=c.platform.astype(str).to_numpy(),
                person=c.person.to_numpy(np.int64) if "person" in c else None)


def penalised_coverage(cov: Coverage, c: pd.DataFrame, flags: tuple[str, ...]) -> Coverage:
    """The objective with every post of a creator flagged one of `flags` worth FLAG_PENALTY of its
    first post's own value less. A term per post, not a discount on shared units: the greedy and
    the exact solver weigh it alike, and the plan's figures (reach, engagements) stay true."""
    columns = [f"flag_{f}" for f in flags if f"flag_{f}" in c]
    if not columns:
        return cov
    hit = np.flatnonzero(c[columns].eq(True).any(axis=1).to_numpy())  # a null flag is not raised
    if not len(hit):
        return cov
    nothing = np.zeros(len(cov.value), dtype=bool)
    per_post = cov.pool.per_post.astype(float)
    for i in hit:
        per_post[i] -= FLAG_PENALTY * cov.gain(int(i), 0, nothing)
    return cov.valued(cov.value, replace(cov.pool, per_post=per_post))


def plan_record(portfolio: pd.DataFrame, macros: pd.DataFrame, follows: pd.DataFrame, brief: Brief,
                rates: Rates, opts: PlanOptions, wom: WordOfMouth | None = None,
                negotiated: pd.DataFrame | None = None, links: pd.DataFrame | None = None) -> dict[str, Any]:
    """The plan contract: the micro portfolio on top, single_macro and mixed as alternatives.
    `wom`: word-of-mouth units for the candidates of `candidate_frame` (in its order), valued at
    opts.word_of_mouth per person of expected spread."""
    c = candidate_frame(portfolio, macros, brief, rates, opts, negotiated)
    c["person"] = person_ids(c, links if links is not None else user_links([]))
    audience = build_audience(c, follows)
    spread = np.zeros(audience.n_units)
    if wom is not None:
        audience, spread = with_word_of_mouth(audience, wom)
    objective = brief.plan.objective
    value = {"unique_reach": audience.weight, "conversions": audience.conversions,
             "engagements": np.zeros(audience.n_units)}[objective] + opts.word_of_mouth * spread
    p = brief.plan
    cons = Constraints(opts.budget, p.min_creators, p.max_creators, dict(p.tier_mix), dict(p.platform_mix))
    in_portfolio = c.in_portfolio.to_numpy(bool)
    cov = penalised_coverage(Coverage(audience, value, _pool(c, in_portfolio, objective)), c, opts.penalised)
    # figures are always reported in people, engagements and conversions, whatever is maximised
    reach_cov = cov.valued(audience.weight, _pool(c, np.ones(len(c), bool), "unique_reach"))
    conv_cov = cov.valued(audience.conversions, reach_cov.pool)

    main = allocate(cov, cons)
    gap = None
    if in_portfolio.sum() and (opts.force_exact or in_portfolio.sum() <= opts.exact_max_candidates):
        best = exact(cov, cons, opts.exact_time_limit)
        if best is not None:
            gap = {"greedy_value": round(main.value, 2), "exact_value": round(best.value, 2),
                   "greedy_share_of_exact": round(main.value / best.value, 4) if best.value > 0 else 1.0,
                   "method": best.method}
            if best.value > main.value + 1e-9:
                best.order = [x for x in main.order if best.posts[x] > 0] + \
                             [x for x in best.order if x not in main.order]
                main = best

    def figures(name: str, alloc: Allocation) -> dict[str, Any]:
        return _figures(name, alloc, c, reach_cov, conv_cov, opts)

    record = {"budget": opts.budget, "currency": opts.currency, **figures("micro_portfolio", main),
              "objective": objective, "method": main.method}
    record["picks"] = _picks(main, c, reach_cov)
    shown = main.order[:MATRIX_MAX]
    record["overlap"] = {"accounts": [f"{c.platform.iloc[i]}:{c.account_id.iloc[i]}" for i in shown],
                         **overlap_matrix(audience, shown)}
    if wom is not None:
        record["word_of_mouth"] = {"weight": opts.word_of_mouth, "rr_sets": wom.theta,
                                   "expected_spread": round(cov.valued(spread, cov.pool).value_of(main.posts))}
    if main.unmet:
        record["unmet"] = main.unmet
    if gap is not None:
        record["exact"] = gap
    alternatives = []
    macro_idx = [int(i) for i in _macro_rows(c, macros)]
    single = _single_macro(c, macro_idx, opts.budget)
    alternatives.append(_alternative("single_macro", single, c, reach_cov, conv_cov, opts))
    half = _single_macro(c, macro_idx, opts.budget / 2)
    mixed = None
    if half is not None:
        mixed = greedy(cov, replace(cons, tier_mix={}, platform_mix={}, min_creators=None), start=half.posts)
        mixed.method = "best macro for half the budget, then the greedy"
    alternatives.append(_alternative("mixed", mixed, c, reach_cov, conv_cov, opts))
    record["alternatives"] = alternatives
    record["candidates"] = int(in_portfolio.sum())
    return record


def with_word_of_mouth(audience: Audience, wom: WordOfMouth) -> tuple[Audience, np.ndarray]:
    """The audience with the RR sets appended as units reached by a single post of any candidate
    they hold (they count no people and no buyers), and each unit's spread value."""
    k, m = audience.n_units, len(wom.weight)
    grown = replace(audience, weight=np.r_[audience.weight, np.zeros(m)],
                    conversions=np.r_[audience.conversions, np.zeros(m)],
                    entry_unit=np.r_[audience.entry_unit, k + wom.unit],
                    entry_candidate=np.r_[audience.entry_candidate, wom.candidate],
                    entry_kappa=np.r_[audience.entry_kappa, np.ones(len(wom.unit), dtype=np.int64)])
    return grown, np.r_[np.zeros(k), wom.weight]


def _macro_rows(c: pd.DataFrame, macros: pd.DataFrame) -> pd.Index:
    keys = set(map(tuple, macros[KEY].itertuples(index=False, name=None))) if len(macros) else set()
    return c.index[[k in keys for k in map(tuple, c[KEY].itertuples(index=False, name=None))]]


def _single_macro(c: pd.DataFrame, macro_idx: list[int], budget: float) -> Allocation | None:
    """The best-scoring macro candidate whose post fits `budget`, with as many posts as fit."""
    for i in sorted(macro_idx, key=lambda i: -float(c.score.iloc[i])):
        price = float(c.price.iloc[i])
        if price <= budget:
            posts = np.zeros(len(c), dtype=np.int64)
            posts[i] = min(int(c.max_posts.iloc[i]), int(budget // price))
            return Allocation(posts, [i], 0.0, "best-scoring macro creator that fits")
    return None


def _alternative(name: str, alloc: Allocation | None, c: pd.DataFrame, reach_cov: Coverage, conv_cov: Coverage,
                 opts: PlanOptions) -> dict[str, Any]:
    if alloc is None:
        return {"strategy": name, "spent": 0.0, "unique_reach": 0, "expected_engagements": 0,
                "note": say("no creator of tier macro or above in the workspace fits the budget and the brief")}
    return {**_figures(name, alloc, c, reach_cov, conv_cov, opts), "picks": _picks(alloc, c, reach_cov)}


def _figures(name: str, alloc: Allocation, c: pd.DataFrame, reach_cov: Coverage, conv_cov: Coverage,
             opts: PlanOptions) -> dict[str, Any]:
    posts = alloc.posts
    spent = float((posts * c.price.to_numpy(float)).sum())
    reach = reach_cov.value_of(posts)
    engagements = float((posts * c.engagements_per_post.to_numpy(float)).sum())
    flagged = c[[f"flag_{k}" for k in FLAG_KEYS if f"flag_{k}" in c]].fillna(False).astype(bool).any(axis=1)
    return {"strategy": name, "spent": round(spent, 2), "unique_reach": round(reach),
            "expected_engagements": round(engagements),
            "expected_conversions": round(conv_cov.value_of(posts), 1),
            "cpm": round(spent / reach * 1000, 2) if reach > 0 else None,
            "cost_per_engagement": round(spent / engagements, 3) if engagements > 0 else None,
            "contracts": int(c.person[posts > 0].nunique()) if "person" in c else int((posts > 0).sum()),
            "budget_flagged": round(float((posts * c.price.to_numpy(float))[flagged.to_numpy()].sum()), 2)}


def _picks(alloc: Allocation, c: pd.DataFrame, reach_cov: Coverage) -> list[dict[str, Any]]:
    added = marginal_values(reach_cov, alloc.posts, alloc.order)
    out = []
    for i, gain in zip(alloc.order, added, strict=True):
        r = c.iloc[i]
        flags = [k for k in FLAG_KEYS if bool(r.get(f"flag_{k}", False) or False)]
        out.append({"platform": r.platform, "account_id": r.account_id, "handle": r.handle,
                    "tier": r.tier, "followers": int(r.followers) if pd.notna(r.followers) else None,
                    "posts": int(alloc.posts[i]), "price_per_post": float(r.price),
                    "price_source": r.price_source, "person": int(r.person),
                    "cost": round(float(alloc.posts[i] * r.price), 2), "unique_reach_added": round(gain),
                    "expected_engagements": round(alloc.posts[i] * r.engagements_per_post),
                    "score": round(float(r.score), 4) if pd.notna(r.score) else None, "flags": flags})
    return out
