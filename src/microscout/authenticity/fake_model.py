"""The fake-account model: one logistic regression per set of known profile features.

Why logistic regression: across sources (train on three labelled sets, test on the fourth) it
does as well as gradient-boosted trees (docs/model-card.md), its probabilities are calibrated
enough to average into shares, every prediction splits into per-feature contributions a
marketer can read, and it scores millions of accounts as one SQL expression. Missing
features are handled by keeping one model per feature set (features.FEATURE_SETS) and
using, for each account, the richest set whose fields are all known.

Trained on several sources, each source's fakes and real accounts weigh the same (a large source,
or one full of fakes, does not decide alone),
and the threshold is the one that did best on the source left out, not on the sources seen. An
account the one-line rule calls fake (no picture, or < 3 posts while following > 500) gets at
least the rule's own precision on the training data as its probability.

The fitted model is plain JSON (means, scales, coefficients): no pickle, no version warnings.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from microscout.authenticity.features import FEATURE_FIELDS, FEATURE_SETS, features_frame
from microscout.exceptions import MicroscoutError

MODEL_VERSION = 2
THRESHOLD = 0.5  # default is_fake cut for a model trained on one source; a shipped model carries its own


@dataclass(frozen=True)
class LinearModel:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float

    def logit(self, x: np.ndarray) -> np.ndarray:
        z = (x - np.array(self.mean)) / np.array(self.scale)
        return np.asarray(z @ np.array(self.coef) + self.intercept)

    def contributions(self, x: np.ndarray) -> np.ndarray:
        return np.asarray((x - np.array(self.mean)) / np.array(self.scale) * np.array(self.coef))


class FakeAccountModel:
    """Settings in __init__, learning in fit, learned state in `models_` (scikit-learn's habit)."""

    def __init__(self, c: float = 1.0) -> None:
        if not (isinstance(c, int | float) and c > 0):
            raise ValueError(f"The 'c' parameter of FakeAccountModel must be a number > 0. Got {c!r} instead.")
        self.c = c
        self.training_sources_: dict[str, str] = {}  # name → origin and license, written into the JSON

    def fit(self, raw: pd.DataFrame, is_fake: pd.Series | np.ndarray,
            sources: pd.Series | np.ndarray | None = None, threshold: float = THRESHOLD) -> FakeAccountModel:
        """Fit one model per feature set on the rows that know its fields; with `sources` (a label
        per row), the fakes and the real accounts of every source weigh the same in total, so that
        neither a large source nor a source's own share of fakes decides the model (on the source
        left out this beats weighting rows alike: docs/model-card.md)."""
        from sklearn.linear_model import LogisticRegression  # training only: scoring needs no scikit-learn
        from sklearn.preprocessing import StandardScaler

        y = np.asarray(is_fake).astype(int)
        if len(set(y)) < 2:
            raise MicroscoutError("training needs both fake and real accounts among the labels")
        feats = features_frame(raw)
        src = np.zeros(len(y), dtype=int) if sources is None else pd.factorize(np.asarray(sources))[0] * 2 + y
        self.models_: dict[str, LinearModel] = {}
        self.training_rows_ = len(y)
        self.threshold_ = float(threshold)
        for name, cols in FEATURE_SETS.items():
            known = feats[list(cols)].notna().all(axis=1).to_numpy()
            if known.sum() < 20 or len(set(y[known])) < 2:
                continue
            x = feats.loc[known, list(cols)].to_numpy()
            weight = _source_weights(src[known])
            scaler = StandardScaler().fit(x)
            scale = np.where(scaler.scale_ > 0, scaler.scale_, 1.0)
            lr = LogisticRegression(C=self.c, max_iter=5000).fit((x - scaler.mean_) / scale, y[known],
                                                                 sample_weight=weight)
            self.models_[name] = LinearModel(tuple(cols), tuple(map(float, scaler.mean_)), tuple(map(float, scale)),
                                             tuple(map(float, lr.coef_[0])), float(lr.intercept_[0]))
        if not self.models_:
            raise MicroscoutError("the labels have too few accounts with known followers, following, posts and "
                                  "picture: at least 20 are needed")
        fired = (feats["simple_rule"] == 1).to_numpy()
        weight = _source_weights(src)
        self.rule_precision_ = (float(np.sum(weight[fired] * y[fired]) / np.sum(weight[fired]))
                                if fired.any() else 0.0)
        return self

    # -- scoring in pandas (training, evaluation, reasons) ------------------------------------------
    def _set_for(self, feats: pd.DataFrame) -> pd.Series:
        chosen = pd.Series(None, index=feats.index, dtype=object)
        for name in reversed(FEATURE_SETS):  # richest last, so it wins
            if name in self.models_:
                ok = feats[list(self.models_[name].features)].notna().all(axis=1)
                chosen[ok] = name
        return chosen

    def predict_proba(self, raw: pd.DataFrame) -> np.ndarray:
        """Probability that each account is fake; NaN when even the minimal features are unknown."""
        feats = features_frame(raw)
        chosen = self._set_for(feats)
        out = np.full(len(raw), np.nan)
        for name, model in self.models_.items():
            rows = (chosen == name).to_numpy()
            if rows.any():
                out[rows] = 1 / (1 + np.exp(-model.logit(feats.loc[rows, list(model.features)].to_numpy())))
        fired = (feats["simple_rule"] == 1).to_numpy() & ~np.isnan(out)
        out[fired] = np.maximum(out[fired], self.rule_precision_)
        return out

    def explain(self, raw: pd.DataFrame, top: int = 3) -> list[list[str]]:
        """For each account, the features that pushed it most towards fake, in words."""
        feats = features_frame(raw)
        chosen = self._set_for(feats)
        reasons: list[list[str]] = [[] for _ in range(len(raw))]
        for name, model in self.models_.items():
            rows = np.flatnonzero((chosen == name).to_numpy())
            if not len(rows):
                continue
            contrib = model.contributions(feats.iloc[rows][list(model.features)].to_numpy())
            for k, r in enumerate(rows):
                order = np.argsort(-contrib[k])
                names = [model.features[j] for j in order if contrib[k, j] > 0.25]
                if feats["simple_rule"].iloc[r] == 1:
                    names = ["simple_rule", *(n for n in names if n != "simple_rule")]
                if "follow_ratio" in names:  # it already says both counts
                    names = [n for n in names if n not in ("log_followers", "log_following")]
                words = [_words(n, raw.iloc[r]) for n in names]
                reasons[r] = list(dict.fromkeys(w for w in words if w))[:top]  # two features may say one thing
        return reasons

    # -- scoring in the database ------------------------------------------------------------------
    def probability_expr(self, raw: dict[str, ir.Value]) -> ir.FloatingValue:
        """The same probability as predict_proba, as an Ibis expression over raw fields."""
        f = features_expr(raw)
        # one probability per feature set, null where its fields are unknown; the richest known wins.
        # A coalesce keeps the SQL linear in the sets (a chain of if-else repeats every earlier level).
        per_set = []
        for name in FEATURE_SETS:  # richest first
            if name not in self.models_:
                continue
            m = self.models_[name]
            known = ibis.and_(*[f[c].notnull() for c in m.features])
            z = ibis.literal(m.intercept)
            for c, mu, s, w in zip(m.features, m.mean, m.scale, m.coef, strict=True):
                z = z + (f[c] - mu) / s * w
            per_set.append(ibis.ifelse(known, 1.0 / (1.0 + (-z).exp()), ibis.null("float64")))
        result = ibis.coalesce(*per_set) if len(per_set) > 1 else per_set[0]
        floor = ibis.ifelse((f["simple_rule"] == 1.0).fill_null(False) & result.notnull(),
                            ibis.literal(self.rule_precision_), ibis.null("float64"))
        return ibis.greatest(result, floor)

    # -- persistence ------------------------------------------------------------------------------
    def to_json(self) -> str:
        return json.dumps({"model": "microscout-fake-account", "version": MODEL_VERSION, "c": self.c,
                           "threshold": self.threshold_, "rule_precision": self.rule_precision_,
                           "training_rows": self.training_rows_, "training_sources": self.training_sources_,
                           "models": {k: vars(v) for k, v in self.models_.items()}}, indent=1)

    @classmethod
    def from_json(cls, text: str) -> FakeAccountModel:
        data = json.loads(text)
        if data.get("model") != "microscout-fake-account" or data.get("version") != MODEL_VERSION:
            raise MicroscoutError("not a microscout fake-account model of version "
                                  f"{MODEL_VERSION}: retrain it with `microscout model train`")
        model = cls(data["c"])
        model.training_rows_ = data.get("training_rows", 0)
        model.threshold_ = float(data["threshold"])
        model.rule_precision_ = float(data["rule_precision"])
        model.training_sources_ = dict(data.get("training_sources", {}))
        model.models_ = {k: LinearModel(tuple(v["features"]), tuple(v["mean"]), tuple(v["scale"]), tuple(v["coef"]),
                                        float(v["intercept"])) for k, v in data["models"].items()}
        return model


def features_expr(raw: dict[str, ir.Value]) -> dict[str, ir.Value]:
    """features.features_frame as Ibis expressions (same formulas)."""
    def num(name: str) -> ir.FloatingValue:
        v = raw.get(name)
        return ibis.null("float64") if v is None else v.cast("float64")

    followers, following, posts = num("followers"), num("following"), num("posts_count")
    bio, pic = num("bio_length"), num("has_profile_pic")
    share = ibis.coalesce(num("digit_share"), num("handle_digits") / num("handle_length").nullif(0))
    known_rule = pic.notnull() & posts.notnull() & following.notnull()
    few_many = (posts < 3) & (following > 500)

    def flag(cond: ir.BooleanValue, known: ir.BooleanValue) -> ir.FloatingValue:
        return ibis.ifelse(known, cond.cast("float64"), ibis.null("float64"))

    return {
        "log_followers": (followers + 1).ln(),
        "log_following": (following + 1).ln(),
        "follow_ratio": (following + 1).ln() - (followers + 1).ln(),
        "log_posts": (posts + 1).ln(),
        "no_posts": flag(posts == 0, posts.notnull()),
        "posts_per_follower": (posts + 1).ln() - (followers + 1).ln(),
        "has_profile_pic": pic,
        "few_posts_many_follows": flag(few_many, posts.notnull() & following.notnull()),
        "simple_rule": flag((pic == 0) | few_many, known_rule),
        "log_bio_length": (bio + 1).ln(),
        "no_bio": flag(bio == 0, bio.notnull()),
        "digit_share": share,
        "is_private": num("is_private"),
    }


def _source_weights(src: np.ndarray) -> np.ndarray:
    """Weights under which each group (a source, or a source's fakes and its real accounts) sums to
    the same total (mean weight 1)."""
    counts = np.bincount(src)
    weight = 1.0 / counts[src]
    return np.asarray(weight / weight.mean())


def _words(feature: str, row: pd.Series) -> str | None:
    def get(name: str) -> Any:
        v = row.get(name)
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else v

    followers, following, posts = get("followers"), get("following"), get("posts_count")

    def few(n: Any, noun: str) -> str | None:
        if n is None:
            return None
        n = int(n)
        return f"no {noun}s" if n == 0 else f"only {n:,} {noun}{'' if n == 1 else 's'}"

    texts = {
        "log_followers": few(followers, "follower"),
        "log_following": f"follows {int(following):,} accounts" if following is not None else None,
        "follow_ratio": (f"follows {int(following):,} accounts but has {few(followers, 'follower')}"
                         .replace("has only", "only").replace("has no", "no")
                         if following is not None and followers is not None else None),
        "log_posts": few(posts, "post"),
        "no_posts": "no posts",
        "has_profile_pic": "no profile picture",
        "is_private": None,  # being private or public says little to a reader on its own
        "posts_per_follower": None,  # said by the post and follower counts
        "few_posts_many_follows": (f"{few(posts, 'post')} while following {int(following):,}"
                                   if posts is not None and following is not None else None),
        "simple_rule": "the one-line rule: " + ("no profile picture" if get("has_profile_pic") == 0 else
                                                "fewer than 3 posts while following more than 500"),
        "log_bio_length": "a very short bio",
        "no_bio": "no bio",
        "digit_share": "a handle made mostly of digits",
    }
    return texts.get(feature)


BUILT_IN = ("rules", "research")


def research_model() -> FakeAccountModel:
    """The model trained on four labelled sources (docs/model-card.md). InstaFake is CC BY-NC 4.0
    and the others are research data: non-commercial use only, so it is opt-in
    (fake_model = "research")."""
    text = (resources.files("microscout") / "authenticity" / "fake_model.json").read_text(encoding="utf-8")
    return FakeAccountModel.from_json(text)


def default_model() -> FakeAccountModel:
    """The default: rules with hand-set weights, trained on no data, free for any use."""
    from microscout.authenticity.rules_model import rules_model

    return rules_model()


def load_model(path: str | Path | None) -> FakeAccountModel:
    """None or "rules": the default rules; "research": the model trained on research data; else a
    model file written by `microscout model train`."""
    if path is None or str(path) == "rules":
        return default_model()
    if str(path) == "research":
        return research_model()
    try:
        return FakeAccountModel.from_json(Path(path).read_text(encoding="utf-8"))
    except OSError as e:
        raise MicroscoutError(f"{path}: cannot read the model: {e.strerror} (expected \"rules\", \"research\" "
                              "or a model file from `microscout model train`)") from None
    except (json.JSONDecodeError, KeyError, TypeError) as e:
        raise MicroscoutError(f"{path}: is not a microscout fake-account model ({e})") from None


assert set(FEATURE_FIELDS) >= {c for cols in FEATURE_SETS.values() for c in cols}
