"""The brief: what a brand is looking for (SCHEMA.md §2), read from TOML or a dict and checked key by key.

Brief and its tables are frozen pydantic models, for a JSON schema and a check on every
construction; the check is the key-by-key checker's, run before pydantic's, because its
messages name the key path, the value and what was expected. brief_from_dict raises them as
BriefError, never as pydantic's ValidationError."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, model_validator

from microscout.exceptions import MicroscoutError
from microscout.schema import PLATFORMS


class BriefError(ValueError, MicroscoutError):
    """A brief has an unknown key or a value of the wrong kind."""


class _Table(BaseModel):
    """A table of keys in a brief, the brief itself the top one: `_KINDS` gives each key's kind (see
    _value), or one kind for every key."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    _KEY: ClassVar[str]
    _KINDS: ClassVar[dict[str, str] | str]
    _EXPECTED: ClassVar[str] = "a table"

    @model_validator(mode="before")
    @classmethod
    def _checked(cls, data: Any, info: ValidationInfo) -> Any:
        return cls._check_keys(data, _where(info))

    @classmethod
    def _check_keys(cls, data: Any, where: str) -> dict[str, Any]:
        kinds = cls._KINDS if isinstance(cls._KINDS, dict) else dict.fromkeys(cls.model_fields, cls._KINDS)
        return _check(data, kinds, where, cls._KEY, cls._EXPECTED)


class Persona(_Table):
    _KEY = "persona"
    _KINDS = {"countries": "countries", "cities": "texts", "languages": "languages", "age": "age", "gender": "gender"}
    countries: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    age: tuple[int, int] | None = None
    gender: str = "any"


class Weights(_Table):
    _KEY = "weights"
    _KINDS = "weight"
    _EXPECTED = "a table of part = weight"
    relevance: float = 3.0
    place: float = 1.0
    authenticity: float = 2.0
    engagement: float = 1.0
    community: float = 1.0
    audience_match: float = 1.0
    brand_fit: float = 1.0


class PlanSettings(_Table):
    _KEY = "plan"
    _KINDS = {"objective": "objective", "min_creators": "count", "max_creators": "count",
              "max_posts_per_creator": "count", "tier_mix": "mix", "platform_mix": "mix"}
    objective: str = "unique_reach"
    min_creators: int | None = None
    max_creators: int | None = None
    max_posts_per_creator: int | None = None
    tier_mix: dict[str, tuple[float, float]] = Field(default_factory=dict)
    platform_mix: dict[str, tuple[float, float]] = Field(default_factory=dict)


class Brief(_Table):
    _KEY = ""
    _KINDS = {"name": "text", "topic": "text", "keywords": "texts", "hashtags": "texts", "locations": "texts",
              "languages": "languages", "platforms": "platforms", "strict_place": "bool", "tier_scheme": "text",
              "tiers": "texts", "min_followers": "count", "max_followers": "count", "brand_accounts": "refs",
              "competitors": "texts", "exclude": "refs", "allow_flags": "flags", "include_businesses": "bool",
              "budget": "amount", "currency": "currency", "persona": "table", "weights": "table", "plan": "table"}
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
    persona: Persona = Field(default_factory=Persona)
    weights: Weights = Field(default_factory=Weights)
    plan: PlanSettings = Field(default_factory=PlanSettings)

    @classmethod
    def _check_keys(cls, data: Any, where: str) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise BriefError(f"{where}: expected a table of keys, got {type(data).__name__}")
        top = super()._check_keys(data, where)
        if "name" not in top:
            raise BriefError(f"{where}: key 'name' is required: expected the brief's name as text")
        for place in top.get("locations", ()):
            parts = [p.strip() for p in place.split(",")]
            if len(parts) > 1 and not is_country_code(parts[-1]):
                raise BriefError(f"{where}: key 'locations': {place!r} is not a place: expected a city ('Berlin'), "
                                 "a city and its two-letter country code ('Berlin, DE') or a country code ('DE')")
        return top

    # after the tables, as the checker always ordered its messages
    @model_validator(mode="after")
    def _followers_in_order(self, info: ValidationInfo) -> Brief:
        if self.min_followers is not None and self.max_followers is not None \
                and self.min_followers > self.max_followers:
            raise BriefError(f"{_where(info)}: min_followers {self.min_followers} is above max_followers "
                             f"{self.max_followers}")
        return self


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
    try:
        return Brief.model_validate(data, context={"where": where})
    except ValidationError as e:
        raise _brief_error(e, where) from None


def _brief_error(error: ValidationError, where: str) -> BriefError:
    # pydantic gathers the tables' errors in field order, the order the checker has always reported them
    first = error.errors()[0]
    cause = first.get("ctx", {}).get("error")
    if isinstance(cause, BriefError):
        return cause
    # what the checker passes and pydantic still refuses, such as a mix name that is no text (from Python)
    return BriefError(f"{where}: key '{'.'.join(map(str, first['loc']))}': {first['msg']}")


def _where(info: ValidationInfo) -> str:
    """The file or "brief" that messages start with: brief_from_dict's `where`."""
    return str((info.context or {}).get("where", "brief"))


def _check(data: Any, kinds: dict[str, str], where: str, table: str, expected: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise BriefError(f"{where}: key '{table}': expected {expected}")
    prefix = f"{table}." if table else ""
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key not in kinds:
            raise BriefError(f"{where}: unknown key '{prefix}{key}': expected one of {', '.join(kinds)}")
        kind = kinds[key]
        out[key] = value if kind == "table" else _value(value, kind, where, prefix + key)
    return out


def _fail(where: str, key: str, value: Any, expected: str) -> BriefError:
    return BriefError(f"{where}: key '{key}': {value!r} is not {expected}")


def _value(value: Any, kind: str, where: str, key: str) -> Any:
    # tuples too: code builds and copies briefs with the tuples a Brief holds
    def texts(v: Any) -> tuple[str, ...]:
        if not isinstance(v, list | tuple) or not all(isinstance(x, str) and x.strip() for x in v):
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
    if kind == "amount" or kind == "weight":
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise _fail(where, key, value, "an amount ≥ 0" if kind == "amount" else "a number ≥ 0")
        return float(value)
    if kind == "age":
        if (not isinstance(value, list | tuple) or len(value) != 2 or not all(isinstance(x, int) and not isinstance(x, bool)
                                                                        for x in value) or value[0] > value[1]):
            raise _fail(where, key, value, "[youngest, oldest] in years, such as [20, 35]")
        return (value[0], value[1])
    if kind == "mix":
        if not isinstance(value, dict):
            raise _fail(where, key, value, "a table of name = [min share, max share]")
        mix = {}
        for name, bounds in value.items():
            if (not isinstance(bounds, list | tuple) or len(bounds) != 2
                    or not all(isinstance(b, int | float) and not isinstance(b, bool) and 0 <= b <= 1 for b in bounds)
                    or bounds[0] > bounds[1]):
                raise _fail(where, f"{key}.{name}", bounds, "[min share, max share] with 0 ≤ min ≤ max ≤ 1")
            mix[name] = (float(bounds[0]), float(bounds[1]))
        return mix
    raise AssertionError(kind)  # pragma: no cover
