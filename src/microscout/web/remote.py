"""The workspace through a running server: while `microscout serve` holds the file (its address
beside it, `<db>.server.json`), CLI commands call its API instead of opening the file. Commands
the API does not cover say so and how to run them."""

from __future__ import annotations

import io
import json
import os
import socket
import time
import uuid
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlencode, urlsplit

from microscout.contracts import (
    Change,
    CreatorsOut,
    HashtagsOut,
    InfoOut,
    PlanOut,
    Relationship,
    ScoutOut,
    VetOut,
)
from microscout.exceptions import BundleProblem, InvalidBundleError, MicroscoutError
from microscout.web import address_file

if TYPE_CHECKING:
    from microscout.brief import Brief


def running_server(db: Path) -> dict[str, Any] | None:
    """The address file's content when a live process wrote it; a stale file is removed."""
    marker = address_file(db)
    try:
        found: dict[str, Any] = json.loads(marker.read_text())
        os.kill(int(found["pid"]), 0)
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        marker.unlink(missing_ok=True)  # the server died without cleaning up
        return None
    if not _answers(str(found.get("url", ""))):
        marker.unlink(missing_ok=True)  # its process lives on (or the pid was reused), but nothing listens
        return None
    return found


def _answers(url: str) -> bool:
    """Whether something accepts connections at the server's address (within a second)."""
    parts = urlsplit(url)
    host = parts.hostname or "127.0.0.1"
    if host in ("0.0.0.0", "::"):
        host = "127.0.0.1" if host == "0.0.0.0" else "::1"
    try:
        with socket.create_connection((host, parts.port or 80), timeout=1.0):
            return True
    except OSError:
        return False


class _Imported:
    def __init__(self, summary: dict[str, Any]):
        self.summary = summary
        self.warnings = summary.get("warnings", [])
        self.total_rows = summary.get("rows", 0)
        self.seconds = summary.get("seconds", 0.0)
        self.source = summary.get("source", "")

    def as_dict(self) -> dict[str, Any]:
        return self.summary


class _Answer:
    def __init__(self, status_code: int, content: bytes):
        self.status_code, self.content = status_code, content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.content)


class _Http:
    """The server's API over the standard library's http.client: an HTTP library took a third of
    the start-up of a command the server answers. One connection a request: the server is near."""

    def __init__(self, url: str, token: str, timeout: float):
        parts = urlsplit(url)
        self.https = parts.scheme == "https"
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port
        self.headers = {"Authorization": f"Bearer {token}"}
        self.timeout = timeout

    def request(self, method: str, path: str, params: dict[str, Any] | None = None, json: Any = None,
                files: dict[str, tuple[str, bytes, str]] | None = None) -> _Answer:
        import http.client

        pairs = [(k, _query_value(x)) for k, v in (params or {}).items()
                 for x in (v if isinstance(v, list | tuple) else [v])]
        target = path + ("?" + urlencode(pairs) if pairs else "")
        headers = dict(self.headers)
        body: bytes | None = None
        if json is not None:
            body, headers["Content-Type"] = _json_bytes(json), "application/json"
        elif files:
            boundary = uuid.uuid4().hex
            body = _multipart(files, boundary)
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        kind = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
        conn = kind(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, target, body=body, headers=headers)
            response = conn.getresponse()
            return _Answer(response.status, response.read())
        finally:
            conn.close()


def _query_value(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value).encode()


