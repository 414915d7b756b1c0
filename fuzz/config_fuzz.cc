// libFuzzer harness: the tournament-config readers (ours and the seed's) on
// arbitrary YAML text. The readers take a path, so each input is written to
// one temporary file of this process first. Properties: reading never
// crashes, throws, hangs or trips a sanitizer; a refusal has a message; a
// config of ours it accepts passes the range checks
// (check_tournament_settings) and has at least one seed; a seed config it
// accepts has counts that add up and yields a tournament config that passes
// the same checks.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "fable/seed_config.h"
#include "fable/tournament_config.h"
#include "fuzz_support.h"

namespace {

// A file of this process's own, made once and removed at exit.
const std::string& scratch_path() {
  static const std::string path = [] {
    const char* dir = std::getenv("TMPDIR");
    std::string templ =
        std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/fable-config-fuzz-XXXXXX";
    const int fd = mkstemp(templ.data());
    if (fd < 0) fable::fuzz::fail("config", "cannot create a temporary file");
    close(fd);
    static const std::string removed_at_exit = templ;
    std::atexit([] { std::remove(removed_at_exit.c_str()); });
    return templ;
  }();
  return path;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using fable::fuzz::fail;
  const std::string& path = scratch_path();
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) fail("config", "cannot write " + path);
  const bool written = size == 0 || std::fwrite(data, 1, size, f) == size;
  if (std::fclose(f) != 0 || !written) fail("config", "cannot write " + path);

  fable::Result<fable::SeedConfig> seed = fable::load_seed_config(path);
  if (!seed.ok()) {
    if (seed.status().message().empty()) fail("config", "a seed-format refusal without a message");
  } else {
    const fable::TournamentConfig from_seed = seed->tournament_config();
    if (fable::Status st = fable::check_tournament_settings(from_seed); !st.ok())
      fail("config", "seed config accepted out of range: " + st.message());
    if (from_seed.seeds.empty()) fail("config", "seed config accepted with no seed");
  }

  fable::Result<fable::TournamentConfig> cfg = fable::load_tournament_config(path);
  if (!cfg.ok()) {
    if (cfg.status().message().empty()) fail("config", "a refusal without a message");
    return 0;
  }
  if (fable::Status st = fable::check_tournament_settings(*cfg); !st.ok())
    fail("config", "accepted out of range: " + st.message());
  if (cfg->seeds.empty()) fail("config", "accepted with no seed");
  return 0;
}
