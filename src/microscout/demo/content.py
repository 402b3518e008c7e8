"""What each creator produces: posts, a comment sample, a follower sample, follower history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from microscout.demo.creators import CreatorPlan
from microscout.demo.params import WorldParams
from microscout.demo.population import COUNTRIES, FAKE, PLATFORMS, Population
from microscout.demo.vocab import CAPTIONS as CAPTION_TEMPLATES
from microscout.demo.vocab import (
    CODE_PHRASES,
    COMMENTS,
    DISCLOSURE_PHRASES,
    DISCLOSURE_TAGS,
    EMOJI,
    FRIEND_COMMENTS,
    GENERIC_COMMENTS,
    GIVEAWAY,
    GIVEAWAY_COMMENTS,
    HASHTAGS,
    LANGUAGES,
    NICHES,
    NOUNS,
    POD_COMMENTS,
    REPLIES,
    SPONSORED_LINES,
)

DAY = np.timedelta64(86_400, "s")
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
KINDS = {"instagram": ("photo", "reel", "carousel", "story"), "tiktok": ("video",),
         "youtube": ("video", "short"), "bluesky": ("text", "photo")}
KIND_P = {"instagram": (0.5, 0.3, 0.15, 0.05), "tiktok": (1.0,), "youtube": (0.6, 0.4), "bluesky": (0.7, 0.3)}
VIDEO = {"reel", "video", "short"}
TRAP_TAGS = {"travel": "adventure", "fashion": "adidas", "food": "advent", "fitness": "adidasrunning",
             "beauty": "adorable", "gaming": "addicted"}
FEMALE_SHARE = {"beauty": 0.8, "fashion": 0.7, "food": 0.65, "fitness": 0.5, "travel": 0.55, "gaming": 0.25}
AGE_BANDS = ("13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
AGE_BASE = np.array([0.04, 0.28, 0.34, 0.18, 0.09, 0.05, 0.02])


def url_for(platform: str, handle: str, post_id: str) -> str:
    return {"instagram": f"https://www.instagram.com/p/{post_id}/",
            "tiktok": f"https://www.tiktok.com/@{handle}/video/{post_id}",
            "youtube": f"https://www.youtube.com/watch?v={post_id}",
            "bluesky": f"https://bsky.app/profile/{handle}/post/{post_id}"}[platform]


@dataclass
class Rows:
    """Column lists of every table for one chunk of the world."""

    tables: dict[str, dict[str, list[Any]]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(list)))

    def add(self, table: str, **values: Any) -> None:
        cols = self.tables[table]
        for k, v in values.items():
            cols[k].append(v)

    def extend(self, table: str, **values: Iterable[Any]) -> None:
        cols = self.tables[table]
        for k, v in values.items():
            cols[k].extend(v)


class AudiencePools:
    """Genuine audience by platform and country, and fake accounts by platform."""

    def __init__(self, pop: Population) -> None:
        genuine = np.flatnonzero(pop.kind == 2)
        fake = np.flatnonzero(pop.kind == FAKE)
        self.genuine = {k: genuine[pop.platform[genuine] == k] for k in range(len(PLATFORMS))}
        self.by_country = {(k, c): g[pop.country[g] == c] for k, g in self.genuine.items()
                           for c in range(len(COUNTRIES))}
        self.fake = {k: fake[pop.platform[fake] == k] for k in range(len(PLATFORMS))}

    def sample_followers(self, rng: np.random.Generator, platform: int, country: int, size: int,
                         fake_share: float) -> tuple[np.ndarray, np.ndarray]:
        """(genuine, fake) follower samples: genuine ones mostly from the creator's country."""
        n_fake = rng.binomial(size, fake_share) if len(self.fake[platform]) else 0
        n_gen = size - n_fake
        local = self.by_country[(platform, country)]
        n_local = rng.binomial(n_gen, 0.65) if len(local) else 0
        pool = self.genuine[platform]
        gen = np.concatenate([rng.choice(local, n_local) if n_local else np.array([], dtype=np.int64),
                              rng.choice(pool, n_gen - n_local) if len(pool) and n_gen > n_local
                              else np.array([], dtype=np.int64)])
        fakes = rng.choice(self.fake[platform], n_fake) if n_fake else np.array([], dtype=np.int64)
        return np.unique(gen), np.unique(fakes)


