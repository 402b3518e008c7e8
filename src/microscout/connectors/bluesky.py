"""Bluesky: profiles, recent posts, replies and a follower sample from a public AppView's XRPC
API (https://public.api.bsky.app by default; no login).

What the API fills:
- accounts: the creators and the profiles of their follower sample (app.bsky.actor.getProfiles):
  DID as account_id, handle, display name, bio, followers / following / posts counts, avatar
  (has_profile_pic), the verification badge, website, the account's creation time. An account
  without a follower count is never written (the bundle requires it).
- posts: the creators' own recent posts (app.bsky.feed.getAuthorFeed, replies and reposts of
  others left out): text, hashtags and mentions from the post's rich-text facets, likes, replies,
  reposts + quotes as shares, bookmarks as saves, kind from the embed, language.
- comments: the replies under a creator's recent posts (app.bsky.feed.getPostThread), nested
  replies flattened with reply_to naming the parent reply.
- follows: a sample of each creator's followers (app.bsky.graph.getFollowers).

What it cannot fill: views (Bluesky counts none), when a follow was made (the follower list
gives profiles, not follow records), location, country, city, business category, an audience
breakdown, a history of counts (snapshots come from collecting again later), paid partnerships.
Bluesky has no private accounts: is_private is false for every account."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from microscout.connectors.base import Connector, ConnectorError, member
from microscout.connectors.http import PoliteClient
from microscout.translations import N_

if TYPE_CHECKING:
    from microscout.config import Settings
    from microscout.connectors.base import CollectRequest
    from microscout.connectors.job import CollectJob

PLATFORM = "bluesky"
PAGE_MAX = 100  # the lexicons' maximum `limit` for feeds, followers and searches
PROFILES_PER_CALL = 25  # app.bsky.actor.getProfiles takes at most 25 actors
THREAD_DEPTH = 10  # levels of nested replies asked for per thread
#: XRPC error names that mean "this account or post is gone or hidden", not "the request is wrong"
GONE = frozenset({"NotFound", "BlockedActor", "BlockedByActor", "AccountTakedown", "AccountDeactivated",
                  "RepoTakendown", "RepoDeactivated", "RepoSuspended"})
AUTH = frozenset({"AuthMissing", "AuthRequired", "InvalidToken", "ExpiredToken", "AuthenticationRequired"})
_HANDLE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


class Gone(ConnectorError):
    """An account or post that no longer exists or is not public: the caller may skip it."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"{PLATFORM}: {detail}")
        self.detail = detail


