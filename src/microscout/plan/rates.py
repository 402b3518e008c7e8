"""What a post costs, how many followers it reaches and how many of them buy: the planner's rates.

Every figure here is a documented default that a user replaces in the settings file
(`[rate_card]`, `[reach_rates]`, `[conversion_rates]`, `[exchange_rates]`); docs/planner.md
lists them with their sources. Prices are set in USD, the unit of the commonly quoted rates,
and converted to the brief's currency with the settings' exchange rates (no network).

Price of one post = max(minimum fee, rate per 1,000 followers of the platform × followers / 1,000)
× the format's multiplier. On Instagram (10 USD per 1,000 followers) this gives the quoted bands
per post: nano 10–100, micro 100–500, mid 500–5,000, macro 5,000–10,000, mega above 10,000.

Reach of k posts: a follower sees at least one of them with probability 1 − (1 − r)^k, where r
is the reach rate per post of the creator's platform and tier (default scheme): repeat posts
reach the same people again, so each adds less than the one before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from microscout.exceptions import SettingsError
from microscout.metrics.tiers import PRESETS

# USD per 1,000 followers for one feed post. Instagram's "about 10 per 1,000" is the most quoted
# rule of thumb; TikTok is quoted a little lower, YouTube (a produced video) about twice as high.
RATE_PER_1000 = {"instagram": 10.0, "tiktok": 8.0, "youtube": 20.0, "bluesky": 5.0, "mastodon": 5.0}
DEFAULT_RATE_PER_1000 = 10.0
MINIMUM_FEE = 10.0                      # USD: the lower end of the nano band
FORMATS = {"post": 1.0, "story": 0.5, "reel": 1.3, "video": 2.0}

# Share of followers who see one post, by tier of the default scheme: organic reach falls with
# audience size (small accounts' followers are closer to them).
REACH_BY_TIER = {"emerging": 0.30, "nano": 0.25, "micro": 0.18, "mid": 0.12, "macro": 0.09, "mega": 0.07}
REACH_BY_PLATFORM = {"instagram": 1.0, "tiktok": 1.5, "youtube": 0.8, "bluesky": 0.8, "mastodon": 0.8}

# Share of reached people who buy, by tier: smaller creators' audiences trust them more.
CONVERSION_BY_TIER = {"emerging": 0.003, "nano": 0.0025, "micro": 0.002, "mid": 0.0015, "macro": 0.001,
                      "mega": 0.0008}

# Units of each currency per USD (settings override; rates of November 2026, rounded).
EXCHANGE_PER_USD = {"USD": 1.0, "EUR": 0.92, "GBP": 0.79, "CHF": 0.88, "PLN": 3.95, "DKK": 6.86, "SEK": 10.6,
                    "NOK": 10.9, "CZK": 23.1}

PRICE_TIERS = PRESETS["default"]


@dataclass(frozen=True)
class Rates:
    """The planner's rates, defaults overridden by the settings."""

    rate_per_1000: Mapping[str, float] = field(default_factory=lambda: dict(RATE_PER_1000))
    minimum_fee: float = MINIMUM_FEE
    formats: Mapping[str, float] = field(default_factory=lambda: dict(FORMATS))
    reach_by_tier: Mapping[str, float] = field(default_factory=lambda: dict(REACH_BY_TIER))
    reach_by_platform: Mapping[str, float] = field(default_factory=lambda: dict(REACH_BY_PLATFORM))
    conversion_by_tier: Mapping[str, float] = field(default_factory=lambda: dict(CONVERSION_BY_TIER))
    exchange_per_usd: Mapping[str, float] = field(default_factory=lambda: dict(EXCHANGE_PER_USD))

    @classmethod
    def from_settings(cls, rate_card: Mapping[str, object] | None = None,
                      reach_rates: Mapping[str, object] | None = None,
                      conversion_rates: Mapping[str, float] | None = None,
                      exchange_rates: Mapping[str, float] | None = None) -> Rates:
        card = dict(rate_card or {})
        per_1000 = {**RATE_PER_1000, **_numbers(card.pop("per_1000_followers", {}), "rate_card.per_1000_followers")}
        formats = {**FORMATS, **_numbers(card.pop("formats", {}), "rate_card.formats")}
        minimum = _number(card.pop("minimum_fee", MINIMUM_FEE), "rate_card.minimum_fee")
        if card:
            raise SettingsError(f"rate_card: unknown key '{next(iter(card))}': expected per_1000_followers, "
                                "formats or minimum_fee")
        reach = dict(reach_rates or {})
        by_tier = {**REACH_BY_TIER, **_numbers(reach.pop("tiers", {}), "reach_rates.tiers", upper=1.0)}
        by_platform = {**REACH_BY_PLATFORM, **_numbers(reach.pop("platforms", {}), "reach_rates.platforms")}
        if reach:
            raise SettingsError(f"reach_rates: unknown key '{next(iter(reach))}': expected tiers or platforms")
        conversion = {**CONVERSION_BY_TIER, **_numbers(conversion_rates or {}, "conversion_rates", upper=1.0)}
        exchange = {**EXCHANGE_PER_USD, **{k.upper(): v for k, v in
                                            _numbers(exchange_rates or {}, "exchange_rates").items()}}
        return cls(per_1000, minimum, formats, by_tier, by_platform, conversion, exchange)

    def per_usd(self, currency: str) -> float:
        try:
            return float(self.exchange_per_usd[currency.upper()])
        except KeyError:
            known = ", ".join(sorted(self.exchange_per_usd))
            raise SettingsError(f"exchange_rates: no rate for '{currency}': add it to [exchange_rates] "
                                f"(units per USD); known: {known}") from None

    def post_prices(self, creators: pd.DataFrame, currency: str, post_format: str = "post") -> pd.Series:
        """The price of one post of each creator (platform, followers) in `currency`."""
        if post_format not in self.formats:
            raise SettingsError(f"post format '{post_format}' has no price multiplier: expected one of "
                                f"{', '.join(self.formats)}")
        rate = creators.platform.map(self.rate_per_1000).fillna(DEFAULT_RATE_PER_1000)
        usd = np.maximum(self.minimum_fee, rate * creators.followers.fillna(0).astype(float) / 1000.0)
        return (usd * self.formats[post_format] * self.per_usd(currency)).round(2)

    def reach_rates(self, creators: pd.DataFrame) -> pd.Series:
        """Share of a creator's followers who see one post (platform, followers)."""
        tiers = price_tiers(creators)
        rate = tiers.map(self.reach_by_tier).astype(float) * creators.platform.map(self.reach_by_platform).fillna(1.0)
        return rate.clip(0.0, 0.95)

    def conversion_rates(self, creators: pd.DataFrame) -> pd.Series:
        return price_tiers(creators).map(self.conversion_by_tier).astype(float).fillna(0.0)


def price_tiers(creators: pd.DataFrame) -> pd.Series:
    """Tier of the default scheme, whatever scheme the brief uses: the rates are quoted for it."""
    return pd.Series([PRICE_TIERS.tier_of(int(f) if pd.notna(f) else 0, p)
                      for f, p in zip(creators.followers, creators.platform, strict=True)], index=creators.index)


def seen_share(reach_rate: np.ndarray | float, posts: np.ndarray | int) -> np.ndarray:
    """Share of followers who see at least one of `posts` posts."""
    return np.asarray(1.0 - (1.0 - np.asarray(reach_rate, dtype=float)) ** np.asarray(posts, dtype=float))


def _number(value: object, where: str, upper: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or (upper is not None and value > upper):
        expected = f"a number from 0 to {upper:g}" if upper is not None else "a number ≥ 0"
        raise SettingsError(f"{where}: {value!r} is not {expected}")
    return float(value)


def _numbers(values: object, where: str, upper: float | None = None) -> dict[str, float]:
    if not isinstance(values, Mapping):
        raise SettingsError(f"{where}: expected a table of name = number, got {values!r}")
    return {str(k): _number(v, f"{where}.{k}", upper) for k, v in values.items()}
