"""microscout collect PLATFORM: live public data into a bundle, then into the workspace."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from microscout.commands.shared import (
    BackendOpt,
    ConfigOpt,
    DbOpt,
    FormatOpt,
    _settings,
    any_workspace,
    app,
    console,
    err,
    user_errors,
)
from microscout.exceptions import MicroscoutError
from microscout.output import OutputFormat, print_json, print_rows


class Platform(StrEnum):
    bluesky = "bluesky"
    mastodon = "mastodon"
    instagram = "instagram"
    youtube = "youtube"


@app.command("collect")
@user_errors
def collect_cmd(
    platform: Annotated[Platform, typer.Argument(help="bluesky and mastodon: public APIs; instagram and youtube: "
                                                 "with your own token or key in the settings or environment.")],
    handles: Annotated[Path | None, typer.Option("--handles", help="A file of handles, one per line.",
                                                 show_default=False)] = None,
    search: Annotated[str | None, typer.Option("--search", help="Accounts found by this search.",
                                               show_default=False)] = None,
    followers_of: Annotated[str | None, typer.Option("--followers-of", help="The followers of this account, "
                                                     "collected as creators.", show_default=False)] = None,
    posts: Annotated[int, typer.Option("--posts", min=0, help="Recent posts per account.")] = 50,
    comments: Annotated[int, typer.Option("--comments", min=0, help="Posts per account whose replies "
                                          "(comments) are fetched.")] = 20,
    followers: Annotated[int, typer.Option("--followers", min=0, help="Follower sample per account, where the "
                                           "API lists followers.")] = 200,
    max_accounts: Annotated[int, typer.Option("--max-accounts", min=1, help="Accounts taken from --search or "
                                              "--followers-of.")] = 50,
    service_url: Annotated[str | None, typer.Option("--service-url", help="The API's base URL: a self-hosted "
                                                    "AppView, a Mastodon instance, a proxy.", show_default=False)] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Where the bundle goes (default: microscout-collect/"
                                             "PLATFORM-DATE-HASH); an unfinished run there resumes.",
                                             show_default=False)] = None,
    restart: Annotated[bool, typer.Option("--restart", help="Drop an unfinished run in --out and start over.")
                       ] = False,
    no_import: Annotated[bool, typer.Option("--no-import", help="Only write the bundle.")] = False,
    db: DbOpt = None, config: ConfigOpt = None, backend: BackendOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Collect profiles, recent posts, replies as comments and a follower sample from a platform's
    API into a bundle, and import it. Resumes where a killed run stopped."""
    from microscout.connectors import CollectRequest, collect, default_out, read_handles

    ways = [w for w in (handles, search, followers_of) if w is not None]
    if len(ways) != 1:
        raise MicroscoutError("name the accounts in exactly one way: --handles FILE, --search TEXT or "
                              "--followers-of HANDLE")
    request = CollectRequest(handles=read_handles(handles) if handles else (), search=search,
                             followers_of=followers_of, posts=posts, comments=comments, followers=followers,
                             max_accounts=max_accounts, service_url=service_url)
    settings = _settings(db, config, backend)
    if out is None:
        out = default_out(platform.value, request)
    if (out / "bundle.json").exists() and not (out / ".partial").exists():
        raise MicroscoutError(f"{out} already holds a finished bundle: import it with `microscout import {out}`, "
                              "or choose another --out")
    result = collect(settings, platform.value, request, out, console=err, restart=restart)
    summary: dict[str, object] = result.as_dict()
    if not no_import:
        with any_workspace(settings, create=True) as ws:
            imported = ws.import_bundle(out)
        for w in imported.warnings:
            err.print(f"warning: {w}", markup=False, highlight=False)
        summary["imported"] = imported.as_dict()
    if fmt == OutputFormat.json:
        print_json(summary)
        return
    if fmt == OutputFormat.table:
        console.print(f"Collected from {platform.value} into {out}: {result.requests} requests, {result.retries} "
                      f"retried{', resumed' if result.resumed else ''}{'' if no_import else '; imported'}",
                      highlight=False)
    print_rows([{"table": t, "rows": n} for t, n in result.rows.items()], fmt)
