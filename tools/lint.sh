#!/usr/bin/env bash
# Style and static checks that CI enforces, changing nothing:
#   1. clang-format (.clang-format) in check mode on every tracked C++ file;
#   2. no line over 100 columns in C++ sources, CMake files and tools/;
#   3. clang-tidy (.clang-tidy, a small bug-finding set) on every library, CLI
#      and Python-module source, using the compile commands of BUILD_DIR.
# Usage: tools/lint.sh [BUILD_DIR]   (default build-test/, configured by tools/test.sh)
# Exit 0 when clean, 1 with every finding listed otherwise.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build-test}"
cd "$root"
status=0

mapfile -t cxx < <(git ls-files '*.cc' '*.h')
echo "lint: clang-format on ${#cxx[@]} files"
if ! clang-format --dry-run --Werror "${cxx[@]}"; then
  echo "lint: run 'clang-format -i FILE' on the files above" >&2
  status=1
fi

echo "lint: line length (100 columns)"
mapfile -t texts < <(git ls-files '*.cc' '*.h' 'CMakeLists.txt' '*/CMakeLists.txt' 'tools/*')
if awk 'length > 100 { print FILENAME ":" FNR ": " length " columns"; bad = 1 } END { exit bad }' \
    "${texts[@]}"; then :; else
  status=1
fi

if [ ! -f "$build/compile_commands.json" ]; then
  echo "lint: $build/compile_commands.json missing: configure the build first" >&2
  exit 2
fi
mapfile -t sources < <(git ls-files 'src/*.cc' 'python/*.cc')
echo "lint: clang-tidy on ${#sources[@]} files"
tidy_log="$(mktemp)"
if ! printf '%s\n' "${sources[@]}" |
    xargs -P "$(nproc)" -n 4 clang-tidy -p "$build" --quiet >"$tidy_log" 2>&1; then
  grep -E 'error:|warning:' "$tidy_log" | sort -u >&2 || cat "$tidy_log" >&2
  status=1
fi
rm -f "$tidy_log"

[ "$status" -eq 0 ] && echo "lint: clean"
exit "$status"