class BlueskyConnector(Connector):
    platform = PLATFORM
    default_service_url = "https://public.api.bsky.app"
    fills: ClassVar[dict[str, str]] = {
        "accounts": "creators and their sampled followers: handle, display name, bio, followers, following, "
                    "posts count, avatar, verification, website, created_at",
        "posts": "own recent posts: text, hashtags, mentions, likes, replies, reposts + quotes, bookmarks, kind, "
                 "language, url (no views)",
        "comments": "replies under recent posts, nested replies with reply_to",
        "follows": "a sample of each creator's followers (no follow time)",
        "snapshots": "not filled: collect again later to build a history",
        "audience": "not filled: Bluesky reports no audience breakdown",
    }

    def __init__(self, settings: Settings, request: CollectRequest) -> None:
        super().__init__(settings, request)
        self._refusal: tuple[int, str, str] | None = None  # status and XRPC error of the last refused call

    # the client -------------------------------------------------------------------------------
    def client(self) -> PoliteClient:
        # no credentials: the AppView's public endpoints need no login
        return PoliteClient(self.service_url, platform=self.platform, max_wait=self.settings.connector_max_wait,
                            describe_error=self._describe_error)

    def _describe_error(self, status: int, body: Any) -> str | None:
        name, message = xrpc_error(body)
        self._refusal = (status, name, message)
        if status == 401 or name in AUTH:
            label = f"HTTP {status} {name}".rstrip()
            return (f"{label}: this service asks for a login, which microscout does not send; use a public "
                    f"AppView ({self.default_service_url}) or check --service-url")
        if not name:
            return None
        return f"HTTP {status} {name}: {message}" if message else f"HTTP {status} {name}"

    def _get(self, client: PoliteClient, nsid: str, params: dict[str, Any], about: str) -> dict[str, Any]:
        """The JSON object a query returns; a refusal that says `about` is gone raises Gone."""
        self._refusal = None
        try:
            body = client.get(f"xrpc/{nsid}", params)
        except ConnectorError as exc:
            if self._refusal is None:  # not a refusal: network, JSON, a wait too long
                raise
            status, name, message = self._refusal
            if status == 401 or name in AUTH:
                raise
            if name in GONE or (name == "InvalidRequest" and "not found" in message.lower()):
                raise Gone(f"{about}: no such account or post, or it is not public ({name}: {message})") from None
            raise ConnectorError(f"{exc} (asking about {about})") from None
        if not isinstance(body, dict):
            raise ConnectorError(f"{PLATFORM}: GET /xrpc/{nsid}: the reply is not a JSON object as the lexicon "
                                 "says: check --service-url")
        return body

    # the run ----------------------------------------------------------------------------------
    def collect(self, job: CollectJob, client: PoliteClient) -> None:
        creators = self._creators(job, client)
        advance = job.stage(N_("creators"), len(creators))
        for creator in creators:
            self._posts(job, client, creator)
            self._threads(job, client, creator)
            self._followers(job, client, creator)
            advance(1)
        self._follower_profiles(job, client, creators)

    @staticmethod
    def _state(job: CollectJob) -> dict[str, Any]:
        """What this connector keeps in the checkpoint: lists that grow page by page."""
        state: dict[str, Any] = job.state.setdefault(PLATFORM, {})
        return state

    # creators ---------------------------------------------------------------------------------
    def _creators(self, job: CollectJob, client: PoliteClient) -> list[dict[str, str]]:
        request = self.request
        if request.handles:
            wanted = unique(normalise_actor(h) for h in request.handles)
            creators: list[dict[str, str]] = job.remember(
                "creators", lambda: self._profiled_creators(job, client, wanted, named=True))
            return creators
        if request.search:
            found = self._search(job, client, request.search)
            if not found:
                raise ConnectorError(f"{PLATFORM}: the search {request.search!r} found no accounts")
        else:
            subject = normalise_actor(request.followers_of or "")
            found = self._followers_of(job, client, subject)
            if not found:
                raise ConnectorError(f"{PLATFORM}: {subject} has no followers to collect")
        creators = job.remember("creators", lambda: self._profiled_creators(job, client, found, named=False))
        return creators

    def _search(self, job: CollectJob, client: PoliteClient, text: str) -> list[str]:
        found: list[str] = self._state(job).setdefault("found", [])
        limit = self.request.max_accounts

        def fetch(cursor: str | None) -> tuple[list[Any], str | None]:
            body = self._get(client, "app.bsky.actor.searchActors",
                             {"q": text, "limit": min(PAGE_MAX, limit), "cursor": cursor}, about=f"search {text!r}")
            return objects(body, "actors", "app.bsky.actor.searchActors"), body.get("cursor")

        for page in job.paginate("search", fetch, limit=limit):
            found.extend(str(a["did"]) for a in page if a.get("did"))
        return unique(found)

    def _followers_of(self, job: CollectJob, client: PoliteClient, subject: str) -> list[str]:
        state = self._state(job)
        found: list[str] = state.setdefault("found", [])
        limit = self.request.max_accounts

        def fetch(cursor: str | None) -> tuple[list[Any], str | None]:
            body = self._get(client, "app.bsky.graph.getFollowers",
                             {"actor": subject, "limit": min(PAGE_MAX, limit), "cursor": cursor}, about=subject)
            who = body.get("subject")
            if isinstance(who, dict) and who.get("did"):
                state["subject"] = who["did"]
            return objects(body, "followers", "app.bsky.graph.getFollowers"), body.get("cursor")

        for page in job.paginate("followers_of", fetch, limit=limit):
            dids = [str(a["did"]) for a in page if a.get("did")]
            found.extend(dids)
            if state.get("subject"):
                job.emit("follows", [follow_row(d, state["subject"]) for d in dids])
        return unique(found)

    def _profiled_creators(self, job: CollectJob, client: PoliteClient, actors: list[str],
                           named: bool) -> list[dict[str, str]]:
        """Fetch the creators' profiles, emit them as accounts and return their DIDs and handles.
        Handles the API does not know are reported in one line; none known is an error."""
        valid = [a for a in actors if is_actor(a)]
        profiles = self._profiles(client, valid)
        by_key = {key: p for p in profiles for key in (p.get("did"), str(p.get("handle", "")).lower()) if key}
        creators: list[dict[str, str]] = []
        missing: list[str] = []
        for actor in actors:
            profile = by_key.get(actor)
            row = account_row(profile) if profile else None
            if row is None:
                missing.append(actor)
            elif all(c["did"] != row["account_id"] for c in creators):
                job.emit("accounts", row)
                creators.append({"did": row["account_id"], "handle": row["handle"]})
        if missing and named and not creators:
            raise ConnectorError(f"{PLATFORM}: no account found for {', '.join(missing)}: check the handles "
                                 "(they look like name.bsky.social) and --service-url")
        if not creators:
            raise ConnectorError(f"{PLATFORM}: none of the {len(actors)} accounts found could be read "
                                 "(deleted or hidden)")
        if missing and named:
            job.note(f"{len(missing)} of {len(actors)} handles not found, skipped: {', '.join(missing)}")
        elif missing:
            job.note(f"{len(missing)} of {len(actors)} accounts found could not be read (deleted or hidden), "
                     "skipped")
        return creators

    def _profiles(self, client: PoliteClient, actors: list[str]) -> list[dict[str, Any]]:
        """Detailed profiles, 25 actors a call; unknown actors are silently left out by the API."""
        profiles: list[dict[str, Any]] = []
        for start in range(0, len(actors), PROFILES_PER_CALL):
            batch = actors[start: start + PROFILES_PER_CALL]
            about = ", ".join(batch) if len(batch) <= 3 else f"{len(batch)} accounts from {batch[0]}"
            body = self._get(client, "app.bsky.actor.getProfiles", {"actors": batch}, about=about)
            profiles.extend(objects(body, "profiles", "app.bsky.actor.getProfiles"))
        return profiles

    # posts, replies, followers ----------------------------------------------------------------
    def _posts(self, job: CollectJob, client: PoliteClient, creator: dict[str, str]) -> None:
        limit = self.request.posts
        if limit <= 0:
            return
        did, handle = creator["did"], creator["handle"]
        threads: list[str] = job.records(f"threads:{did}")

        def fetch(cursor: str | None) -> tuple[list[Any], str | None]:
            while True:
                body = self._get(client, "app.bsky.feed.getAuthorFeed",
                                 {"actor": did, "limit": min(PAGE_MAX, limit), "filter": "posts_no_replies",
                                  "cursor": cursor}, about=handle)
                feed = objects(body, "feed", "app.bsky.feed.getAuthorFeed")
                own = [item["post"] for item in feed if is_own_post(item, did)]
                following = body.get("cursor")
                # a page of reposts only would end the pagination: read on instead
                if own or not feed or not following or following == cursor:
                    return own, following
                cursor = following

        try:
            for page in job.paginate(f"posts:{did}", fetch, limit=limit):
                job.emit("posts", [post_row(p) for p in page])
                for p in page:
                    # posts without replies need no thread request
                    if len(threads) < self.request.comments and p.get("replyCount") != 0 and p["uri"] not in threads:
                        job.record(f"threads:{did}", [p["uri"]])
        except Gone as exc:
            job.note(f"{exc.detail}; its posts are skipped")

    def _threads(self, job: CollectJob, client: PoliteClient, creator: dict[str, str]) -> None:
        for uri in job.records(f"threads:{creator['did']}"):
            key = f"thread:{uri}"
            if job.is_done(key):
                continue
            try:
                body = self._get(client, "app.bsky.feed.getPostThread",
                                 {"uri": uri, "depth": THREAD_DEPTH, "parentHeight": 0}, about=uri)
            except Gone:
                job.mark_done(key)  # deleted since the feed was read: nothing to collect
                continue
            thread = body.get("thread")
            if not isinstance(thread, dict):
                raise ConnectorError(f"{PLATFORM}: GET /xrpc/app.bsky.feed.getPostThread: the reply has no "
                                     "'thread' object as the lexicon says: check --service-url")
            job.emit("comments", comment_rows(thread, uri))
            job.mark_done(key)

    def _followers(self, job: CollectJob, client: PoliteClient, creator: dict[str, str]) -> None:
        limit = self.request.followers
        if limit <= 0:
            return
        did = creator["did"]

        def fetch(cursor: str | None) -> tuple[list[Any], str | None]:
            body = self._get(client, "app.bsky.graph.getFollowers",
                             {"actor": did, "limit": min(PAGE_MAX, limit), "cursor": cursor}, about=creator["handle"])
            return objects(body, "followers", "app.bsky.graph.getFollowers"), body.get("cursor")

        try:
            for page in job.paginate(f"followers:{did}", fetch, limit=limit):
                dids = [str(f["did"]) for f in page if f.get("did")]
                job.emit("follows", [follow_row(d, did) for d in dids])
                job.record(f"followers:{did}", dids)
        except Gone as exc:
            job.note(f"{exc.detail}; its followers are skipped")

    def _follower_profiles(self, job: CollectJob, client: PoliteClient, creators: list[dict[str, str]]) -> None:
        """The follower sample's profiles as accounts: audience quality needs their counts and avatars."""
        known = {c["did"] for c in creators}
        dids = unique(d for c in creators for d in job.records(f"followers:{c['did']}") if d not in known)
        batches = [dids[i: i + PROFILES_PER_CALL] for i in range(0, len(dids), PROFILES_PER_CALL)]
        advance = job.stage(N_("follower profiles"), len(batches))
        for number, batch in enumerate(batches):
            key = f"follower-profiles:{number}"
            if not job.is_done(key):
                rows = [row for p in self._profiles(client, batch) if (row := account_row(p)) is not None]
                job.emit("accounts", rows)  # accounts gone since the follower list was read are left out
                job.mark_done(key)
            advance(1)


