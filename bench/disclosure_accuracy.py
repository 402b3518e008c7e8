"""Benchmark: precision and recall of disclosure and undisclosed-ad detection on labelled captions.

tests/data/disclosure_captions.csv holds 112 hand-written captions in eight languages with
traps (#adidas, #adventure, #advent, #adhd, "Anzeige erstattet", #reklamacja, "Code is
poetry", sales without a brand). They were written alongside the detector, so they measure
coverage of known cases, not performance on unseen data. Writes
bench/results/disclosure_accuracy.json.

    .venv/bin/python -m bench.disclosure_accuracy
"""

from __future__ import annotations

import csv
import json
import tempfile
from pathlib import Path
from typing import Any

from microscout.metrics.sponsorship import post_disclosure
from microscout.workspace import open_workspace


def evaluate_captions(labelled_csv: Path) -> dict[str, Any]:
    """Import the captions as posts of one account (hashtags and mentions come from the caption,
    as for any bundle without those columns), detect, and compare with the labels."""
    with open(labelled_csv, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(tmp) / "bundle"
        bundle.mkdir()
        (bundle / "accounts.csv").write_text("platform,account_id,handle,followers\ninstagram,1,tester,1000\n")
        with open(bundle / "posts.csv", "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(["platform", "post_id", "account_id", "created_at", "caption", "is_paid_partnership", "language"])
            for r in rows:
                w.writerow(["instagram", r["id"], "1", "2026-10-01T00:00:00Z", r["caption"], r["is_paid_partnership"],
                            r["language"]])
        with open_workspace(db=Path(tmp) / "ws.duckdb") as ws:
            ws.import_bundle(bundle)
            found = post_disclosure(ws.table("posts")).select("post_id", "disclosed", "undisclosed_suspected").execute()
    got = {r.post_id: (bool(r.disclosed), bool(r.undisclosed_suspected)) for r in found.itertuples()}
    result: dict[str, Any] = {"captions": len(rows), "languages": sorted({r["language"] for r in rows})}
    for k, name in ((0, "disclosed"), (1, "undisclosed_ad")):
        tp = sum(1 for r in rows if got[r["id"]][k] and r[name] == "1")
        fp = sum(1 for r in rows if got[r["id"]][k] and r[name] != "1")
        fn = sum(1 for r in rows if not got[r["id"]][k] and r[name] == "1")
        result[name] = {
            "precision": tp / (tp + fp) if tp + fp else None, "recall": tp / (tp + fn) if tp + fn else None,
            "true_positives": tp, "false_positives": fp, "false_negatives": fn,
            "errors": [r["caption"] for r in rows if got[r["id"]][k] != (r[name] == "1")],
        }
    return result


CAPTIONS = Path(__file__).parent.parent / "tests" / "data" / "disclosure_captions.csv"

if __name__ == "__main__":
    from bench.machine import machine, now

    result = evaluate_captions(CAPTIONS)
    out = {"benchmark": "disclosure_accuracy", "date": now(), "machine": machine(),
           "world_size": f"{result['captions']} labelled captions", **result}
    target = Path(__file__).parent / "results" / "disclosure_accuracy.json"
    target.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: {m: v for m, v in out[k].items() if m != "errors"} for k in ("disclosed", "undisclosed_ad")},
                     indent=2))
