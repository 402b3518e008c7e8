"""Render records as a rich table, JSON or CSV: the one place the CLI prints data."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from microscout.words import plural


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _cell(value: Any, precise: bool = False) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, float):
        return repr(round(value, 6)) if precise else f"{value:.4g}"
    return str(value)


def _not_formula(value: Any) -> Any:
    # a cell starting with = + - @ would run as a formula in a spreadsheet: quote it as text
    if isinstance(value, str) and value[:1] and value[:1] in "=+-@" and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?([eE][+-]?\d+)?")


def print_rows(rows: Sequence[dict[str, Any]], fmt: OutputFormat, title: str | None = None,
               console: Console | None = None) -> None:
    """Print a list of flat records."""
    if fmt == OutputFormat.json:
        sys.stdout.write(json.dumps(list(rows), ensure_ascii=False, default=str) + "\n")
        return
    if fmt == OutputFormat.csv:
        sys.stdout.write(csv_text(rows))
        return
    columns = list(rows[0]) if rows else []
    table = Table(title=escape(title) if title else None, box=box.SIMPLE_HEAD, pad_edge=False)
    for c in columns:
        # keep every column whole but the last, which folds: a narrow terminal still shows every figure
        last = c == columns[-1]
        table.add_column(c, justify="right" if rows and isinstance(rows[0].get(c), int | float) else "left",
                         no_wrap=not last, overflow="fold" if last else "ellipsis")
    for r in rows:
        table.add_row(*[Text(_cell(r.get(c))) for c in columns])
    (console or Console(width=None if sys.stdout.isatty() else 140)).print(table)


def flat_record(record: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """One CSV row of a nested record: sub-objects as dotted keys, lists joined with '; '."""
    flat: dict[str, Any] = {}
    for k, v in record.items():
        if isinstance(v, dict):
            flat.update(flat_record(v, f"{prefix}{k}."))
        elif isinstance(v, list):
            flat[prefix + k] = "; ".join(str(x) if not isinstance(x, dict) else
                                         ", ".join(f"{a}={b}" for a, b in x.items()) for x in v)
        else:
            flat[prefix + k] = v
    return flat


def csv_text(rows: Sequence[dict[str, Any]]) -> str:
    """Rows as CSV, nested values flattened, columns from every row. A cell that starts like a
    formula (= + - @) is quoted as text, so a spreadsheet shows it instead of running it."""
    flat_rows = [flat_record(r) for r in rows]
    columns: list[str] = []
    for r in flat_rows:
        columns += [k for k in r if k not in columns]
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for r in flat_rows:
        writer.writerow({k: _not_formula(_cell(v, precise=True)) for k, v in r.items()})
    return buf.getvalue()


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


def _pct(x: Any) -> str:
    return "–" if x is None else f"{x * 100:.2f}%"


def print_vet_card(record: dict[str, Any], console: Console) -> None:
    """A readable card of one creator's vet record."""
    from rich.panel import Panel

    from microscout.metrics.vet import MIN_BENCHMARK_SAMPLE

    e, g, s, c, a = (record["engagement"], record["growth"], record["sponsorship"], record["community"],
                     record["activity"])
    lines = [
        f"[b]@{escape(str(record['handle']))}[/b]  {record['platform']}:{escape(str(record['account_id']))}",
        f"{record['followers']:,} followers · tier [b]{record['tier']}[/b] ({record['tier_scheme']}) · as of "
        f"{record['as_of']}",
        "",
        f"Engagement   {_pct(e['rate_median'])} median over {e['posts_used']} posts"
        + (f" · {e['vs_tier']:.2f}× its tier's median ({_pct(e['tier_benchmark_median'])})"
           if e["vs_tier"] and (e.get("tier_benchmark_sample") or 0) >= MIN_BENCHMARK_SAMPLE else
           f" · its tier has only {plural(e.get('tier_benchmark_sample') or 0, 'creator')} here: no benchmark"
           if e["vs_tier"] else ""),
        f"Growth       {_pct(g['weekly_rate'])} a week · {plural(len(g['spikes']), 'spike')}",
        f"Activity     {a['posts_per_week'] or 0:.1f} posts a week",
        f"Sponsorship  {_pct(s['sponsored_share'])} of posts disclosed ads · {plural(len(s['brands']), 'brand')} · "
        f"{s['undisclosed_suspected'] or 0} suspected undisclosed",
        f"Community    {_pct(c['repeat_commenter_share'])} from regulars · answers {_pct(c['reply_rate'])} · "
        f"{_pct(c['generic_comment_share'])} generic",
    ]
    aq = record["audience"]
    if aq["quality_score"] is not None:
        parts = aq["quality_parts"]
        lines.append(f"Audience     quality {aq['quality_score']}/100 (followers {parts['followers']:.0f}"
                     + (f", commenters {parts['commenters']:.0f}" if parts["commenters"] is not None else "")
                     + f") · {_pct(aq['fake_follower_share'])} of {aq['sample_size']:,} sampled followers look fake")
    from microscout.metrics.audience_mix import mix_lines

    lines += [f"  {escape(line)}" for line in mix_lines(aq.get("breakdown") or {})]
    contact = record.get("contact") or {}
    if contact.get("public") or contact.get("website"):
        lines.append("Contact      " + escape(" · ".join(v for v in (contact.get("public"), contact.get("website")) if v)))
    if record["flags"]:
        from microscout.metrics.vet import FRAUD_FLAGS

        lines += ["", "[b]Flags[/b]"] + [f"  [{'red' if k in FRAUD_FLAGS else 'yellow'}]{k}[/]: {escape(v)}"
                                         for k, v in record["flag_reasons"].items()]
    # reasons quote the data (hashtags, brands, handles): text, never markup
    lines += ["", "[b]Why[/b]"] + [f"  • {escape(r)}" for r in record["reasons"]]
    console.print(Panel("\n".join(lines), title="microscout vet", expand=False), highlight=False)