# mapping the lexicon's objects onto bundle rows ---------------------------------------------------
def account_row(profile: dict[str, Any]) -> dict[str, Any] | None:
    """An app.bsky.actor.defs#profileViewDetailed as an accounts row; None without a follower count."""
    followers = profile.get("followersCount")
    if not isinstance(followers, int) or not profile.get("did") or not profile.get("handle"):
        return None
    verification = profile.get("verification")
    return {"platform": PLATFORM, "account_id": profile["did"], "handle": profile["handle"],
            "display_name": profile.get("displayName") or None,
            "bio": profile.get("description") or "",  # a detailed view leaves out an empty bio
            "followers": followers, "following": count(profile.get("followsCount")),
            "posts_count": count(profile.get("postsCount")),
            "verified": verification.get("verifiedStatus") == "valid" if isinstance(verification, dict) else None,
            "is_private": False, "has_profile_pic": bool(profile.get("avatar")),
            "external_url": profile.get("website") or None,
            "created_at": timestamp(profile.get("createdAt"))}


def post_row(post: dict[str, Any]) -> dict[str, Any]:
    """An app.bsky.feed.defs#postView as a posts row."""
    record = member(post, "record")
    author = member(post, "author")
    reposts, quotes = count(post.get("repostCount")), count(post.get("quoteCount"))
    return {"platform": PLATFORM, "post_id": post["uri"], "account_id": author.get("did"),
            "created_at": timestamp(record.get("createdAt")) or timestamp(post.get("indexedAt")),
            "kind": post_kind(post.get("embed")), "caption": record.get("text"),
            "hashtags": hashtags(record), "mentions": mentions(record),
            "likes": count(post.get("likeCount")), "comments": count(post.get("replyCount")),
            "shares": None if reposts is None else reposts + (quotes or 0),
            "saves": count(post.get("bookmarkCount")), "views": None,
            "url": post_url(author, post["uri"]), "language": language(record.get("langs"))}


