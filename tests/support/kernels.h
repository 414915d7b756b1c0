// The one way tests find files in the source tree and load kernels.
//
// Paths are relative to the source folder (FABLE_SOURCE_DIR, set by
// tests/CMakeLists.txt), e.g. "kernels/kernel-v0.1.yaml". A kernel that does
// not load fails the calling test with the loader's Status message (thrown as
// std::runtime_error, which GoogleTest reports as a failure of the test that
// was running). Tests of the loader itself, which expect a load to fail, call
// Kernel::load_file directly.
#pragma once

#include <algorithm>
#include <filesystem>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "fable/kernel.h"

namespace fable::testing {

// FABLE_SOURCE_DIR + "/" + rel.
inline std::string source_path(std::string_view rel) {
  return std::string(FABLE_SOURCE_DIR) + "/" + std::string(rel);
}

// A fresh copy of the kernel at `rel`. Throws std::runtime_error("cannot load
// <path>: <message>") if it does not load.
inline Kernel load_test_kernel(std::string_view rel) {
  const std::string path = source_path(rel);
  Result<Kernel> k = Kernel::load_file(path);
  if (!k.ok()) throw std::runtime_error("cannot load " + path + ": " + k.status().message());
  return std::move(k).value();
}

// The kernel at `rel`, loaded once per test binary (same failure as
// load_test_kernel). The reference stays valid until the binary exits.
inline const Kernel& cached_kernel(std::string_view rel) {
  static std::mutex mutex;
  static std::map<std::string, Kernel, std::less<>> cache;
  const std::lock_guard<std::mutex> lock(mutex);
  auto it = cache.find(rel);
  if (it == cache.end()) it = cache.emplace(std::string(rel), load_test_kernel(rel)).first;
  return it->second;
}

// A shipped kernel by file name: shipped_kernel("kernel-v0.1.yaml") is
// kernels/kernel-v0.1.yaml, cached.
inline const Kernel& shipped_kernel(std::string_view file) {
  return cached_kernel("kernels/" + std::string(file));
}

// Every valid kernel document of the tree, found by glob when called:
// kernels/*.yaml and tests/data/*.yaml (not tests/data/malformed/), as paths
// relative to the source folder, sorted.
inline std::vector<std::string> valid_kernel_files() {
  std::vector<std::string> files;
  for (const char* dir : {"kernels", "tests/data"}) {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(source_path(dir), ec)) {
      if (e.is_regular_file() && e.path().extension() == ".yaml")
        files.push_back(std::string(dir) + "/" + e.path().filename().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace fable::testing
