#!/usr/bin/env bash
# Set up everything the tests need (a fresh venv, Java for PySpark, Debian's Chromium for the
# browser tests) and run all tests.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing ${missing[*]} (Java for PySpark, Chromium for the browser tests)" >&2
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo"
  $sudo_ apt-get update -qq && $sudo_ apt-get install -y -qq "${missing[@]}" >/dev/null
fi
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
.venv/bin/ruff check src tests bench
.venv/bin/mypy src
.venv/bin/lint-imports  # the layers of docs/architecture.md
# a plain install (no extras) in another fresh venv: every command's --help and a smoke run of each
bash scripts/smoke_plain_install.sh
# one worker per core (MICROSCOUT_TEST_WORKERS=0 runs them in this process); a module's tests stay
# on one worker, so its module-scoped worlds are built once
.venv/bin/python -m pytest -n "${MICROSCOUT_TEST_WORKERS:-auto}" --dist loadfile "$@"
