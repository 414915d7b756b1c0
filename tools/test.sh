#!/usr/bin/env bash
# Build everything with warnings as errors and run the whole test suite.
# Usage: tools/test.sh   (from anywhere; builds in build-test/)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/tools/install-deps.sh"
cmake -S "$root" -B "$root/build-test" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFABLE_WERROR=ON -DFABLE_BUILD_BENCH=ON
cmake --build "$root/build-test"
ctest --test-dir "$root/build-test" --output-on-failure -j "$(nproc)"
