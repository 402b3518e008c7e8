"""Background jobs (import, analyze, collect) run one at a time in a thread; their state is kept
for the page and the API to poll: queued, running, done or failed, the current step and a 0..1
progress."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from microscout.exceptions import InvalidBundleError, MicroscoutError
from microscout.sentences import say

Progress = Callable[[str, float], None]


class Jobs:
    def __init__(self, on_done: Callable[[], None] | None = None) -> None:
        self._on_done = on_done  # a job may have changed the workspace, finished or not
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="microscout-job")
        self._jobs: dict[str, dict[str, Any]] = {}
        self._guard = threading.Lock()

    def start(self, kind: str, work: Callable[[Progress], dict[str, Any]]) -> dict[str, Any]:
        job_id = uuid.uuid4().hex[:12]
        state = {"id": job_id, "kind": kind, "state": "queued", "step": say("waiting"), "progress": 0.0,
                 "created_at": _now(), "result": None, "error": None, "problems": None}
        with self._guard:
            self._jobs[job_id] = state

        def progress(step: str, share: float) -> None:
            with self._guard:
                state.update(step=step, progress=round(share, 3))

        def run() -> None:
            progress(say("starting"), 0.0)
            with self._guard:
                state["state"] = "running"
            try:
                outcome: dict[str, Any] = {"state": "done", "step": say("done"), "progress": 1.0,
                                           "result": work(progress)}
            except InvalidBundleError as e:  # the user's data: a clear message, nothing imported
                outcome = {"state": "failed", "error": str(e), "problems": [str(p) for p in e.problems]}
            except MicroscoutError as e:
                outcome = {"state": "failed", "error": str(e)}
            except Exception as e:  # a job must report, not vanish with its thread
                outcome = {"state": "failed", "error": f"internal error: {type(e).__name__}: {e}"}
            if self._on_done is not None:
                self._on_done()  # before "done" shows: a client that sees it must read fresh data
            with self._guard:
                state.update(outcome)

        self._pool.submit(run)
        return self.get(job_id) or state

    def get(self, job_id: str) -> dict[str, Any] | None:
        with self._guard:
            found = self._jobs.get(job_id)
            return dict(found) if found is not None else None

    def wait(self) -> None:
        self._pool.shutdown(wait=True)


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
