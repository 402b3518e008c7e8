"""The shareable report of a campaign: one HTML file with its figures, tables and charts, that
opens anywhere without a network (charts are inline SVG rendered by vl-convert, the style is
inline, and there is no script). Everything from the data is escaped by Jinja's autoescape."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context
from markupsafe import Markup

from microscout.campaigns.charts import campaign_charts
from microscout.translations import N_, SOURCE, install, known, number, percent, translations

_ENV = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                   autoescape=select_autoescape(["html"]))
install(_ENV)
FIGURES = ("posts", "views", "engagements", "engagement_rate", "emv", "cost", "conversions", "revenue", "cpm",
           "cost_per_engagement", "cost_per_acquisition", "return")
MONEY = ("emv", "cost", "revenue", "cpm", "cost_per_engagement", "cost_per_acquisition")
FIGURE_NAMES = {"posts": N_("posts"), "views": N_("views"), "engagements": N_("engagements"),
                "engagement_rate": N_("engagement rate"), "emv": N_("EMV"), "cost": N_("cost"),
                "conversions": N_("conversions"), "revenue": N_("revenue"), "cpm": N_("CPM"),
                "cost_per_engagement": N_("cost per engagement"), "cost_per_acquisition": N_("cost per acquisition"),
                "return": N_("return")}
STATUS_NAMES = {"ok": N_("disclosed"), "buried": N_("buried"), "missing": N_("missing")}


@pass_context
def _figure(context: Context, value: Any, kind: str = "") -> str:
    """A figure in the report's language: rates as percentages, amounts with two decimals."""
    lang = str(context.get("lang") or SOURCE)
    if value is None:
        return "–"
    if kind in ("engagement_rate", "return"):
        return percent(lang, value, 1)
    if isinstance(value, float) and not value.is_integer():
        return number(lang, value, 2)
    return number(lang, value, 0)


_ENV.filters["figure"] = _figure


def svg(spec: dict[str, Any]) -> Markup:
    """A chart as inline SVG; vl-convert renders it with no browser and no network."""
    import vl_convert

    return Markup(vl_convert.vegalite_to_svg(spec))


def report_html(report: dict[str, Any], marks: dict[str, Any] | None = None, lang: str = SOURCE) -> str:
    """The report in `lang` (one of translations.LANGUAGES): its words, numbers, dates and charts."""
    lang = known(lang) or SOURCE
    charts = {name: svg(spec) for name, spec in campaign_charts(report, translations(lang)).items()}
    return _ENV.get_template("campaign_report.html").render(
        r={"currency": "EUR", "orders_given": True, **report}, charts=charts, figures=FIGURES, marks=marks or {},
        money=MONEY, figure_names=FIGURE_NAMES, status_names=STATUS_NAMES, lang=lang,
        generated=datetime.now(UTC).replace(microsecond=0))


def write_report(report: dict[str, Any], path: str | Path, marks: dict[str, Any] | None = None,
                 lang: str = SOURCE) -> Path:
    """Write the report atomically: a reader never sees half a file."""
    target = Path(path)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(report_html(report, marks, lang), encoding="utf-8")
    tmp.replace(target)
    return target


def report_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per creator, partners then user-generated, for a CSV export."""
    rows = [{"partner": True, **{k: r.get(k) for k in ("platform", "account_id", "handle", "tier", "followers")},
             **{k: r.get(k) for k in FIGURES}} for r in report["creators"]]
    rows += [{"partner": False, **{k: r.get(k) for k in ("platform", "account_id", "handle", "tier", "followers")},
              **{k: r.get(k) for k in FIGURES}} for r in report["user_generated"]["items"]]
    return rows

