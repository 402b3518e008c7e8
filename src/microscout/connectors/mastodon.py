"""Mastodon: profiles, recent posts, replies and a follower sample from any instance's public REST
API (https://docs.joinmastodon.org/methods/), no token needed for public data.

What the API fills: accounts (display name, bio, followers/following/posts counts, locked,
avatar, profile links and their rel="me" verification, bot flag, join date) for the creators, their
followers and the authors of replies; posts (text, hashtags, mentions, favourites, boosts, reply
counts, media kind, language); comments (the public replies under a post, threaded); follows (a
sample of each creator's followers, newest first).

What it cannot fill: views and saves (Mastodon counts neither), a business flag, location,
country, an account's language, the date a follow began, or any audience breakdown. An instance
knows only what federated to it: for an account of another server it may hold few posts and
stale counts, so point --service-url at the account's home instance for complete figures.
Accounts that hide their network list no followers. Without a token a search returns at most 40
accounts (the API refuses `offset` to anonymous clients) and a thread at most 60 replies."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator, Mapping
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qs, urlsplit

import httpx

from microscout.connectors.base import CollectRequest, Connector, ConnectorError
from microscout.connectors.http import PoliteClient
from microscout.translations import N_

if TYPE_CHECKING:
    from microscout.config import Settings
    from microscout.connectors.job import CollectJob

PLATFORM = "mastodon"
STATUS_PAGE = 40  # the most GET /api/v1/accounts/:id/statuses returns
ACCOUNT_PAGE = 80  # the most GET /api/v1/accounts/:id/followers returns
SEARCH_PAGE = 40  # the most GET /api/v2/search returns per type
PUBLIC = frozenset({"public", "unlisted"})
NOT_FOUND = "HTTP 404"  # how describe_error starts the message of a 404
LANGUAGE = re.compile(r"[A-Za-z]{2}")
LINK = re.compile(r"<([^>]*)>([^,]*)")
URL_IN_TEXT = re.compile(r"https?://[^\s<>\"']+")


# --- reading Mastodon's HTML ---------------------------------------------------------------------
class _Text(HTMLParser):
    """Plain text of Mastodon's HTML (status content, notes, field values): paragraphs become
    blank lines, <br> a newline; every span is kept, so a shortened link reads in full. Links
    that are not hashtags or @mentions are noted in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and "".join(self.parts).strip():
            self.parts.append("\n\n")
        elif tag == "a":
            attr = dict(attrs)
            href, classes = attr.get("href") or "", (attr.get("class") or "").split()
            if href.startswith(("http://", "https://")) and "mention" not in classes:
                self.links.append(href)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in "".join(self.parts).strip().split("\n"))


def html_text(html: str | None) -> str | None:
    """The text of an HTML fragment; None when it holds none."""
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    return parser.text() or None


def html_links(html: str | None) -> list[str]:
    """http(s) links of an HTML fragment that point outside Mastodon (not hashtags or mentions);
    a plain-text URL counts when the value has no link markup (some servers send text)."""
    parser = _Text()
    parser.feed(html or "")
    parser.close()
    return parser.links or URL_IN_TEXT.findall(parser.text())


# --- mapping entities onto bundle rows -----------------------------------------------------------
def next_max_id(headers: Mapping[str, str]) -> str | None:
    """The max_id of the rel="next" URL of a Link header (Mastodon's pagination), else None."""
    for url, params in LINK.findall(headers.get("link", "")):
        if re.search(r'rel="?next"?', params):
            found = parse_qs(urlsplit(url).query).get("max_id")
            return found[0] if found else None
    return None


