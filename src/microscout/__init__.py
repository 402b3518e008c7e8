"""microscout: find, vet and plan campaigns with micro-influencers, with explainable scores."""

from __future__ import annotations

from microscout.config import Settings, load_settings
from microscout.exceptions import (
    AccountNotFoundError,
    BundleProblem,
    InvalidBundleError,
    MicroscoutError,
    SettingsError,
    WorkspaceError,
    WorkspaceLockedError,
)
from microscout.workspace import Workspace, open_workspace

__version__ = "0.1.0"
open = open_workspace  # microscout.open(db).scout(brief)

__all__ = [
    "AccountNotFoundError",
    "BundleProblem",
    "InvalidBundleError",
    "MicroscoutError",
    "Settings",
    "SettingsError",
    "Workspace",
    "WorkspaceError",
    "WorkspaceLockedError",
    "__version__",
    "load_settings",
    "open",
    "open_workspace",
]
