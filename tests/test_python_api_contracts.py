"""The Python API answers in the contracts' shapes (microscout.contracts), the same ones the REST
API declares and the CLI's client of a server checks: a key a contract names is never missing
or of another type, whichever face a user takes."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from microscout import contracts as c
from microscout import open_workspace
from microscout.campaigns.track import campaign_for

ROOT = Path(__file__).resolve().parents[1]
BRIEF = ROOT / "examples" / "brief-vegan-berlin.toml"


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Any:
    w = open_workspace(db=tmp_path_factory.mktemp("api") / "ws.duckdb", config_file=None, topic_model="none")
    w.import_bundle(ROOT / "examples" / "sample-bundle")
    w.analyze()
    yield w
    w.close()


def _holds(contract: Any, answer: Any) -> Any:
    """The answer read as its contract: pydantic raises, naming the key, if one is missing or of
    another type."""
    return TypeAdapter(contract).validate_python(answer)


def test_info_vet_and_creators_hold_their_contracts(ws: Any) -> None:
    info = _holds(c.InfoOut, ws.info())
    assert info.tables["accounts"].rows == 6
    vet = _holds(c.VetOut, ws.vet("instagram:@lena.bakes"))
    assert vet.handle == "lena.bakes"
    rows, total = ws.creators(limit=10)
    listed = _holds(c.CreatorsOut, {"items": rows, "total": total})
    assert listed.total == len(rows) > 0


def test_discovery_answers_hold_the_scout_contract(ws: Any) -> None:
    scout = _holds(c.ScoutOut, ws.scout_records(BRIEF, limit=10))
    assert scout.brief and scout.results
    _holds(c.ScoutOut, ws.similar("instagram:@lena.bakes", limit=5))
    _holds(c.ScoutOut, ws.mentions(["@kornblume.berlin"], limit=5))
    _holds(c.HashtagsOut, ws.niche_hashtags("vegan baking", None, limit=5))


def test_plan_holds_the_plan_contract(ws: Any) -> None:
    plan = _holds(c.PlanOut, ws.plan(BRIEF, budget=1_000))
    assert plan.budget == 1_000


def test_campaign_answers_hold_their_contracts(ws: Any) -> None:
    changed = _holds(c.Relationship, ws.relate("instagram:@lena.bakes", "kornblume.berlin",
                                               {"stage": "contacted"}, version=0))
    assert changed.stage == "contacted"
    _holds(list[c.Relationship], ws.pipeline("kornblume.berlin"))
    _holds(list[c.Change], ws.relationship_history("instagram:@lena.bakes", "kornblume.berlin"))
    campaign = campaign_for(ws.settings, "kornblume.berlin", date(2026, 1, 1), date(2026, 12, 31))
    _holds(c.TrackOut, ws.track(campaign, "kornblume.berlin"))


def test_shortlists_and_fakes_hold_their_contracts(ws: Any) -> None:
    ws.add_to_shortlist("launch", "instagram:@lena.bakes")
    _holds(dict[str, list[c.ShortlistMember]], ws.shortlists())
    _holds(c.ShortlistOut, {"name": "launch", "items": ws.shortlist("launch")})
    fakes = _holds(list[c.FakeScore], ws.fakes())
    assert len(fakes) == 6
