"""Is each campaign post disclosed as an ad, where a reader sees it?

A post is `ok` when the platform's paid-partnership label is on, or a disclosure (a hashtag such
as #ad, #anzeige, #reklama, or a phrase such as "bezahlte Partnerschaft", in any of the languages
of metrics/disclosure.py) sits on the caption's first line. It is `buried` when the only
disclosure comes later (below the fold, lost among other tags) and `missing` when there is none.
Posts that are not ok form the report of posts to fix, each with the reason."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from microscout.metrics.disclosure import DISCLOSURE_PHRASES, DISCLOSURE_TAGS
from microscout.words import iso_utc

_TAG = re.compile(r"(?i)(?:^|[^\w])#(" + "|".join(sorted(map(re.escape, DISCLOSURE_TAGS), key=len, reverse=True))
                  + r")(?!\w)")
_PHRASE = re.compile("(?i)(" + "|".join(map(re.escape, DISCLOSURE_PHRASES)) + ")")


def disclosure_status(caption: str | None, paid_label: bool | None) -> tuple[str, str]:
    """(status, reason) of one post."""
    text = caption or ""
    first_line = text.strip().split("\n", 1)[0]
    if paid_label:
        return "ok", "the platform's paid-partnership label is on"
    if _TAG.search(first_line) or _PHRASE.search(first_line):
        return "ok", "disclosed on the first line"
    found = _TAG.search(text) or _PHRASE.search(text)
    if found:
        return "buried", f"the disclosure '{found.group(0).strip()}' comes after the first line: move it to the start"
    return "missing", "no disclosure and no paid-partnership label: add #ad (or the local word) on the first line"


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def caption_start(caption: Any, length: int = 60) -> str | None:
    """The caption's first words, as a person finds the post again (ids mean nothing to them)."""
    text = " ".join(str(caption).split()) if isinstance(caption, str) else ""
    if not text:
        return None
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + "…"


def post_label(x: dict[str, Any]) -> str:
    """A post as a person names it: its link, else the start of its caption, else its date."""
    if x.get("url"):
        return str(x["url"])
    if x.get("caption_start"):
        return f"“{x['caption_start']}”"
    return f"the post of {str(x.get('created_at') or '')[:10]}"


def compliance(posts: pd.DataFrame, handles: dict[tuple[str, str], str]) -> dict[str, Any]:
    """Counts of ok, buried and missing, and the posts to fix (platform, post_id, handle, date,
    status, reason)."""
    rows = []
    for r in posts.itertuples():
        label = getattr(r, "is_paid_partnership", None)
        status, reason = disclosure_status(r.caption, bool(label) if pd.notna(label) else None)
        rows.append({"platform": r.platform, "post_id": r.post_id, "handle": handles.get((r.platform, r.account_id)),
                     "created_at": iso_utc(r.created_at), "url": _text(getattr(r, "url", None)),
                     "caption_start": caption_start(r.caption), "status": status, "reason": reason})
    counts = {s: sum(1 for x in rows if x["status"] == s) for s in ("ok", "buried", "missing")}
    return {**counts, "to_fix": [x for x in rows if x["status"] != "ok"]}
