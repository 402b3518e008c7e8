"""What every response of `microscout serve` passes through: the Host check (DNS rebinding), the
token gate for pages beyond loopback, and the security headers.

- Host: a web page the user visits can point a domain of its own at 127.0.0.1 and read the API
  through it (DNS rebinding). Only the names this server is reached by are answered: loopback
  names, the address it is bound to, IP literals (a rebinding needs a name) and the
  `allowed_hosts` setting; any other Host header gets 400.
- Beyond loopback every route needs the token (a Bearer header, or the session a login with it
  sets), except the login page, static files and the favicon.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Iterable

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
SESSION_COOKIE = "microscout_session"
BEYOND_LOOPBACK = ("this server is reachable beyond this machine: send Authorization: Bearer TOKEN "
                   "(printed when the server started)")

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
       # no eval: charts run Vega's expression interpreter (vega-embed's ast option)
       "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
       "form-action 'self'")


def session_value(token: str) -> str:
    """The session cookie a login with the token sets (derived from it: nothing else to store)."""
    return hmac.new(token.encode(), b"session", hashlib.sha256).hexdigest()


def host_name(header: str) -> str:
    """The name in a Host header, without its port ("[::1]:8000" → "::1")."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def allowed_host(header: str, bound: str, extra: Iterable[str] = ()) -> bool:
    name = host_name(header)
    if not name:
        return False
    if name in LOOPBACK_NAMES or name == bound.lower() or name in {h.lower() for h in extra}:
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def static_path(path: str) -> bool:
    return path.startswith("/static/") or path == "/favicon.ico"


def open_path(path: str) -> bool:
    """What answers without the token beyond loopback: the login page and static files."""
    return path == "/login" or static_path(path)
