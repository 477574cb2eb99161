#!/usr/bin/env bash
# Instructions per request build (up to the reqwest::Request the send path uses), restruct
# against the hand-written baseline, for the three cases of benches/cost.rs, and per round trip
# to a local server (both clients and the same in-process server: the difference is the
# client's). Deterministic: callgrind counts instructions, so the load of a shared machine does
# not move the figures (the round trips, with their system calls, within about 1 %).
#
#   scripts/callgrind.sh [N]      # N builds (round trips) per case and side (default 1000)
#
# Needs valgrind (`apt-get install valgrind`). Builds the `cost` bench in the bench profile
# (its symbol table is enough for callgrind to find the functions). CARGO=path overrides cargo.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000}"
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)" >&2; exit 1; }

bin=$(${CARGO:-cargo} bench --bench cost --no-run --message-format=json 2>/dev/null \
  | sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -1)
[ -x "$bin" ] || { echo "could not build the cost bench" >&2; exit 1; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
printf '%-18s %10s %10s %7s\n' case restruct baseline ratio
for case in plain escaped query round_trip round_trip_untimed; do
  ir() {
    # Collect only inside the measure function (and what it calls): n builds, after the
    # binary's warm-up outside it.
    local side=$1
    local file="$out/$side-$case"
    valgrind --tool=callgrind --callgrind-out-file="$file" --collect-atstart=no \
      --toggle-collect="*measure_${side}_${case}" "$bin" callgrind "$n" >/dev/null 2>&1
    sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$file"
  }
  ours=$(ir restruct) theirs=$(ir baseline)
  awk -v c="$case" -v a="$ours" -v b="$theirs" -v n="$n" \
    'BEGIN { printf "%-18s %10.0f %10.0f %7.3f\n", c, a/n, b/n, a/b }'
done
