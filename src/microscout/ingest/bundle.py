"""Locate a bundle's files: a folder, or a `.zip` of one with or without a top folder."""

from __future__ import annotations

import csv
import json
import re
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from microscout.exceptions import BundleProblem, InvalidBundleError
from microscout.ingest import csv_dialect
from microscout.schema import FILE_FORMATS, PLATFORMS, TABLES

_TABLE_FILE = re.compile(
    r"^(?P<table>" + "|".join(TABLES) + r")(?:-(?P<part>[^.]+))?\.(?P<ext>" + "|".join(FILE_FORMATS) + r")$"
)


@dataclass(frozen=True)
class BundleFile:
    table: str
    path: Path  # where it is read from: the file itself, or its UTF-8 copy
    name: str  # as named in messages: the path inside the bundle
    format: str
    delimiter: str = ","  # CSV only


@dataclass
class BundleInfo:
    """bundle.json, with defaults when absent."""

    source: str | None = None
    collected_at: datetime | None = None
    platform: str | None = None
    raw: dict[str, object] = field(default_factory=dict)


@dataclass
class LocatedBundle:
    root: Path
    origin: str
    files: list[BundleFile]
    info: BundleInfo
    warnings: list[str]
    _tmpdir: tempfile.TemporaryDirectory[str] | None = None

    def files_of(self, table: str) -> list[BundleFile]:
        return [f for f in self.files if f.table == table]

    def close(self) -> None:
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None

    def __enter__(self) -> LocatedBundle:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def locate_bundle(path: str | Path) -> LocatedBundle:
    """Find the table files of the bundle at `path` (folder, zip, or one accounts file); raise on any breach."""
    path = Path(path)
    if not path.exists():
        raise InvalidBundleError([BundleProblem(str(path), None, None, "no such file or folder")])
    scratch = _Scratch()
    try:
        named = _TABLE_FILE.match(path.name.lower()) if path.is_file() else None
        lone = named is not None and named["table"] == "accounts"  # one accounts file, as a bundle
        if lone:
            root = path.parent
        elif path.is_file():
            if not zipfile.is_zipfile(path):
                raise InvalidBundleError([BundleProblem(
                    path.name, None, None, "is not a bundle: expected a folder, a .zip of one, or one accounts file "
                    "(accounts.csv, accounts.jsonl or accounts.parquet)")])
            root = _extract_zip(path, scratch.path())
        else:
            root = path
        warnings: list[str] = []
        entries = [path] if lone else sorted(root.iterdir())
        files = _table_files(entries, warnings, scratch)
        info = BundleInfo() if lone else _read_bundle_json(root)
        if not files:
            raise InvalidBundleError([BundleProblem(
                path.name, None, None,
                "holds no table file: expected accounts.csv, accounts.jsonl or accounts.parquet "
                "(and optionally posts, comments, follows, snapshots, audience)")])
    except BaseException:
        scratch.cleanup()
        raise
    return LocatedBundle(root, str(path), files, info, warnings, scratch.tmp)


class _Scratch:
    """A temporary folder made on first use (an unpacked zip, UTF-8 copies of Windows text)."""

    def __init__(self) -> None:
        self.tmp: tempfile.TemporaryDirectory[str] | None = None

    def path(self) -> Path:
        if self.tmp is None:
            self.tmp = tempfile.TemporaryDirectory(prefix="microscout-bundle-")
        return Path(self.tmp.name)

    def cleanup(self) -> None:
        if self.tmp is not None:
            self.tmp.cleanup()


def _extract_zip(path: Path, dest: Path) -> Path:
    try:
        return _extract_members(path, dest)
    except InvalidBundleError:
        raise
    except (zipfile.BadZipFile, NotImplementedError, zlib.error, EOFError, OSError, ValueError) as e:
        # unsupported compression, corrupt data, a name the file system refuses, an entry through
        # another entry that is a file: the zip cannot be unpacked as it is
        member = getattr(e, "member", None)
        what = f"entry '{member}' " if member else ""
        raise InvalidBundleError([BundleProblem(
            path.name, None, None, f"cannot be unpacked: {what}{_reason(e)}: expected a zip of a bundle folder, "
            "made with the usual (deflate or store) compression")]) from None


def _reason(e: BaseException) -> str:
    text = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
    return (text or type(e).__name__).splitlines()[0][:200]


def _extract_members(path: Path, dest: Path) -> Path:
    with zipfile.ZipFile(path) as zf:
        members = [m for m in zf.infolist() if not m.filename.startswith("__MACOSX/")]
        for m in members:
            p = PurePosixPath(m.filename.replace("\\", "/"))
            if p.is_absolute() or ".." in p.parts or (p.parts and ":" in p.parts[0]):
                raise InvalidBundleError([BundleProblem(
                    path.name, None, None,
                    f"zip entry '{m.filename}' points outside the bundle: expected paths inside it")])
        for m in members:
            try:
                zf.extract(m, dest)
            except Exception as e:
                e.member = m.filename[:120]  # type: ignore[attr-defined]
                raise
    entries = [e for e in dest.iterdir()]
    # A single top folder (as zipping a folder makes) is the bundle itself.
    if len(entries) == 1 and entries[0].is_dir():
        return entries[0]
    return dest


