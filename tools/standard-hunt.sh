#!/usr/bin/env bash
# The standard hunt of a kernel (docs/hunt-format.md, "Standard hunt"): three
# runs of `fable-selfplay hunt`, one per roster (honest:8,attacker:2,
# honest:7,attacker:3 and SPEC section 7's honest:9,attacker:11), each with
# objective any, budget 30000, seed 0, 30 turns, 2 threads. Each run writes
# OUT_DIR/<roster>/ (hunt.json, exploits/). Then prints one summary row per
# roster: the captures (objectives whose `captured` is true in hunt.json) and
# the records written, counted by detector.
# Usage: tools/standard-hunt.sh KERNEL OUT_DIR   (OUT_DIR must not exist or be empty)
# The binary is $FABLE_BIN, by default build-release/fable-selfplay (built
# in release mode if missing, as tools/main.sh does).
# Exit 0 when the three runs completed (whatever they found), else hunt's code.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
if [ $# -ne 2 ]; then
  echo "usage: tools/standard-hunt.sh KERNEL OUT_DIR" >&2
  exit 2
fi
kernel="$1"
out="$2"
if [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then
  echo "standard-hunt: $out exists and is not empty" >&2
  exit 2
fi
bin="${FABLE_BIN:-$root/build-release/fable-selfplay}"
if [ ! -x "$bin" ]; then
  cmake -S "$root" -B "$root/build-release" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DFABLE_BUILD_TESTS=OFF >/dev/null
  cmake --build "$root/build-release" --target fable-selfplay
  bin="$root/build-release/fable-selfplay"
fi

rosters=(honest:8,attacker:2 honest:7,attacker:3 honest:9,attacker:11)
mkdir -p "$out"
for roster in "${rosters[@]}"; do
  "$bin" hunt --kernel "$kernel" --roster "$roster" --objective any --budget 30000 --seed 0 \
    --turns 30 --threads 2 --quiet --out "$out/$roster" >"$out/$roster.log"
done

# hunt.json is written with sorted keys and two-space indentation
# (docs/hunt-format.md): objectives sit at depth 2, their fields at depth 3,
# record fields at depth 3 of the `records` array.
captures() {
  awk '/^  "objectives": \{/ { in_obj = 1; next }
       in_obj && /^  [}]/ { in_obj = 0 }
       in_obj && /^    "[a-z_]+": \{/ { split($0, q, "\""); name = q[2] }
       in_obj && /^      "captured": true/ { list = list (list ? " " : "") name }
       END { print (list ? list : "-") }' "$1"
}
records_by_detector() {
  awk '/^  "records": \[/ { in_rec = 1; next }
       in_rec && /^  \]/ { in_rec = 0 }
       in_rec && /^      "name": / { split($0, q, "\""); count[q[4]]++ }
       END { n = 0; for (k in count) names[++n] = k
             for (i = 2; i <= n; i++) for (j = i; j > 1 && names[j - 1] > names[j]; j--) {
               t = names[j]; names[j] = names[j - 1]; names[j - 1] = t }
             line = ""
             for (i = 1; i <= n; i++) line = line (i > 1 ? " " : "") names[i] ":" count[names[i]]
             print (n ? line : "-") }' "$1"
}

echo "standard hunt of $kernel (budget 30000, seed 0, 30 turns), outputs in $out"
printf '| %-21s | %-40s | %s |\n' roster captures "records by detector"
printf '|%s|%s|%s|\n' "-----------------------" "------------------------------------------" \
  "---------------------"
for roster in "${rosters[@]}"; do
  json="$out/$roster/hunt.json"
  printf '| %-21s | %-40s | %s |\n' "$roster" "$(captures "$json")" "$(records_by_detector "$json")"
done
