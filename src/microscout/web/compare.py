"""Two to four creators side by side: one row per figure a marketer weighs, read from each
creator's vet record, with the best value of a row marked where higher or lower is plainly
better (never on tier, followers or brands, where it depends on the brief)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from microscout.translations import N_, SOURCE, number, percent, translations

MIN_COMPARED, MAX_COMPARED = 2, 4
Record = dict[str, Any]
# a figure as the reader's locale writes it: (language, value) -> text
Shown = Callable[[str, Any], str]


def _get(path: str) -> Callable[[Record], Any]:
    def get(record: Record) -> Any:
        value: Any = record
        for key in path.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        return value
    return get


def _percent(lang: str, value: Any) -> str:
    return percent(lang, value, 1)


def _signed_percent(lang: str, value: Any) -> str:
    return percent(lang, value, 1, signed=True)


def _count(lang: str, value: Any) -> str:
    return number(lang, value)


def _number(lang: str, value: Any) -> str:
    return number(lang, value, 1)


def _times(lang: str, value: Any) -> str:
    return number(lang, value, 2) + "×"


def _days(lang: str, value: Any) -> str:
    return number(lang, value, 0)


def _plain(lang: str, value: Any) -> str:
    return str(value)


def _top_countries(record: Record) -> list[tuple[str, float]] | None:
    country = ((record.get("audience") or {}).get("breakdown") or {}).get("country")
    if not country or not country.get("values"):
        return None
    return [(v["value"], v["share"]) for v in country["values"][:3]]


def _countries(lang: str, top: list[tuple[str, float]]) -> str:
    return ", ".join(f"{code} {percent(lang, share)}" for code, share in top)


def _brands(record: Record) -> str | None:
    brands = (record.get("sponsorship") or {}).get("brands") or []
    return ", ".join("@" + b for b in brands[:5]) + (f" +{len(brands) - 5}" if len(brands) > 5 else "") \
        if brands else None


# (label, value of a record, how it is shown, which is better: "high", "low" or None); the labels
# are msgids, translated when the rows are built for a page
ROWS: list[tuple[str, Callable[[Record], Any], Shown, str | None]] = [
    (N_("platform"), _get("platform"), _plain, None),
    (N_("tier"), _get("tier"), _plain, None),
    (N_("followers"), _get("followers"), _count, None),
    (N_("engagement rate (median)"), _get("engagement.rate_median"), _percent, "high"),
    (N_("engagement against its tier"), _get("engagement.vs_tier"), _times, "high"),
    (N_("weekly follower growth"), _get("growth.weekly_rate"), _signed_percent, None),
    (N_("posts a week"), _get("activity.posts_per_week"), _number, None),
    (N_("days since the last post"), _get("activity.days_since_last_post"), _days, "low"),
    (N_("sponsored posts"), _get("sponsorship.sponsored_share"), _percent, None),
    (N_("brands worked with"), _brands, _plain, None),
    (N_("audience quality (0–100)"), _get("audience.quality_score"), _plain, "high"),
    (N_("fake followers (estimated)"), _get("audience.fake_follower_share"), _percent, "low"),
    (N_("people who come back to comment"), _get("community.repeat_commenter_share"), _percent, "high"),
    (N_("comments the creator answers"), _get("community.reply_rate"), _percent, "high"),
    (N_("generic comments"), _get("community.generic_comment_share"), _percent, "low"),
    (N_("audience's top countries"), _top_countries, _countries, None),
]


def compare_rows(records: list[Record], lang: str = SOURCE) -> list[dict[str, Any]]:
    """One row per figure: its label and a cell per creator (text, and whether it is the row's
    best), worded and written as `lang` has them. A figure the data cannot give shows as
    "unknown" and is never the best."""
    t = translations(lang)
    unknown = t.gettext("unknown")
    rows = []
    for label, value_of, shown, better in ROWS:
        values = [value_of(r) for r in records]
        known = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        best = None
        if better and len(known) > 1 and len(set(known)) > 1:
            best = max(known) if better == "high" else min(known)
        rows.append({"label": t.gettext(label), "better": better,
                     "cells": [{"text": unknown if v is None else shown(lang, v),
                                "best": best is not None and v == best} for v in values]})
    return rows
