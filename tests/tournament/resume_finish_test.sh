#!/bin/sh
# Issue 15, point 2: a run killed at any step of its end (docs/resume.md,
# "How a run ends") and started again with --resume ends with the folder,
# exploit folder, coverage file and store rows of a run never stopped.
# Each step is reached with the test-only FABLE_TEST_KILL_AT (base/test_kill.h),
# which raises SIGKILL there. Also: --resume on a finished run (exit 2, "already
# finished"), and an output folder filled before and while a resumed run plays
# (the error names it; the run stays resumable and ends as any once it is moved).
#
# usage: resume_finish_test.sh FABLE_SELFPLAY SOURCE_DIR WORK_DIR
# The steps and the comparison are tests/support/resume_finish_steps.sh's.
# Exit 77 (skipped) without the sqlite3 shell.
set -eu
. "$(dirname "$0")/../support/script_env.sh"
episodes=60

run() {  # (run FOLDER [extra flags]): the same command line in FOLDER, in a subshell it replaces
  mkdir -p "$work/$1"
  cd "$work/$1"
  shift
  exec "$bin" run --kernel "$src/kernels/kernel-v0.1.yaml" --roster honest:5,drainer:1,suppressor:1 \
    --episodes "$episodes" --threads 2 --checkpoint-every 16 --out A --exploit-dir X \
    --coverage cov.json --store A.db --quiet "$@"
}
cmd() { run "$@"; }
. "$src/tests/support/resume_finish_steps.sh"

records=$(run_whole)
# 1. Killed at each step of the end, then resumed.
kill_at_each_step "$records" run
# 2. --resume on a finished run: exit 2, says so, changes nothing.
resume_finished run

# 3a. A filled before --resume: refused (exit 2) naming A and the partial folder,
# nothing changed; once A is moved away, --resume ends as a run never stopped.
set +e
(FABLE_TEST_KILL_AT=files-written && export FABLE_TEST_KILL_AT && run before) >"$work/before.log" 2>&1
set -e
mkdir "$work/before/A"
echo mine >"$work/before/A/user.txt"
set +e
(run before --resume) >"$work/before-1.log" 2>&1
code=$?
set -e
[ "$code" -eq 2 ] || { cat "$work/before-1.log"; fail "A filled: exit $code, not 2"; }
grep -q "resume A: the stopped run in A.partial-[0-9]* cannot be moved there" "$work/before-1.log" ||
  { cat "$work/before-1.log"; fail "A filled: the error does not name A and the partial folder"; }
[ "$(cat "$work/before/A/user.txt")" = mine ] || fail "A filled: the user's file changed"
ls "$work"/before/A.partial-*/checkpoint.bin >/dev/null || fail "A filled: checkpoint gone"
rm -r "$work/before/A"
(run before --resume) >"$work/before-2.log" 2>&1 || { cat "$work/before-2.log"; fail "3a: --resume"; }
same_as_whole before "A filled before --resume, then moved"

# 3b. A filled while a resumed run plays: exit 3 naming A, the store run
# failed, the partial folder resumable. The run is killed after its 100th
# episode (FABLE_TEST_KILL_AT), resumed, and the resumed run stops itself
# after its 50th (FABLE_TEST_STOP_AT, base/test_kill.h: a stop or a kill sent
# from outside on seeing files could come after the run's end); A is made
# while it is stopped.
episodes=300
killed_at "episode#100" "$work/during-0.log" run during
(FABLE_TEST_STOP_AT=episode#50 && export FABLE_TEST_STOP_AT && run during --resume) \
  >"$work/during-1.log" 2>&1 &
pid=$!
wait_stopped "$pid" 3b
fill_out_while_running "$pid" during "$work/during-1.log" run 3b
mv "$work/during/A" "$work/during/A-mine"
(run during --resume) >"$work/during-2.log" 2>&1 || { cat "$work/during-2.log"; fail "3b: --resume"; }
[ -e "$work/during/A/summary.md" ] && [ ! -e "$work/during/A/checkpoint.bin" ] ||
  fail "3b: the folder was not finished"
[ "$(sqlite3 "$work/during/A.db" "select status, episodes_done from runs")" = "complete|$episodes" ] ||
  fail "3b: the store run is not complete"
[ "$(sqlite3 "$work/during/A.db" "select count(*) from episodes")" -eq "$episodes" ] ||
  fail "3b: the store does not hold $episodes episodes"
echo "finished run: exit 2; A filled before and while resumed: named, resumable, then finished"
