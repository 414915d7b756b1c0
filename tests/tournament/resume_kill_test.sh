#!/bin/sh
# Issue 15, point 2, done when: a tournament killed with SIGKILL mid-run and
# started again with --resume ends with the same artifacts, coverage map and
# store rows as a run never stopped (docs/resume.md).
#
# usage: resume_kill_test.sh FABLE_SELFPLAY SOURCE_DIR WORK_DIR
# Both runs use the same relative names (A, A.db, cov.json) in their own
# folder, so the store's record paths agree; the only columns neutralised
# are runs.started_at and runs.finished_at (wall-clock times, the only
# values a store row holds that are not a function of the run's inputs:
# fable/run_store.h). Exit 77 (skipped) without the sqlite3 shell.
set -eu
. "$(dirname "$0")/../support/script_env.sh"
mkdir -p "$work/killed" "$work/whole"

run() {  # (run FOLDER [extra flags]): the same command line in FOLDER, in a subshell it replaces
  cd "$work/$1"
  shift
  exec "$bin" tournament --kernel "$src/kernels/kernel-v0.1.yaml" --seeds 0..399 --threads 2 \
    --checkpoint-every 64 --coverage cov.json --out A --store A.db "$@"
}

# Killed by SIGKILL once it has taken its 200th episode (the test-only
# FABLE_TEST_KILL_AT=episode#200, base/test_kill.h: mid-run whatever the
# machine's speed; a kill sent from outside once 200 files were seen let the
# run finish first on a fast machine). Jobs 0..199 were taken, so the
# checkpoint of job 192 was written; the other worker was playing.
killed_at "episode#200" "$work/killed.log" run killed
n=$(ls "$work"/killed/A.partial-*/episodes | wc -l)
[ "$n" -eq 200 ] || fail "killed after its 200th episode, it left $n episode files"
[ -e "$work/killed/A" ] && fail "the killed run published its folder"
ls -d "$work"/killed/A.partial-* >/dev/null || fail "no partial folder left"
done_before=$(sqlite3 "$work/killed/A.db" "select episodes_done from runs")
stored=$(sqlite3 "$work/killed/A.db" "select count(*) from episodes")
[ "$done_before" -lt 2000 ] || fail "the run was killed after its last episode"
[ "$stored" -ge "$done_before" ] || fail "the store claims $done_before episodes but holds $stored"
echo "killed at $n episode files; store holds $stored episode rows (episodes_done $done_before)"

if ! (run killed --resume) >"$work/resumed.log" 2>&1; then
  cat "$work/resumed.log"
  fail "--resume failed"
fi
grep "^resumed " "$work/resumed.log"
if ! (run whole) >"$work/whole.log" 2>&1; then
  cat "$work/whole.log"
  fail "the uninterrupted run failed"
fi

[ "$(cd "$work/killed" && ls -A)" = "$(cd "$work/whole" && ls -A)" ] ||
  fail "the folders hold different files: $(cd "$work/killed" && ls -A)"
diff -r "$work/killed/A" "$work/whole/A" || fail "the artifacts differ"
cmp "$work/killed/cov.json" "$work/whole/cov.json" || fail "the coverage maps differ"
for f in killed whole; do
  sqlite3 "$work/$f/A.db" .dump |
    sed -E "s/'[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'/'TIME'/g" >"$work/$f.sql"
done
diff "$work/killed.sql" "$work/whole.sql" || fail "the store rows differ"
rows=$(sqlite3 "$work/killed/A.db" "select count(*) from episodes")
[ "$rows" -eq 2000 ] || fail "$rows episode rows, expected 2000"
echo "identical: artifacts, coverage map and store rows (2000 episodes)"
