"""How well the fake-account model does: repeated stratified cross-validation (duplicate rows
kept in one fold) and the InstaFake paper's 70/30 protocol, per feature set."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from microscout.authenticity.fake_model import THRESHOLD, FakeAccountModel
from microscout.authenticity.features import FEATURE_SETS, features_frame


def _restricted(raw: pd.DataFrame, feature_set: str) -> pd.DataFrame:
    """The raw fields a feature set uses, the others hidden (as if the export lacked them)."""
    from microscout.authenticity.features import FEATURE_FIELDS

    keep = {f for c in FEATURE_SETS[feature_set] for f in FEATURE_FIELDS[c]}
    return raw[[c for c in raw.columns if c in keep]]


def evaluate(raw: pd.DataFrame, is_fake: pd.Series, repeats: int = 10, folds: int = 5, seed: int = 0,
             c: float = 1.0) -> dict[str, Any]:
    from sklearn.metrics import brier_score_loss, f1_score, roc_auc_score
    from sklearn.model_selection import StratifiedGroupKFold, train_test_split

    y = np.asarray(is_fake).astype(int)
    feats = features_frame(raw)
    groups = feats.round(9).astype(str).agg("|".join, axis=1).factorize()[0]  # identical rows share a fold
    results: dict[str, Any] = {"rows": len(y), "fakes": int(y.sum()), "threshold": THRESHOLD,
                               "repeats": repeats, "folds": folds, "feature_sets": {}}
    for name in FEATURE_SETS:
        shown = _restricted(raw, name)
        cv_f1, cv_auc, cv_brier = [], [], []
        for rep in range(repeats):
            splitter = StratifiedGroupKFold(folds, shuffle=True, random_state=seed + rep)
            for train, test in splitter.split(shown, y, groups):
                model = FakeAccountModel(c).fit(shown.iloc[train], y[train])
                p = model.predict_proba(shown.iloc[test])
                cv_f1.append(f1_score(y[test], p >= THRESHOLD, average="macro"))
                cv_auc.append(roc_auc_score(y[test], p))
                cv_brier.append(brier_score_loss(y[test], p))
        paper = []
        for rep in range(repeats):
            train, test = train_test_split(np.arange(len(y)), test_size=0.3, stratify=y, random_state=seed + rep)
            model = FakeAccountModel(c).fit(shown.iloc[train], y[train])
            paper.append(f1_score(y[test], model.predict_proba(shown.iloc[test]) >= THRESHOLD, average="macro"))
        results["feature_sets"][name] = {
            "features": list(FEATURE_SETS[name]),
            "cv_macro_f1_mean": float(np.mean(cv_f1)), "cv_macro_f1_sd": float(np.std(cv_f1)),
            "cv_roc_auc_mean": float(np.mean(cv_auc)), "cv_brier_mean": float(np.mean(cv_brier)),
            "split_70_30_macro_f1_mean": float(np.mean(paper)), "split_70_30_macro_f1_sd": float(np.std(paper)),
        }
    return results
