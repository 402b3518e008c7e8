"""Campaign commands: the relationship with each creator, per brand (microscout campaign ...)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from microscout.commands.shared import (
    BackendOpt,
    ConfigOpt,
    DbOpt,
    FormatOpt,
    _settings,
    _workspace,
    any_workspace,
    app,
    console,
    err,
    user_errors,
)
from microscout.exceptions import MicroscoutError
from microscout.output import OutputFormat, flat_record, print_json, print_rows, print_track

campaign = typer.Typer(help="Relationships with creators: pipeline stage, notes, terms, history.",
                       no_args_is_help=True)
app.add_typer(campaign, name="campaign")

BrandOpt = Annotated[str, typer.Option("--brand", help="The brand (its handle or name).", show_default=False)]


@campaign.command("relate")
@user_errors
def relate(
    account: Annotated[str, typer.Argument(help="The creator: platform:account_id, platform:@handle or @handle.",
                                           show_default=False)],
    brand: BrandOpt,
    stage: Annotated[str | None, typer.Option("--stage", help="prospect, contacted, negotiating, agreed, live, "
                                              "completed or declined.")] = None,
    note: Annotated[str | None, typer.Option("--note", help="Notes (replace the previous ones).")] = None,
    tag: Annotated[list[str] | None, typer.Option("--tag", help="A tag (repeatable; replaces the tags).")] = None,
    contact: Annotated[str | None, typer.Option("--contact", help="Contact details.")] = None,
    fee: Annotated[float | None, typer.Option("--fee", help="Agreed fee (with --currency).")] = None,
    price_per_post: Annotated[float | None, typer.Option("--price-per-post", help="Price of one post (with "
                                                         "--currency); the planner uses it once negotiating.")] = None,
    currency: Annotated[str | None, typer.Option("--currency", help="Three-letter currency code.")] = None,
    product: Annotated[str | None, typer.Option("--product", help="Product given as compensation.")] = None,
    affiliate_share: Annotated[float | None, typer.Option("--affiliate-share", help="0.1 = 10%.")] = None,
    discount_code: Annotated[str | None, typer.Option("--discount-code")] = None,
    tracking_link: Annotated[str | None, typer.Option("--tracking-link")] = None,
    deliverables: Annotated[str | None, typer.Option("--deliverables", help="What is to be posted.")] = None,
    deadline: Annotated[str | None, typer.Option("--deadline", help="YYYY-MM-DD.")] = None,
    usage_rights: Annotated[str | None, typer.Option("--usage-rights")] = None,
    disclosure_required: Annotated[bool | None, typer.Option("--disclosure-required/--no-disclosure-required")
                                   ] = None,
    version: Annotated[int | None, typer.Option("--version", min=0, help="The version you are editing (0: a new "
                                                "one); if it changed since, nothing is written (exit 2).")] = None,
    db: DbOpt = None, config: ConfigOpt = None, backend: BackendOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Create or change the brand's relationship with a creator; every change is kept in its history."""
    settings = _settings(db, config, backend)
    given = {"stage": stage, "notes": note, "tags": tag, "contact": contact, "fee": fee,
             "price_per_post": price_per_post, "currency": currency,
             "product": product, "affiliate_share": affiliate_share, "discount_code": discount_code,
             "tracking_link": tracking_link, "deliverables": deliverables, "deadline": deadline,
             "usage_rights": usage_rights, "disclosure_required": disclosure_required}
    changes = {k: v for k, v in given.items() if v is not None}
    with any_workspace(settings) as ws:
        record = ws.relate(account, brand, changes, version)
    _print_record(record, fmt)


@campaign.command("pipeline")
@user_errors
def pipeline(brand: BrandOpt, db: DbOpt = None, config: ConfigOpt = None, backend: BackendOpt = None,
             fmt: FormatOpt = OutputFormat.table) -> None:
    """The brand's relationships, in pipeline order."""
    settings = _settings(db, config, backend)
    with any_workspace(settings) as ws:
        records = ws.pipeline(brand)
    if fmt == OutputFormat.json:
        print_json(records)
    else:
        print_rows([{k: r.get(k) for k in ("handle", "platform", "stage", "fee", "currency", "deadline", "tags",
                                           "version", "updated_at")} for r in records] if fmt == OutputFormat.table
                   else [flat_record(r) for r in records], fmt, title=f"Pipeline of {brand}")


@campaign.command("history")
@user_errors
def history(account: Annotated[str, typer.Argument(show_default=False)], brand: BrandOpt, db: DbOpt = None,
            config: ConfigOpt = None, backend: BackendOpt = None, fmt: FormatOpt = OutputFormat.table) -> None:
    """Every change of one relationship: version, when, and each field from → to."""
    settings = _settings(db, config, backend)
    with any_workspace(settings) as ws:
        changes = ws.relationship_history(account, brand)
    if fmt == OutputFormat.json:
        print_json(changes)
    else:
        print_rows([{"version": c["version"], "changed_at": c["changed_at"],
                     "changes": "; ".join(f"{k}: {v[0]} → {v[1]}" for k, v in c["changes"].items())}
                    for c in changes], fmt, title=f"History with {brand}")


