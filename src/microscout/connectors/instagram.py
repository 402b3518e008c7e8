"""Instagram, through the Graph API's business discovery (Instagram API with Facebook Login).

Business discovery reads other Instagram *professional* accounts (business or creator) through
your own professional account: GET /{your-ig-user-id}?fields=business_discovery.username(NAME){...}.
It needs a Graph API user access token (MICROSCOUT_INSTAGRAM_ACCESS_TOKEN, sent as the
`access_token` query parameter) and your account's id (MICROSCOUT_INSTAGRAM_USER_ID).

What it fills:
- accounts: account_id (the IG user id), handle, display_name, bio, followers, following,
  posts_count, external_url, has_profile_pic (true when a picture URL comes back), is_business
  (true: only professional accounts can be read).
- posts: post_id, account_id, created_at, kind (from media_product_type and media_type),
  caption, likes (null when the owner hides like counts: the API then leaves like_count out),
  comments, url. hashtags and mentions are left to the importer, which takes them from the
  caption. The reference says captions read this way lose the '@' of their mentions, so
  mentions are mostly empty.

What it cannot fill: personal accounts (they answer as unknown); comments of others' media;
follows (no follower or following lists); snapshots of the past; views, shares and saves of
others' media; the paid-partnership label; audience breakdowns (insights are for your own
account only). `--search` and `--followers-of` have no business-discovery equivalent.

Rate limits: Graph API error codes 4, 17, 32, 613 and 80002 (HTTP 400/403) are retried like a
429, and the usage headers X-App-Usage / X-Business-Use-Case-Usage (percentages of the window)
are read after each reply: at 100 % the next call waits (estimated_time_to_regain_access
minutes where given).

Reference followed: Graph API v21.0 (tests/connectors/fixtures/instagram/README.md)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from microscout.connectors.base import CollectRequest, Connector, ConnectorError, member
from microscout.connectors.http import PoliteClient
from microscout.translations import N_

if TYPE_CHECKING:
    from microscout.config import Settings
    from microscout.connectors.job import CollectJob

#: IG User fields read through business discovery (reference: IG User, Fields)
ACCOUNT_FIELDS = ("id", "username", "name", "biography", "website", "followers_count", "follows_count",
                  "media_count", "profile_picture_url")
#: IG Media fields read through the `media` edge (reference: IG Media, Fields)
MEDIA_FIELDS = ("id", "caption", "comments_count", "like_count", "media_type", "media_product_type",
                "permalink", "timestamp")
#: media per page: the Graph API's default page size; a page may hold fewer (filtering)
PAGE_SIZE = 25

TOKEN_INVALID = 190
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, 80002})
TRANSIENT_CODES = frozenset({1, 2})  # "API Unknown" / "API Service": temporary, retry
UNKNOWN_USER_CODE = 110  # "Invalid user id"
UNKNOWN_USER_SUBCODE = 2207013  # "Cannot find User": no such username, or not a professional account
PERMISSION_CODES = frozenset({10, 200})
#: a full X-App-Usage gives no time to wait: platform limits are a rolling hour; wait a while, then retry
APP_USAGE_FULL_WAIT = 300.0
USERNAME = re.compile(r"[a-z0-9._]{1,30}")

KINDS = {"CAROUSEL_ALBUM": "carousel", "IMAGE": "photo", "VIDEO": "video"}
SURFACE_KINDS = {"REELS": "reel", "STORY": "story"}


def account_fields(handle: str, posts: int) -> str:
    """The business discovery field expression for an account and its first page of media."""
    fields = ",".join(ACCOUNT_FIELDS)
    if posts > 0:
        fields += f",media.limit({min(posts, PAGE_SIZE)}){{{','.join(MEDIA_FIELDS)}}}"
    return f"business_discovery.username({handle}){{{fields}}}"


def media_fields(handle: str, cursor: str, posts: int) -> str:
    """The field expression for the page of media after `cursor` (the id keeps rows attributable)."""
    return (f"business_discovery.username({handle}){{id,media.after({cursor}).limit({min(posts, PAGE_SIZE)})"
            f"{{{','.join(MEDIA_FIELDS)}}}}}")


def usage_wait(headers: Mapping[str, str]) -> tuple[float, str] | None:
    """Seconds to wait before the next call when a usage header reports a share at 100 %."""
    waits: list[tuple[float, str]] = []
    app = _json_header(headers.get("x-app-usage"))
    if isinstance(app, dict) and _full(app):
        waits.append((APP_USAGE_FULL_WAIT, "X-App-Usage at 100 %"))
    buc = _json_header(headers.get("x-business-use-case-usage"))
    if isinstance(buc, dict):
        for entries in buc.values():
            for entry in entries if isinstance(entries, list) else []:
                if isinstance(entry, dict) and _full(entry):
                    minutes = _number(entry.get("estimated_time_to_regain_access"))
                    wait = minutes * 60 if minutes else APP_USAGE_FULL_WAIT
                    waits.append((wait, "X-Business-Use-Case-Usage at 100 %"))
    return max(waits) if waits else None


def _json_header(value: str | None) -> Any:
    if not value:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return None  # an unreadable usage header is no reason to stop a run


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _full(usage: Mapping[str, Any]) -> bool:
    return any((_number(usage.get(k)) or 0) >= 100 for k in ("call_count", "total_time", "total_cputime"))


def graph_error(body: Any) -> dict[str, Any]:
    """The `error` object of a Graph API refusal ({} when the body has none)."""
    return member(body, "error")


def is_unknown_user(error: Mapping[str, Any]) -> bool:
    return error.get("error_subcode") == UNKNOWN_USER_SUBCODE or error.get("code") == UNKNOWN_USER_CODE


def retryable(status: int, body: Any) -> bool:
    """Graph API rate limits and temporary errors come as HTTP 400/403 with an error code."""
    error = graph_error(body)
    return error.get("code") in RATE_LIMIT_CODES | TRANSIENT_CODES or error.get("is_transient") is True


def timestamp(value: Any) -> str | None:
    """ISO 8601 in UTC with Z, from the Graph API's `2026-11-02T10:15:00+0000`."""
    if not isinstance(value, str):
        return None
    try:
        at = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        try:
            at = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


