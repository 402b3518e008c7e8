"""Benchmark: collecting from Bluesky's API into a bundle, against a loopback server that plays a
generated AppView (no network; lexicon-shaped replies).

World: C creators, each with 100 posts (two feed pages), replies under its 10 latest posts (5 each),
and 200 followers (two pages) whose profiles are read 25 per call. Measured: the whole
`collect` (requests, parsing, rows, a durable checkpoint after every page, the bundle at the end)
and importing the bundle. Baseline in the same run: the same requests, in the same order, by a
bare HTTP client that only reads the bodies: the floor set by the server and the network stack.
The ratio is what the connector adds. Writes bench/results/collect_speed.json.

    .venv/bin/python -m bench.collect_speed [--creators 50]
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path
from typing import Any

import httpx
from tests.connectors.loopback import LoopbackServer, Reply

from bench.machine import machine, now

HERE = Path(__file__).parent
WORK = HERE / "work" / "collect"
POSTS, FOLLOWERS, THREADS, REPLIES = 100, 200, 10, 5


def did(kind: str, n: int) -> str:
    return f"did:plc:{kind}{n:06d}xxxxx"  # 12 characters after the prefix: the handle's first label


def profile(d: str, followers: int = 1500) -> dict[str, Any]:
    name = d.split(":")[-1]
    return {"did": d, "handle": f"{name}.bsky.social", "displayName": name.title(), "labels": [],
            "avatar": f"https://cdn.bsky.app/img/avatar/plain/{d}/bafkrei@jpeg", "createdAt": "2024-01-01T00:00:00.000Z",
            "description": "vegan baking and bread #vegan", "indexedAt": "2026-10-01T00:00:00.000Z",
            "followersCount": followers, "followsCount": 300, "postsCount": 800}


def post_view(author: str, i: int, reply_to: str | None = None, root: str | None = None) -> dict[str, Any]:
    uri = f"at://{author}/app.bsky.feed.post/{'r' if reply_to else 'p'}{i:08d}"
    record: dict[str, Any] = {"$type": "app.bsky.feed.post", "createdAt": f"2026-10-{1 + i % 28:02d}T10:00:00.000Z",
                              "text": f"Post {i} about #vegan cakes", "langs": ["de"]}
    if reply_to:
        record["reply"] = {"root": {"uri": root, "cid": "bafyroot"}, "parent": {"uri": reply_to, "cid": "bafyparent"}}
    return {"$type": "app.bsky.feed.defs#postView", "uri": uri, "cid": f"bafy{i}",
            "author": {"did": author, "handle": f"{author.split(':')[-1]}.bsky.social"},
            "record": record, "replyCount": 0 if reply_to else REPLIES, "repostCount": 2, "likeCount": 30,
            "quoteCount": 0, "indexedAt": "2026-10-01T00:00:00.000Z", "labels": []}


class GeneratedAppView(LoopbackServer):
    """Answers every AppView call from the generated world, so any number of creators fits."""

    def __init__(self, creators: int) -> None:
        super().__init__()
        self.creators = [did("c", n) for n in range(creators)]

    def _match(self, request: Any) -> Reply:
        q = {k: v[-1] for k, v in request.query.items()}
        name = request.path.rsplit("/", 1)[-1]
        if name == "app.bsky.actor.getProfiles":
            actors = request.query.get("actors", [])
            body: dict[str, Any] = {"profiles": [profile(a if a.startswith("did:") else "did:plc:" + a.split(".")[0])
                                                 for a in actors]}
        elif name == "app.bsky.feed.getAuthorFeed":
            start = int(q.get("cursor") or 0)
            n = int(q.get("limit", 50))
            body = {"feed": [{"post": post_view(q["actor"], i)} for i in range(start, start + n)]}
            if start + n < POSTS:
                body["cursor"] = str(start + n)
        elif name == "app.bsky.feed.getPostThread":
            uri = q["uri"]
            author = uri.split("/")[2]
            root = {**post_view(author, 0), "uri": uri}
            body = {"thread": {"$type": "app.bsky.feed.defs#threadViewPost", "post": root, "replies": [
                {"$type": "app.bsky.feed.defs#threadViewPost", "replies": [],
                 "post": {**post_view(did("f", j), j, reply_to=uri, root=uri),
                          "uri": f"{uri}-reply{j}"}} for j in range(REPLIES)]}}
        elif name == "app.bsky.graph.getFollowers":
            start = int(q.get("cursor") or 0)
            n = int(q.get("limit", 100))
            base = self.creators.index(q["actor"]) * 1000
            body = {"subject": profile(q["actor"]),
                    "followers": [profile(did("f", base + i), 50) for i in range(start, start + n)]}
            if start + n < FOLLOWERS:
                body["cursor"] = str(start + n)
        else:
            return Reply(b'{"error": "MethodNotImplemented"}', 501)
        return Reply(json.dumps(body).encode())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--creators", type=int, default=50)
    args = ap.parse_args()
    from microscout import open_workspace
    from microscout.config import load_settings
    from microscout.connectors import CollectRequest, collect

    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    handles = [profile(did("c", n))["handle"] for n in range(args.creators)]
    with GeneratedAppView(args.creators) as server:
        request = CollectRequest(handles=tuple(handles), posts=POSTS, comments=THREADS, followers=FOLLOWERS,
                                 service_url=server.url)
        settings = load_settings(None, db=WORK / "w.duckdb")
        t = time.perf_counter()
        result = collect(settings, "bluesky", request, WORK / "bundle")
        collect_s = time.perf_counter() - t
        replay = [(r.path, r.query) for r in server.log]
        t = time.perf_counter()
        with httpx.Client() as bare:
            for path, query in replay:
                bare.get(server.url + path, params=query).content  # noqa: B018 (read the body, as the client does)
        bare_s = time.perf_counter() - t
    t = time.perf_counter()
    with open_workspace(db=WORK / "w.duckdb") as ws:
        imported = ws.import_bundle(WORK / "bundle")
    import_s = time.perf_counter() - t
    rows = sum(result.rows.values())
    out = {"benchmark": "collect_speed", "date": now(), "machine": machine(),
           "world_size": f"{args.creators} Bluesky creators: {POSTS} posts, {THREADS}x{REPLIES} replies, "
                         f"{FOLLOWERS} followers each",
           "rows": result.rows, "requests": result.requests,
           "figures": [
               {"figure": "collect", "value": round(collect_s, 2), "unit": "s"},
               {"figure": "collect_rows_per_second", "value": round(rows / collect_s), "unit": "rows/s"},
               {"figure": "collect_requests_per_second", "value": round(result.requests / collect_s), "unit": "req/s"},
               {"figure": "baseline_bare_requests", "value": round(bare_s, 2), "unit": "s",
                "note": "the same requests by a bare httpx client that only reads the bodies"},
               {"figure": "collect_over_baseline", "value": round(collect_s / bare_s, 2), "unit": "ratio"},
               {"figure": "import_bundle", "value": round(import_s, 2), "unit": "s",
                "note": f"{imported.total_rows} rows checked and written"},
           ]}
    (HERE / "results" / "collect_speed.json").write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out["figures"], indent=2))
    shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
