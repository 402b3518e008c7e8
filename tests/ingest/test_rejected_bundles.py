"""Bundles that break the format are rejected whole, with every problem named precisely."""

from __future__ import annotations

import io
import zipfile

import pytest
from tests.conftest import ACCOUNTS_CSV, POSTS_CSV, counts

from microscout import InvalidBundleError


def problems_of(workspace, bundle) -> list[str]:
    with pytest.raises(InvalidBundleError) as e:
        workspace.import_bundle(bundle)
    assert all(v == 0 for v in counts(workspace).values()), "a rejected bundle wrote something"
    return [str(p) for p in e.value.problems]


def test_the_schema_example_message(workspace, make_bundle):
    posts = POSTS_CSV + "instagram,p3,1,2026-10-03T10:00:00Z,12k,3\n"
    assert problems_of(workspace, make_bundle({"accounts.csv": ACCOUNTS_CSV, "posts.csv": posts})) == [
        "posts.csv:4: column likes: '12k' is not a whole number ≥ 0"]


def test_negative_count_and_wrong_types(workspace, make_bundle):
    accounts = (
        "platform,account_id,handle,followers,verified,created_at,country\n"
        "instagram,1,a,-5,true,2026-01-01,DE\n"
        "instagram,2,b,10,maybe,yesterday,Germany\n"
    )
    assert problems_of(workspace, make_bundle({"accounts.csv": accounts})) == [
        "accounts.csv:2: column followers: '-5' is not a whole number ≥ 0",
        "accounts.csv:3: column verified: 'maybe' is not true/false/1/0/yes/no",
        "accounts.csv:3: column country: 'Germany' is not an ISO 3166-1 alpha-2 country code",
        "accounts.csv:3: column created_at: 'yesterday' is not an ISO 8601 timestamp",
    ]


def test_line_numbers_count_newlines_inside_quoted_fields(workspace, make_bundle):
    accounts = (
        "platform,account_id,handle,bio,followers\n"
        "instagram,1,a,\"line one\nline two\nline three\",10\n"
        "instagram,2,b,plain,ten\n"
    )
    assert problems_of(workspace, make_bundle({"accounts.csv": accounts})) == [
        "accounts.csv:5: column followers: 'ten' is not a whole number ≥ 0"]


def test_empty_file_and_missing_required_column(workspace, make_bundle):
    got = problems_of(workspace, make_bundle({
        "accounts.csv": "", "accounts-2.csv": "platform,account_id,handle\ninstagram,1,a\n"}))
    assert got == [
        "accounts-2.csv:1: missing required column 'followers'",
        "accounts.csv: is empty: expected a header line naming the columns",
    ]


def test_empty_required_value(workspace, make_bundle):
    assert problems_of(workspace, make_bundle({"accounts.csv": "platform,account_id,handle,followers\n"
                                                               "instagram,1,,10\n"})) == [
        "accounts.csv:2: column handle: is empty: expected text"]


def test_unknown_platform(workspace, make_bundle):
    assert problems_of(workspace, make_bundle({"accounts.csv": "platform,account_id,handle,followers\n"
                                                               "myspace,1,a,10\n"}))[0].startswith(
        "accounts.csv:2: column platform: 'myspace' is not one of instagram, tiktok, youtube")


def test_missing_platform_without_a_default(workspace, make_bundle):
    assert problems_of(workspace, make_bundle({"accounts.csv": "account_id,handle,followers\n1,a,10\n"})) == [
        "accounts.csv:1: missing required column 'platform' (or a default platform in bundle.json)"]


def test_duplicate_key_in_one_file_and_across_two_files(workspace, make_bundle):
    got = problems_of(workspace, make_bundle({
        "accounts-1.csv": ACCOUNTS_CSV + "instagram,1,again,5\n",
        "accounts-2.jsonl": [{"platform": "instagram", "account_id": "2", "handle": "x", "followers": 1}],
    }))
    assert got == [
        "accounts-1.csv:4: duplicate key (platform, account_id) = (instagram, 1): also at accounts-1.csv:2; "
        "expected each key once",
        "accounts-2.jsonl:1: duplicate key (platform, account_id) = (instagram, 2): also at accounts-1.csv:3; "
        "expected each key once",
    ]


