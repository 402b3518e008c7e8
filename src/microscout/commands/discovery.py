"""Discovery commands: scout, similar, mentions, hashtags, employees."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from microscout.commands.shared import (
    BackendOpt,
    ConfigOpt,
    DbOpt,
    FormatOpt,
    SchemeOpt,
    _settings,
    _workspace,
    any_workspace,
    app,
    console,
    user_errors,
)
from microscout.exceptions import MicroscoutError
from microscout.output import OutputFormat, flat_record, print_json, print_rows, print_scout


@app.command()
@user_errors
def scout(
    brief: Annotated[Path | None, typer.Argument(help="A brief (TOML; see docs/brief.md); optional with "
                                                 "--among-followers.", show_default=False)] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many creators to return.")] = 20,
    among_followers: Annotated[bool, typer.Option(
        "--among-followers", help="Only creators who follow the brand (--brand, else the brief's brand_accounts), "
        "ranked with their influence: followers, engagement, PageRank.")] = False,
    brand: Annotated[list[str] | None, typer.Option("--brand", help="The brand's account for --among-followers "
                                                    "(platform:@handle or @handle; repeatable).")] = None,
    db: DbOpt = None, config: ConfigOpt = None, backend: BackendOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Who should we work with? Creators ranked for a brief, each score split into its parts with the
    reasons (--format json: the scout contract)."""
    settings = _settings(db, config, backend)
    if brief is None and not among_followers:
        raise MicroscoutError("name a brief (TOML), or ask --among-followers --brand @handle")
    if brand and not among_followers:
        raise MicroscoutError("--brand goes with --among-followers")
    from microscout.brief import brief_from_dict, load_brief  # pydantic models: loaded when used

    the_brief = load_brief(brief) if brief is not None else brief_from_dict({"name": "creators"})
    brands = list(brand or the_brief.brand_accounts) if among_followers else None
    with any_workspace(settings) as ws:
        record = ws.scout_records(the_brief, limit, brands)
    _print_shortlist(record, fmt)


@app.command()
@user_errors
def similar(
    account: Annotated[str, typer.Argument(help="The creator to find lookalikes of: platform:account_id, "
                                           "platform:@handle or @handle.", show_default=False)],
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many creators to return.")] = 20,
    platform: Annotated[list[str] | None, typer.Option("--platform", help="Only these platforms (repeatable).")] = None,
    tier: Annotated[list[str] | None, typer.Option("--tier", help="Only these tiers (repeatable).")] = None,
    allow_flag: Annotated[list[str] | None, typer.Option("--allow-flag", help="A fraud flag to tolerate "
                                                         "(repeatable).")] = None,
    tier_scheme: SchemeOpt = None,
    db: DbOpt = None, config: ConfigOpt = None, backend: BackendOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Lookalikes of a creator you like: the same words and subject, the same audience; ranked like
    scout (--format json: the scout shape, `brief` naming the mode)."""
    settings = _settings(db, config, backend)
    with any_workspace(settings) as ws:
        record = ws.similar(account, limit, platform, tier, tuple(allow_flag or ()), tier_scheme)
    _print_shortlist(record, fmt)


@app.command()
@user_errors
def mentions(
    handles: Annotated[list[str], typer.Argument(help="The brand's handles (@veganz veganz_de ...).",
                                                 show_default=False)],
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many creators to return.")] = 20,
    allow_flag: Annotated[list[str] | None, typer.Option("--allow-flag", help="A fraud flag to tolerate "
                                                         "(repeatable).")] = None,
    db: DbOpt = None, config: ConfigOpt = None, backend: BackendOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """People who already tag or mention the brand in their posts (user-generated content), ranked
    like scout (--format json: the scout shape, `brief` naming the mode)."""
    settings = _settings(db, config, backend)
    with any_workspace(settings) as ws:
        record = ws.mentions(handles, limit, tuple(allow_flag or ()))
    _print_shortlist(record, fmt)


@app.command()
@user_errors
def hashtags(
    topic: Annotated[str | None, typer.Option("--topic", help="The niche's topic, free text (\"vegan baking\").",
                                              show_default=False)] = None,
    location: Annotated[str | None, typer.Option("--location", help="A city, \"City, CC\" or a country code "
                                                 "\"CC\".", show_default=False)] = None,
    platform: Annotated[list[str] | None, typer.Option("--platform", help="Only this platform (repeatable).",
                                                       show_default=False)] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many hashtags to return.")] = 20,
    db: DbOpt = None, config: ConfigOpt = None, backend: BackendOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """A niche's top hashtags (a topic, a place or both), the tags that come with them and the creators
    behind them (--format json: the hashtags record; csv: one row per tag)."""
    settings = _settings(db, config, backend)
    with any_workspace(settings) as ws:
        record = ws.niche_hashtags(topic, location, tuple(platform or ()), limit)
    if fmt == OutputFormat.json:
        print_json(record)
        return
    if fmt == OutputFormat.csv:
        from microscout.discovery.niche_hashtags import hashtag_rows

        print_rows(hashtag_rows(record), fmt)
        return
    niche = " in ".join(x for x in (f"'{record['topic']}'" if record["topic"] else None, record["location"]) if x)
    if not record["hashtags"]:
        console.print(f"No hashtag found for {niche}: {record['niche_creators']} creators in the niche.",
                      markup=False, highlight=False)
        return
    print_rows([{"#": h["rank"], "hashtag": f"#{h['hashtag']}", "creators": h["creators"], "posts": h["posts"],
                 "lift": round(h["lift"], 2),
                 "co-tags": ", ".join(f"#{c['hashtag']} {c['posts']}" for c in h["co_tags"][:3]),
                 "top creators": ", ".join(f"@{c['handle']} {c['posts']}" for c in h["top_creators"][:3])}
                for h in record["hashtags"]], fmt,
               title=f"Top hashtags of {record['niche_creators']} creators: {niche}", console=console)


@app.command()
@user_errors
def employees(
    staff: Annotated[Path, typer.Argument(help="A CSV of the brand's staff: platform, handle and optionally name.",
                                          show_default=False)],
    brand: Annotated[list[str] | None, typer.Option("--brand", help="A handle of the brand, e.g. @veganz "
                                                    "(repeatable).")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, help="How many employees to return.")] = 50,
    db: DbOpt = None, config: ConfigOpt = None, backend: BackendOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Which of the brand's employees post about it, with their reach and engagement (--format json:
    the scout shape plus `not_found`, the staff rows that match no account)."""
    settings = _settings(db, config, backend)
    with _workspace(settings) as ws:
        record = ws.employees(staff, list(brand or ()), limit)
    _print_shortlist(record, fmt)
    if fmt == OutputFormat.table and record["not_found"]:
        console.print("Not found in the workspace: " + ", ".join(
            f"{x['platform']}:@{x['handle']} (line {x['line']})" for x in record["not_found"]), highlight=False)


def _print_shortlist(record: dict[str, Any], fmt: OutputFormat) -> None:
    """A result in the scout shape: JSON as is, CSV one flat row per creator (without the flag
    sentences), else the table with score bars and the reasons."""
    if fmt == OutputFormat.json:
        print_json(record)
    elif fmt == OutputFormat.csv:
        print_rows([{k: v for k, v in flat_record(r).items() if not k.startswith("flag_reasons")}
                    for r in record["results"]], fmt)
    else:
        print_scout(record, console)
