"""Who a plan may spend on: the brief's relevant creators, without the caution flags the settings
exclude; every choice counted, so the plan can say what it left out and why.

Scout ranks everyone who passes the brief's hard filters, down to creators barely on its subject.
A plan that maximises reach over all of them buys the cheapest audiences, whatever they talk
about: a bakery's plan spends on make-up and gaming. So a plan keeps only creators whose
relevance reaches a floor (when the brief asks for relevance at all), and leaves out creators
with a caution flag its policy excludes (inactive ones by default) unless the brief allows that
flag. A flag the policy penalises keeps its creators in the pool, but the planner counts their
posts at a discount (FLAG_PENALTY, see strategies.penalised_pool). Fraud flags never get this far:
scout leaves them out unless the brief allows them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import pandas as pd

from microscout.metrics.vet import FLAG_KEYS, FRAUD_FLAGS

Policy = Literal["exclude", "penalise", "allow"]
_CHOICES: dict[str, Policy] = {"exclude": "exclude", "penalise": "penalise", "penalize": "penalise", "allow": "allow"}
CAUTION_FLAGS = tuple(k for k in FLAG_KEYS if k not in FRAUD_FLAGS)
# a creator that stopped posting, hides its audience, works for a competitor or hides its ads is
# not one to pay; the others are shown beside each pick for the marketer to weigh
DEFAULT_POLICY: dict[str, Policy] = {"inactive": "exclude", "private": "exclude", "competitor_partner": "exclude",
                                     "undisclosed_ads": "exclude", "growth_spike": "allow",
                                     "generic_comments": "allow", "heavy_sponsorship": "allow"}
# a penalised creator's post counts this share less than what it reaches on its own: it is picked
# only where it still brings more per euro than the unflagged creators left
FLAG_PENALTY = 0.5
DEFAULT_MIN_RELEVANCE = 0.25
# relevance is on one scale, but how high a brief's best match reaches depends on the data (how
# many words, tags and posts it has): the floor never rises above this share of the best match,
# so a brief whose best creators match weakly still gets a plan of its best matches
RELATIVE_FLOOR = 0.5


def relevance_floor(relevance: pd.Series, min_relevance: float) -> float:
    """The floor a plan applies: the setting, or half the best candidate's relevance if lower."""
    best = float(relevance.max()) if relevance.notna().any() else 0.0
    return min(min_relevance, RELATIVE_FLOOR * best)


def flag_policy(given: Mapping[str, str] | None) -> dict[str, Policy]:
    """The default policy with the settings' choices over it; an unknown flag or choice is refused."""
    from microscout.exceptions import SettingsError

    policy = dict(DEFAULT_POLICY)
    for flag, choice in (given or {}).items():
        if flag not in CAUTION_FLAGS:
            raise SettingsError(f"plan_flags: '{flag}' is not a caution flag: expected one of "
                                f"{', '.join(CAUTION_FLAGS)} (fraud flags are allowed per brief: allow_flags)")
        if choice not in _CHOICES:
            raise SettingsError(f"plan_flags.{flag}: '{choice}': expected exclude, penalise or allow")
        policy[flag] = _CHOICES[choice]
    return policy


def plan_pool(scored: pd.DataFrame, floor: float, policy: Mapping[str, Policy],
              allowed: tuple[str, ...]) -> tuple[pd.DataFrame, dict[str, int]]:
    """The scored creators a plan may pick from, and how many each rule left out (a creator left
    out by several rules counts under the first: relevance below `floor`, then the flags in
    policy order)."""
    keep = pd.Series(True, index=scored.index)
    left: dict[str, int] = {}
    relevance = scored["relevance"] if "relevance" in scored else pd.Series(dtype=float)
    if relevance.notna().any():  # the brief asks for relevance
        low = relevance.fillna(0.0) < floor
        left["below_relevance"] = int((keep & low).sum())
        keep &= ~low
    for flag, choice in policy.items():
        column = f"flag_{flag}"
        if choice != "exclude" or flag in allowed or column not in scored:
            continue
        flagged = scored[column].fillna(False).astype(bool)
        left[flag] = int((keep & flagged).sum())
        keep &= ~flagged
    return scored[keep], {k: v for k, v in left.items() if v}


def penalised_flags(policy: Mapping[str, Policy], allowed: tuple[str, ...]) -> list[str]:
    """The flags whose creators a plan counts at a discount (a brief's allow_flags wins)."""
    return [f for f, c in policy.items() if c == "penalise" and f not in allowed]


def choices_record(min_relevance: float, policy: Mapping[str, Policy], allowed: tuple[str, ...],
                   left_out: dict[str, int], relevance_asked: bool) -> dict[str, Any]:
    """What the plan chose to leave out and to weigh down, for its output."""
    excluded = [f for f, c in policy.items() if c == "exclude" and f not in allowed]
    penalised = penalised_flags(policy, allowed)
    return {"min_relevance": min_relevance if relevance_asked else None,
            "excluded_flags": excluded,
            "penalised_flags": penalised,
            "flag_penalty": FLAG_PENALTY,
            "allowed_flags": [f for f in CAUTION_FLAGS if f not in excluded and f not in penalised],
            "left_out": left_out}


def choices_lines(choices: dict[str, Any]) -> list[str]:
    """The choices in words: 'Left out: 31 creators below relevance 0.25, 2 inactive.'"""
    from microscout.sentences import join, say, say_n

    parts = []
    for reason, n in choices["left_out"].items():
        if reason == "below_relevance":
            parts.append(say_n("{count:int} creator below relevance {floor:f2} (off the brief's subject)",
                               "{count:int} creators below relevance {floor:f2} (off the brief's subject)", n,
                               floor=choices["min_relevance"]))
        else:
            parts.append(say_n("{count:int} creator flagged {flag}", "{count:int} creators flagged {flag}", n,
                               flag=reason))
    lines: list[str] = [say("Left out: {who}.", who=join("; ", parts)) if parts
                        else say("No creator left out by relevance or flags.")]
    allowed = choices["allowed_flags"]
    if choices["excluded_flags"]:
        lines.append(say("Never picked: creators flagged {flags} (setting plan_flags); picks may carry {allowed}.",
                         flags=choices["excluded_flags"], allowed=allowed) if allowed
                     else say("Never picked: creators flagged {flags} (setting plan_flags).",
                              flags=choices["excluded_flags"]))
    else:
        lines.append(say("No flag rules a creator out (setting plan_flags); picks may carry {allowed}.",
                         allowed=allowed) if allowed else say("No flag rules a creator out (setting plan_flags)."))
    if choices.get("penalised_flags"):
        either = say(" or ")  # a call of its own: pybabel finds no say() inside another's arguments
        lines.append(say("Weighed down: a creator flagged {flags} counts {penalty:pct0} less of its own reach, so it "
                         "is picked only where it still brings more for its price than the others.",
                         flags=join(either, choices["penalised_flags"]), penalty=choices["flag_penalty"]))
    return lines
