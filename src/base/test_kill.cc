// See base/test_kill.h.
#include "base/test_kill.h"

#include <csignal>
#include <cstdlib>
#include <mutex>
#include <string>

namespace fable {
namespace {

// Whether an environment variable's value `env` names `step` (`STEP` or
// `STEP#N`) and this arrival, counted in `arrivals`, is the one it names.
// `env` is the variable's value, read once per process (nullptr: unset).
bool is_named_arrival(const char* env, std::string_view step, std::mutex& mutex,
                      unsigned long& arrivals) {
  if (env == nullptr) return false;
  std::string_view wanted(env);
  unsigned long nth = 1;
  if (const std::size_t hash = wanted.find('#'); hash != std::string_view::npos) {
    nth = std::strtoul(std::string(wanted.substr(hash + 1)).c_str(), nullptr, 10);
    wanted = wanted.substr(0, hash);
  }
  if (wanted != step) return false;
  const std::lock_guard<std::mutex> lock(mutex);
  return ++arrivals == nth;
}

}  // namespace

void test_kill_point(std::string_view step) {
  static const char* const env = std::getenv("FABLE_TEST_KILL_AT");
  static std::mutex mutex;
  static unsigned long arrivals = 0;
  if (is_named_arrival(env, step, mutex, arrivals)) std::raise(SIGKILL);
}

void test_stop_point(std::string_view step) {
  static const char* const env = std::getenv("FABLE_TEST_STOP_AT");
  static std::mutex mutex;
  static unsigned long arrivals = 0;
  if (is_named_arrival(env, step, mutex, arrivals)) std::raise(SIGSTOP);
}

}  // namespace fable
