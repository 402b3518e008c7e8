"""`microscout fakes` and `microscout model train` as a user runs them."""

from __future__ import annotations

import json

from tests.test_cli import SAMPLE, run

from microscout.authenticity.datasets import load_instafake


def test_fakes_on_a_bundle_an_accounts_file_and_the_workspace(tmp_path):
    r = run("fakes", str(SAMPLE), "--format", "json", cwd=tmp_path)
    rows = json.loads(r.stdout)
    assert set(rows[0]) == {"platform", "account_id", "fake_probability", "is_fake", "reasons"}
    fakes = [x["account_id"] for x in rows if x["is_fake"]]
    assert fakes == ["5"]  # user83920184: follows 7,480, 3 followers, no picture, no posts
    single = tmp_path / "accounts.csv"
    single.write_text("platform,account_id,handle,followers,following,posts_count,has_profile_pic,is_private\n"
                      "instagram,1,anna,300,250,40,true,false\ninstagram,2,x99887766,2,5000,0,false,false\n"
                      "instagram,3,mystery,300,,40,true,false\n", encoding="utf-8")
    r = run("fakes", str(single), "--format", "csv", cwd=tmp_path)
    lines = r.stdout.splitlines()
    assert lines[0] == "platform,account_id,fake_probability,is_fake,reasons"
    assert lines[2].startswith("instagram,2,") and ",true," in lines[2]
    assert lines[3] == "instagram,3,,,cannot score: unknown following"
    assert run("import", str(SAMPLE), "--db", "ws.duckdb", cwd=tmp_path).returncode == 0
    r = run("fakes", "--db", "ws.duckdb", "--only-fakes", "--format", "json", cwd=tmp_path)
    assert [x["account_id"] for x in json.loads(r.stdout)] == ["5"]
    r = run("fakes", "nowhere.csv", cwd=tmp_path)
    assert r.returncode == 2 and r.stderr.startswith("error: nowhere.csv: no such file or folder")


def test_train_on_your_own_labels_then_use_the_model(tmp_path):
    data = load_instafake()
    lines = ["platform,account_id,handle,followers,following,posts_count,has_profile_pic,is_private,is_fake"]
    for i, r in enumerate(data.itertuples()):
        lines.append(f"instagram,{i},{'u' + '1' * r.handle_digits + 'x' * max(r.handle_length - r.handle_digits - 1, 0)},"
                     f"{r.followers},{r.following},{r.posts_count},{r.has_profile_pic},{r.is_private},{r.is_fake}")
    (tmp_path / "labels.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = run("model", "train", "labels.csv", "--out", "mine.json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Trained on 1,194 labelled accounts (200 fake)")
    model = json.loads((tmp_path / "mine.json").read_text())
    assert set(model["models"]) == {"no_bio", "minimal"}  # the labels have no bios
    r = run("fakes", str(SAMPLE), "--model", "mine.json", "--format", "json", cwd=tmp_path)
    assert [x["account_id"] for x in json.loads(r.stdout) if x["is_fake"]] == ["5"]
