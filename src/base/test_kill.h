// Test-only kill points (docs/resume.md, "Testing the finishing steps").
//
// A kill at a chosen moment is racy from outside the process, so the steps
// that end a run name themselves here: when the environment variable
// FABLE_TEST_KILL_AT is `STEP` (or `STEP#N`, the Nth time STEP is reached,
// N >= 1), reaching that step raises SIGKILL. That is all it can do: the
// process dies as it would under `kill -9`, nothing is written, skipped or
// changed. Unset (always, outside the tests), it costs one getenv per step.
#pragma once

#include <string_view>

namespace fable {

// Raises SIGKILL when FABLE_TEST_KILL_AT names `step` (and this is its Nth
// arrival, with `STEP#N`); returns otherwise. Thread-safe.
void test_kill_point(std::string_view step);

}  // namespace fable
