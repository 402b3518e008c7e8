"""The plan's strategies in words, translated where they are shown (the chart, the planner page)."""

from __future__ import annotations

from microscout.translations import N_

STRATEGY_NAMES = {"micro_portfolio": N_("many micro-influencers"), "single_macro": N_("one macro-influencer"),
                  "mixed": N_("macro and micro mixed")}
