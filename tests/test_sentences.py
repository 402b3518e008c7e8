"""The analytics' sentences: English text for the CLI and the API, the same sentence said in each
dashboard language with the locale's numbers, and nothing lost when a record is copied."""

from __future__ import annotations

import copy
import json
import pickle
import string

import pytest

from microscout.metrics.vet import flag_reasons, vet_record
from microscout.plan.pool import choices_lines
from microscout.sentences import Sentence, join, render, say, say_n, templates
from microscout.translations import LANGUAGES, SOURCE

OTHERS = [x for x in LANGUAGES if x != SOURCE]

# a creator that raises every flag whose sentence has values, with figures known by hand
FLAGGED = {
    "platform": "instagram", "account_id": "1", "handle": "lena", "followers": 12000, "tier": "micro",
    "rate_median": 0.004, "vs_tier": 0.2, "tier_median": 0.02, "tier_sample": 40, "posts_used": 12,
    "weekly_rate": 0.0052, "growth_days": 90, "posts_per_week": 3.5, "sponsored_share": 0.5,
    "brands": ["oatly", "alpro"], "brand_count": 2, "repeat_commenter_share": 0.3, "reply_rate": 0.25,
    "audience_quality": 41, "followers_fake_share": 0.58, "followers_sample": 1300,
    "fake_follower_share_lo": 0.5, "fake_follower_share_hi": 0.66, "platform_fake_share": 0.1,
    "_followers_fakes": 100, "_followers_fake_no_picture": 71, "followers_mass_share": 0.12,
    "flag_bought_followers": True, "flag_engagement_pod": True, "pod_members": ["a", "b", "lena"],
    "pod_coverage": 0.5, "pod_median_minutes": 12, "flag_inactive": True, "days_since_last_post": 75,
    "flag_heavy_sponsorship": True, "flag_undisclosed_ads": True, "undisclosed_suspected": 1,
    "flag_generic_comments": True, "generic_comment_share": 0.4, "flag_growth_spike": True,
    "flag_competitor_partner": True, "flag_bought_engagement": True, "likes_per_comment_spread": 3.0,
    "spread_posts": 9, "flag_private": True,
}
SPIKES = [{"at": "2026-03-10T00:00:00Z", "followers_added": 9800}]


def test_a_sentence_is_its_english_text():
    s = say("{share:pct1} of {n:int} sampled followers, {vs:f2}× the median, {g:+pct2} a week, the {r:ord}, "
            "on {d:date}: {brands}", share=0.4, n=1234, vs=0.2, g=-0.0052, r=93, d="2026-03-10T00:00:00Z",
            brands=["alpro", "oatly"])
    assert s == "40.0% of 1,234 sampled followers, 0.20× the median, -0.52% a week, the 93rd, on 2026-03-10: alpro, oatly"
    assert isinstance(s, str) and json.dumps([s]) == json.dumps([str(s)])
    assert say("{x:pct1} known", x=None) == "unknown known"


def test_a_sentence_is_said_with_each_locales_numbers_and_dates():
    s = say("{share:pct1} of {n:int}, {vs:f2}×, {g:+pct2}, the {r:ord}, on {d:date}", share=0.4, n=1234, vs=0.2,
            g=0.0052, r=93, d="2026-03-10")
    # a template no catalog holds is said in English, with the locale's figures
    assert render(s, "de") == "40,0\u00a0% of 1.234, 0,20×, +0,52\u00a0%, the 93., on 10.03.2026"
    assert render(s, "nl") .endswith("the 93e, on 10 mrt 2026")
    assert render(s, "en") == "40.0% of 1,234, 0.20×, +0.52%, the 93rd, on Mar 10, 2026"
    assert render("plain text", "de") == "plain text" and render(None, "de") == ""


def test_the_words_of_a_number_follow_each_languages_plural_rules():
    one, two, five = (say_n("{count} recent post promotes a brand with a code or link but carries no disclosure.",
                            "{count} recent posts promote a brand with a code or link but carry no disclosure.", n)
                      for n in (1, 2, 5))
    assert one.startswith("1 recent post promotes") and five.startswith("5 recent posts promote")
    # Polish has a form for 2-4 and another for 5 and more
    assert render(two, "pl").startswith("2 ostatnie posty") and render(five, "pl").startswith("5 ostatnich postów")
    assert len({render(one, "pl"), render(two, "pl").replace("2", "5"), render(five, "pl")}) == 3


def test_joined_copied_and_pickled_sentences_keep_their_phrases():
    s = (say("Relevance {r:f2}: {why}", r=0.5, why=join("; ", [say("no match"), "x"])) + ".").capitalised()
    assert s == "Relevance 0.50: no match; x."
    for kept in (copy.deepcopy(s), pickle.loads(pickle.dumps(s)), copy.copy({"r": [s]})["r"][0]):
        assert isinstance(kept, Sentence) and kept == s and templates(kept) == templates(s)
    assert templates(s) == ["Relevance {r:f2}: {why}", "no match"]
    assert render(s, "de").startswith("Relevanz 0,50") or render(s, "de").startswith("Relevance 0,50")
    # other str operations give plain English, as any text
    assert type(s.upper()) is str and type(s[:3]) is str


def _english_left(text: Sentence, lang: str) -> list[str]:
    """Runs of three or more English words from the sentence's templates found in its rendering."""
    said = render(text, lang)
    left = []
    for template in templates(text):
        for literal, *_ in string.Formatter().parse(template):
            words = literal.strip(" ,;:.()").split()
            if len(words) >= 3 and " ".join(words) in said:
                left.append(" ".join(words))
    return left


def _sentences() -> list[Sentence]:
    record = vet_record(FLAGGED, SPIKES, "default")
    choices = {"left_out": {"below_relevance": 31, "inactive": 1}, "min_relevance": 0.25,
               "excluded_flags": ["inactive"], "allowed_flags": ["growth_spike"],
               "penalised_flags": ["generic_comments", "heavy_sponsorship"], "flag_penalty": 0.5}
    return [*record["reasons"], *flag_reasons(FLAGGED, SPIKES).values(), *choices_lines(choices)]


def test_every_reason_and_note_is_a_sentence_with_english_text():
    said = _sentences()
    assert len(said) == 19 and all(isinstance(s, Sentence) for s in said)
    assert said[0].startswith("Audience quality 41/100: 58.0% of 1,300 sampled followers look fake (no picture 71% "
                              "of them); 12.0% are mass followers")
    assert any("58.0% of 1,300 sampled followers look fake (95% interval 50.0%–66.0%)" in s for s in said)
    assert "Weighed down: a creator flagged generic_comments or heavy_sponsorship counts 50% less" in said[-1]


@pytest.mark.parametrize("lang", OTHERS)
def test_every_reason_and_note_is_said_in_each_language(lang):
    left = {s: found for s in _sentences() if (found := _english_left(s, lang))}
    assert not left, f"{lang}: English left in {left}"
