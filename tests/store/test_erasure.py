"""Data protection: forget an account everywhere; purge old audience-only profiles."""

from __future__ import annotations

import pytest
from tests.conftest import counts, rows

from microscout import AccountNotFoundError

BUNDLE = {
    "accounts.csv": ("platform,account_id,handle,followers,collected_at\n"
                     "instagram,1,lena,100,2026-11-01\ninstagram,2,ola,50,2026-11-01\n"
                     "instagram,3,fan,5,2020-01-01\ntiktok,9,lena,70,2026-11-01\n"),
    "posts.csv": ("platform,post_id,account_id,created_at\n"
                  "instagram,p1,1,2026-10-01\ninstagram,p2,2,2026-10-01\n"),
    "comments.csv": ("platform,comment_id,post_id,author_id\n"
                     "instagram,c1,p1,3\ninstagram,c2,p2,1\ninstagram,c3,p2,3\n"),
    "follows.csv": "platform,follower_id,followee_id\ninstagram,3,1\ninstagram,1,2\ninstagram,3,2\n",
    "snapshots.csv": "platform,account_id,at,followers\ninstagram,1,2026-10-01,90\ninstagram,3,2019-01-01,4\n",
}


def test_forget_erases_what_the_account_wrote_and_its_edges(workspace, make_bundle):
    workspace.import_bundle(make_bundle(BUNDLE))
    deleted = workspace.forget("instagram:1")
    assert deleted == {"comments": 2, "posts": 1, "follows": 2, "snapshots": 1, "audience": 0, "accounts": 1}
    assert sorted(r["comment_id"] for r in rows(workspace, "comments")) == ["c3"]
    assert [r["account_id"] for r in rows(workspace, "accounts", "account_id")] == ["2", "3", "9"]


def test_a_forgotten_account_stays_forgotten_on_reimport(workspace, make_bundle):
    bundle = make_bundle(BUNDLE)
    workspace.import_bundle(bundle)
    workspace.forget("instagram:@LENA")
    result = workspace.import_bundle(bundle)
    assert "1" not in {r["account_id"] for r in rows(workspace, "accounts") if r["platform"] == "instagram"}
    assert counts(workspace)["posts"] == 1 and result.ignored["posts"] == 1


def test_references_by_handle_must_be_unambiguous(workspace, make_bundle):
    workspace.import_bundle(make_bundle(BUNDLE))
    with pytest.raises(AccountNotFoundError, match=r"@lena names more than one account: instagram:1 \(@lena\), "
                                                   r"tiktok:9 \(@lena\)"):
        workspace.resolve("@lena")
    assert workspace.resolve("tiktok:@lena") == ("tiktok", "9")
    with pytest.raises(AccountNotFoundError, match="no account instagram:77"):
        workspace.forget("instagram:77")
    with pytest.raises(AccountNotFoundError, match="'orkut' in 'orkut:1' is not a platform"):
        workspace.resolve("orkut:1")


def test_purge_removes_old_audience_only_profiles(workspace, make_bundle):
    workspace.import_bundle(make_bundle(BUNDLE))
    assert workspace.purge(older_than_days=365) == {"accounts": 1, "snapshots": 1}
    assert sorted(r["account_id"] for r in rows(workspace, "accounts")) == ["1", "2", "9"]
    # creators stay, however old; their comments and the follow edges stay too
    assert counts(workspace)["comments"] == 3 and counts(workspace)["follows"] == 3
