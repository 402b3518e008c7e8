"""A plan spends only on the brief's relevant creators, without the caution flags its policy
excludes, and says what it left out: checked by hand on a small table, and against the demo
world's truth (no pick of another niche than the brief's, and no inactive pick)."""

from __future__ import annotations

import itertools
from dataclasses import replace

import duckdb
import pandas as pd
import pytest
from bench.plan_on_subject import BRIEFS

from microscout import open_workspace
from microscout.demo import SIZES, write_world
from microscout.exceptions import SettingsError
from microscout.plan.pool import DEFAULT_POLICY, choices_lines, choices_record, flag_policy, plan_pool

pytestmark = pytest.mark.heavy


def test_the_floor_and_the_flags_leave_out_whom_they_say():
    scored = pd.DataFrame({"relevance": [0.9, 0.1, 0.5, 0.6, 0.7],
                           "flag_inactive": [False, True, True, False, False],
                           "flag_undisclosed_ads": [False, False, False, True, False],
                           "flag_growth_spike": [False, False, False, False, True]})
    kept, left = plan_pool(scored, 0.25, DEFAULT_POLICY, ())
    assert kept.index.tolist() == [0, 4]
    # the second row is below the floor and inactive: counted once, under relevance
    assert left == {"below_relevance": 1, "inactive": 1, "undisclosed_ads": 1}
    # a brief that allows a flag wins over the policy; without relevance asked there is no floor
    kept, left = plan_pool(scored.assign(relevance=float("nan")), 0.25, DEFAULT_POLICY, ("inactive",))
    assert kept.index.tolist() == [0, 1, 2, 4] and left == {"undisclosed_ads": 1}
    choices = choices_record(0.25, DEFAULT_POLICY, ("inactive",), left, relevance_asked=False)
    assert choices["min_relevance"] is None and "inactive" not in choices["excluded_flags"]
    assert choices_lines(choices)[0] == "Left out: 1 creator flagged undisclosed_ads."


def test_the_floor_never_rises_above_half_the_best_match():
    from microscout.plan.pool import relevance_floor

    assert relevance_floor(pd.Series([0.93, 0.4, 0.1]), 0.25) == 0.25
    # data whose best creator matches the brief at 0.3: the floor is 0.15, not an empty plan
    assert relevance_floor(pd.Series([0.3, 0.2, 0.1]), 0.25) == pytest.approx(0.15)
    assert relevance_floor(pd.Series([float("nan")]), 0.25) == 0.0


def test_the_flag_policy_setting_is_checked():
    assert flag_policy({"growth_spike": "exclude"})["growth_spike"] == "exclude"
    with pytest.raises(SettingsError, match="plan_flags: 'bought_followers' is not a caution flag"):
        flag_policy({"bought_followers": "allow"})
    assert flag_policy({"growth_spike": "penalize"})["growth_spike"] == "penalise"
    with pytest.raises(SettingsError, match=r"plan_flags\.inactive: 'punish': expected exclude, penalise or allow"):
        flag_policy({"inactive": "punish"})


# the README's example brief and three more, as the benchmark plans them


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("plan-pool")
    world = write_world(tmp / "w", params=replace(SIZES["small"], accounts=2_000), seed=11)
    truth = duckdb.sql(f"SELECT platform, account_id, niche, inactive FROM "
                       f"read_parquet('{world.truth}/accounts-*.parquet')").df()
    ws = open_workspace(db=tmp / "ws.duckdb", topic_model="auto")  # the topic is what reaches creators barely on it
    ws.import_bundle(world.bundle)
    ws.analyze()
    yield ws, truth
    ws.close()


@pytest.mark.parametrize("niche", sorted(BRIEFS))
def test_every_pick_is_of_the_briefs_niche_and_active(demo, niche):
    ws, truth = demo
    record = ws.plan(BRIEFS[niche])
    assert record["picks"], "a plan with no pick would prove nothing"
    known = truth.set_index(["platform", "account_id"])
    subject = niche.split(",")[0]
    on_subject = 0
    for p in record["picks"]:
        row = known.loc[(p["platform"], p["account_id"])]
        # people with no niche of their own (who tag a brand, its staff) may post on the subject;
        # a creator of another niche may not be picked
        assert row.niche in (subject, None), (p["handle"], row.niche)
        on_subject += row.niche == subject
        assert not row.inactive and "inactive" not in p["flags"], p["handle"]
    assert on_subject >= len(record["picks"]) / 2
    assert record["choices"]["min_relevance"] == 0.25
    if niche.startswith("food"):  # a topic brief reaches creators barely on it: the floor is what keeps them out
        assert record["choices"]["left_out"]["below_relevance"] > 0


def test_a_penalised_flag_spends_less_on_its_creators_and_the_plan_says_so(demo):
    ws, _ = demo
    flags = ("growth_spike", "generic_comments", "heavy_sponsorship")
    budgets = {"allow": 0.0, "penalise": 0.0}
    for choice, brief in itertools.product(budgets, BRIEFS.values()):
        ws.settings.plan_flags = dict.fromkeys(flags, choice)
        try:
            record = ws.plan(brief)
        finally:
            ws.settings.plan_flags = {}
        budgets[choice] += sum(p["cost"] for p in record["picks"] if set(p["flags"]) & set(flags))
        if choice == "penalise":
            assert record["choices"]["penalised_flags"] == list(flags)
            assert not set(flags) & set(record["choices"]["allowed_flags"])
            assert any(line.startswith("Weighed down: a creator flagged growth_spike or generic_comments")
                       for line in choices_lines(record["choices"]))
    assert budgets["allow"] > 0, "the demo brief must have flagged candidates for this to prove anything"
    assert budgets["penalise"] < budgets["allow"]
