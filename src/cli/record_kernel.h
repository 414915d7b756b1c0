// What the record commands (`replay`, `explain`, `minimize`) share: the
// kernel a command runs a record on (the one named by --kernel, or the
// record's discovery kernel found in --kernels-dir), and a verdict's exit code.
#pragma once

#include <string>

#include "fable/kernel.h"
#include "fable/record.h"
#include "fable/replay.h"
#include "fable/status.h"

namespace fable::cli {

// `kernel_flag` when not empty, else find_discovery_kernel(kernels_dir, ...).
// The kernel is loaded and checked against the record's claim
// (check_kernel_claim). Errors name `record_path` (bad input: exit 2).
Result<Kernel> record_kernel(const std::string& record_path, const ExploitRecord& rec,
                             const std::string& kernel_flag, const std::string& kernels_dir);

// The exit code of a replay verdict (commands.h): 1 reproduces, 0 blocked,
// 4 stale.
int verdict_exit(Verdict v);

}  // namespace fable::cli
