#!/bin/sh
# Issue 15, point 2, for hunts: a hunt killed at any step of its end
# (docs/resume.md, "How a hunt ends") and started again with --resume ends
# with the folder, exploit folder, coverage file and store rows of a hunt
# never stopped. Each step is reached with the test-only FABLE_TEST_KILL_AT
# (base/test_kill.h), which raises SIGKILL there. Also: --resume on a
# finished hunt (exit 2, "already finished"), and an output folder created
# while the hunt runs (exit 3 naming it, the store row failed, nothing
# written outside the partial folder, which stays resumable; --resume
# refuses while the folder is there and, once it is moved, ends as a hunt
# never stopped).
#
# usage: resume_finish_test.sh FABLE_SELFPLAY SOURCE_DIR WORK_DIR
# The steps and the comparison are tests/support/resume_finish_steps.sh's.
# Exit 77 (skipped) without the sqlite3 shell.
set -eu
. "$(dirname "$0")/../support/script_env.sh"

hunt() {  # (hunt FOLDER [extra flags]): the same command line in FOLDER, in a subshell it replaces
  mkdir -p "$work/$1"
  cd "$work/$1"
  shift
  exec "$bin" hunt --kernel "$src/kernels/kernel-v0.1.yaml" --roster honest:9,attacker:11 \
    --budget 300 --threads 1 --checkpoint-every 2 --minimize-budget 100 --out A --exploit-dir X \
    --coverage cov.json --store A.db --quiet "$@"
}

cmd() { hunt "$@"; }
. "$src/tests/support/resume_finish_steps.sh"

records=$(run_whole)
[ "$(sqlite3 "$work/whole/A.db" "select episodes_done from runs")" = 300 ] ||
  fail "the uninterrupted hunt's store row does not count its 300 executions"
[ -e "$work/whole/A/checkpoint.bin" ] || [ -e "$work/whole/A/corpus.bin" ] &&
  fail "the finished folder holds its checkpoint"
# 1. Killed at each step of the end, then resumed.
kill_at_each_step "$records" hunt
# 2. --resume on a finished hunt: exit 2, says so, changes nothing.
resume_finished hunt

# 3. A created while the hunt runs (found by session 25's tester: exit 3,
# store row failed, nothing to resume): exit 3 naming A, the store row
# failed, nothing outside the partial folder, which keeps its checkpoint.
# The hunt stops itself at the end of its first generation
# (FABLE_TEST_STOP_AT=generation#1, base/test_kill.h; a stop sent from
# outside on seeing the partial folder could come after the hunt's end), A is
# made, and the hunt goes on: it looks at A only at its end.
(FABLE_TEST_STOP_AT=generation#1 && export FABLE_TEST_STOP_AT && hunt during) \
  >"$work/during-1.log" 2>&1 &
pid=$!
wait_stopped "$pid" 3
fill_out_while_running "$pid" during "$work/during-1.log" hunt 3
# While A is there, --resume refuses (exit 2) naming A and the partial folder.
set +e
(hunt during --resume) >"$work/during-2.log" 2>&1
code=$?
set -e
log="$work/during-2.log"
[ "$code" -eq 2 ] || { cat "$log"; fail "3: --resume with A there: exit $code, not 2"; }
grep -q "resume A: the stopped hunt in A.partial-[0-9]* cannot be moved there" "$log" ||
  { cat "$log"; fail "3: the refusal does not name A and the partial folder"; }
mv "$work/during/A" "$work/during-mine"
(hunt during --resume) >"$work/during-3.log" 2>&1 ||
  { cat "$work/during-3.log"; fail "3: --resume"; }
same_as_whole during "A created while the hunt ran, then moved"
echo "finished hunt: exit 2; A created while it ran: named, resumable, then identical"
