"""Relationship care: what needs attention today.

- `quiet`: a creator the brand works with (contacted, negotiating, agreed, live or completed)
  whose relationship has not changed in `quiet_days` days: a good relationship gone quiet;
- `due`: deliverables whose deadline falls within `due_days` days (or has passed) while the
  relationship is agreed or live;
- `anniversary`: a partnership (agreed or later) whose first agreement was a whole number of
  years ago, within `due_days` days.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pandas as pd

ACTIVE = ("contacted", "negotiating", "agreed", "live", "completed")
PARTNERS = ("agreed", "live", "completed")


def reminders(relationships: pd.DataFrame, history: pd.DataFrame, today: date, quiet_days: int = 60,
              due_days: int = 7) -> list[dict[str, Any]]:
    """One row per reminder: kind, brand, platform, account_id, when, and what to do."""
    out: list[dict[str, Any]] = []
    for r in relationships.itertuples():
        body = json.loads(r.record)
        stage = body.get("stage")
        changed = pd.Timestamp(r.updated_at).date()
        base = {"brand": r.brand, "platform": r.platform, "account_id": r.account_id, "stage": stage}
        if stage in ACTIVE and (today - changed).days >= quiet_days:
            out.append({**base, "kind": "quiet", "when": changed.isoformat(),
                        "what": f"no change for {(today - changed).days} days: get back in touch"})
        deadline = body.get("deadline")
        if deadline and stage in ("agreed", "live"):
            due = date.fromisoformat(deadline)
            if due <= today + timedelta(days=due_days):
                late = "overdue" if due < today else f"due in {(due - today).days} days"
                out.append({**base, "kind": "due", "when": due.isoformat(),
                            "what": f"deliverables {late}: {body.get('deliverables') or 'as agreed'}"})
        if stage in PARTNERS:
            agreed = _first_agreement(history, r.brand, r.platform, r.account_id)
            if agreed is not None:
                for years in range(1, 50):
                    try:
                        day = agreed.replace(year=agreed.year + years)
                    except ValueError:  # 29 February
                        day = agreed.replace(year=agreed.year + years, day=28)
                    if day > today + timedelta(days=due_days):
                        break
                    if today <= day:
                        out.append({**base, "kind": "anniversary", "when": day.isoformat(),
                                    "what": f"{years} year{'s' if years > 1 else ''} of partnership"})
    return sorted(out, key=lambda x: (x["when"], x["kind"]))


def _first_agreement(history: pd.DataFrame, brand: str, platform: str, account_id: str) -> date | None:
    mine = history[(history.brand == brand) & (history.platform == platform) & (history.account_id == account_id)]
    for h in mine.sort_values("version").itertuples():
        change = json.loads(h.changes).get("stage")
        if change and change[1] in PARTNERS:
            agreed: date = pd.Timestamp(h.changed_at).date()
            return agreed
    return None

