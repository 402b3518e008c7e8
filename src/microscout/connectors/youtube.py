"""YouTube: channels, their recent uploads and a sample of comment threads from the YouTube Data
API v3, read with the user's own API key (settings `youtube_api_key`, env MICROSCOUT_YOUTUBE_API_KEY).

What the API fills: accounts (a channel: subscribers, video count, country, default language,
creation date), posts (its uploads: views, likes, comment count, duration, the paid-promotion
label) and comments (top-level comments and the replies each thread carries, with their authors'
channel ids, so the creator's own answers can be told apart).

What it cannot: follower lists (YouTube lists no channel's subscribers, so `--followers-of` is
refused and the follows table stays empty), a channel's subscriptions count, a verified badge,
shares and saves, audience breakdowns (those need YouTube Analytics and the owner's consent), and
the subscribers of a channel that hides its count (such a channel is skipped: a bundle account
needs `followers`, and zero would be a lie). Every request costs quota units from the key's
daily 10,000 (a search 100, the rest 1); a spent quota stops the run, which resumes tomorrow."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from microscout.connectors.base import CollectRequest, Connector, ConnectorError, as_object
from microscout.connectors.http import PoliteClient
from microscout.translations import N_

if TYPE_CHECKING:
    from microscout.config import Settings
    from microscout.connectors.job import CollectJob

PLATFORM = "youtube"
KEY_HELP = ("set youtube_api_key in the settings file or MICROSCOUT_YOUTUBE_API_KEY in the environment "
            "(a YouTube Data API v3 key: https://console.cloud.google.com/apis/credentials)")
CHANNEL_ID = re.compile(r"UC[0-9A-Za-z_-]{22}")
CHANNEL_URL = re.compile(r"(?:https?://)?(?:www\.|m\.)?youtube\.com/(?:channel/(UC[0-9A-Za-z_-]{22})|(@[^/?#\s]+))",
                         re.IGNORECASE)
DURATION = re.compile(r"P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?")
TAG = re.compile(r"<[^>]+>")
SHORT_MAX_SECONDS = 60  # the rule for kind "short": the API has no Shorts flag (docs/connectors/youtube.md)
IDS_PER_CALL = 50  # channels.list and videos.list take at most 50 ids
THREADS_PER_VIDEO = 200  # comment threads per video: two pages of 100
CHANNEL_PARTS = "snippet,statistics,contentDetails"
VIDEO_PARTS = "snippet,statistics,contentDetails,status,paidProductPlacementDetails"
RETRIED_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})


class YouTubeRefusal(ConnectorError):
    """A refusal the connector steps around (comments disabled, a video or playlist gone), raised
    from the client's error hook so that the reason survives; `reasons` are Google's own."""

    def __init__(self, message: str, status: int | None, reasons: tuple[str, ...]) -> None:
        super().__init__(message)
        self.status = status
        self.reasons = reasons


# reading the API's values ------------------------------------------------------------------------
def parse_handle(line: str) -> tuple[str, str]:
    """("id", UC...) or ("handle", @name) from a handle, a channel id or a channel URL."""
    text = line.strip()
    if match := CHANNEL_URL.match(text):
        text = match.group(1) or match.group(2)
    if CHANNEL_ID.fullmatch(text):
        return "id", text
    return "handle", "@" + text.lstrip("@")


def duration_seconds(value: Any) -> float | None:
    """Seconds in an ISO 8601 duration as contentDetails.duration gives it (PT1M3S, P0D, P1DT2H)."""
    if not isinstance(value, str) or not (match := DURATION.fullmatch(value)) or value in ("P", "PT"):
        return None
    weeks, days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return (((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds


def language_code(value: Any) -> str | None:
    """The ISO 639-1 part of a BCP-47 tag (en-GB -> en); None for codes without one (zxx, yue)."""
    if not isinstance(value, str):
        return None
    primary = value.split("-")[0].split("_")[0].lower()
    return primary if re.fullmatch(r"[a-z]{2}", primary) else None


def count(value: Any) -> int | None:
    """A count: the API writes uint64 as decimal strings; absent means hidden, so unknown."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return None


