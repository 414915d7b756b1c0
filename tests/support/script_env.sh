# Sourced by the SIGKILL/resume test scripts after `set -eu`, with the
# script's arguments FABLE_SELFPLAY SOURCE_DIR WORK_DIR: sets bin and src
# (absolute), empties WORK_DIR and sets work to its absolute path; exits 77
# (skipped) without the sqlite3 shell, which every such script reads the
# store with. Defines the helpers they share: fail, killed_at (a run killed
# at a test-only kill point) and wait_stopped (a run stopped at a stop point;
# both points: base/test_kill.h).
bin=$(realpath "$1")
src=$(realpath "$2")
work=$3
command -v sqlite3 >/dev/null || { echo "sqlite3 not found: skipped"; exit 77; }
rm -rf "$work"
mkdir -p "$work"
work=$(realpath "$work")

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# (killed_at STEP LOG CMD [ARGS...]): runs CMD ARGS (a function that execs
# the binary) in a subshell with FABLE_TEST_KILL_AT=STEP, its output in LOG;
# fails, showing LOG, unless it was killed there (exit 137).
killed_at() {
  set +e
  (FABLE_TEST_KILL_AT=$1 && export FABLE_TEST_KILL_AT && shift 2 && "$@") >"$2" 2>&1
  killed_code=$?
  set -e
  [ "$killed_code" -eq 137 ] || { cat "$2"; fail "$1: exit $killed_code, not killed (137)"; }
}

# (wait_stopped PID WHAT): waits until the command PID has stopped itself
# (FABLE_TEST_STOP_AT): state T in /proc/PID/stat. WHAT prefixes the failures.
wait_stopped() {
  polls=0
  while :; do
    state=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null || true)
    case "$state" in
      T) return 0 ;;
      Z | "") fail "$2: the command ended before it stopped itself" ;;
    esac
    polls=$((polls + 1))
    [ "$polls" -lt 60000 ] || fail "$2: not stopped after 600 s"
    sleep 0.01
  done
}
