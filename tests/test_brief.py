"""The brief of SCHEMA.md §2 loads key by key; anything else is a clear error."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from microscout.brief import Brief, BriefError, Persona, Weights, brief_from_dict, load_brief

SCHEMA_EXAMPLE = '''
name = "Vegan bakery, Berlin launch"
topic = "vegan baking, plant-based cakes and pastries"
keywords = ["vegan", "bakery", "cake"]
hashtags = ["veganbacken", "#VeganBerlin"]
locations = ["Berlin, DE"]
languages = ["de"]
platforms = ["instagram", "tiktok"]
strict_place = false
tier_scheme = "default"
tiers = ["nano", "micro"]
min_followers = 1000
max_followers = 50000
brand_accounts = ["instagram:4711"]
competitors = ["@Oatly"]
exclude = ["instagram:123", "bluesky:did:plc:abc"]
allow_flags = []
budget = 5000
currency = "EUR"

[persona]
countries = ["DE"]
cities = ["Berlin"]
languages = ["de"]
age = [20, 35]
gender = "any"

[weights]
relevance = 3.0
place = 1.0
authenticity = 2.0
engagement = 1.0
community = 1.0
audience_match = 1.0
brand_fit = 1.0

[plan]
objective = "unique_reach"
min_creators = 5
max_creators = 30
max_posts_per_creator = 3
tier_mix = {micro = [0.5, 1.0]}
platform_mix = {instagram = [0.0, 1.0]}
'''


def test_the_schema_example_loads(tmp_path):
    path = tmp_path / "brief.toml"
    path.write_text(SCHEMA_EXAMPLE, encoding="utf-8")
    b = load_brief(path)
    assert b.name == "Vegan bakery, Berlin launch" and b.hashtags == ("veganbacken", "veganberlin")
    assert b.competitors == ("oatly",) and b.tiers == ("nano", "micro") and b.budget == 5000.0
    assert b.persona.age == (20, 35) and b.persona.countries == ("DE",)
    assert b.weights.relevance == 3.0 and b.plan.tier_mix == {"micro": (0.5, 1.0)}
    assert brief_from_dict({"name": "x"}).weights.authenticity == 2.0


@pytest.mark.parametrize("data, message", [
    ({}, "key 'name' is required"),
    ({"name": "x", "budgett": 5}, "unknown key 'budgett': expected one of name, topic"),
    ({"name": "x", "topic": ""}, "key 'topic': '' is not non-empty text"),
    ({"name": "x", "platforms": ["myspace"]}, "key 'platforms': ['myspace'] is not a list of platforms"),
    ({"name": "x", "min_followers": -1}, "key 'min_followers': -1 is not a whole number ≥ 0"),
    ({"name": "x", "min_followers": 10, "max_followers": 5}, "min_followers 10 is above max_followers 5"),
    ({"name": "x", "persona": {"age": [35, 20]}}, "key 'persona.age': [35, 20] is not [youngest, oldest]"),
    ({"name": "x", "persona": {"gender": "all"}}, "key 'persona.gender': 'all' is not one of any, female, male"),
    ({"name": "x", "weights": {"relevance": -1}}, "key 'weights.relevance': -1 is not a number ≥ 0"),
    ({"name": "x", "plan": {"tier_mix": {"micro": [0.8, 0.2]}}}, "key 'plan.tier_mix.micro': [0.8, 0.2]"),
    ({"name": "x", "exclude": ["lena"]}, "key 'exclude': 'lena' is not an account reference"),
    ({"name": "x", "allow_flags": ["fake"]}, "key 'allow_flags': ['fake'] is not a list of flags"),
])
def test_bad_briefs_name_the_key_value_and_expectation(data, message):
    with pytest.raises(BriefError, match=message.replace("[", r"\[").replace("]", r"\]")):
        brief_from_dict(data)


def test_a_brief_with_several_mistakes_names_the_first_in_the_checkers_order():
    data = {"name": "x", "min_followers": 10, "max_followers": 5, "plan": {"objective": "most"},
            "persona": {"age": [35, 20]}}
    with pytest.raises(BriefError, match=r"^f.toml: key 'persona.age': \[35, 20\] is not"):
        brief_from_dict(data, where="f.toml")
    with pytest.raises(BriefError, match=r"^brief: key 'plan.objective': 'most' is not one of"):
        brief_from_dict({**data, "persona": {}})


def test_a_brief_is_a_frozen_model_checked_on_construction_in_the_checkers_words():
    b = Brief(name=" x ", hashtags=("#VeganBerlin",), persona=Persona(age=(20, 35)))
    assert (b.name, b.hashtags, b.persona.age, b.weights) == ("x", ("veganberlin",), (20, 35), Weights())
    with pytest.raises(ValidationError, match=r"brief: key 'persona\.gender': 'all' is not one of any, female, male"):
        Persona(gender="all")
    with pytest.raises(ValidationError, match="brief: unknown key 'budgett'"):
        Brief(name="x", budgett=5)  # type: ignore[call-arg]
    with pytest.raises(ValidationError, match="frozen"):
        b.name = "y"  # type: ignore[misc]
    assert b.model_copy(update={"tiers": ("nano",)}).tiers == ("nano",) and b.tiers == ()
    schema = Brief.model_json_schema()
    assert schema["required"] == ["name"] and schema["additionalProperties"] is False
    assert {"persona", "weights", "plan"} <= set(schema["properties"]) and "PlanSettings" in schema["$defs"]


def test_what_only_pydantic_refuses_is_a_brief_error_too():
    with pytest.raises(BriefError, match=r"^brief: key 'plan.tier_mix.1.\[key\]': Input should be a valid string"):
        brief_from_dict({"name": "x", "plan": {"tier_mix": {1: [0.0, 1.0]}}})


def test_vet_uses_the_briefs_competitors(tmp_path):
    from tests.test_cli import SAMPLE, run

    (tmp_path / "brief.toml").write_text('name = "x"\ncompetitors = ["Kornblume.Berlin"]\n', encoding="utf-8")
    assert run("import", str(SAMPLE), "--db", "ws.duckdb", cwd=tmp_path).returncode == 0
    r = run("vet", "@lena.bakes", "--brief", "brief.toml", "--db", "ws.duckdb", "--format", "json", cwd=tmp_path)
    assert "competitor_partner" in json.loads(r.stdout)["flags"]
    (tmp_path / "bad.toml").write_text('name = "x"\ncompetitor = ["a"]\n', encoding="utf-8")
    r = run("vet", "@lena.bakes", "--brief", "bad.toml", "--db", "ws.duckdb", cwd=tmp_path)
    assert r.returncode == 2 and "unknown key 'competitor'" in r.stderr


def test_unreadable_and_invalid_files(tmp_path):
    with pytest.raises(BriefError, match="cannot read the brief"):
        load_brief(tmp_path / "missing.toml")
    (tmp_path / "bad.toml").write_text("name = \n", encoding="utf-8")
    with pytest.raises(BriefError, match=r"bad.toml: is not valid TOML"):
        load_brief(tmp_path / "bad.toml")


def test_a_place_must_be_a_city_a_city_with_its_country_code_or_a_code():
    from microscout.brief import BriefError, brief_from_dict

    with pytest.raises(BriefError, match=r"'Berlin, Germany' is not a place: expected a city \('Berlin'\), a city "
                                         r"and its two-letter country code \('Berlin, DE'\) or a country code"):
        brief_from_dict({"name": "x", "locations": ["Berlin, Germany"]})
    assert brief_from_dict({"name": "x", "locations": ["Berlin, DE", "DE", "Kraków"]}).locations == (
        "Berlin, DE", "DE", "Kraków")


def test_the_web_form_keeps_a_city_with_its_country_code_as_the_cli_does():
    from microscout.web.pages import brief_from_form

    brief = brief_from_form({"name": "x", "locations": "Berlin, DE, Hamburg, Kraków, pl, AT"})
    assert brief["locations"] == ["Berlin, DE", "Hamburg", "Kraków, PL", "AT"]


def test_numbers_read_as_english():
    from microscout.words import ordinal, plural

    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 32, 100, 111, 122)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "32nd", "100th", "111th", "122nd"]
    assert (plural(1, "post"), plural(3, "post"), plural(1200, "follower")) == ("1 post", "3 posts", "1,200 followers")