@campaign.command("track")
@user_errors
def track(
    brand: BrandOpt,
    start: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD).", show_default=False)],
    end: Annotated[str, typer.Option("--to", help="Last day, included (YYYY-MM-DD).", show_default=False)],
    hashtag: Annotated[list[str] | None, typer.Option("--hashtag", help="A campaign hashtag (repeatable).")] = None,
    mention: Annotated[list[str] | None, typer.Option("--mention", help="A brand handle mentioned (repeatable; "
                                                      "default: the brand).")] = None,
    code: Annotated[list[str] | None, typer.Option("--code", help="A code in captions (repeatable; the "
                                                   "relationships' discount codes count anyway).")] = None,
    link: Annotated[list[str] | None, typer.Option("--link", help="A tracking link in captions (repeatable).")] = None,
    orders: Annotated[Path | None, typer.Option("--orders", help="CSV of orders: code, revenue, ordered_at.")] = None,
    name: Annotated[str | None, typer.Option("--name", help="The campaign's name.")] = None,
    report: Annotated[Path | None, typer.Option("--report", help="Also write a shareable HTML report with its "
                                                "charts (one file, no network needed to open it).",
                                                show_default=False)] = None,
    language: Annotated[str | None, typer.Option("--language", help="The report's language: en, de, pl, da or nl "
                                                 "(default: the language setting, else en).",
                                                 show_default=False)] = None,
    db: DbOpt = None, config: ConfigOpt = None, backend: BackendOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """What a campaign earned: posts, views, engagements, EMV, conversions, revenue, CPM, cost per
    engagement and per acquisition, and return, per creator, per tier and in total."""
    from datetime import date

    from microscout.campaigns.track import campaign_for
    from microscout.translations import LANGUAGES

    try:
        first, last = date.fromisoformat(start), date.fromisoformat(end)
    except ValueError:
        raise MicroscoutError(f"--from {start} --to {end}: expected dates as YYYY-MM-DD") from None
    if last < first:
        raise MicroscoutError(f"--to {end} is before --from {start}")
    settings = _settings(db, config, backend)
    lang = (language or settings.language or "en").lower()
    if report is not None and lang not in LANGUAGES:
        raise MicroscoutError(f"--language {language or settings.language}: expected one of {', '.join(LANGUAGES)}")
    c = campaign_for(settings, brand, first, last, name=name, hashtags=hashtag or (), mentions=mention or (),
                     codes=code or (), links=link or ())
    with _workspace(settings) as ws:
        record = ws.track(c, brand, orders)
    if report is not None:
        from microscout.campaigns.report import write_report

        write_report(record, report, {"hashtags": hashtag or [], "mentions": list(c.mentions), "codes": code or [],
                                      "links": link or []}, lang)
        err.print(f"report written to {report}", highlight=False)
    if fmt == OutputFormat.json:
        print_json(record)
        return
    if fmt == OutputFormat.csv:
        from microscout.campaigns.report import report_rows

        print_rows(report_rows(record), fmt)
        return
    print_track(record, console)


@app.command("reminders")
@user_errors
def reminders_cmd(
    quiet_days: Annotated[int, typer.Option("--quiet-days", min=1, help="A relationship unchanged this long "
                                            "has gone quiet.")] = 60,
    due_days: Annotated[int, typer.Option("--due-days", min=0, help="Deadlines and anniversaries this many days "
                                          "ahead.")] = 7,
    today: Annotated[str | None, typer.Option("--today", help="The day to count from (YYYY-MM-DD; default: "
                                              "today).", show_default=False)] = None,
    db: DbOpt = None, config: ConfigOpt = None, backend: BackendOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Relationship care: creators gone quiet, deliverables due, partnership anniversaries."""
    from datetime import UTC, date, datetime

    from microscout.campaigns.relationships import due_reminders

    try:
        day = date.fromisoformat(today) if today else datetime.now(UTC).date()
    except ValueError:
        raise MicroscoutError(f"--today {today}: expected a date as YYYY-MM-DD") from None
    settings = _settings(db, config, backend)
    with _workspace(settings) as ws:
        rows = due_reminders(ws, day, quiet_days, due_days)
    if fmt == OutputFormat.json:
        print_json(rows)
    else:
        print_rows([{k: r[k] for k in ("when", "kind", "handle", "brand", "stage", "what")} for r in rows], fmt,
                   title=f"Reminders on {day.isoformat()}")


def _print_record(record: dict[str, Any], fmt: OutputFormat) -> None:
    if fmt == OutputFormat.json:
        print_json(record)
    elif fmt == OutputFormat.csv:
        print_rows([flat_record(record)], fmt)
    else:
        console.print(f"@{record['handle']} with {record['brand']}: {record['stage']} (version {record['version']})",
                      highlight=False)
