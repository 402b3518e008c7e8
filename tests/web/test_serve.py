"""`microscout serve` as a user runs it: the address and token printed, the address file beside the
workspace while it runs (mode 600), gone after Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys

import httpx
from tests.test_cli import SAMPLE, run


def test_serve_prints_its_address_and_token_and_cleans_up(tmp_path):
    assert run("import", str(SAMPLE), "--db", "ws.duckdb", cwd=tmp_path).returncode == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROSCOUT_")}
    proc = subprocess.Popen([sys.executable, "-m", "microscout.cli", "serve", "--port", "0", "--db", "ws.duckdb"],
                            cwd=tmp_path, env={**env, "MICROSCOUT_TOPIC_MODEL": "none"}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        while not any(line.startswith("token for writes:") for line in lines):
            line = proc.stdout.readline()
            assert line, proc.stderr.read()
            lines.append(line.strip())
        url = lines[0].split(" at ")[1]
        token = lines[-1].split(": ", 1)[1]
        marker = tmp_path / "ws.duckdb.server.json"
        saved = json.loads(marker.read_text())
        assert saved["url"] == url and saved["token"] == token and saved["pid"] == proc.pid
        assert stat.S_IMODE(marker.stat().st_mode) == 0o600
        info = httpx.get(f"{url}/api/v1/info").json()
        assert info["tables"]["accounts"]["rows"] > 0
        assert httpx.post(f"{url}/api/v1/analyze").status_code == 401
        assert httpx.post(f"{url}/api/v1/analyze", headers={"Authorization": f"Bearer {token}"}).status_code == 202
        # the CLI goes through the server instead of the (held) file
        direct = json.loads(run("info", "--db", "ws.duckdb", "-f", "json", cwd=tmp_path).stdout)
        assert direct["tables"] == info["tables"]
        listed = run("creators", "--db", "ws.duckdb", "-f", "json", "--sort", "handle", cwd=tmp_path)
        assert listed.returncode == 0, listed.stderr
        handles = [c["handle"] for c in json.loads(listed.stdout)["items"]]
        vetted = run("vet", "@" + handles[0], "--db", "ws.duckdb", "-f", "json", cwd=tmp_path)
        assert vetted.returncode == 0 and json.loads(vetted.stdout)["handle"] == handles[0]
        again = run("import", str(SAMPLE), "--db", "ws.duckdb", "-f", "json", cwd=tmp_path)
        assert again.returncode == 0, again.stderr
        assert json.loads(again.stdout)["import_id"] == 2
        alike = run("similar", "@" + handles[0], "--db", "ws.duckdb", "-f", "json", cwd=tmp_path)
        assert alike.returncode == 0 and json.loads(alike.stdout)["brief"] == f"similar to @{handles[0]}"
        other = run("forget", "@" + handles[0], "--db", "ws.duckdb", cwd=tmp_path)
        assert other.returncode == 2 and "does not go through the server yet" in other.stderr
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(30)
    assert proc.returncode == 0 and not (tmp_path / "ws.duckdb.server.json").exists()


def test_a_stale_address_file_of_a_live_process_is_set_aside(tmp_path):
    import json
    import os
    import socket

    from microscout.web.remote import running_server

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    marker = tmp_path / "ws.duckdb.server.json"
    # this very process is alive, but serves nothing: a server killed before it could clean up, its pid reused
    marker.write_text(json.dumps({"url": f"http://127.0.0.1:{port}", "pid": os.getpid(), "token": "x"}))
    assert running_server(tmp_path / "ws.duckdb") is None and not marker.exists()
