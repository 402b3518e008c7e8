"""Run the creator metrics over a store and keep them in the workspace (the edge around metrics/)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import ibis

from microscout.config import Settings
from microscout.metrics.creator_metrics import FlagRules, compute_creator_metrics, with_benchmarks, with_flags
from microscout.metrics.tiers import TierScheme, get_scheme, scheme_from_settings
from microscout.store import Store

DATA_TABLES = ("accounts", "snapshots", "posts", "comments", "follows", "audience")


@dataclass
class AnalysisResult:
    creators: int
    seconds: float
    tier_scheme: str


def tier_scheme(settings: Settings, name: str | None = None) -> TierScheme:
    custom = {n: scheme_from_settings(n, spec) for n, spec in settings.tier_schemes.items()}
    return get_scheme(name or settings.tier_scheme, custom)


def _state(store: Store, scheme: str, competitors: list[str]) -> str:
    imports = store.table("imports").import_id.max().execute()
    forgotten = store.table("forgotten").count().execute()
    return json.dumps({"last_import": None if imports is None else int(imports), "forgotten": int(forgotten),
                       "scheme": scheme, "competitors": sorted(competitors)})


def analyze(store: Store, settings: Settings, scheme_name: str | None = None,
            competitors: list[str] | None = None) -> AnalysisResult:
    """Compute creator_metrics, creator_spikes and tier_benchmarks for every creator at once."""
    started = time.perf_counter()
    scheme = tier_scheme(settings, scheme_name)
    comps = list(competitors if competitors is not None else settings.competitors)
    tables = {name: store.table(name) for name in DATA_TABLES}
    metrics, spikes = compute_creator_metrics(tables, scheme)
    store.save_table("creator_spikes", spikes)
    store.save_table("creator_metrics_base", metrics)
    base = store.table("creator_metrics_base")
    ranked, bench = with_benchmarks(base)
    store.save_table("tier_benchmarks", bench)
    store.save_table("creator_metrics", with_flags(ranked, FlagRules(competitors=tuple(comps))))
    state = _state(store, scheme.name, comps)
    store.save_table("analysis_state", ibis.memtable({"state": [state]}))
    count = int(store.table("creator_metrics").count().execute())
    return AnalysisResult(count, time.perf_counter() - started, scheme.name)


def is_current(store: Store, settings: Settings, scheme_name: str | None = None,
               competitors: list[str] | None = None) -> bool:
    if not store.has_table("analysis_state") or not store.has_table("creator_metrics"):
        return False
    saved = store.table("analysis_state").execute()["state"].tolist()
    scheme = tier_scheme(settings, scheme_name).name
    comps = list(competitors if competitors is not None else settings.competitors)
    return bool(saved) and saved[0] == _state(store, scheme, comps)


def metrics_row(store: Store, platform: str, account_id: str) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
    m = store.table("creator_metrics")
    rows = m.filter((m.platform == platform) & (m.account_id == account_id)).execute().to_dict("records")
    s = store.table("creator_spikes")
    spikes = s.filter((s.platform == platform) & (s.account_id == account_id)).execute().to_dict("records")
    return (rows[0] if rows else None), spikes
