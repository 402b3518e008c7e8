"""The default fake-account model: rules with weights set by hand, trained on no data.

Every labelled set of fake accounts we could find forbids commercial use (InstaFake is CC BY-NC;
the others are research data), so a model fitted on them cannot be the default of a tool
businesses use. These rules say what every fake-account study and every marketer's checklist
says, as a logistic score a person can read and argue with:

- following far more accounts than follow back (+0.8 a log unit of following / followers);
- no profile picture (+1.5), no post at all (+1.5), fewer than 3 posts while following more than
  500 (+1.5), fewer posts in general (−0.35 a log unit of posts);
- a handle made of digits (+3.0 × the share of digits), no bio (+0.7), a small audience (−0.15 a
  log unit of followers);
- being private says nothing either way (0).

Each weight counts from a typical real account (300 followers, as many followed, 50 posts, a
picture, a bio, a handle of letters), so the reasons name what differs from one. Fake from 0.5.
The weights were written down before the model was run on any labelled account; the figures
on the labelled sources (docs/model-card.md) were measured after, and the weights were not
changed to fit them. `fake_model = "research"` uses the model trained on those sources instead,
under their non-commercial terms.
"""

from __future__ import annotations

import math

from microscout.authenticity.fake_model import THRESHOLD, FakeAccountModel, LinearModel
from microscout.authenticity.features import FEATURE_SETS

# feature → (weight in logit units, its value for a typical real account)
WEIGHTS: dict[str, tuple[float, float]] = {
    "log_followers": (-0.15, math.log1p(300)),
    "log_following": (0.0, math.log1p(300)),
    "follow_ratio": (0.8, 0.0),
    "log_posts": (-0.35, math.log1p(50)),
    "no_posts": (1.5, 0.0),
    "posts_per_follower": (0.0, math.log1p(50) - math.log1p(300)),
    "has_profile_pic": (-1.5, 1.0),
    "few_posts_many_follows": (1.5, 0.0),
    "simple_rule": (0.0, 0.0),
    "log_bio_length": (0.0, math.log1p(60)),
    "no_bio": (0.7, 0.0),
    "digit_share": (3.0, 0.0),
    "is_private": (0.0, 0.0),
}
# the logit of an account whose every feature is 0 (no followers, no posts, no picture ...)
ZERO_LOGIT = 0.5

RULES_SOURCE = "rules with hand-set weights (microscout/authenticity/rules_model.py); trained on no data"


def rules_model() -> FakeAccountModel:
    """The rules as a FakeAccountModel: one linear model per feature set, the same weights in
    each (a feature a set lacks adds nothing), counted from the typical real account."""
    model = FakeAccountModel()
    model.threshold_ = THRESHOLD
    model.rule_precision_ = 0.0  # no floor: the rule's parts are weighed like the rest
    model.training_rows_ = 0
    model.training_sources_ = {"rules": RULES_SOURCE}
    model.models_ = {}
    for name, features in FEATURE_SETS.items():
        weights = [WEIGHTS[f] for f in features]
        model.models_[name] = LinearModel(tuple(features), tuple(ref for _, ref in weights),
                                          tuple(1.0 for _ in weights), tuple(w for w, _ in weights),
                                          ZERO_LOGIT + sum(w * ref for w, ref in weights))
    return model
