"""Disclosure detection on 112 labelled captions in eight languages, traps included."""

from __future__ import annotations

from bench.disclosure_accuracy import CAPTIONS, evaluate_captions


def test_disclosure_and_undisclosed_ads_on_labelled_captions():
    result = evaluate_captions(CAPTIONS)
    assert result["captions"] >= 100 and len(result["languages"]) >= 6
    assert result["disclosed"]["precision"] == 1.0          # no trap (#adidas, #adventure, ...) counts
    assert result["disclosed"]["recall"] >= 0.95
    assert result["undisclosed_ad"]["recall"] >= 0.95
    assert result["undisclosed_ad"]["precision"] >= 0.9
