"""Tier schemes: named bands of follower counts, optionally different per platform.

Bands include their lower bound and exclude their upper bound. Below a scheme's first band
the tier is `emerging`, so every count from 0 has a tier.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import ibis
import ibis.expr.types as ir

from microscout.exceptions import SettingsError

Band = tuple[str, int]  # (tier name, lower bound)


@dataclass(frozen=True)
class TierScheme:
    name: str
    bands: tuple[Band, ...]                              # every platform, ascending lower bounds
    per_platform: Mapping[str, tuple[Band, ...]] = field(default_factory=dict)
    percentile: bool = False

    def bands_for(self, platform: str) -> tuple[Band, ...]:
        return self.per_platform.get(platform, self.bands)

    @property
    def tier_names(self) -> list[str]:
        if self.percentile:
            return ["emerging", *(n for n, _ in PERCENTILE_BANDS)]
        names = ["emerging"]
        for bands in (self.bands, *self.per_platform.values()):
            names += [n for n, _ in bands if n not in names]
        return names

    def tier_of(self, followers: int, platform: str) -> str:
        tier = "emerging"
        for name, lower in self.bands_for(platform):
            if followers >= lower:
                tier = name
        return tier


def _scheme(name: str, bands: Sequence[Band], **per_platform: Sequence[Band]) -> TierScheme:
    return TierScheme(name, tuple(bands), {k: tuple(v) for k, v in per_platform.items()})


# (tier, the share of the platform's creators with more followers, at most): top 1%, 1-20%, 20-50%, the rest
PERCENTILE_BANDS = (("novice", 1.0), ("casual", 0.5), ("power", 0.2), ("celebrity", 0.01))

PRESETS: dict[str, TierScheme] = {
    "default": _scheme("default", [("nano", 1_000), ("micro", 10_000), ("mid", 50_000), ("macro", 500_000),
                                   ("mega", 1_000_000)]),
    "five-tier": _scheme("five-tier", [("micro", 0), ("influencer", 10_000), ("macro", 100_000),
                                       ("mega", 500_000), ("celebrity", 1_500_000)]),
    "agency-6": _scheme("agency-6", [("nano", 500), ("micro", 1_000), ("mid", 5_000), ("macro", 10_000),
                                     ("mega", 25_000), ("all-star", 50_000)]),
    "nano-micro": _scheme("nano-micro", [("nano", 0), ("micro", 10_000), ("macro", 100_000), ("mega", 1_000_000)]),
    # Mediakix names two tiers with a threshold that differs by platform.
    "mediakix": _scheme("mediakix", [("micro", 0), ("macro", 100_000)],
                        youtube=[("micro", 0), ("macro", 250_000)], facebook=[("micro", 0), ("macro", 250_000)]),
    "percentile": TierScheme("percentile", (), percentile=True),
}


def scheme_from_settings(name: str, spec: Mapping[str, object]) -> TierScheme:
    """A user's scheme from the settings file:

        [tier_schemes.my-agency]
        bands = {small = 0, medium = 20000, large = 200000}
        [tier_schemes.my-agency.platforms.youtube]
        small = 0
        medium = 50000
    """
    def parse(where: str, raw: object) -> tuple[Band, ...]:
        if not isinstance(raw, Mapping) or not raw:
            raise SettingsError(f"tier scheme '{name}': {where} must map tier names to lower bounds")
        bands = []
        for tier, lower in raw.items():
            if not isinstance(lower, int) or isinstance(lower, bool) or lower < 0:
                raise SettingsError(f"tier scheme '{name}': {where}.{tier} = {lower!r} is not a whole number ≥ 0")
            bands.append((str(tier), lower))
        return tuple(sorted(bands, key=lambda b: b[1]))

    platforms = spec.get("platforms", {})
    if not isinstance(platforms, Mapping):
        raise SettingsError(f"tier scheme '{name}': platforms must be a table of platform = bands")
    return TierScheme(name, parse("bands", spec.get("bands")),
                      {str(k): parse(f"platforms.{k}", v) for k, v in platforms.items()})


def get_scheme(name: str, custom: Mapping[str, TierScheme] | None = None) -> TierScheme:
    schemes = {**PRESETS, **(custom or {})}
    if name not in schemes:
        raise SettingsError(f"'{name}' is not a tier scheme: expected one of {', '.join(schemes)}")
    return schemes[name]


def tier_expr(scheme: TierScheme, followers: ir.IntegerValue, platform: ir.StringValue) -> ir.StringValue:
    """The tier of each row by its follower count (not for the percentile scheme)."""
    def by_bands(bands: tuple[Band, ...]) -> ir.StringValue:
        cases = [(followers >= lower, name) for name, lower in reversed(bands)]
        return ibis.cases(*cases, else_="emerging") if cases else ibis.literal("emerging")

    expr = by_bands(scheme.bands)
    for plat, bands in scheme.per_platform.items():
        expr = ibis.ifelse(platform == plat, by_bands(bands), expr)
    return ibis.ifelse(followers.isnull(), ibis.null(str), expr)


def with_tiers(creators: ir.Table, scheme: TierScheme) -> ir.Table:
    """Add `tier` to a table with `platform` and `followers`; percentile tiers rank within each platform."""
    if not scheme.percentile:
        return creators.mutate(tier=tier_expr(scheme, creators.followers, creators.platform))
    # a creator's place is the share of its platform's creators with more followers: the only creator
    # of a platform, or the biggest, is in the top 1%, and equal counts share a tier
    above = ibis.rank().over(group_by=creators.platform, order_by=ibis.desc(creators.followers))
    total = creators.count().over(group_by=creators.platform)
    ranked = creators.mutate(_top=above.cast("float64") / total)
    cases = [(ranked._top < share, name) for name, share in reversed(PERCENTILE_BANDS[1:])]
    tier = ibis.cases(*cases, else_="novice")
    return ranked.mutate(tier=ibis.ifelse(ranked.followers.isnull(), ibis.null(str), tier)).drop("_top")
