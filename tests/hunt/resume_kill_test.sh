#!/bin/sh
# Issue 15, point 2, for hunts: a hunt killed with SIGKILL mid-run and started
# again with --resume ends with the same hunt.json, records, coverage map,
# --exploit-dir records and store rows as a hunt never stopped
# (docs/resume.md, "Hunts").
#
# usage: resume_kill_test.sh FABLE_SELFPLAY SOURCE_DIR WORK_DIR [BUDGET]
# Both hunts use the same relative names (A, A.db, cov.json, X) in their own
# folder, so the store's record paths agree; the only columns neutralised
# are runs.started_at and runs.finished_at (wall-clock times). Exit 77
# (skipped) without the sqlite3 shell.
set -eu
budget=${4:-6000}
. "$(dirname "$0")/../support/script_env.sh"
mkdir -p "$work/killed" "$work/whole"

run() {  # (run FOLDER [extra flags]): the same command line in FOLDER, in a subshell it replaces
  cd "$work/$1"
  shift
  exec "$bin" hunt --kernel "$src/kernels/kernel-v0.1.yaml" --roster honest:9,attacker:11 \
    --budget "$budget" --threads 2 --checkpoint-every 2 --coverage cov.json --exploit-dir X \
    --out A --store A.db --quiet "$@"
}

# Killed by SIGKILL after generation 25 (FABLE_TEST_KILL_AT, base/test_kill.h):
# past the checkpoints of generations 2 to 24, with the work of generation 25
# lost. A kill from outside after a delay raced the hunt: once hunts got
# faster, the delay let a 2-thread hunt play its whole budget first.
killed_at "generation#25" "$work/killed.log" run killed
[ -e "$work/killed/A" ] && fail "the killed hunt published its folder"
[ -e "$work/killed/X" ] && fail "the killed hunt appended records"
[ -e "$work/killed/cov.json" ] && fail "the killed hunt wrote its coverage"
ls -d "$work"/killed/A.partial-* >/dev/null || fail "no partial folder left"
status=$(sqlite3 "$work/killed/A.db" "select status || ' ' || episodes_done from runs")
[ "$status" = "running 0" ] || fail "the killed hunt's store row says '$status', not 'running 0'"
records=$(sqlite3 "$work/killed/A.db" "select count(*) from records")
[ "$records" -eq 0 ] || fail "the killed hunt's store holds $records records"

# corpus.bin (docs/resume.md, "Hunts"): one shorter than its checkpoint
# counts on, or with other bytes, is refused and nothing is changed; one
# longer (a hunt killed between appending to it and replacing its
# checkpoint) is cut back. The real resume below runs on that one.
partial=$(ls -d "$work"/killed/A.partial-*)
cp "$partial/corpus.bin" "$work/corpus.saved"
refused() {  # (refused WHAT MESSAGE): --resume fails with exit 2 and MESSAGE
  if (run killed --resume) >"$work/refused.log" 2>&1; then fail "--resume took a $1 corpus.bin"; fi
  grep -q "$2" "$work/refused.log" || fail "$1 corpus.bin: $(cat "$work/refused.log")"
  cp "$work/corpus.saved" "$partial/corpus.bin"
}
truncate -s 1000 "$partial/corpus.bin"
refused truncated "corpus.bin: .* shorter than the .* its checkpoint counts on"
printf 'X' | dd of="$partial/corpus.bin" bs=1 seek=100 conv=notrunc 2>/dev/null
refused corrupt "corpus.bin: does not match its checkpoint"
status=$(sqlite3 "$work/killed/A.db" "select status || ' ' || episodes_done from runs")
[ "$status" = "running 0" ] || fail "a refused --resume changed the store row: '$status'"
printf 'bytes of an entry a killed hunt appended' >>"$partial/corpus.bin"

if ! (run killed --resume) >"$work/resumed.log" 2>&1; then
  cat "$work/resumed.log"
  fail "--resume failed"
fi
line=$(grep "^resumed " "$work/resumed.log") || fail "no 'resumed' line: $(cat "$work/resumed.log")"
echo "$line"
at=$(echo "$line" | sed -E 's/.* at execution ([0-9]+) of.*/\1/')
[ "$at" -gt 0 ] && [ "$at" -lt "$budget" ] || fail "resumed at execution $at, not mid-hunt"
if ! (run whole) >"$work/whole.log" 2>&1; then
  cat "$work/whole.log"
  fail "the uninterrupted hunt failed"
fi

[ "$(cd "$work/killed" && ls -A)" = "$(cd "$work/whole" && ls -A)" ] ||
  fail "the folders hold different files: $(cd "$work/killed" && ls -A)"
[ -e "$work/killed/A/checkpoint.bin" ] && fail "the published folder holds its checkpoint"
diff -r "$work/killed/A" "$work/whole/A" || fail "the artifacts differ"
diff -r "$work/killed/X" "$work/whole/X" || fail "the --exploit-dir records differ"
cmp "$work/killed/cov.json" "$work/whole/cov.json" || fail "the coverage maps differ"
for f in killed whole; do
  sqlite3 "$work/$f/A.db" .dump |
    sed -E "s/'[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'/'TIME'/g" >"$work/$f.sql"
done
diff "$work/killed.sql" "$work/whole.sql" || fail "the store rows differ"
n=$(sqlite3 "$work/killed/A.db" "select count(*) from records")
[ "$n" -gt 0 ] || fail "the hunt found no record: nothing was compared"
done_rows=$(sqlite3 "$work/killed/A.db" "select status || ' ' || episodes_done from runs")
[ "$done_rows" = "complete $budget" ] || fail "the store row says '$done_rows'"
echo "identical: hunt.json, $n record(s), --exploit-dir, coverage map and store rows"
