"""A polite HTTP client for public APIs: it honours the platform's rate-limit headers, retries
429, 5xx, timeouts and dropped connections with exponential backoff, and turns what cannot be
retried (an invalid token, an unknown handle, a reply that is not JSON) into one clear
ConnectorError. Credentials travel in headers or query parameters but never in a message."""

from __future__ import annotations

import email.utils
import json
import random
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

import httpx

from microscout.connectors.base import ConnectorError

RETRY_STATUS = frozenset({429, 500, 502, 503, 504})

#: (remaining, reset) header pairs of the platforms: Bluesky and the IETF draft (reset in seconds
#: or epoch seconds), Mastodon (reset an ISO time), GitHub-style (epoch seconds)
RATE_HEADERS = (("ratelimit-remaining", "ratelimit-reset"), ("x-ratelimit-remaining", "x-ratelimit-reset"))


def wait_from_headers(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait before the next request, from Retry-After or an exhausted rate-limit window;
    None when the headers ask for no wait."""
    now = time.time() if now is None else now
    retry_after = headers.get("retry-after")
    if retry_after:
        return _seconds_until(retry_after, now)
    for remaining_name, reset_name in RATE_HEADERS:
        remaining, reset = headers.get(remaining_name), headers.get(reset_name)
        if remaining is None or reset is None:
            continue
        try:
            if float(remaining) > 0:
                return None
        except ValueError:
            continue
        return _seconds_until(reset, now)
    return None


def _seconds_until(value: str, now: float) -> float | None:
    value = value.strip()
    try:
        number = float(value)
    except ValueError:
        number = None
    if number is not None:
        # a reset far beyond any window is an epoch time, else a delay in seconds
        return max(0.0, number - now) if number > 10**9 else max(0.0, number)
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            at = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return max(0.0, at.timestamp() - now)


# before a service has answered once, a refused or timed-out connection is retried this often
FIRST_CONTACT_RETRIES = 1
CONNECT_TIMEOUT = 10.0  # seconds to open a connection: a live API opens one in well under a second


class PoliteClient:
    """GET JSON from one API. `describe_error(status, body)` gives the platform's own reading of a
    refusal (None: a generic message); `secret_params` name query parameters that hold a
    credential, kept out of every message."""

    def __init__(self, base_url: str, *, platform: str, headers: Mapping[str, str] | None = None,
                 params: Mapping[str, str] | None = None, timeout: float = 20.0, max_retries: int = 6,
                 backoff: float = 0.5, max_backoff: float = 30.0, max_wait: float = 900.0,
                 describe_error: Callable[[int, Any], str | None] | None = None,
                 rate_limited: Callable[[int, Any], bool] | None = None,
                 sleep: Callable[[float], None] = time.sleep,
                 on_wait: Callable[[float, str], None] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.platform = platform
        self.params = dict(params or {})
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.max_wait = max_wait
        self.describe_error = describe_error
        self.rate_limited = rate_limited
        self.sleep = sleep
        self.on_wait = on_wait
        self.requests = 0
        self.retries = 0
        self.answered = False
        self._http = httpx.Client(headers={"user-agent": "microscout (+https://github.com/microscout)",
                                           "accept": "application/json", **(headers or {})},
                                  timeout=httpx.Timeout(timeout, connect=min(timeout, CONNECT_TIMEOUT)),
                                  follow_redirects=True)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """The JSON body of GET base_url/path; lists in `params` repeat the parameter."""
        return self.get_with_headers(path, params)[0]

    def get_with_headers(self, path: str, params: Mapping[str, Any] | None = None) -> tuple[Any, httpx.Headers]:
        """The JSON body and the headers (for APIs that page with a Link header)."""
        url = path if path.startswith(("http://", "https://")) else f"{self.base_url}/{path.lstrip('/')}"
        query = {**self.params, **{k: v for k, v in (params or {}).items() if v is not None}}
        where = f"{self.platform}: GET {httpx.URL(url).path}"
        attempt = 0
        while True:
            self.requests += 1
            try:
                response = self._http.get(url, params=query)
                body = response.content  # reads the whole body: a dropped connection raises here
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                # a service that never answered since this client was made is most likely a wrong
                # address or down: say so in seconds, not after half a minute of backing off
                first_contact = not self.answered and isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
                if attempt >= (min(self.max_retries, FIRST_CONTACT_RETRIES) if first_contact else self.max_retries):
                    said = "could not connect" if first_contact else "no answer"
                    raise ConnectorError(f"{where}: {said} after {attempt + 1} tries "
                                         f"({type(exc).__name__}): check the network and --service-url") from None
                attempt = self._pause(attempt, None, f"{type(exc).__name__}")
                continue
            self.answered = True
            if attempt < self.max_retries and (response.status_code in RETRY_STATUS or self._limited(response)):
                attempt = self._pause(attempt, wait_from_headers(response.headers), f"HTTP {response.status_code}")
                continue
            if response.status_code >= 400:
                raise ConnectorError(f"{where}: {self._refusal(response.status_code, body)}",
                                     status=response.status_code)
            # an exhausted window: wait now rather than collect a 429 on the next call
            if (wait := wait_from_headers(response.headers)) is not None and "retry-after" not in response.headers:
                self._wait(wait, "rate limit reached")
            try:
                return json.loads(body), response.headers
            except ValueError as exc:  # a JSONDecodeError, or a UnicodeDecodeError for bytes in no UTF
                at = f"{exc.msg} at character {exc.pos}" if isinstance(exc, json.JSONDecodeError) else str(exc)
                raise ConnectorError(f"{where}: the reply is not valid JSON ({at}); "
                                     "nothing was imported") from None

    def _limited(self, response: httpx.Response) -> bool:
        """A platform that signals its rate limit in the body of a 400 or 403 (Graph API codes 4,
        17, 32, 613; YouTube's rateLimitExceeded)."""
        if self.rate_limited is None or response.status_code < 400:
            return False
        try:
            body = json.loads(response.content)
        except ValueError:
            return False
        return self.rate_limited(response.status_code, body)

    def _pause(self, attempt: int, wait: float | None, why: str) -> int:
        self.retries += 1
        if wait is None:
            wait = min(self.max_backoff, self.backoff * 2**attempt) * (0.5 + random.random() / 2)
        self._wait(wait, why)
        return attempt + 1

    def _wait(self, seconds: float, why: str) -> None:
        if seconds > self.max_wait:
            raise ConnectorError(f"{self.platform}: the API asks to wait {seconds:.0f} s ({why}), longer than "
                                 f"{self.max_wait:.0f} s: run the same command again later, it resumes")
        if seconds > 0:
            if self.on_wait is not None:
                self.on_wait(seconds, why)
            self.sleep(seconds)

    def _refusal(self, status: int, raw: bytes) -> str:
        try:
            body: Any = json.loads(raw)
        except ValueError:
            body = raw[:200].decode("utf-8", "replace")
        text = self.describe_error(status, body) if self.describe_error else None
        if text:
            return text
        if status == 401:
            return "HTTP 401: the token is invalid or expired (set it in the settings file or the environment)"
        if status == 403:
            return "HTTP 403: the token may not read this (check its permissions)"
        if status == 404:
            return "HTTP 404: not found (check the handle and --service-url)"
        if status in RETRY_STATUS:
            return f"HTTP {status} after {self.max_retries + 1} tries: the service is unavailable, run again later"
        return f"HTTP {status}"
