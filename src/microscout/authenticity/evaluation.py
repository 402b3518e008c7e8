"""How well the fake-account model does.

- Across sources (the figure that matters for data no one here wrote): train on every labelled
  source but one, test on the one left out, for each source in turn; the one-line rule is
  scored on the same rows. The threshold is chosen on these left-out figures.
- Within one source (your own labels): repeated stratified cross-validation (duplicate rows
  kept in one fold) and the InstaFake paper's 70/30 protocol, per feature set."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from microscout.authenticity.fake_model import THRESHOLD, FakeAccountModel
from microscout.authenticity.features import FEATURE_SETS, features_frame, simple_rule

# (models fitted so far, models to fit): a long evaluation says how far it is
Progress = Callable[[int, int], None]


def _restricted(raw: pd.DataFrame, feature_set: str) -> pd.DataFrame:
    """The raw fields a feature set uses, the others hidden (as if the export lacked them)."""
    from microscout.authenticity.features import FEATURE_FIELDS

    keep = {f for c in FEATURE_SETS[feature_set] for f in FEATURE_FIELDS[c]}
    if "digit_share" in keep:  # given as a share, or as the handle's digits and length
        keep |= {"handle_digits", "handle_length", "handle_digit_share"}
    return raw[[c for c in raw.columns if c in keep]]


def evaluate(raw: pd.DataFrame, is_fake: pd.Series, repeats: int = 10, folds: int = 5, seed: int = 0,
             c: float = 1.0, progress: Progress | None = None) -> dict[str, Any]:
    from sklearn.metrics import brier_score_loss, f1_score, roc_auc_score
    from sklearn.model_selection import StratifiedGroupKFold, train_test_split

    y = np.asarray(is_fake).astype(int)
    feats = features_frame(raw)
    groups = feats.round(9).astype(str).agg("|".join, axis=1).factorize()[0]  # identical rows share a fold
    results: dict[str, Any] = {"rows": len(y), "fakes": int(y.sum()), "threshold": THRESHOLD,
                               "repeats": repeats, "folds": folds, "feature_sets": {}}
    fits, done = len(FEATURE_SETS) * repeats * (folds + 1), 0
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
                done += 1
                if progress:
                    progress(done, fits)
        paper = []
        for rep in range(repeats):
            train, test = train_test_split(np.arange(len(y)), test_size=0.3, stratify=y, random_state=seed + rep)
            model = FakeAccountModel(c).fit(shown.iloc[train], y[train])
            paper.append(f1_score(y[test], model.predict_proba(shown.iloc[test]) >= THRESHOLD, average="macro"))
            done += 1
            if progress:
                progress(done, fits)
        results["feature_sets"][name] = {
            "features": list(FEATURE_SETS[name]),
            "cv_macro_f1_mean": float(np.mean(cv_f1)), "cv_macro_f1_sd": float(np.std(cv_f1)),
            "cv_roc_auc_mean": float(np.mean(cv_auc)), "cv_brier_mean": float(np.mean(cv_brier)),
            "split_70_30_macro_f1_mean": float(np.mean(paper)), "split_70_30_macro_f1_sd": float(np.std(paper)),
        }
    return results


THRESHOLDS = tuple(round(0.2 + 0.05 * k, 2) for k in range(13))  # 0.20 .. 0.80


def leave_one_source_out(sources: dict[str, pd.DataFrame], c: float = 1.0,
                         progress: Progress | None = None) -> dict[str, Any]:
    """Train on every source but one (each source weighing the same), score the one left out.

    The threshold is the one whose worst left-out F1 of the fake class is highest (ties: the higher
    mean); per source: accuracy, F1, precision and recall of the fake class at that threshold, ROC
    AUC and Brier score of the probability, and the one-line rule ("no picture, or < 3 posts while
    following > 500") on the same rows. An account the model cannot score counts as not flagged."""
    from sklearn.metrics import f1_score

    probs: dict[str, np.ndarray] = {}
    for left in sources:
        train = pd.concat([sources[k] for k in sources if k != left], ignore_index=True)
        names = np.concatenate([[k] * len(sources[k]) for k in sources if k != left])
        model = FakeAccountModel(c).fit(train.drop(columns="is_fake"), train.is_fake, names)
        probs[left] = model.predict_proba(sources[left].drop(columns="is_fake"))
        if progress:
            progress(len(probs), len(sources))
    truth = {k: v.is_fake.to_numpy().astype(int) for k, v in sources.items()}

    f1_at = {th: [f1_score(truth[k], np.nan_to_num(p, nan=0.0) >= th, zero_division=0) for k, p in probs.items()]
             for th in THRESHOLDS}
    threshold = max(THRESHOLDS, key=lambda th: (min(f1_at[th]), float(np.mean(f1_at[th]))))
    return {"protocol": "leave one source out: train on the others (each source weighing the same), test on it",
            "threshold": threshold, "threshold_rule": "the highest worst-source F1 of the fake class",
            "c": c, "sources": _source_rows(probs, sources, threshold)}


def on_sources(model: FakeAccountModel, sources: dict[str, pd.DataFrame]) -> dict[str, Any]:
    """A fixed model (the rules, or one trained elsewhere) on every labelled source, each unseen, at
    the model's own threshold: the same figures per source as leave_one_source_out."""
    probs = {name: model.predict_proba(data.drop(columns="is_fake")) for name, data in sources.items()}
    return {"protocol": "a fixed model on every source, none of which it was fitted on",
            "threshold": model.threshold_, "sources": _source_rows(probs, sources, model.threshold_)}


def _source_rows(probs: dict[str, np.ndarray], sources: dict[str, pd.DataFrame], threshold: float
                 ) -> list[dict[str, Any]]:
    """Per source: accuracy, F1, precision and recall of the fake class at `threshold`, ROC AUC and
    Brier score of the probability, and the one-line rule on the same rows; an account the model
    cannot score counts as not flagged."""
    from sklearn.metrics import (
        accuracy_score,
        brier_score_loss,
        f1_score,
        precision_score,
        recall_score,
        roc_auc_score,
    )

    table = []
    for name, p in probs.items():
        y, raw = sources[name].is_fake.to_numpy().astype(int), sources[name]
        flagged = np.nan_to_num(p, nan=0.0) >= threshold
        rule = simple_rule(raw.has_profile_pic.astype(float), raw.posts_count.astype(float),
                           raw.following.astype(float)).fillna(0).to_numpy() == 1
        scored = ~np.isnan(p)
        table.append({
            "source": name, "rows": len(y), "fakes": int(y.sum()), "scored": int(scored.sum()),
            "accuracy": float(accuracy_score(y, flagged)), "f1_fake": float(f1_score(y, flagged, zero_division=0)),
            "precision_fake": float(precision_score(y, flagged, zero_division=0)),
            "recall_fake": float(recall_score(y, flagged, zero_division=0)),
            "roc_auc": float(roc_auc_score(y[scored], p[scored])),
            "brier": float(brier_score_loss(y[scored], p[scored])),
            "rule_accuracy": float(accuracy_score(y, rule)), "rule_f1_fake": float(f1_score(y, rule, zero_division=0)),
        })
    return table


def train_on_sources(sources: dict[str, pd.DataFrame], described: dict[str, str], c: float = 1.0
                     ) -> tuple[FakeAccountModel, dict[str, Any]]:
    """The model to ship: fit on every source, with the threshold chosen across sources."""
    report = leave_one_source_out(sources, c)
    everything = pd.concat(sources.values(), ignore_index=True)
    names = np.concatenate([[k] * len(v) for k, v in sources.items()])
    model = FakeAccountModel(c).fit(everything.drop(columns="is_fake"), everything.is_fake, names,
                                    threshold=report["threshold"])
    model.training_sources_ = {k: described.get(k, k) for k in sources}
    return model, report
