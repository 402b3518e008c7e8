"""Fraud flags on a demo world with other intensities than the one their thresholds were set on."""

from __future__ import annotations

from bench.fraud_flags import score_flags


def test_bought_followers_on_seed_b_hard_negatives_included():
    result = score_flags()
    flag = result["flags"]["bought_followers"]
    assert flag["true_positives"] >= 10
    assert flag["precision"] >= 0.9 and flag["recall"] >= 0.8
    assert flag["hard_negatives_flagged"] == 0  # viral spikes and giveaways are not bought followers