def items_of(body: Any, what: str) -> list[dict[str, Any]]:
    """The `items` of a list reply (absent when nothing matched); anything else is not the
    documented shape and stops the run before a wrong bundle is written."""
    if not isinstance(body, dict) or not isinstance(body.get("items", []), list):
        raise ConnectorError(f"{PLATFORM}: the {what} reply is not a {what} list as the API reference documents "
                             "(check --service-url); nothing was imported")
    return [item for item in body.get("items", []) if isinstance(item, dict)]


def next_token(body: Any) -> str | None:
    token = body.get("nextPageToken") if isinstance(body, dict) else None
    return token if isinstance(token, str) and token else None


# mapping onto bundle rows --------------------------------------------------------------------------
def account_row(channel: dict[str, Any]) -> dict[str, Any]:
    snippet, stats = as_object(channel.get("snippet")), as_object(channel.get("statistics"))
    custom = snippet.get("customUrl")
    thumbnails = as_object(snippet.get("thumbnails"))
    return {
        "platform": PLATFORM, "account_id": channel["id"],
        # every channel has a handle now; a missing customUrl falls back to the id, never to null
        "handle": custom.lstrip("@").lower() if isinstance(custom, str) and custom else channel["id"],
        "display_name": snippet.get("title"), "bio": snippet.get("description") or None,
        "followers": count(stats.get("subscriberCount")), "posts_count": count(stats.get("videoCount")),
        "country": snippet.get("country"), "language": language_code(snippet.get("defaultLanguage")),
        "created_at": snippet.get("publishedAt"),
        # YouTube draws a letter avatar for a channel without a picture: thumbnails cannot tell them apart
        "has_profile_pic": True if any(as_object(t).get("url") for t in thumbnails.values()) else None,
    }


def post_kind(video: dict[str, Any]) -> str:
    if as_object(video.get("snippet")).get("liveBroadcastContent") in ("live", "upcoming"):
        return "live"
    seconds = duration_seconds(as_object(video.get("contentDetails")).get("duration"))
    return "short" if seconds is not None and 0 < seconds <= SHORT_MAX_SECONDS else "video"


def post_row(video: dict[str, Any], account_id: str) -> dict[str, Any]:
    snippet, stats = as_object(video.get("snippet")), as_object(video.get("statistics"))
    title, description = snippet.get("title") or "", snippet.get("description") or ""
    paid = as_object(video.get("paidProductPlacementDetails")).get("hasPaidProductPlacement")
    # no hashtags/mentions columns: the importer takes them from the caption (title and description);
    # snippet.tags are hidden search keywords, not hashtags
    return {
        "platform": PLATFORM, "post_id": video["id"], "account_id": account_id,
        "created_at": snippet.get("publishedAt"), "kind": post_kind(video),
        "caption": "\n".join(part for part in (title, description) if part) or None,
        "views": count(stats.get("viewCount")), "likes": count(stats.get("likeCount")),
        "comments": count(stats.get("commentCount")), "url": f"https://www.youtube.com/watch?v={video['id']}",
        "language": language_code(snippet.get("defaultAudioLanguage")) or language_code(snippet.get("defaultLanguage")),
        "is_paid_partnership": paid if isinstance(paid, bool) else None,
    }


def comment_row(comment: dict[str, Any], post_id: str, reply_to: str | None) -> dict[str, Any] | None:
    """None for a comment without an author channel (the bundle needs author_id)."""
    snippet = as_object(comment.get("snippet"))
    author_id = as_object(snippet.get("authorChannelId")).get("value")
    if not isinstance(author_id, str) or not author_id or not isinstance(comment.get("id"), str):
        return None
    name = snippet.get("authorDisplayName")
    text = snippet.get("textOriginal")
    return {
        "platform": PLATFORM, "comment_id": comment["id"], "post_id": post_id, "author_id": author_id,
        # authorDisplayName is the @handle for channels that have one, else a free display name
        "author_handle": name[1:].lower() if isinstance(name, str) and name.startswith("@") else None,
        "created_at": snippet.get("publishedAt"),
        "text": text if isinstance(text, str) else snippet.get("textDisplay"),
        "likes": count(snippet.get("likeCount")), "reply_to": reply_to,
    }


