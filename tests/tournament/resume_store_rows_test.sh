#!/bin/sh
# --resume refuses a store that lost episode rows its checkpoint counts on
# (found by session 25's tester: a store whose -wal file was deleted by hand
# was marked complete with fewer episode rows than the run played). The lost
# rows are deleted here with the sqlite3 shell; --resume must exit 2 naming
# the store, the run id and the counts, and change nothing: the store rows,
# the partial folder or the published folder with its checkpoint. Both
# places a checkpoint can be: the partial folder (killed after its files were
# written) and the published folder (killed just after publishing it).
#
# usage: resume_store_rows_test.sh FABLE_SELFPLAY SOURCE_DIR WORK_DIR
# Exit 77 (skipped) without the sqlite3 shell.
set -eu
. "$(dirname "$0")/../support/script_env.sh"

run() {  # (run FOLDER [extra flags]): in FOLDER, in a subshell it replaces
  mkdir -p "$work/$1"
  cd "$work/$1"
  shift
  exec "$bin" run --kernel "$src/kernels/kernel-v0.1.yaml" --roster honest:5,drainer:1 \
    --episodes 40 --threads 1 --checkpoint-every 8 --out A --store A.db --quiet "$@"
}

for step in files-written published; do
  killed_at "$step" "$work/$step.log" run "$step"
  db="$work/$step/A.db"
  [ "$(sqlite3 "$db" "select count(*) from episodes")" -eq 40 ] ||
    fail "$step: the store does not hold the 40 episodes before rows are lost"
  sqlite3 "$db" "delete from findings where episode >= 30; delete from episodes where episode >= 30"
  before=$(sqlite3 "$db" .dump)
  files=$(cd "$work/$step" && find . ! -name "A.db-*" | sort)
  set +e
  (run "$step" --resume) >"$work/$step-resumed.log" 2>&1
  code=$?
  set -e
  [ "$code" -eq 2 ] || { cat "$work/$step-resumed.log"; fail "$step: --resume: exit $code, not 2"; }
  grep -q "^error: --store A.db: run 1 cannot be resumed: it holds 30 of the 40 episode rows" \
    "$work/$step-resumed.log" ||
    { cat "$work/$step-resumed.log"; fail "$step: the error does not name the store and counts"; }
  [ "$(sqlite3 "$db" .dump)" = "$before" ] || fail "$step: the refused --resume changed the store"
  [ "$(cd "$work/$step" && find . ! -name "A.db-*" | sort)" = "$files" ] ||
    fail "$step: the refused --resume changed the files"
  echo "$step: 10 episode rows lost, --resume refused (exit 2), nothing changed"
done
