# Sourced by tests/tournament/resume_finish_test.sh and
# tests/hunt/resume_finish_test.sh (sh, set -eu): a command killed at each
# step of its end (docs/resume.md, "How a run ends"; the test-only
# FABLE_TEST_KILL_AT, base/test_kill.h), resumed, and compared with one never
# stopped. The sourcing script sets `work` (an absolute folder) and defines
# `cmd FOLDER [flags]`, which runs its command line in $work/FOLDER, writing
# A, X, cov.json and A.db there, in a subshell it replaces. Every run uses
# those same relative names in its own folder, so the store's record paths
# agree; only runs.started_at and runs.finished_at (wall-clock times) are
# neutralised.

dump() {  # the store's rows, wall-clock times neutralised
  sqlite3 "$1" .dump | sed -E "s/'[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z'/'TIME'/g"
}

# (run_whole): the uninterrupted command in $work/whole; prints how many
# records it appended to X (at least 2 are needed).
run_whole() {
  if ! (cmd whole) >"$work/whole.log" 2>&1; then
    cat "$work/whole.log" >&2
    fail "the uninterrupted command failed"
  fi
  dump "$work/whole/A.db" >"$work/whole.sql"
  n=$(ls "$work/whole/X" | wc -l)
  [ "$n" -ge 2 ] || fail "the command found $n records; the test needs at least 2"
  [ "$(sqlite3 "$work/whole/A.db" "select status from runs")" = complete ] ||
    fail "the uninterrupted command is not complete in its store"
  echo "$n"
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

# (kill_at_each_step RECORDS NOUN): killed at each step of the end, then
# resumed: identical to the whole run. record-appended#1 is the first record
# of the partial folder's exploits/; #(RECORDS + 1) the first of X. Killed
# after publishing, --resume says "the NOUN had finished".
kill_at_each_step() {
  for step in files-written record-appended "record-appended#$(($1 + 1))" exploit-dir coverage \
    store-complete published; do
    name=$(echo "k-$step" | tr '#' '-')
    killed_at "$step" "$work/$name.log" cmd "$name"
    if [ "$step" = published ]; then
      [ -e "$work/$name/A/checkpoint.bin" ] || fail "$step: A/checkpoint.bin missing"
    else
      [ -e "$work/$name/A" ] && fail "$step: A published before its end"
      ls "$work/$name"/A.partial-*/checkpoint.bin >/dev/null || fail "$step: no checkpoint left"
    fi
    if ! (cmd "$name" --resume) >"$work/$name-resumed.log" 2>&1; then
      cat "$work/$name-resumed.log"
      fail "$step: --resume failed"
    fi
    same_as_whole "$name" "$step"
    echo "killed at $step, resumed: identical"
  done
  grep -q "the $2 had finished" "$work/k-published-resumed.log" ||
    fail "published: --resume did not say the $2 had finished"
}

# (resume_finished NOUN): --resume on the finished whole run: exit 2, says
# "the NOUN is already finished", changes nothing.
resume_finished() {
  set +e
  (cmd whole --resume) >"$work/again.log" 2>&1
  code=$?
  set -e
  [ "$code" -eq 2 ] ||
    { cat "$work/again.log"; fail "--resume of a finished $1: exit $code, not 2"; }
  grep -q "the $1 is already finished" "$work/again.log" ||
    { cat "$work/again.log"; fail "--resume of a finished $1 does not say it is finished"; }
  same_as_whole whole "a finished $1's --resume"
}

# (fill_out_while_running PID FOLDER LOG NOUN WHAT): the command PID (in
# $work/FOLDER, its output in LOG) is stopped, A is made there with a file of
# the user's, and it goes on; it must then exit 3 with an error naming A and
# saying the NOUN can be finished with --resume, leave the user's file, its
# checkpoint and its store run failed, and write no coverage file nor
# exploit folder. WHAT prefixes the failures.
fill_out_while_running() {
  kill -STOP "$1"
  [ -e "$work/$2/A" ] && { kill -CONT "$1"; fail "$5: the $4 ended before A was made"; }
  mkdir "$work/$2/A"
  echo mine >"$work/$2/A/user.txt"
  kill -CONT "$1"
  set +e
  wait "$1"
  code=$?
  set -e
  [ "$code" -eq 3 ] || { cat "$3"; fail "$5: exit $code, not 3"; }
  grep -q "^error: A: something was created there while the $4 was going" "$3" ||
    { cat "$3"; fail "$5: the error does not name A"; }
  grep -q "run the same command with --resume" "$3" ||
    { cat "$3"; fail "$5: the error does not say the $4 can be finished"; }
  [ "$(cat "$work/$2/A/user.txt")" = mine ] || fail "$5: the user's file changed"
  ls "$work/$2"/A.partial-*/checkpoint.bin >/dev/null || fail "$5: the checkpoint is gone"
  [ "$(sqlite3 "$work/$2/A.db" "select status from runs")" = failed ] ||
    fail "$5: the store run is not failed"
  [ -e "$work/$2/cov.json" ] && fail "$5: the coverage file was written for an unpublished $4"
  [ -e "$work/$2/X" ] && fail "$5: records were appended for an unpublished $4"
  return 0
}
