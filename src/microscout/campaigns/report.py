"""The shareable report of a campaign: one HTML file with its figures, tables and charts, that
opens anywhere without a network (charts are inline SVG rendered by vl-convert, the style is
inline, and there is no script). Everything from the data is escaped by Jinja's autoescape."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from microscout.campaigns.charts import campaign_charts

_ENV = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(["html"]))
FIGURES = ("posts", "views", "engagements", "engagement_rate", "emv", "cost", "conversions", "revenue", "cpm",
           "cost_per_engagement", "cost_per_acquisition", "return")
MONEY = ("emv", "cost", "revenue", "cpm", "cost_per_engagement", "cost_per_acquisition")


def _number(value: Any, kind: str = "") -> str:
    if value is None:
        return "–"
    if kind in ("engagement_rate", "return"):
        return f"{value:.1%}"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{value:,.0f}"


_ENV.filters["number"] = _number


def svg(spec: dict[str, Any]) -> Markup:
    """A chart as inline SVG; vl-convert renders it with no browser and no network."""
    import vl_convert

    return Markup(vl_convert.vegalite_to_svg(spec))


def report_html(report: dict[str, Any], marks: dict[str, Any] | None = None) -> str:
    charts = {name: svg(spec) for name, spec in campaign_charts(report).items()}
    return _ENV.get_template("campaign_report.html").render(
        r={"currency": "EUR", "orders_given": True, **report}, charts=charts, figures=FIGURES, marks=marks or {},
        money=MONEY,
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))


def write_report(report: dict[str, Any], path: str | Path, marks: dict[str, Any] | None = None) -> Path:
    """Write the report atomically: a reader never sees half a file."""
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(report_html(report, marks), encoding="utf-8")
    tmp.replace(target)
    return target


def report_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per creator, partners then user-generated, for a CSV export."""
    rows = [{"partner": True, **{k: r.get(k) for k in ("platform", "account_id", "handle", "tier", "followers")},
             **{k: r.get(k) for k in FIGURES}} for r in report["creators"]]
    rows += [{"partner": False, **{k: r.get(k) for k in ("platform", "account_id", "handle", "tier", "followers")},
              **{k: r.get(k) for k in FIGURES}} for r in report["user_generated"]["items"]]
    return rows

