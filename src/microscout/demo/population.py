"""Who lives in the demo world: brands, creators, ordinary audience and fake accounts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from microscout.demo.params import WorldParams
from microscout.demo.vocab import (
    BRAND_STEMS,
    BRAND_WORDS,
    CITIES,
    COUNTRY_LANGUAGE,
    FIRST_NAMES,
    HANDLE_WORDS,
    LANGUAGES,
    NICHES,
)

PLATFORMS = ("instagram", "tiktok", "youtube", "bluesky")
COUNTRIES = tuple(CITIES)
BRAND, CREATOR, AUDIENCE, FAKE = 0, 1, 2, 3
_B32 = "abcdefghijklmnopqrstuvwxyz234567"
_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


@dataclass
class Population:
    kind: np.ndarray          # BRAND, CREATOR, AUDIENCE, FAKE
    platform: np.ndarray      # index into PLATFORMS
    country: np.ndarray       # index into COUNTRIES
    city: np.ndarray          # index into CITIES[country]
    language: np.ndarray      # index into LANGUAGES
    niche: np.ndarray         # index into NICHES
    account_id: list[str]
    handle: list[str]
    first_name: list[str]
    digits_in_handle: np.ndarray
    n_brands: int
    n_creators: int
    n_genuine: int

    def __post_init__(self) -> None:
        # object arrays let numpy take ids and handles for many accounts at once
        self.id_arr = np.array(self.account_id, dtype=object)
        self.handle_arr = np.array(self.handle, dtype=object)

    @property
    def creators(self) -> range:
        return range(self.n_brands, self.n_brands + self.n_creators)

    @property
    def brands(self) -> range:
        return range(self.n_brands)

    def city_name(self, i: int) -> str:
        return str(CITIES[COUNTRIES[self.country[i]]][self.city[i]])

    def lang(self, i: int) -> str:
        return LANGUAGES[self.language[i]]


def _weights(d: dict[str, float], keys: tuple[str, ...]) -> np.ndarray:
    w = np.array([d.get(k, 0.0) for k in keys], dtype=float)
    return np.asarray(w / w.sum())


def build_population(p: WorldParams, rng: np.random.Generator) -> Population:
    n = p.accounts
    n_brands = max(len(NICHES), round(n * p.brand_share))
    n_creators = round(n * p.creator_share)
    n_audience = n - n_brands - n_creators
    n_fake = round(n_audience * p.fake_share)
    n_genuine = n_audience - n_fake
    kind = np.concatenate([np.full(n_brands, BRAND), np.full(n_creators, CREATOR),
                           np.full(n_genuine, AUDIENCE), np.full(n_fake, FAKE)]).astype(np.int8)
    platform = rng.choice(len(PLATFORMS), n, p=_weights(p.platform_weights, PLATFORMS)).astype(np.int8)
    # every platform has brands, so that each platform's creators can have partners there
    platform[:n_brands] = np.arange(n_brands) % len(PLATFORMS)
    country = rng.choice(len(COUNTRIES), n, p=_weights(p.country_weights, COUNTRIES)).astype(np.int8)
    city = np.array([rng.integers(len(CITIES[COUNTRIES[c]])) for c in country], dtype=np.int8)
    language = np.array([LANGUAGES.index(COUNTRY_LANGUAGE[COUNTRIES[c]]) for c in country], dtype=np.int8)
    # some creators address an international audience in English
    english = (kind == CREATOR) & (rng.random(n) < 0.1)
    language[english] = LANGUAGES.index("en")
    niche = rng.integers(len(NICHES), size=n).astype(np.int8)
    niche[:n_brands] = np.arange(n_brands) % len(NICHES)
    digits = np.where(kind == FAKE, rng.random(n) < 0.8, rng.random(n) < p.digit_handle_genuine_share)
    first_names = [FIRST_NAMES[LANGUAGES[language[i]]][rng.integers(6)] for i in range(n)]
    handles = _handles(kind, niche, first_names, digits, platform, rng)
    ids = _account_ids(platform, rng)
    return Population(kind, platform, country, city, language, niche, ids, handles, first_names, digits,
                      n_brands, n_creators, n_genuine)


def _handles(kind: np.ndarray, niche: np.ndarray, first: list[str], digits: np.ndarray,
             platform: np.ndarray, rng: np.random.Generator) -> list[str]:
    seps = (".", "_", "")
    out: list[str] = []
    seen: set[tuple[int, str]] = set()
    stems = rng.integers(len(BRAND_STEMS), size=len(kind))
    words = rng.integers(4, size=len(kind))
    numbers = rng.integers(10, 99_999_999, size=len(kind))
    for i, k in enumerate(kind):
        nname = NICHES[niche[i]]
        if k == BRAND:
            h = BRAND_STEMS[stems[i]] + BRAND_WORDS[nname][words[i] % 3]
        elif k == FAKE:
            h = (f"user{numbers[i]}" if numbers[i] % 2 else f"{first[i]}{seps[numbers[i] % 3]}{numbers[i] % 100000}")
        elif k == CREATOR:
            h = f"{first[i]}{seps[words[i] % 3]}{HANDLE_WORDS[nname][words[i]]}"
        else:
            h = f"{first[i]}{seps[words[i] % 3]}{chr(97 + numbers[i] % 26)}"
        if digits[i] and k != FAKE:
            h += str(numbers[i] % 100)
        base, j = h, 2
        while (platform[i], h) in seen:
            h = f"{base}{j}"
            j += 1
        seen.add((platform[i], h))
        out.append(h)
    return out


def _account_ids(platform: np.ndarray, rng: np.random.Generator) -> list[str]:
    """Ids shaped like each platform's own: numeric, 19-digit, channel ids, DIDs."""
    n = len(platform)
    step = rng.integers(1, 50, size=n)
    serial = np.cumsum(step)
    chars = rng.integers(0, 32, size=(n, 24))
    chars64 = rng.integers(0, 64, size=(n, 22))
    ids: list[str] = []
    for i in range(n):
        name = PLATFORMS[platform[i]]
        if name == "instagram":
            ids.append(str(1_000_000_000 + int(serial[i])))
        elif name == "tiktok":
            ids.append(str(6_800_000_000_000_000_000 + int(serial[i]) * 7919))
        elif name == "youtube":
            ids.append("UC" + "".join(_B64[c] for c in chars64[i]))
        else:
            ids.append("did:plc:" + "".join(_B32[c] for c in chars[i]))
    return ids
