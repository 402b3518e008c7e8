"""The collection job: a run killed between pages resumes from its checkpoint with every row once."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from pathlib import Path

import pytest
from rich.console import Console
from tests.connectors.loopback import LoopbackServer
from tests.connectors.test_bluesky import REQUEST as BLUESKY_REQUEST
from tests.connectors.test_bluesky import script

from microscout.config import load_settings
from microscout.connectors import CollectJob, CollectRequest, ConnectorError, collect

REQUEST = CollectRequest(handles=("a", "b"), posts=7)
PAGES = {None: ([1, 2, 3], "c1"), "c1": ([4, 5, 6], "c2"), "c2": ([7, 8, 9], None)}


class Killed(Exception):
    pass


def run(out: Path, fetched: list[str | None], kill_at: str | None = None) -> CollectJob:
    job = CollectJob(out, "bluesky", REQUEST, "http://x")

    def fetch(cursor: str | None) -> tuple[list[int], str | None]:
        fetched.append(cursor)
        return PAGES[cursor]

    job.emit("accounts", {"platform": "bluesky", "account_id": "a", "handle": "a", "followers": 1})
    for items in job.paginate("posts:a", fetch, limit=REQUEST.posts):
        job.emit("posts", [{"platform": "bluesky", "post_id": str(i), "account_id": "a"} for i in items])
        if kill_at is not None and fetched[-1] == kill_at:
            raise Killed  # rows of this page were emitted, not committed
    return job


def rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_resume_after_a_kill_fetches_the_rest_and_keeps_each_row_once(tmp_path: Path) -> None:
    out = tmp_path / "b"
    fetched: list[str | None] = []
    with pytest.raises(Killed):
        run(out, fetched, kill_at="c1")
    # the page being processed is lost; the committed one is not fetched again
    job = run(out, fetched)
    assert job.resumed and fetched == [None, "c1", "c1", "c2"]
    counts = job.finish("test")
    posts = rows(out / "posts.jsonl")
    assert [p["post_id"] for p in posts] == ["1", "2", "3", "4", "5", "6", "7"]  # limit 7
    assert counts == {"accounts": 1, "posts": 7}
    assert not (out / ".partial").exists()
    assert json.loads((out / "bundle.json").read_text())["platform"] == "bluesky"


def test_rows_written_after_the_last_commit_are_cut_on_resume(tmp_path: Path) -> None:
    out = tmp_path / "b"
    job = CollectJob(out, "bluesky", REQUEST, "http://x")
    job.emit("posts", {"platform": "bluesky", "post_id": "1", "account_id": "a"})
    job.commit()
    with (out / ".partial" / "posts.jsonl").open("a") as f:  # a kill in the middle of writing a page
        f.write('{"platform": "bluesky", "post_id": "2", "acc')
    job = CollectJob(out, "bluesky", REQUEST, "http://x")
    job.finish("test")
    assert [p["post_id"] for p in rows(out / "posts.jsonl")] == ["1"]


def test_a_later_row_fills_what_an_earlier_one_left_null(tmp_path: Path) -> None:
    job = CollectJob(tmp_path / "b", "bluesky", REQUEST, "http://x")
    job.emit("accounts", {"platform": "bluesky", "account_id": "a", "handle": "a", "followers": 3, "bio": "hi"})
    job.emit("accounts", {"platform": "bluesky", "account_id": "a", "handle": "a2", "followers": 5, "bio": None})
    job.finish("test")
    assert rows(tmp_path / "b" / "accounts.jsonl") == [
        {"platform": "bluesky", "account_id": "a", "handle": "a2", "followers": 5, "bio": "hi"}]


def test_another_request_in_the_same_folder_is_refused(tmp_path: Path) -> None:
    CollectJob(tmp_path / "b", "bluesky", REQUEST, "http://x").commit()
    with pytest.raises(ConnectorError, match="--restart"):
        CollectJob(tmp_path / "b", "bluesky", CollectRequest(search="cakes"), "http://x")
    assert not CollectJob(tmp_path / "b", "bluesky", CollectRequest(search="cakes"), "http://x",
                          restart=True).resumed


def test_steps_done_and_recorded_lists_survive_a_resume_without_growing_the_checkpoint(tmp_path: Path) -> None:
    out = tmp_path / "b"
    job = CollectJob(out, "bluesky", REQUEST, "http://x")
    job.mark_done("step:0")
    size = (out / ".partial" / "checkpoint.json").stat().st_size
    for i in range(1, 500):
        job.record("followers:a", [f"did:plc:{i}"])
        job.mark_done(f"step:{i}")
    # what grows goes to the journal: a commit late in a long run costs what an early one did
    assert (out / ".partial" / "checkpoint.json").stat().st_size <= size + 8  # only the journal length grows
    job.record("followers:a", ["did:plc:lost"])  # not committed: gone after a kill
    resumed = CollectJob(out, "bluesky", REQUEST, "http://x")
    assert resumed.is_done("step:0") and resumed.is_done("step:499") and not resumed.is_done("step:500")
    assert resumed.records("followers:a") == [f"did:plc:{i}" for i in range(1, 500)]


def test_a_listener_sees_each_stage_start_at_0_and_each_advance(tmp_path: Path) -> None:
    heard: list[tuple[str, int, int | None]] = []
    printed = io.StringIO()
    job = CollectJob(tmp_path / "b", "bluesky", REQUEST, "http://x", console=Console(file=printed),
                     listener=lambda *told: heard.append(told))
    advance = job.stage("creators", 2)
    advance(1)
    advance(1)
    more = job.stage("follower profiles", None)  # a stage of unknown length counts up
    more(3)
    job.close()
    assert heard == [("creators", 0, 2), ("creators", 1, 2), ("creators", 2, 2), ("follower profiles", 0, None),
                     ("follower profiles", 3, None)]
    assert printed.getvalue() == ""  # not a terminal: no progress bar, as before


def test_collect_tells_the_listener_of_a_real_run_from_start_to_total(tmp_path: Path) -> None:
    heard: list[tuple[str, int, int | None]] = []
    settings = load_settings(None, db=tmp_path / "w.duckdb")
    with LoopbackServer() as server:
        script(server)
        collect(settings, "bluesky", replace(BLUESKY_REQUEST, service_url=server.url), tmp_path / "b",
                console=Console(file=io.StringIO()), listener=lambda *told: heard.append(told))
    stages = list(dict.fromkeys(name for name, _, _ in heard))
    assert stages == ["creators", "follower profiles"]
    for name in stages:
        seen = [(done, total) for stage, done, total in heard if stage == name]
        assert seen[0][0] == 0 and seen[-1][0] == seen[-1][1]  # from 0 up to its total
        assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert [(done, total) for stage, done, total in heard if stage == "creators"] == [(0, 2), (1, 2), (2, 2)]