def _fmt(template: str, **kw: str) -> str:
    return template.format(**kw)


class CreatorContent:
    """Generates one creator's tables; the caller writes them chunk by chunk."""

    def __init__(self, p: WorldParams, pop: Population, plan: CreatorPlan, pools: AudiencePools,
                 n_posts: np.ndarray, rng: np.random.Generator) -> None:
        self.p, self.pop, self.plan, self.pools, self.n_posts, self.rng = p, pop, plan, pools, n_posts, rng
        self.as_of = np.datetime64(p.as_of, "s")

    def brand_handle(self, b: int) -> str:
        return self.pop.handle[b]

    def generate(self, j: int, rows: Rows) -> None:
        p, pop, plan, rng = self.p, self.pop, self.plan, self.rng
        i = pop.n_brands + j
        platform = PLATFORMS[pop.platform[i]]
        lang, city, niche = pop.lang(i), pop.city_name(i), NICHES[pop.niche[i]]
        account_id, handle = pop.account_id[i], pop.handle[i]
        followers = int(plan.followers[j])

        genuine, fakes = self.pools.sample_followers(
            rng, int(pop.platform[i]), int(pop.country[i]), min(followers, p.follow_sample_cap),
            float(plan.fake_follower_share[j]))
        self._follows(j, account_id, platform, genuine, fakes, rows)
        self._snapshots(j, account_id, platform, followers, rows)
        if rng.random() < 0.3 and platform != "bluesky":
            self._audience(account_id, platform, niche, genuine, rows)

        n = int(self.n_posts[j])
        if n == 0:
            return
        end = self.as_of - (int(rng.integers(61, 200)) * DAY if plan.inactive[j] else np.timedelta64(0, "s"))
        offsets = np.sort(rng.integers(3_600, p.window_days * 86_400, n))[::-1]
        created = end - offsets.astype("timedelta64[s]")
        engaged = followers / (1 + plan.jump_share[j]) if plan.bought_followers[j] else followers
        total = engaged * plan.er[j] * rng.lognormal(0, 0.45, n)
        c2l = plan.comment_to_like[j]
        comments = np.round(total * c2l / (1 + c2l)).astype(np.int64)
        likes = np.round(total - comments).astype(np.int64)
        bought = np.zeros(n, dtype=bool)
        if plan.bought_likes[j]:
            bought = rng.random(n) < 0.6
            likes[bought] = (likes[bought] * plan.likes_factor[j]).astype(np.int64)
        special = -1
        if plan.spike_week[j] >= 0:
            spike_at = self.as_of - int(plan.spike_week[j]) * 7 * DAY
            special = int(np.argmin(np.abs(created - spike_at)))
            if plan.viral[j]:
                likes[special] *= int(rng.integers(15, 40))
                comments[special] *= 10
            elif plan.giveaway[j]:
                likes[special] *= 3
                comments[special] = max(comments[special] * 25, 60)
        kinds = rng.choice(len(KINDS[platform]), n, p=KIND_P[platform])
        sponsored = rng.random(n) < plan.sponsored_share[j]
        partners = plan.partners[j]
        brand_pick = rng.integers(len(partners), size=n) if partners else np.zeros(n, dtype=int)
        disclose_draw, place_draw, pick = rng.random(n), rng.random(n), rng.random((n, 6))
        view_rate = rng.uniform(0.3, 1.5, n)
        hidden_likes = rng.random(n) < 0.02
        if special >= 0:
            hidden_likes[special] = False  # the viral or giveaway post shows its counts

        pod_members = plan.pods[plan.pod[j]] if plan.pod[j] >= 0 else []
        friends = plan.friend_groups[plan.friend_group[j]] if plan.friend_group[j] >= 0 else []
        sample_sizes = np.minimum(comments, 1 + rng.poisson(max(p.comments_per_post - 1, 0.1), n))
        id_chars = rng.integers(0, 64, (n, 11)) if platform == "youtube" else None
        post_rows: list[tuple[Any, ...]] = []
        truth_rows: list[tuple[Any, ...]] = []
        nouns: list[str] = []
        for k in range(n):
            post_id = (f"{account_id[-6:].replace(':', '')}{j:06d}{k:04d}" if id_chars is None
                       else "".join(_B64[c] for c in id_chars[k]))
            kind = KINDS[platform][kinds[k]]
            noun = NOUNS[niche][lang][int(pick[k, 0] * 4)]
            base = _fmt(CAPTION_TEMPLATES[lang][int(pick[k, 1] * 4)], noun=noun, city=city,
                        emoji=EMOJI[int(pick[k, 2] * len(EMOJI))])
            tags = list(HASHTAGS[niche][lang][: 1 + int(pick[k, 3] * 3)])
            if pick[k, 4] < 0.05:
                tags.append(TRAP_TAGS[niche])
            mentions: list[str] = []
            is_sponsored = bool(sponsored[k] and partners)
            brand = self.brand_handle(partners[brand_pick[k]]) if is_sponsored else ""  # "" where no post names one
            disclosed, placement, undisclosed_ad, paid_label = False, "none", False, None
            lines = [base]
            if is_sponsored:
                mentions.append(brand)
                code_ad = plan.undisclosed_ads[j] and disclose_draw[k] < 0.7
                disclosed = (not code_ad) and disclose_draw[k] < p.disclosure_rate
                if code_ad or not disclosed:
                    undisclosed_ad = bool(code_ad)
                    code = f"{handle.split('.')[0].split('_')[0].upper()[:8]}{int(pick[k, 5] * 20) + 10}"
                    lines.append(_fmt(CODE_PHRASES[lang], code=code, brand=brand) if code_ad
                                 else _fmt(SPONSORED_LINES[lang], brand=brand))
                else:
                    tag = DISCLOSURE_TAGS[lang][int(pick[k, 5] * 2)]
                    if place_draw[k] < p.buried_disclosure_rate:
                        placement = "buried"
                        lines.append(_fmt(SPONSORED_LINES[lang], brand=brand))
                        tags.append(tag.lstrip("#"))
                    elif place_draw[k] < 0.6:
                        placement = "first_line"
                        lines.insert(0, f"{tag} {_fmt(SPONSORED_LINES[lang], brand=brand)}")
                    else:
                        placement = "first_line"
                        lines.insert(0, f"{DISCLOSURE_PHRASES[lang]} @{brand}")
                    if platform == "instagram":
                        paid_label = bool(pick[k, 4] < 0.6)
            elif platform == "instagram":
                paid_label = False
            if k == special and plan.giveaway[j]:
                lines.insert(0, GIVEAWAY[lang])
            caption = "\n".join(lines) + "\n" + " ".join("#" + t for t in tags)
            hashtags = [t.lower() for t in tags]
            post_rows.append((post_id, created[k], kind, caption, hashtags, mentions,
                              None if hidden_likes[k] else int(likes[k]), int(comments[k]),
                              int(likes[k] * 0.03) if platform == "tiktok" else None,
                              int(likes[k] * 0.05) if platform == "instagram" else None,
                              int(followers * view_rate[k]) if kind in VIDEO else None,
                              url_for(platform, handle, post_id), city if pick[k, 3] < 0.2 else None, paid_label))
            truth_rows.append((post_id, is_sponsored, disclosed, placement, brand or None, undisclosed_ad, bool(bought[k]),
                               bool(k == special and plan.viral[j]), bool(k == special and plan.giveaway[j])))
            nouns.append(noun)
        post_ids = [r[0] for r in post_rows]
        giveaway_post = special if plan.giveaway[j] else -1
        if giveaway_post >= 0:
            sample_sizes[giveaway_post] = min(int(comments[giveaway_post]), 40)
        written = self._comments(j, i, platform, post_ids, created, lang, city, nouns, sample_sizes, genuine,
                                 pod_members, friends, giveaway_post, rows)
        cols = list(zip(*post_rows, strict=True))
        rows.extend("posts", platform=[platform] * n, post_id=post_ids, account_id=[account_id] * n,
                    created_at=list(cols[1]), kind=list(cols[2]), caption=list(cols[3]), hashtags=list(cols[4]),
                    mentions=list(cols[5]), likes=list(cols[6]),
                    comments=[max(c, int(w)) for c, w in zip(cols[7], written, strict=True)],
                    shares=list(cols[8]), saves=list(cols[9]), views=list(cols[10]), url=list(cols[11]),
                    location=list(cols[12]), language=[lang] * n, is_paid_partnership=list(cols[13]))
        tcols = list(zip(*truth_rows, strict=True))
        rows.extend("truth_posts", platform=[platform] * n, post_id=post_ids, account_id=[account_id] * n,
                    sponsored=list(tcols[1]), disclosed=list(tcols[2]), disclosure_placement=list(tcols[3]),
                    brand=list(tcols[4]), undisclosed_ad=list(tcols[5]), bought_likes=list(tcols[6]),
                    viral=list(tcols[7]), giveaway=list(tcols[8]))

    # -- comments ---------------------------------------------------------------------------------
    def _comments(self, j: int, i: int, platform: str, post_ids: list[str], created: np.ndarray, lang: str,
                  city: str, nouns: list[str], sample_sizes: np.ndarray, genuine: np.ndarray, pod: list[int],
                  friends: list[int], giveaway_post: int, rows: Rows) -> np.ndarray:
        """The sampled comments of all of a creator's posts, with its replies; returns rows per post."""
        pop, plan, rng = self.pop, self.plan, self.rng
        n_posts = len(post_ids)
        fake_pool = self.pools.fake[pop.platform[i]]
        farming = bool(plan.comment_farm[j]) and len(fake_pool) > 0
        if len(genuine) == 0 and not farming:
            sample_sizes = np.zeros(n_posts, dtype=np.int64)
        post_of = np.repeat(np.arange(n_posts), sample_sizes)
        t = len(post_of)
        d = rng.random((t, 5))
        farm = (d[:, 0] < 0.6) if farming else np.zeros(t, dtype=bool)
        if len(genuine) == 0:
            farm[:] = True
        loyal = genuine[: max(3, min(40, len(genuine) // 20))]
        authors = np.empty(t, dtype=np.int64)
        if farming:
            authors[farm] = fake_pool[(d[farm, 1] * len(fake_pool)).astype(np.int64)]
        fans = ~farm
        if len(genuine):
            use_loyal = fans & (d[:, 0] < plan.loyal_share[j]) & ~farm
            authors[use_loyal] = loyal[(d[use_loyal, 1] * len(loyal)).astype(np.int64)]
            rest = fans & ~use_loyal
            authors[rest] = genuine[(d[rest, 1] * len(genuine)).astype(np.int64)]
        own = np.array([[tpl.format(noun=noun, city=city) for tpl in COMMENTS[lang]] for noun in nouns], dtype=object)
        generic = np.array(GENERIC_COMMENTS, dtype=object)
        g_idx = (d[:, 3] * len(generic)).astype(np.int64)
        texts = np.where(farm | (d[:, 2] < 0.15), generic[g_idx],
                         own[post_of, (d[:, 3] * own.shape[1]).astype(np.int64)] if t else generic[g_idx])
        delays = np.where(farm, 60 + (d[:, 4] * 3_540).astype(np.int64),
                          (rng.exponential(6 * 3_600, t) + 60).astype(np.int64))
        if giveaway_post >= 0 and len(genuine):
            on = post_of == giveaway_post
            friends_tagged = genuine[(d[on, 2] * len(genuine)).astype(np.int64)]
            template = GIVEAWAY_COMMENTS[LANGUAGES.index(lang)]
            texts[on] = [template.format(friend=pop.handle[f]) for f in friends_tagged]
            authors[on] = genuine[(d[on, 1] * len(genuine)).astype(np.int64)]
        extra_posts, extra_authors, extra_texts, extra_delays = [], [], [], []
        members = [m for m in pod if m != j]
        if members:
            joined = rng.random((n_posts, len(members))) < 0.85
            pk, mk = np.nonzero(joined)
            extra_posts.append(pk)
            extra_authors.append(pop.n_brands + np.array(members)[mk])
            extra_texts.append(np.array(POD_COMMENTS, dtype=object)[rng.integers(len(POD_COMMENTS), size=len(pk))])
            extra_delays.append(rng.integers(30, 20 * 60, size=len(pk)))
        others = [f for f in friends if f != j]
        if others:
            visited = np.flatnonzero(rng.random(n_posts) < 0.3)
            who = np.array(others)[rng.integers(len(others), size=len(visited))]
            extra_posts.append(visited)
            extra_authors.append(pop.n_brands + who)
            extra_texts.append(np.array(FRIEND_COMMENTS[lang], dtype=object)[rng.integers(3, size=len(visited))])
            extra_delays.append(rng.integers(3_600, 30 * 3_600, size=len(visited)))
        if extra_posts:
            post_of = np.concatenate([post_of, *extra_posts])
            authors = np.concatenate([authors, *extra_authors])
            texts = np.concatenate([texts, *extra_texts])
            delays = np.concatenate([delays, *extra_delays])
        order = np.argsort(post_of, kind="stable")
        post_of, authors, texts, delays = post_of[order], authors[order], texts[order], delays[order]
        t = len(post_of)
        per_post = np.bincount(post_of, minlength=n_posts)
        if t == 0:
            return per_post
        starts = np.concatenate([[0], np.cumsum(per_post)[:-1]])
        rank = np.arange(t) - starts[post_of]
        ids = [f"{post_ids[pp]}_{rk}" for pp, rk in zip(post_of.tolist(), rank.tolist(), strict=True)]
        at = np.minimum(created[post_of] + delays.astype("timedelta64[s]"), self.as_of)
        pid_of = [post_ids[pp] for pp in post_of.tolist()]
        rows.extend("comments", platform=[platform] * t, comment_id=ids, post_id=pid_of,
                    author_id=pop.id_arr[authors], author_handle=pop.handle_arr[authors],
                    created_at=list(at), text=texts.tolist(), likes=rng.poisson(1.0, t).tolist(), reply_to=[None] * t)
        answered = np.flatnonzero(rng.random(t) < plan.reply_rate[j])
        if len(answered):
            m = len(answered)
            reply_at = np.minimum(at[answered] + rng.integers(300, 12 * 3_600, m).astype("timedelta64[s]"), self.as_of)
            rows.extend("comments", platform=[platform] * m, comment_id=[ids[c] + "r" for c in answered],
                        post_id=[pid_of[c] for c in answered], author_id=[pop.account_id[i]] * m,
                        author_handle=[pop.handle[i]] * m, created_at=list(reply_at),
                        text=[REPLIES[lang][int(c) % 3] for c in answered], likes=[0] * m,
                        reply_to=[ids[c] for c in answered])
            per_post += np.bincount(post_of[answered], minlength=n_posts)
        return per_post

    # -- follower sample, history and audience ------------------------------------------------------
    def _follows(self, j: int, account_id: str, platform: str, genuine: np.ndarray, fakes: np.ndarray,
                 rows: Rows) -> None:
        pop, plan, rng = self.pop, self.plan, self.rng
        n_gen, n_fake = len(genuine), len(fakes)
        gen_at = self.as_of - rng.integers(86_400, 3 * 365 * 86_400, n_gen).astype("timedelta64[s]")
        if plan.bought_followers[j]:
            jump_at = self.as_of - int(plan.spike_week[j]) * 7 * DAY
            fake_at = jump_at - rng.integers(0, 7 * 86_400, n_fake).astype("timedelta64[s]")
        else:
            fake_at = self.as_of - rng.integers(86_400, 3 * 365 * 86_400, n_fake).astype("timedelta64[s]")
        followers = np.concatenate([genuine, fakes])
        rows.extend("follows", platform=[platform] * len(followers),
                    follower_id=pop.id_arr[followers], followee_id=[account_id] * len(followers),
                    followed_at=list(np.concatenate([gen_at, fake_at])))
        peers = []
        if plan.pod[j] >= 0:
            peers += [m for m in plan.pods[plan.pod[j]] if m != j]
        if plan.friend_group[j] >= 0:
            peers += [m for m in plan.friend_groups[plan.friend_group[j]] if m != j]
        for m in sorted(set(peers)):
            rows.add("follows", platform=platform, follower_id=pop.account_id[pop.n_brands + m],
                     followee_id=account_id, followed_at=self.as_of - 200 * DAY)

    def _snapshots(self, j: int, account_id: str, platform: str, followers: int, rows: Rows) -> None:
        p, plan, rng = self.p, self.plan, self.rng
        weeks = p.snapshot_weeks
        growth = rng.uniform(*p.organic_weekly_growth) + rng.normal(0, 0.002, weeks)
        counts = np.empty(weeks + 1)
        counts[0] = followers
        for w in range(1, weeks + 1):
            prev = counts[w - 1] / (1 + growth[w - 1])
            if w - 1 == plan.spike_week[j]:
                prev = prev / (1 + plan.jump_share[j])
            counts[w] = max(prev, 0)
        at = [self.as_of - w * 7 * DAY for w in range(weeks, 0, -1)]
        rows.extend("snapshots", platform=[platform] * weeks, account_id=[account_id] * weeks, at=at,
                    followers=[int(c) for c in counts[weeks:0:-1]], following=[None] * weeks,
                    posts_count=[None] * weeks)

    def _audience(self, account_id: str, platform: str, niche: str, genuine: np.ndarray, rows: Rows) -> None:
        rng = self.rng
        if len(genuine) == 0:
            return
        countries, counts = np.unique(self.pop.country[genuine], return_counts=True)
        shares = counts / counts.sum() * rng.uniform(0.9, 1.0)
        dims: list[tuple[str, str, float]] = [("country", COUNTRIES[c], float(s)) for c, s in zip(countries, shares, strict=True)]
        langs, lcounts = np.unique(self.pop.language[genuine], return_counts=True)
        dims += [("language", LANGUAGES[lg], float(c / lcounts.sum())) for lg, c in zip(langs, lcounts, strict=True)]
        female = float(np.clip(FEMALE_SHARE[niche] + rng.normal(0, 0.08), 0.05, 0.95))
        dims += [("gender", "female", female), ("gender", "male", 0.98 - female), ("gender", "other", 0.02)]
        ages = AGE_BASE * rng.lognormal(0, 0.25, len(AGE_BASE))
        ages /= ages.sum()
        dims += [("age", band, float(a)) for band, a in zip(AGE_BANDS, ages, strict=True)]
        rows.extend("audience", platform=[platform] * len(dims), account_id=[account_id] * len(dims),
                    dimension=[d[0] for d in dims], value=[d[1] for d in dims],
                    share=[round(d[2], 4) for d in dims])
