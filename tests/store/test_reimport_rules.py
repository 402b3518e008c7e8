"""Re-imports and newer rows follow the schema's rules; replaced counts become snapshots."""

from __future__ import annotations

from datetime import datetime

from tests.conftest import counts, rows


def _accounts(followers: int, collected_at: str | None, handle: str = "lena") -> str:
    col = ",collected_at" if collected_at is not None else ""
    val = f",{collected_at}" if collected_at is not None else ""
    return f"platform,account_id,handle,followers{col}\ninstagram,1,{handle},{followers}{val}\n"


def test_reimporting_a_bundle_changes_nothing(workspace, make_bundle):
    bundle = make_bundle({"accounts.csv": _accounts(100, None),
                          "posts.csv": "platform,post_id,account_id,created_at\ninstagram,p,1,2026-01-01\n"},
                         {"collected_at": "2026-11-01T00:00:00Z"})
    workspace.import_bundle(bundle)
    before = [rows(workspace, t) for t in ("accounts", "posts", "snapshots")]
    workspace.import_bundle(bundle)
    after = [rows(workspace, t) for t in ("accounts", "posts", "snapshots")]
    strip = lambda tables: [[{k: v for k, v in r.items() if k != "_import_id"} for r in t] for t in tables]  # noqa: E731
    assert strip(after) == strip(before)


def test_reimport_without_any_collection_time_adds_no_snapshot(workspace, make_bundle):
    bundle = make_bundle({"accounts.csv": _accounts(100, None)})
    workspace.import_bundle(bundle)
    workspace.import_bundle(bundle)
    assert counts(workspace)["snapshots"] == 0 and counts(workspace)["accounts"] == 1


def test_a_newer_row_replaces_and_keeps_the_old_counts_as_a_snapshot(workspace, make_bundle):
    workspace.import_bundle(make_bundle({"accounts.csv": _accounts(100, "2026-10-01T00:00:00Z")}))
    result = workspace.import_bundle(make_bundle({"accounts.csv": _accounts(150, "2026-11-01T00:00:00Z", "lena2")}))
    assert result.replaced["accounts"] == 1
    acc = rows(workspace, "accounts")
    assert [(a["handle"], a["followers"]) for a in acc] == [("lena2", 150)]
    snaps = rows(workspace, "snapshots")
    assert [(s["at"].to_pydatetime(), s["followers"]) for s in snaps] == [(datetime(2026, 10, 1), 100)]


def test_an_older_row_is_ignored(workspace, make_bundle):
    workspace.import_bundle(make_bundle({"accounts.csv": _accounts(150, "2026-11-01T00:00:00Z")}))
    result = workspace.import_bundle(make_bundle({"accounts.csv": _accounts(100, "2026-10-01T00:00:00Z", "old")}))
    assert result.ignored["accounts"] == 1
    assert [(a["handle"], a["followers"]) for a in rows(workspace, "accounts")] == [("lena", 150)]
    assert counts(workspace)["snapshots"] == 0


def test_an_equal_collection_time_replaces(workspace, make_bundle):
    workspace.import_bundle(make_bundle({"accounts.csv": _accounts(150, "2026-11-01T00:00:00Z")}))
    workspace.import_bundle(make_bundle({"accounts.csv": _accounts(151, "2026-11-01T00:00:00Z", "fixed")}))
    assert [(a["handle"], a["followers"]) for a in rows(workspace, "accounts")] == [("fixed", 151)]


def test_other_tables_use_the_bundle_collection_time(workspace, make_bundle):
    acc = _accounts(1, None)
    post = "platform,post_id,account_id,created_at,likes\ninstagram,p,1,2026-01-01,{}\n"
    workspace.import_bundle(make_bundle({"accounts.csv": acc, "posts.csv": post.format(10)},
                                        {"collected_at": "2026-11-01T00:00:00Z"}))
    header = "platform,account_id,handle,followers\n"  # the accounts file every bundle has, here empty
    workspace.import_bundle(make_bundle({"accounts.csv": header, "posts.csv": post.format(5)},
                                        {"collected_at": "2026-10-01T00:00:00Z"}))
    assert rows(workspace, "posts")[0]["likes"] == 10
    workspace.import_bundle(make_bundle({"accounts.csv": header, "posts.csv": post.format(20)},
                                        {"collected_at": "2026-11-02T00:00:00Z"}))
    assert rows(workspace, "posts")[0]["likes"] == 20


def test_every_import_is_recorded(workspace, make_bundle):
    workspace.import_bundle(make_bundle({"accounts.csv": _accounts(1, None)}, {"source": "first"}))
    workspace.import_bundle(make_bundle({"accounts.csv": _accounts(1, None)}, {"source": "second",
                                                                              "collected_at": "2026-11-01"}))
    imports = workspace.info()["imports"]
    assert [(i["import_id"], i["source"], i["rows"]) for i in imports] == [(1, "first", 1), (2, "second", 1)]
    assert imports[1]["collected_at"] == "2026-11-01T00:00:00Z"
    # the first had no collection time, so its import time (today) counts: later than 2026-11-01
    assert {r["_import_id"] for r in rows(workspace, "accounts")} == {1}
