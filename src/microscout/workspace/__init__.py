"""The public Python API: a workspace to import into, ask about, and erase from (facade.py),
over the services of microscout.services."""

from microscout.services.creators import MAX_COUNT
from microscout.workspace.facade import Workspace, open_workspace

__all__ = ["MAX_COUNT", "Workspace", "open_workspace"]
