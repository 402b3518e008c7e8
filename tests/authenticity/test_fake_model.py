"""The fake-account model: reproducible, the same in pandas and in the database, honest about gaps."""

from __future__ import annotations

import json

import ibis
import numpy as np
import pandas as pd
import pytest

from microscout.authenticity.datasets import LABELLED_SOURCES, load_instafake, load_labelled_sources
from microscout.authenticity.evaluation import evaluate, train_on_sources
from microscout.authenticity.fake_model import FakeAccountModel, research_model
from microscout.authenticity.features import FEATURE_SETS
from microscout.exceptions import MicroscoutError


@pytest.fixture(scope="module")
def instafake():
    return load_instafake()


@pytest.fixture(scope="module")
def across_sources():
    return train_on_sources(load_labelled_sources(), {})


def test_the_shipped_model_is_what_training_on_the_labelled_sources_gives(across_sources):
    model, report = across_sources
    fresh = json.loads(model.to_json())
    shipped = json.loads(research_model().to_json())
    assert fresh["models"].keys() == shipped["models"].keys() == set(FEATURE_SETS)
    assert shipped["threshold"] == report["threshold"] and set(shipped["training_sources"]) == set(LABELLED_SOURCES)
    for name, m in fresh["models"].items():
        assert m["features"] == shipped["models"][name]["features"]
        assert np.allclose(m["coef"], shipped["models"][name]["coef"], atol=1e-6)


def test_on_every_source_left_out_the_model_beats_the_one_line_rule(across_sources):
    _, report = across_sources
    assert [t["source"] for t in report["sources"]] == list(LABELLED_SOURCES)
    for t in report["sources"]:
        # figures of docs/model-card.md; accuracy >= 0.93 is not reached on every source (the card says so)
        assert t["f1_fake"] >= 0.75 and t["f1_fake"] > t["rule_f1_fake"], t
        assert t["roc_auc"] >= 0.85 and t["accuracy"] >= 0.8, t


def test_database_scores_equal_pandas_scores_with_and_without_bios(instafake):
    model = research_model()
    raw = instafake.drop(columns="is_fake").copy()
    raw.loc[::3, "bio_length"] = np.nan  # a third of the accounts have no known bio
    expected = model.predict_proba(raw)
    t = ibis.memtable(raw)
    got = t.mutate(p=model.probability_expr({c: t[c] for c in raw.columns})).execute()["p"].to_numpy()
    assert np.allclose(got, expected, atol=1e-12)


def test_obvious_cases_and_their_reasons():
    model = research_model()
    raw = pd.DataFrame([
        {"followers": 3, "following": 7480, "posts_count": 0, "has_profile_pic": 0, "is_private": 0,
         "bio_length": 0, "handle_digits": 8, "handle_length": 12},
        {"followers": 850, "following": 400, "posts_count": 240, "has_profile_pic": 1, "is_private": 0,
         "bio_length": 60, "handle_digits": 0, "handle_length": 10},
        {"followers": 850, "following": None, "posts_count": 240, "has_profile_pic": 1, "is_private": 0},
    ])
    p = model.predict_proba(raw)
    assert p[0] > 0.95 and p[1] < 0.05 and np.isnan(p[2])
    assert model.explain(raw)[0][:2] == ["the one-line rule: no profile picture",
                                         "follows 7,480 accounts but only 3 followers"]


def test_cross_validated_macro_f1_beats_the_published_baselines_without_oversampling(instafake):
    fitted = []
    result = evaluate(instafake.drop(columns="is_fake"), instafake.is_fake, repeats=1,
                      progress=lambda done, total: fitted.append((done, total)))
    # it says how far it is: one call a model (5 folds and the 70/30 split per feature set)
    total = len(result["feature_sets"]) * 6
    assert fitted == [(k, total) for k in range(1, total + 1)]
    for figures in result["feature_sets"].values():
        assert figures["cv_macro_f1_mean"] > 0.89  # the paper: SVM 0.882, neural network 0.890 without SMOTE
        assert figures["cv_brier_mean"] < 0.05


def test_bad_settings_of_the_model():
    with pytest.raises(ValueError, match=r"The .c. parameter of FakeAccountModel must be a number > 0\. Got 0"):
        FakeAccountModel(0)


def test_the_default_model_is_the_rules_trained_on_no_data():
    from microscout.authenticity.fake_model import load_model

    rules, research = load_model(None), load_model("research")
    assert rules.training_rows_ == 0 and list(rules.training_sources_) == ["rules"]
    assert load_model("rules").to_json() == rules.to_json()
    assert research.training_rows_ > 2000 and "CC BY-NC 4.0" in research.training_sources_["instafake"]
    with pytest.raises(MicroscoutError, match=r"expected \"rules\", \"research\" or a model file"):
        load_model("reserch")


def test_the_rules_on_every_labelled_source_as_they_are():
    from microscout.workspace import Workspace

    result = Workspace.evaluate_labels(model="rules")
    figures = {t["source"]: (round(t["accuracy"], 3), round(t["f1_fake"], 3), round(t["roc_auc"], 3))
               for t in result["sources"]}
    # docs/model-card.md: the weights were set before these were measured, and not changed after
    assert figures == {"instafake": (0.937, 0.828, 0.981), "kaggle_instagram": (0.881, 0.867, 0.977),
                       "purba_instagram": (0.763, 0.697, 0.905), "cresci2015_twitter": (0.731, 0.533, 0.99)}
    assert all(t["precision_fake"] >= 0.75 and t["f1_fake"] > t["rule_f1_fake"] for t in result["sources"])


def test_the_rules_name_what_differs_from_a_typical_real_account():
    from microscout.authenticity.rules_model import rules_model

    model = rules_model()
    raw = pd.DataFrame([
        {"followers": 3, "following": 7480, "posts_count": 0, "has_profile_pic": 0, "is_private": 0,
         "bio_length": 0, "handle_digits": 8, "handle_length": 12},
        {"followers": 300, "following": 300, "posts_count": 50, "has_profile_pic": 1, "is_private": 0,
         "bio_length": 60, "handle_digits": 0, "handle_length": 10},
        {"followers": 850, "following": 400, "posts_count": 240, "has_profile_pic": 1},  # no bio, handle known
    ])
    p = model.predict_proba(raw)
    assert p[0] > 0.99 and p[1] < 0.05 and p[2] < 0.05
    reasons = model.explain(raw)
    assert reasons[0] == ["the one-line rule: no profile picture", "follows 7,480 accounts but only 3 followers",
                          "a handle made mostly of digits"]
    assert reasons[1] == [] and len(set(reasons[0])) == len(reasons[0])
    # the database gives the same probabilities, unknown fields included
    t = ibis.memtable(raw)
    got = t.mutate(p=model.probability_expr({c: t[c] for c in raw.columns})).execute()["p"].to_numpy()
    assert np.allclose(got, p, atol=1e-12)
