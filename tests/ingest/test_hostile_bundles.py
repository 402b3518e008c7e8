"""Bundles built to break the reader: each is refused in one line (file, what, what was expected) and
leaves the workspace as it was; what the schema allows is accepted."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from tests.conftest import counts

from microscout import InvalidBundleError

ACCOUNTS = "platform,account_id,handle,followers\ninstagram,1,lena,100\n"


def _folder(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    root = tmp_path / "bundle"
    root.mkdir()
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def _refused(workspace, bundle: Path, *words: str) -> str:
    before = counts(workspace)
    with pytest.raises(InvalidBundleError) as caught:
        workspace.import_bundle(bundle)
    message = str(caught.value)
    assert "\n" not in message.split(" (and ")[0] and all(w in message for w in words), message
    assert counts(workspace) == before
    return message


def test_bundle_json_that_is_a_folder(workspace, tmp_path):
    root = _folder(tmp_path, {"accounts.csv": ACCOUNTS})
    (root / "bundle.json").mkdir()
    _refused(workspace, root, "bundle.json", "folder")


def test_bundle_json_nested_too_deep(workspace, tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    _refused(workspace, _folder(tmp_path, {"accounts.csv": ACCOUNTS, "bundle.json": deep}), "bundle.json")


def test_collected_at_beyond_year_9999(workspace, tmp_path):
    root = _folder(tmp_path, {"accounts.csv": ACCOUNTS,
                              "bundle.json": json.dumps({"collected_at": "9999-12-31T23:00:00-05:00"})})
    _refused(workspace, root, "bundle.json", "collected_at")


def _zip(tmp_path: Path, entries: dict[str, str], method: int = zipfile.ZIP_DEFLATED) -> Path:
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w", compression=method) as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    return path


def test_zip_with_an_unsupported_compression(workspace, tmp_path):
    path = _zip(tmp_path, {"accounts.csv": ACCOUNTS}, zipfile.ZIP_STORED)
    data = bytearray(path.read_bytes())
    # compression method 98 (PPMd) in the local header and the central directory
    for sig in (b"PK\x03\x04", b"PK\x01\x02"):
        at = data.find(sig)
        offset = 8 if sig == b"PK\x03\x04" else 10
        data[at + offset:at + offset + 2] = (98).to_bytes(2, "little")
    path.write_bytes(bytes(data))
    _refused(workspace, path, "bundle.zip", "accounts.csv")


def test_zip_with_corrupt_deflate_data(workspace, tmp_path):
    path = _zip(tmp_path, {"accounts.csv": ACCOUNTS * 50})
    data = bytearray(path.read_bytes())
    start = data.find(b"accounts.csv") + len("accounts.csv")
    for k in range(start + 5, start + 40):
        data[k] ^= 0xFF
    path.write_bytes(bytes(data))
    _refused(workspace, path, "bundle.zip")


def test_zip_members_with_too_long_a_name_or_through_a_file(workspace, tmp_path):
    _refused(workspace, _zip(tmp_path, {"accounts.csv": ACCOUNTS, "x" * 300 + ".csv": "a\n"}), "bundle.zip")
    (tmp_path / "bundle.zip").unlink()
    _refused(workspace, _zip(tmp_path, {"accounts.csv": ACCOUNTS, "accounts.csv/posts.csv": "a\n"}), "bundle.zip")


def test_lone_surrogates_in_json_lines_are_refused_or_replaced(workspace, tmp_path):
    line = json.dumps({"platform": "instagram", "account_id": "1", "handle": "lena", "followers": 5,
                       "bio": "broken \ud800 text"})
    root = _folder(tmp_path, {"accounts.jsonl": line + "\n"})
    try:
        workspace.import_bundle(root)
    except InvalidBundleError as e:
        assert "accounts.jsonl" in str(e)
    else:
        bio = workspace.store.con.execute("SELECT bio FROM accounts").fetchall()[0][0]
        assert bio.startswith("broken ") and bio.endswith(" text")


def test_a_very_long_but_valid_csv_field_is_accepted(workspace, tmp_path):
    bio = "Kuchen " * 40_000  # 280,000 characters, beyond the csv module's default field limit
    root = _folder(tmp_path, {"accounts.csv": f'platform,account_id,handle,followers,bio\ninstagram,1,lena,100,"{bio}"\n',
                              "posts.csv": "platform,post_id,account_id,created_at\ninstagram,p1,1,2026-10-01\n"})
    workspace.import_bundle(root)
    assert counts(workspace)["accounts"] == 1


def test_an_empty_extra_part_file_is_accepted(workspace, tmp_path):
    root = _folder(tmp_path, {"accounts.csv": ACCOUNTS, "posts-extra.jsonl": ""})
    workspace.import_bundle(root)
    assert counts(workspace)["accounts"] == 1


BAD_TIMESTAMPS = ["infinity", "-infinity", "epoch", "2026/10/28", "0044-03-15 (BC)", "10000-01-01", "0000-01-01",
                  "2026-10-28T10:00:00+25:00", "2026-10-28T10:00:00.1234567891"]


@pytest.mark.parametrize("value", BAD_TIMESTAMPS)
def test_timestamps_outside_the_schema_are_refused_with_file_line_and_column(workspace, tmp_path, value):
    root = _folder(tmp_path, {"accounts.csv": ACCOUNTS,
                              "posts.csv": f"platform,post_id,account_id,created_at\ninstagram,p1,1,{value}\n"})
    _refused(workspace, root, "posts.csv", "created_at")


@pytest.mark.parametrize("value", ["1730000000", "true", "1.5"])
def test_json_scalars_that_are_not_text_are_not_timestamps(workspace, tmp_path, value):
    line = f'{{"platform": "instagram", "post_id": "p1", "account_id": "1", "created_at": {value}}}'
    root = _folder(tmp_path, {"accounts.csv": ACCOUNTS, "posts.jsonl": line + "\n"})
    _refused(workspace, root, "posts.jsonl", "created_at")


@pytest.mark.parametrize("value", ["true", '"12"', "-3"])
def test_booleans_strings_and_negative_counts_are_not_counts(workspace, tmp_path, value):
    line = f'{{"platform": "instagram", "account_id": "1", "handle": "lena", "followers": {value}}}'
    root = _folder(tmp_path, {"accounts.jsonl": line + "\n"})
    _refused(workspace, root, "accounts.jsonl", "followers")


def test_a_parquet_file_with_flipped_bytes_is_refused(workspace, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    root = _folder(tmp_path, {"accounts.csv": ACCOUNTS})
    table = pa.table({"platform": ["instagram"] * 200, "post_id": [f"p{i}" for i in range(200)],
                      "account_id": ["1"] * 200, "created_at": ["2026-10-01"] * 200,
                      "caption": [f"Kuchen Nummer {i} " * 5 for i in range(200)]})
    pq.write_table(table, root / "posts.parquet", compression="snappy")
    data = bytearray((root / "posts.parquet").read_bytes())
    for k in range(200, 600, 7):
        data[k] ^= 0x5A
    (root / "posts.parquet").write_bytes(bytes(data))
    _refused(workspace, root, "posts.parquet")


def test_badly_quoted_csv_is_refused_not_half_read(workspace, tmp_path):
    posts = ('platform,post_id,account_id,created_at,caption\ninstagram,p1,1,2026-10-01,"fine"\n'
             'instagram,p2,1,2026-10-02,"an open quote\ninstagram,p3,1,2026-10-03,next\n')
    _refused(workspace, _folder(tmp_path, {"accounts.csv": ACCOUNTS, "posts.csv": posts}), "posts.csv")


def test_a_bundle_json_that_is_not_json_is_refused(workspace, tmp_path):
    _refused(workspace, _folder(tmp_path, {"accounts.csv": ACCOUNTS, "bundle.json": "platform: instagram"}),
             "bundle.json", "JSON")


def test_a_key_given_twice_is_refused_with_where(workspace, tmp_path):
    line = ('{"platform": "instagram", "account_id": "1", "handle": "lena", "followers": 5, '
            '"followers": 50000}\n')
    message = _refused(workspace, _folder(tmp_path, {"accounts.jsonl": line}), "accounts.jsonl", "followers", "twice")
    assert "line 1" in message or ":1" in message, message
    root = tmp_path / "b2"
    root.mkdir()
    (root / "accounts.csv").write_text(ACCOUNTS)
    (root / "bundle.json").write_text('{"platform": "instagram", "platform": "tiktok"}')
    _refused(workspace, root, "bundle.json", "platform", "twice")


def test_json_lines_shares_and_counts_are_numbers_not_text(workspace, tmp_path):
    line = json.dumps({"platform": "instagram", "account_id": "1", "handle": "lena", "followers": 5,
                       "is_business": False})
    audience = json.dumps({"platform": "instagram", "account_id": "1", "dimension": "country",
                           "value": "DE", "share": "0.5"})
    root = _folder(tmp_path, {"accounts.jsonl": line + "\n", "audience.jsonl": audience + "\n"})
    _refused(workspace, root, "audience.jsonl", "share")
