"""A campaign's charts as Vega-Lite specs: drawn by the dashboard in the browser, and rendered to
inline SVG for the shareable report."""

from __future__ import annotations

from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


def value_chart(report: dict[str, Any]) -> dict[str, Any] | None:
    """Per partner: what it cost against the earned media value and the revenue it brought."""
    rows = []
    for r in report["creators"]:
        who = f"@{r.get('handle')}"
        for what, key in (("cost", "cost"), ("earned media value", "emv"), ("revenue", "revenue")):
            if r.get(key) is not None:
                rows.append({"creator": who, "what": what, "amount": r[key]})
    if not rows:
        return None
    return {"$schema": SCHEMA, "title": "Cost, earned media value and revenue per creator", "width": 420,
            "data": {"values": rows}, "mark": "bar",
            "encoding": {"y": {"field": "creator", "type": "nominal", "title": None, "sort": None},
                         "yOffset": {"field": "what"},
                         "x": {"field": "amount", "type": "quantitative", "title": None},
                         "color": {"field": "what", "type": "nominal", "title": None,
                                   "scale": {"domain": ["cost", "earned media value", "revenue"],
                                             "range": ["#8d6e63", "#1565c0", "#2e7d32"]}}}}


def tier_chart(report: dict[str, Any]) -> dict[str, Any] | None:
    """Cost per engagement per tier: micro against macro on what the posts really did."""
    rows = [{"tier": t["tier"], "cost per engagement": t["cost_per_engagement"]} for t in report["tiers"]
            if t.get("cost_per_engagement") is not None]
    if not rows:
        return None
    return {"$schema": SCHEMA, "title": "Cost per engagement by tier", "width": 360, "data": {"values": rows},
            "mark": "bar", "encoding": {"y": {"field": "tier", "type": "nominal", "title": None, "sort": None},
                                        "x": {"field": "cost per engagement", "type": "quantitative"}}}


def disclosure_chart(report: dict[str, Any]) -> dict[str, Any] | None:
    """Paid posts disclosed properly, buried or not at all."""
    d = report["disclosure"]
    rows = [{"status": s, "posts": d[s]} for s in ("ok", "buried", "missing")]
    if not any(r["posts"] for r in rows):
        return None
    return {"$schema": SCHEMA, "title": "Disclosure of the paid posts", "width": 360, "data": {"values": rows},
            "mark": "bar", "encoding": {"y": {"field": "status", "type": "nominal", "title": None, "sort": None},
                                        "x": {"field": "posts", "type": "quantitative", "title": "posts"},
                                        "color": {"field": "status", "type": "nominal", "legend": None,
                                                  "scale": {"domain": ["ok", "buried", "missing"],
                                                            "range": ["#2e7d32", "#f9a825", "#c62828"]}}}}


def campaign_charts(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    charts = {"value": value_chart(report), "tiers": tier_chart(report), "disclosure": disclosure_chart(report)}
    return {k: v for k, v in charts.items() if v is not None}
