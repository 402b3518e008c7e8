"""Erase personal data: one account on request, and audience profiles past their retention."""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb

from microscout.store.base import transaction


def forget_account(con: duckdb.DuckDBPyConnection, platform: str, account_id: str,
                   now: datetime) -> dict[str, int]:
    return transaction(con, lambda c: _forget(c, platform, account_id, now))


def _forget(con: duckdb.DuckDBPyConnection, platform: str, account_id: str, now: datetime) -> dict[str, int]:
    """Delete the account, what it wrote, what names it as author, and its follow edges.

    The account is remembered as forgotten so that a later import does not bring it back.
    """
    p, a = platform, account_id
    own_posts = "SELECT post_id FROM posts WHERE platform = $p AND account_id = $a"
    steps = [
        ("comments", f"DELETE FROM comments WHERE platform = $p AND (author_id = $a OR post_id IN ({own_posts}))"),
        ("posts", "DELETE FROM posts WHERE platform = $p AND account_id = $a"),
        ("follows", "DELETE FROM follows WHERE platform = $p AND (follower_id = $a OR followee_id = $a)"),
        ("snapshots", "DELETE FROM snapshots WHERE platform = $p AND account_id = $a"),
        ("audience", "DELETE FROM audience WHERE platform = $p AND account_id = $a"),
        ("accounts", "DELETE FROM accounts WHERE platform = $p AND account_id = $a"),
    ]
    deleted = {}
    for table, sql in steps:
        row = con.execute(sql, {"p": p, "a": a}).fetchall()[0]
        deleted[table] = int(row[0]) if row else 0
    con.execute("INSERT INTO forgotten SELECT $p, $a, $now WHERE NOT EXISTS "
                "(SELECT 1 FROM forgotten WHERE platform = $p AND account_id = $a)",
                {"p": p, "a": a, "now": now})
    return deleted


def purge_audience(con: duckdb.DuckDBPyConnection, older_than_days: int, now: datetime) -> dict[str, int]:
    return transaction(con, lambda c: _purge(c, older_than_days, now))


def _purge(con: duckdb.DuckDBPyConnection, older_than_days: int, now: datetime) -> dict[str, int]:
    """Delete the profiles (and count history) of audience-only accounts collected before the cut-off.

    Audience-only means no post in the workspace. Their comments and follow edges stay: they
    belong to creators' posts and audiences (use forget_account to erase those too).
    """
    cutoff = now - timedelta(days=older_than_days)
    old = ("SELECT platform, account_id FROM accounts a WHERE a._collected_at < $cutoff AND NOT EXISTS "
           "(SELECT 1 FROM posts p WHERE p.platform = a.platform AND p.account_id = a.account_id)")
    row = con.execute(f"DELETE FROM snapshots WHERE (platform, account_id) IN ({old})", {"cutoff": cutoff}).fetchall()[0]
    snaps = int(row[0]) if row else 0
    row = con.execute(f"DELETE FROM accounts WHERE (platform, account_id) IN ({old})", {"cutoff": cutoff}).fetchall()[0]
    return {"accounts": int(row[0]) if row else 0, "snapshots": snaps}
