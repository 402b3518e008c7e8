"""The web edge: the REST API (and, next, the dashboard) over a workspace the server holds."""