def _multipart(files: dict[str, tuple[str, bytes, str]], boundary: str) -> bytes:
    out = io.BytesIO()
    for field, (filename, content, media_type) in files.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                  f"Content-Type: {media_type}\r\n\r\n".encode())
        out.write(content)
        out.write(b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue()


class RemoteWorkspace:
    def __init__(self, server: dict[str, Any]):
        self.url, self.pid = server["url"], server["pid"]
        self.embed_progress = None
        self._client = _Http(self.url, server["token"], timeout=3600)

    def __enter__(self) -> RemoteWorkspace:
        return self

    def __exit__(self, *exc: object) -> None:
        pass

    def _call(self, method: str, path: str, **kwargs: Any) -> _Answer:
        import http.client

        try:
            r = self._client.request(method, path, **kwargs)
        except (OSError, http.client.HTTPException) as e:
            raise MicroscoutError(f"the server at {self.url} (pid {self.pid}) holds this workspace but did not "
                                  f"answer: {e}") from None
        if r.status_code >= 400:
            try:
                body = r.json()
            except ValueError:
                body = {"error": r.text[:300]}
            if body.get("problems"):
                raise InvalidBundleError(cast("list[BundleProblem]", [_Problem(p) for p in body["problems"]]))
            raise MicroscoutError(body.get("error") or f"HTTP {r.status_code}")
        return r

    def _record(self, contract: Any, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        return cast("dict[str, Any]", self._answer(contract, method, path, **kwargs))

    def _records(self, contract: Any, method: str, path: str, **kwargs: Any) -> list[dict[str, Any]]:
        return cast("list[dict[str, Any]]", self._answer(contract, method, path, **kwargs))

    def _answer(self, contract: Any, method: str, path: str, **kwargs: Any) -> Any:
        """The server's answer, checked against the contract this client knows (microscout.contracts):
        a server of another version is named, never misread."""
        from pydantic import TypeAdapter, ValidationError

        body = self._call(method, path, **kwargs).json()
        try:
            TypeAdapter(contract).validate_python(body)
        except ValidationError as e:
            first = e.errors()[0]
            where = ".".join(str(x) for x in first["loc"])
            raise MicroscoutError(f"the server at {self.url} answered {path} in another shape than this client "
                                  f"knows ({where}: {first['msg']}): run the same microscout version for both") from None
        return body

    def _unsupported(self, what: str) -> MicroscoutError:
        return MicroscoutError(f"{what} does not go through the server yet: the server at {self.url} (pid {self.pid}) "
                               "holds this workspace; stop it (Ctrl-C) to run this on the file")

    def __getattr__(self, name: str) -> Any:
        raise self._unsupported(f"'{name}'")

    # -- what the API covers ----------------------------------------------------------------------
    def info(self) -> dict[str, Any]:
        return self._record(InfoOut, "GET", "/api/v1/info")

    def vet(self, ref: str, tier_scheme: str | None = None, competitors: list[str] | None = None) -> dict[str, Any]:
        if tier_scheme or competitors:
            raise self._unsupported("vet with --tier-scheme or --competitors")
        found = self._call("GET", "/api/v1/accounts/resolve", params={"ref": ref}).json()
        return self._record(VetOut, "GET", f"/api/v1/creators/{found['platform']}/{found['account_id']}")

    def creators(self, *, limit: int | None = 100, offset: int = 0, **filters: Any) -> tuple[list[dict[str, Any]], int]:
        allowed = {"platform", "tier", "min_followers", "max_followers", "q", "sort"}
        if extra := sorted(k for k, v in filters.items() if v not in (None, False, [], ()) and k not in allowed):
            raise self._unsupported(f"creators with {', '.join('--' + k.replace('_', '-') for k in extra)}")
        params = {k: v for k, v in filters.items() if k in allowed and v is not None}
        body = self._record(CreatorsOut, "GET", "/api/v1/creators", params={**params, "limit": limit or 1000,
                                                                          "offset": offset})
        return body["items"], body["total"]

    def scout_records(self, brief: Brief, limit: int = 50, among_followers: list[str] | None = None) -> dict[str, Any]:
        if among_followers is not None:
            raise self._unsupported("scout --among-followers")
        return self._record(ScoutOut, "POST", "/api/v1/scout", params={"limit": limit}, json=brief_json(brief))

    def plan(self, brief: Brief, budget: float | None = None, candidates: int | None = None,
             post_format: str | None = None, exact: bool = False, word_of_mouth: float | None = None) -> dict[str, Any]:
        if candidates or post_format or exact or word_of_mouth:
            raise self._unsupported("plan with --candidates, --post-format, --exact or --word-of-mouth")
        body = brief_json(brief)
        if budget is not None:
            body["budget"] = budget
        return self._record(PlanOut, "POST", "/api/v1/plan", json=body)

    def similar(self, ref: str, limit: int = 50, platforms: list[str] | None = None, tiers: list[str] | None = None,
                allow_flags: tuple[str, ...] = (), tier_scheme: str | None = None) -> dict[str, Any]:
        found = self._call("GET", "/api/v1/accounts/resolve", params={"ref": ref}).json()
        params = {"limit": limit, "platform": platforms or [], "tier": tiers or [], "allow_flag": list(allow_flags),
                  **({"tier_scheme": tier_scheme} if tier_scheme else {})}
        return self._record(ScoutOut, "GET", f"/api/v1/similar/{found['platform']}/{found['account_id']}",
                            params=params)

    def mentions(self, handles: list[str], limit: int = 50, allow_flags: tuple[str, ...] = ()) -> dict[str, Any]:
        return self._record(ScoutOut, "GET", "/api/v1/mentions", params={"handle": handles, "limit": limit,
                                                                        "allow_flag": list(allow_flags)})

    def niche_hashtags(self, topic: str | None, location: str | None, platforms: tuple[str, ...] = (),
                       limit: int = 20) -> dict[str, Any]:
        params = {"platform": list(platforms), "limit": limit, **({"topic": topic} if topic else {}),
                  **({"location": location} if location else {})}
        return self._record(HashtagsOut, "GET", "/api/v1/hashtags", params=params)

    def relate(self, ref: str, brand: str, changes: dict[str, Any], version: int | None = None) -> dict[str, Any]:
        found = self._call("GET", "/api/v1/accounts/resolve", params={"ref": ref}).json()
        return self._record(Relationship, "PUT", f"/api/v1/relationships/{found['platform']}/{found['account_id']}",
                            json={"brand": brand, "version": version, "changes": changes})

    def pipeline(self, brand: str) -> list[dict[str, Any]]:
        return self._records(list[Relationship], "GET", "/api/v1/relationships", params={"brand": brand})

    def relationship_history(self, ref: str, brand: str) -> list[dict[str, Any]]:
        found = self._call("GET", "/api/v1/accounts/resolve", params={"ref": ref}).json()
        return self._records(list[Change], "GET", f"/api/v1/relationships/{found['platform']}/{found['account_id']}",
                             params={"brand": brand, "history": True})

    def import_bundle(self, path: str | Path, progress: Any = None) -> _Imported:
        job = self._call("POST", "/api/v1/imports", files={"file": ("bundle.zip", _zipped(Path(path)),
                                                                    "application/zip")}).json()
        while job["state"] in ("queued", "running"):
            time.sleep(0.2)
            job = self._call("GET", f"/api/v1/jobs/{job['id']}").json()
        if job["state"] == "failed":
            if job.get("problems"):
                raise InvalidBundleError(cast("list[BundleProblem]", [_Problem(p) for p in job["problems"]]))
            raise MicroscoutError(job["error"])
        return _Imported(job["result"]["summary"])


class _Problem:
    """A problem the server already rendered as text (file, line, column, value, expected)."""

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return self.text


def brief_json(brief: Brief) -> dict[str, Any]:
    """The brief as the JSON the API takes: its TOML keys, unset ones left out."""
    return brief.model_dump(mode="json", exclude_none=True)


def _zipped(path: Path) -> bytes:
    if path.is_file():
        return path.read_bytes()
    if not path.is_dir():
        raise MicroscoutError(f"{path}: no such file or folder: expected a bundle (a folder or a .zip of one)")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(path.rglob("*")):
            if f.is_file():
                zf.write(f, f.relative_to(path).as_posix())
    return buf.getvalue()
