"""The web edge: the REST API (and, next, the dashboard) over a workspace the server holds."""

from pathlib import Path


def address_file(db: Path) -> Path:
    """Where a running server records its address (and token) beside the workspace file."""
    return db.with_name(db.name + ".server.json")
