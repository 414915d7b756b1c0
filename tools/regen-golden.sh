#!/usr/bin/env bash
# Regenerate the golden transcripts of the conformance suite (tests/golden/,
# docs/conformance.md): builds the test binary, runs only the golden tests with
# FABLE_UPDATE_GOLDEN=1 (which write the files instead of comparing), then shows
# what changed. Review that diff before committing: every changed line is a
# change in what the engine or the agents do on a shipped kernel.
# Usage: tools/regen-golden.sh [BUILD_DIR]   (default build-test/, as tools/test.sh makes it)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$root/build-test}"
[ -f "$build/build.ninja" ] || [ -f "$build/Makefile" ] || {
  echo "regen-golden: $build is not a configured build folder (cmake -S . -B build -G Ninja)" >&2
  exit 2
}
cmake --build "$build" --target fable_tests
FABLE_UPDATE_GOLDEN=1 "$build/tests/fable_tests" \
  --gtest_filter='conformance/KernelConformance.GoldenTranscript/*' --gtest_brief=1
echo "--- changes in tests/golden (review before committing):"
git -C "$root" diff --stat -- tests/golden
git -C "$root" status --short -- tests/golden
