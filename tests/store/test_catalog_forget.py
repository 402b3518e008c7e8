"""The table catalog covers every table a workspace holds, and forget reaches all of them."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from microscout import open_workspace
from microscout.schema import IMPORT_ORDER, TABLES
from microscout.store.catalog import BUNDLE_TABLES, BY_NAME, CATALOG

pytestmark = pytest.mark.heavy

ID, HANDLE, CONTACT = "u-forget-me-77", "Forget.Me.77", "forget.me@example.org"

BUNDLE = {
    "accounts.csv": (
        "platform,account_id,handle,display_name,bio,followers,following,posts_count,contact,collected_at\n"
        f"instagram,{ID},{HANDLE},Fiona,vegan cakes,900,300,40,{CONTACT},2026-11-01\n"
        "instagram,c1,lena.bakes,Lena,Vegan baking with @forget.me.77,5000,400,200,,2026-11-01\n"
        "instagram,c2,ola.piecze,Ola,wypieki,3000,200,100,,2026-11-01\n"
        "instagram,f1,fan.one,,,10,900,0,,2026-11-01\n"
        "tiktok,t9,forget.me.77,Other,not the same person,100,10,3,,2026-11-01\n"),
    "snapshots.csv": (f"platform,account_id,at,followers\ninstagram,{ID},2026-10-01,850\n"
                      "instagram,c1,2026-10-01,4900\n"),
    "posts.csv": (
        "platform,post_id,account_id,created_at,caption,hashtags,mentions,likes,comments\n"
        f"instagram,p1,{ID},2026-10-20,my cake #vegan,vegan,,80,3\n"
        f"instagram,p2,{ID},2026-10-25,another cake @lena.bakes,vegan,lena.bakes,70,2\n"
        "instagram,p3,c1,2026-10-21,baked with @forget.me.77 today #vegan,vegan,forget.me.77,300,4\n"
        "instagram,p4,c1,2026-10-26,thanks Forget.Me.77 and @ola.piecze,vegan,ola.piecze forget.me.77,310,2\n"
        "instagram,p5,c2,2026-10-22,pierogi #vegan,vegan,,150,1\n"
        "tiktok,p6,t9,2026-10-22,hello @forget.me.77,,forget.me.77,5,0\n"),
    "comments.csv": (
        "platform,comment_id,post_id,author_id,author_handle,created_at,text\n"
        f"instagram,k1,p3,{ID},{HANDLE},2026-10-21,so good\n"
        "instagram,k2,p1,c1,lena.bakes,2026-10-20,looks great\n"
        "instagram,k3,p3,f1,fan.one,2026-10-21,@forget.me.77 you were there!\n"
        "instagram,k4,p5,c1,lena.bakes,2026-10-22,yum\n"),
    "follows.csv": (f"platform,follower_id,followee_id\ninstagram,{ID},c1\ninstagram,f1,{ID}\n"
                    "instagram,f1,c1\ninstagram,f1,c2\n"),
    "audience.csv": (f"platform,account_id,dimension,value,share\ninstagram,{ID},country,DE,0.8\n"
                     "instagram,c1,country,DE,0.7\n"),
}


def _text_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return [(str(t), str(c)) for t, c in con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal AND database_name = "
        "current_database() AND (data_type = 'VARCHAR' OR data_type = 'VARCHAR[]')").fetchall()]


def _holders(con: duckdb.DuckDBPyConnection, needle: str) -> set[str]:
    """Every table.column whose text (list cells as text) holds `needle`, case-insensitively."""
    found = set()
    for table, column in _text_columns(con):
        n = con.execute(f'SELECT count(*) FROM "{table}" WHERE contains(lower(CAST("{column}" AS VARCHAR)), ?)',
                        [needle.lower()]).fetchall()[0][0]
        if n:
            found.add(f"{table}.{column}")
    return found


def _full_workspace(ws, make_bundle) -> None:
    ws.import_bundle(make_bundle(BUNDLE))
    ws.analyze(embed=False)
    ws.relate(f"instagram:{ID}", "kornblume", {"stage": "contacted", "contact": "fiona.private@mail.example",
                                               "notes": f"met {HANDLE} at the fair"}, version=0)
    ws.relate("instagram:c1", "kornblume", {"stage": "agreed", "notes": "she knows @forget.me.77"}, version=0)
    ws.add_to_shortlist("winter", f"instagram:{ID}")
    ws.add_to_shortlist("winter", "instagram:c1")


def test_every_table_in_a_used_workspace_is_in_the_catalog(tmp_path, make_bundle):
    with open_workspace(db=tmp_path / "ws.duckdb") as ws:
        _full_workspace(ws, make_bundle)
        ws.import_bundle(make_bundle({"accounts.csv": "platform,account_id,handle,followers\ninstagram,c3,new,50\n",
                                      "posts.csv": "platform,post_id,account_id,created_at\ninstagram,p9,c3,2026-10-27\n"}))
        ws.analyze(embed=False)  # incremental: its scratch tables too
        ws.forget("instagram:c2")
        tables = {r[0] for r in ws.store.con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary").fetchall()}
    assert tables - set(BY_NAME) == set()
    assert {"relationships", "shortlists", "creator_metrics", "discovery_recent"} <= tables


def test_catalog_bundle_tables_are_the_schema_s():
    assert BUNDLE_TABLES == IMPORT_ORDER and set(BUNDLE_TABLES) == set(TABLES)
    for entry in CATALOG:
        assert entry.kind in ("bundle", "derived", "app", "system")
        if entry.kind == "bundle":
            assert set(entry.key) <= set(TABLES[entry.name].names), entry.name


def test_after_forget_no_table_holds_the_id_handle_or_contact(tmp_path, make_bundle):
    db = tmp_path / "ws.duckdb"
    with open_workspace(db=db) as ws:
        _full_workspace(ws, make_bundle)
        before = ws.store.con
        assert _holders(before, ID) and _holders(before, HANDLE) and _holders(before, CONTACT)
        deleted = ws.forget(f"instagram:{ID}")
        con = ws.store.con
        for needle in (ID, HANDLE, CONTACT, "fiona.private@mail.example"):
            # the tiktok account of the same name is another person: its own rows stay
            left = {h for h in _holders(con, needle) if needle != HANDLE or not _only_tiktok(con, h, needle)}
            assert left == set(), f"{needle} is still in {left}"
        assert deleted["posts"] == 2 and deleted["comments"] == 2 and deleted["follows"] == 2
        assert deleted["relationships"] == 1 and deleted["shortlists"] == 1 and deleted["creator_metrics"] == 1
        assert deleted["posts redacted"] == 2  # p3 and p4 (their captions and mentions)
        # what others wrote stays, with the name taken out
        captions = dict(con.execute("SELECT post_id, caption FROM posts WHERE platform = 'instagram'").fetchall())
        assert captions["p3"] == "baked with [forgotten] today #vegan"
        assert captions["p4"] == "thanks [forgotten] and @ola.piecze"
        mentions = dict(con.execute("SELECT post_id, mentions FROM posts").fetchall())
        assert mentions["p4"] == ["ola.piecze"] and mentions["p6"] == ["forget.me.77"]  # tiktok untouched
        assert con.execute("SELECT count(*) FROM relationships").fetchall()[0][0] == 1
        assert [r["account_id"] for r in ws.shortlists()["winter"]] == ["c1"]
        assert ws.vet("instagram:c1")["handle"] == "lena.bakes"  # the workspace still works
    # and a later import of the same bundle does not bring the person back
    with open_workspace(db=db) as ws:
        ws.import_bundle(make_bundle(BUNDLE))
        assert ws.store.con.execute("SELECT count(*) FROM accounts WHERE account_id = ?", [ID]).fetchall()[0][0] == 0
        assert ws.store.con.execute("SELECT count(*) FROM posts WHERE account_id = ?", [ID]).fetchall()[0][0] == 0


def _only_tiktok(con: duckdb.DuckDBPyConnection, holder: str, needle: str) -> bool:
    table, column = holder.split(".")
    cols = {c for t, c in _text_columns(con) if t == table}
    if "platform" not in cols:
        return False
    n = con.execute(f'SELECT count(*) FROM "{table}" WHERE platform <> \'tiktok\' AND '
                    f'contains(lower(CAST("{column}" AS VARCHAR)), ?)', [needle.lower()]).fetchall()[0][0]
    return n == 0


def test_purge_reaches_derived_profile_tables(tmp_path, make_bundle):
    with open_workspace(db=tmp_path / "ws.duckdb") as ws:
        ws.import_bundle(make_bundle({
            "accounts.csv": "platform,account_id,handle,followers,collected_at\ninstagram,1,lena,100,2026-11-01\n"
                            "instagram,3,fan,5,2020-01-01\n",
            "posts.csv": "platform,post_id,account_id,created_at\ninstagram,p1,1,2026-10-01\n"}))
        ws.analyze(embed=False)
        assert ws.purge(older_than_days=365) == {"accounts": 1, "snapshots": 0, "account_fakes": 1}
        left = ws.store.con.execute("SELECT account_id FROM account_fakes").fetchall()
    assert left == [("1",)]


@pytest.mark.spark
def test_forget_on_pyspark_reaches_saved_tables(tmp_path: Path, make_bundle):
    ws = open_workspace(db=tmp_path / "ws.duckdb", backend="pyspark", warehouse=tmp_path / "wh")
    try:
        ws.import_bundle(make_bundle(BUNDLE))
        ws.relate(f"instagram:{ID}", "kornblume", {"stage": "contacted", "contact": CONTACT}, version=0)
        ws.relate("instagram:c1", "kornblume", {"stage": "agreed"}, version=0)
        ws.forget(f"instagram:{ID}")
        assert [r["account_id"] for r in ws.pipeline("kornblume")] == ["c1"]
        assert ID not in set(ws.table("accounts").account_id.execute())
        assert ws.table("forgotten").count().execute() == 1
    finally:
        ws.close()


def _new_creator_then_break(ws, make_bundle, monkeypatch) -> None:
    """Import one more creator, and make the next analyze fail after metrics and fakes are saved."""
    from microscout import analysis

    ws.import_bundle(make_bundle({"accounts.csv": "platform,account_id,handle,followers\ninstagram,c9,new,50\n",
                                  "posts.csv": "platform,post_id,account_id,created_at\n"
                                               "instagram,p9,c9,2026-10-27\n"}))

    def broken(*args, **kwargs):
        raise RuntimeError("killed half-way")

    monkeypatch.setattr(analysis, "save_discovery_index", broken)


def test_an_analyze_that_fails_half_way_publishes_nothing(tmp_path, make_bundle, monkeypatch):
    with open_workspace(db=tmp_path / "ws.duckdb") as ws:
        ws.import_bundle(make_bundle(BUNDLE))
        ws.analyze(embed=False)
        con = ws.store.con
        before = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0]
                  for t in ("creator_metrics", "creator_spikes", "account_fakes", "discovery_recent", "analysis_state")}
        state = con.execute("SELECT state FROM analysis_state").fetchall()
        _new_creator_then_break(ws, make_bundle, monkeypatch)
        with pytest.raises(RuntimeError):
            ws.analyze(embed=False)
        after = {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in before}
        assert after == before
        assert con.execute("SELECT state FROM analysis_state").fetchall() == state
        assert con.execute("SELECT count(*) FROM creator_metrics WHERE account_id = 'c9'").fetchall()[0][0] == 0


def test_on_pyspark_an_analyze_that_fails_half_way_publishes_nothing(tmp_path, make_bundle, monkeypatch):
    ws = open_workspace(db=tmp_path / "ws.duckdb", backend="pyspark", warehouse=tmp_path / "wh")
    try:
        ws.import_bundle(make_bundle(BUNDLE))
        ws.analyze(embed=False)
        derived = ("creator_metrics", "creator_spikes", "account_fakes", "discovery_recent", "analysis_state")
        before = {t: ws.table(t).to_pyarrow() for t in derived}
        folders = sorted(p.name for p in (tmp_path / "wh").glob("derived*"))
        _new_creator_then_break(ws, make_bundle, monkeypatch)
        with pytest.raises(RuntimeError):
            ws.analyze(embed=False, full=True)
        assert {t: ws.table(t).to_pyarrow() for t in derived} == before
        assert sorted(p.name for p in (tmp_path / "wh").glob("derived*")) == folders  # the new folder is gone
        monkeypatch.undo()
        ws.analyze(embed=False, full=True)  # and a whole run still publishes
        assert ws.table("account_fakes").count().execute() == before["account_fakes"].num_rows + 1
    finally:
        ws.close()
