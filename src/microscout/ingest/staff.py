"""A brand's staff list: a small CSV of `platform, handle` and an optional `name`, one person a line.

A header row is required (any order, any case); a handle may start with '@'. The first problem
stops the read with a StaffFileError naming the file, line, column, value and what was expected.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from microscout.exceptions import BundleProblem, StaffFileError
from microscout.schema import PLATFORMS

REQUIRED = ("platform", "handle")
OPTIONAL = ("name",)
STAFF_COLUMNS = ["line", "platform", "handle", "name"]
EXPECTED_HEADER = "a header row with the columns platform, handle and optionally name"


def _fail(file: str, line: int | None, column: str | None, message: str) -> StaffFileError:
    return StaffFileError(str(BundleProblem(file, line, column, message)))


def _header(file: str, row: list[str], line: int) -> list[str]:
    names = [c.strip().lower().lstrip("\ufeff") for c in row]
    if unknown := [c for c in names if c not in (*REQUIRED, *OPTIONAL)]:
        listed = ", ".join(f"'{c}'" for c in unknown)
        raise _fail(file, line, None, f"unknown column{'s' if len(unknown) > 1 else ''} {listed}: "
                                   f"expected {EXPECTED_HEADER}")
    if twice := sorted({c for c in names if names.count(c) > 1}):
        raise _fail(file, line, twice[0], f"appears {names.count(twice[0])} times: expected it once")
    for c in REQUIRED:
        if c not in names:
            raise _fail(file, line, c, f"missing from the header: expected {EXPECTED_HEADER}")
    return names


def read_staff(path: str | Path) -> pd.DataFrame:
    """The staff rows as (line, platform, handle, name): platform lower-cased, handle without '@' and
    spaces around it (its case kept), name or None. A person listed twice (the same platform and
    handle in any case) is kept at its first line. Blank lines are skipped; the first other line is
    the header."""
    file = str(path)
    p = Path(path)
    if not p.exists():
        raise StaffFileError(f"{file}: no such file: expected a CSV file with {EXPECTED_HEADER}")
    if not p.is_file():
        raise StaffFileError(f"{file}: is not a file: expected a CSV file with {EXPECTED_HEADER}")
    try:
        with p.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.reader(f)
            names: list[str] | None = None
            rows: list[tuple[int, str, str, str | None]] = []
            seen: set[tuple[str, str]] = set()
            for row in reader:
                if not any(c.strip() for c in row):
                    continue
                if names is None:
                    names = _header(file, row, reader.line_num)
                    continue
                line = reader.line_num
                if len(row) > len(names):
                    raise _fail(file, line, None, f"{len(row)} values: expected at most {len(names)}, one per "
                                                  "column of the header")
                cell = dict(zip(names, (c.strip() for c in row), strict=False))
                platform, handle = cell.get("platform", ""), cell.get("handle", "").lstrip("@").strip()
                if platform.lower() not in PLATFORMS:
                    what = "is empty" if not platform else "is not a platform"
                    raise _fail(file, line, "platform", f"'{platform}' {what}: expected one of "
                                                        + ", ".join(PLATFORMS))
                if not handle or any(ch.isspace() for ch in handle):
                    what = "is empty" if not handle else "has a space in it"
                    raise _fail(file, line, "handle", f"'{cell.get('handle', '')}' {what}: expected a handle such "
                                                      "as @lena.bakes")
                key = (platform.lower(), handle.lower())
                if key not in seen:
                    seen.add(key)
                    rows.append((line, platform.lower(), handle, cell.get("name") or None))
    except UnicodeDecodeError as e:
        raise StaffFileError(f"{file}: is not UTF-8 text (byte {e.start}): expected a CSV file in UTF-8") from None
    except csv.Error as e:
        raise StaffFileError(f"{file}: is not a readable CSV file ({e})") from None
    if names is None:
        raise StaffFileError(f"{file}: is empty: expected {EXPECTED_HEADER}")
    return pd.DataFrame(rows, columns=STAFF_COLUMNS)
