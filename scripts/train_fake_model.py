"""Train the fake-account model microscout ships, on every labelled source, with the threshold chosen
on the source left out; writes src/microscout/authenticity/fake_model.json.

    .venv/bin/python scripts/train_fake_model.py
"""

from __future__ import annotations

import json
from pathlib import Path

from microscout.authenticity.datasets import LABELLED_SOURCES, load_labelled_sources
from microscout.authenticity.evaluation import train_on_sources

OUT = Path(__file__).parent.parent / "src" / "microscout" / "authenticity" / "fake_model.json"

if __name__ == "__main__":
    described = {k: f"{platform}: {text}" for k, (platform, text) in LABELLED_SOURCES.items()}
    model, report = train_on_sources(load_labelled_sources(), described)
    OUT.write_text(model.to_json() + "\n", encoding="utf-8")
    print(json.dumps({"threshold": report["threshold"], "rule_precision": model.rule_precision_,
                      "feature_sets": sorted(model.models_)}, indent=1))
