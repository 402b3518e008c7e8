"""microscout: find, vet and plan campaigns with micro-influencers, with explainable scores."""

from __future__ import annotations

from typing import TYPE_CHECKING

from microscout.exceptions import (
    AccountNotFoundError,
    BundleProblem,
    InvalidBundleError,
    MicroscoutError,
    SettingsError,
    WorkspaceError,
    WorkspaceLockedError,
)

__version__ = "0.1.0"

if TYPE_CHECKING:  # what __getattr__ below loads on first use, as the type checker should see it
    from microscout.config import Settings, load_settings
    from microscout.workspace import Workspace, open_workspace
    from microscout.workspace import open_workspace as open


def __getattr__(name: str) -> object:
    # the workspace pulls in ibis, pandas and the analytics (about a second): loaded on first use,
    # so the CLI starts at once for --help and for errors
    if name in ("Settings", "load_settings"):  # pydantic-settings: a tenth of a second
        from microscout import config

        return getattr(config, name)
    if name in ("Workspace", "open_workspace", "open"):
        from microscout import workspace

        return workspace.Workspace if name == "Workspace" else workspace.open_workspace
    raise AttributeError(f"module 'microscout' has no attribute {name!r}")

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