def thread_rows(thread: dict[str, Any], post_id: str) -> list[dict[str, Any]]:
    """The top-level comment and the replies the thread carries (the API includes a few of them)."""
    top = as_object(as_object(thread.get("snippet")).get("topLevelComment"))
    top_id = top.get("id") or thread.get("id")
    rows = [comment_row({**top, "id": top_id}, post_id, None)]
    rows += [comment_row(reply, post_id, top_id) for reply in as_object(thread.get("replies")).get("comments") or []
             if isinstance(reply, dict)]
    return [row for row in rows if row is not None]


# refusals ------------------------------------------------------------------------------------------
def google_error(body: Any) -> tuple[tuple[str, ...], str]:
    """(reasons, message) of a Google API error reply: errors[].reason and details[].reason."""
    error = as_object(as_object(body).get("error"))
    reasons = [as_object(e).get("reason") for e in error.get("errors") or []]
    reasons += [as_object(d).get("reason") for d in error.get("details") or []]
    message = error.get("message")
    message = message if isinstance(message, str) else ""
    text = " ".join(html.unescape(TAG.sub("", message)).split())[:300]
    return tuple(r for r in reasons if isinstance(r, str)), text


def rate_limited(status: int, body: Any) -> bool:
    """403 rateLimitExceeded is YouTube's 'slow down'; quotaExceeded is not (it lasts until midnight PT)."""
    return status == 403 and bool(RETRIED_REASONS.intersection(google_error(body)[0]))


def describe_error(status: int, body: Any) -> str | None:
    reasons, message = google_error(body)
    if "keyInvalid" in reasons or "API_KEY_INVALID" in reasons or message.startswith("API key not valid"):
        return f"the API key is not valid: {KEY_HELP}"
    if "quotaExceeded" in reasons:
        return ("the API key's daily quota is spent (10,000 units; a search costs 100, other calls 1; it resets "
                "at midnight Pacific Time): run the same command again tomorrow, it resumes where it stopped")
    if {"accessNotConfigured", "SERVICE_DISABLED"}.intersection(reasons):
        return "the YouTube Data API v3 is not enabled for the key's Google Cloud project: enable it in the console"
    if "commentsDisabled" in reasons or (status == 404 and reasons):
        raise YouTubeRefusal(f"{PLATFORM}: HTTP {status} {', '.join(reasons)}: {message}", status, reasons)
    if reasons:
        return f"HTTP {status} {reasons[0]}: {message}"
    return None


