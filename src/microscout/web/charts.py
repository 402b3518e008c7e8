"""The creator profile's charts as Vega-Lite specs (plain dicts, drawn in the browser)."""

from __future__ import annotations

from typing import Any

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


def engagement_chart(c: dict[str, Any]) -> dict[str, Any] | None:
    """The creator's median engagement rate against its tier's quartiles and median."""
    e = c.get("engagement") or {}
    if e.get("rate_median") is None or e.get("tier_benchmark_median") is None:
        return None
    from microscout.metrics.vet import MIN_BENCHMARK_SAMPLE

    sample = e.get("tier_benchmark_sample") or 0
    # a "median" of a handful of creators is their rates, not a benchmark: named as such
    label = (f"{c.get('tier')} median" if sample >= MIN_BENCHMARK_SAMPLE
             else f"{sample} {c.get('tier')} creators (too few for a benchmark)")
    rows = [{"what": f"@{c['handle']}", "rate": e["rate_median"]}, {"what": label, "rate": e["tier_benchmark_median"]}]
    band = [{"q1": e.get("tier_benchmark_q1"), "q3": e.get("tier_benchmark_q3")}]
    return {"$schema": SCHEMA, "title": f"Engagement rate against the {c.get('tier')} benchmark", "width": 360,
            "layer": [{"data": {"values": rows}, "mark": "bar",
                       "encoding": {"y": {"field": "what", "type": "nominal", "title": None, "sort": None},
                                    "x": {"field": "rate", "type": "quantitative", "axis": {"format": ".1%"},
                                          "title": "median (likes + comments) / followers"}}},
                      {"data": {"values": band}, "mark": {"type": "rect", "opacity": 0.15},
                       "encoding": {"x": {"field": "q1", "type": "quantitative"}, "x2": {"field": "q3"}}}]}


def growth_chart(snapshots: list[dict[str, Any]], c: dict[str, Any]) -> dict[str, Any] | None:
    """Followers over time, each spike marked with a point."""
    if len(snapshots) < 2:
        return None
    spikes = [{"at": s["at"], "followers_added": s.get("followers_added")} for s in (c.get("growth") or {}).get(
        "spikes", [])]
    layers: list[dict[str, Any]] = [{"data": {"values": snapshots}, "mark": {"type": "line", "point": False},
                                     "encoding": {"x": {"field": "at", "type": "temporal", "title": None},
                                                  "y": {"field": "followers", "type": "quantitative"}}}]
    if spikes:
        layers.append({"data": {"values": spikes}, "mark": {"type": "rule", "color": "#c0392b", "strokeDash": [4, 3]},
                       "encoding": {"x": {"field": "at", "type": "temporal"},
                                    "tooltip": [{"field": "at", "type": "temporal"},
                                                {"field": "followers_added", "type": "quantitative"}]}})
    return {"$schema": SCHEMA, "title": "Followers (spikes marked)", "width": 420, "layer": layers}


def audience_chart(c: dict[str, Any]) -> dict[str, Any] | None:
    """The sampled followers split into real, mass-following and fake accounts."""
    a = c.get("audience") or {}
    if a.get("real_follower_share") is None:
        return None
    rows = [{"kind": "real", "share": a.get("real_follower_share") or 0.0},
            {"kind": "mass followers", "share": a.get("mass_follower_share") or 0.0},
            {"kind": "fake", "share": a.get("fake_follower_share") or 0.0}]
    return {"$schema": SCHEMA, "title": f"Audience quality {a.get('quality_score')}/100 "
                                        f"({a.get('sample_size')} sampled followers)",
            "width": 360, "data": {"values": rows}, "mark": "bar",
            "encoding": {"y": {"field": "kind", "type": "nominal", "sort": None, "title": None},
                         "x": {"field": "share", "type": "quantitative", "axis": {"format": ".0%"}, "title": None},
                         "color": {"field": "kind", "type": "nominal", "legend": None,
                                   "scale": {"domain": ["real", "mass followers", "fake"],
                                             "range": ["#2e7d32", "#f9a825", "#c62828"]}}}}