def comment_rows(thread: dict[str, Any], post_uri: str) -> list[dict[str, Any]]:
    """The replies of an app.bsky.feed.defs#threadViewPost, depth first, each naming its parent
    reply (None under the post itself). Deleted and blocked replies are left out."""
    root = member(thread, "post")
    post_id = root.get("uri") or post_uri
    rows: list[dict[str, Any]] = []
    stack: list[tuple[Any, str | None]] = [(r, None) for r in reversed(thread.get("replies") or [])]
    while stack:
        node, parent = stack.pop()
        reply = node.get("post") if isinstance(node, dict) else None
        if not isinstance(reply, dict) or not reply.get("uri"):
            continue  # app.bsky.feed.defs#notFoundPost or #blockedPost
        record = member(reply, "record")
        author = member(reply, "author")
        stack.extend((r, reply["uri"]) for r in reversed(node.get("replies") or []))
        if not author.get("did"):
            continue  # the bundle requires an author; the replies under it still count
        rows.append({"platform": PLATFORM, "comment_id": reply["uri"], "post_id": post_id,
                     "author_id": author.get("did"), "author_handle": author.get("handle"),
                     "created_at": timestamp(record.get("createdAt")) or timestamp(reply.get("indexedAt")),
                     "text": record.get("text"), "likes": count(reply.get("likeCount")), "reply_to": parent})
    return rows


def follow_row(follower: str, followee: str) -> dict[str, Any]:
    return {"platform": PLATFORM, "follower_id": follower, "followee_id": followee}


def is_own_post(item: Any, did: str) -> bool:
    """A feed item written by the creator: a repost of someone else's post is not."""
    post = item.get("post") if isinstance(item, dict) else None
    return isinstance(post, dict) and bool(post.get("uri")) and (post.get("author") or {}).get("did") == did


