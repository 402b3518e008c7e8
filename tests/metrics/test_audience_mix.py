"""The audience breakdown in vet: the platform's figures where the bundle has them, else counted
over the sampled followers' own profiles; shown in the card and on the profile page."""

from __future__ import annotations

import re

import httpx
import pytest
from tests.conftest import csv_of, write_bundle
from tests.web.conftest import running
from typer.testing import CliRunner

from microscout import open_workspace
from microscout.cli import app

ACCOUNTS = "account_id,handle,followers,country,language,contact,external_url"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("mix")
    # anna: 10 sampled followers, 6 in DE, 3 in AT, 1 saying nothing; 4 speak de, 1 en
    followers = [(f"f{j}", f"fan{j}", 50, ("DE" if j < 6 else "AT" if j < 9 else None),
                  ("de" if j < 4 else "en" if j == 4 else None), None, None) for j in range(10)]
    accounts = [("a", "anna", 900, "DE", "de", "anna@example.org", "https://anna.example"),
                ("b", "ben", 800, "PL", "pl", None, None), *followers]
    posts = [(f"{h}{k}", h, f"2026-10-{k + 1:02d}T10:00:00Z", 40, 4) for h in "ab" for k in range(3)]
    # ben's platform reports countries (8 of them: the smallest two summed as 'other') and ages
    audience = [("b", "country", c, s) for c, s in
                (("PL", 0.5), ("DE", 0.2), ("CZ", 0.1), ("SK", 0.06), ("UA", 0.05), ("LT", 0.04), ("LV", 0.03),
                 ("EE", 0.02))]
    audience += [("b", "age", a, s) for a, s in (("25-34", 0.5), ("65+", 0.1), ("18-24", 0.4))]
    files = {"accounts.csv": csv_of(ACCOUNTS, accounts),
             "posts.csv": csv_of("post_id,account_id,created_at,likes,comments", posts),
             "follows.csv": csv_of("follower_id,followee_id", [(f"f{j}", "a") for j in range(10)]
                                   + [(f"f{j}", "b") for j in range(5)]),
             "audience.csv": csv_of("account_id,dimension,value,share", audience)}
    bundle = write_bundle(tmp / "b", files, {"platform": "instagram", "collected_at": "2026-11-01T12:00:00Z"})
    ws = open_workspace(db=tmp / "ws.duckdb", topic_model="none")
    ws.import_bundle(bundle)
    yield ws, tmp / "ws.duckdb"
    ws.close()


def test_counted_over_followers_profiles_when_the_platform_gives_nothing(world):
    ws, _ = world
    record = ws.vet("instagram:@anna")
    mix = record["audience"]["breakdown"]
    assert mix["country"] == {"source": "followers", "sample": 9,
                              "values": [{"value": "DE", "share": round(6 / 9, 4)},
                                         {"value": "AT", "share": round(3 / 9, 4)}]}
    assert mix["language"] == {"source": "followers", "sample": 5,
                               "values": [{"value": "de", "share": 0.8}, {"value": "en", "share": 0.2}]}
    assert mix["gender"] is None and mix["age"] is None  # profiles do not say these
    assert record["contact"] == {"public": "anna@example.org", "website": "https://anna.example"}


def test_the_platforms_own_figures_win_and_long_tails_are_summed(world):
    ws, _ = world
    mix = ws.vet("instagram:@ben")["audience"]["breakdown"]
    # the platform's countries, not ben's 5 sampled followers (all DE/unknown)
    assert mix["country"]["source"] == "platform" and mix["country"]["sample"] is None
    assert [v["value"] for v in mix["country"]["values"]] == ["PL", "DE", "CZ", "SK", "UA", "LT", "other"]
    assert mix["country"]["values"][-1]["share"] == pytest.approx(0.05)
    # ages in their own order, every band kept
    assert [v["value"] for v in mix["age"]["values"]] == ["18-24", "25-34", "65+"]
    # languages are not reported by the platform here: counted over the followers instead
    assert mix["language"]["source"] == "followers" and mix["language"]["sample"] == 5
    assert ws.vet("instagram:@ben")["contact"] == {"public": None, "website": None}


def test_the_vet_card_shows_the_breakdown_and_the_contact(world):
    _, db = world
    out = CliRunner().invoke(app, ["vet", "instagram:@anna", "--db", str(db)], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "country: DE 67%, AT 33% (from 9 sampled followers' profiles)" in out.output
    assert "anna@example.org · https://anna.example" in out.output


def test_the_profile_page_shows_the_breakdown_and_the_contact(world):
    ws, _ = world
    with running(ws) as url:
        html = httpx.get(f"{url}/creators/instagram/b").text
        anna = httpx.get(f"{url}/creators/instagram/a").text
    country = re.search(r'data-dimension="country">(.*?)</table>', html, re.S).group(1)
    assert re.findall(r'<th scope="row">(\w+)</th><td class="num">(\d+)%', country) == [
        ("PL", "50"), ("DE", "20"), ("CZ", "10"), ("SK", "6"), ("UA", "5"), ("LT", "4"), ("other", "5")]
    assert "as the platform reports it" in html and "No public contact" in html
    assert "anna@example.org" in anna and "from 9 sampled followers" in anna
