"""Connectors: collect live public data into bundles (microscout collect PLATFORM ...).

Each platform maps its API's documented objects onto the bundle tables of SCHEMA.md; the run
is polite (rate-limit headers, backoff), resumable (a checkpoint per page) and writes a bundle
that the importer then checks like any other."""

from __future__ import annotations

import hashlib
import importlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from microscout.connectors.base import CollectRequest, Connector, ConnectorError
from microscout.connectors.http import PoliteClient
from microscout.connectors.job import CollectJob, Listener

if TYPE_CHECKING:
    from rich.console import Console

    from microscout.config import Settings

__all__ = ["CONNECTORS", "CollectJob", "CollectRequest", "CollectResult", "Connector", "ConnectorError", "PoliteClient", "collect",
           "connector_class", "default_out", "read_handles"]

CONNECTORS = {"bluesky": "microscout.connectors.bluesky:BlueskyConnector",
              "mastodon": "microscout.connectors.mastodon:MastodonConnector",
              "instagram": "microscout.connectors.instagram:InstagramConnector",
              "youtube": "microscout.connectors.youtube:YouTubeConnector"}


@dataclass(frozen=True)
class CollectResult:
    out: Path
    rows: dict[str, int]
    requests: int
    retries: int
    resumed: bool

    def as_dict(self) -> dict[str, object]:
        return {"bundle": str(self.out), "rows": self.rows, "requests": self.requests, "retries": self.retries,
                "resumed": self.resumed}


def connector_class(platform: str) -> type[Connector]:
    if platform not in CONNECTORS:
        raise ConnectorError(f"no connector for '{platform}': expected one of {', '.join(CONNECTORS)}")
    module, name = CONNECTORS[platform].split(":")
    cls: type[Connector] = getattr(importlib.import_module(module), name)
    return cls


def default_out(platform: str, request: CollectRequest, under: Path = Path("microscout-collect")) -> Path:
    """Where a collection goes unless told: PLATFORM-DATE-HASH, so the same request on the same day
    finds its unfinished run again and resumes it."""
    digest = hashlib.sha256(json.dumps([platform, str(request)]).encode()).hexdigest()[:8]
    return under / f"{platform}-{datetime.now(UTC):%Y%m%d}-{digest}"


def collect(settings: Settings, platform: str, request: CollectRequest, out: str | Path,
            console: Console | None = None, restart: bool = False, listener: Listener | None = None) -> CollectResult:
    """Fetch what `request` names into a bundle at `out`; resumes an unfinished run there.
    `listener` is told of each stage's progress (CollectJob.stage)."""
    connector = connector_class(platform)(settings, request)
    job = CollectJob(Path(out), platform, request, connector.service_url, console=console, restart=restart,
                     listener=listener)
    if job.resumed:
        job.note(f"resuming the unfinished collection in {out}")
    try:
        with connector.client() as client:
            if client.on_wait is None:  # a user watching a run should know why it pauses
                client.on_wait = lambda seconds, why: job.note(f"waiting {seconds:.0f} s ({why})") if seconds >= 1 \
                    else None
            connector.collect(job, client)
            job.commit()
            rows = job.finish(f"microscout collect {platform} ({connector.service_url}, {request.describe()})")
            return CollectResult(Path(out), rows, client.requests, client.retries, job.resumed)
    finally:
        job.close()


def read_handles(path: str | Path) -> tuple[str, ...]:
    """Handles, one per line; blank lines and # comments are skipped."""
    p = Path(path)
    if not p.is_file():
        raise ConnectorError(f"{p}: no such file: expected one handle per line")
    try:
        lines = p.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        raise ConnectorError(f"{p}: not UTF-8 text (byte {exc.start}): expected one handle per line") from None
    handles = tuple(h for line in lines if (h := line.strip()) and not h.startswith("#"))
    if not handles:
        raise ConnectorError(f"{p}: no handles in the file: expected one per line")
    return handles
