"""The bundle tables of the microscout contract (SCHEMA.md, version 1) as data.

Everything that validates, stores or documents a bundle reads these declarations, so a
column is described once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["id", "str", "int", "bool", "ts", "list", "share", "platform",
                     "country", "language", "enum"]

PLATFORMS = (
    "instagram", "tiktok", "youtube", "x", "facebook", "linkedin", "bluesky",
    "mastodon", "threads", "twitch", "pinterest", "blog", "other",
)
POST_KINDS = ("photo", "video", "reel", "short", "story", "text", "carousel", "live", "article")
AUDIENCE_DIMENSIONS = ("country", "city", "language", "gender", "age")
GENDERS = ("female", "male", "other")
AGE_BANDS = ("13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")

# What each type expects, in the words of an error message.
EXPECTED = {
    "id": "an identifier",
    "str": "text",
    "int": "a whole number ≥ 0",
    "bool": "true/false/1/0/yes/no",
    "ts": "an ISO 8601 timestamp",
    "list": "a list of words",
    "share": "a fraction between 0 and 1",
    "platform": "one of " + ", ".join(PLATFORMS),
    "country": "an ISO 3166-1 alpha-2 country code",
    "language": "an ISO 639-1 language code",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    required: bool = False
    choices: tuple[str, ...] = ()

    @property
    def expected(self) -> str:
        if self.type == "enum":
            return "one of " + ", ".join(self.choices)
        return EXPECTED[self.type]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    # (column, referenced table, referenced column): must exist in this bundle or the workspace.
    references: tuple[tuple[str, str, str], ...] = ()
    has_own_collected_at: bool = False
    notes: dict[str, str] = field(default_factory=dict)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


def _c(name: str, type_: ColumnType, required: bool = False, choices: tuple[str, ...] = ()) -> Column:
    return Column(name, type_, required, choices)


ACCOUNTS = Table(
    "accounts",
    (
        _c("platform", "platform", True), _c("account_id", "id", True), _c("handle", "str", True),
        _c("display_name", "str"), _c("bio", "str"), _c("followers", "int", True),
        _c("following", "int"), _c("posts_count", "int"), _c("verified", "bool"),
        _c("is_business", "bool"), _c("is_private", "bool"), _c("has_profile_pic", "bool"),
        _c("external_url", "str"), _c("location", "str"), _c("country", "country"),
        _c("city", "str"), _c("language", "language"), _c("category", "str"),
        _c("created_at", "ts"), _c("collected_at", "ts"), _c("contact", "str"),
    ),
    key=("platform", "account_id"),
    has_own_collected_at=True,
)

SNAPSHOTS = Table(
    "snapshots",
    (
        _c("platform", "platform", True), _c("account_id", "id", True), _c("at", "ts", True),
        _c("followers", "int", True), _c("following", "int"), _c("posts_count", "int"),
    ),
    key=("platform", "account_id", "at"),
)

POSTS = Table(
    "posts",
    (
        _c("platform", "platform", True), _c("post_id", "id", True), _c("account_id", "id", True),
        _c("created_at", "ts", True), _c("kind", "enum", choices=POST_KINDS), _c("caption", "str"),
        _c("hashtags", "list"), _c("mentions", "list"), _c("likes", "int"), _c("comments", "int"),
        _c("shares", "int"), _c("saves", "int"), _c("views", "int"), _c("url", "str"),
        _c("location", "str"), _c("language", "language"), _c("is_paid_partnership", "bool"),
    ),
    key=("platform", "post_id"),
    references=(("account_id", "accounts", "account_id"),),
)

COMMENTS = Table(
    "comments",
    (
        _c("platform", "platform", True), _c("comment_id", "id", True), _c("post_id", "id", True),
        _c("author_id", "id", True), _c("author_handle", "str"), _c("created_at", "ts"),
        _c("text", "str"), _c("likes", "int"), _c("reply_to", "id"),
    ),
    key=("platform", "comment_id"),
    references=(("post_id", "posts", "post_id"),),
)

FOLLOWS = Table(
    "follows",
    (
        _c("platform", "platform", True), _c("follower_id", "id", True),
        _c("followee_id", "id", True), _c("followed_at", "ts"),
    ),
    key=("platform", "follower_id", "followee_id"),
)

AUDIENCE = Table(
    "audience",
    (
        _c("platform", "platform", True), _c("account_id", "id", True),
        _c("dimension", "enum", True, AUDIENCE_DIMENSIONS), _c("value", "str", True),
        _c("share", "share", True),
    ),
    key=("platform", "account_id", "dimension", "value"),
)

TABLES: dict[str, Table] = {t.name: t for t in (ACCOUNTS, SNAPSHOTS, POSTS, COMMENTS, FOLLOWS, AUDIENCE)}

# Import order: referenced tables first.
IMPORT_ORDER = ("accounts", "snapshots", "posts", "comments", "follows", "audience")

FILE_FORMATS = ("csv", "jsonl", "parquet")
