"""Erase personal data: one account on request, and audience profiles past their retention.

Both walk the table catalog (store/catalog.py), so a table declared there is covered without
another list to keep.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import duckdb

from microscout.ingest.sql_types import quote_ident, quote_literal
from microscout.store.base import present_tables, transaction
from microscout.store.catalog import CATALOG, TableEntry

REDACTED = "[forgotten]"
# Characters that may be part of a handle or an id: a match must not continue into them.
_WORD = "A-Za-z0-9_"


def account_hash_sql(platform: str, account_id: str) -> str:
    """SQL for the hash under which a forgotten account is remembered (see catalog: forgotten)."""
    return f"sha256({platform} || ':' || {account_id})"


def forget_account(con: duckdb.DuckDBPyConnection, platform: str, account_id: str,
                   now: datetime) -> dict[str, int]:
    return transaction(con, lambda c: _forget(c, platform, account_id, now))


def _forget(con: duckdb.DuckDBPyConnection, platform: str, account_id: str, now: datetime) -> dict[str, int]:
    """Delete every row about the account in every table of the catalog, take its handle out of
    others' lists, and replace its handle, a distinctive id and its contact in free text.

    Returns rows deleted per table (every bundle table, others where any went) and, under
    "<table> redacted", rows whose text or lists were rewritten. The account is remembered as a
    hash of platform:account_id so that a later import does not bring it back."""
    present = present_tables(con)
    params = {"p": platform, "a": account_id}
    found = con.execute("SELECT handle, contact FROM accounts WHERE platform = $p AND account_id = $a",
                        params).fetchall()
    handle = (found[0][0] or "").lstrip("@").lower() if found else ""
    secrets = [s for s in (found[0][1] if found else None,) if s]
    if "relationships" in present:
        secrets += _contacts_in_relationships(con, platform, account_id)
    pattern = _text_pattern(handle, account_id, secrets)
    deleted: dict[str, int] = {}
    redacted: dict[str, int] = {}
    # rows about the account's posts go before the posts themselves
    own_posts = "SELECT post_id FROM posts WHERE platform = $p AND account_id = $a"
    ordered = sorted((e for e in CATALOG if e.name in present), key=lambda e: e.name == "posts")
    for entry in ordered:
        deleted[entry.name] = _delete_rows(con, entry, params, handle, own_posts)
        redacted[entry.name] = _redact(con, entry, platform, handle, pattern)
    con.execute("INSERT INTO forgotten SELECT $p, " + account_hash_sql("$p", "$a") + ", $now WHERE NOT EXISTS "
                "(SELECT 1 FROM forgotten WHERE platform = $p AND account_hash = " + account_hash_sql("$p", "$a")
                + ")", {**params, "now": now})
    out = {e.name: deleted[e.name] for e in CATALOG if e.kind == "bundle"}
    out.update({name: n for name, n in deleted.items() if n and name not in out})
    out.update({f"{name} redacted": n for name, n in redacted.items() if n})
    return out


def _contacts_in_relationships(con: duckdb.DuckDBPyConnection, platform: str, account_id: str) -> list[str]:
    rows = con.execute("SELECT json_extract_string(record, '$.contact') FROM relationships "
                       "WHERE platform = $p AND account_id = $a", {"p": platform, "a": account_id}).fetchall()
    return [str(r[0]) for r in rows if r[0]]


def _text_pattern(handle: str, account_id: str, secrets: list[str]) -> str | None:
    """A case-insensitive RE2 pattern for what names the person in free text.

    The handle as a mention (@handle) always; the bare handle and the id only when distinctive
    (a short word such as "ola" or an id such as "2" would take out ordinary words and numbers)."""
    alternatives = [f"@{re.escape(handle)}"] if handle else []
    for word in (handle, account_id):
        if word and (len(word) >= 8 or (len(word) >= 5 and re.search(r"[._\d]", word))):
            alternatives.append(re.escape(word))
    alternatives += [re.escape(s) for s in secrets if len(s) >= 5]
    if not alternatives:
        return None
    return f"(^|[^{_WORD}])({'|'.join(alternatives)})($|[^{_WORD}])"


def _delete_rows(con: duckdb.DuckDBPyConnection, entry: TableEntry, params: dict[str, str], handle: str,
                 own_posts: str) -> int:
    conds = [f"({quote_ident(p)} = $p AND {quote_ident(c)} = $a)" for p, c in entry.accounts]
    if handle:
        same = "platform = $p AND " if entry.has_platform else ""
        conds += [f"({same}lower(ltrim({quote_ident(c)}, '@')) = {quote_literal(handle)})"
                  for c in entry.handles]
    if entry.post_column:
        conds.append(f"(platform = $p AND {quote_ident(entry.post_column)} IN ({own_posts}))")
    if not conds:
        return 0
    sql = f"DELETE FROM {quote_ident(entry.name)} WHERE {' OR '.join(conds)}"
    used = {k: v for k, v in params.items() if f"${k}" in sql}  # DuckDB refuses parameters a statement lacks
    row = con.execute(sql, used).fetchall()
    return int(row[0][0]) if row else 0


def _redact(con: duckdb.DuckDBPyConnection, entry: TableEntry, platform: str, handle: str,
            pattern: str | None) -> int:
    sets, conds = [], []
    if handle:
        for c in entry.handle_lists:
            col = quote_ident(c)
            keep = f"list_filter({col}, x -> lower(ltrim(x, '@')) IS DISTINCT FROM {quote_literal(handle)})"
            sets.append(f"{col} = {keep}")
            conds.append(f"len({keep}) < len({col})")
    if pattern:
        lit = quote_literal(pattern)
        for c in entry.text:
            col = quote_ident(c)
            sets.append(f"{col} = regexp_replace({col}, {lit}, '\\1{REDACTED}\\3', 'gi')")
            conds.append(f"regexp_matches({col}, {lit}, 'i')")
        for c in entry.text_lists:
            col = quote_ident(c)
            sets.append(f"{col} = list_transform({col}, x -> regexp_replace(x, {lit}, '\\1{REDACTED}\\3', 'gi'))")
            conds.append(f"len(list_filter({col}, x -> regexp_matches(x, {lit}, 'i'))) > 0")
    if not sets:
        return 0
    where = f"({' OR '.join(conds)})"
    if entry.has_platform:
        where = f"platform = {quote_literal(platform)} AND {where}"
    # a text replaced once can still hold the name where two matches shared a boundary character
    total = 0
    for _ in range(3):
        row = con.execute(f"UPDATE {quote_ident(entry.name)} SET {', '.join(sets)} WHERE {where}").fetchall()
        changed = int(row[0][0]) if row else 0
        total = max(total, changed)
        if not changed:
            break
    return total


def purge_audience(con: duckdb.DuckDBPyConnection, older_than_days: int, now: datetime) -> dict[str, int]:
    return transaction(con, lambda c: _purge(c, older_than_days, now))


def _purge(con: duckdb.DuckDBPyConnection, older_than_days: int, now: datetime) -> dict[str, int]:
    """Delete the profiles (and count history) of audience-only accounts collected before the cut-off,
    from every profile table of the catalog (accounts, snapshots, their fake-account scores).

    Audience-only means no post in the workspace. Their comments and follow edges stay: they
    belong to creators' posts and audiences (use forget_account to erase those too)."""
    cutoff = now - timedelta(days=older_than_days)
    con.execute("CREATE OR REPLACE TEMP TABLE purge_accounts AS SELECT platform, account_id FROM accounts a "
                "WHERE a._collected_at < $cutoff AND NOT EXISTS (SELECT 1 FROM posts p "
                "WHERE p.platform = a.platform AND p.account_id = a.account_id)", {"cutoff": cutoff})
    present = present_tables(con)
    out: dict[str, int] = {}
    for entry in CATALOG:
        if not entry.profile or entry.name not in present:
            continue
        row = con.execute(f"DELETE FROM {quote_ident(entry.name)} WHERE (platform, account_id) IN "
                          "(SELECT platform, account_id FROM purge_accounts)").fetchall()
        out[entry.name] = int(row[0][0]) if row else 0
    con.execute("DROP TABLE purge_accounts")
    return {"accounts": out.get("accounts", 0), "snapshots": out.get("snapshots", 0),
            **{k: v for k, v in out.items() if k not in ("accounts", "snapshots") and v}}
