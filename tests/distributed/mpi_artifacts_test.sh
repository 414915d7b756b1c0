#!/usr/bin/env bash
# The byte-identity check of docs/distributed.md, under real MPI ranks: the
# default tournament on kernels/kernel-v0.1.yaml, and a run with
# --exploit-dir and --coverage, played on one process and under
# `mpirun -np 3` and `-np 2` (oversubscribed: more ranks than cores), give the
# same files byte for byte (diff -r) and the same standard output; so does a
# small sweep on 3 ranks; a hunt's islands on 2 ranks are deterministic
# (docs/distributed.md). Then: a command other than tournament, run, sweep
# and hunt is refused with one error, and bad
# input stops every rank with one error line and exit 2, without a hang.
# Registered in ctest when FABLE_MPI is on (tests/CMakeLists.txt).
# Usage: mpi_artifacts_test.sh BINARY SOURCE_DIR [MPIRUN]
set -euo pipefail
bin="$1"
root="$2"
mpirun=("${3:-mpirun}" --allow-run-as-root --oversubscribe)  # CI runs as root
kernel="$root/kernels/kernel-v0.1.yaml"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() {
  echo "mpi_artifacts_test: FAILED: $*" >&2
  exit 1
}
# Standard output with the run's own folder names taken out.
same_output() {
  diff <(sed "s#$work/[^ ]*#DIR#g" "$1") <(sed "s#$work/[^ ]*#DIR#g" "$2") ||
    fail "standard output differs: $1 $2"
}

"$bin" tournament --kernel "$kernel" --out "$work/t1" >"$work/t1.txt"
"$bin" run --kernel "$kernel" --roster honest:5,drainer:2,entrencher:1 --episodes 24 \
  --out "$work/r1" --exploit-dir "$work/r1-exploits" --coverage "$work/r1-coverage.json" \
  >"$work/r1.txt"
for np in 3 2; do
  "${mpirun[@]}" -np "$np" "$bin" tournament --kernel "$kernel" --out "$work/t$np" --threads 2 \
    >"$work/t$np.txt" || fail "tournament on $np ranks exited $?"
  diff -r "$work/t1" "$work/t$np" || fail "tournament artifacts differ on $np ranks"
  same_output "$work/t1.txt" "$work/t$np.txt"
  "${mpirun[@]}" -np "$np" "$bin" run --kernel "$kernel" --roster honest:5,drainer:2,entrencher:1 \
    --episodes 24 --out "$work/r$np" --exploit-dir "$work/r$np-exploits" \
    --coverage "$work/r$np-coverage.json" >"$work/r$np.txt" || fail "run on $np ranks exited $?"
  diff -r "$work/r1" "$work/r$np" || fail "run artifacts differ on $np ranks"
  diff -r "$work/r1-exploits" "$work/r$np-exploits" || fail "run records differ on $np ranks"
  same_output "$work/r1.txt" "$work/r$np.txt"
  diff <(sed "s#$work/r1#DIR#g" "$work/r1-coverage.json") \
    <(sed "s#$work/r$np#DIR#g" "$work/r$np-coverage.json") || fail "coverage differs on $np ranks"
done
ls "$work/t1/exploits/"EXP-*.json >/dev/null || fail "the tournament wrote no record"

# A sweep (docs/sweep-format.md): every cell across the ranks, the same folder.
printf '%s\n' "kernels: [$kernel, $root/kernels/kernel-v0.2.yaml]" \
  "populations: [token-vote, naive]" "seeds: 0..5" "turns: 30" "matchups:" \
  "  - {name: drain, honest: 6, drainer: 2}" >"$work/sweep.yaml"
"$bin" sweep --config "$work/sweep.yaml" --out "$work/s1" >"$work/s1.txt"
"${mpirun[@]}" -np 3 "$bin" sweep --config "$work/sweep.yaml" --out "$work/s3" >"$work/s3.txt" ||
  fail "sweep on 3 ranks exited $?"
diff -r "$work/s1" "$work/s3" || fail "sweep folders differ on 3 ranks"
same_output "$work/s1.txt" "$work/s3.txt"

# A hunt: one island per rank ("Hunts: islands"). On 2 ranks the folder and
# output are the same with 1 and 2 threads per rank, and every record
# replays on its kernel; on 1 rank it is a one-process hunt.
hunt=(hunt --kernel "$kernel" --roster honest:5,attacker:4 --budget 300 --turns 16
  --migrate-every 2 --minimize-budget 200 --quiet)
