"""The Workspace: one object for the Python API, the CLI and the server, that only delegates.
Each area lives in its service (microscout/services), built from one WorkspaceState (the store
and the settings); a method here is its service's own, so each signature is written once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from microscout.config import Settings, load_settings
from microscout.services.authenticity import AuthenticityService
from microscout.services.campaigns import CampaignService
from microscout.services.creators import CreatorService
from microscout.services.data import DataService
from microscout.services.discovery import DiscoveryService
from microscout.services.shortlists import ShortlistService
from microscout.services.state import WorkspaceState
from microscout.store import Store


class Workspace:
    """A microscout workspace: `Workspace.open(db="my.duckdb")` or `open_workspace()`."""

    # no workspace needed: a file is checked like an import in a scratch one
    scratch_fakes = staticmethod(AuthenticityService.scratch_fakes)
    train_labels = staticmethod(AuthenticityService.train_labels)
    evaluate_labels = staticmethod(AuthenticityService.evaluate_labels)

    def __init__(self, settings: Settings, state: WorkspaceState | None = None) -> None:
        self.state = state or WorkspaceState(settings)
        self._readers: list[Workspace] = []
        self.data = DataService(self.state)
        self.creator_figures = CreatorService(self.state)
        self.discovery = DiscoveryService(self.state, self.creator_figures)
        self.campaigns = CampaignService(self.state, self.discovery)
        self.authenticity = AuthenticityService(self.state)
        self.lists = ShortlistService(self.state, self.creator_figures)
        data, figures, discovery, campaigns = self.data, self.creator_figures, self.discovery, self.campaigns
        self.import_bundle = data.import_bundle
        self.info = data.info
        self.analyze = data.analyze
        self.embed_documents = data.embed_documents
        self.forget = data.forget
        self.purge = data.purge
        self.tier_names = figures.tier_names
        self.vet = figures.vet
        self.audience_breakdown = figures.audience_breakdown
        self.creators = figures.creators
        self.account = figures.account
        self.snapshots = figures.snapshots
        self.recent_posts = figures.recent_posts
        self.scout = discovery.scout
        self.scout_records = discovery.scout_records
        self.mentions = discovery.mentions
        self.employees = discovery.employees
        self.niche_hashtags = discovery.niche_hashtags
        self.similar = discovery.similar
        self.relationship = campaigns.relationship
        self.relate = campaigns.relate
        self.pipeline = campaigns.pipeline
        self.relationship_history = campaigns.relationship_history
        self.track = campaigns.track
        self.plan = campaigns.plan
        self.shortlists = self.lists.shortlists
        self.shortlist = self.lists.shortlist
        self.add_to_shortlist = self.lists.add
        self.remove_from_shortlist = self.lists.remove
        self.fake_model = self.authenticity.fake_model
        self.fakes = self.authenticity.fakes
        self.table = self.state.table
        self.resolve = self.state.resolve
        self.figures = self.state.figures

    @classmethod
    def open(cls, db: str | Path | None = None, config_file: str | Path | None = None,
             **settings: Any) -> Workspace:
        return cls(load_settings(config_file, db=db, **settings))

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for reader in self._readers:
            reader.store.close()
        self._readers.clear()
        self.store.close()

    @property
    def settings(self) -> Settings:
        return self.state.settings

    @property
    def store(self) -> Store:
        return self.state.store

    @property
    def backend(self) -> str:
        return self.store.backend_name

    @property
    def can_read_concurrently(self) -> bool:
        return callable(getattr(self.store, "reader", None))

    def reader(self) -> Workspace:
        """This workspace for another thread's reads, on its own cursor of the same database (see
        web/gate.py), sharing what it knows of the analysis; closed with this one."""
        state = WorkspaceState(self.settings, self.store.reader(), self.state.freshness)  # type: ignore[attr-defined]
        for hook in ("embed_progress", "analyze_progress", "analyze_on_read", "before_analyze"):
            setattr(state, hook, getattr(self.state, hook))
        twin = Workspace(self.settings, state)
        self._readers.append(twin)
        return twin

    # how an analyze reports and when a read may start one: set on the workspace, kept by its state
    @property
    def embed_progress(self) -> Callable[[int, int], None] | None:
        return self.state.embed_progress

    @embed_progress.setter
    def embed_progress(self, value: Callable[[int, int], None] | None) -> None:
        self.state.embed_progress = value

    @property
    def analyze_progress(self) -> Callable[[str, int, int], None] | None:
        return self.state.analyze_progress

    @analyze_progress.setter
    def analyze_progress(self, value: Callable[[str, int, int], None] | None) -> None:
        self.state.analyze_progress = value

    @property
    def analyze_on_read(self) -> bool:
        return self.state.analyze_on_read

    @analyze_on_read.setter
    def analyze_on_read(self, value: bool) -> None:
        self.state.analyze_on_read = value

    @property
    def before_analyze(self) -> Callable[[str], None] | None:
        return self.state.before_analyze

    @before_analyze.setter
    def before_analyze(self, value: Callable[[str], None] | None) -> None:
        self.state.before_analyze = value

    def ensure_analyzed(self) -> None:
        """Bring the saved figures up to the data (or refuse, see analyze_on_read) before a read."""
        self.state.ensure_analyzed()


def open_workspace(db: str | Path | None = None, config_file: str | Path | None = None,
                   **settings: Any) -> Workspace:
    """Open (creating if needed) the workspace named by `db`, the settings file or the environment."""
    return Workspace.open(db, config_file, **settings)

