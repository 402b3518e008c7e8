"""What the helpers beside the core (relationships, tracking, shortlists, planning) read and write
through, declared here so they depend on this small shape and not on the workspace above them:
services.state.WorkspaceState is one, the Workspace facade another."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import ibis.expr.types as ir

    from microscout.config import Settings
    from microscout.refs import AccountRef
    from microscout.store.base import Store


class WorkspaceData(Protocol):
    @property
    def settings(self) -> Settings: ...

    @property
    def store(self) -> Store: ...

    def table(self, name: str) -> ir.Table: ...

    def resolve(self, ref: str | AccountRef | tuple[str, str]) -> tuple[str, str]: ...

    def figures(self, tier_scheme: str | None = None,
                competitors: list[str] | None = None) -> tuple[ir.Table, ir.Table, ir.Table]: ...
