"""Import a bundle into workspace tables held by one DuckDB connection: stage, check, merge.

Files are staged and checked in temporary tables; only a bundle without problems is merged,
in one transaction, so a failed or killed import leaves the workspace as it was.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb

from microscout.exceptions import BundleProblem, InvalidBundleError
from microscout.ingest.bundle import BundleFile, LocatedBundle
from microscout.ingest.readers import (
    DUPLICATE_KEY,
    HeaderError,
    describe_source,
    read_error_problem,
    staged_select,
)
from microscout.ingest.sql_types import quote_ident
from microscout.schema import AGE_BANDS, GENDERS, IMPORT_ORDER, TABLES, Table
from microscout.store.base import transaction
from microscout.store.catalog import entry
from microscout.store.ddl import data_table_ddl
from microscout.store.erasure import account_hash_sql

ProgressCallback = Callable[[str, int, int], None]  # (file name, rows so far, files done)


@dataclass
class ImportResult:
    import_id: int
    source: str
    rows_read: dict[str, int]
    inserted: dict[str, int]
    replaced: dict[str, int]
    ignored: dict[str, int]
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    phase_seconds: dict[str, float] = field(default_factory=dict)  # read, check, merge

    @property
    def total_rows(self) -> int:
        return sum(self.rows_read.values())

    def as_dict(self) -> dict[str, Any]:
        return {
            "import_id": self.import_id, "source": self.source, "rows": self.total_rows,
            "seconds": round(self.seconds, 3),
            "phase_seconds": {k: round(v, 3) for k, v in self.phase_seconds.items()},
            "tables": {t: {"read": self.rows_read.get(t, 0), "inserted": self.inserted.get(t, 0),
                           "replaced": self.replaced.get(t, 0), "ignored": self.ignored.get(t, 0)}
                       for t in IMPORT_ORDER},
            "warnings": self.warnings,
        }


def import_into(
    con: duckdb.DuckDBPyConnection,
    bundle: LocatedBundle,
    imported_at: datetime,
    max_errors: int = 50,
    progress: ProgressCallback | None = None,
) -> ImportResult:
    """Stage every file, collect up to `max_errors` problems, and merge when there are none."""
    started = time.perf_counter()
    phases: dict[str, float] = {}
    try:
        rows_read, warnings = _stage_and_check(con, bundle, imported_at, max_errors, progress, phases)
        merge_started = time.perf_counter()
        source = bundle.info.source or bundle.origin

        def merge(con: duckdb.DuckDBPyConnection) -> ImportResult:
            import_id = _next_import_id(con)
            inserted, replaced, ignored = {}, {}, {}
            _snapshot_replaced_accounts(con, import_id)
            for name in IMPORT_ORDER:
                inserted[name], replaced[name], ignored[name] = _merge(con, TABLES[name], import_id)
            con.execute(
                "INSERT INTO imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [import_id, source, bundle.origin, bundle.info.collected_at, imported_at,
                 json.dumps(rows_read), json.dumps(inserted), json.dumps(replaced),
                 json.dumps(ignored), warnings],
            )
            return ImportResult(import_id, source, rows_read, inserted, replaced, ignored, warnings)

        # Row order matters while staging (CSV record numbers), not while merging: letting
        # DuckDB reorder there saves time and memory.
        con.execute("SET preserve_insertion_order = false")
        result = transaction(con, merge)
    finally:
        con.execute("SET preserve_insertion_order = true")
        _drop_staging(con)
    result.seconds = time.perf_counter() - started
    result.phase_seconds = {**phases, "merge": time.perf_counter() - merge_started}
    return result


def _drop_staging(con: duckdb.DuckDBPyConnection) -> None:
    for name in IMPORT_ORDER:
        con.execute(f"DROP TABLE IF EXISTS temp.stg_{name}")


def _stage_and_check(
    con: duckdb.DuckDBPyConnection,
    bundle: LocatedBundle,
    imported_at: datetime,
    max_errors: int,
    progress: ProgressCallback | None,
    phases: dict[str, float],
) -> tuple[dict[str, int], list[str]]:
    """Stage every file into temporary tables (outside any transaction: a reader error must not
    abort the others) and raise with every problem found, up to `max_errors`."""
    started = time.perf_counter()
    _drop_staging(con)
    problems: list[BundleProblem] = []
    warnings = list(bundle.warnings)
    rows_read: dict[str, int] = {}
    problem_queries: dict[str, str] = {}
    done = 0
    total_rows = 0
    for name in IMPORT_ORDER:
        table = TABLES[name]
        con.execute(data_table_ddl(table, f"stg_{name}", temp=True, staged=True))
        unknown_seen: set[str] = set()
        for file in bundle.files_of(name):
            n = _stage_file(con, file, table, bundle, imported_at, problems, unknown_seen, problem_queries)
            rows_read[name] = rows_read.get(name, 0) + n
            total_rows += n
            done += 1
            if progress:
                progress(file.name, total_rows, done)
        if unknown_seen:
            warnings.append(f"{name}: unknown columns kept in 'extra': {', '.join(sorted(unknown_seen))}")

    first_record_problem = len(problems)
    checks_started = time.perf_counter()
    phases["read"] = checks_started - started
    if not bundle.files_of("accounts"):
        problems.append(BundleProblem(
            bundle.root.name, None, None,
            "has no accounts file: every bundle needs one (accounts.csv, accounts.jsonl or accounts.parquet; "
            "a header alone will do when its rows were imported before)"))
    if len(problems) < max_errors:
        _value_problems(con, problem_queries, problems, max_errors)
    if len(problems) < max_errors:
        _audience_value_problems(con, problems, max_errors)
    for name in IMPORT_ORDER:
        if len(problems) < max_errors:
            _duplicate_problems(con, TABLES[name], problems, max_errors)
    for name in IMPORT_ORDER:
        if len(problems) < max_errors:
            _reference_problems(con, TABLES[name], problems, max_errors)
    phases["check"] = time.perf_counter() - checks_started
    if problems:
        truncated = len(problems) >= max_errors
        problems = problems[:max_errors]
        problems[first_record_problem:] = _with_lines(bundle, problems[first_record_problem:])
        raise InvalidBundleError(problems, truncated)
    return rows_read, warnings


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f"SELECT count(*) FROM {quote_ident(table)}").fetchall()[0]
    return int(row[0]) if row else 0


def _stage_file(con: duckdb.DuckDBPyConnection, file: BundleFile, table: Table, bundle: LocatedBundle,
                imported_at: datetime, problems: list[BundleProblem], unknown_seen: set[str],
                problem_queries: dict[str, str]) -> int:
    if file.path.stat().st_size == 0:
        if file.format == "csv":
            problems.append(BundleProblem(file.name, None, None,
                                          "is empty: expected a header line naming the columns"))
        return 0
    try:
        source_types = describe_source(con, file)
    except HeaderError as e:
        problems.append(BundleProblem(file.name, 1, None, str(e)))
        return 0
    except duckdb.Error as e:
        problems.append(read_error_problem(file, e))
        return 0
    staged = staged_select(file, table, source_types, bundle.info, imported_at)
    problems.extend(staged.problems)
    unknown_seen.update(staged.unknown_columns)
    if staged.sql is None:
        return 0
    if staged.problems_sql:
        problem_queries[file.name] = staged.problems_sql
    try:
        row = con.execute(f"INSERT INTO stg_{table.name} {staged.sql}").fetchall()[0]
    except duckdb.Error as e:
        problems.append(read_error_problem(file, e))
        return 0
    return int(row[0]) if row else 0


def _describe_value(value: str | None) -> str:
    if value is None:
        return "is empty"
    shown = value if len(value) <= 60 else value[:57] + "..."
    return repr(shown)


def _value_problems(con: duckdb.DuckDBPyConnection, problem_queries: dict[str, str],
                    problems: list[BundleProblem], limit: int) -> None:
    for name in IMPORT_ORDER:
        table = TABLES[name]
        bad_files = [r[0] for r in con.execute(
            f"SELECT DISTINCT __file FROM stg_{name} WHERE __bad ORDER BY __file").fetchall()]
        for file in bad_files:
            rows = con.execute(
                f"SELECT __file, __rec, b.c, b.v FROM (SELECT __file, __rec, unnest(__bad) AS b "
                f"FROM ({problem_queries[file]})) ORDER BY __rec LIMIT {limit - len(problems)}"
            ).fetchall()
            for fname, rec, col, value in rows:
                if col.startswith(DUPLICATE_KEY):
                    key = col[len(DUPLICATE_KEY):]
                    problems.append(BundleProblem(fname, rec, key, "is given twice in one JSON object: "
                                                  "expected each key once"))
                    continue
                expected = table.column(col).expected
                if value is None:
                    msg = f"is empty: expected {expected}"
                else:
                    msg = f"{_describe_value(value)} is not {expected}"
                problems.append(BundleProblem(fname, rec, col, msg))
            if len(problems) >= limit:
                return


def _audience_value_problems(con: duckdb.DuckDBPyConnection, problems: list[BundleProblem], limit: int) -> None:
    """An audience value must be one its dimension allows (SCHEMA: country ISO alpha-2, language
    ISO 639-1, gender female/male/other, age one of the bands; a city is free text). Codes are
    kept in their usual case (DE, de)."""
    checks = {"country": ("regexp_full_match(value, '[A-Za-z]{2}')", "an ISO 3166-1 alpha-2 country code"),
              "language": ("regexp_full_match(value, '[A-Za-z]{2}')", "an ISO 639-1 language code"),
              "gender": (f"lower(value) IN {_sql_list(GENDERS)}", "one of " + ", ".join(GENDERS)),
              "age": (f"value IN {_sql_list(AGE_BANDS)}", "one of the age bands " + ", ".join(AGE_BANDS))}
    for dimension, (ok, expected) in checks.items():
        rows = con.execute(
            f"SELECT __file, __rec, value FROM stg_audience WHERE dimension = '{dimension}' AND value IS NOT NULL "
            f"AND NOT ({ok}) ORDER BY __file, __rec LIMIT {max(limit - len(problems), 0)}").fetchall()
        for file, rec, value in rows:
            article = "an" if dimension[0] in "aeiou" else "a"
            problems.append(BundleProblem(file, rec, "value", f"{_describe_value(value)} is not {article} {dimension} "
                                          f"value: expected {expected}"))
    con.execute("UPDATE stg_audience SET value = CASE dimension WHEN 'country' THEN upper(value) "
                "WHEN 'language' THEN lower(value) WHEN 'gender' THEN lower(value) ELSE value END")


def _sql_list(values: tuple[str, ...]) -> str:
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


def _key_match(table: Table, a: str, b: str) -> str:
    return " AND ".join(f"{a}.{quote_ident(k)} = {b}.{quote_ident(k)}" for k in table.key)


def _duplicate_problems(con: duckdb.DuckDBPyConnection, table: Table, problems: list[BundleProblem],
                        limit: int) -> None:
    keys = ", ".join(quote_ident(k) for k in table.key)
    not_null = " AND ".join(f"{quote_ident(k)} IS NOT NULL" for k in table.key)
    # Find duplicate keys with a plain count first: gathering places for every key is slow.
    rows = con.execute(
        f"WITH dup AS (SELECT {keys} FROM stg_{table.name} WHERE {not_null} GROUP BY ALL "
        f"HAVING count(*) > 1 LIMIT {limit - len(problems)}) "
        f"SELECT {keys}, list({{'f': __file, 'r': __rec}} ORDER BY __file, __rec) AS places "
        f"FROM stg_{table.name} JOIN dup USING ({keys}) GROUP BY ALL ORDER BY places[1].f, places[1].r"
    ).fetchall()
    for row in rows:
        values, places = row[:-1], row[-1]
        first, dup = places[0], places[1]
        key_text = ", ".join(str(v) for v in values)
        problems.append(BundleProblem(
            dup["f"], dup["r"], None,
            f"duplicate key ({', '.join(table.key)}) = ({key_text}): "
            f"also at {first['f']}:{first['r']}; expected each key once"))


def _reference_problems(con: duckdb.DuckDBPyConnection, table: Table, problems: list[BundleProblem],
                        limit: int) -> None:
    for column, target, target_col in table.references:
        c, tc = quote_ident(column), quote_ident(target_col)
        rows = con.execute(
            f"SELECT s.__file, s.__rec, s.platform, s.{c} FROM stg_{table.name} s "
            f"WHERE s.{c} IS NOT NULL AND s.platform IS NOT NULL "
            f"AND NOT EXISTS (SELECT 1 FROM stg_{target} t WHERE t.platform = s.platform AND t.{tc} = s.{c}) "
            f"AND NOT EXISTS (SELECT 1 FROM {target} t WHERE t.platform = s.platform AND t.{tc} = s.{c}) "
            f"ORDER BY s.__file, s.__rec LIMIT {limit - len(problems)}"
        ).fetchall()
        noun = target[:-1]
        for file, rec, platform, value in rows:
            problems.append(BundleProblem(
                file, rec, column,
                f"{_describe_value(value)} is not a known {noun}: expected the {target_col} of a "
                f"{platform} {noun} in this bundle or already imported"))


def _with_lines(bundle: LocatedBundle, problems: list[BundleProblem]) -> list[BundleProblem]:
    """CSV records can span lines: turn record numbers into the line where each record starts."""
    by_file: dict[str, set[int]] = {}
    for p in problems:
        if p.line is not None and p.file.endswith((".csv", ".jsonl")):
            by_file.setdefault(p.file, set()).add(p.line)
    for ref in problems:
        for m in _also_at(ref):
            by_file.setdefault(m[0], set()).add(m[1])
    lines: dict[str, dict[int, int]] = {}
    for name, recs in by_file.items():
        file = next((f for f in bundle.files if f.name == name), None)
        if file is not None:
            lines[name] = (_csv_record_lines if name.endswith(".csv") else _jsonl_record_lines)(file, recs)
    out = []
    for p in problems:
        mapping = lines.get(p.file, {})
        message = p.message
        for fname, rec in _also_at(p):
            if rec in lines.get(fname, {}):
                message = message.replace(f"also at {fname}:{rec};", f"also at {fname}:{lines[fname][rec]};")
        line = mapping.get(p.line, p.line) if p.line is not None else None
        out.append(BundleProblem(p.file, line, p.column, message))
    return out


def _also_at(p: BundleProblem) -> list[tuple[str, int]]:
    marker = "also at "
    i = p.message.find(marker)
    if i < 0:
        return []
    place = p.message[i + len(marker):].split(";")[0]
    fname, _, rec = place.rpartition(":")
    if fname.endswith((".csv", ".jsonl")) and rec.isdigit():
        return [(fname, int(rec))]
    return []


def _jsonl_record_lines(file: BundleFile, records: set[int]) -> dict[int, int]:
    """Line (1-based) of each wanted record of a JSON lines file: blank lines hold no record."""
    result: dict[int, int] = {}
    last = max(records)
    rec = 0
    with open(file.path, encoding="utf-8-sig", errors="replace") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            rec += 1
            if rec in records:
                result[rec] = number
            if rec >= last:
                break
    return result


def _csv_record_lines(file: BundleFile, records: set[int]) -> dict[int, int]:
    """Line (1-based, header = 1) where each wanted record (1-based, after the header) starts."""
    wanted = set(records)
    result: dict[int, int] = {}
    last = max(wanted)
    with open(file.path, newline="", encoding="utf-8-sig", errors="replace") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        line_after = reader.line_num
        for rec, _ in enumerate(reader, start=1):
            if rec in wanted:
                result[rec] = line_after + 1
            line_after = reader.line_num
            if rec >= last:
                break
    return result


def _next_import_id(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM imports").fetchall()[0]
    return int(row[0]) if row else 1


def _snapshot_replaced_accounts(con: duckdb.DuckDBPyConnection, import_id: int) -> None:
    """Counts an account had before a later collection replaces them become a snapshot."""
    con.execute(
        "INSERT INTO snapshots (platform, account_id, \"at\", followers, following, posts_count, "
        "_collected_at, _import_id) "
        "SELECT o.platform, o.account_id, coalesce(o.collected_at, o._collected_at), o.followers, "
        "o.following, o.posts_count, o._collected_at, o._import_id "
        "FROM accounts o JOIN stg_accounts n ON o.platform = n.platform AND o.account_id = n.account_id "
        "WHERE n._collected_at > o._collected_at "
        "AND (o.collected_at IS NOT NULL OR o.followers IS DISTINCT FROM n.followers "
        "     OR o.following IS DISTINCT FROM n.following OR o.posts_count IS DISTINCT FROM n.posts_count) "
        "AND NOT EXISTS (SELECT 1 FROM snapshots s WHERE s.platform = o.platform "
        "  AND s.account_id = o.account_id AND s.\"at\" = coalesce(o.collected_at, o._collected_at))"
    )


def _merge(con: duckdb.DuckDBPyConnection, table: Table, import_id: int) -> tuple[int, int, int]:
    """Upsert staged rows: a row replaces a stored one collected at the same time or earlier."""
    name = table.name
    staged = _count(con, f"stg_{name}")
    if staged == 0:
        return 0, 0, 0
    cols = ", ".join(quote_ident(c) for c in table.names)
    not_forgotten = "true"
    if _count(con, "forgotten"):
        not_forgotten = " AND ".join(
            f"NOT EXISTS (SELECT 1 FROM forgotten f WHERE f.platform = s.platform "
            f"AND f.account_hash = {account_hash_sql('s.platform', 's.' + quote_ident(c))})"
            for _, c in entry(name).accounts)
    stored = _count(con, name)
    replaced = 0
    if stored:
        row = con.execute(
            f"DELETE FROM {name} t WHERE EXISTS (SELECT 1 FROM stg_{name} s "
            f"WHERE {_key_match(table, 's', 't')} AND s._collected_at >= t._collected_at)"
        ).fetchall()[0]
        replaced = int(row[0]) if row else 0
        newer_kept = f"AND NOT EXISTS (SELECT 1 FROM {name} t WHERE {_key_match(table, 's', 't')})"
    else:
        newer_kept = ""
    row = con.execute(
        f"INSERT INTO {name} ({cols}, extra, _collected_at, _import_id) "
        f"SELECT {cols}, extra, _collected_at, {import_id} FROM stg_{name} s "
        f"WHERE {not_forgotten} {newer_kept}"
    ).fetchall()[0]
    written = int(row[0]) if row else 0
    return written - replaced, replaced, staged - written
