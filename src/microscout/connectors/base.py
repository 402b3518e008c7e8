"""What every connector shares: the request a user makes, the error it may raise, and the
interface a platform implements (map its API's objects onto the bundle tables of SCHEMA.md)."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from microscout.exceptions import MicroscoutError

if TYPE_CHECKING:
    from microscout.config import Settings
    from microscout.connectors.http import PoliteClient
    from microscout.connectors.job import CollectJob


def as_object(value: Any) -> dict[str, Any]:
    """A JSON value that should be an object, or an empty one when it is missing or not an object
    (platforms' answers leave out what a post lacks)."""
    return value if isinstance(value, dict) else {}


def member(body: Any, key: str) -> dict[str, Any]:
    """The object under `key` in a platform's JSON answer, or an empty one."""
    return as_object(as_object(body).get(key))


class ConnectorError(MicroscoutError):
    """A platform refused or garbled a request: an invalid token, an unknown handle, a reply that
    is not the JSON its reference documents. The message never holds a credential. `status` is
    the HTTP status of a refusal (None for anything else), so a connector can step around a 404."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class CollectRequest:
    """What to collect. Exactly one way of naming accounts is needed: handles, a search, or the
    followers of one account (which are then collected as creators)."""

    handles: tuple[str, ...] = ()
    search: str | None = None
    followers_of: str | None = None
    posts: int = 50  # recent posts per account
    comments: int = 20  # posts per account whose replies/comments are fetched
    followers: int = 200  # follower sample per account (where the API lists followers)
    max_accounts: int = 50  # accounts taken from a search or a follower list
    service_url: str | None = None  # the API's base URL (a self-hosted AppView or instance)
    extra: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        if self.handles:
            return f"{len(self.handles)} handles"
        if self.search:
            return f"search {self.search!r}"
        return f"followers of {self.followers_of}"


class Connector(ABC):
    """One platform. `collect` fetches through `client`, emits bundle rows through `job` and
    pages with `job.paginate` / `job.is_done` + `job.mark_done`, so a killed run resumes without
    duplicates. A connector may keep its own JSON-able progress in `job.state`: it is committed
    with the rows at each page."""

    platform: ClassVar[str]
    default_service_url: ClassVar[str]
    #: what this platform's API fills, per bundle table (docs and `microscout collect --help`)
    fills: ClassVar[dict[str, str]] = {}

    def __init__(self, settings: Settings, request: CollectRequest) -> None:
        self.settings = settings
        self.request = request
        self.service_url = (request.service_url or self.default_service_url).rstrip("/")

    @abstractmethod
    def client(self) -> PoliteClient:
        """The HTTP client with this platform's credentials, rate-limit headers and error reading."""

    @abstractmethod
    def collect(self, job: CollectJob, client: PoliteClient) -> None:
        """Fetch what the request names and emit it as bundle rows."""
