"""One collection run: rows staged on disk with a checkpoint, so a killed run resumes where it
stopped and the bundle holds every row once.

Rows go to `<out>/.partial/<table>.jsonl`. After each page, `commit` flushes them (fsync) and
then replaces the checkpoint atomically: the cursors reached and each file's length. A resumed
run cuts every file back to the length its checkpoint names, so rows written after the last
commit (the page a kill interrupted) are dropped and fetched again, never kept twice.

What grows with the run (steps done, lists a connector builds page by page such as a follower
sample) goes to an append-only journal committed the same way, not into the checkpoint: the
checkpoint stays small, so a commit costs the same at the end of a long run as at its start. `finish`
writes the bundle (`<table>.jsonl` and `bundle.json`, one row per key, later values first) and
removes the staging folder."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from microscout.connectors.base import CollectRequest, ConnectorError

KEYS = {"accounts": ("platform", "account_id"), "snapshots": ("platform", "account_id", "at"),
        "posts": ("platform", "post_id"), "comments": ("platform", "comment_id"),
        "follows": ("platform", "follower_id", "followee_id"),
        "audience": ("platform", "account_id", "dimension", "value")}
CHECKPOINT = "checkpoint.json"
JOURNAL = "journal"  # staged as journal.jsonl: one [list name, value] per line
#: told of each stage: (description, done so far, total or None), at its start and at each advance
Listener = Callable[[str, int, int | None], None]


class CollectJob:
    def __init__(self, out: Path, platform: str, request: CollectRequest, service_url: str,
                 console: Console | None = None, restart: bool = False, listener: Listener | None = None) -> None:
        self.out = Path(out)
        self.platform = platform
        self.service_url = service_url
        self.request = request
        self.staging = self.out / ".partial"
        self._buffers: dict[str, list[dict[str, Any]]] = {}
        self._console = console or Console(stderr=True)
        self._progress: Progress | None = None
        # the server's job shows the stages on a page, where no terminal is
        self._listener = listener
        fingerprint = {"platform": platform, "service_url": service_url, **asdict(request)}
        fingerprint["handles"] = list(request.handles)
        checkpoint = self.staging / CHECKPOINT
        if restart and self.staging.exists():
            shutil.rmtree(self.staging)
        if checkpoint.exists():
            saved = json.loads(checkpoint.read_text(encoding="utf-8"))
            if saved["request"] != fingerprint:
                raise ConnectorError(f"{self.out}: an unfinished collection of something else is there "
                                     "(another platform, account list or limits): use another --out, or --restart")
            self.resumed = True
            self.started_at = saved["started_at"]
            self.state: dict[str, Any] = saved["state"]
            self._offsets: dict[str, int] = saved["offsets"]
            for table, length in self._offsets.items():
                with (self.staging / f"{table}.jsonl").open("r+b") as f:
                    f.truncate(length)
            for extra in self.staging.glob("*.jsonl"):
                if extra.stem not in self._offsets:
                    extra.unlink()
            self._lists = self._read_journal()
        else:
            if self.out.exists() and any(p.name != ".partial" for p in self.out.iterdir()):
                raise ConnectorError(f"{self.out}: the folder is not empty: choose a new --out")
            self.staging.mkdir(parents=True, exist_ok=True)
            self.resumed = False
            self.started_at = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
            self.state = {}
            self._offsets = {}
            self._lists = {}
        self._journal: list[str] = []
        self._done: set[str] = set(self._lists.get("done", []))
        self._fingerprint = fingerprint
        self.rows_written = sum(self._offsets.values())

    # rows --------------------------------------------------------------------------------------
    def _read_journal(self) -> dict[str, list[Any]]:
        lists: dict[str, list[Any]] = {}
        path = self.staging / f"{JOURNAL}.jsonl"
        if path.exists():
            with path.open(encoding="utf-8") as f:
                for line in f:
                    name, value = json.loads(line)
                    lists.setdefault(name, []).append(value)
        return lists

    def emit(self, table: str, rows: list[dict[str, Any]] | dict[str, Any]) -> None:
        """Rows of one bundle table; written at the next commit."""
        if table not in KEYS:
            raise ValueError(f"no bundle table {table}")
        self._buffers.setdefault(table, []).extend([rows] if isinstance(rows, dict) else rows)

    def commit(self) -> None:
        """Make the rows emitted so far, the journal and the current state durable, together."""
        pending = [(table, [json.dumps(row, ensure_ascii=False, default=str) for row in rows])
                   for table, rows in self._buffers.items() if rows]
        if self._journal:
            pending.append((JOURNAL, self._journal))
        for name, lines in pending:
            with (self.staging / f"{name}.jsonl").open("ab") as f:
                f.write(("\n".join(lines) + "\n").encode())
                f.flush()
                os.fsync(f.fileno())
                self._offsets[name] = f.tell()
        self._buffers.clear()
        self._journal = []
        tmp = self.staging / (CHECKPOINT + ".tmp")
        with tmp.open("w", encoding="utf-8") as f:
            # dumps, not dump: dump streams through the pure-Python encoder, ten times slower
            f.write(json.dumps({"request": self._fingerprint, "started_at": self.started_at, "state": self.state,
                                "offsets": self._offsets}))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.staging / CHECKPOINT)

    # resumable steps ---------------------------------------------------------------------------
    def remember(self, key: str, compute: Callable[[], Any]) -> Any:
        """A value computed once per run (the accounts a search found), the same after a resume."""
        memo = self.state.setdefault("memo", {})
        if key not in memo:
            memo[key] = compute()
            self.commit()
        return memo[key]

    def record(self, name: str, values: list[Any]) -> None:
        """Add JSON-able values to a list that lasts across a resume (a follower sample, the
        posts whose replies to fetch); committed with the rows at the next commit."""
        self.records(name).extend(values)
        if name == "done":
            self._done.update(values)
        self._journal.extend(json.dumps([name, v], ensure_ascii=False) for v in values)

    def records(self, name: str) -> list[Any]:
        """The list `name` so far (the object itself: read it, add through `record`)."""
        return self._lists.setdefault(name, [])

    def is_done(self, key: str) -> bool:
        return key in self._done

    def mark_done(self, key: str) -> None:
        """A step finished: its rows and the mark are committed together."""
        self.record("done", [key])
        self.commit()

    def paginate(self, key: str, fetch: Callable[[str | None], tuple[list[Any], str | None]],
                 limit: int | None = None) -> Iterator[list[Any]]:
        """Pages of items, `fetch(cursor) -> (items, next cursor)`, up to `limit` items. Emit a
        page's rows in the loop body: the cursor after it is committed with them when the loop
        asks for the next page. Do not break out of the loop: the last page would not be marked."""
        cursors = self.state.setdefault("cursors", {})
        saved = cursors.get(key) or {"cursor": None, "count": 0, "done": False}
        if saved["done"]:
            return
        cursor, count = saved["cursor"], saved["count"]
        while limit is None or count < limit:
            items, next_cursor = fetch(cursor)
            taken = items if limit is None else items[: limit - count]
            yield taken
            count += len(taken)
            done = not next_cursor or not items or next_cursor == cursor or (limit is not None and count >= limit)
            cursors[key] = {"cursor": next_cursor, "count": count, "done": done}
            self.commit()
            if done:
                return
            cursor = next_cursor
        cursors[key] = {"cursor": cursor, "count": count, "done": True}
        self.commit()

    # progress ----------------------------------------------------------------------------------
    def stage(self, description: str, total: int | None) -> Callable[[int], None]:
        """A progress bar with ETA on stderr (only on a terminal), and the listener told; returns
        `advance(n)`."""
        if self._progress is None:
            self._progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                      TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                                      console=self._console, transient=True,
                                      disable=not self._console.is_terminal)
            self._progress.start()
        task = self._progress.add_task(f"{self.platform}: {description}", total=total)
        progress, listener = self._progress, self._listener
        done = 0
        if listener is not None:
            listener(description, done, total)

        def advance(n: int = 1) -> None:
            nonlocal done
            progress.advance(task, n)
            done += n
            if listener is not None:
                listener(description, done, total)

        return advance

    def note(self, message: str) -> None:
        self._console.print(f"{self.platform}: {message}", markup=False, highlight=False, soft_wrap=True)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    # the bundle --------------------------------------------------------------------------------
    def finish(self, source: str) -> dict[str, int]:
        """Write the bundle from the staged rows (one per key; a later row's non-null values win)
        and remove the staging folder. Returns rows per table."""
        self.commit()
        counts = {}
        for table, key in KEYS.items():  # the journal is no table: it stays behind
            path = self.staging / f"{table}.jsonl"
            if not path.exists():
                if table == "accounts":  # every bundle has its accounts file, even when nothing was found
                    (self.out / "accounts.jsonl").write_text("", encoding="utf-8")
                    counts[table] = 0
                continue
            merged: dict[tuple[Any, ...], dict[str, Any]] = {}
            with path.open(encoding="utf-8") as f:
                for line in f:
                    row = json.loads(line)
                    k = tuple(row.get(c) for c in key)
                    old = merged.get(k)
                    merged[k] = row if old is None else {**old, **{c: v for c, v in row.items() if v is not None}}
            target = self.out / f"{table}.jsonl"
            with target.open("w", encoding="utf-8") as f:
                for row in merged.values():
                    f.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            counts[table] = len(merged)
        (self.out / "bundle.json").write_text(json.dumps(
            {"format": "microscout-bundle", "version": 1, "source": source, "collected_at": self.started_at,
             "platform": self.platform}, indent=1) + "\n", encoding="utf-8")
        shutil.rmtree(self.staging)
        return counts
