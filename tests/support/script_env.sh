# Sourced by the SIGKILL/resume test scripts after `set -eu`, with the
# script's arguments FABLE_SELFPLAY SOURCE_DIR WORK_DIR: sets bin and src
# (absolute), empties WORK_DIR and sets work to its absolute path; exits 77
# (skipped) without the sqlite3 shell, which every such script reads the
# store with.
bin=$(realpath "$1")
src=$(realpath "$2")
work=$3
command -v sqlite3 >/dev/null || { echo "sqlite3 not found: skipped"; exit 77; }
rm -rf "$work"
mkdir -p "$work"
work=$(realpath "$work")
