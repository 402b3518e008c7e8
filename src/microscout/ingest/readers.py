"""SQL that reads one bundle file through DuckDB's own readers into the staged shape.

The staged shape is every column of the table, typed, plus `_collected_at`, `extra` (unknown
columns as JSON), `__file`, `__rec` (record number: CSV records and JSONL lines from 1,
Parquet rows from 1) and `__bad` (true when a value broke its type). Which values, and why,
is asked again of the few files that have bad rows (`problems_sql`): building that detail
for every row would slow every import down.
Files stream through DuckDB: no Python loop touches a row.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime

import duckdb

from microscout.exceptions import BundleProblem
from microscout.ingest.bundle import BundleFile, BundleInfo
from microscout.ingest.csv_dialect import canonical_names, read_header
from microscout.ingest.sql_types import (
    normalise_tags,
    parse_native,
    parse_text,
    quote_ident,
    quote_literal,
    tags_from_caption,
    unique_in_order,
    with_caption_tags,
)
from microscout.schema import TABLES, Table


@dataclass
class StagedSelect:
    sql: str | None  # None when the file cannot be staged (its problems say why)
    problems: list[BundleProblem]
    unknown_columns: list[str]
    problems_sql: str | None = None  # (__file, __rec, list of (c, v)) for each bad row


def _source(file: BundleFile, header: list[str] | None = None) -> str:
    p = quote_literal(str(file.path))
    if file.format == "csv":
        # The header is read by us, not sniffed: DuckDB's sniffer can take a ragged row for
        # the header and skip the lines above it.
        columns = "{" + ", ".join(f"{quote_literal(c)}: 'VARCHAR'" for c in header or []) + "}"
        return (f"(SELECT *, row_number() OVER () AS __rec FROM read_csv({p}, header=true, "
                f"auto_detect=false, columns={columns}, delim={quote_literal(file.delimiter)}, quote='\"', "
                "escape='\"', "
                "strict_mode=true, null_padding=false, encoding='utf-8'))")
    if file.format == "jsonl":
        return f"(SELECT json AS __j, row_number() OVER () AS __rec FROM read_ndjson_objects({p}))"
    return f"(SELECT *, file_row_number + 1 AS __rec FROM read_parquet({p}, file_row_number=true))"


def describe_source(con: duckdb.DuckDBPyConnection, file: BundleFile) -> dict[str, str]:
    """Column name → DuckDB type of the file as read (JSONL: the keys found, as JSON)."""
    if file.format == "jsonl":
        rows = con.execute(
            f"SELECT DISTINCT unnest(json_keys(__j)) FROM {_source(file)} WHERE json_type(__j) = 'OBJECT'"
        ).fetchall()
        return {r[0]: "JSON" for r in sorted(rows)}
    if file.format == "csv":
        return {name: "VARCHAR" for name in read_csv_header(file)}
    rows = con.execute(f"DESCRIBE SELECT * FROM {_source(file)}").fetchall()
    return {r[0]: r[1] for r in rows if r[0] not in ("__rec", "file_row_number")}


def staged_select(
    file: BundleFile,
    table: Table,
    source_types: dict[str, str],
    info: BundleInfo,
    imported_at: datetime,
) -> StagedSelect:
    problems: list[BundleProblem] = []
    present = set(source_types)
    header_line = 1 if file.format == "csv" else None
    for col in table.columns:
        if not col.required or col.name in present:
            continue
        if col.name == "platform" and info.platform:
            continue
        hint = " (or a default platform in bundle.json)" if col.name == "platform" else ""
        problems.append(BundleProblem(file.name, header_line, None,
                                      f"missing required column '{col.name}'{hint}"))
    if problems:
        return StagedSelect(None, problems, [])

    typed: dict[str, str] = {}
    helpers: dict[str, str] = {}  # columns computed once per row below the select (see tags)
    bad_items: list[tuple[str, str]] = []  # (condition, (column, value))
    for col in table.columns:
        raw = _raw(file, col.name, source_types)
        if raw is None:
            expr, is_bad, raw_text = "NULL", "false", "NULL"
            if col.type == "list":
                expr = "[]::VARCHAR[]"
        elif file.format == "jsonl":
            expr, is_bad = parse_text(col, raw)
            raw_text = raw
            if col.type in ("int", "share"):  # SCHEMA: a number in JSON, not "12" or true
                not_number = (f"coalesce(json_type(__j, {quote_literal(_json_path(col.name))}) "
                              "IN ('VARCHAR', 'BOOLEAN'), false)")
                expr = f"CASE WHEN {not_number} THEN NULL ELSE {expr} END"
                is_bad = f"({is_bad} OR {not_number})"
            if col.type == "list":
                arr = f"json_extract(__j, {quote_literal(_json_path(col.name))})"
                expr = (f"CASE WHEN json_type({arr}) = 'ARRAY' THEN coalesce(list_filter("
                        f"from_json({arr}, '[\"VARCHAR\"]'), lambda x: x IS NOT NULL AND x <> ''), []::VARCHAR[]) "
                        f"ELSE {expr} END")
        else:
            expr, is_bad = parse_native(col, raw, source_types[col.name])
            raw_text = f"CAST({raw} AS VARCHAR)"
        if col.name == "platform" and info.platform:
            expr = f"coalesce({expr}, {quote_literal(info.platform)})"
        if col.name in ("hashtags", "mentions"):
            sigil = "#" if col.name == "hashtags" else "@"
            caption = _raw(file, "caption", source_types) or "NULL"
            # A lambda that names an expression evaluates it again for every list item: the
            # caption's tags are found once, in a column of their own, and deduplicated above.
            found = f"__found_{col.name}"
            helpers[found] = (with_caption_tags(normalise_tags(expr, sigil), caption, sigil) if raw is not None
                              else tags_from_caption(caption, sigil))
            expr = unique_in_order(found) if raw is not None else found
        typed[col.name] = expr
        if is_bad != "false":
            bad_items.append((is_bad, f"{{'c': {quote_literal(col.name)}, 'v': {raw_text}}}"))
        if col.required:
            bad_items.append((f"({expr}) IS NULL AND NOT coalesce({is_bad}, false)",
                              f"{{'c': {quote_literal(col.name)}, 'v': NULL::VARCHAR}}"))

    if file.format == "jsonl":  # a key given twice: which value is meant cannot be known
        keys = "json_keys(__j)"
        twice = f"list_filter({keys}, lambda k, i: list_position({keys}, k) < i)[1]"
        bad_items.append((f"{twice} IS NOT NULL",
                          f"{{'c': {quote_literal(DUPLICATE_KEY)} || {twice}, 'v': NULL::VARCHAR}}"))

    bundle_ts = f"TIMESTAMP '{info.collected_at.isoformat(sep=' ')}'" if info.collected_at else "NULL"
    import_ts = f"TIMESTAMP '{imported_at.isoformat(sep=' ')}'"
    if table.has_own_collected_at:
        typed["collected_at"] = f"coalesce({typed['collected_at']}, {bundle_ts})"
        collected = f"coalesce({typed['collected_at']}, {import_ts})"
    else:
        collected = f"coalesce({bundle_ts}, {import_ts})"

    unknown = [c for c in source_types if c not in table.names]
    extra = _extra(file, unknown, table)
    any_bad = " OR ".join(f"coalesce({cond}, false)" for cond, _ in bad_items) or "false"
    source = _source(file, list(source_types))
    if helpers:
        source = f"(SELECT *, {', '.join(f'{e} AS {n}' for n, e in helpers.items())} FROM {source})"
    select = ", ".join(f"{e} AS {quote_ident(n)}" for n, e in typed.items())
    sql = (f"SELECT {select}, {collected} AS _collected_at, {extra} AS extra, "
           f"{quote_literal(file.name)} AS __file, __rec, {any_bad} AS __bad FROM {source}")
    details = ", ".join(f"CASE WHEN coalesce({cond}, false) THEN {item} END" for cond, item in bad_items)
    problems_sql = (f"SELECT {quote_literal(file.name)} AS __file, __rec, "
                    f"list_filter([{details}], lambda x: x IS NOT NULL) AS __bad FROM {source} "
                    f"WHERE {any_bad}") if bad_items else None
    return StagedSelect(sql, [], unknown, problems_sql)


DUPLICATE_KEY = "\x00twice:"  # marks a problem item naming a key given twice, not a column


def _json_path(name: str) -> str:
    return '$."' + name.replace('"', '\\"') + '"'


def _raw(file: BundleFile, name: str, source_types: dict[str, str]) -> str | None:
    if name not in source_types:
        return None
    if file.format == "jsonl":
        return f"json_extract_string(__j, {quote_literal(_json_path(name))})"
    return quote_ident(name)


def _extra(file: BundleFile, unknown: list[str], table: Table) -> str:
    if not unknown:
        return "NULL"
    if file.format == "jsonl":
        patch = "{" + ", ".join(f'"{n}": null' for n in table.names) + "}"
        return f"NULLIF(CAST(json_merge_patch(__j, {quote_literal(patch)}) AS VARCHAR), '{{}}')"
    fields = ", ".join(f"{quote_ident(c)} := {quote_ident(c)}" for c in unknown)
    return f"CAST(to_json(struct_pack({fields})) AS VARCHAR)"


class HeaderError(ValueError):
    """The CSV header cannot name the columns."""


def read_csv_header(file: BundleFile) -> list[str]:
    try:
        header = read_header(file.path, file.delimiter)
    except UnicodeDecodeError:
        raise HeaderError("is not valid UTF-8 text") from None
    if not header or not any(h.strip() for h in header):
        raise HeaderError("has no header line naming the columns")
    names, _ = canonical_names([h.strip() for h in header], TABLES[file.table].names)
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise HeaderError(f"names column {dupes[0]!r} twice in its header: expected each column once")
    if any(not n for n in names):
        raise HeaderError(f"has an empty column name in its header (column {names.index('') + 1})")
    return names


_LINE = re.compile(r"[Ll]ine:?\s*(\d+)")


def _first_bad_json_line(file: BundleFile) -> BundleProblem | None:
    """The first line of a JSON lines file that is not one JSON object, found by reading it
    ourselves: the reader's own line count is not the file's (it is off by one)."""
    with open(file.path, encoding="utf-8-sig", errors="replace") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except ValueError as e:
                at = f"{e.msg} at character {e.colno}" if isinstance(e, json.JSONDecodeError) else str(e)
                return BundleProblem(file.name, number, None, f"is not valid JSON: {at}: "
                                     "expected one JSON object per line")
            if not isinstance(record, dict):
                return BundleProblem(file.name, number, None, f"holds a JSON {type(record).__name__}, "
                                     "expected one JSON object per line")
    return None


def read_error_problem(file: BundleFile, error: Exception) -> BundleProblem:
    """Turn a DuckDB reader error into one problem that names the file and, if known, the line."""
    if file.format == "jsonl" and (found := _first_bad_json_line(file)) is not None:
        return found
    text = str(error).strip()
    first = text.splitlines()[0] if text else type(error).__name__
    first = re.sub(r"^[A-Za-z ]*Error:\s*", "", first)
    m = _LINE.search(text)
    line = int(m.group(1)) if m else None
    kind = {"csv": "CSV", "jsonl": "JSON lines", "parquet": "Parquet"}[file.format]
    columns = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", text)
    if columns:
        first = f"has {columns.group(2)} fields, expected {columns.group(1)} (as in the header)"
    elif "unicode" in text.lower() or "utf-8" in text.lower() or "utf8" in text.lower():
        first = "is not valid UTF-8 text"
    return BundleProblem(file.name, line, None, f"cannot be read as {kind}: {first}")
