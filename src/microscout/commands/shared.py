"""What every CLI command shares: the app, the consoles, the common options, the error wrapper,
the progress bars and the workspace a command works on. The command modules (microscout.cli and
microscout.commands.*) import from here, never from each other."""

from __future__ import annotations

import functools
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from microscout.exceptions import InvalidBundleError, MicroscoutError, WorkspaceError
from microscout.output import OutputFormat

if TYPE_CHECKING:
    from rich.progress import Progress

    from microscout.config import Settings
    from microscout.web.remote import RemoteWorkspace
    from microscout.workspace import Workspace
    from microscout.workspace.protocol import WorkspaceAPI

app = typer.Typer(
    name="microscout",
    help="Find, vet and plan campaigns with micro-influencers, on your own data.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
# piped output is read in files and logs, not an 80-column terminal: give tables room
console = Console(width=None if sys.stdout.isatty() or "COLUMNS" in os.environ else 140)

F = TypeVar("F", bound=Callable[..., Any])

DbOpt = Annotated[Path | None, typer.Option("--db", help="Workspace file (or MICROSCOUT_DB; default ./microscout.duckdb).", show_default=False)]
ConfigOpt = Annotated[Path | None, typer.Option("--config", help="Settings file (TOML; or MICROSCOUT_CONFIG).", show_default=False)]
BackendOpt = Annotated[str | None, typer.Option("--backend", help="duckdb (default) or pyspark.", show_default=False)]
FormatOpt = Annotated[OutputFormat, typer.Option("--format", "-f", help="How to print data.")]
SchemeOpt = Annotated[str | None, typer.Option("--tier-scheme", help="Tier scheme (default: the tier_scheme setting).",
                                               show_default=False)]


def user_errors(command: F) -> F:
    """Any MicroscoutError becomes one clear line on stderr and exit code 2; never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InvalidBundleError as e:
            for problem in e.problems:
                err.print(f"error: {problem}", markup=False, highlight=False, soft_wrap=True)
            if e.truncated:
                err.print(f"error: stopped after {len(e.problems)} problems; nothing was imported",
                          markup=False, highlight=False)
            elif len(e.problems) > 1:
                err.print(f"error: {len(e.problems)} problems; nothing was imported",
                          markup=False, highlight=False)
            raise typer.Exit(2) from None
        except MicroscoutError as e:
            err.print(f"error: {e}", markup=False, highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            err.print("interrupted: nothing was changed by the unfinished step", markup=False)
            raise typer.Exit(130) from None
        except Exception as e:
            # DuckDB's, by name: importing duckdb here would slow every command's start
            if type(e).__name__ != "OutOfMemoryException":
                raise
            err.print("error: the work needs more memory than the workspace may use (the memory_limit setting, "
                      "a third of the machine's memory unless set): raise it, e.g. MICROSCOUT_MEMORY_LIMIT=8GB, or memory_limit = \"8GB\" in "
                      "the settings file; nothing was changed by the unfinished step", markup=False, soft_wrap=True)
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


def _settings(db: Path | None, config: Path | None, backend: str | None) -> Settings:
    # imported here: pydantic-settings takes a tenth of a second, which --help does not need
    from microscout.config import load_settings

    return load_settings(config, db=db, backend=backend)


class _import_progress:
    """A progress bar with rows and rows/s on stderr; silent when stderr is not a terminal."""

    def __enter__(self) -> Callable[[str, int, int], None]:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        self.started = time.perf_counter()
        self.progress = Progress(
            TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[rows]:,} rows"),
            TextColumn("{task.fields[rate]:,.0f} rows/s"), TimeElapsedColumn(),
            console=err, transient=True, disable=not err.is_terminal,
        )
        self.progress.__enter__()
        self.task = self.progress.add_task("importing", total=None, rows=0, rate=0.0)
        return self.update

    def update(self, file: str, rows: int, files_done: int) -> None:
        elapsed = max(time.perf_counter() - self.started, 1e-9)
        self.progress.update(self.task, description=f"read {file}", rows=rows, rate=rows / elapsed)

    def __exit__(self, *exc: object) -> None:
        self.progress.__exit__(None, None, None)


class _analyze_progress:
    """A bar over the steps of an analyze (also one a read starts because the data changed), on
    stderr and only on a terminal."""

    def __enter__(self) -> _analyze_progress:
        self.progress: Progress | None = None
        return self

    def __call__(self, step: str, done: int, total: int) -> None:
        if self.progress is None:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(TextColumn("analyzing: {task.description}"), BarColumn(),
                                     TextColumn("{task.completed}/{task.total} steps"), TimeElapsedColumn(),
                                     console=err, transient=True, disable=not err.is_terminal)
            self.progress.__enter__()
            self.task = self.progress.add_task(step, total=total)
        self.progress.update(self.task, description=step, completed=done)
        if done >= total:  # one live display at a time: the embedding bar may come next
            self.__exit__()

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.__exit__(None, None, None)
            self.progress = None


class _count_progress:
    """A bar over a count of work (documents embedded, models fitted), shown once the work starts
    (other commands analyze on the way), on stderr and only on a terminal."""

    def __init__(self, label: str = "embedding creator documents for topic search") -> None:
        self.label = label

    def __enter__(self) -> _count_progress:
        self.progress: Progress | None = None
        return self

    def __call__(self, done: int, total: int) -> None:
        if self.progress is None and total:
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self.progress = Progress(TextColumn(escape(self.label)), BarColumn(),
                                     TextColumn("{task.completed:,}/{task.total:,}"), TimeElapsedColumn(),
                                     console=err, transient=True, disable=not err.is_terminal)
            self.progress.__enter__()
            self.task = self.progress.add_task("embedding", total=total)
        if self.progress is not None:
            self.progress.update(self.task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.__exit__(None, None, None)


@contextmanager
def _open(settings: Settings, create: bool) -> Iterator[Workspace | RemoteWorkspace]:
    """The workspace of `settings`, or the running server that holds it; only commands that bring
    data (`create`: import, demo, collect) may create one, so that a mistyped --db says so instead
    of answering from an empty file."""
    # imported here: ibis, pandas and the analytics take a second to load, --help, errors and a
    # command the server answers need none
    from microscout.web import address_file

    if settings.backend == "duckdb" and not create and not settings.db.exists():
        raise WorkspaceError(f"no workspace at {settings.db}: create one with `microscout import PATH` or "
                             "`microscout demo`, or pass --db (or MICROSCOUT_DB) naming an existing workspace file")

    if settings.backend == "duckdb" and address_file(settings.db).exists():
        from microscout.web.remote import RemoteWorkspace, running_server

        if (server := running_server(settings.db)) is not None:
            with RemoteWorkspace(server) as remote:
                yield remote
            return
    from microscout.workspace import Workspace

    with Workspace(settings) as ws, _count_progress() as bar, _analyze_progress() as steps:
        ws.embed_progress = bar
        ws.analyze_progress = steps
        # never a silent rebuild: a read that must analyze first says so
        ws.before_analyze = lambda why: err.print(f"{why}: analyzing first, as `microscout analyze` would",
                                                  highlight=False, markup=False)
        yield ws


def quick_info(settings: Settings) -> dict[str, Any] | None:
    """`info` of a DuckDB file that no server holds, read-only and without loading the analytics
    (a tenth of the time); None where the workspace must be opened the usual way."""
    from microscout.web import address_file

    if settings.backend != "duckdb" or not settings.db.exists() or address_file(settings.db).exists():
        return None
    from microscout.store.inventory import read_only_inventory

    return read_only_inventory(settings.db)


@contextmanager
def any_workspace(settings: Settings, create: bool = False) -> Iterator[WorkspaceAPI]:
    """For what the server also answers (WorkspaceAPI): the server's workspace when one runs on
    the file, else the file's."""
    with _open(settings, create) as ws:
        yield ws


@contextmanager
def _workspace(settings: Settings, create: bool = False) -> Iterator[Workspace]:
    """For what needs the file itself. With a server running on it, what the server does not
    answer says so in one line (RemoteWorkspace.__getattr__) instead of waiting on its lock."""
    with _open(settings, create) as ws:
        yield ws  # type: ignore[misc]
