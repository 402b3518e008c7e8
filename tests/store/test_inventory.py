"""`info` read without the analytics (store/inventory.py) gives what the workspace's own info gives."""

from __future__ import annotations

from pathlib import Path

from tests.test_cli import run

from microscout import open_workspace
from microscout.store.inventory import read_only_inventory

SAMPLE = Path(__file__).parent.parent.parent / "examples" / "sample-bundle"


def test_the_read_only_look_equals_the_workspaces_info_and_steps_aside_for_a_writer(tmp_path):
    db = tmp_path / "ws.duckdb"
    with open_workspace(db=db, topic_model="none") as ws:
        ws.import_bundle(SAMPLE)
        expected = ws.info()
        assert read_only_inventory(db) is None  # held by a writer: the usual way says why
    quick = read_only_inventory(db)
    assert quick == expected
    assert quick["tables"]["accounts"]["rows"] == 6 and quick["platforms"] == {"instagram": {"accounts": 6}}
    assert quick["imports"][0]["rows"] == 27 and quick["imports"][0]["collected_at"].endswith("Z")


def test_an_old_workspace_is_migrated_by_the_usual_way_not_read_as_it_is(tmp_path):
    db = tmp_path / "ws.duckdb"
    with open_workspace(db=db, topic_model="none") as ws:
        ws.import_bundle(SAMPLE)
        ws.store.con.execute("DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)")
    assert read_only_inventory(db) is None
    r = run("info", "--db", "ws.duckdb", "--format", "json", cwd=tmp_path)
    assert r.returncode == 0 and '"rows": 27' in r.stdout
