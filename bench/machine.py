"""Facts about the machine a benchmark ran on, stored beside every figure."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime

import duckdb
import psutil


def machine() -> dict[str, object]:
    return {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "system": platform.platform(),
    }


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