def post_kind(embed: Any) -> str:
    """photo, video or text, from the post's embed view (a quote with media counts as its media)."""
    if not isinstance(embed, dict):
        return "text"
    kind = str(embed.get("$type", ""))
    if kind.startswith("app.bsky.embed.recordWithMedia"):
        return post_kind(embed.get("media"))
    if kind.startswith(("app.bsky.embed.images", "app.bsky.embed.gallery")):
        return "photo"
    if kind.startswith("app.bsky.embed.video"):
        return "video"
    return "text"


def facet_features(record: dict[str, Any]) -> Iterable[tuple[dict[str, Any], dict[str, Any]]]:
    for facet in record.get("facets") or []:
        if isinstance(facet, dict):
            for feature in facet.get("features") or []:
                if isinstance(feature, dict):
                    yield facet, feature


def hashtags(record: dict[str, Any]) -> list[str]:
    """Tag facets and the record's extra `tags`, lower-cased without '#'. Bluesky marks every
    hashtag with a facet, so a '#word' without one is not a hashtag there."""
    tags = [f.get("tag") for _, f in facet_features(record) if f.get("$type") == "app.bsky.richtext.facet#tag"]
    tags += list(record.get("tags") or [])
    return unique(t.lstrip("#").lower() for t in tags if isinstance(t, str) and t.lstrip("#"))


def mentions(record: dict[str, Any]) -> list[str]:
    """Mentioned handles as the text shows them, lower-cased without '@'. Facet indices count
    bytes of the UTF-8 text."""
    raw = str(record.get("text") or "").encode()
    found = []
    for facet, feature in facet_features(record):
        index = facet.get("index") or {}
        start, end = index.get("byteStart"), index.get("byteEnd")
        if feature.get("$type") != "app.bsky.richtext.facet#mention" or not isinstance(start, int) \
                or not isinstance(end, int) or not 0 <= start < end <= len(raw):
            continue
        try:
            found.append(raw[start:end].decode().strip().lstrip("@").lower())
        except UnicodeDecodeError:
            continue  # indices that split a character: not a usable mention
    return unique(h for h in found if h)


def post_url(author: dict[str, Any], uri: str) -> str:
    handle = author.get("handle")
    who = handle if handle and handle != "handle.invalid" else author.get("did")
    return f"https://bsky.app/profile/{who}/post/{uri.rsplit('/', 1)[-1]}"


def language(langs: Any) -> str | None:
    """The first of the post's languages, as its primary subtag ('en-US' -> 'en')."""
    if not isinstance(langs, list) or not langs or not isinstance(langs[0], str):
        return None
    return langs[0].split("-")[0].lower() or None


def timestamp(value: Any) -> str | None:
    """An ISO 8601 time as the API wrote it; None for what does not parse (createdAt is written
    by the posting client and may be anything)."""
    if not isinstance(value, str):
        return None
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return None
    return value


def count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def objects(body: dict[str, Any], key: str, nsid: str) -> list[dict[str, Any]]:
    items = body.get(key)
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise ConnectorError(f"{PLATFORM}: GET /xrpc/{nsid}: the reply has no '{key}' list of objects as the "
                             "lexicon says: check --service-url")
    return items


def xrpc_error(body: Any) -> tuple[str, str]:
    """The error name and message of an XRPC error body ({"error": ..., "message": ...}), on one line."""
    if not isinstance(body, dict):
        return "", ""
    name, message = body.get("error"), body.get("message")
    clean = " ".join(str(message).split())[:200] if message else ""
    return (str(name) if name else ""), clean


# naming accounts --------------------------------------------------------------------------------
def normalise_actor(text: str) -> str:
    """A handle as typed (@Name.bsky.social, a bsky.app profile link) as the API takes it: a DID
    stays as it is, a handle is lower-cased without '@'."""
    actor = text.strip()
    for prefix in ("https://bsky.app/profile/", "http://bsky.app/profile/", "bsky.app/profile/"):
        if actor.lower().startswith(prefix):
            actor = actor[len(prefix):].split("/")[0]
    if actor.startswith("did:"):
        return actor
    return actor.lstrip("@").lower()


def is_actor(actor: str) -> bool:
    """A DID or a syntactically valid handle: getProfiles refuses the whole call for one bad name."""
    if actor.startswith("did:"):
        parts = actor.split(":", 2)
        return len(parts) == 3 and parts[1].isalpha() and bool(parts[2]) and len(actor) <= 2048
    labels = actor.split(".")
    return (len(actor) <= 253 and len(labels) >= 2 and not labels[-1][:1].isdigit()
            and all(0 < len(label) <= 63 and set(label) <= _HANDLE_CHARS and not label.startswith("-")
                    and not label.endswith("-") for label in labels))


def unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