def test_dangling_account_and_post(workspace, make_bundle):
    posts = POSTS_CSV + "instagram,p9,999,2026-10-03T10:00:00Z,1,1\n"
    comments = ("platform,comment_id,post_id,author_id\n"
                "instagram,c1,p1,55\n"
                "instagram,c2,nope,55\n")
    got = problems_of(workspace, make_bundle({"accounts.csv": ACCOUNTS_CSV, "posts.csv": posts,
                                              "comments.csv": comments}))
    assert got == [
        "posts.csv:4: column account_id: '999' is not a known account: expected the account_id of a "
        "instagram account in this bundle or already imported",
        "comments.csv:3: column post_id: 'nope' is not a known post: expected the post_id of a "
        "instagram post in this bundle or already imported",
    ]


def test_an_error_in_the_last_file_leaves_nothing_written(workspace, make_bundle):
    workspace.import_bundle(make_bundle({"accounts.csv": ACCOUNTS_CSV}))
    before = counts(workspace)
    bad = make_bundle({
        "accounts.csv": "platform,account_id,handle,followers\ninstagram,3,c,1\n",
        "posts.csv": POSTS_CSV,
        "follows.csv": "platform,follower_id,followee_id,followed_at\ninstagram,1,2,not-a-date\n",
    })
    with pytest.raises(InvalidBundleError, match=r"follows.csv:2: column followed_at"):
        workspace.import_bundle(bad)
    assert counts(workspace) == before
    assert len(workspace.info()["imports"]) == 1


def test_at_most_fifty_problems_are_collected(workspace, make_bundle):
    lines = "".join(f"instagram,{i},h{i},many\n" for i in range(200))
    with pytest.raises(InvalidBundleError) as e:
        workspace.import_bundle(make_bundle({"accounts.csv": "platform,account_id,handle,followers\n" + lines}))
    assert len(e.value.problems) == 50 and e.value.truncated
    assert str(e.value.problems[-1]) == "accounts.csv:51: column followers: 'many' is not a whole number ≥ 0"


def test_ragged_csv_row(workspace, make_bundle):
    got = problems_of(workspace, make_bundle({"accounts.csv": ACCOUNTS_CSV + "instagram,3,c,5,extra\n"}))
    assert len(got) == 1 and got[0].startswith("accounts.csv:4: cannot be read as CSV")


def test_jsonl_and_parquet_problems_name_line_and_row(workspace, make_bundle):
    got = problems_of(workspace, make_bundle({
        "accounts.jsonl": [{"platform": "instagram", "account_id": "1", "handle": "a", "followers": 10},
                           {"platform": "instagram", "account_id": "2", "handle": "b", "followers": "12k"}],
        "posts.parquet": [{"platform": "instagram", "post_id": "p1", "account_id": "1",
                           "created_at": "2026-10-01", "likes": 3},
                          {"platform": "instagram", "post_id": "p2", "account_id": "1",
                           "created_at": "2026-10-01", "likes": -1}],
    }))
    assert got == ["accounts.jsonl:2: column followers: '12k' is not a whole number ≥ 0",
                   "posts.parquet:2: column likes: '-1' is not a whole number ≥ 0"]


def test_bundle_without_accounts_is_refused_even_when_the_workspace_has_them(workspace, make_bundle):
    got = problems_of(workspace, make_bundle({"follows.csv": "platform,follower_id,followee_id\ninstagram,1,2\n"}))
    assert len(got) == 1 and "has no accounts file" in got[0]
    workspace.import_bundle(make_bundle({"accounts.csv": ACCOUNTS_CSV}))
    with pytest.raises(InvalidBundleError, match="has no accounts file"):  # SCHEMA: only accounts is required
        workspace.import_bundle(make_bundle({"posts.csv": POSTS_CSV}))
    assert counts(workspace)["posts"] == 0


