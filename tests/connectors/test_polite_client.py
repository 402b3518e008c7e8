"""The polite client against a real loopback server: retries, rate limits, refusals, bad JSON."""

from __future__ import annotations

import time

import pytest
from tests.connectors.loopback import LoopbackServer

from microscout.connectors import ConnectorError, PoliteClient
from microscout.connectors.http import wait_from_headers


def client(server: LoopbackServer, waits: list[float], **kw: object) -> PoliteClient:
    return PoliteClient(server.url, platform="test", params={"key": "SECRET-KEY"}, sleep=waits.append,
                        max_retries=3, **kw)  # type: ignore[arg-type]


def test_429_then_success_waits_as_retry_after_says() -> None:
    waits: list[float] = []
    with LoopbackServer() as server:
        server.reply("/x", {"error": "RateLimitExceeded"}, status=429, headers={"retry-after": "7"})
        server.reply("/x", {"ok": 1})
        with client(server, waits) as c:
            assert c.get("x") == {"ok": 1}
            assert (c.requests, c.retries) == (2, 1)
    assert waits == [7.0]


def test_500_then_success_backs_off() -> None:
    waits: list[float] = []
    with LoopbackServer() as server:
        server.reply("/x", "oops", status=500)
        server.reply("/x", "oops", status=503)
        server.reply("/x", {"ok": 2})
        with client(server, waits, backoff=1.0) as c:
            assert c.get("x") == {"ok": 2}
    assert len(waits) == 2 and 0.5 <= waits[0] <= 1.0 and 1.0 <= waits[1] <= 2.0


def test_dropped_connection_mid_body_is_retried() -> None:
    waits: list[float] = []
    with LoopbackServer() as server:
        server.reply("/x", {"items": list(range(100))}, drop_after=20)
        server.reply("/x", {"items": [1]})
        with client(server, waits) as c:
            assert c.get("x") == {"items": [1]}
            assert c.retries == 1


def test_malformed_json_is_a_clear_error_without_the_key() -> None:
    with LoopbackServer() as server:
        server.reply("/x", '{"items": [1, 2,')
        with client(server, []) as c, pytest.raises(ConnectorError, match="not valid JSON") as e:
            c.get("x")
    assert "SECRET-KEY" not in str(e.value)


def test_a_reply_in_no_utf_is_the_same_clear_error() -> None:
    with LoopbackServer() as server:
        server.reply("/x", b'{"name": "caf\xe9"}')  # Latin-1 where JSON must be UTF
        with client(server, []) as c, pytest.raises(ConnectorError, match=r"not valid JSON .*utf-8"):
            c.get("x")


def test_invalid_token_and_persistent_5xx_are_one_line_errors() -> None:
    with LoopbackServer() as server:
        server.reply("/auth", {"error": "AuthRequired"}, status=401)
        server.reply("/down", "no", status=502)
        with client(server, []) as c:
            with pytest.raises(ConnectorError, match="token is invalid") as e:
                c.get("auth")
            assert "SECRET-KEY" not in str(e.value) and e.value.status == 401
            with pytest.raises(ConnectorError, match="HTTP 502 after 4 tries"):
                c.get("down")
        assert len(server.requests_to("/down")) == 4
        assert server.requests_to("/auth")[0].query["key"] == ["SECRET-KEY"]


def test_exhausted_window_waits_before_the_next_call() -> None:
    waits: list[float] = []
    reset = int(time.time()) + 30
    with LoopbackServer() as server:
        server.reply("/x", {"ok": 1}, headers={"ratelimit-remaining": "0", "ratelimit-reset": str(reset)})
        with client(server, waits) as c:
            c.get("x")
    assert len(waits) == 1 and 25 <= waits[0] <= 31


def test_a_wait_longer_than_allowed_stops_the_run() -> None:
    with LoopbackServer() as server:
        server.reply("/x", {}, status=429, headers={"retry-after": "5000"})
        with client(server, [], max_wait=60) as c, pytest.raises(ConnectorError, match="resumes"):
            c.get("x")


@pytest.mark.parametrize(("headers", "expected"), [
    ({"retry-after": "12"}, 12.0),
    ({"x-ratelimit-remaining": "0", "x-ratelimit-reset": "2026-12-01T00:01:00.000Z"}, 60.0),
    ({"x-ratelimit-remaining": "5", "x-ratelimit-reset": "2026-12-01T00:01:00.000Z"}, None),
    ({"ratelimit-remaining": "0", "ratelimit-reset": "15"}, 15.0),
    ({}, None),
])
def test_wait_from_headers(headers: dict[str, str], expected: float | None) -> None:
    now = 1_796_083_200.0  # 2026-12-01T00:00:00Z
    assert wait_from_headers(headers, now) == expected


def _closed_port_url() -> str:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{s.getsockname()[1]}"


def test_a_service_that_never_answered_fails_after_two_tries() -> None:
    waits: list[float] = []
    with PoliteClient(_closed_port_url(), platform="test", sleep=waits.append, max_retries=6) as c, \
            pytest.raises(ConnectorError) as e:
        c.get("x")
    assert len(waits) == 1 and c.requests == 2
    assert str(e.value) == ("test: GET /x: could not connect after 2 tries (ConnectError): check the network and "
                            "--service-url")


def test_a_service_that_answered_once_gets_every_retry_when_it_goes_away() -> None:
    waits: list[float] = []
    with LoopbackServer() as server:
        server.reply("/x", {"ok": 1})
        with client(server, waits) as c:
            assert c.get("x") == {"ok": 1}
            # the next page's address is a dead one: a blip of a service that works, retried in full
            with pytest.raises(ConnectorError, match="no answer after 4 tries"):
                c.get(_closed_port_url() + "/x")
    assert len(waits) == 3
