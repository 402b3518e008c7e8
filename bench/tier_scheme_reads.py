"""Benchmark: a question under another tier scheme on the small demo world (seed 7), analysed
once with the default scheme.

Before, `vet --tier-scheme five-tier` re-analyzed every creator under that scheme and the next
default question re-analyzed back; now the scheme is applied in the query and nothing is
rewritten. Measured in one process, best of 5 (warm): vet and a creators page under the default
scheme (the saved tables: the baseline) and under five-tier (computed per question), and, for
what a flip used to cost, one analyze under five-tier. Writes bench/results/tier_scheme_reads.json.

    .venv/bin/python -m bench.tier_scheme_reads
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from bench.machine import machine, now
from bench.worlds import small_analysed

HERE = Path(__file__).parent


def _best(fn, repeats: int = 5) -> float:
    best = float("inf")
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return round(best * 1000, 1)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        ws = small_analysed(Path(tmp))
        rows, total = ws.creators(limit=1)
        ref = f"{rows[0]['platform']}:{rows[0]['account_id']}"
        figures = {
            "vet_default_ms": _best(lambda: ws.vet(ref)),
            "vet_five_tier_ms": _best(lambda: ws.vet(ref, tier_scheme="five-tier")),
            "creators_page_default_ms": _best(lambda: ws.creators(limit=50)),
            "creators_page_five_tier_ms": _best(lambda: ws.creators(limit=50, tier_scheme="five-tier")),
        }
        t = time.perf_counter()
        ws.analyze(tier_scheme="five-tier")
        figures["one_analyze_five_tier_ms_what_a_flip_cost_before"] = round((time.perf_counter() - t) * 1000, 1)
        ws.close()
    figures["vet_ratio_five_tier_to_default"] = round(figures["vet_five_tier_ms"] / figures["vet_default_ms"], 2)
    figures["creators_ratio_five_tier_to_default"] = round(
        figures["creators_page_five_tier_ms"] / figures["creators_page_default_ms"], 2)
    out = {"benchmark": "tier_scheme_reads", "world": f"demo small, seed 7: {total} creators (topic model off)",
           "date": now(), "machine": machine(), "unit": "milliseconds, best of 5 warm", **figures}
    (HERE / "results" / "tier_scheme_reads.json").write_text(json.dumps(out, indent=2) + "\n")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
