"""The README is a contract: its quick start and every line of "Using it" run as written, in
order, on the demo world, and none exits with an error."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.heavy

ROOT = Path(__file__).parent.parent
# lines the test does not run, each with why (the README says the same)
NOT_RUN = {
    "microscout demo --size medium": "a medium world takes minutes (bench/demo_world.py runs it)",
    "microscout collect": "needs the network (tests/connectors run collect against recorded answers)",
}


def _blocks(section: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    body = text.split(f"## {section}\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.*?)```", body, flags=re.S)


def _commands() -> list[str]:
    quick = _blocks("Quick start")[0].strip()
    steps = [s.strip() for s in quick.split("&&") if s.strip().startswith(".venv/bin/microscout")]
    lines = [s.replace(".venv/bin/microscout", "microscout", 1) for s in steps]
    for line in _blocks("Using it")[0].splitlines():
        line = re.sub(r"\s+#\s.*$", "", line).strip()
        if line:
            lines.append(line)
    return lines


def _serve(cwd: Path, env: dict[str, str]) -> None:
    proc = subprocess.Popen(["microscout", "serve"], cwd=cwd, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        address = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and address is None:
            line = proc.stdout.readline() if proc.stdout else ""
            if not line:
                raise AssertionError(f"serve ended: {proc.stderr.read() if proc.stderr else ''}")
            found = re.search(r"at (http://\S+)", line)
            address = found.group(1) if found else None
        assert address, "serve never said where it serves"
        page = httpx.get(address + "/", timeout=60)
        assert page.status_code == 200 and "microscout" in page.text
    finally:
        proc.terminate()
        proc.wait(30)


def test_every_readme_command_runs_on_the_demo_world(tmp_path):
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MICROSCOUT_")}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    commands = _commands()
    assert commands[:2] == ["microscout demo", "microscout scout examples/brief-vegan-berlin.toml"], commands[:3]
    skipped = []
    for line in commands:
        if any(line.startswith(prefix) for prefix in NOT_RUN):
            skipped.append(line)
            continue
        if line == "microscout serve":
            _serve(tmp_path, env)
            continue
        done = subprocess.run(["bash", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=900)
        assert done.returncode == 0, f"{line}\nexit {done.returncode}\n{done.stderr[-2000:]}"
        assert "Traceback" not in done.stderr, f"{line}\n{done.stderr[-2000:]}"
    assert len(skipped) == 3, skipped  # a new line is run, not silently left out
    assert (tmp_path / "plan.html").stat().st_size > 0 and (tmp_path / "october.html").stat().st_size > 0
    assert (tmp_path / "micro.csv").read_text(encoding="utf-8").startswith("platform,")
