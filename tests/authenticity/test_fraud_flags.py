"""Fraud flags on a demo world with other intensities than the one their thresholds were set on."""

from __future__ import annotations

from bench.fraud_flags import score_flags


def test_fraud_flags_on_seed_b_hard_negatives_included():
    result = score_flags()
    for name, flag in result["flags"].items():
        assert flag["true_positives"] >= 10, name
        assert flag["precision"] >= 0.9 and flag["recall"] >= 0.8, (name, flag)
        # viral spikes, giveaways, friend groups and large quiet accounts are none of these
        assert flag["hard_negatives_flagged"] == 0, name
