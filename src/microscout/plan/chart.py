"""The plan as a picture: the strategies side by side, what each pick costs against the people it
adds, and how the picks' audiences overlap. Vega-Lite through Altair; written as a standalone
HTML page (the Vega libraries inlined, nothing fetched from a CDN), SVG, PNG or the JSON spec,
rendered offline by vl-convert."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from microscout.exceptions import MicroscoutError
from microscout.plan.names import STRATEGY_NAMES

FORMATS = (".html", ".svg", ".png", ".json")
HEATMAP_MAX = 15


def _english(text: str) -> str:
    return text


def plan_chart(record: dict[str, Any], _: Callable[[str], str] = _english) -> Any:
    """An Altair chart of a plan record (the plan contract); `_` translates its titles (the
    dashboard's language; web/locale)."""
    import altair as alt

    strategies = pd.DataFrame([{"strategy": _(STRATEGY_NAMES.get(s["strategy"], s["strategy"])), "unique_reach": s.get("unique_reach") or 0,
                                "spent": s.get("spent") or 0.0, "cpm": s.get("cpm")}
                               for s in (record, *record["alternatives"])])
    bars = alt.Chart(strategies, title=_("Distinct people reached, by strategy")).mark_bar().encode(
        x=alt.X("unique_reach:Q", title=_("unique reach (people)")),
        y=alt.Y("strategy:N", sort=None, title=None),
        tooltip=["strategy", "unique_reach", "spent", "cpm"])
    picks = pd.DataFrame(record["picks"]) if record["picks"] else pd.DataFrame(
        columns=["handle", "cost", "unique_reach_added", "tier", "posts"])
    scatter = alt.Chart(picks, title=_("Picks: cost against people added") + f" ({record['currency']})").mark_circle(
        size=60).encode(x=alt.X("cost:Q", title=_("cost") + f" ({record['currency']})"),
                        y=alt.Y("unique_reach_added:Q", title=_("people added")),
                        color=alt.Color("tier:N", title=_("tier")), tooltip=["handle", "tier", "posts", "cost", "unique_reach_added"])
    chart: alt.HConcatChart | alt.VConcatChart = alt.hconcat(bars, scatter)
    overlap = record.get("overlap") or {}
    accounts = overlap.get("accounts", [])[:HEATMAP_MAX]
    if len(accounts) >= 2:
        handle = {f"{p['platform']}:{p['account_id']}": "@" + str(p["handle"]) for p in record["picks"]}
        names = [handle.get(a, a) for a in accounts]
        cells = pd.DataFrame([{"a": names[i], "b": names[j], "jaccard": overlap["jaccard"][i][j],
                               "shared": overlap["shared_followers"][i][j]}
                              for i in range(len(names)) for j in range(len(names))])
        heat = alt.Chart(cells, title=_("Audience overlap of the first picks (Jaccard)")).mark_rect().encode(
            x=alt.X("a:N", sort=names, title=None), y=alt.Y("b:N", sort=names, title=None),
            color=alt.Color("jaccard:Q", scale=alt.Scale(domain=[0, 1])), tooltip=["a", "b", "shared", "jaccard"])
        chart = alt.vconcat(chart, heat)
    return chart


def write_plan_chart(record: dict[str, Any], path: str | Path) -> Path:
    """Write the chart to `path`; its suffix picks the format (.html, .svg, .png or .json)."""
    p = Path(path)
    if p.suffix.lower() not in FORMATS:
        raise MicroscoutError(f"--chart {p}: '{p.suffix or '(no suffix)'}' is not a chart format: expected a file "
                              f"name ending in {', '.join(FORMATS)}")
    chart = plan_chart(record)
    try:
        if p.suffix.lower() == ".json":
            p.write_text(chart.to_json(), encoding="utf-8")
        else:
            chart.save(str(p), **({"inline": True} if p.suffix.lower() == ".html" else {}))
    except OSError as e:
        raise MicroscoutError(f"--chart {p}: cannot write it ({e.strerror or e})") from None
    return p
