"""How requests share the workspace: reads at once, each thread on its own cursor of the one
DuckDB database (its own transaction, so a read never sees half of a write), and writes alone.

Reads used to take turns on one lock: twenty clients waited for each other's queries, seconds at
the 95th percentile. A store that cannot hand out readers (PySpark) still has every call alone.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import fasteners

if TYPE_CHECKING:
    from microscout.workspace import Workspace


class WorkspaceGate:
    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._lock = fasteners.ReaderWriterLock()  # writers first: a waiting write holds back new reads
        self._local = threading.local()
        # more reads at once than cores only make them switch: much of a read is Python (Ibis
        # compiling SQL, pandas), which runs one thread at a time
        self._slots = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))
        self._concurrent = callable(getattr(workspace, "reader", None)) and workspace.can_read_concurrently

    @contextmanager
    def read(self) -> Iterator[Workspace]:
        """The workspace for a read: this thread's reader while others read too."""
        if not self._concurrent:
            with self._lock.write_lock():
                yield self.workspace
            return
        with self._lock.read_lock():
            if self._lock.is_writer():  # a read inside this thread's own write sees that write
                yield self.workspace
                return
            reader = getattr(self._local, "reader", None)
            if reader is None:
                reader = self._local.reader = self.workspace.reader()
            with self._slots:
                yield reader

    @contextmanager
    def write(self) -> Iterator[Workspace]:
        """The workspace alone: no read runs until the write is done."""
        with self._lock.write_lock():
            yield self.workspace
