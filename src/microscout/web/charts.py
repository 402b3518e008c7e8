"""The creator profile's charts as Vega-Lite specs (plain dicts, drawn in the browser)."""

from __future__ import annotations

from gettext import NullTranslations
from typing import Any

from microscout.translations import ENGLISH

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"


def engagement_chart(c: dict[str, Any], t: NullTranslations = ENGLISH) -> dict[str, Any] | None:
    """The creator's median engagement rate against its tier's quartiles and median (titles in `t`'s language)."""
    e = c.get("engagement") or {}
    if e.get("rate_median") is None or e.get("tier_benchmark_median") is None:
        return None
    from microscout.metrics.vet import MIN_BENCHMARK_SAMPLE

    sample = e.get("tier_benchmark_sample") or 0
    # a "median" of a handful of creators is their rates, not a benchmark: named as such
    tier = c.get("tier")
    label = (t.gettext("%(tier)s median") % {"tier": tier} if sample >= MIN_BENCHMARK_SAMPLE
             else t.ngettext("%(num)d %(tier)s creator (too few for a benchmark)",
                             "%(num)d %(tier)s creators (too few for a benchmark)", sample)
             % {"num": sample, "tier": tier})
    rows = [{"what": f"@{c['handle']}", "rate": e["rate_median"]}, {"what": label, "rate": e["tier_benchmark_median"]}]
    band = [{"q1": e.get("tier_benchmark_q1"), "q3": e.get("tier_benchmark_q3")}]
    return {"$schema": SCHEMA, "title": t.gettext("Engagement rate against the %(tier)s benchmark") % {"tier": tier},
            "width": 360,
            "layer": [{"data": {"values": rows}, "mark": "bar",
                       "encoding": {"y": {"field": "what", "type": "nominal", "title": None, "sort": None},
                                    "x": {"field": "rate", "type": "quantitative", "axis": {"format": ".1%"},
                                          "title": t.gettext("median (likes + comments) / followers")}}},
                      {"data": {"values": band}, "mark": {"type": "rect", "opacity": 0.15},
                       "encoding": {"x": {"field": "q1", "type": "quantitative"}, "x2": {"field": "q3"}}}]}


def growth_chart(snapshots: list[dict[str, Any]], c: dict[str, Any],
                 t: NullTranslations = ENGLISH) -> dict[str, Any] | None:
    """Followers over time, each spike marked with a point."""
    if len(snapshots) < 2:
        return None
    spikes = [{"at": s["at"], "followers_added": s.get("followers_added")} for s in (c.get("growth") or {}).get(
        "spikes", [])]
    layers: list[dict[str, Any]] = [{"data": {"values": snapshots}, "mark": {"type": "line", "point": False},
                                     "encoding": {"x": {"field": "at", "type": "temporal", "title": None},
                                                  "y": {"field": "followers", "type": "quantitative",
                                                        "title": t.gettext("followers")}}}]
    if spikes:
        layers.append({"data": {"values": spikes}, "mark": {"type": "rule", "color": "#c0392b", "strokeDash": [4, 3]},
                       "encoding": {"x": {"field": "at", "type": "temporal"},
                                    "tooltip": [{"field": "at", "type": "temporal", "title": t.gettext("date")},
                                                {"field": "followers_added", "type": "quantitative",
                                                 "title": t.gettext("followers added")}]}})
    return {"$schema": SCHEMA, "title": t.gettext("Followers (spikes marked)"), "width": 420, "layer": layers}


def audience_chart(c: dict[str, Any], t: NullTranslations = ENGLISH) -> dict[str, Any] | None:
    """The sampled followers split into real, mass-following and fake accounts."""
    a = c.get("audience") or {}
    if a.get("real_follower_share") is None:
        return None
    kinds = [t.gettext("real"), t.gettext("mass followers"), t.gettext("fake")]
    rows = [{"kind": kinds[0], "share": a.get("real_follower_share") or 0.0},
            {"kind": kinds[1], "share": a.get("mass_follower_share") or 0.0},
            {"kind": kinds[2], "share": a.get("fake_follower_share") or 0.0}]
    sample = a.get("sample_size") or 0
    title = t.ngettext("Audience quality %(score)s/100 (%(num)d sampled follower)",
                       "Audience quality %(score)s/100 (%(num)d sampled followers)", sample)
    return {"$schema": SCHEMA, "title": title % {"score": a.get("quality_score"), "num": sample},
            "width": 360, "data": {"values": rows}, "mark": "bar",
            "encoding": {"y": {"field": "kind", "type": "nominal", "sort": None, "title": None},
                         "x": {"field": "share", "type": "quantitative", "axis": {"format": ".0%"}, "title": None},
                         "color": {"field": "kind", "type": "nominal", "legend": None,
                                   "scale": {"domain": kinds,
                                             "range": ["#2e7d32", "#f9a825", "#c62828"]}}}}
