"""What every service shares: the store, the settings, and whether the saved figures are of the
data as it is now (reads analyze first, or refuse, when they are not)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import ibis.expr.types as ir

from microscout import analysis
from microscout.config import Settings
from microscout.exceptions import AccountNotFoundError, NotAnalyzedError
from microscout.refs import AccountRef, parse_account_ref
from microscout.store import Store, open_store


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


class Freshness:
    """Whether the saved figures are current, shared by a workspace and its readers: a process
    holds the file alone, so only its own writes make them stale."""

    def __init__(self) -> None:
        self.known_current = False
        self.generation = 0  # counts the changes: what a reader kept of older data is stale
        self.guard = threading.Lock()  # one analyze at a time, also one a read starts

    def changed(self) -> None:
        self.known_current = False
        self.generation += 1


class WorkspaceState:
    """The store and the settings, the analysis hooks, and the reads every service needs."""

    def __init__(self, settings: Settings, store: Store | None = None, freshness: Freshness | None = None) -> None:
        self.settings = settings
        self.store: Store = store if store is not None else open_store(settings)
        self.freshness = freshness or Freshness()
        # called as (done, total) while an analyze embeds documents for topic search
        self.embed_progress: Callable[[int, int], None] | None = None
        # called as (step, steps done, steps in all) while an analyze runs, also one a read starts
        self.analyze_progress: Callable[[str, int, int], None] | None = None
        # a read of data changed since the last analyze: analyze first (after `before_analyze`
        # says so), or, False (the server), refuse with NotAnalyzedError and write nothing
        self.analyze_on_read = True
        self.before_analyze: Callable[[str], None] | None = None
        # set by the data service: how a read brings the figures up to date
        self.run_analyze: Callable[[], Any] | None = None
        # a topic's similarity to every creator (a data frame), by (topic, topic model, generation)
        self.topic_cache: dict[tuple[str, str, int], Any] = {}

    def table(self, name: str) -> ir.Table:
        return self.store.table(name)

    def ensure_analyzed(self) -> None:
        """Make sure the saved figures are of the data as it is now. Tier schemes and competitors
        apply per question (analysis.figures), so no read ever re-analyzes for them."""
        if self.freshness.known_current:
            return
        if not analysis.is_current(self.store, self.settings):
            with self.freshness.guard:  # reads in other threads may have found it stale too
                if not analysis.is_current(self.store, self.settings):
                    never = not self.store.has_table("analysis_state")
                    why = ("the data has not been analyzed yet" if never
                           else "the data changed since the last analyze")
                    if not self.analyze_on_read or self.run_analyze is None:
                        raise NotAnalyzedError(f"{why}: run `microscout analyze` (or POST /api/v1/analyze)")
                    if self.before_analyze:
                        self.before_analyze(why)
                    self.run_analyze()
        self.freshness.known_current = True

    def figures(self, tier_scheme: str | None = None,
                competitors: list[str] | None = None) -> tuple[ir.Table, ir.Table, ir.Table]:
        """(creator_metrics, discovery_base, tier_benchmarks) under a tier scheme and competitors,
        the data analyzed first if it changed."""
        self.ensure_analyzed()
        return analysis.figures(self.store, self.settings, tier_scheme, competitors)

    def resolve(self, ref: str | AccountRef | tuple[str, str]) -> tuple[str, str]:
        """(platform, account_id) of an account reference; a clear error when none or several match.
        A (platform, account_id) pair is taken as already resolved."""
        if isinstance(ref, tuple) and not isinstance(ref, AccountRef):
            return ref
        if isinstance(ref, str):
            ref = parse_account_ref(ref)
        accounts = self.table("accounts")
        if ref.account_id is not None:
            assert ref.platform is not None
            found = accounts.filter((accounts.platform == ref.platform) & (accounts.account_id == ref.account_id))
        else:
            handle = (ref.handle or "").lower()
            cond = accounts.handle.lower() == handle
            if ref.platform:
                cond = cond & (accounts.platform == ref.platform)
            found = accounts.filter(cond)
        rows = found.select("platform", "account_id", "handle").limit(11).execute()
        if len(rows) == 0:
            raise AccountNotFoundError(f"no account {ref} in the workspace")
        if len(rows) > 1:
            names = ", ".join(f"{r.platform}:{r.account_id} (@{r.handle})" for r in rows.itertuples())
            raise AccountNotFoundError(f"{ref} names more than one account: {names}; "
                                       "say which with platform:account_id")
        r = rows.iloc[0]
        return str(r.platform), str(r.account_id)
