"""What Excel and many export tools write, read as it is: semicolon- or tab-separated CSV, Windows
text (cp1252, a superset of Latin-1's printable characters) and capitalised headers ("Handle").

Each is detected from the file itself and said in the import's warnings, so the user knows how
the file was read. Nothing is guessed from content beyond the header line and the bytes' encoding.
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass
from pathlib import Path

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
_CHUNK = 1 << 20


@dataclass(frozen=True)
class CsvDialect:
    delimiter: str = ","
    encoding: str = "utf-8"  # as found: utf-8 or cp1252

    def described(self) -> list[str]:
        said = []
        if self.delimiter != ",":
            said.append(f"{DELIMITERS[self.delimiter]}-separated")
        if self.encoding != "utf-8":
            said.append("Windows-1252 (cp1252) text, converted to UTF-8")
        return said


def is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    with open(path, "rb") as fh:
        try:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def sniff(path: Path) -> CsvDialect:
    """The delimiter that splits the header line most (comma when tied), and the text encoding."""
    encoding = "utf-8" if is_utf8(path) else "cp1252"
    with open(path, encoding=encoding, errors="replace", newline="") as fh:
        first = fh.readline().lstrip("\ufeff")
    counts = {d: first.count(d) for d in DELIMITERS}
    delimiter = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return CsvDialect("," if counts[delimiter] == 0 else delimiter, encoding)


def to_utf8(path: Path, target: Path, encoding: str) -> None:
    """A UTF-8 copy of a text file, line for line (line numbers in messages stay the file's)."""
    with open(path, encoding=encoding, errors="replace", newline="") as src, \
            open(target, "w", encoding="utf-8", newline="") as out:
        while chunk := src.read(_CHUNK):
            out.write(chunk)


def read_header(path: Path, delimiter: str) -> list[str] | None:
    """The first row of a UTF-8 CSV file (a byte-order mark dropped), or None for an empty file."""
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return next(csv.reader(fh, delimiter=delimiter), None)


def canonical_names(names: list[str], known: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Header names as the schema spells them ("Handle", " Account ID" → handle, account_id) where
    they match a known column once case and spaces are set aside; (names, what was renamed)."""
    by_key = {k.lower(): k for k in known}
    out, renamed = [], []
    for name in names:
        key = name.strip().lower().replace(" ", "_").replace("-", "_")
        canonical = by_key.get(key, name)
        if canonical != name:
            renamed.append(f"{name} → {canonical}")
        out.append(canonical)
    return out, renamed
