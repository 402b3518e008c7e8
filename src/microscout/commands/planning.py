"""Planning and serving: plan, serve."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

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
    user_errors,
)
from microscout.output import OutputFormat, print_json, print_plan, print_rows


@app.command()
@user_errors
def plan(
    brief: Annotated[Path, typer.Argument(help="A brief (TOML; its \\[plan] table sets the objective and limits).",
                                          show_default=False)],
    budget: Annotated[float | None, typer.Option("--budget", min=0.01, help="Money to spend, in the brief's "
                                                 "currency (default: the brief's budget).")] = None,
    candidates: Annotated[int | None, typer.Option("--candidates", min=1, help="How many of scout's best creators "
                                                   "to consider (default: the plan_candidates setting, 300).")] = None,
    post_format: Annotated[str | None, typer.Option("--post-format", help="post, story, reel or video "
                                                    "(prices; default: the post_format setting).")] = None,
    exact: Annotated[bool, typer.Option("--exact", help="Also solve exactly (integer program) however long the "
                                        "shortlist, and report the greedy's gap.")] = False,
    chart: Annotated[Path | None, typer.Option("--chart", help="Also draw the plan: strategies, picks and "
                                               "overlap, to FILE.html (standalone), .svg, .png or .json "
                                               "(Vega-Lite).", show_default=False)] = None,
    word_of_mouth: Annotated[float | None, typer.Option(
        "--word-of-mouth", min=0.0, help="Value of a person reached by word of mouth (expected spread through the "
        "follow and mention graph) against a person reached directly; default the word_of_mouth setting, 0.")] = None,
    db: DbOpt = None, config: ConfigOpt = None, backend: BackendOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """How do we spend the budget? Creators and posts that reach the most distinct people (or
    engagements, or conversions), beside one macro-influencer and a mix (--format json: the plan contract)."""
    settings = _settings(db, config, backend)
    from microscout.brief import load_brief  # pydantic models: loaded when used

    the_brief = load_brief(brief)
    with any_workspace(settings) as ws:
        record = ws.plan(the_brief, budget, candidates, post_format, exact, word_of_mouth)
    if chart is not None:
        from microscout.plan.chart import write_plan_chart
        written = write_plan_chart(record, chart)
    if fmt == OutputFormat.json:
        print_json(record)
    elif fmt == OutputFormat.csv:
        print_rows(record["picks"], fmt)
    else:
        print_plan(record, console)
    if chart is not None and fmt == OutputFormat.table:
        console.print(f"chart written to {written}", highlight=False)


@app.command()
@user_errors
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on; beyond loopback every call needs "
                                      "the token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port (0: any free one).")] = 8000,
    token: Annotated[str | None, typer.Option("--token", envvar="MICROSCOUT_TOKEN", help="The API token "
                                              "(default: a new random one, printed).", show_default=False)] = None,
    db: DbOpt = None, config: ConfigOpt = None, backend: BackendOpt = None,
) -> None:
    """Serve the REST API (/api/v1, OpenAPI at /api/v1/openapi.json) on the workspace, which this
    process then holds."""
    from microscout.web.serve import serve as run_server

    settings = _settings(db, config, backend)

    def announce(url: str, secret: str) -> None:
        console.print(f"microscout serving {settings.db} at {url}", highlight=False)
        console.print(f"API: {url}/api/v1  (OpenAPI: {url}/api/v1/openapi.json)", highlight=False)
        console.print(f"token for writes: {secret}", highlight=False)

    with _workspace(settings) as ws:
        if hasattr(ws, "analyze_on_read"):  # a local workspace: the server's reads will not analyze
            ws.ensure_analyzed()
        try:
            run_server(ws, settings.db, host, port, token, announce)
        except KeyboardInterrupt:  # Ctrl-C is how a server is stopped: not an error
            console.print("stopped", highlight=False)
