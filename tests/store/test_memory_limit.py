"""The default memory limit is picked from the machine (issue 18: no limit set by hand)."""

from __future__ import annotations

import os

from microscout import open_workspace
from microscout.store.base import machine_memory_limit


def test_auto_is_a_third_of_the_memory_and_reaches_duckdb(tmp_path):
    total_mib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    limit = machine_memory_limit()
    assert limit.endswith("MB") and 1024 <= int(limit[:-2]) <= total_mib // 3
    with open_workspace(db=tmp_path / "ws.duckdb", topic_model="none") as ws:
        assert ws.settings.memory_limit == "auto"
        set_bytes = ws.store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
    value, unit = set_bytes.split()
    mib = float(value) * {"MiB": 1, "GiB": 1024}[unit]
    assert abs(mib - int(limit[:-2]) * 10**6 / 2**20) < 0.02 * mib  # DuckDB's MB are 10^6 bytes
    with open_workspace(db=tmp_path / "ws.duckdb", topic_model="none", memory_limit="1GB") as ws:
        assert ws.store.con.execute("SELECT current_setting('memory_limit')").fetchone()[0] in ("953.6 MiB", "1.0 GiB")
