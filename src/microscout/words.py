"""Numbers in a marketer's English: 1 post, 3 posts; the 32nd percentile; times as ISO UTC."""

from __future__ import annotations

from datetime import datetime
from typing import Any


def plural(n: int, noun: str, many: str | None = None) -> str:
    """'1 post', '3 posts', '1,200 followers' (`many`: an irregular plural)."""
    return f"{n:,} {noun if n == 1 else (many or noun + 's')}"


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 32nd, 111th."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def iso_utc(value: Any) -> str | None:
    """A timestamp as '2026-11-01T12:00:00Z'; None for a missing one (None, NaT, NaN)."""
    if value is None or str(value) in ("NaT", "None", "nan"):
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    return str(value)
