"""Reads run at once, each thread on its own cursor; a write waits for them and has the workspace
alone; under many clients every answer is the one a lone client gets."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from tests.web.conftest import TOKEN, running

from microscout import open_workspace
from microscout.web.gate import WorkspaceGate

SAMPLE = Path(__file__).parent.parent.parent / "examples" / "sample-bundle"


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    ws = open_workspace(db=tmp_path_factory.mktemp("reads") / "ws.duckdb")
    ws.import_bundle(SAMPLE)
    ws.analyze(embed=False)
    yield ws
    ws.close()


def test_two_reads_are_inside_at_once_and_a_write_waits_for_both(analysed):
    gate = WorkspaceGate(analysed)
    both_in, release = threading.Barrier(2, timeout=10), threading.Event()
    seen: dict[str, object] = {}
    order: list[str] = []

    def read(name: str) -> None:
        with gate.read() as ws:
            seen[name] = ws
            both_in.wait()  # raises BrokenBarrierError if the other read could not get in
            order.append(f"{name} counted {ws.info()['tables']['accounts']['rows']}")
            release.wait(10)
            order.append(f"{name} out")

    def write() -> None:
        with gate.write() as ws:
            order.append("write in")
            assert ws is analysed

    readers = [threading.Thread(target=read, args=(n,)) for n in ("a", "b")]
    for t in readers:
        t.start()
    writer = threading.Thread(target=write)
    while len(order) < 2:
        threading.Event().wait(0.01)
    writer.start()
    writer.join(0.3)
    assert writer.is_alive(), "the write went in while reads were running"
    release.set()
    for t in (*readers, writer):
        t.join(10)
    assert order[-1] == "write in" and sorted(order[:2]) == ["a counted 6", "b counted 6"]
    assert seen["a"] is not seen["b"] and seen["a"] is not analysed  # a cursor of its own each


def test_answers_under_many_clients_equal_a_lone_clients_while_writes_go_on(analysed):
    with running(analysed) as base:
        with httpx.Client(base_url=base, timeout=60) as client:
            creators = client.get("/api/v1/creators", params={"limit": 100}).json()["items"]
            paths = ["/api/v1/creators?sort=handle", "/api/v1/creators?sort=-followers&limit=2",
                     *(f"/api/v1/creators/{c['platform']}/{c['account_id']}" for c in creators)]
            alone = {p: client.get(p).json() for p in paths}

        def ask(k: int) -> tuple[str, dict]:
            path = paths[k % len(paths)]
            with httpx.Client(base_url=base, timeout=60) as c:
                if k % 7 == 0:  # a write among the reads
                    c.post("/api/v1/shortlists/load", json={"ref": f"instagram:{creators[0]['account_id']}"},
                           headers={"Authorization": f"Bearer {TOKEN}"}).raise_for_status()
                answer = c.get(path)
                answer.raise_for_status()
                return path, answer.json()

        with ThreadPoolExecutor(12) as pool:
            answers = list(pool.map(ask, range(120)))
    assert len(answers) == 120
    for path, body in answers:
        assert body == alone[path], path
