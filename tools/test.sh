#!/usr/bin/env bash
# Build everything with warnings as errors, with g++ and again with clang++
# (it must build with both), run the style and static checks (tools/lint.sh:
# clang-format, line length, clang-tidy), then every test (ctest, last, so
# that its summary closes the output).
# Usage: tools/test.sh   (from anywhere; builds in build-test/)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/tools/install-deps.sh"
cmake -S "$root" -B "$root/build-test" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DFABLE_WERROR=ON -DFABLE_BUILD_BENCH=ON
cmake --build "$root/build-test"
CXX=clang++ cmake -S "$root" -B "$root/build-clang" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
  -DFABLE_WERROR=ON -DFABLE_BUILD_BENCH=ON >/dev/null
cmake --build "$root/build-clang"
"$root/tools/lint.sh" "$root/build-test"
ctest --test-dir "$root/build-test" --output-on-failure -j "$(nproc)"
