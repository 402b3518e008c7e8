"""One typed settings object, built at the edge from a TOML file, the environment and flags.

Precedence, highest first: flags, environment (`MICROSCOUT_<NAME>`), the settings file
(`--config`, `MICROSCOUT_CONFIG`, else `./microscout.toml` if present), defaults.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from microscout.exceptions import MicroscoutError, SettingsError

DEFAULT_CONFIG_FILE = Path("microscout.toml")


class Settings(BaseSettings):
    """Every setting, with its default and what it is for (shown by `microscout settings`)."""

    model_config = SettingsConfigDict(env_prefix="MICROSCOUT_", extra="forbid", validate_default=True)

    db: Path = Field(Path("microscout.duckdb"), description="The workspace file (DuckDB).")
    backend: Literal["duckdb", "pyspark"] = Field(
        "duckdb", description="Where analytics run: the embedded DuckDB file, or PySpark.")
    warehouse: Path | None = Field(
        None, description="PySpark: folder of the Parquet warehouse (default: beside the db, '<db>.warehouse').")
    spark_master: str = Field("local[2]", description="PySpark: the master URL.")
    spark_driver_memory: str = Field(
        "auto", pattern=r"^(auto|[0-9]+[kmgtKMGT])$",
        description="PySpark: the driver's memory (4g, 7800m; auto: a third of the machine's or the container's "
        "memory). In local mode the driver does all the work.")
    spark_remote: str | None = Field(
        None, description="PySpark: a Spark Connect URL (sc://host:15002) to run on a cluster instead of in "
        "this process; the warehouse must then be a folder the cluster sees at the same path.")
    memory_limit: str = Field("auto", description="DuckDB memory limit (auto: a third of the machine's or the "
                              "container's memory); larger work spills to disk.")
    threads: int | None = Field(None, ge=1, description="DuckDB threads (default: all cores).")
    retention_days: int | None = Field(
        None, ge=1, description="Purge audience-only accounts collected more than this many days ago.")
    max_errors: int = Field(50, ge=1, description="Problems collected before an import stops checking.")
    tier_scheme: str = Field("default", description="Tier scheme of figures and filters (default, five-tier, "
                             "agency-6, nano-micro, mediakix, percentile, or one of tier_schemes).")
    tier_schemes: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="Your own tier schemes: [tier_schemes.NAME] bands = {tier = lower bound}, "
        "optionally [tier_schemes.NAME.platforms.PLATFORM].")
    fake_model: Path | None = Field(None, description="The fake-account model: rules (the default: hand-set "
                                    "weights, trained on no data, free for any use), research (trained on "
                                    "InstaFake and research data: non-commercial use only), or a model file "
                                    "you trained (microscout model train).")
    competitors: list[str] = Field(default_factory=list, description="Competitor brand handles, for the "
                                   "competitor_partner flag.")
    topic_model: Literal["auto", "sentences", "words", "none"] = Field(
        "auto", description="Topic similarity for scout, when microscout[topic] is installed (built during "
        "analyze): sentences = each creator's text through a multilingual sentence model (20-40 ms a "
        "creator); words = the same model's word vectors, composed (thousands of creators a second); "
        "auto = sentences up to 2,000 creators, words beyond; none = keywords and hashtags only.")
    rate_card: dict[str, Any] = Field(
        default_factory=dict, description="Planner prices: per_1000_followers = {platform = USD}, formats = "
        "{post = 1.0, story = 0.5, reel = 1.3, video = 2.0}, minimum_fee (USD); see docs/planner.md.")
    reach_rates: dict[str, Any] = Field(
        default_factory=dict, description="Share of followers one post reaches: tiers = {nano = 0.25, ...}, "
        "platforms = {tiktok = 1.5, ...} (multipliers).")
    conversion_rates: dict[str, float] = Field(
        default_factory=dict, description="Share of reached people who buy, per tier of the default scheme.")
    exchange_rates: dict[str, float] = Field(
        default_factory=dict, description="Units of each currency per USD, e.g. {EUR = 0.92}; no network.")
    post_format: str = Field("post", description="The format the planner prices: post, story, reel or video.")
    plan_min_relevance: float = Field(0.25, ge=0, le=1, description="The planner spends only on creators whose "
                                      "relevance to the brief reaches this, or half the best candidate's when lower (when the "
                                      "brief asks for relevance).")
    plan_flags: dict[str, str] = Field(default_factory=dict, description="Per caution flag, exclude, penalise or "
                                       "allow in plans, over the defaults (inactive, private, competitor_partner and "
                                       "undisclosed_ads excluded; a brief's allow_flags wins).")
    plan_candidates: int = Field(300, ge=1, description="Creators the planner considers: scout's best for the "
                                 "brief.")
    plan_exact_max: int = Field(40, ge=0, description="The planner also solves exactly (an integer program) "
                                "when the shortlist has at most this many creators, and reports the greedy's gap.")
    account_links: list[list[str]] = Field(
        default_factory=list, description="Accounts of one person on several platforms, e.g. [[\"instagram:@lena.bakes\", "
        "\"tiktok:@lenabakes\"]]: the planner counts them as one creator.")
    link_suggestions: bool = Field(True, description="The planner also joins accounts that look like one person "
                                   "(a link to the other profile, the same bio link, or the same handle and name).")
    word_of_mouth: float = Field(0.0, ge=0, description="Planner: value of one person of expected word-of-mouth "
                                 "spread (independent cascade on the follow and mention graph) against one "
                                 "person reached directly; 0 leaves it out.")
    word_of_mouth_samples: int = Field(50_000, ge=100, description="Reverse-reachable sets drawn to estimate "
                                       "word of mouth.")

    emv_per_engagement: float = Field(0.10, ge=0, description="Campaign tracking: earned media value of one "
                                      "engagement (like, comment, share or save), in the brand's currency.")
    emv_per_1000_views: float = Field(5.0, ge=0, description="Campaign tracking: earned media value of 1,000 "
                                      "views.")
    instagram_access_token: SecretStr | None = Field(
        None, description="microscout collect instagram: a Graph API user access token (never logged or "
        "written to bundles; MICROSCOUT_INSTAGRAM_ACCESS_TOKEN).")
    instagram_user_id: str | None = Field(
        None, description="microscout collect instagram: the id of your own Instagram professional account, "
        "through which business discovery reads others.")
    youtube_api_key: SecretStr | None = Field(
        None, description="microscout collect youtube: a YouTube Data API v3 key (MICROSCOUT_YOUTUBE_API_KEY).")
    mastodon_access_token: SecretStr | None = Field(
        None, description="microscout collect mastodon: an access token, for instances that need one to list "
        "followers (optional).")
    allowed_hosts: list[str] = Field(default_factory=list, description="microscout serve: host names the "
                                     "server answers to besides loopback names, its own address and IP "
                                     "addresses (a guard against DNS rebinding), e.g. [\"scout.example.org\"].")
    language: str | None = Field(None, description="microscout serve: the dashboard's language (en, de, pl, da "
                                 "or nl) whatever the browser asks for; none (the default) follows the browser, "
                                 "else English. A language picked on a page wins over both.")
    connector_max_wait: float = Field(900.0, ge=0, description="microscout collect: the longest wait a rate "
                                      "limit may ask for, in seconds; beyond it the run stops (and resumes later).")

    @property
    def warehouse_path(self) -> Path:
        return self.warehouse or self.db.with_suffix(".warehouse")


def _settings_class(toml_file: Path | None) -> type[Settings]:
    class _FromFile(Settings):
        @classmethod
        def settings_customise_sources(
            cls,
            settings_cls: type[BaseSettings],
            init_settings: PydanticBaseSettingsSource,
            env_settings: PydanticBaseSettingsSource,
            dotenv_settings: PydanticBaseSettingsSource,
            file_secret_settings: PydanticBaseSettingsSource,
        ) -> tuple[PydanticBaseSettingsSource, ...]:
            sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
            if toml_file is not None:
                sources.append(_TomlSource(settings_cls, toml_file))
            return tuple(sources)

    return _FromFile


def read_toml(path: Path, what: str, error: type[MicroscoutError]) -> dict[str, Any]:
    """A TOML file as a dict; a missing file or bad TOML is one clear `error` naming the file."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        raise error(f"{path}: cannot read the {what}: {e.strerror}") from None
    except tomllib.TOMLDecodeError as e:
        raise error(f"{path}: is not valid TOML: {e}") from None


