"""Reminders on relationships with known dates: quiet ones, deliverables due, anniversaries."""

from __future__ import annotations

import json
from datetime import date, datetime

import pandas as pd
from tests.test_cli import SAMPLE, run

from microscout.campaigns.reminders import reminders


def _rel(rows):
    return pd.DataFrame([{"brand": "kornblume", "platform": "instagram", "account_id": a, "version": 1,
                          "updated_at": datetime.fromisoformat(at), "record": json.dumps(body)} for a, at, body in rows])


def _hist(rows):
    return pd.DataFrame([{"brand": "kornblume", "platform": "instagram", "account_id": a, "version": v,
                          "changed_at": datetime.fromisoformat(at), "changes": json.dumps(ch)} for a, v, at, ch in rows])


def test_quiet_due_and_anniversary_reminders():
    rel = _rel([("1", "2026-09-01", {"stage": "contacted"}),                                 # quiet 90 days
                ("2", "2026-11-25", {"stage": "agreed", "deadline": "2026-12-03", "deliverables": "2 reels"}),
                ("3", "2026-11-28", {"stage": "live", "deadline": "2026-11-20"}),          # overdue
                ("4", "2026-11-29", {"stage": "completed"}),                               # agreed 2025-12-02
                ("5", "2026-08-01", {"stage": "declined"}),                                # declined: never quiet
                ("6", "2026-11-29", {"stage": "agreed", "deadline": "2027-01-15"})])         # not due yet
    hist = _hist([("4", 1, "2025-11-20", {"stage": ["prospect", "contacted"]}),
                  ("4", 2, "2025-12-02", {"stage": ["contacted", "agreed"]})])
    found = reminders(rel, hist, date(2026, 11, 30), quiet_days=60, due_days=7)
    got = {(r["account_id"], r["kind"]) for r in found}
    assert got == {("1", "quiet"), ("2", "due"), ("3", "due"), ("4", "anniversary")}
    by = {(r["account_id"], r["kind"]): r for r in found}
    assert "overdue" in by[("3", "due")]["what"] and "due in 3 days: 2 reels" in by[("2", "due")]["what"]
    assert by[("4", "anniversary")]["when"] == "2026-12-02" and "1 year" in by[("4", "anniversary")]["what"]
    assert [r["when"] for r in found] == sorted(r["when"] for r in found)


def test_the_reminders_command(tmp_path):
    assert run("import", str(SAMPLE), "--db", "ws.duckdb", cwd=tmp_path).returncode == 0
    assert run("campaign", "relate", "@lena.bakes", "--brand", "kornblume", "--stage", "contacted", "--db",
               "ws.duckdb", cwd=tmp_path).returncode == 0
    later = run("reminders", "--today", "2099-01-01", "--db", "ws.duckdb", "-f", "json", cwd=tmp_path)
    assert later.returncode == 0, later.stderr
    rows = json.loads(later.stdout)
    assert [(r["handle"], r["kind"]) for r in rows] == [("lena.bakes", "quiet")]
    assert json.loads(run("reminders", "--db", "ws.duckdb", "-f", "json", cwd=tmp_path).stdout) == []
    bad = run("reminders", "--today", "soon", "--db", "ws.duckdb", cwd=tmp_path)
    assert bad.returncode == 2 and "expected a date" in bad.stderr
