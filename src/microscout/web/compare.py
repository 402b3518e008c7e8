"""Two to four creators side by side: one row per figure a marketer weighs, read from each
creator's vet record, with the best value of a row marked where higher or lower is plainly
better (never on tier, followers or brands, where it depends on the brief)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

MIN_COMPARED, MAX_COMPARED = 2, 4
Record = dict[str, Any]


def _get(path: str) -> Callable[[Record], Any]:
    def get(record: Record) -> Any:
        value: Any = record
        for key in path.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        return value
    return get


def _percent(value: Any) -> str:
    return f"{value * 100:.1f}%"


def _signed_percent(value: Any) -> str:
    return f"{value * 100:+.1f}%"


def _count(value: Any) -> str:
    return f"{value:,}"


def _number(value: Any) -> str:
    return f"{value:.1f}"


def _plain(value: Any) -> str:
    return str(value)


def _top_countries(record: Record) -> str | None:
    country = ((record.get("audience") or {}).get("breakdown") or {}).get("country")
    if not country or not country.get("values"):
        return None
    return ", ".join(f"{v['value']} {v['share'] * 100:.0f}%" for v in country["values"][:3])


def _brands(record: Record) -> str | None:
    brands = (record.get("sponsorship") or {}).get("brands") or []
    return ", ".join("@" + b for b in brands[:5]) + (f" +{len(brands) - 5}" if len(brands) > 5 else "") \
        if brands else None


# (label, value of a record, how it is shown, which is better: "high", "low" or None)
ROWS: list[tuple[str, Callable[[Record], Any], Callable[[Any], str], str | None]] = [
    ("platform", _get("platform"), _plain, None),
    ("tier", _get("tier"), _plain, None),
    ("followers", _get("followers"), _count, None),
    ("engagement rate (median)", _get("engagement.rate_median"), _percent, "high"),
    ("engagement against its tier", _get("engagement.vs_tier"), lambda v: f"{v:.2f}×", "high"),
    ("weekly follower growth", _get("growth.weekly_rate"), _signed_percent, None),
    ("posts a week", _get("activity.posts_per_week"), _number, None),
    ("days since the last post", _get("activity.days_since_last_post"), lambda v: f"{v:.0f}", "low"),
    ("sponsored posts", _get("sponsorship.sponsored_share"), _percent, None),
    ("brands worked with", _brands, _plain, None),
    ("audience quality (0–100)", _get("audience.quality_score"), _plain, "high"),
    ("fake followers (estimated)", _get("audience.fake_follower_share"), _percent, "low"),
    ("people who come back to comment", _get("community.repeat_commenter_share"), _percent, "high"),
    ("comments the creator answers", _get("community.reply_rate"), _percent, "high"),
    ("generic comments", _get("community.generic_comment_share"), _percent, "low"),
    ("audience's top countries", _top_countries, _plain, None),
]


def compare_rows(records: list[Record]) -> list[dict[str, Any]]:
    """One row per figure: its label and a cell per creator (text, and whether it is the row's
    best). A figure the data cannot give shows as "unknown" and is never the best."""
    rows = []
    for label, value_of, shown, better in ROWS:
        values = [value_of(r) for r in records]
        known = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        best = None
        if better and len(known) > 1 and len(set(known)) > 1:
            best = max(known) if better == "high" else min(known)
        rows.append({"label": label, "better": better,
                     "cells": [{"text": "unknown" if v is None else shown(v), "best": best is not None and v == best}
                               for v in values]})
    return rows
