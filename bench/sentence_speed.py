"""Benchmark: the cost of the analytics' sentences (issue 19: reasons, flag reasons and the
planner's notes said in the page's language). Times building a vet record and a scout result for
a creator that raises every flag (its English sentences carry their templates and values), then
saying all of them again in German, Polish, Danish and Dutch, against the same record's English
text written with plain f-strings as the baseline in the same run. Writes
bench/results/sentence_speed.json.

    .venv/bin/python -m bench.sentence_speed [--before OLD_CHECKOUT/src]

`--before` times the same two records on a checkout before the sentences (git worktree add
/tmp/before 16d71e7), for the ratio of the change in the same run.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from tests.test_sentences import FLAGGED, SPIKES

from bench.machine import machine, now
from microscout.discovery.scout import result_record
from microscout.metrics.vet import flag_reasons, vet_record
from microscout.sentences import render

HERE = Path(__file__).parent
ROUNDS = 2000
SCOUT_ROW = {**FLAGGED, "rank": 1, "score": 0.71, "relevance": 0.8, "place": 1.0, "authenticity": 0.41,
             "engagement": 0.3, "brand_fit": 0.8, "matched_list": ["vegan", "kuchen"],
             "matched_tags": ["veganbacken"], "hashtag_share": 0.4, "topic_similarity": 0.62, "city": "Berlin",
             "country": "DE", "language": "de", "place_city_posts": 4, "engagement_rank": 0.93}
ASKED = ["relevance", "place", "authenticity", "engagement", "brand_fit"]


def per_call_us(work: Callable[[], object], rounds: int = ROUNDS) -> float:
    """The median of 5 runs of `rounds` calls, in microseconds per call."""
    runs = []
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(rounds):
            work()
        runs.append((time.perf_counter() - t) / rounds * 1e6)
    return round(statistics.median(runs), 1)


def plain_english() -> list[str]:
    """The baseline: the record's English reasons written as f-strings, as before the sentences."""
    m = FLAGGED
    return [f"Audience quality {m['audience_quality']}/100: {m['followers_fake_share'] * 100:.1f}% of "
            f"{m['followers_sample']:,} sampled followers look fake",
            f"Engagement {m['rate_median'] * 100:.1f}% (median of {m['posts_used']} recent posts), "
            f"{m['vs_tier']:.1f}× the median of its tier ({m['tier_median'] * 100:.1f}% across {m['tier_sample']} "
            f"{m['tier']} {m['platform']} creators here).",
            f"Followers grow {m['weekly_rate'] * 100:+.2f}% a week over the last {m['growth_days']:.0f} days.",
            f"Posts {m['posts_per_week']:.1f} times a week.",
            f"{m['sponsored_share'] * 100:.1f}% of recent posts are disclosed ads (brands: {', '.join(m['brands'])}).",
            f"{m['repeat_commenter_share'] * 100:.1f}% of sampled comments come from people who comment again and "
            f"again; the creator answers {m['reply_rate'] * 100:.1f}% of them."]


# run in the old checkout, with this module's own timing loop (its source, below)
_BEFORE = """
from __future__ import annotations
import json, os, statistics, time
from microscout.discovery.scout import result_record
from microscout.metrics.vet import flag_reasons, vet_record
data = json.loads(os.environ["SENTENCE_BENCH_DATA"])
m, spikes, row, asked, ROUNDS = data["m"], data["spikes"], data["row"], data["asked"], data["rounds"]
{per_call_us}
print(json.dumps({{"vet": per_call_us(lambda: vet_record(m, spikes, "default")),
                   "scout": per_call_us(lambda: result_record(row, asked, flag_reasons(m, spikes)))}}))
"""


def before_us(src: str) -> dict[str, float]:
    """vet_record and result_record timed on the code before the sentences (`src`: that checkout's
    src folder), in a process of its own, on the same creator and the same loop."""
    data = json.dumps({"m": FLAGGED, "spikes": SPIKES, "row": SCOUT_ROW, "asked": ASKED, "rounds": ROUNDS})
    env = {**os.environ, "PYTHONPATH": src, "SENTENCE_BENCH_DATA": data}
    code = _BEFORE.format(per_call_us=inspect.getsource(per_call_us))
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True,
                         cwd=src)
    return dict(json.loads(run.stdout.strip().splitlines()[-1]))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", help="src folder of a checkout before the sentences, for the baseline")
    args = parser.parse_args()
    record = vet_record(FLAGGED, SPIKES, "default")
    scout = result_record(SCOUT_ROW, ASKED, flag_reasons(FLAGGED, SPIKES))
    said = [*record["reasons"], *record["flag_reasons"].values(), *scout["reasons"]]
    baseline = per_call_us(plain_english)
    before = before_us(args.before) if args.before else None
    build_vet = per_call_us(lambda: vet_record(FLAGGED, SPIKES, "default"))
    build_scout = per_call_us(lambda: result_record(SCOUT_ROW, ASKED, flag_reasons(FLAGGED, SPIKES)))
    say_all = {lang: per_call_us(lambda lang=lang: [render(s, lang) for s in said], ROUNDS // 4)
               for lang in ("en", "de", "pl", "da", "nl")}
    figures = [
        {"figure": "plain_english_reasons_us", "value": baseline, "unit": "µs",
         "note": "baseline: 6 reasons as f-strings, as before"},
        {"figure": "vet_record_us", "value": build_vet, "unit": "µs",
         "note": f"a creator raising every flag: {len(record['reasons'])} reasons and "
                 f"{len(record['flag_reasons'])} flag reasons, as Sentences"},
        {"figure": "scout_result_us", "value": build_scout, "unit": "µs",
         "note": f"one scout result with {len(scout['reasons'])} reasons and its flag reasons"},
        {"figure": "vet_record_vs_plain", "value": round(build_vet / baseline, 1), "unit": "x"},
        *([{"figure": "vet_record_before_us", "value": before["vet"], "unit": "µs",
            "note": f"the same record by the code before the sentences ({args.before})"},
           {"figure": "vet_record_vs_before", "value": round(build_vet / before["vet"], 2), "unit": "x"},
           {"figure": "scout_result_before_us", "value": before["scout"], "unit": "µs"},
           {"figure": "scout_result_vs_before", "value": round(build_scout / before["scout"], 2), "unit": "x"}]
          if before else []),
        *({"figure": f"say_{len(said)}_sentences_{lang}_us", "value": us, "unit": "µs",
           "note": "every reason and flag reason of the vet record and the scout result, said again"}
          for lang, us in say_all.items()),
        {"figure": "scout_page_50_results_de_ms",
         "value": round(50 * (build_scout + say_all["de"] * len(scout["reasons"]) / len(said)) / 1000, 1),
         "unit": "ms", "note": "50 results built and their reasons said in German: what a search page adds"},
    ]
    out = {"benchmark": "sentence_speed", "date": now(), "machine": machine(),
           "world_size": "one synthetic creator raising every flag (tests/test_sentences.py)",
           "figures": figures}
    (HERE / "results" / "sentence_speed.json").write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    for f in figures:
        print(f"{f['figure']}: {f['value']} {f['unit']}")


if __name__ == "__main__":
    main()
