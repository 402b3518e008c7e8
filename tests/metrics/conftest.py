"""Tiny worlds for metrics: one creator at a time, with answers computed by hand."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import write_bundle

from microscout import Workspace, open_workspace

AS_OF = "2026-11-01T12:00:00Z"


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
