"""The workspace's services: each area of the Python API (data, creators, discovery, campaigns,
authenticity, shortlists) as a small class built from one WorkspaceState (the store and the
settings), so the Workspace facade only delegates. See docs/architecture.md."""
