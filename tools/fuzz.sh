#!/usr/bin/env bash
# Build the libFuzzer harnesses (fuzz/; clang++, AddressSanitizer,
# UndefinedBehaviorSanitizer) in build-fuzz/ and run each for SECONDS
# (default 60) from its seed corpus fuzz/corpus/<harness>/, with its
# dictionary fuzz/dict/<harness>.dict when there is one. New inputs go to
# build-fuzz/corpus/<harness>/ (the tree's corpus is never written); a crash,
# leak, timeout or out-of-memory input goes to build-fuzz/crashes/ and is named
# in the output. Prints the executions of each harness and in all; exits 1 if
# any harness failed. See docs/fuzzing.md.
# Usage: tools/fuzz.sh [SECONDS] [HARNESS...]   (default: every harness)
# FABLE_FUZZ_BUILD=DIR: build and run the harnesses of DIR instead, a build
# folder already configured with -DFABLE_FUZZ=ON (tools/test.sh hands it
# build-asan/); it is not configured again, and its corpus, crashes and logs
# go under DIR as they go under build-fuzz/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-60}"
[ $# -gt 0 ] && shift
if ! [[ "$seconds" =~ ^[1-9][0-9]{0,5}$ ]]; then
  echo "fuzz.sh: SECONDS must be a whole number 1..999999, got '$seconds'" >&2
  exit 2
fi
all=(kernel_fuzz record_fuzz config_fuzz trace_fuzz engine_fuzz)
harnesses=("$@")
[ ${#harnesses[@]} -eq 0 ] && harnesses=("${all[@]}")
for h in "${harnesses[@]}"; do
  if [[ ! " ${all[*]} " =~ " $h " ]]; then
    echo "fuzz.sh: unknown harness '$h' (one of: ${all[*]})" >&2
    exit 2
  fi
done

build="${FABLE_FUZZ_BUILD:-$root/build-fuzz}"
"$root/tools/install-deps.sh"
if [ -n "${FABLE_FUZZ_BUILD:-}" ]; then
  if ! grep -qx 'FABLE_FUZZ:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
    echo "fuzz.sh: FABLE_FUZZ_BUILD=$build is not a build folder configured with" \
      "-DFABLE_FUZZ=ON" >&2
    exit 2
  fi
else
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DFABLE_FUZZ=ON -DFABLE_BUILD_TESTS=OFF "${launcher[@]}" >/dev/null
fi
cmake --build "$build" --target "${harnesses[@]}"

crashes="$build/crashes"
mkdir -p "$crashes"
export UBSAN_OPTIONS="print_stacktrace=1:${UBSAN_OPTIONS:-}"
total=0
failed=()
for h in "${harnesses[@]}"; do
  corpus="$build/corpus/$h"
  mkdir -p "$corpus"
  log="$build/$h.log"
  args=(-max_total_time="$seconds" -print_final_stats=1 -timeout=30 -rss_limit_mb=2048
    -artifact_prefix="$crashes/$h-" "$corpus" "$root/fuzz/corpus/$h")
  dict="$root/fuzz/dict/$h.dict"
  [ -f "$dict" ] && args=(-dict="$dict" "${args[@]}")
  before="$(mktemp)"
  find "$crashes" -maxdepth 1 -name "$h-*" -type f | sort >"$before"
  echo "fuzz: $h for ${seconds}s"
  status=0
  "$build/fuzz/$h" "${args[@]}" >"$log" 2>&1 || status=$?
  execs="$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -1)"
  execs="${execs:-0}"
  total=$((total + execs))
  mapfile -t found < <(find "$crashes" -maxdepth 1 -name "$h-*" -type f | sort |
    comm -13 "$before" -)
  rm -f "$before"
  if [ "$status" -ne 0 ]; then
    failed+=("$h")
    echo "fuzz: $h FAILED (exit $status) after $execs executions; log: $log" >&2
    grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz: |.*runtime error:|terminate called)' "$log" |
      head -5 >&2 || true
    for f in "${found[@]}"; do echo "fuzz: $h input saved: $f" >&2; done
  else
    echo "fuzz: $h: $execs executions, no crash"
  fi
done
echo "fuzz: $total executions in all (${#harnesses[@]} harnesses, ${seconds}s each)"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: FAILED: ${failed[*]}" >&2
  exit 1
fi