@pytest.mark.parametrize(("dimension", "value", "expected"), [
    ("country", "Germany", "an ISO 3166-1 alpha-2 country code"),
    ("language", "deu", "an ISO 639-1 language code"),
    ("gender", "unknown", "one of female, male, other"),
    ("age", "18-99", "one of the age bands 13-17"),
])
def test_audience_values_must_be_those_their_dimension_allows(workspace, make_bundle, dimension, value, expected):
    audience = f"platform,account_id,dimension,value,share\ninstagram,1,city,Berlin,0.4\ninstagram,1,{dimension},{value},0.5\n"
    got = problems_of(workspace, make_bundle({"accounts.csv": ACCOUNTS_CSV, "audience.csv": audience}))
    assert len(got) == 1 and got[0].startswith(
        f"audience.csv:3: column value: '{value}' is not {'an' if dimension == 'age' else 'a'} {dimension} "
        f"value: expected {expected}")


def test_jsonl_problems_name_the_line_of_the_file_with_blank_lines_between_records(workspace, make_bundle):
    post = '{{"platform": "instagram", "post_id": "{}", "account_id": "1", "created_at": "2026-10-01", "likes": {}}}'
    posts = post.format("p1", 3) + "\n\n\n" + post.format("p2", -3) + "\n"
    got = problems_of(workspace, make_bundle({"accounts.csv": ACCOUNTS_CSV, "posts.jsonl": posts}))
    assert got == ["posts.jsonl:4: column likes: '-3' is not a whole number ≥ 0"]
    broken = post.format("p1", 3) + '\n{"platform": "instagram",,}\n'
    got = problems_of(workspace, make_bundle({"accounts.csv": ACCOUNTS_CSV, "posts.jsonl": broken}))
    assert len(got) == 1 and got[0].startswith("posts.jsonl:2: is not valid JSON")


def test_zip_whose_entries_climb_out(workspace, tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("accounts.csv", ACCOUNTS_CSV)
        zf.writestr("../../evil.csv", "x")
    path = tmp_path / "evil.zip"
    path.write_bytes(buf.getvalue())
    assert problems_of(workspace, path) == [
        "evil.zip: zip entry '../../evil.csv' points outside the bundle: expected paths inside it"]
    assert not (tmp_path.parent / "evil.csv").exists()


def test_not_a_bundle(workspace, tmp_path):
    f = tmp_path / "notes.csv"  # a lone accounts file is a bundle (tests/ingest/test_real_exports.py); this is not
    f.write_text(ACCOUNTS_CSV)
    assert problems_of(workspace, f) == ["notes.csv: is not a bundle: expected a folder, a .zip of one, or one "
                                         "accounts file (accounts.csv, accounts.jsonl or accounts.parquet)"]
    assert problems_of(workspace, tmp_path / "missing") == [f"{tmp_path / 'missing'}: no such file or folder"]


def test_bad_bundle_json(workspace, make_bundle):
    got = problems_of(workspace, make_bundle({"accounts.csv": ACCOUNTS_CSV},
                                             {"version": 2, "platform": "orkut", "collected_at": "soon"}))
    assert got == [
        "bundle.json: column version: 2 is not a version this microscout reads: expected 1",
        "bundle.json: column platform: 'orkut' is not one of instagram, tiktok, youtube, x, facebook, "
        "linkedin, bluesky, mastodon, threads, twitch, pinterest, blog, other",
        "bundle.json: column collected_at: 'soon' is not an ISO 8601 timestamp",
    ]


def test_text_that_is_not_utf8_is_read_as_windows_text_and_said_so(workspace, make_bundle):
    result = workspace.import_bundle(make_bundle({"accounts.csv": b"platform,account_id,handle,followers\n"
                                                                  b"instagram,1,\xff\xfe,10\n"}))
    assert workspace.store.con.execute("SELECT handle FROM accounts").fetchall() == [("ÿþ",)]
    assert result.warnings == ["accounts.csv: read as Windows-1252 (cp1252) text, converted to UTF-8"]
