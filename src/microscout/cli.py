"""The command line: parse, call the public API, print. No analytics live here."""

from __future__ import annotations

import shutil
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from microscout import __version__
from microscout.commands.shared import (
    BackendOpt,
    ConfigOpt,
    DbOpt,
    FormatOpt,
    SchemeOpt,
    _count_progress,
    _import_progress,
    _settings,
    _workspace,
    any_workspace,
    app,
    console,
    err,
    quick_info,
    user_errors,
)
from microscout.exceptions import MicroscoutError
from microscout.output import (
    OutputFormat,
    flat_record,
    print_json,
    print_rows,
    print_vet_card,
)


@app.callback(invoke_without_command=True)
def _root(version: Annotated[bool, typer.Option("--version", help="Show the version.")] = False) -> None:
    if version:
        console.print(f"microscout {__version__}")
        raise typer.Exit(0)


@app.command("import")
@user_errors
def import_cmd(
    path: Annotated[Path, typer.Argument(help="A bundle: a folder, a .zip of one, or one accounts file.")],
    db: DbOpt = None,
    config: ConfigOpt = None,
    backend: BackendOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Import a bundle into the workspace: checked row by row, all or nothing."""
    settings = _settings(db, config, backend)
    with any_workspace(settings, create=True) as ws, _import_progress() as on_progress:
        result = ws.import_bundle(path, progress=on_progress)
    for w in result.warnings:
        err.print(f"warning: {w}", markup=False, highlight=False)
    summary = result.as_dict()
    if fmt == OutputFormat.json:
        print_json(summary)
        return
    rows = [{"table": t, **v} for t, v in summary["tables"].items()]
    rate = result.total_rows / result.seconds if result.seconds else 0
    print_rows(rows, fmt, title=f"Imported {result.total_rows:,} rows from {result.source} "
               f"in {result.seconds:.1f} s ({rate:,.0f} rows/s)")


class Size(StrEnum):
    small = "small"
    medium = "medium"
    large = "large"


@app.command()
@user_errors
def demo(
    size: Annotated[Size, typer.Option("--size", help="small ≈ 5k accounts; medium ≈ 100k; large ≈ 1M.")] = Size.small,
    seed: Annotated[int, typer.Option("--seed", help="Same seed and version, same bytes.")] = 7,
    out: Annotated[Path, typer.Option("--out", help="Where the bundle and its ground truth go.")] = Path(
        "microscout-demo"),
    no_import: Annotated[bool, typer.Option("--no-import", help="Only write the world.")] = False,
    db: DbOpt = None, config: ConfigOpt = None, backend: BackendOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Write a seeded demo world (several platforms and languages, fraud and look-alikes) and import it."""
    from microscout.demo import write_world

    settings = _settings(db, config, backend)
    with err.status(f"writing the {size.value} demo world (seed {seed}) to {out}/bundle ..."):
        world = write_world(out, size.value, seed)
    summary: dict[str, Any] = {"bundle": str(world.bundle), "truth": str(world.truth), "rows": world.rows,
                               "write_seconds": round(world.seconds, 1)}
    if not no_import:
        with any_workspace(settings, create=True) as ws, _import_progress() as on_progress:
            result = ws.import_bundle(world.bundle, progress=on_progress)
        summary["import"] = result.as_dict()
    if fmt == OutputFormat.json:
        print_json(summary)
        return
    rows = [{"table": t, "rows": n} for t, n in world.rows.items()]
    title = f"Demo world ({size.value}, seed {seed}) written to {world.bundle} in {world.seconds:.1f} s"
    if not no_import:
        title += f"; imported into {settings.db} in {summary['import']['seconds']:.1f} s"
    if fmt == OutputFormat.table:
        console.print(title, markup=False, highlight=False)
    print_rows(rows, fmt)


@app.command()
@user_errors
def info(db: DbOpt = None, config: ConfigOpt = None, backend: BackendOpt = None,
         fmt: FormatOpt = OutputFormat.table) -> None:
    """What the workspace holds: rows per table, accounts per platform, every import."""
    settings = _settings(db, config, backend)
    data = quick_info(settings)
    if data is None:
        with any_workspace(settings) as ws:
            data = ws.info()
    if fmt == OutputFormat.json:
        print_json(data)
        return
    print_rows([{"table": t, "rows": v["rows"]} for t, v in data["tables"].items()], fmt,
               title=f"Workspace {settings.db if settings.backend == 'duckdb' else settings.warehouse_path}")
    if fmt == OutputFormat.csv:
        return
    if data["platforms"]:
        print_rows([{"platform": p, "accounts": v["accounts"]} for p, v in data["platforms"].items()], fmt,
                   title="Accounts per platform")
    if data["imports"]:
        print_rows([{k: i[k] for k in ("import_id", "source", "collected_at", "imported_at", "rows")}
                    for i in data["imports"]], fmt, title="Imports")


@app.command()
@user_errors
def analyze(
    full: Annotated[bool, typer.Option("--full", help="Recompute every creator, not only those with new data.")] = False,
    db: DbOpt = None, config: ConfigOpt = None, backend: BackendOpt = None, tier_scheme: SchemeOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Compute every creator's figures at once: tier, engagement against its tier, growth, sponsorship, community."""
    from microscout.analysis import topic_enabled
    from microscout.metrics.engagement import REFERENCE_FIGURES

    settings = _settings(db, config, backend)
    with _workspace(settings) as ws:
        result = ws.analyze(tier_scheme, full=full, embed=False)
        if topic_enabled(settings):
            topic = ws.embed_documents()
            result = replace(result, embedded=topic.embedded, seconds=result.seconds + topic.seconds)
        bench = ws.table("tier_benchmarks").order_by(["platform", "tier"]).execute().to_dict("records")
    if fmt == OutputFormat.json:
        print_json({"creators": result.creators, "recomputed": result.recomputed, "embedded": result.embedded,
                    "seconds": round(result.seconds, 2),
                    "tier_scheme": result.tier_scheme,
                    "benchmarks": bench, "reference_figures": REFERENCE_FIGURES})
        return
    if fmt == OutputFormat.table:
        console.print(f"Analyzed {result.creators:,} creators ({result.recomputed:,} with new data computed anew) in "
                      f"{result.seconds:.1f} s, tier scheme {result.tier_scheme}"
                      + (f"; embedded {result.embedded:,} documents for topic search" if result.embedded else "")
                      + ". Engagement benchmarks per tier:",
                      highlight=False)
    print_rows([{"platform": b["platform"], "tier": b["tier"], "creators": int(b["tier_sample"]),
                 "median": round(b["tier_median"], 4), "q1": round(b["tier_q1"], 4), "q3": round(b["tier_q3"], 4)}
                for b in bench], fmt)
    if fmt == OutputFormat.table:
        print_rows([{"published reference (not your data)": f"{r['source']}, {r['band']}",
                     "rate": f"{'< ' if r.get('note') else '≈ '}{r['rate'] * 100:.2f}%"} for r in REFERENCE_FIGURES], fmt)


@app.command()
@user_errors
def vet(
    account: Annotated[str, typer.Argument(help="platform:account_id, platform:@handle or @handle.")],
    competitors: Annotated[str | None, typer.Option(
        "--competitors", help="Competitor brand handles, comma-separated (default: the brief's, else the "
        "competitors setting).", show_default=False)] = None,
    brief: Annotated[Path | None, typer.Option("--brief", help="A brief (TOML): its competitors and tier scheme.",
                                               show_default=False)] = None,
    db: DbOpt = None, config: ConfigOpt = None, backend: BackendOpt = None, tier_scheme: SchemeOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """One creator's figures with the reasons behind them (--format json: the vet contract)."""
    settings = _settings(db, config, backend)
    rivals = [c.strip() for c in competitors.split(",") if c.strip()] if competitors is not None else None
    if brief is not None:
        from microscout.brief import load_brief

        the_brief = load_brief(brief)
        rivals = rivals if rivals is not None else list(the_brief.competitors)
        tier_scheme = tier_scheme or the_brief.tier_scheme
    with any_workspace(settings) as ws:
        record = ws.vet(account, tier_scheme, rivals)
    if fmt == OutputFormat.json:
        print_json(record)
    elif fmt == OutputFormat.csv:
        print_rows([flat_record(record)], fmt)
    else:
        print_vet_card(record, console)


@app.command()
@user_errors
def creators(
    platform: Annotated[str | None, typer.Option("--platform")] = None,
    tier: Annotated[str | None, typer.Option("--tier", help="A tier of the scheme in use.")] = None,
    min_followers: Annotated[int | None, typer.Option("--min-followers")] = None,
    max_followers: Annotated[int | None, typer.Option("--max-followers")] = None,
    min_er: Annotated[float | None, typer.Option("--min-er", help="Minimum median engagement rate (0.03 = 3%).")] = None,
    max_er: Annotated[float | None, typer.Option("--max-er")] = None,
    q: Annotated[str | None, typer.Option("--q", help="Text in the handle or name.")] = None,
    flag: Annotated[list[str] | None, typer.Option("--flag", help="Only creators with this flag (repeatable: all of "
                                                   "them).")] = None,
    no_fraud: Annotated[bool, typer.Option("--no-fraud", help="Leave out bought_followers, bought_engagement and "
                                           "engagement_pod.")] = False,
    min_quality: Annotated[float | None, typer.Option("--min-quality", help="Minimum audience quality (0-100).")] = None,
    sort: Annotated[str, typer.Option("--sort", help="followers, engagement_rate, vs_tier, weekly_growth, "
                                      "posts_per_week, audience_quality, handle; prefix - for descending.")
                    ] = "-followers",
    limit: Annotated[int, typer.Option("--limit", min=1)] = 50,
    offset: Annotated[int, typer.Option("--offset", min=0)] = 0,
    db: DbOpt = None, config: ConfigOpt = None, backend: BackendOpt = None, tier_scheme: SchemeOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """List creators with their main figures, filtered and sorted; --format csv exports them."""
    settings = _settings(db, config, backend)
    with any_workspace(settings) as ws:
        rows, total = ws.creators(platform=platform, tier=tier, min_followers=min_followers,
                                  max_followers=max_followers, min_er=min_er, max_er=max_er, q=q, flags=flag,
                                  no_fraud=no_fraud, min_quality=min_quality, sort=sort, limit=limit, offset=offset,
                                  tier_scheme=tier_scheme)
    if fmt == OutputFormat.json:
        print_json({"items": rows, "total": total})
        return
    if fmt == OutputFormat.csv:
        print_rows(rows, fmt)  # flag reasons flattened, one column per flag any row has
        return

    def pct(x: float | None, signed: bool = False) -> str:
        return "" if x is None else (f"{x * 100:+.2f}%" if signed else f"{x * 100:.2f}%")

    print_rows([{"creator": f"@{r['handle']}", "platform": r["platform"], "followers": f"{r['followers']:,}",
                 "tier": r["tier"], "ER": pct(r["engagement_rate"]),
                 "×tier": "" if r["vs_tier"] is None else f"{r['vs_tier']:.2f}",
                 "growth/wk": pct(r["weekly_growth"], signed=True),
                 "quality": "" if r["audience_quality"] is None else str(r["audience_quality"]),
                 "flags": ", ".join(r["flags"])} for r in rows],
               fmt, title=f"{len(rows)} of {total} creators (--format csv for every column)")


@app.command()
@user_errors
def fakes(
    path: Annotated[Path | None, typer.Argument(help="A bundle, or one accounts file in a bundle's format; "
                                                "without it, the workspace's accounts.", show_default=False)] = None,
    model: Annotated[Path | None, typer.Option("--model", help="A model from `microscout model train` "
                                               "(default: the fake_model setting, else the shipped one).",
                                               show_default=False)] = None,
    only_fakes: Annotated[bool, typer.Option("--only-fakes", help="Only the accounts judged fake.")] = False,
    db: DbOpt = None, config: ConfigOpt = None, backend: BackendOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Score accounts as fake or real: a probability, a yes/no at the model's threshold, and the reasons."""
    settings = _settings(db, config, backend)
    if path is None:
        with _workspace(settings) as ws:
            rows = ws.fakes(None, model)
    else:
        from microscout.workspace import Workspace

        rows = Workspace.scratch_fakes(path, model or settings.fake_model)
    if only_fakes:
        rows = [r for r in rows if r["is_fake"]]
    if fmt == OutputFormat.json:
        print_json(rows)
        return
    if fmt == OutputFormat.csv:
        print_rows([{**r, "reasons": "; ".join(r["reasons"])} for r in rows], fmt)
        return
    shown = sorted(rows, key=lambda r: -(r["fake_probability"] or 0))[:50]
    judged = sum(1 for r in rows if r["is_fake"])
    print_rows([{"account": f"{r['platform']}:{r['account_id']}", "fake probability": r["fake_probability"],
                 "fake": "yes" if r["is_fake"] else ("no" if r["is_fake"] is False else "?"),
                 "why": "; ".join(r["reasons"])} for r in shown], fmt,
               title=f"{judged:,} of {len(rows):,} accounts look fake (most likely first; --format csv for all)")


model_app = typer.Typer(help="The fake-account model: evaluate it, or train it on your own labelled accounts.",
                        no_args_is_help=True)
app.add_typer(model_app, name="model")


@model_app.command("evaluate")
@user_errors
def model_evaluate(
    labels: Annotated[Path | None, typer.Argument(help="Labelled accounts (accounts format plus is_fake); "
                                                  "default: the shipped model's labelled sources, each left out "
                                                  "in turn.", show_default=False)] = None,
    repeats: Annotated[int, typer.Option("--repeats", min=1, help="Repeats of 5-fold cross-validation.")] = 10,
    model: Annotated[str | None, typer.Option("--model", help="Without labels: rules (the default, trained on no "
                                              "data), research (trained on the labelled sources, non-commercial), "
                                              "or a model file.", show_default=False)] = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Without labels: the model card's table (train on every labelled source but one, test on it,
    beside the one-line rule). With labels: macro-F1 (repeated stratified 5-fold CV, duplicates in one
    fold; and a 70/30 split), AUC and Brier."""
    from microscout.workspace import Workspace

    with _count_progress("evaluating the fake-account model: models fitted") as bar:
        result = Workspace.evaluate_labels(labels, repeats, progress=bar, model=model)
    if fmt == OutputFormat.json:
        print_json(result)
        return
    if "sources" in result:
        rows = [{"source": t["source"], "accounts": t["rows"], "fake": t["fakes"],
                 "accuracy": f"{t['accuracy']:.3f}", "F1 fake": f"{t['f1_fake']:.3f}",
                 "precision": f"{t['precision_fake']:.3f}", "recall": f"{t['recall_fake']:.3f}",
                 "ROC AUC": f"{t['roc_auc']:.3f}", "Brier": f"{t['brier']:.3f}",
                 "rule accuracy": f"{t['rule_accuracy']:.3f}", "rule F1": f"{t['rule_f1_fake']:.3f}"}
                for t in result["sources"]]
        how = ("trained on the other sources, tested on the one left out" if result["model"] == "research" else
               f"the {result['model']} model on each source as it is")
        print_rows(rows, fmt, title=f"Fake-account model: {how} (threshold {result['threshold']}); rule: no "
                                    "picture, or < 3 posts while following > 500")
        return
    rows = [{"features known": name, "CV macro-F1": f"{v['cv_macro_f1_mean']:.3f} ± {v['cv_macro_f1_sd']:.3f}",
             "70/30 macro-F1": f"{v['split_70_30_macro_f1_mean']:.3f} ± {v['split_70_30_macro_f1_sd']:.3f}",
             "ROC AUC": round(v["cv_roc_auc_mean"], 3), "Brier": round(v["cv_brier_mean"], 4)}
            for name, v in result["feature_sets"].items()]
    print_rows(rows, fmt, title=f"{result['labels']}: {result['rows']} accounts, {result['fakes']} fake")


@model_app.command("train")
@user_errors
def model_train(
    labels: Annotated[Path, typer.Argument(help="Labelled accounts: accounts format plus an is_fake column.")],
    out: Annotated[Path, typer.Option("--out", help="Where to write the model (JSON).")] = Path("fake_model.json"),
) -> None:
    """Train the fake-account model on your own labels; use it with --model or the fake_model setting."""
    from microscout.workspace import Workspace

    result = Workspace.train_labels(labels, out)
    console.print(f"Trained on {result['accounts']:,} labelled accounts ({result['fakes']:,} fake); wrote "
                  f"{result['model']} (feature sets: {', '.join(result['feature_sets'])}). Use it with "
                  f"--model {result['model']} or fake_model = \"{result['model']}\" in microscout.toml.",
                  highlight=False, markup=False)


@app.command()
@user_errors
def forget(
    account: Annotated[str, typer.Argument(help="platform:account_id, platform:@handle or @handle.")],
    db: DbOpt = None, config: ConfigOpt = None, backend: BackendOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Erase an account and everything it wrote (a data protection request); later imports skip it."""
    settings = _settings(db, config, backend)
    with _workspace(settings) as ws:
        platform, account_id = ws.resolve(account)
        deleted = ws.forget(f"{platform}:{account_id}")
    if fmt == OutputFormat.json:
        print_json({"platform": platform, "account_id": account_id, "deleted": deleted})
        return
    print_rows([{"table": t, "rows deleted": n} for t, n in deleted.items()], fmt,
               title=f"Forgot {platform}:{account_id}")


@app.command()
@user_errors
def purge(
    older_than_days: Annotated[int | None, typer.Option("--older-than-days", min=1,
                                                        help="Default: the retention_days setting.")] = None,
    db: DbOpt = None, config: ConfigOpt = None, backend: BackendOpt = None,
    fmt: FormatOpt = OutputFormat.table,
) -> None:
    """Delete audience-only accounts collected more than N days ago (the retention setting)."""
    settings = _settings(db, config, backend)
    if not (older_than_days or settings.retention_days):
        raise MicroscoutError("no retention set: pass --older-than-days N or set retention_days")
    with _workspace(settings) as ws:
        deleted = ws.purge(older_than_days)
    print_rows([{"table": t, "rows deleted": n} for t, n in deleted.items()], fmt, title="Purged")


@app.command("settings")
@user_errors
def settings_cmd(db: DbOpt = None, config: ConfigOpt = None, backend: BackendOpt = None,
                 fmt: FormatOpt = OutputFormat.table) -> None:
    """Every setting with its value now and what it is for."""
    settings = _settings(db, config, backend)
    rows = [{"name": name, "value": getattr(settings, name), "help": f.description or ""}
            for name, f in type(settings).model_fields.items()]
    print_rows(rows, fmt, title="Settings (flags > MICROSCOUT_* environment > settings file > defaults)")


# the commands of discovery, planning and serving live in their own modules; importing them
# registers them on `app`, after the commands above, which --help lists first
from microscout.commands import campaigns, collect, discovery, planning  # noqa: E402,F401

HELP_PANEL_MIN_COLUMNS = 100


def main() -> None:
    if shutil.get_terminal_size().columns < HELP_PANEL_MIN_COLUMNS:
        # rich's option panels cut long option names (--price-per-po…) on a narrow terminal;
        # Click's plain help keeps every name whole and wraps the text instead
        for typer_app in (app, *(g.typer_instance for g in app.registered_groups if g.typer_instance)):
            typer_app.rich_markup_mode = None
    app(prog_name="microscout")


if __name__ == "__main__":  # python -m microscout.cli
    main()