class _TomlSource(PydanticBaseSettingsSource):
    def __init__(self, settings_cls: type[BaseSettings], path: Path) -> None:
        super().__init__(settings_cls)
        self.path = path
        data = read_toml(path, "settings file", SettingsError)
        self.data: dict[str, Any] = data.get("microscout", data)

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self.data.get(field_name), field_name, False

    def __call__(self) -> dict[str, Any]:
        return dict(self.data)


def load_settings(config_file: str | Path | None = None, **flags: Any) -> Settings:
    """Settings from flags (None = not given), the environment and the settings file."""
    path: Path | None = Path(config_file) if config_file else None
    if path is None and os.environ.get("MICROSCOUT_CONFIG"):
        path = Path(os.environ["MICROSCOUT_CONFIG"])
    if path is None and DEFAULT_CONFIG_FILE.exists():
        path = DEFAULT_CONFIG_FILE
    given = {k: v for k, v in flags.items() if v is not None}
    try:
        return _settings_class(path)(**given)
    except ValidationError as e:
        err = e.errors()[0]
        key = ".".join(str(p) for p in err["loc"])
        where = f"{path}: " if path else ""
        value = err.get("input")
        if err["type"] == "extra_forbidden":
            raise SettingsError(f"{where}unknown setting '{key}': expected one of "
                                f"{', '.join(Settings.model_fields)}") from None
        raise SettingsError(f"{where}setting '{key}': {value!r} is not valid: {err['msg']}") from None
