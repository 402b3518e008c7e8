"""What the CLI asks of a workspace wherever it is: the file itself (Workspace) or a running
server that holds it (web/remote.py's RemoteWorkspace). Both implement WorkspaceAPI, and mypy
holds them to it where commands.shared.any_workspace hands out one or the other."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from microscout.brief import Brief


class Imported(Protocol):
    """An import's summary, local (store.importer.ImportResult) or answered by the server."""

    warnings: list[str]
    seconds: float
    source: str

    @property
    def total_rows(self) -> int: ...

    def as_dict(self) -> dict[str, Any]: ...


class WorkspaceAPI(Protocol):
    def import_bundle(self, path: str | Path, progress: Any = None) -> Imported: ...

    def info(self) -> dict[str, Any]: ...

    def vet(self, ref: str, tier_scheme: str | None = None,
            competitors: list[str] | None = None) -> dict[str, Any]: ...

    def creators(self, *, platform: str | None = None, tier: str | None = None, min_followers: int | None = None,
                 max_followers: int | None = None, min_er: float | None = None, max_er: float | None = None,
                 q: str | None = None, flags: list[str] | None = None, no_fraud: bool = False,
                 min_quality: float | None = None, sort: str = "-followers", limit: int | None = 100,
                 offset: int = 0, tier_scheme: str | None = None) -> tuple[list[dict[str, Any]], int]: ...

    def scout_records(self, brief: Brief, limit: int = 50,
                      among_followers: list[str] | None = None) -> dict[str, Any]: ...

    def similar(self, ref: str, limit: int = 50, platforms: list[str] | None = None, tiers: list[str] | None = None,
                allow_flags: tuple[str, ...] = (), tier_scheme: str | None = None) -> dict[str, Any]: ...

    def mentions(self, handles: list[str], limit: int = 50, allow_flags: tuple[str, ...] = ()) -> dict[str, Any]: ...

    def niche_hashtags(self, topic: str | None, location: str | None, platforms: tuple[str, ...] = (),
                       limit: int = 20) -> dict[str, Any]: ...

    def plan(self, brief: Brief, budget: float | None = None, candidates: int | None = None,
             post_format: str | None = None, exact: bool = False,
             word_of_mouth: float | None = None) -> dict[str, Any]: ...

    def relate(self, ref: str, brand: str, changes: dict[str, Any], version: int | None = None) -> dict[str, Any]: ...

    def pipeline(self, brand: str) -> list[dict[str, Any]]: ...

    def relationship_history(self, ref: str, brand: str) -> list[dict[str, Any]]: ...
