"""Write a demo world: a bundle of Parquet parts and, beside it, the ground truth.

    out/bundle/   accounts-0001.parquet, posts-0001.parquet, ... and bundle.json
    out/truth/    accounts-0001.parquet (roles and labels), posts-0001.parquet, world.json

The product never reads `truth/`: it is there for tests and benchmarks to score against.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from microscout.demo.content import DAY, AudiencePools, CreatorContent, Rows, url_for
from microscout.demo.creators import CreatorPlan, plan_creators
from microscout.demo.params import SIZES, WORLD_VERSION, WorldParams
from microscout.demo.parts import SCHEMAS, TRUTH_SCHEMAS, PartWriter
from microscout.demo.population import (
    AUDIENCE,
    BRAND,
    COUNTRIES,
    CREATOR,
    FAKE,
    PLATFORMS,
    Population,
    build_population,
)
from microscout.demo.vocab import (
    AUDIENCE_BIOS,
    BIOS,
    EMOJI,
    EMPLOYEE_BIOS,
    EMPLOYEE_POSTS,
    HASHTAGS,
    NICHES,
    NOUNS,
    TAGGER_POSTS,
)

ACCOUNT_CHUNK = 50_000


@dataclass
class WorldSummary:
    bundle: Path
    truth: Path
    rows: dict[str, int]
    seconds: float


def write_world(out: str | Path, size: str = "small", seed: int = 7, params: WorldParams | None = None) -> WorldSummary:
    """Write the world of `size` (or `params`) seeded with `seed` into `out`; same inputs, same bytes."""
    import time

    started = time.perf_counter()
    p = params or SIZES[size]
    out = Path(out)
    bundle, truth = out / "bundle", out / "truth"
    for d in (bundle, truth):
        shutil.rmtree(d, ignore_errors=True)
        d.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    pop = build_population(p, rng)
    plan = plan_creators(p, pop, rng)
    pools = AudiencePools(pop)
    weeks = p.window_days / 7
    n_posts = rng.poisson(plan.posts_per_week * weeks).astype(np.int64)
    n_posts[plan.inactive] = (n_posts[plan.inactive] * 0.5).astype(np.int64)
    roles = _audience_roles(p, pop, rng)

    writers = {t: PartWriter(bundle, t, SCHEMAS[t], p.rows_per_part) for t in SCHEMAS}
    truth_writers = {t: PartWriter(truth, t, TRUTH_SCHEMAS[t], p.rows_per_part) for t in TRUTH_SCHEMAS}

    def flush(rows: Rows) -> None:
        for table, cols in rows.tables.items():
            if table.startswith("truth_"):
                truth_writers[table.removeprefix("truth_")].write(cols)
            else:
                writers[table].write(cols)

    for start in range(0, p.accounts, ACCOUNT_CHUNK):
        rows = Rows()
        _accounts(p, pop, plan, n_posts, roles, range(start, min(start + ACCOUNT_CHUNK, p.accounts)), rng, rows)
        flush(rows)
    content = CreatorContent(p, pop, plan, pools, n_posts, rng)
    for start in range(0, pop.n_creators, p.creators_per_chunk):
        rows = Rows()
        for j in range(start, min(start + p.creators_per_chunk, pop.n_creators)):
            content.generate(j, rows)
        flush(rows)
    rows = Rows()
    _brands_and_their_people(p, pop, pools, roles, rng, rows)
    _audience_follows(p, pop, pools, rng, rows)
    flush(rows)
    counts = {}
    for t, w in writers.items():
        w.close()
        counts[t] = w.rows
    for w in truth_writers.values():
        w.close()
    (bundle / "bundle.json").write_text(json.dumps({
        "format": "microscout-bundle", "version": 1,
        "source": f"microscout demo world v{WORLD_VERSION} ({size}, seed {seed})",
        "collected_at": p.as_of.isoformat() + "Z"}, indent=1) + "\n")
    (truth / "world.json").write_text(json.dumps({
        "world_version": WORLD_VERSION, "size": size, "seed": seed, "rows": counts,
        "params": _jsonable(asdict(p)),
        "pods": [[pop.account_id[pop.n_brands + m] for m in pod] for pod in plan.pods],
        "friend_groups": [[pop.account_id[pop.n_brands + m] for m in g] for g in plan.friend_groups],
    }, indent=1, ensure_ascii=False) + "\n")
    return WorldSummary(bundle, truth, counts, time.perf_counter() - started)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat() + "Z"
    return value


@dataclass
class AudienceRoles:
    employer: np.ndarray      # brand index per account, -1 when none
    tagger: np.ndarray        # brand index an account tags, -1 when none
    posts: np.ndarray         # posts an employee or tagger writes


def _audience_roles(p: WorldParams, pop: Population, rng: np.random.Generator) -> AudienceRoles:
    n = len(pop.kind)
    employer = np.full(n, -1)
    tagger = np.full(n, -1)
    posts = np.zeros(n, dtype=np.int64)
    genuine = np.flatnonzero(pop.kind == AUDIENCE)
    for k in range(len(PLATFORMS)):
        on_platform = genuine[pop.platform[genuine] == k]
        brands = np.flatnonzero(pop.platform[: pop.n_brands] == k)
        if len(on_platform) == 0 or len(brands) == 0:
            continue
        n_emp = max(1, round(len(on_platform) * p.employee_share))
        n_tag = max(1, round(len(on_platform) * p.brand_tagger_share))
        chosen = rng.choice(on_platform, min(len(on_platform), n_emp + n_tag), replace=False)
        employer[chosen[:n_emp]] = rng.choice(brands, len(chosen[:n_emp]))
        tagger[chosen[n_emp:]] = rng.choice(brands, len(chosen[n_emp:]))
        posts[chosen] = rng.integers(1, 6, len(chosen))
    return AudienceRoles(employer, tagger, posts)


def _accounts(p: WorldParams, pop: Population, plan: CreatorPlan, n_posts: np.ndarray, roles: AudienceRoles,
              idx: range, rng: np.random.Generator, rows: Rows) -> None:
    as_of = np.datetime64(p.as_of, "s")
    m = len(idx)
    draws = rng.random((m, 6))
    small_followers = rng.lognormal(5.0, 1.1, m).astype(np.int64)
    small_following = rng.lognormal(5.7, 0.8, m).astype(np.int64)
    age_days = rng.integers(60, 12 * 365, m)
    for r, i in enumerate(idx):
        kind = pop.kind[i]
        platform = PLATFORMS[pop.platform[i]]
        lang, city, niche = pop.lang(i), pop.city_name(i), NICHES[pop.niche[i]]
        noun = NOUNS[niche][lang][int(draws[r, 0] * 4)]
        fraud: list[str] = []
        hard: list[str] = []
        pod_id = friend = -1
        partners: list[str] = []
        employer = None
        spike_at = None
        spike_cause = None
        inactive = False
        country: str | None = COUNTRIES[pop.country[i]]
        city_value: str | None = city
        language: str | None = lang
        verified = business = False
        external = contact = None
        created = as_of - int(age_days[r]) * DAY
        bio: str | None
        if kind == BRAND:
            role = "brand"
            followers, following = int(rng.lognormal(8.5, 1.0)), int(rng.integers(50, 600))
            posts_count = 160
            bio = f"{noun} | {city} {EMOJI[int(draws[r, 1] * len(EMOJI))]}"
            business, external, contact = True, f"https://{pop.handle[i]}.example", f"hello@{pop.handle[i]}.example"
            pic, private, category = True, False, f"brand:{niche}"
        elif kind == CREATOR:
            role = "creator"
            j = i - pop.n_brands
            followers = int(plan.followers[j])
            following = int(small_following[r])
            posts_count = int(n_posts[j] + rng.integers(0, 300))
            bio = BIOS[lang][int(draws[r, 1] * 3)].format(noun=noun, city=city)
            pic, private, category = draws[r, 2] > 0.02, bool(plan.private[j]), niche
            verified = followers >= 500_000 and draws[r, 3] < 0.5
            business = draws[r, 3] < 0.3
            external = f"https://linktr.example/{pop.handle[i]}" if draws[r, 4] < 0.4 else None
            contact = f"{pop.handle[i].replace('.', '')}@mail.example" if draws[r, 5] < 0.3 else None
            fraud = ([*(["bought_followers"] if plan.bought_followers[j] else []),
                      *(["bought_engagement"] if plan.bought_likes[j] or plan.comment_farm[j] else []),
                      *(["engagement_pod"] if plan.pod[j] >= 0 else [])])
            hard = [*(["viral_spike"] if plan.viral[j] else []), *(["giveaway"] if plan.giveaway[j] else []),
                    *(["low_engagement_large"] if plan.low_engagement_large[j] else []),
                    *(["friend_group"] if plan.friend_group[j] >= 0 else [])]
            if plan.comment_farm[j]:
                fraud.append("comment_farm")
            if plan.bought_likes[j]:
                fraud.append("bought_likes")
            if plan.undisclosed_ads[j]:
                fraud.append("undisclosed_ads")
            if plan.heavy_sponsorship[j]:
                fraud.append("heavy_sponsorship")
            pod_id, friend = int(plan.pod[j]), int(plan.friend_group[j])
            partners = [f"{platform}:{pop.account_id[b]}" for b in plan.partners[j]]
            if plan.spike_week[j] >= 0:
                spike_at = as_of - int(plan.spike_week[j]) * 7 * DAY
                spike_cause = "bought_followers" if plan.bought_followers[j] else (
                    "viral_spike" if plan.viral[j] else "giveaway")
            inactive = bool(plan.inactive[j])
        elif kind == AUDIENCE:
            role = "audience"
            followers, following = int(small_followers[r]), int(small_following[r])
            posts_count = int(rng.integers(0, 400))
            bio = AUDIENCE_BIOS[lang][int(draws[r, 1] * 3)].format(city=city) if draws[r, 4] < 0.6 else None
            pic = draws[r, 2] >= p.no_pic_genuine_share
            private, category = draws[r, 3] < 0.2, None
            if not pic:
                hard.append("no_profile_pic")
            if pop.digits_in_handle[i]:
                hard.append("digits_in_handle")
            if roles.employer[i] >= 0:
                role, b = "employee", roles.employer[i]
                employer = f"{platform}:{pop.account_id[b]}"
                bio = EMPLOYEE_BIOS[lang].format(brand=pop.handle[b], city=city)
                private = False
            elif roles.tagger[i] >= 0:
                role, private = "brand_tagger", False
            posts_count = max(posts_count, int(roles.posts[i]))
        else:
            role = "fake"
            followers, following = int(rng.integers(0, 40)), int(rng.integers(1_000, 7_500))
            posts_count = int(rng.integers(0, 4))
            bio = None if draws[r, 4] < 0.9 else "follow back 💯"
            pic, private, category = draws[r, 2] < 0.3, draws[r, 3] < 0.05, None
            created = as_of - int(rng.integers(5, 365)) * DAY
            if draws[r, 5] < 0.7:
                country = city_value = language = None
        rows.add("accounts", platform=platform, account_id=pop.account_id[i], handle=pop.handle[i],
                 display_name=pop.first_name[i].capitalize() if kind != BRAND else pop.handle[i].capitalize(),
                 bio=bio, followers=followers, following=following, posts_count=posts_count, verified=bool(verified),
                 is_business=bool(business), is_private=bool(private), has_profile_pic=bool(pic),
                 external_url=external, location=f"{city_value}, {country}" if city_value and draws[r, 5] < 0.5 else None,
                 country=country, city=city_value, language=language, category=category, created_at=created,
                 collected_at=as_of, contact=contact)
        rows.add("truth_accounts", platform=platform, account_id=pop.account_id[i], handle=pop.handle[i], role=role,
                 is_fake=kind == FAKE, fraud=fraud, hard_negatives=hard, niche=niche if kind in (BRAND, CREATOR) else None,
                 pod_id=pod_id, friend_group=friend, employer=employer, brand_partners=partners, spike_at=spike_at,
                 spike_cause=spike_cause, inactive=inactive)


def _brands_and_their_people(p: WorldParams, pop: Population, pools: AudiencePools, roles: AudienceRoles,
                             rng: np.random.Generator, rows: Rows) -> None:
    """Brands post and have followers; employees and taggers post about them."""
    as_of = np.datetime64(p.as_of, "s")
    brand_followers: dict[int, set[int]] = {}
    for b in pop.brands:
        platform, lang, niche = PLATFORMS[pop.platform[b]], pop.lang(b), NICHES[pop.niche[b]]
        genuine, _ = pools.sample_followers(rng, int(pop.platform[b]), int(pop.country[b]), p.follow_sample_cap, 0.02)
        brand_followers[b] = {int(g) for g in genuine}
        rows.extend("follows", platform=[platform] * len(genuine), follower_id=[pop.account_id[g] for g in genuine],
                    followee_id=[pop.account_id[b]] * len(genuine),
                    followed_at=list(as_of - rng.integers(86_400, 700 * 86_400, len(genuine)).astype("timedelta64[s]")))
        for k in range(60):
            noun = NOUNS[niche][lang][k % 4]
            post_id = f"b{b:05d}{k:04d}"
            rows.add("posts", platform=platform, post_id=post_id, account_id=pop.account_id[b],
                     created_at=as_of - int(rng.integers(1, p.window_days)) * DAY, kind="photo",
                     caption=f"{noun} {EMOJI[k % len(EMOJI)]}\n#{pop.handle[b]} #{HASHTAGS[niche][lang][0]}",
                     hashtags=[pop.handle[b], HASHTAGS[niche][lang][0]], mentions=[],
                     likes=int(rng.integers(20, 400)), comments=int(rng.integers(0, 20)), shares=None, saves=None,
                     views=None, url=url_for(platform, pop.handle[b], post_id), location=None, language=lang,
                     is_paid_partnership=False if platform == "instagram" else None)
    people = np.flatnonzero((roles.employer >= 0) | (roles.tagger >= 0))
    for a in people:
        platform, lang = PLATFORMS[pop.platform[a]], pop.lang(int(a))
        b = int(roles.employer[a] if roles.employer[a] >= 0 else roles.tagger[a])
        template = EMPLOYEE_POSTS[lang] if roles.employer[a] >= 0 else TAGGER_POSTS[lang]
        if roles.employer[a] >= 0 and int(a) not in brand_followers[b]:
            rows.add("follows", platform=platform, follower_id=pop.account_id[a], followee_id=pop.account_id[b],
                     followed_at=as_of - 300 * DAY)
        for k in range(int(roles.posts[a])):
            post_id = f"u{a:07d}{k:02d}"
            caption = template.format(brand=pop.handle[b], emoji=EMOJI[k % len(EMOJI)])
            rows.add("posts", platform=platform, post_id=post_id, account_id=pop.account_id[a],
                     created_at=as_of - int(rng.integers(1, p.window_days)) * DAY, kind="photo", caption=caption,
                     hashtags=[], mentions=[pop.handle[b]], likes=int(rng.integers(2, 60)),
                     comments=int(rng.integers(0, 6)), shares=None, saves=None, views=None,
                     url=url_for(platform, pop.handle[a], post_id), location=None, language=lang,
                     is_paid_partnership=False if platform == "instagram" else None)


def _audience_follows(p: WorldParams, pop: Population, pools: AudiencePools, rng: np.random.Generator,
                      rows: Rows) -> None:
    """Ordinary people follow a few others nearby."""
    as_of = np.datetime64(p.as_of, "s")
    seen: set[tuple[int, int]] = set()
    for (k, _country), local in pools.by_country.items():
        if len(local) < 2:
            continue
        n = len(local) * p.audience_follows_per_account
        src = rng.choice(local, n)
        dst = rng.choice(local, n)
        platform = PLATFORMS[k]
        fol, fee = [], []
        for a, b in zip(src, dst, strict=True):
            if a != b and (a, b) not in seen:
                seen.add((a, b))
                fol.append(pop.account_id[a])
                fee.append(pop.account_id[b])
        rows.extend("follows", platform=[platform] * len(fol), follower_id=fol, followee_id=fee,
                    followed_at=list(as_of - rng.integers(86_400, 1_500 * 86_400, len(fol)).astype("timedelta64[s]")))
