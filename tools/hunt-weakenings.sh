#!/usr/bin/env bash
# Regenerates the hunt columns of docs/weakenings.md: the standard hunt (three
# rosters, budget 30000, seed 0, 30 turns, 2 threads) on kernel v0.2 and on each
# single-parameter weakening in kernels/weakenings/, then for every weakening
# and roster:
#   * proof records: the records the hunt wrote that reproduce on the weakening
#     (replay exit 1) and are blocked on v0.2 (replay exit 0), also when the
#     episode is played 10 turns longer, and whose fingerprint the same roster's
#     hunt on v0.2 did not find: the weakening's own hole, not one v0.2 has;
#   * v0.2-fingerprint records: reproduce on the weakening, blocked on v0.2,
#     but the same roster's hunt on v0.2 wrote a record with that fingerprint
#     (another script reaches it there): not counted as found;
#   * late records: blocked on v0.2 at the record's length but reproducing there
#     when it is played 10 turns longer: a hole of v0.2 itself that the
#     weakening only brings forward (e.g. amendment.takes_effect_delay_turns 0
#     puts EXP-007's lock in force before turn 30); not counted as found;
#   * new captures: objectives captured on the weakening that the same roster's
#     hunt on v0.2 does not capture;
#   * seconds: wall time of that hunt.
# With --ladder, for each weakening found, the first roster that found it is
# hunted again at budgets 1000, 3000 and 10000 (a hunt's first executions do not
# depend on its budget), and the smallest budget that already yields a proof
# record is printed: an upper bound on the executions to the first proof.
# Usage: tools/hunt-weakenings.sh [--ladder] [--resume] [BIN] [OUT_DIR]
#   BIN     release binary (default build-rel/fable-selfplay)
#   OUT_DIR must not exist or be empty (default runs/weakenings-<UTC time>);
#           with --resume it may hold an earlier run, whose hunts are reused
# Hunts are CPU-heavy and run one at a time (about 15 minutes on 2 cores).
# Prints one tab-separated line per weakening and roster on stdout:
#   weakening roster found proof_records late_records v02_fp_records new_captures seconds
# found is "yes" when a proof record or a new capture exists.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ladder=0
resume=0
while [ $# -gt 0 ]; do
  case "$1" in
    --ladder) ladder=1 ;;
    --resume) resume=1 ;;
    *) break ;;
  esac
  shift
done
bin="${1:-$root/build-rel/fable-selfplay}"
out="${2:-$root/runs/weakenings-$(date -u +%Y%m%dT%H%M%SZ)}"
cd "$root"
[ -x "$bin" ] || { echo "hunt-weakenings: $bin: no binary (build build-rel first)" >&2; exit 2; }
if [ "$resume" -eq 0 ] && [ -e "$out" ] && [ -n "$(ls -A "$out")" ]; then
  echo "hunt-weakenings: $out is not empty" >&2
  exit 2
fi
mkdir -p "$out"
v02=kernels/kernel-v0.2.yaml
rosters=(honest:8,attacker:2 honest:7,attacker:3 honest:9,attacker:11)

# hunt KERNEL ROSTER DIR BUDGET: one hunt; its summary goes to DIR.txt, its
# wall seconds to DIR.seconds.
hunt() {
  local start end
  if [ "$resume" -eq 1 ] && [ -s "$3.seconds" ]; then return 0; fi
  rm -rf "$3"
  start=$(date +%s.%N)
  "$bin" hunt --kernel "$1" --roster "$2" --objective any --budget "$4" --seed 0 --turns 30 \
    --threads 2 --quiet --out "$3" >"$3.txt"
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f\n", e - s }' >"$3.seconds"
}

# captured SUMMARY: the objectives the summary table marks captured, one per line.
captured() {
  awk '$1 == "objective" { on = 1; next } on && NF == 4 && $3 == "yes" { print $1 }' "$1"
}

# replay_rc KERNEL RECORD: replay's exit code (1 reproduces, 0 blocked, 4 stale).
# Any other code (bad input, an I/O or internal failure) is no verdict: the
# script stops rather than classify a record on an error.
replay_rc() {
  local rc=0
  "$bin" replay --kernel "$1" "$2" >/dev/null || rc=$?
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ] && [ "$rc" -ne 4 ]; then
    echo "hunt-weakenings: replay --kernel $1 $2 failed with exit $rc" >&2
    kill -TERM "$$"
    exit 1
  fi
  echo "$rc"
}

