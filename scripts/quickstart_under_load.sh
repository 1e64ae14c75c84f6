#!/usr/bin/env bash
# The README's two quick-start lines on a fresh clone, N times in a row (default 3), while a busy
# loop keeps every core loaded. Prints the wall time and the closing line of each run.
#   scripts/quickstart_under_load.sh [N]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-3}
WORK=$(mktemp -d)
trap 'kill ${LOAD_PIDS:-} 2>/dev/null || true; rm -rf "$WORK"' EXIT
git clone -q "$ROOT" "$WORK/docdiff"
python3 -m venv "$WORK/venv"
# shellcheck disable=SC1091
source "$WORK/venv/bin/activate"
cd "$WORK/docdiff"
LOAD_PIDS=""
for _ in $(seq "$(nproc)"); do
  python3 -c 'while True: pass' &
  LOAD_PIDS="$LOAD_PIDS $!"
done
first=$(grep -m1 '^pip install \. && docdiff compare' README.md)
second=$(grep -m1 "^pip install -e '.\[dev\]' && pytest" README.md)
start=$(date +%s)
bash -c "$first" > "$WORK/first.log" 2>&1
echo "quick start line 1: exit 0 in $(( $(date +%s) - start )) s"
for i in $(seq "$N"); do
  start=$(date +%s)
  if bash -c "$second" > "$WORK/run$i.log" 2>&1; then rc=0; else rc=$?; fi
  echo "run $i: exit $rc in $(( $(date +%s) - start )) s: $(tail -n 1 "$WORK/run$i.log")"
  [ "$rc" -eq 0 ] || { tail -n 40 "$WORK/run$i.log"; exit "$rc"; }
done
