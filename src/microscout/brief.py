"""The brief: what a brand is looking for (SCHEMA.md §2), read from TOML or a dict and checked key by key."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from microscout.exceptions import MicroscoutError
from microscout.schema import PLATFORMS


class BriefError(ValueError, MicroscoutError):
    """A brief has an unknown key or a value of the wrong kind."""


@dataclass(frozen=True)
class Persona:
    countries: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    age: tuple[int, int] | None = None
    gender: str = "any"


@dataclass(frozen=True)
class Weights:
    relevance: float = 3.0
    place: float = 1.0
    authenticity: float = 2.0
    engagement: float = 1.0
    community: float = 1.0
    audience_match: float = 1.0
    brand_fit: float = 1.0


@dataclass(frozen=True)
class PlanSettings:
    objective: str = "unique_reach"
    min_creators: int | None = None
    max_creators: int | None = None
    max_posts_per_creator: int | None = None
    tier_mix: dict[str, tuple[float, float]] = field(default_factory=dict)
    platform_mix: dict[str, tuple[float, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Brief:
    name: str
    topic: str | None = None
    keywords: tuple[str, ...] = ()
    hashtags: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    platforms: tuple[str, ...] = ()
    strict_place: bool = False
    tier_scheme: str | None = None
    tiers: tuple[str, ...] = ()
    min_followers: int | None = None
    max_followers: int | None = None
    brand_accounts: tuple[str, ...] = ()
    competitors: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    allow_flags: tuple[str, ...] = ()
    include_businesses: bool = False  # business accounts (is_business) are brands, not creators, unless asked
    budget: float | None = None
    currency: str = "EUR"
    persona: Persona = field(default_factory=Persona)
    weights: Weights = field(default_factory=Weights)
    plan: PlanSettings = field(default_factory=PlanSettings)


_TOP = {"name": "text", "topic": "text", "keywords": "texts", "hashtags": "texts", "locations": "texts",
        "languages": "languages", "platforms": "platforms", "strict_place": "bool", "tier_scheme": "text",
        "tiers": "texts", "min_followers": "count", "max_followers": "count", "brand_accounts": "refs",
        "competitors": "texts", "exclude": "refs", "allow_flags": "flags", "include_businesses": "bool",
        "budget": "amount", "currency": "currency",
        "persona": "table", "weights": "table", "plan": "table"}
_PERSONA = {"countries": "countries", "cities": "texts", "languages": "languages", "age": "age", "gender": "gender"}
_PLAN = {"objective": "objective", "min_creators": "count", "max_creators": "count",
         "max_posts_per_creator": "count", "tier_mix": "mix", "platform_mix": "mix"}
FLAGS = ("bought_followers", "bought_engagement", "engagement_pod", "growth_spike", "generic_comments",
         "heavy_sponsorship", "undisclosed_ads", "competitor_partner", "inactive", "private")
OBJECTIVES = ("unique_reach", "engagements", "conversions")


def is_country_code(text: str) -> bool:
    """Two letters, as an ISO 3166-1 alpha-2 code is written (any case)."""
    return len(text) == 2 and text.isalpha()


def load_brief(path: str | Path) -> Brief:
    path = Path(path)
    from microscout.config import read_toml  # pydantic-settings loads only when a brief is read

    return brief_from_dict(read_toml(path, "brief", BriefError), where=str(path))


def as_brief(brief: Brief | str | Path | dict[str, Any]) -> Brief:
    """A Brief as given, read from a TOML file, or made from a dict (the API's JSON)."""
    if isinstance(brief, Brief):
        return brief
    if isinstance(brief, dict):
        return brief_from_dict(brief)
    return load_brief(brief)


def brief_from_dict(data: dict[str, Any], where: str = "brief") -> Brief:
    """A brief from parsed TOML or JSON; every problem names the key, the value and what was expected."""
    if not isinstance(data, dict):
        raise BriefError(f"{where}: expected a table of keys, got {type(data).__name__}")
    top = _check(data, _TOP, where, "")
    if "name" not in top:
        raise BriefError(f"{where}: key 'name' is required: expected the brief's name as text")
    for place in top.get("locations", ()):
        parts = [p.strip() for p in place.split(",")]
        if len(parts) > 1 and not is_country_code(parts[-1]):
            raise BriefError(f"{where}: key 'locations': {place!r} is not a place: expected a city ('Berlin'), a city "
                             "and its two-letter country code ('Berlin, DE') or a country code ('DE')")
    persona = Persona(**_check(data.get("persona", {}), _PERSONA, where, "persona."))
    weights_raw = data.get("weights", {})
    if not isinstance(weights_raw, dict):
        raise BriefError(f"{where}: key 'weights': expected a table of part = weight")
    weights = {}
    for key, value in weights_raw.items():
        if key not in Weights.__dataclass_fields__:
            raise BriefError(f"{where}: unknown key 'weights.{key}': expected one of "
                             f"{', '.join(Weights.__dataclass_fields__)}")
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise BriefError(f"{where}: key 'weights.{key}': {value!r} is not a number ≥ 0")
        weights[key] = float(value)
    plan = PlanSettings(**_check(data.get("plan", {}), _PLAN, where, "plan."))
    if top.get("min_followers") is not None and top.get("max_followers") is not None \
            and top["min_followers"] > top["max_followers"]:
        raise BriefError(f"{where}: min_followers {top['min_followers']} is above max_followers {top['max_followers']}")
    top.pop("persona", None), top.pop("weights", None), top.pop("plan", None)
    return Brief(**top, persona=persona, weights=Weights(**weights), plan=plan)


def _check(data: Any, spec: dict[str, str], where: str, prefix: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise BriefError(f"{where}: key '{prefix.rstrip('.')}': expected a table")
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in spec:
            raise BriefError(f"{where}: unknown key '{prefix}{key}': expected one of {', '.join(spec)}")
        kind = spec[key]
        if kind == "table":
            continue
        out[key] = _value(value, kind, where, prefix + key)
    return out


def _fail(where: str, key: str, value: Any, expected: str) -> BriefError:
    return BriefError(f"{where}: key '{key}': {value!r} is not {expected}")


def _value(value: Any, kind: str, where: str, key: str) -> Any:
    def texts(v: Any) -> tuple[str, ...]:
        if not isinstance(v, list) or not all(isinstance(x, str) and x.strip() for x in v):
            raise _fail(where, key, v, "a list of non-empty texts")
        return tuple(x.strip() for x in v)

    if kind == "text" or kind == "gender" or kind == "objective" or kind == "currency":
        if not isinstance(value, str) or not value.strip():
            raise _fail(where, key, value, "non-empty text")
        if kind == "gender" and value not in ("any", "female", "male"):
            raise _fail(where, key, value, "one of any, female, male")
        if kind == "objective" and value not in OBJECTIVES:
            raise _fail(where, key, value, "one of " + ", ".join(OBJECTIVES))
        if kind == "currency" and not (len(value) == 3 and value.isalpha()):
            raise _fail(where, key, value, "a three-letter currency code such as EUR")
        return value.strip().upper() if kind == "currency" else value.strip()
    if kind == "texts":
        out = texts(value)
        return tuple(x.lstrip("#@").lower() for x in out) if key in ("hashtags", "competitors") else out
    if kind == "languages":
        out = texts(value)
        if not all(len(x) == 2 and x.isalpha() for x in out):
            raise _fail(where, key, value, "a list of ISO 639-1 language codes such as 'de'")
        return tuple(x.lower() for x in out)
    if kind == "countries":
        out = texts(value)
        if not all(len(x) == 2 and x.isalpha() for x in out):
            raise _fail(where, key, value, "a list of ISO 3166-1 alpha-2 country codes such as 'DE'")
        return tuple(x.upper() for x in out)
    if kind == "platforms":
        out = tuple(x.lower() for x in texts(value))
        if not all(x in PLATFORMS for x in out):
            raise _fail(where, key, value, "a list of platforms from " + ", ".join(PLATFORMS))
        return out
    if kind == "flags":
        out = texts(value)
        if not all(x in FLAGS for x in out):
            raise _fail(where, key, value, "a list of flags from " + ", ".join(FLAGS))
        return out
    if kind == "refs":
        out = texts(value)
        for ref in out:
            platform, sep, rest = ref.partition(":")
            if not (ref.startswith("@") or (sep and rest and platform.lower() in PLATFORMS)):
                raise _fail(where, key, ref, "an account reference: platform:account_id, platform:@handle or @handle")
        return out
    if kind == "bool":
        if not isinstance(value, bool):
            raise _fail(where, key, value, "true or false")
        return value
    if kind == "count":
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise _fail(where, key, value, "a whole number ≥ 0")
        return value
    if kind == "amount":
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise _fail(where, key, value, "an amount ≥ 0")
        return float(value)
    if kind == "age":
        if (not isinstance(value, list) or len(value) != 2 or not all(isinstance(x, int) and not isinstance(x, bool)
                                                                        for x in value) or value[0] > value[1]):
            raise _fail(where, key, value, "[youngest, oldest] in years, such as [20, 35]")
        return (value[0], value[1])
    if kind == "mix":
        if not isinstance(value, dict):
            raise _fail(where, key, value, "a table of name = [min share, max share]")
        mix = {}
        for name, bounds in value.items():
            if (not isinstance(bounds, list) or len(bounds) != 2
                    or not all(isinstance(b, int | float) and not isinstance(b, bool) and 0 <= b <= 1 for b in bounds)
                    or bounds[0] > bounds[1]):
                raise _fail(where, f"{key}.{name}", bounds, "[min share, max share] with 0 ≤ min ≤ max ≤ 1")
            mix[name] = (float(bounds[0]), float(bounds[1]))
        return mix
    raise AssertionError(kind)  # pragma: no cover
