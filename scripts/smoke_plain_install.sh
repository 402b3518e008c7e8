#!/usr/bin/env bash
# What a user gets from a plain `pip install microscout` (no extras), in a fresh venv: every
# command's --help, then a smoke run of each command on the sample bundle. A command may refuse
# (exit 2) where it says so in one line, but none may end in a traceback.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d -t microscout-plain-XXXX)
trap 'kill "${server_pid:-0}" "${api_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install -q --upgrade pip
"$work/venv/bin/python" -m pip install -q "$root"
ms="$work/venv/bin/microscout"
db="$work/ws.duckdb"
fails=0

# check WANTED_EXIT_CODES ARGS...: runs microscout ARGS in $work, fails on another exit code or a traceback
check() {
  local want=$1 out rc
  shift
  set +e
  out=$(cd "$work" && "$ms" "$@" 2>&1)
  rc=$?
  set -e
  if grep -q "Traceback\|ModuleNotFoundError" <<<"$out" || [[ " $want " != *" $rc "* ]]; then
    echo "FAIL (exit $rc, expected $want): microscout $*" >&2
    tail -n 15 <<<"$out" >&2
    fails=$((fails + 1))
  else
    echo "ok   (exit $rc): microscout $*"
  fi
}

check 0 --help
for cmd in import demo info analyze vet creators fakes forget purge settings reminders collect scout similar \
           mentions hashtags employees plan serve model "model evaluate" "model train" campaign \
           "campaign relate" "campaign pipeline" "campaign history" "campaign track"; do
  # shellcheck disable=SC2086
  check 0 $cmd --help
done

printf 'platform,handle,name\ninstagram,lena.bakes,Lena\n' > "$work/staff.csv"
printf 'alice.bsky.social\n' > "$work/handles.txt"
printf 'code,revenue,ordered_at\nKORNBLUME10,25.5,2026-10-12\n' > "$work/orders.csv"

check 0 import "$root/examples/sample-bundle" --db "$db"
check 0 info --db "$db"
check 0 info --db "$db" --format json
check 0 analyze --db "$db"
check 0 vet instagram:@lena.bakes --db "$db"
check 0 creators --db "$db" --format csv
check 0 fakes "$root/examples/sample-bundle"
check 0 settings --db "$db"
check 0 reminders --db "$db"
check 0 scout "$root/examples/brief-vegan-berlin.toml" --db "$db"
check 0 similar instagram:@lena.bakes --db "$db"
check 0 mentions @kornblume.berlin --db "$db"
check 0 hashtags --topic "vegan baking" --db "$db"
check 0 employees "$work/staff.csv" --brand @kornblume.berlin --db "$db"
check 0 plan "$root/examples/brief-vegan-berlin.toml" --budget 1000 --db "$db"
check 0 model evaluate --repeats 1
check 0 campaign relate instagram:@lena.bakes --brand kornblume --stage agreed --fee 250 --currency EUR \
  --discount-code KORNBLUME10 --version 0 --db "$db"
check 0 campaign pipeline --brand kornblume --db "$db"
check 0 campaign history instagram:@lena.bakes --brand kornblume --db "$db"
check 0 campaign track --brand kornblume --from 2026-01-01 --to 2026-12-31 --hashtag vegan --orders "$work/orders.csv" --db "$db"

# collect needs httpx, which a plain install must carry: against a loopback server that knows no
# route, it has to end in a clear refusal (exit 2), not a missing module
mkdir -p "$work/empty"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd "$work/empty" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
api_pid=$!
sleep 1
check 2 collect bluesky --handles "$work/handles.txt" --service-url "http://127.0.0.1:$port" --no-import \
  --out "$work/collected" --db "$db"

# the CLI through a running server (the remote client needs httpx too)
"$ms" serve --db "$db" --port 0 >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do [ -f "$db.server.json" ] && break; sleep 0.5; done
check 0 info --db "$db"
check 0 vet instagram:@lena.bakes --db "$db"
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true

check 0 forget instagram:@piekarnia.ola --db "$db"
check 0 purge --older-than-days 3650 --db "$db"
check 2 analyze --db "$db" --backend pyspark

if [ "$fails" -gt 0 ]; then
  echo "plain install: $fails command(s) failed" >&2
  exit 1
fi
echo "plain install: every command ran"
