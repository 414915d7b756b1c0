// See base/test_kill.h.
#include "base/test_kill.h"

#include <csignal>
#include <cstdlib>
#include <mutex>
#include <string>

namespace fable {

void test_kill_point(std::string_view step) {
  const char* const env = std::getenv("FABLE_TEST_KILL_AT");
  if (env == nullptr) return;
  std::string_view wanted(env);
  unsigned long nth = 1;
  if (const std::size_t hash = wanted.find('#'); hash != std::string_view::npos) {
    nth = std::strtoul(std::string(wanted.substr(hash + 1)).c_str(), nullptr, 10);
    wanted = wanted.substr(0, hash);
  }
  if (wanted != step) return;
  static std::mutex mutex;
  static unsigned long arrivals = 0;
  const std::lock_guard<std::mutex> lock(mutex);
  if (++arrivals == nth) std::raise(SIGKILL);
}

}  // namespace fable
