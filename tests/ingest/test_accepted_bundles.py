"""Bundles that follow the format import with their values exactly as written."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import pyarrow as pa
from tests.conftest import ACCOUNTS_CSV, POSTS_CSV, counts, rows


def test_bom_crlf_emoji_rtl_and_newlines_in_quotes_survive(workspace, make_bundle):
    text = (
        "\ufeffplatform,account_id,handle,bio,followers\r\n"
        "instagram,1,lena.bakes,\"Vegan 🌱 baking\r\nin Berlin, \"\"Kuchen\"\"\",12000\r\n"
        "instagram,2,mariam,طبخ نباتي ‏في برلين,2600\r\n"
    )
    workspace.import_bundle(make_bundle({"accounts.csv": text}))
    got = rows(workspace, "accounts", "account_id")
    assert [r["handle"] for r in got] == ["lena.bakes", "mariam"]
    assert got[0]["bio"] == 'Vegan 🌱 baking\r\nin Berlin, "Kuchen"'
    assert got[1]["bio"] == "طبخ نباتي ‏في برلين"
    assert got[0]["platform"] == "instagram"  # the BOM did not stick to the first column name


def test_header_only_file_imports_no_rows(workspace, make_bundle):
    workspace.import_bundle(make_bundle({"accounts.csv": ACCOUNTS_CSV, "posts.csv": "platform,post_id,account_id,created_at\n"}))
    assert counts(workspace)["posts"] == 0
    assert counts(workspace)["accounts"] == 2


def test_ids_are_kept_exactly(workspace, make_bundle):
    accounts = (
        "platform,account_id,handle,followers\n"
        "instagram,00012345678901234567,zeros,10\n"
        "bluesky,did:plc:ewvi7nxzyoun6zhxrhs64oiz,sky.bsky.social,20\n"
        "mastodon,anna@mastodon.social,anna,30\n"
    )
    workspace.import_bundle(make_bundle({"accounts.csv": accounts}))
    ids = sorted(r["account_id"] for r in rows(workspace, "accounts"))
    assert ids == ["00012345678901234567", "anna@mastodon.social", "did:plc:ewvi7nxzyoun6zhxrhs64oiz"]
    assert workspace.resolve("bluesky:did:plc:ewvi7nxzyoun6zhxrhs64oiz") == (
        "bluesky", "did:plc:ewvi7nxzyoun6zhxrhs64oiz")


def test_timestamps_with_offsets_become_utc_and_no_offset_means_utc(workspace, make_bundle):
    posts = (
        "platform,post_id,account_id,created_at\n"
        "instagram,p1,1,2026-10-20T18:30:00+02:00\n"
        "instagram,p2,1,2026-10-20T18:30:00\n"
        "instagram,p3,1,2026-10-20T18:30:00Z\n"
        "instagram,p4,1,2026-10-20\n"
    )
    workspace.import_bundle(make_bundle({"accounts.csv": ACCOUNTS_CSV, "posts.csv": posts}))
    got = {r["post_id"]: r["created_at"].to_pydatetime() for r in rows(workspace, "posts")}
    assert got == {
        "p1": datetime(2026, 10, 20, 16, 30), "p2": datetime(2026, 10, 20, 18, 30),
        "p3": datetime(2026, 10, 20, 18, 30), "p4": datetime(2026, 10, 20, 0, 0),
    }


def test_types_from_text(workspace, make_bundle):
    accounts = (
        "platform,account_id,handle,followers,verified,is_private,has_profile_pic,country,language\n"
        "Instagram,1,a,0,TRUE,no,1,de,DE\n"
        "instagram,2,b,,yes,False,0,,\n"
    )
    # followers is required: the empty one is an error; first check the good row alone
    workspace.import_bundle(make_bundle({"accounts.csv": accounts.splitlines(True)[0] + accounts.splitlines(True)[1]}))
    r = rows(workspace, "accounts")[0]
    assert (r["platform"], r["followers"], r["verified"], r["is_private"], r["has_profile_pic"]) == (
        "instagram", 0, True, False, True)
    assert (r["country"], r["language"]) == ("DE", "de")


def test_lists_hashtags_and_mentions(workspace, make_bundle):
    posts = (
        "platform,post_id,account_id,created_at,hashtags,mentions\n"
        "instagram,p1,1,2026-10-01,\"#Vegan #BerlinFood\",@Kornblume.Berlin\n"
        "instagram,p2,1,2026-10-01,\"vegan, kuchen\",\n"
    )
    workspace.import_bundle(make_bundle({"accounts.csv": ACCOUNTS_CSV, "posts.csv": posts}))
    got = {r["post_id"]: (list(r["hashtags"]), list(r["mentions"])) for r in rows(workspace, "posts")}
    assert got == {"p1": (["vegan", "berlinfood"], ["kornblume.berlin"]), "p2": (["vegan", "kuchen"], [])}


def test_hashtags_and_mentions_come_from_the_caption_when_absent(workspace, make_bundle):
    posts = (
        "platform,post_id,account_id,created_at,caption\n"
        "instagram,p1,1,2026-10-01,\"Zimtschnecken mit @Kornblume.berlin. #VeganBacken #über_alles, mail me@x.de\"\n"
    )
    workspace.import_bundle(make_bundle({"accounts.csv": ACCOUNTS_CSV, "posts.csv": posts}))
    r = rows(workspace, "posts")[0]
    assert list(r["hashtags"]) == ["veganbacken", "über_alles"]
    assert list(r["mentions"]) == ["kornblume.berlin"]


def test_jsonl_and_parquet_mix_with_csv(workspace, make_bundle):
    files = {
        "accounts-1.csv": ACCOUNTS_CSV,
        "accounts-2.jsonl": [{"platform": "instagram", "account_id": 3, "handle": "c", "followers": 7,
                              "verified": True}],
        "posts.parquet": pa.Table.from_pylist([
            {"platform": "instagram", "post_id": 10, "account_id": "3",
             "created_at": datetime(2026, 10, 1, 9), "likes": 5, "hashtags": ["Vegan", "#x"]},
        ]),
        "comments.jsonl": [{"platform": "instagram", "comment_id": "c1", "post_id": "10", "author_id": 99,
                            "text": "hi", "likes": 2, "reply_to": None}],
    }
    workspace.import_bundle(make_bundle(files))
    assert counts(workspace) == {"accounts": 3, "snapshots": 0, "posts": 1, "comments": 1,
                                 "follows": 0, "audience": 0}
    acc = {r["account_id"]: r for r in rows(workspace, "accounts")}
    assert acc["3"]["verified"] is True or acc["3"]["verified"] == True  # noqa: E712
    post = rows(workspace, "posts")[0]
    assert post["post_id"] == "10" and list(post["hashtags"]) == ["vegan", "x"]
    assert rows(workspace, "comments")[0]["author_id"] == "99"


def test_bundle_json_gives_default_platform_and_collection_time(workspace, make_bundle):
    bundle = make_bundle(
        {"accounts.csv": "account_id,handle,followers\n1,a,10\n"},
        {"format": "microscout-bundle", "version": 1, "source": "export X", "platform": "tiktok",
         "collected_at": "2026-11-01T12:00:00+01:00"},
    )
    workspace.import_bundle(bundle)
    r = rows(workspace, "accounts")[0]
    assert r["platform"] == "tiktok"
    assert r["collected_at"].to_pydatetime() == datetime(2026, 11, 1, 11, 0)
    assert workspace.info()["imports"][0]["source"] == "export X"


def test_unknown_columns_are_kept_in_extra_with_a_warning(workspace, make_bundle):
    result = workspace.import_bundle(make_bundle(
        {"accounts.csv": "platform,account_id,handle,followers,tier_guess\ninstagram,1,a,10,micro\n"}))
    assert rows(workspace, "accounts")[0]["extra"] == '{"tier_guess":"micro"}'
    assert any("tier_guess" in w for w in result.warnings)


def test_unknown_files_are_ignored_with_a_warning(workspace, make_bundle):
    result = workspace.import_bundle(make_bundle({"accounts.csv": ACCOUNTS_CSV, "notes.txt": "hello",
                                                  "postz.csv": "x\n1\n"}))
    assert counts(workspace)["accounts"] == 2
    assert sorted(w.split(":")[0] for w in result.warnings) == ["notes.txt", "postz.csv"]


def _zip(entries: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in entries.items():
            zf.writestr(name, text)
    return buf.getvalue()


def test_zip_with_and_without_top_folder(workspace, tmp_path):
    flat = tmp_path / "flat.zip"
    flat.write_bytes(_zip({"accounts.csv": ACCOUNTS_CSV}))
    top = tmp_path / "top.zip"
    top.write_bytes(_zip({"export/accounts.csv": ACCOUNTS_CSV, "export/posts.csv": POSTS_CSV}))
    workspace.import_bundle(flat)
    assert counts(workspace)["accounts"] == 2
    workspace.import_bundle(top)
    assert counts(workspace)["posts"] == 2


def test_posts_may_reference_accounts_imported_before(workspace, make_bundle):
    workspace.import_bundle(make_bundle({"accounts.csv": ACCOUNTS_CSV}))
    # every bundle has its accounts file; a header alone will do for accounts imported before
    workspace.import_bundle(make_bundle({"accounts.csv": "platform,account_id,handle,followers\n",
                                         "posts.csv": POSTS_CSV}))
    assert counts(workspace)["posts"] == 2