def _bar(x: float | None, width: int = 10) -> str:
    if x is None:
        return "·" * width
    full = round(max(0.0, min(1.0, x)) * width)
    return "█" * full + "░" * (width - full)


def print_scout(record: dict[str, Any], console: Console) -> None:
    """The ranked shortlist: one row per creator with its score bar and parts, then the reasons."""
    results = record["results"]
    if not results:
        console.print(f"No creator fits the brief '{record['brief']}' (filters, fraud flags or no relevance).",
                      markup=False)
        return
    table = Table(title=escape(f"{record['brief']}: {len(results)} creators"), box=box.SIMPLE_HEAD, pad_edge=False)
    for c in ("#", "creator", "tier", "followers", "score", "", "rel", "place", "auth", "eng", "comm", "aud", "fit",
              "flags"):
        table.add_column(c, no_wrap=c != "flags", justify="left" if c in ("creator", "tier", "", "flags") else "right")
    for r in results:
        p = r["parts"]
        table.add_row(str(r["rank"]), Text(f"@{r['handle']} ({r['platform']})"), r["tier"] or "", f"{r['followers']:,}",
                      f"{r['score']:.2f}", _bar(r["score"], 8),
                      *["" if p[k] is None else f"{p[k]:.2f}" for k in (
                          "relevance", "place", "authenticity", "engagement", "community", "audience_match",
                          "brand_fit")], ", ".join(r["flags"]))
    console.print(table)
    console.print("rel relevance · auth authenticity · eng engagement · comm community · aud audience match · "
                  "fit brand fit", highlight=False)
    for r in results[:5]:
        console.print(f"[b]{r['rank']}. @{escape(str(r['handle']))}[/b]", highlight=False)
        for line in r["reasons"]:
            console.print(f"   • {line}", highlight=False, markup=False)
    if len(results) > 5:
        console.print("(--format json for every creator's reasons)")


def print_plan(record: dict[str, Any], console: Console) -> None:
    """The allocation (who, how many posts, cost, people added), then the strategies side by side."""
    cur = record["currency"]
    picks = record["picks"]
    table = Table(title=f"Plan: {record['spent']:,.2f} of {record['budget']:,.2f} {cur} over {len(picks)} creators "
                  f"({record['method']}, objective {record['objective']})", box=box.SIMPLE_HEAD, pad_edge=False)
    for c in ("creator", "tier", "followers", "posts", f"cost {cur}", "people added", "engagements", "score", "flags"):
        table.add_column(c, no_wrap=c != "flags", justify="left" if c in ("creator", "tier", "flags") else "right")
    for p in picks:
        table.add_row(Text(f"@{p['handle']} ({p['platform']})"), p["tier"] or "",
                      f"{p['followers']:,}" if p["followers"] is not None else "", str(p["posts"]),
                      f"{p['cost']:,.2f}", f"{p['unique_reach_added']:,}", f"{p['expected_engagements']:,}",
                      "" if p["score"] is None else f"{p['score']:.2f}", ", ".join(p["flags"]))
    console.print(table)
    strategies = [record, *record["alternatives"]]
    best = max((s.get("unique_reach") or 0) for s in strategies) or 1
    compare = Table(title=f"Strategies (money in {cur})", box=box.SIMPLE_HEAD, pad_edge=False)
    for c in ("strategy", "spent", "unique reach", "", "engagements", "conversions", "CPM", "per engagement",
              "contracts", "on flagged"):
        compare.add_column(c, no_wrap=True, justify="left" if c in ("strategy", "") else "right")
    for s in strategies:
        compare.add_row(s["strategy"], f"{s['spent']:,.2f}", f"{s['unique_reach']:,}",
                        _bar((s.get("unique_reach") or 0) / best, 12), f"{s['expected_engagements']:,}",
                        _cell(s.get("expected_conversions")), _cell(s.get("cpm")), _cell(s.get("cost_per_engagement")),
                        _cell(s.get("contracts")), _cell(s.get("budget_flagged")))
    console.print(compare)
    for line in record.get("unmet", []):
        console.print(f"[yellow]not met:[/yellow] {line}", highlight=False)
    if "exact" in record:
        e = record["exact"]
        console.print(f"greedy reached {e['greedy_share_of_exact']:.1%} of the exact optimum ({e['method']})",
                      highlight=False)
    for s in record["alternatives"]:
        if "note" in s:
            console.print(f"{s['strategy']}: {s['note']}", highlight=False)
    if "choices" in record:
        from microscout.plan.pool import choices_lines

        for line in choices_lines(record["choices"]):
            console.print(line, highlight=False, markup=False)