# the connector -------------------------------------------------------------------------------------
class YouTubeConnector(Connector):
    platform: ClassVar[str] = PLATFORM
    default_service_url: ClassVar[str] = "https://www.googleapis.com/youtube/v3"
    fills: ClassVar[dict[str, str]] = {
        "accounts": "channels: subscribers, video count, country, language, created_at (channels hiding their "
                    "subscriber count are skipped)",
        "posts": "recent uploads: views, likes (null when hidden), comment count, kind (short <= 60 s, video, "
                 "live), paid-promotion label; hashtags and mentions from title and description",
        "comments": "top-level comments and the replies their threads carry, on the newest --comments videos",
        "follows": "none: YouTube lists no channel's subscribers",
        "audience": "none: needs YouTube Analytics and the channel owner's consent",
    }

    def __init__(self, settings: Settings, request: CollectRequest) -> None:
        super().__init__(settings, request)
        # refused before the run makes a folder or spends quota
        if request.followers_of:
            raise ConnectorError(f"{PLATFORM}: --followers-of is not possible: the YouTube Data API lists no "
                                 "channel's subscribers; name channels with --handles or --search")
        secret = settings.youtube_api_key
        self._key = secret.get_secret_value().strip() if secret is not None else ""
        if not self._key:
            raise ConnectorError(f"{PLATFORM}: no API key: {KEY_HELP}")

    def client(self) -> PoliteClient:
        return PoliteClient(self.service_url, platform=PLATFORM, params={"key": self._key},
                            max_wait=self.settings.connector_max_wait, describe_error=self._describe_error,
                            rate_limited=rate_limited)

    def _describe_error(self, status: int, body: Any) -> str | None:
        # Google does not echo the key, but a proxy might: never let it reach a message
        try:
            text = describe_error(status, body)
        except YouTubeRefusal as refusal:
            raise YouTubeRefusal(str(refusal).replace(self._key, "***"), refusal.status, refusal.reasons) from None
        return text.replace(self._key, "***") if text else text

    def collect(self, job: CollectJob, client: PoliteClient) -> None:
        channels = self._channels(job, client)
        advance = job.stage(N_("uploads"), len(channels))
        for channel in channels:
            self._uploads(job, client, channel)
            advance(1)
        advance = job.stage(N_("comments"), len(channels))
        for channel in channels:
            for video_id in job.records(f"comment_videos:{channel['id']}"):
                self._comments(job, client, video_id)
            advance(1)

    # channels --------------------------------------------------------------------------------------
    def _channels(self, job: CollectJob, client: PoliteClient) -> list[dict[str, Any]]:
        """Summaries {id, uploads, name} of the channels to collect, in the order asked; their
        account rows are emitted as each is looked up."""
        if self.request.search:
            ids = job.remember("search", lambda: self._search(client))
            wanted = [("id", i) for i in ids]
        else:
            wanted = list(dict.fromkeys(parse_handle(h) for h in self.request.handles))
        found: dict[tuple[str, str], list[dict[str, Any]]] = {}
        advance = job.stage(N_("channels"), len(wanted))
        for way, value in wanted:
            if way == "handle":
                found[(way, value)] = job.remember(f"handle:{value.lower()}", partial(
                    self._lookup, job, client, {"forHandle": value}, [value]))
                advance(1)
        ids = [value for way, value in wanted if way == "id"]
        for start in range(0, len(ids), IDS_PER_CALL):
            batch = ids[start:start + IDS_PER_CALL]
            for summary in job.remember(f"ids:{','.join(batch)}", partial(
                    self._lookup, job, client, {"id": ",".join(batch)}, batch)):
                found[("id", summary["id"])] = [summary]
            advance(len(batch))
        channels = list({s["id"]: s for key in wanted for s in found.get(key, [])}.values())
        if not channels:
            names = ", ".join(value for _, value in wanted)
            raise ConnectorError(f"{PLATFORM}: no channel to collect: none of {names} was found with its "
                                 "subscriber count public (a handle is @name, an id UC...)")
        return channels

    def _search(self, client: PoliteClient) -> list[str]:
        """Channel ids matching the search, up to --max-accounts (each page costs 100 quota units)."""
        ids: list[str] = []
        token = None
        while len(ids) < self.request.max_accounts:
            body = client.get("search", {"part": "snippet", "type": "channel", "q": self.request.search,
                                         "maxResults": min(IDS_PER_CALL, self.request.max_accounts - len(ids)),
                                         "pageToken": token})
            found = [cid for item in items_of(body, "search")
                     if isinstance(cid := as_object(item.get("id")).get("channelId"), str)]
            ids += [cid for cid in found if cid not in ids]
            token = next_token(body)
            if not found or token is None:
                break
        return ids[: self.request.max_accounts]

    def _lookup(self, job: CollectJob, client: PoliteClient, query: dict[str, str],
                asked: list[str]) -> list[dict[str, Any]]:
        """channels.list for a handle or a batch of ids: emits the accounts, notes what is missing."""
        try:
            body = client.get("channels", {"part": CHANNEL_PARTS, **query})
        except YouTubeRefusal:
            body = {}
        channels = [c for c in items_of(body, "channels") if isinstance(c.get("id"), str)]
        seen = {c["id"] for c in channels}
        for name in asked:
            if not seen if "forHandle" in query else name not in seen:
                job.note(f"no channel {name}: skipped (check the handle or id)")
        return [s for c in channels if (s := self._account(job, c)) is not None]

    def _account(self, job: CollectJob, channel: dict[str, Any]) -> dict[str, Any] | None:
        row = account_row(channel)
        stats = as_object(channel.get("statistics"))
        if stats.get("hiddenSubscriberCount") is True or row["followers"] is None:
            job.note(f"{row['handle']} hides its subscriber count: skipped (a bundle account needs followers)")
            return None
        job.emit("accounts", row)
        uploads = as_object(as_object(channel.get("contentDetails")).get("relatedPlaylists")).get("uploads")
        return {"id": channel["id"], "uploads": uploads if isinstance(uploads, str) else None,
                "name": row["handle"]}

    # uploads ---------------------------------------------------------------------------------------
    def _uploads(self, job: CollectJob, client: PoliteClient, channel: dict[str, Any]) -> None:
        """The newest --posts uploads, a playlist page at a time, each page's videos fetched whole."""
        if not channel["uploads"]:
            job.note(f"{channel['name']} lists no uploads playlist: no posts")
            return
        seen = job.state.setdefault("youtube_videos_seen", {})

        def fetch(token: str | None) -> tuple[list[str], str | None]:
            try:
                body = client.get("playlistItems", {"part": "contentDetails", "playlistId": channel["uploads"],
                                                    "maxResults": IDS_PER_CALL, "pageToken": token})
            except YouTubeRefusal as refusal:
                if refusal.status != 404:
                    raise
                job.note(f"{channel['name']} has no public uploads (playlist not found): no posts")
                return [], None
            ids = [v for item in items_of(body, "playlistItems")
                   if isinstance(v := as_object(item.get("contentDetails")).get("videoId"), str)]
            return ids, next_token(body)

        for video_ids in job.paginate(f"uploads:{channel['id']}", fetch, limit=self.request.posts):
            for video in self._videos(client, video_ids):
                row = post_row(video, channel["id"])
                if row["created_at"] is None:
                    continue  # not a published video: a post needs its time
                job.emit("posts", row)
                # the newest --comments videos are sampled; those with no comments to read cost nothing
                if seen.get(channel["id"], 0) < self.request.comments and _has_comments(video):
                    job.record(f"comment_videos:{channel['id']}", [video["id"]])
                seen[channel["id"]] = seen.get(channel["id"], 0) + 1

    def _videos(self, client: PoliteClient, video_ids: list[str]) -> Iterator[dict[str, Any]]:
        """The videos, in the playlist's order (a private or deleted one is left out by the API)."""
        for start in range(0, len(video_ids), IDS_PER_CALL):
            batch = video_ids[start:start + IDS_PER_CALL]
            body = client.get("videos", {"part": VIDEO_PARTS, "id": ",".join(batch)})
            by_id = {v["id"]: v for v in items_of(body, "videos") if isinstance(v.get("id"), str)}
            yield from (by_id[v] for v in batch if v in by_id)

    # comments --------------------------------------------------------------------------------------
    def _comments(self, job: CollectJob, client: PoliteClient, video_id: str) -> None:
        def fetch(token: str | None) -> tuple[list[dict[str, Any]], str | None]:
            try:
                body = client.get("commentThreads", {"part": "snippet,replies", "videoId": video_id,
                                                     "maxResults": 100, "textFormat": "plainText",
                                                     "pageToken": token})
            except YouTubeRefusal as refusal:
                if "commentsDisabled" not in refusal.reasons and refusal.status != 404:
                    raise
                return [], None  # comments turned off (or the video gone) since it was listed: nothing to read
            return items_of(body, "commentThreads"), next_token(body)

        for threads in job.paginate(f"comments:{video_id}", fetch, limit=THREADS_PER_VIDEO):
            for thread in threads:
                job.emit("comments", thread_rows(thread, video_id))


def _has_comments(video: dict[str, Any]) -> bool:
    """Whether commentThreads is worth a request: comments shown, some posted, not made for kids
    (YouTube turns comments off on those)."""
    comments = count(as_object(video.get("statistics")).get("commentCount"))
    return bool(comments) and as_object(video.get("status")).get("madeForKids") is not True