# fingerprints DIR: the fingerprints of the records in DIR/exploits, one a line.
fingerprints() {
  cat "$1"/exploits/*.json 2>/dev/null | sed -n 's/^  "fingerprint": "\(.*\)",$/\1/p' | sort -u
}

# classify KERNEL DIR V02_FINGERPRINTS: writes DIR.proofs, DIR.late and DIR.v02fp,
# each "EXP-NNN:name" of the records in DIR/exploits that are proof, late or
# v0.2-fingerprint records (above), space-separated.
classify() {
  local r id fp longer longer_dir proofs=() late=() v02fp=()
  # The longer copy keeps the record's file name: a record is stored as
  # <exploit_id>.json, and replay refuses one under another name.
  longer_dir="$(mktemp -d)"
  for r in "$2"/exploits/*.json; do
    [ -e "$r" ] || continue
    [ "$(replay_rc "$1" "$r")" -eq 1 ] || continue
    [ "$(replay_rc "$v02" "$r")" -eq 0 ] || continue
    id="$(basename "$r" .json):$(sed -n 's/^  "name": "\(.*\)",$/\1/p' "$r")"
    fp="$(sed -n 's/^  "fingerprint": "\(.*\)",$/\1/p' "$r")"
    if grep -qxF "$fp" "$3"; then
      v02fp+=("$id")
      continue
    fi
    longer="$longer_dir/$(basename "$r")"
    awk '/^    "n_turns": [0-9]+,$/ { sub(/[0-9]+/, $2 + 10) } { print }' "$r" >"$longer"
    if [ "$(replay_rc "$v02" "$longer")" -eq 1 ]; then late+=("$id"); else proofs+=("$id"); fi
  done
  rm -rf "$longer_dir"
  echo "${proofs[*]:-}" >"$2.proofs"
  echo "${late[*]:-}" >"$2.late"
  echo "${v02fp[*]:-}" >"$2.v02fp"
}

slug() { echo "$1" | tr ':,' '-_'; }

for r in "${rosters[@]}"; do
  mkdir -p "$out/v0.2"
  hunt "$v02" "$r" "$out/v0.2/$(slug "$r")" 30000
  captured "$out/v0.2/$(slug "$r").txt" >"$out/v0.2/$(slug "$r").captured"
  fingerprints "$out/v0.2/$(slug "$r")" >"$out/v0.2/$(slug "$r").fingerprints"
done

printf 'weakening\troster\tfound\tproof_records\tlate_records\tv02_fp_records\tnew_captures'
printf '\tseconds\n'
for k in kernels/weakenings/*.yaml; do
  name="$(basename "$k" .yaml)"
  mkdir -p "$out/$name"
  first=""
  for r in "${rosters[@]}"; do
    d="$out/$name/$(slug "$r")"
    hunt "$k" "$r" "$d" 30000
    classify "$k" "$d" "$out/v0.2/$(slug "$r").fingerprints"
    p="$(cat "$d.proofs")"
    late="$(cat "$d.late")"
    v02fp="$(cat "$d.v02fp")"
    base="$out/v0.2/$(slug "$r").captured"
    new="$(captured "$d.txt" | { grep -vxF -f "$base" || true; } | paste -sd' ')"
    found=no
    if [ -n "$p" ] || [ -n "$new" ]; then found=yes; fi
    if [ -n "$p" ] && [ -z "$first" ]; then first="$r"; fi
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$r" "$found" "${p:--}" "${late:--}" \
      "${v02fp:--}" "${new:--}" "$(cat "$d.seconds")"
  done
  if [ "$ladder" -eq 1 ] && [ -n "$first" ]; then
    fps="$out/v0.2/$(slug "$first").fingerprints"
    for b in 1000 3000 10000; do
      d="$out/$name/ladder-$(slug "$first")-$b"
      hunt "$k" "$first" "$d" "$b"
      classify "$k" "$d" "$fps"
      if [ -n "$(cat "$d.proofs")" ]; then
        printf '%s\t%s\tladder\tproof within %s executions\t-\t-\t-\t%s\n' "$name" "$first" "$b" \
          "$(cat "$d.seconds")"
        break
      fi
    done
  fi
done