def money(amount: float | None, currency: str) -> str:
    """An amount with its currency: '1,250.00 EUR'; '–' when unknown."""
    return "–" if amount is None else f"{amount:,.2f} {currency}"


def print_track(record: dict[str, Any], console: Console) -> None:
    """A campaign's figures in three narrow tables (reach, money, cost per result) that each fit
    80 columns, then user-generated posts and disclosure, posts named by link or caption."""
    from microscout.campaigns.compliance import post_label

    cur, t = record.get("currency", "EUR"), record["total"]
    rows = [(f"@{r.get('handle')}", r) for r in record["creators"]] + [("total", {**t, "tier": ""})]

    def num(x: float | None) -> str:
        return "–" if x is None else f"{x:,.0f}"

    def pct(x: float | None) -> str:
        return "–" if x is None else f"{x * 100:+.1f}%"

    console.print(f"[b]{escape(record['campaign'])}[/b]", highlight=False)
    orders = record.get("orders_given", True)
    summary = (f"{plural(t['posts'], 'paid post')} by {plural(t['creators'], 'partner')} · cost {money(t['cost'], cur)} · "
               f"earned media value {money(t['emv'], cur)} · ")
    summary += (f"revenue {money(t['revenue'], cur)} from {plural(t['conversions'] or 0, 'order')} · return "
                f"{pct(t['return'])}" if orders else "no orders given (--orders): revenue and return unknown")
    console.print(summary, highlight=False, markup=False)
    tables: list[tuple[str, list[tuple[str, Callable[[dict[str, Any]], str]]]]] = [("Reach", [("posts", lambda r: str(r["posts"])), ("views", lambda r: num(r["views"])),
                         ("engagements", lambda r: num(r["engagements"])), (f"EMV {cur}", lambda r: f"{r['emv']:,.2f}")]),
              ("Money", [(f"cost {cur}", lambda r: "–" if r["cost"] is None else f"{r['cost']:,.2f}"),
                         ("orders", lambda r: "–" if r["conversions"] is None else str(r["conversions"])),
                         (f"revenue {cur}", lambda r: "–" if r["revenue"] is None else f"{r['revenue']:,.2f}"),
                         ("return", lambda r: pct(r["return"]))]),
              (f"Cost per result ({cur})", [("per 1,000 views", lambda r: "–" if r["cpm"] is None else f"{r['cpm']:,.2f}"),
                                            ("per engagement", lambda r: "–" if r["cost_per_engagement"] is None
                                             else f"{r['cost_per_engagement']:,.3f}"),
                                            ("per order", lambda r: "–" if r["cost_per_acquisition"] is None
                                             else f"{r['cost_per_acquisition']:,.2f}")])]
    for title, columns in tables:
        if title == "Money" and not orders:
            columns = columns[:1]
        table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False)
        table.add_column("creator", no_wrap=True, max_width=28, overflow="ellipsis")
        table.add_column("tier", no_wrap=True)
        for name, _ in columns:
            table.add_column(name, justify="right", no_wrap=True)
        for i, (who, r) in enumerate(rows):
            table.add_row(Text(who), r.get("tier") or "", *[cell(r) for _, cell in columns],
                          end_section=i == len(rows) - 2)
        console.print(table)
    u = record["user_generated"]
    console.print(f"User-generated: {plural(u['posts'], 'post')} by {plural(u['creators'], 'creator')} outside the "
                  f"partnerships, earned media value {money(u['emv'], cur)}", highlight=False, markup=False)
    d = record["disclosure"]
    console.print(f"Disclosure of paid posts: {d['ok']} ok, {d['buried']} buried, {d['missing']} missing",
                  highlight=False, markup=False)
    for x in d["to_fix"]:
        console.print(f"  to fix: @{x['handle']} ({x['platform']}) {post_label(x)} of {x['created_at'][:10]}: "
                      f"{x['status']}: {x['reason']}", highlight=False, markup=False)