for t in 1 2; do
  "${mpirun[@]}" -np 2 "$bin" "${hunt[@]}" --threads "$t" --out "$work/h2-$t" --coverage \
    "$work/h2-$t.json" >"$work/h2-$t.txt" || fail "hunt on 2 ranks exited $?"
done
diff -r "$work/h2-1" "$work/h2-2" || fail "hunt folders differ with 1 and 2 threads per rank"
same_output "$work/h2-1.txt" "$work/h2-2.txt"
diff <(sed "s#$work/h2-1#DIR#g" "$work/h2-1.json") <(sed "s#$work/h2-2#DIR#g" "$work/h2-2.json") ||
  fail "hunt coverage differs with 1 and 2 threads per rank"
grep -q '"islands"' "$work/h2-1/hunt.json" || fail "hunt.json on 2 ranks names no islands"
grep -q '^2 islands' "$work/h2-1.txt" || fail "the hunt on 2 ranks does not say it ran 2 islands"
ls "$work/h2-1/exploits/"EXP-*.json >/dev/null || fail "the hunt on 2 ranks wrote no record"
for record in "$work/h2-1/exploits/"EXP-*.json; do
  code=0
  "$bin" replay --kernels-dir "$root/kernels" "$record" >/dev/null || code=$?
  [ "$code" -eq 1 ] || fail "$record from the hunt on 2 ranks: replay exited $code, not 1"
done
"$bin" "${hunt[@]}" --out "$work/h1" >"$work/h1.txt"
"${mpirun[@]}" -np 1 "$bin" "${hunt[@]}" --out "$work/h1m" >"$work/h1m.txt" ||
  fail "hunt on 1 rank exited $?"
diff -r "$work/h1" "$work/h1m" || fail "a hunt on 1 rank differs from one process"
same_output "$work/h1.txt" "$work/h1m.txt"

# Ranks that would hunt something else (another kernel at the path a node
# reads, here on rank 1): every rank stops with one error, exit 2, nothing written.
code=0
"${mpirun[@]}" -np 1 "$bin" "${hunt[@]}" --out "$work/hmix" : \
  -np 1 "$bin" hunt --kernel "$root/kernels/kernel-v0.2.yaml" "${hunt[@]:3}" --out "$work/hmix" \
  >"$work/hmix.txt" 2>"$work/hmix.err" || code=$?
[ "$code" -eq 2 ] || fail "a hunt with another kernel on rank 1 exited $code, not 2"
grep -q '^error: rank 1 read another kernel than rank 0' "$work/hmix.err" ||
  fail "a hunt with another kernel on rank 1: $(cat "$work/hmix.err")"
[ "$(grep -c '^error:' "$work/hmix.err")" -eq 1 ] || fail "another kernel: not one error line"
[ ! -e "$work/hmix" ] || fail "a refused hunt wrote its folder"
! ls -d "$work"/hmix.partial-* 2>/dev/null || fail "a refused hunt left its partial folder"

# Another command under several ranks: refused on rank 0, one error, exit 2.
code=0
"${mpirun[@]}" -np 2 "$bin" list >"$work/list.txt" 2>"$work/list.err" || code=$?
[ "$code" -eq 2 ] || fail "list on 2 ranks exited $code, not 2"
[ "$(grep -c '^error:' "$work/list.err")" -eq 1 ] || fail "list on 2 ranks: not one error line"
[ ! -s "$work/list.txt" ] || fail "list on 2 ranks printed to stdout"

# Bad input: every rank stops; one error line; exit 2.
code=0
"${mpirun[@]}" -np 3 "$bin" tournament --kernel "$work/missing.yaml" \
  >"$work/bad.txt" 2>"$work/bad.err" || code=$?
[ "$code" -eq 2 ] || fail "a missing kernel on 3 ranks exited $code, not 2"
[ "$(grep -c '^error:' "$work/bad.err")" -eq 1 ] || fail "a missing kernel: not one error line"
echo "mpi_artifacts_test: tournament and run on 3 and 2 ranks and a sweep on 3: as one process;" \
  "a hunt on 2 ranks: the same with 1 and 2 threads, records replay; on 1 rank: as one process"
