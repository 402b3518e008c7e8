"""Authenticity: the fake-account model on the workspace's accounts or on a file, training it
on labelled accounts, and its figures on the shipped labelled sources."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from microscout.authenticity.accounts import labelled_accounts, score_accounts
from microscout.authenticity.datasets import load_labelled_sources
from microscout.authenticity.evaluation import evaluate, leave_one_source_out, on_sources
from microscout.authenticity.fake_model import FakeAccountModel, load_model
from microscout.config import Settings
from microscout.exceptions import MicroscoutError
from microscout.services.data import DataService
from microscout.services.state import WorkspaceState


class AuthenticityService:
    def __init__(self, state: WorkspaceState) -> None:
        self.state = state
        self.settings = state.settings
        self.table = state.table

    def fake_model(self, model_path: str | Path | None = None) -> FakeAccountModel:
        return load_model(model_path or self.settings.fake_model)

    def fakes(self, path: str | Path | None = None, model_path: str | Path | None = None) -> list[dict[str, Any]]:
        """The fakes contract for a bundle, one accounts file, or (without `path`) the workspace's accounts."""
        if path is not None:
            return AuthenticityService.scratch_fakes(path, model_path or self.settings.fake_model)
        return score_accounts(self.table("accounts"), self.fake_model(model_path))

    @staticmethod
    def scratch_fakes(path: str | Path, model_path: str | Path | None = None) -> list[dict[str, Any]]:
        """The fakes contract for a bundle or an accounts file, checked like an import, without a workspace."""
        model = load_model(model_path)
        with _scratch_workspace(path) as scratch:
            return score_accounts(scratch.table("accounts"), model)

    @staticmethod
    def train_labels(labels: str | Path, out: str | Path, c: float = 1.0) -> dict[str, Any]:
        """Fit the fake-account model on labelled accounts (accounts format plus `is_fake`), save it as JSON."""
        with _scratch_workspace(labels) as scratch:
            raw, truth = labelled_accounts(scratch.table("accounts"))
        if len(truth) == 0:
            raise MicroscoutError(f"{labels}: no account has an is_fake value (expected 1/0, true/false or yes/no)")
        model = FakeAccountModel(c).fit(raw, truth)
        Path(out).write_text(model.to_json() + "\n", encoding="utf-8")
        return {"model": str(out), "accounts": len(truth), "fakes": int(truth.sum()),
                "feature_sets": sorted(model.models_)}

    @staticmethod
    def evaluate_labels(labels: str | Path | None = None, repeats: int = 10,
                        progress: Callable[[int, int], None] | None = None,
                        model: str | Path | None = None) -> dict[str, Any]:
        """Without `labels`: a model across the shipped labelled sources (docs/model-card.md): the
        default rules (or a model file) on each source as it is; "research" trained on all sources
        but one and tested on it, in turn. With `labels`: cross-validated figures of training on
        them. `progress(models fitted, models to fit)` is called as it goes."""
        if labels is None:
            sources = load_labelled_sources()
            if str(model) == "research":
                return {"labels": "the labelled sources, each left out in turn", "model": "research",
                        **leave_one_source_out(sources, progress=progress)}
            return {"labels": "the labelled sources", "model": str(model or "rules"),
                    **on_sources(load_model(model), sources)}
        with _scratch_workspace(labels) as scratch:
            raw, truth = labelled_accounts(scratch.table("accounts"))
        return {"labels": str(labels), **evaluate(raw, truth, repeats=repeats, progress=progress)}


@contextmanager
def _scratch_workspace(path: str | Path) -> Iterator[WorkspaceState]:
    """A throwaway workspace holding a bundle, or one accounts file treated as a bundle: the same
    checks as any import, nothing written to the user's workspace."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="microscout-scratch-") as tmp:
        bundle = path
        ext = path.suffix.lower().lstrip(".")
        if path.is_file() and ext in ("csv", "jsonl", "parquet"):
            bundle = Path(tmp) / "bundle"
            bundle.mkdir()
            shutil.copyfile(path, bundle / f"accounts.{ext}")
        state = WorkspaceState(Settings(db=Path(tmp) / "scratch.duckdb", memory_limit="1GB"))
        try:
            DataService(state).import_bundle(bundle)
            yield state
        finally:
            state.store.close()
