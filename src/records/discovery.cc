// Finding a record's discovery kernel by name and version, checked by content
// hash; see include/fable/replay.h.
#include <algorithm>
#include <filesystem>
#include <system_error>

#include <fmt/format.h>

#include "base/hash.h"
#include "fable/replay.h"

namespace fable {

Status check_kernel_claim(const Reproduction& r, const KernelFile& file) {
  if (hex64(file.content_hash) != r.kernel_hash ||
      (file.name == r.kernel_name && file.version == r.kernel_version)) {
    return Status::Ok();
  }
  return Status::Invalid(fmt::format(
      "the record claims kernel {} v{} but its kernel_hash {} is that of {} ({} v{}): the "
      "record's kernel_name, kernel_version and kernel_hash disagree",
      r.kernel_name, r.kernel_version, r.kernel_hash, file.path, file.name, file.version));
}

Result<std::string> match_discovery_kernel(std::span<const KernelFile> files, const Reproduction& r,
                                           std::string_view dir) {
  for (const KernelFile& f : files) {
    if (Status st = check_kernel_claim(r, f); !st.ok()) return st;
  }
  const KernelFile* same_name = nullptr;
  for (const KernelFile& f : files) {
    if (f.name != r.kernel_name || f.version != r.kernel_version) continue;
    if (hex64(f.content_hash) == r.kernel_hash) return f.path;
    if (same_name == nullptr) same_name = &f;
  }
  if (same_name != nullptr) {
    return Status::Invalid(fmt::format(
        "{} is {} v{} but its content hash is {}, not the discovery hash {}: the kernel changed "
        "after the discovery; restore it or give --kernel FILE",
        same_name->path, r.kernel_name, r.kernel_version, hex64(same_name->content_hash),
        r.kernel_hash));
  }
  return Status::Invalid(fmt::format(
      "no kernel in {} is {} v{} (the discovery kernel, content hash {}); give --kernel FILE", dir,
      r.kernel_name, r.kernel_version, r.kernel_hash));
}

Result<std::string> find_discovery_kernel(const std::string& dir, const Reproduction& r) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::string> paths;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".yaml") paths.push_back(it->path().string());
  }
  if (ec)
    return Status::Invalid(
        fmt::format("{}: not a readable folder of kernels: {}", dir, ec.message()));
  std::sort(paths.begin(), paths.end());
  std::vector<KernelFile> files;
  for (const std::string& path : paths) {
    const Result<Kernel> k = Kernel::load_file(path);
    if (!k.ok()) continue;  // not a kernel document: cannot be the discovery kernel
    files.push_back({path, k->name(), k->version().to_string(), k->content_hash()});
  }
  return match_discovery_kernel(files, r, dir);
}

}  // namespace fable
