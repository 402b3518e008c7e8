"""microscout collect at the edge: how accounts are named, settings that hold credentials."""

from __future__ import annotations

from tests.test_cli import run


def test_settings_never_show_a_credential(tmp_path):
    secrets = {"MICROSCOUT_YOUTUBE_API_KEY": "yt-secret-123", "MICROSCOUT_INSTAGRAM_ACCESS_TOKEN": "ig-secret-456",
               "MICROSCOUT_MASTODON_ACCESS_TOKEN": "md-secret-789"}
    for fmt in ("table", "json", "csv"):
        r = run("settings", "-f", fmt, cwd=tmp_path, env=secrets)
        assert r.returncode == 0, r.stderr
        assert not any(s in r.stdout + r.stderr for s in secrets.values())
        assert "youtube_api_key" in r.stdout


def test_accounts_are_named_in_exactly_one_way(tmp_path):
    (tmp_path / "list.txt").write_text("# creators\n\nlena.bsky.social\n")
    r = run("collect", "bluesky", "--handles", "list.txt", "--search", "vegan", cwd=tmp_path)
    assert r.returncode == 2 and "exactly one way" in r.stderr and "Traceback" not in r.stderr
    (tmp_path / "empty.txt").write_text("# nothing\n\n")
    r = run("collect", "bluesky", "--handles", "empty.txt", cwd=tmp_path)
    assert r.returncode == 2 and "empty.txt: no handles" in r.stderr
    r = run("collect", "bluesky", "--handles", "missing.txt", cwd=tmp_path)
    assert r.returncode == 2 and "missing.txt: no such file" in r.stderr
