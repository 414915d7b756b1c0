// The kernel a record runs on; see record_kernel.h.
#include "record_kernel.h"

#include "commands.h"
#include "fable/replay.h"

namespace fable::cli {

Result<Kernel> record_kernel(const std::string& record_path, const ExploitRecord& rec,
                             const std::string& kernel_flag, const std::string& kernels_dir) {
  std::string path = kernel_flag;
  if (path.empty()) {
    const auto found = find_discovery_kernel(kernels_dir, rec.reproduction);
    if (!found.ok())
      return Status(found.status().code(), record_path + ": " + found.status().message());
    path = *found;
  }
  Result<Kernel> kernel = Kernel::load_file(path);
  if (!kernel.ok()) return kernel.status();
  const KernelFile file{path, kernel->name(), kernel->version().to_string(),
                        kernel->content_hash()};
  if (Status st = check_kernel_claim(rec.reproduction, file); !st.ok()) {
    return Status(st.code(), record_path + ": " + st.message());
  }
  return kernel;
}

int verdict_exit(Verdict v) {
  switch (v) {
    case Verdict::kReproduces:
      return kExitFinding;
    case Verdict::kBlocked:
      return kExitOk;
    case Verdict::kStale:
      return kExitStale;
  }
  return kExitStale;
}

}  // namespace fable::cli
