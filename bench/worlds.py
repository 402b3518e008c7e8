"""Worlds the benchmarks share."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def small_analysed(tmp: Path, seed: int = 7) -> Any:
    """The small demo world of `seed`, imported into a workspace under `tmp` and analysed (topic
    model off); the caller closes it."""
    from microscout import open_workspace
    from microscout.demo import write_world

    world = write_world(tmp / "w", "small", seed)
    ws = open_workspace(db=tmp / "ws.duckdb", topic_model="none")
    ws.import_bundle(world.bundle)
    ws.analyze()
    return ws
