"""How each creator behaves: size, engagement, cadence, and the fraud or look-alike it carries."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microscout.demo.params import WorldParams
from microscout.demo.population import PLATFORMS, Population

# One band per tier of the default scheme, so every tier is present in any world.
TIER_BANDS = ((300, 999), (1_000, 9_999), (10_000, 49_999), (50_000, 499_999), (500_000, 999_999),
              (1_000_000, 3_000_000))


@dataclass
class CreatorPlan:
    followers: np.ndarray
    er: np.ndarray                # engagement rate of genuine followers
    comment_to_like: np.ndarray
    posts_per_week: np.ndarray
    inactive: np.ndarray
    private: np.ndarray
    reply_rate: np.ndarray
    loyal_share: np.ndarray
    fake_follower_share: np.ndarray
    sponsored_share: np.ndarray
    partners: list[list[int]]     # brand indices
    bought_followers: np.ndarray
    jump_share: np.ndarray
    spike_week: np.ndarray        # weeks before as-of of a jump (bought, viral, giveaway); -1 none
    bought_likes: np.ndarray
    likes_factor: np.ndarray
    comment_farm: np.ndarray
    pod: np.ndarray               # pod id or -1
    friend_group: np.ndarray      # friend group id or -1
    undisclosed_ads: np.ndarray
    heavy_sponsorship: np.ndarray
    viral: np.ndarray
    giveaway: np.ndarray
    low_engagement_large: np.ndarray
    pods: list[list[int]]         # creator positions per pod
    friend_groups: list[list[int]]


def _between(rng: np.random.Generator, lo_hi: tuple[float, float], n: int) -> np.ndarray:
    return rng.uniform(lo_hi[0], lo_hi[1], n)


def plan_creators(p: WorldParams, pop: Population, rng: np.random.Generator) -> CreatorPlan:
    n = pop.n_creators
    u = rng.random(n)
    followers = np.minimum(p.followers_min * (1 - u) ** (-1 / p.followers_alpha), p.followers_max).astype(np.int64)
    forced = rng.permutation(n)[: len(TIER_BANDS)]
    for pos, (lo, hi) in zip(forced, TIER_BANDS, strict=False):
        followers[pos] = rng.integers(lo, hi + 1)
    platform_names = [PLATFORMS[pop.platform[i]] for i in pop.creators]
    scale = np.array([p.er_scale[name] for name in platform_names])
    er = scale * (followers / 1000.0) ** (-p.er_slope) * rng.lognormal(0, p.er_noise_sigma, n)
    er = np.clip(er, 0.002, 0.35)
    low_large = (followers >= 500_000) & (rng.random(n) < p.low_engagement_large)
    if p.low_engagement_large > 0 and not low_large.any():
        low_large[int(np.argmax(followers))] = True  # the look-alike exists in every world
    er[low_large] *= 0.3

    def pick(share: float, eligible: np.ndarray) -> np.ndarray:
        return eligible & (rng.random(n) < share)

    free = np.ones(n, dtype=bool)
    free[forced] = False  # tier anchors stay plain genuine creators
    viral = pick(p.viral_spike, free)
    free &= ~viral
    giveaway = pick(p.giveaway, free)
    free &= ~giveaway
    bought_followers = pick(p.bought_followers, free)
    bought_likes = pick(p.bought_likes, free & ~bought_followers)
    comment_farm = pick(p.comment_farm, free & ~bought_likes)
    undisclosed = pick(p.undisclosed_ads, np.ones(n, dtype=bool))
    heavy = pick(p.heavy_sponsorship, ~undisclosed)

    pod = np.full(n, -1)
    pods: list[list[int]] = []
    candidates = np.flatnonzero(free & ~bought_followers & ~bought_likes & ~comment_farm & (followers < 200_000))
    n_pods = max(1, round(p.pods * n / 1000)) if p.pods > 0 else 0
    creator_platform = pop.platform[pop.creators]
    # a group's id is its place in its list: an attempt that finds too few members makes none
    for _ in range(n_pods):
        size = int(rng.integers(p.pod_size[0], p.pod_size[1] + 1))
        available = candidates[pod[candidates] == -1]
        if len(available) == 0:
            break
        # a pod lives on one platform: its members comment on each other's posts there
        available = available[creator_platform[available] == creator_platform[int(rng.choice(available))]]
        if len(available) < 3:
            continue
        members = rng.choice(available, min(size, len(available)), replace=False)
        pod[members] = len(pods)
        pods.append(sorted(int(m) for m in members))
    friend_group = np.full(n, -1)
    friend_groups: list[list[int]] = []
    n_groups = max(1, round(p.friend_groups * n / 1000)) if p.friend_groups > 0 else 0
    for _ in range(n_groups):
        available = np.flatnonzero((pod == -1) & (friend_group == -1) & free)
        if len(available) < 6:
            break
        seed_member = int(rng.choice(available))
        country = pop.country[pop.n_brands:pop.n_brands + n]
        city = pop.city[pop.n_brands:pop.n_brands + n]
        same_city = available[(country[available] == country[seed_member]) & (city[available] == city[seed_member])
                              & (creator_platform[available] == creator_platform[seed_member])]
        size = min(len(same_city), int(rng.integers(3, 7)))
        members = rng.choice(same_city, size, replace=False) if size >= 3 else np.array([], dtype=int)
        if len(members) < 3:
            continue
        friend_group[members] = len(friend_groups)
        friend_groups.append(sorted(int(m) for m in members))

    spike_week = np.full(n, -1)
    jumpers = bought_followers | viral | giveaway
    spike_week[jumpers] = rng.integers(2, p.snapshot_weeks - 2, int(jumpers.sum()))
    jump_share = np.zeros(n)
    jump_share[bought_followers] = _between(rng, p.bought_followers_jump, int(bought_followers.sum()))
    jump_share[viral] = rng.uniform(0.15, 0.4, int(viral.sum()))
    jump_share[giveaway] = rng.uniform(0.1, 0.3, int(giveaway.sum()))

    sponsored = _between(rng, p.sponsored_share_range, n)
    sponsored[heavy] = rng.uniform(0.5, 0.8, int(heavy.sum()))
    sponsored[undisclosed] = np.maximum(sponsored[undisclosed], 0.15)
    brands_by_platform: dict[int, np.ndarray] = {
        k: np.flatnonzero(pop.platform[: pop.n_brands] == k) for k in range(len(PLATFORMS))}
    partners = []
    for j, i in enumerate(pop.creators):
        pool = brands_by_platform[int(pop.platform[i])]
        k = int(rng.integers(5, 10)) if heavy[j] else int(rng.integers(1, 4))
        partners.append(sorted(int(b) for b in rng.choice(pool, min(k, len(pool)), replace=False)))

    fake_share = _between(rng, p.natural_fake_follower_share, n)
    fake_share[bought_followers] = _between(rng, p.bought_followers_fake_share, int(bought_followers.sum()))
    return CreatorPlan(
        followers=followers, er=er, comment_to_like=_between(rng, p.comment_to_like, n),
        posts_per_week=rng.lognormal(np.log(p.posts_per_week_median), 0.5, n),
        inactive=rng.random(n) < p.inactive_share, private=rng.random(n) < p.private_creator_share,
        reply_rate=_between(rng, p.reply_rate_range, n), loyal_share=_between(rng, p.loyal_share_range, n),
        fake_follower_share=fake_share, sponsored_share=sponsored, partners=partners,
        bought_followers=bought_followers, jump_share=jump_share, spike_week=spike_week,
        bought_likes=bought_likes, likes_factor=_between(rng, p.bought_likes_factor, n),
        comment_farm=comment_farm, pod=pod, friend_group=friend_group, undisclosed_ads=undisclosed,
        heavy_sponsorship=heavy, viral=viral, giveaway=giveaway, low_engagement_large=low_large,
        pods=pods, friend_groups=friend_groups,
    )
