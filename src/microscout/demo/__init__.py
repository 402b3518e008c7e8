"""The demo world: a seeded, realistic social world with its ground truth, written as a bundle."""

from __future__ import annotations

from microscout.demo.params import SIZES, WORLD_VERSION, WorldParams
from microscout.demo.world import WorldSummary, write_world

__all__ = ["SIZES", "WORLD_VERSION", "WorldParams", "WorldSummary", "write_world"]