class Mapper:
    """Entity -> row, given the instance's own domain (what an `acct` without one belongs to)."""

    def __init__(self, domain: str) -> None:
        self.domain = domain.lower()

    def handle(self, acct: str) -> str:
        """`user@instance`: a local account's acct has no domain, so the instance's is added."""
        return acct if "@" in acct else f"{acct}@{self.domain}"

    def account_id(self, acct: str) -> str:
        # usernames and domains are case-insensitive on Mastodon; mentions are lower-cased too
        return self.handle(acct).lower()

    def account(self, a: dict[str, Any]) -> dict[str, Any]:
        fields = a.get("fields") or []
        links = [link for f in fields for link in html_links(f.get("value"))]
        return {
            "platform": PLATFORM, "account_id": self.account_id(a["acct"]), "handle": self.handle(a["acct"]),
            "display_name": a.get("display_name") or None, "bio": html_text(a.get("note")),
            "followers": a.get("followers_count"), "following": a.get("following_count"),
            "posts_count": a.get("statuses_count"),
            "verified": any(f.get("verified_at") for f in fields),
            "is_private": a.get("locked"),
            "has_profile_pic": _has_avatar(a.get("avatar")),
            "external_url": links[0] if links else None,
            "category": "bot" if a.get("bot") else None,
            "created_at": a.get("created_at"),
        }

    def post(self, s: dict[str, Any], account_id: str) -> dict[str, Any]:
        return {
            "platform": PLATFORM, "post_id": s["uri"], "account_id": account_id,
            "created_at": s["created_at"],
            "kind": _kind({m.get("type") for m in s.get("media_attachments") or []}),
            "caption": html_text(s.get("content")),
            "hashtags": sorted({t["name"].lower() for t in s.get("tags") or []}),
            "mentions": sorted({self.account_id(m["acct"]) for m in s.get("mentions") or []}),
            "likes": s.get("favourites_count"), "comments": s.get("replies_count"),
            "shares": s.get("reblogs_count"), "views": None, "url": s.get("url"),
            "language": _language(s.get("language")),
        }

    def comments(self, post: dict[str, Any], descendants: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Replies under `post`, parents first. A reply whose parent the instance does not show
        (private, deleted, not federated) cannot be placed in the thread and is left out."""
        children: dict[str | None, list[dict[str, Any]]] = {}
        for s in descendants:
            if s.get("visibility") in PUBLIC:
                children.setdefault(s.get("in_reply_to_id"), []).append(s)
        queue: deque[tuple[str, str | None]] = deque([(post["id"], None)])
        while queue:
            parent_id, parent_uri = queue.popleft()
            for s in children.pop(parent_id, []):
                yield {"platform": PLATFORM, "comment_id": s["uri"], "post_id": post["uri"],
                       "author_id": self.account_id(s["account"]["acct"]),
                       "author_handle": self.handle(s["account"]["acct"]), "created_at": s["created_at"],
                       "text": html_text(s.get("content")), "likes": s.get("favourites_count"),
                       "reply_to": parent_uri}
                queue.append((s["id"], s["uri"]))


def _has_avatar(url: str | None) -> bool | None:
    # an account without an avatar shows the instance's placeholder, .../avatars/original/missing.png
    return None if not url else not urlsplit(url).path.endswith("/missing.png")


def _kind(media: set[str | None]) -> str | None:
    """The post kind from its attachments' types; audio or unknown files alone are no bundle kind."""
    if media & {"video", "gifv"}:
        return "video"
    if "image" in media:
        return "photo"
    return None if media else "text"


def _language(code: str | None) -> str | None:
    # ISO 639-1 only: Mastodon also tags posts with ISO 639-3 codes (e.g. "kab") the bundle refuses
    return code.lower() if code and LANGUAGE.fullmatch(code) else None


def describe_error(status: int, body: Any) -> str | None:
    """Mastodon's refusals carry {"error": "..."}; say what to do about them."""
    said = str(body.get("error"))[:200] if isinstance(body, dict) and body.get("error") else None
    if status == 401 and said and "authenticated user" in said:
        return (f"HTTP 401: {said}: this instance answers only signed-in clients; set an access token "
                "(mastodon_access_token in the settings file or MICROSCOUT_MASTODON_ACCESS_TOKEN)")
    if status == 401:
        return (f"HTTP 401: {said or 'unauthorized'}: set a valid access token (mastodon_access_token "
                "in the settings file or MICROSCOUT_MASTODON_ACCESS_TOKEN), or unset it to read public data")
    if status == 404:
        return f"{NOT_FOUND}: {said or 'not found'} (check the handle and --service-url)"
    if status == 410:
        return f"HTTP 410: {said or 'gone'} (the account is suspended)"
    if said and status != 429 and status < 500:
        return f"HTTP {status}: {said}"
    return None


def parse_handle(text: str) -> str:
    """`user`, `@user`, `user@instance`, `@user@instance` or a profile URL -> an acct for lookup."""
    handle = text.strip()
    if handle.startswith(("http://", "https://")):
        url = urlsplit(handle)
        name = re.fullmatch(r"/(?:@|users/)([^/@]+)(?:@([^/]+))?/?", url.path)
        if not name or not url.hostname:
            raise ConnectorError(f"mastodon: '{text}' is not a profile URL (https://instance/@user)")
        return f"{name.group(1)}@{name.group(2) or url.hostname}"
    handle = handle.removeprefix("@")
    if not re.fullmatch(r"[^\s@/]+(@[^\s@/]+)?", handle):
        raise ConnectorError(f"mastodon: '{text}' is not a handle: expected user or user@instance")
    return handle


# --- the connector ---------------------------------------------------------------------------------
class MastodonConnector(Connector):
    platform = PLATFORM
    default_service_url = "https://mastodon.social"
    fills: ClassVar[dict[str, str]] = {
        "accounts": "handle (user@instance), display_name, bio, followers, following, posts_count, verified "
                    "(a rel=me link), is_private (locked), has_profile_pic, external_url, category (bot), "
                    "created_at; for creators, their followers and reply authors",
        "posts": "caption, hashtags, mentions, likes (favourites), comments (replies), shares (boosts), "
                 "kind, url, language, created_at; no views or saves",
        "comments": "public replies with threading (reply_to), text, likes, author",
        "follows": "a sample of each creator's followers (newest first); no follow dates",
    }

    def __init__(self, settings: Settings, request: CollectRequest) -> None:
        super().__init__(settings, request)
        if "://" not in self.service_url:  # `--service-url mastodon.social`
            self.service_url = f"https://{self.service_url}"
        token = settings.mastodon_access_token
        self._token = token.get_secret_value().strip() if token is not None else ""
        self._where = "/api"

    @property
    def signed_in(self) -> bool:
        return bool(self._token)

    def client(self) -> PoliteClient:
        headers = {"authorization": f"Bearer {self._token}"} if self._token else {}
        return PoliteClient(self.service_url, platform=self.platform, headers=headers,
                            max_wait=self.settings.connector_max_wait, describe_error=describe_error)

    def collect(self, job: CollectJob, client: PoliteClient) -> None:
        client.on_wait = lambda seconds, why: job.note(f"waiting {seconds:.0f} s ({why})")
        self.job, self.http = job, client
        try:
            self._collect()
        except (KeyError, TypeError, AttributeError) as exc:
            # valid JSON that lacks what the reference documents (another server software, a proxy)
            raise ConnectorError(f"mastodon: GET {self._where}: the reply lacks what the API reference "
                                 f"documents ({type(exc).__name__}: {exc}); nothing was imported") from None

    def _get(self, path: str, params: dict[str, Any] | None = None,
             expect: type = list) -> tuple[Any, httpx.Headers]:
        self._where = path
        body, headers = self.http.get_with_headers(path, params)
        if not isinstance(body, expect):
            shape = "array" if expect is list else "object"
            raise ConnectorError(f"mastodon: GET {path}: expected a JSON {shape}, got {type(body).__name__}; "
                                 "nothing was imported")
        return body, headers

    def _collect(self) -> None:
        job = self.job
        self.map = Mapper(job.remember("instance_domain", self._instance_domain))
        self.state: dict[str, Any] = job.state.setdefault("mastodon", {"creators": []})
        if self.request.handles:
            self._from_handles()
        elif self.request.search:
            self._from_search(self.request.search)
        else:
            self._from_followers(self.request.followers_of or "")
        creators = self.state["creators"]
        if not creators:
            raise ConnectorError(f"mastodon: no accounts to collect on {self.service_url} "
                                 f"({self.request.describe()})")
        advance = job.stage(N_("accounts"), len(creators))
        for creator in creators:
            self._collect_account(creator)
            advance(1)

    # which accounts ------------------------------------------------------------------------------
    def _instance_domain(self) -> str:
        """The domain of the instance's own handles (LOCAL_DOMAIN, which may differ from the host that
        serves the API); servers without /api/v2/instance (Mastodon < 4.0) get the API's host."""
        try:
            return str(self._get("/api/v2/instance", expect=dict)[0]["domain"]).lower()
        except ConnectorError as exc:
            if exc.status != 404:
                raise
        return (urlsplit(self.service_url).hostname or "").lower()

    def _emit_accounts(self, accounts: list[dict[str, Any]]) -> None:
        # a suspended account reports zero counts that are not its own: better unknown than wrong
        self.job.emit("accounts", [self.map.account(a) for a in accounts if not a.get("suspended")])

    def _add_creator(self, account: dict[str, Any]) -> None:
        row = self.map.account(account)
        if account.get("suspended"):
            self.job.note(f"{row['handle']} is suspended: not collected")
            return
        self.job.emit("accounts", row)
        if all(c["account_id"] != row["account_id"] for c in self.state["creators"]):
            self.state["creators"].append({"id": str(account["id"]), "account_id": row["account_id"],
                                           "handle": row["handle"],
                                           "hides_network": bool(account.get("hide_collections"))})

    def _lookup(self, handle: str) -> dict[str, Any] | None:
        try:
            account: dict[str, Any] = self._get("/api/v1/accounts/lookup", {"acct": parse_handle(handle)},
                                                expect=dict)[0]
            return account
        except ConnectorError as exc:
            if exc.status != 404:
                raise
        return None

    def _from_handles(self) -> None:
        missing: list[str] = self.state.setdefault("missing", [])
        for handle in self.request.handles:
            if self.job.is_done(f"lookup:{handle}"):
                continue
            account = self._lookup(handle)
            if account is None:
                missing.append(handle)
                self.job.note(f"no account '{handle}' on {self.service_url}: skipped")
            else:
                self._add_creator(account)
            self.job.mark_done(f"lookup:{handle}")
        if missing and not self.state["creators"]:
            shown = ", ".join(f"'{h}'" for h in missing[:5]) + (", ..." if len(missing) > 5 else "")
            raise ConnectorError(f"mastodon: no account {shown} on {self.service_url}: check the handles; an "
                                 "account of another server must be known to this one (or use its own server "
                                 "as --service-url)")

    def _from_search(self, query: str) -> None:
        size = min(SEARCH_PAGE, self.request.max_accounts)

        def fetch(cursor: str | None) -> tuple[list[Any], str | None]:
            offset = int(cursor or 0)
            found = self._get("/api/v2/search", {"q": query, "type": "accounts", "limit": size,
                                                 "offset": offset or None}, expect=dict)[0]["accounts"]
            # anonymous clients may not page a search (offset needs a token)
            more = self.signed_in and len(found) >= size
            return found, str(offset + len(found)) if more else None

        for accounts in self.job.paginate("search", fetch, limit=self.request.max_accounts):
            for account in accounts:
                self._add_creator(account)

    def _from_followers(self, handle: str) -> None:
        target = self.job.remember(f"target:{handle}", lambda: self._lookup(handle))
        if target is None:
            raise ConnectorError(f"mastodon: no account '{handle}' on {self.service_url} (check the handle; "
                                 "a remote account must be known to this instance)")
        self._emit_accounts([target])
        if target.get("hide_collections"):
            raise ConnectorError(f"mastodon: {self.map.handle(target['acct'])} hides its followers")
        followee = self.map.account_id(target["acct"])
        for accounts in self._followers(str(target["id"]), self.request.max_accounts, "followers-of"):
            for account in accounts:
                self.job.emit("follows", self._edge(account, followee))
                self._add_creator(account)

    # one account ---------------------------------------------------------------------------------
    def _collect_account(self, creator: dict[str, Any]) -> None:
        if self.request.posts > 0:
            self._posts(creator)
        for status_id, post_uri in self.job.records(f"replies:{creator['id']}"):
            if not self.job.is_done(f"context:{status_id}"):
                self._replies(status_id, post_uri)
                self.job.mark_done(f"context:{status_id}")
        if self.request.followers > 0 and creator["hides_network"]:
            self.job.note(f"{creator['handle']} hides its followers: none collected")
        elif self.request.followers > 0:
            key = f"followers:{creator['id']}"
            for accounts in self._followers(creator["id"], self.request.followers, key):
                self.job.emit("follows", [self._edge(a, creator["account_id"]) for a in accounts])
                self._emit_accounts(accounts)

    def _posts(self, creator: dict[str, Any]) -> None:
        params = {"limit": min(STATUS_PAGE, self.request.posts), "exclude_reblogs": "true",
                  "exclude_replies": "true"}
        path = f"/api/v1/accounts/{creator['id']}/statuses"
        queue = self.job.records(f"replies:{creator['id']}")

        def fetch(cursor: str | None) -> tuple[list[Any], str | None]:
            statuses, headers = self._get(path, {**params, "max_id": cursor})
            return statuses, next_max_id(headers)

        for statuses in self.job.paginate(f"posts:{creator['id']}", fetch, limit=self.request.posts):
            for s in statuses:
                # boosts and followers-only posts are not the creator's public posts
                if s.get("reblog") or s.get("visibility") not in PUBLIC:
                    continue
                self.job.emit("posts", self.map.post(s, creator["account_id"]))
                # replies are fetched for the most recent posts that have any
                if (s.get("replies_count") or 0) > 0 and len(queue) < self.request.comments:
                    self.job.record(f"replies:{creator['id']}", [[str(s["id"]), s["uri"]]])

    def _replies(self, status_id: str, post_uri: str) -> None:
        context = self._get(f"/api/v1/statuses/{status_id}/context", expect=dict)[0]
        rows = list(self.map.comments({"id": status_id, "uri": post_uri}, context["descendants"]))
        self.job.emit("comments", rows)
        kept = {r["comment_id"] for r in rows}
        self._emit_accounts([s["account"] for s in context["descendants"] if s["uri"] in kept])

    def _followers(self, account_id: str, limit: int, key: str) -> Iterator[list[Any]]:
        path = f"/api/v1/accounts/{account_id}/followers"
        size = min(ACCOUNT_PAGE, limit)

        def fetch(cursor: str | None) -> tuple[list[Any], str | None]:
            accounts, headers = self._get(path, {"limit": size, "max_id": cursor})
            return accounts, next_max_id(headers)

        yield from self.job.paginate(key, fetch, limit=limit)

    def _edge(self, follower: dict[str, Any], followee: str) -> dict[str, Any]:
        return {"platform": PLATFORM, "follower_id": self.map.account_id(follower["acct"]),
                "followee_id": followee, "followed_at": None}
