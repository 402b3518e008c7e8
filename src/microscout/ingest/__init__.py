"""Readers of bundles: locate their files, read them with DuckDB, name every problem."""
