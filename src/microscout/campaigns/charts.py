"""A campaign's charts as Vega-Lite specs: drawn by the dashboard in the browser, and rendered to
inline SVG for the shareable report."""

from __future__ import annotations

from gettext import NullTranslations
from typing import Any

from microscout.translations import ENGLISH

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


def value_chart(report: dict[str, Any], t: NullTranslations = ENGLISH) -> dict[str, Any] | None:
    """Per partner: what it cost against the earned media value and the revenue it brought."""
    what = {"cost": t.gettext("cost"), "emv": t.gettext("earned media value"), "revenue": t.gettext("revenue")}
    rows = []
    for r in report["creators"]:
        who = f"@{r.get('handle')}"
        for key, words in what.items():
            if r.get(key) is not None:
                rows.append({"creator": who, "what": words, "amount": r[key]})
    if not rows:
        return None
    return {"$schema": SCHEMA, "title": t.gettext("Cost, earned media value and revenue per creator"), "width": 420,
            "data": {"values": rows}, "mark": "bar",
            "encoding": {"y": {"field": "creator", "type": "nominal", "title": None, "sort": None},
                         "yOffset": {"field": "what"},
                         "x": {"field": "amount", "type": "quantitative", "title": None},
                         "color": {"field": "what", "type": "nominal", "title": None,
                                   "scale": {"domain": list(what.values()),
                                             "range": ["#8d6e63", "#1565c0", "#2e7d32"]}}}}


def tier_chart(report: dict[str, Any], t: NullTranslations = ENGLISH) -> dict[str, Any] | None:
    """Cost per engagement per tier: micro against macro on what the posts really did."""
    rows = [{"tier": t["tier"], "cost_per_engagement": t["cost_per_engagement"]} for t in report["tiers"]
            if t.get("cost_per_engagement") is not None]
    if not rows:
        return None
    return {"$schema": SCHEMA, "title": t.gettext("Cost per engagement by tier"), "width": 360, "data": {"values": rows},
            "mark": "bar", "encoding": {"y": {"field": "tier", "type": "nominal", "title": None, "sort": None},
                                        "x": {"field": "cost_per_engagement", "type": "quantitative",
                                              "title": t.gettext("cost per engagement")}}}


def disclosure_chart(report: dict[str, Any], t: NullTranslations = ENGLISH) -> dict[str, Any] | None:
    """Paid posts disclosed properly, buried or not at all."""
    d = report["disclosure"]
    status = {"ok": t.gettext("disclosed"), "buried": t.gettext("buried"), "missing": t.gettext("missing")}
    rows = [{"status": words, "posts": d[key]} for key, words in status.items()]
    if not any(r["posts"] for r in rows):
        return None
    return {"$schema": SCHEMA, "title": t.gettext("Disclosure of the paid posts"), "width": 360, "data": {"values": rows},
            "mark": "bar", "encoding": {"y": {"field": "status", "type": "nominal", "title": None, "sort": None},
                                        "x": {"field": "posts", "type": "quantitative", "title": t.gettext("posts")},
                                        "color": {"field": "status", "type": "nominal", "legend": None,
                                                  "scale": {"domain": list(status.values()),
                                                            "range": ["#2e7d32", "#f9a825", "#c62828"]}}}}


def campaign_charts(report: dict[str, Any], t: NullTranslations = ENGLISH) -> dict[str, dict[str, Any]]:
    """The charts with their titles and labels in a language (`t`: its catalog)."""
    charts = {"value": value_chart(report, t), "tiers": tier_chart(report, t),
              "disclosure": disclosure_chart(report, t)}
    return {k: v for k, v in charts.items() if v is not None}
