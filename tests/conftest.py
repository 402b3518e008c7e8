"""Fixtures: bundles written file by file, and fresh workspaces on a real DuckDB file."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from microscout import Workspace, open_workspace

BundleFiles = dict[str, Any]

# pytest-xdist's workers set COLUMNS=80 and LINES; the CLI's tables follow COLUMNS, so a command a
# test runs would print another width under workers than alone. Tests that need a width set it.
for _name in ("COLUMNS", "LINES"):
    os.environ.pop(_name, None)

ACCOUNTS_CSV = (
    "platform,account_id,handle,followers\n"
    "instagram,1,lena.bakes,12000\n"
    "instagram,2,ola,4300\n"
)
POSTS_CSV = (
    "platform,post_id,account_id,created_at,likes,comments\n"
    "instagram,p1,1,2026-10-01T10:00:00Z,100,10\n"
    "instagram,p2,2,2026-10-02T10:00:00Z,50,5\n"
)


def write_bundle(root: Path, files: BundleFiles, bundle_json: dict[str, Any] | None = None) -> Path:
    """Write each file: text as given (bytes exactly), a list of dicts as JSONL or Parquet."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_bytes(content.encode("utf-8"))
        elif name.endswith(".jsonl"):
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in content), encoding="utf-8")
        elif name.endswith(".parquet"):
            table = content if isinstance(content, pa.Table) else pa.Table.from_pylist(content)
            pq.write_table(table, path)
        else:
            raise TypeError(name)
    if bundle_json is not None:
        (root / "bundle.json").write_text(json.dumps(bundle_json), encoding="utf-8")
    return root


@pytest.fixture
def make_bundle(tmp_path: Path) -> Callable[..., Path]:
    counter = iter(range(10_000))

    def make(files: BundleFiles, bundle_json: dict[str, Any] | None = None) -> Path:
        return write_bundle(tmp_path / f"bundle{next(counter)}", files, bundle_json)

    return make


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    ws = open_workspace(db=tmp_path / "ws.duckdb", config_file=None)
    yield ws
    ws.close()


def counts(ws: Workspace) -> dict[str, int]:
    return {t: v["rows"] for t, v in ws.info()["tables"].items()}


def rows(ws: Workspace, table: str, order_by: str | None = None) -> list[dict[str, Any]]:
    t = ws.table(table)
    if order_by:
        t = t.order_by(order_by)
    return t.execute().to_dict("records")


# -- tiny worlds for metrics and authenticity: one creator at a time, answers computed by hand --
AS_OF = "2026-11-01T12:00:00Z"


def social_world(tmp_path: Path, account_cols: str, accounts: list[tuple[Any, ...]], post_cols: str,
                 posts: list[tuple[Any, ...]], follows: list[tuple[Any, ...]], **settings: Any) -> Workspace:
    """A workspace holding one Instagram bundle of accounts, posts and follows, collected on
    2026-11-01; the topic model is off unless `settings` says otherwise."""
    files = {"accounts.csv": csv_of(account_cols, accounts), "posts.csv": csv_of(post_cols, posts),
             "follows.csv": csv_of("follower_id,followee_id", follows)}
    bundle = write_bundle(tmp_path / "b", files, {"platform": "instagram", "collected_at": "2026-11-01T12:00:00Z"})
    ws = open_workspace(db=tmp_path / "ws.duckdb", **{"topic_model": "none", **settings})
    ws.import_bundle(bundle)
    return ws


def csv_of(header: str, rows: list[tuple[Any, ...]]) -> str:
    def cell(v: Any) -> str:
        if v is None:
            return ""
        text = str(v)
        return '"' + text.replace('"', '""') + '"' if any(ch in text for ch in ',"\n') else text
    return header + "\n" + "".join(",".join(cell(v) for v in r) + "\n" for r in rows)


@pytest.fixture
def tiny(tmp_path: Path) -> Callable[..., Workspace]:
    """tiny(accounts=[(id, handle, followers, extra...)], posts=[...], ...) → an imported workspace."""
    made: list[Workspace] = []

    def build(accounts: list[tuple[Any, ...]], posts: list[tuple[Any, ...]] = (), comments: list[tuple[Any, ...]] = (),
              snapshots: list[tuple[Any, ...]] = (), account_cols: str = "account_id,handle,followers",
              post_cols: str = "post_id,account_id,created_at,likes,comments", collected_at: str | None = AS_OF,
              settings: dict[str, Any] | None = None) -> Workspace:
        files = {"accounts.csv": csv_of(account_cols, accounts)}
        if posts:
            files["posts.csv"] = csv_of(post_cols, posts)
        if comments:
            files["comments.csv"] = csv_of("comment_id,post_id,author_id,created_at,text,reply_to", comments)
        if snapshots:
            files["snapshots.csv"] = csv_of("account_id,at,followers", snapshots)
        meta: dict[str, Any] = {"platform": "instagram"}
        if collected_at:
            meta["collected_at"] = collected_at
        bundle = write_bundle(tmp_path / f"b{len(made)}", files, meta)
        ws = open_workspace(db=tmp_path / f"ws{len(made)}.duckdb", **(settings or {}))
        ws.import_bundle(bundle)
        made.append(ws)
        return ws

    yield build
    for ws in made:
        ws.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The heaviest modules first. pytest-xdist hands a worker the next module when it is free,
    so a long module started last would run alone at the end while the other worker idles."""
    items.sort(key=lambda item: item.get_closest_marker("heavy") is None)
