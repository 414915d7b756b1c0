// Test-only kill and stop points (docs/resume.md, "Testing the finishing
// steps").
//
// A kill or a stop at a chosen moment is racy from outside the process, so
// the steps that a run's tests need name themselves here:
//   * when the environment variable FABLE_TEST_KILL_AT is `STEP` (or
//     `STEP#N`, the Nth time STEP is reached, N >= 1), reaching that step
//     raises SIGKILL: the process dies as it would under `kill -9`;
//   * when FABLE_TEST_STOP_AT is `STEP` (or `STEP#N`), reaching that step
//     raises SIGSTOP: the whole process stops as it would under `kill -STOP`,
//     and goes on from there when it receives SIGCONT.
// That is all they can do: nothing is written, skipped or changed. Unset
// (always, outside the tests), each costs one getenv per step.
#pragma once

#include <string_view>

namespace fable {

// Raises SIGKILL when FABLE_TEST_KILL_AT names `step` (and this is its Nth
// arrival, with `STEP#N`); returns otherwise. Thread-safe.
void test_kill_point(std::string_view step);

// Raises SIGSTOP when FABLE_TEST_STOP_AT names `step` (and this is its Nth
// arrival, with `STEP#N`), then returns once the process is continued;
// returns at once otherwise. Thread-safe. A test waits until the process is
// stopped (state `T` in /proc/PID/stat), does what it must while the run
// cannot move, then sends SIGCONT.
void test_stop_point(std::string_view step);

}  // namespace fable
