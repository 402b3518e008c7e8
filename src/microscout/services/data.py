"""The workspace's data: import, the info contract, analyze, and erasure (forget, purge)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from microscout import analysis
from microscout.analysis import AnalysisResult
from microscout.exceptions import MicroscoutError
from microscout.ingest.bundle import locate_bundle
from microscout.refs import AccountRef
from microscout.services.state import WorkspaceState, utcnow
from microscout.store.erasure import forget_account, purge_audience
from microscout.store.importer import ImportResult, ProgressCallback, import_into


class DataService:
    def __init__(self, state: WorkspaceState) -> None:
        self.state = state
        state.run_analyze = self.analyze

    def import_bundle(self, path: str | Path, progress: ProgressCallback | None = None) -> ImportResult:
        """Import a bundle (folder or .zip): all of it, or nothing with every problem named."""
        s = self.state
        imported_at = utcnow()
        with locate_bundle(path) as bundle:
            s.freshness.changed()
            result = s.store.write(
                lambda con: import_into(con, bundle, imported_at, s.settings.max_errors, progress))
        if s.settings.retention_days:
            self.purge()
        return result

    def info(self) -> dict[str, Any]:
        """The info contract: rows per table, accounts per platform, every import."""
        return self.state.store.inventory()

    def analyze(self, tier_scheme: str | None = None, competitors: list[str] | None = None,
                full: bool = False, embed: bool = True) -> AnalysisResult:
        """Compute every creator's figures, benchmarks and caution flags (see docs/metrics.md); only
        creators touched by data imported since the last analysis are computed anew, unless `full`.
        With the topic model and `embed`, then embed the creator documents that changed."""
        s = self.state
        s.freshness.changed()
        with s.store.publishing():  # all derived tables of this run, or none
            result = analysis.analyze(s.store, s.settings, tier_scheme, competitors, full, s.analyze_progress)
        if not embed or not analysis.topic_enabled(s.settings):
            return result
        topic = self.embed_documents()
        return replace(result, seconds=result.seconds + topic.seconds, embedded=topic.embedded)

    def embed_documents(self) -> analysis.TopicIndexResult:
        """Embed the analysed creators' documents for topic search, those that changed only. Slow
        the first time (tens of ms a creator); an interrupted run keeps what it embedded."""
        if not analysis.topic_enabled(self.state.settings):
            raise MicroscoutError("topic search is off: install microscout[topic] and set topic_model = \"auto\" (or words, sentences)")
        try:
            return analysis.update_topic_vectors(self.state.store, self.state.settings.topic_model,
                                                 self.state.embed_progress)
        finally:
            self.state.freshness.changed()  # the vectors changed: a topic's similarities too

    def forget(self, ref: str | AccountRef) -> dict[str, int]:
        """Erase an account from every table of the workspace (store/catalog.py): what it wrote, what
        names it, its relationships and shortlist entries, its derived figures; its handle is taken
        out of others' text. Later imports skip it."""
        s = self.state
        platform, account_id = s.resolve(ref)
        now = utcnow()
        s.freshness.changed()
        return s.store.write(lambda con: forget_account(con, platform, account_id, now), with_saved=True)

    def purge(self, older_than_days: int | None = None) -> dict[str, int]:
        """Apply the retention setting (or `older_than_days`) to audience-only accounts."""
        s = self.state
        days = older_than_days or s.settings.retention_days
        if not days:
            return {"accounts": 0, "snapshots": 0}
        now = utcnow()
        s.freshness.changed()
        return s.store.write(lambda con: purge_audience(con, days, now), with_saved=True)