def _table_files(entries: list[Path], warnings: list[str], scratch: _Scratch) -> list[BundleFile]:
    files: list[BundleFile] = []
    for entry in entries:
        if entry.name == "bundle.json" or entry.name.startswith("."):
            continue
        m = _TABLE_FILE.match(entry.name.lower())
        if not (m and entry.is_file()):
            warnings.append(f"{entry.name}: not a bundle table file, ignored")
            continue
        if m["ext"] != "csv":
            files.append(BundleFile(m["table"], entry, entry.name, m["ext"]))
            continue
        dialect = csv_dialect.sniff(entry)
        source = entry
        if dialect.encoding != "utf-8":
            source = scratch.path() / f"utf8-{len(files)}-{entry.name}"
            csv_dialect.to_utf8(entry, source, dialect.encoding)
        said = dialect.described()
        renamed = _renamed_headers(source, dialect.delimiter, m["table"])
        if renamed:
            said.append("headers taken as the schema's names (" + ", ".join(renamed) + ")")
        if said:
            warnings.append(f"{entry.name}: read as {'; '.join(said)}")
        files.append(BundleFile(m["table"], source, entry.name, "csv", dialect.delimiter))
    return files


def _renamed_headers(path: Path, delimiter: str, table: str) -> list[str]:
    try:
        header = csv_dialect.read_header(path, delimiter)
    except (UnicodeDecodeError, csv.Error):
        return []  # the import's header check says what is wrong
    return csv_dialect.canonical_names(header or [], TABLES[table].names)[1]


class _KeyTwice(ValueError):
    pass


def _object_once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:  # json keeps the last silently; which one the writer meant cannot be known
            raise _KeyTwice(key)
        seen[key] = value
    return seen


def _read_bundle_json(root: Path) -> BundleInfo:
    p = root / "bundle.json"
    if not p.exists():
        return BundleInfo()
    if not p.is_file():
        raise InvalidBundleError([BundleProblem("bundle.json", None, None,
                                                "is a folder, not a file: expected a JSON object")])
    try:
        raw = json.loads(p.read_text(encoding="utf-8-sig"), object_pairs_hook=_object_once)
    except _KeyTwice as e:
        raise InvalidBundleError([BundleProblem("bundle.json", None, str(e),
                                                "is given twice: expected each key once")]) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise InvalidBundleError([BundleProblem("bundle.json", getattr(e, "lineno", None), None,
                                                f"is not valid JSON: {e}")]) from None
    except RecursionError:
        raise InvalidBundleError([BundleProblem("bundle.json", None, None,
                                                "is nested too deeply: expected a flat JSON object")]) from None
    except OSError as e:
        raise InvalidBundleError([BundleProblem("bundle.json", None, None, f"cannot be read: {_reason(e)}")]) from None
    if not isinstance(raw, dict):
        raise InvalidBundleError([BundleProblem("bundle.json", 1, None, "expected a JSON object")])
    problems = []
    fmt = raw.get("format")
    if fmt is not None and fmt != "microscout-bundle":
        problems.append(BundleProblem("bundle.json", None, "format", f"{fmt!r} is not 'microscout-bundle'"))
    version = raw.get("version")
    if version is not None and version != 1:
        problems.append(BundleProblem("bundle.json", None, "version",
                                      f"{version!r} is not a version this microscout reads: expected 1"))
    platform = raw.get("platform")
    if platform is not None and platform not in PLATFORMS:
        problems.append(BundleProblem("bundle.json", None, "platform",
                                      f"{platform!r} is not one of " + ", ".join(PLATFORMS)))
    collected = raw.get("collected_at")
    collected_at = None
    if collected is not None:
        collected_at = parse_iso_timestamp(collected)
        if collected_at is None:
            problems.append(BundleProblem("bundle.json", None, "collected_at",
                                          f"{collected!r} is not an ISO 8601 timestamp"))
    source = raw.get("source")
    if problems:
        raise InvalidBundleError(problems)
    return BundleInfo(str(source) if source is not None else None, collected_at, platform, raw)


def parse_iso_timestamp(value: object) -> datetime | None:
    """A naive UTC datetime from ISO 8601 text; a value without offset is UTC."""
    if not isinstance(value, str):
        return None
    try:
        ts = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
        if ts.tzinfo is not None:
            ts = ts.astimezone(UTC).replace(tzinfo=None)
    except (ValueError, OverflowError):  # not a timestamp, or beyond year 9999 once in UTC
        return None
    return ts
