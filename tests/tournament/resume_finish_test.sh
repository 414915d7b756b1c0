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
# Every run uses the same relative names (A, X, A.db, cov.json) in its own
# folder, so the store's record paths agree; only runs.started_at and
# runs.finished_at (wall-clock times) are neutralised. Exit 77 (skipped)
# without the sqlite3 shell.
set -eu
bin=$(realpath "$1")
src=$(realpath "$2")
work=$3
command -v sqlite3 >/dev/null || { echo "sqlite3 not found: skipped"; exit 77; }
rm -rf "$work"
mkdir -p "$work"
work=$(realpath "$work")
episodes=60

run() {  # (run FOLDER [extra flags]): the same command line in FOLDER, in a subshell it replaces
  mkdir -p "$work/$1"
  cd "$work/$1"
  shift
  exec "$bin" run --kernel "$src/kernels/kernel-v0.1.yaml" --roster honest:5,drainer:1,suppressor:1 \
    --episodes "$episodes" --threads 2 --checkpoint-every 16 --out A --exploit-dir X \
    --coverage cov.json --store A.db --quiet "$@"
}

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

dump() {  # the store's rows, wall-clock times neutralised
  sqlite3 "$1" .dump | sed -E "s/'[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'/'TIME'/g"
}

same_as_whole() {  # (same_as_whole FOLDER WHAT)
  [ "$(cd "$work/$1" && ls -A)" = "$(cd "$work/whole" && ls -A)" ] ||
    fail "$2: the folders hold different files: $(cd "$work/$1" && ls -A)"
  diff -r "$work/$1/A" "$work/whole/A" || fail "$2: the artifacts differ"
  diff -r "$work/$1/X" "$work/whole/X" || fail "$2: the exploit folders differ"
  cmp "$work/$1/cov.json" "$work/whole/cov.json" || fail "$2: the coverage files differ"
  dump "$work/$1/A.db" >"$work/$1.check.sql"
  diff "$work/$1.check.sql" "$work/whole.sql" || fail "$2: the store rows differ"
}

if ! (run whole) >"$work/whole.log" 2>&1; then
  cat "$work/whole.log"
  fail "the uninterrupted run failed"
fi
dump "$work/whole/A.db" >"$work/whole.sql"
records=$(ls "$work/whole/X" | wc -l)
[ "$records" -ge 2 ] || fail "the run found $records records; the test needs at least 2"
[ "$(sqlite3 "$work/whole/A.db" "select status from runs")" = complete ] ||
  fail "the uninterrupted run is not complete in its store"

# 1. Killed at each step of the end, then resumed. record-appended#1 is the first
# record of the partial folder's exploits/; #(records + 1) the first of X.
for step in files-written record-appended "record-appended#$((records + 1))" exploit-dir coverage \
  store-complete published; do
  name=$(echo "k-$step" | tr '#' '-')
  set +e
  (FABLE_TEST_KILL_AT=$step && export FABLE_TEST_KILL_AT && run "$name") >"$work/$name.log" 2>&1
  code=$?
  set -e
  [ "$code" -eq 137 ] || { cat "$work/$name.log"; fail "$step: exit $code, not killed (137)"; }
  if [ "$step" = published ]; then
    [ -e "$work/$name/A/checkpoint.bin" ] || fail "$step: A/checkpoint.bin missing"
  else
    [ -e "$work/$name/A" ] && fail "$step: A published before its end"
    ls "$work/$name"/A.partial-*/checkpoint.bin >/dev/null || fail "$step: no checkpoint left"
  fi
  if ! (run "$name" --resume) >"$work/$name-resumed.log" 2>&1; then
    cat "$work/$name-resumed.log"
    fail "$step: --resume failed"
  fi
  same_as_whole "$name" "$step"
  echo "killed at $step, resumed: identical"
done
grep -q "the run had finished" "$work/k-published-resumed.log" ||
  fail "published: --resume did not say the run had finished"

# 2. --resume on a finished run: exit 2, says so, changes nothing.
set +e
(run whole --resume) >"$work/again.log" 2>&1
code=$?
set -e
[ "$code" -eq 2 ] || { cat "$work/again.log"; fail "--resume of a finished run: exit $code, not 2"; }
grep -q "the run is already finished" "$work/again.log" ||
  { cat "$work/again.log"; fail "--resume of a finished run does not say it is finished"; }
same_as_whole whole "a finished run's --resume"

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

# 3b. A filled while a resumed run plays (stopped with SIGSTOP while it plays):
# exit 3 naming A, the store run failed, the partial folder resumable.
episodes=3000
(run during) >"$work/during-0.log" 2>&1 &
pid=$!
polls=0
while [ "$(ls "$work"/during/A.partial-*/episodes 2>/dev/null | wc -l)" -lt 100 ]; do
  kill -0 "$pid" 2>/dev/null || fail "3b: the run ended before it was killed"
  polls=$((polls + 1))
  [ "$polls" -lt 12000 ] || fail "3b: no episodes after 600 s"
  sleep 0.05
done
kill -9 "$pid"
wait "$pid" 2>/dev/null && fail "3b: the run was not killed"
(run during --resume) >"$work/during-1.log" 2>&1 &
pid=$!
killed_at=$(ls "$work"/during/A.partial-*/episodes | wc -l)
while [ "$(ls "$work"/during/A.partial-*/episodes 2>/dev/null | wc -l)" -le "$((killed_at + 50))" ]; do
  kill -0 "$pid" 2>/dev/null || fail "3b: the resumed run ended before A was filled"
  sleep 0.02
done
kill -STOP "$pid"
[ -e "$work/during/A" ] && { kill -CONT "$pid"; fail "3b: the resumed run ended before A was filled"; }
mkdir "$work/during/A"
echo mine >"$work/during/A/user.txt"
kill -CONT "$pid"
set +e
wait "$pid"
code=$?
set -e
[ "$code" -eq 3 ] || { cat "$work/during-1.log"; fail "3b: exit $code, not 3"; }
grep -q "^error: A: something was created there while the run was going" "$work/during-1.log" ||
  { cat "$work/during-1.log"; fail "3b: the error does not name A"; }
grep -q "run the same command with --resume" "$work/during-1.log" ||
  { cat "$work/during-1.log"; fail "3b: the error does not say the run can be finished"; }
[ "$(cat "$work/during/A/user.txt")" = mine ] || fail "3b: the user's file changed"
ls "$work"/during/A.partial-*/checkpoint.bin >/dev/null || fail "3b: the checkpoint is gone"
[ "$(sqlite3 "$work/during/A.db" "select status from runs")" = failed ] ||
  fail "3b: the store run is not failed"
[ -e "$work/during/cov.json" ] && fail "3b: the coverage file was written for an unpublished run"
mv "$work/during/A" "$work/during/A-mine"
(run during --resume) >"$work/during-2.log" 2>&1 || { cat "$work/during-2.log"; fail "3b: --resume"; }
[ -e "$work/during/A/summary.md" ] && [ ! -e "$work/during/A/checkpoint.bin" ] ||
  fail "3b: the folder was not finished"
[ "$(sqlite3 "$work/during/A.db" "select status, episodes_done from runs")" = "complete|3000" ] ||
  fail "3b: the store run is not complete"
[ "$(sqlite3 "$work/during/A.db" "select count(*) from episodes")" -eq 3000 ] ||
  fail "3b: the store does not hold 3000 episodes"
echo "finished run: exit 2; A filled before and while resumed: named, resumable, then finished"