def post_kind(media: Mapping[str, Any]) -> str | None:
    """Reels and stories by their surface (media_product_type), the rest by media_type."""
    return SURFACE_KINDS.get(str(media.get("media_product_type"))) or KINDS.get(str(media.get("media_type")))


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


class InstagramConnector(Connector):
    platform = "instagram"
    default_service_url = "https://graph.facebook.com/v21.0"
    fills: ClassVar[dict[str, str]] = {
        "accounts": "handle, display_name, bio, followers, following, posts_count, external_url, "
                    "has_profile_pic, is_business (professional accounts only)",
        "posts": "created_at, kind, caption, likes (unless hidden), comments, url; hashtags and mentions "
                 "from the caption",
    }

    def __init__(self, settings: Settings, request: CollectRequest) -> None:
        super().__init__(settings, request)
        if request.search or request.followers_of:
            way = "--search" if request.search else "--followers-of"
            raise ConnectorError(f"instagram: {way} is not possible with the Graph API's business discovery, "
                                 "which reads only accounts named by their username: list them in a file and "
                                 "use --handles FILE")
        token = settings.instagram_access_token
        self._token = token.get_secret_value() if token is not None else ""
        self.user_id = (settings.instagram_user_id or "").strip()
        missing = [env for value, env in ((self._token, "MICROSCOUT_INSTAGRAM_ACCESS_TOKEN"),
                                          (self.user_id, "MICROSCOUT_INSTAGRAM_USER_ID")) if not value]
        if missing:
            raise ConnectorError(
                f"instagram: set {' and '.join(missing)} (or instagram_access_token / instagram_user_id in the "
                "settings file): a Graph API user access token and the id of your own Instagram professional "
                "account, through which business discovery reads others")
        #: how waits are slept (tests record them instead)
        self.sleep: Callable[[float], None] = time.sleep
        self._job: CollectJob | None = None
        self._handle = ""
        self._refusal: dict[str, Any] = {}
        self._pending_wait: tuple[float, str] | None = None
        self._account_id = ""

    def client(self) -> PoliteClient:
        return PoliteClient(self.service_url, platform=self.platform, params={"access_token": self._token},
                            max_wait=self.settings.connector_max_wait, describe_error=self._describe,
                            rate_limited=retryable, sleep=self.sleep)

    # collection ------------------------------------------------------------------------------
    def collect(self, job: CollectJob, client: PoliteClient) -> None:
        self._job = job
        handles = self._handles(job)
        advance = job.stage(N_("accounts"), len(handles))
        for handle in handles:
            if not job.is_done(f"account:{handle}"):
                self._collect_account(job, client, handle)
            advance(1)
        found = [h for h in handles if not job.is_done(f"missing:{h}")]
        if not found:
            raise ConnectorError(f"instagram: none of the {len(handles)} handles is a professional (business or "
                                 f"creator) account that business discovery can read: {', '.join(handles)}")

    def _handles(self, job: CollectJob) -> list[str]:
        handles: list[str] = []
        for raw in self.request.handles:
            handle = raw.strip().lstrip("@").lower()
            if handle in handles:
                continue
            # a name outside the username alphabet could break the field expression: never sent
            if not USERNAME.fullmatch(handle) and not job.is_done(f"missing:{handle}"):
                job.note(f"{raw!r} is not an Instagram username (letters, digits, '.' and '_', up to 30): skipped")
                job.mark_done(f"missing:{handle}")
                job.mark_done(f"account:{handle}")
            handles.append(handle)
        return handles

    def _collect_account(self, job: CollectJob, client: PoliteClient, handle: str) -> None:
        self._handle = handle
        try:
            if self.request.posts == 0:
                self._account(job, self._discover(client, account_fields(handle, 0)))
            else:
                fetch = self._media_pages(job, client, handle)
                for items in job.paginate(f"media:{handle}", fetch, limit=self.request.posts):
                    job.emit("posts", [self._post(m) for m in items])
        except ConnectorError:
            if not is_unknown_user(self._refusal):
                raise
            job.note(f"@{handle}: no professional (business or creator) Instagram account has this username, "
                     "or it is personal or age-restricted: skipped")
            job.mark_done(f"missing:{handle}")
        job.mark_done(f"account:{handle}")

    def _media_pages(self, job: CollectJob, client: PoliteClient,
                     handle: str) -> Callable[[str | None], tuple[list[Any], str | None]]:
        def fetch(cursor: str | None) -> tuple[list[Any], str | None]:
            if cursor is None:
                found = self._discover(client, account_fields(handle, self.request.posts))
                self._account(job, found)
            else:
                found = self._discover(client, media_fields(handle, cursor, self.request.posts))
            self._account_id = self._id(found.get("id"), "business_discovery.id")
            return self._media_page(found)

        return fetch

    def _discover(self, client: PoliteClient, fields: str) -> dict[str, Any]:
        """One business discovery call; waits first if the last reply's usage headers said so."""
        if self._pending_wait is not None:
            self._wait(*self._pending_wait)
            self._pending_wait = None
        self._refusal = {}
        body, headers = client.get_with_headers(self.user_id, {"fields": fields})
        self._pending_wait = usage_wait(headers)
        found = body.get("business_discovery") if isinstance(body, dict) else None
        if not isinstance(found, dict):
            raise ConnectorError(f"instagram: the reply for @{self._handle} holds no business_discovery object "
                                 "(Graph API reference: IG User business_discovery): nothing was imported")
        return found

    def _wait(self, seconds: float, why: str) -> None:
        if seconds > self.settings.connector_max_wait:
            raise ConnectorError(f"instagram: the API asks to wait {seconds:.0f} s ({why}), longer than "
                                 f"{self.settings.connector_max_wait:.0f} s: run the same command again later, "
                                 "it resumes")
        if self._job is not None:
            self._job.note(f"waiting {seconds:.0f} s: {why}")
        self.sleep(seconds)

    def _media_page(self, found: Mapping[str, Any]) -> tuple[list[Any], str | None]:
        media = found.get("media") or {}
        items = media.get("data") if isinstance(media, dict) else None
        if not isinstance(items, list):
            raise ConnectorError(f"instagram: the media of @{self._handle} are not a list under media.data as the "
                                 "Graph API reference documents: nothing was imported")
        paging = member(media, "paging")
        cursors = member(paging, "cursors")
        after = cursors.get("after")
        # business discovery pages with cursors only (no `next` link): no `after` is the last page
        return items, after if isinstance(after, str) and after else None

    # rows ------------------------------------------------------------------------------------
    def _account(self, job: CollectJob, found: Mapping[str, Any]) -> None:
        picture = found.get("profile_picture_url")
        job.emit("accounts", {
            "platform": self.platform,
            "account_id": self._id(found.get("id"), "business_discovery.id"),
            "handle": found.get("username") or self._handle,
            "display_name": found.get("name") or None,
            "bio": found.get("biography") or None,
            "followers": _count(found.get("followers_count")),
            "following": _count(found.get("follows_count")),
            "posts_count": _count(found.get("media_count")),
            "external_url": found.get("website") or None,
            # a URL says there is a picture; its absence says nothing
            "has_profile_pic": True if picture else None,
            "is_business": True,
        })

    def _post(self, media: Any) -> dict[str, Any]:
        if not isinstance(media, dict):
            raise ConnectorError(f"instagram: a media item of @{self._handle} is not an object: nothing was imported")
        post_id = self._id(media.get("id"), "media.id")
        created_at = timestamp(media.get("timestamp"))
        if created_at is None:
            raise ConnectorError(f"instagram: media {post_id} of @{self._handle} has no readable timestamp "
                                 f"({media.get('timestamp')!r}, expected like 2026-11-02T10:15:00+0000): "
                                 "nothing was imported")
        return {
            "platform": self.platform,
            "post_id": post_id,
            "account_id": self._account_id,
            "created_at": created_at,
            "kind": post_kind(media),
            "caption": media.get("caption") or None,
            "likes": _count(media.get("like_count")),  # left out by the API when the owner hides likes
            "comments": _count(media.get("comments_count")),
            "url": media.get("permalink") or None,
        }

    def _id(self, value: Any, field: str) -> str:
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, str) and value:
            return value
        raise ConnectorError(f"instagram: the reply for @{self._handle} has no {field}: nothing was imported")

    # errors ----------------------------------------------------------------------------------
    def _describe(self, status: int, body: Any) -> str | None:
        error = graph_error(body)
        self._refusal = error
        if not error:
            return None
        code, message = error.get("code"), self._scrub(str(error.get("message") or ""))
        said = f"Graph API code {code}" + (f": {message}" if message else "")
        if code == TOKEN_INVALID:
            return (f"the access token is invalid or expired ({said}): set a fresh one in "
                    "MICROSCOUT_INSTAGRAM_ACCESS_TOKEN")
        if is_unknown_user(error):
            return f"no professional Instagram account named @{self._handle} ({said})"
        if code in RATE_LIMIT_CODES:
            return (f"the rate limit is still reached after several tries ({said}): run the same command again "
                    "later, it resumes")
        if code in PERMISSION_CODES:
            return (f"the token may not use business discovery ({said}): it needs instagram_basic, "
                    "instagram_manage_insights and pages_read_engagement")
        if code in (100, 803):
            return (f"HTTP {status} ({said}): check MICROSCOUT_INSTAGRAM_USER_ID (the id of your own Instagram "
                    "professional account) and --service-url")
        return f"HTTP {status} ({said})"

    def _scrub(self, text: str) -> str:
        """Meta's messages never hold the token; this keeps it that way if one ever did."""
        return text.replace(self._token, "***") if self._token else text
