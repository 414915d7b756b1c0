#!/usr/bin/env bash
# Build everything with warnings as errors, with g++ and again with clang++
# (it must build with both; the Python module and the MPI communicator too),
# run the style and static checks (tools/lint.sh: clang-format, line length,
# clang-tidy), then the hostile-input checks of docs/fuzzing.md: every
# libFuzzer harness for FABLE_FUZZ_SECONDS each (tools/fuzz.sh, default 20 s)
# and the whole test suite under AddressSanitizer + UndefinedBehaviorSanitizer,
# then every test of the ordinary build (ctest, last, so that its summary
# closes the output), the pytest suite of the Python module among them
# (tests/python/, test python.pytest).
# Two builds: build-test/ (g++, RelWithDebInfo) and build-asan/ (clang++,
# -O1, sanitizers on every object, libFuzzer's coverage on the library's: the clang build,
# the fuzzers' build and the sanitized test suite in one; docs/fuzzing.md).
# Both have FABLE_MPI on: the ordinary ctest also plays tournament and run
# under `mpirun --oversubscribe -np 3` and `-np 2` and diffs them with one
# process (tests/distributed/mpi_artifacts_test.sh, docs/distributed.md).
# Usage: tools/test.sh   (from anywhere; builds in build-test/ and build-asan/)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/tools/install-deps.sh"
cmake -S "$root" -B "$root/build-test" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DFABLE_WERROR=ON -DFABLE_BUILD_BENCH=ON -DFABLE_PYTHON=ON -DFABLE_MPI=ON
cmake --build "$root/build-test"
"$root/tools/lint.sh" "$root/build-test"

CXX=clang++ cmake -S "$root" -B "$root/build-asan" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" -DFABLE_WERROR=ON -DFABLE_FUZZ=ON \
  -DFABLE_BUILD_BENCH=ON -DFABLE_PYTHON=ON -DFABLE_MPI=ON >/dev/null
cmake --build "$root/build-asan"
FABLE_FUZZ_BUILD="$root/build-asan" "$root/tools/fuzz.sh" "${FABLE_FUZZ_SECONDS:-20}"
asan_log="$root/build-asan/ctest.log"
if ! UBSAN_OPTIONS="print_stacktrace=1" \
    ctest --test-dir "$root/build-asan" --output-on-failure -j "$(nproc)" >"$asan_log" 2>&1; then
  cat "$asan_log"
  echo "test.sh: FAILED under AddressSanitizer + UndefinedBehaviorSanitizer (log: $asan_log)" >&2
  exit 1
fi
echo "test.sh: under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan):"
grep -E "tests passed|Total Test time" "$asan_log" | sed 's/^/  sanitizers: /'
echo "test.sh: the test suite of the ordinary build (build-test)"
ctest --test-dir "$root/build-test" --output-on-failure -j "$(nproc)"
