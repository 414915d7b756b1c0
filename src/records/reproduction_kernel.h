// Internal: the fields of a record's reproduction that name the kernel and
// the engine it was found on, filled from the kernel itself.
#pragma once

#include <string>

#include "base/hash.h"
#include "fable/episode.h"
#include "fable/kernel.h"
#include "fable/record.h"

namespace fable {

// Sets r.kernel_name, r.kernel_version ("0.1.0"), r.kernel_hash (16 hex
// digits of kernel.content_hash(), as records carry it) and r.engine_version
// (kEngineVersion); leaves every other field as it is.
inline void set_reproduction_kernel(Reproduction& r, const Kernel& kernel) {
  r.kernel_name = kernel.name();
  r.kernel_version = kernel.version().to_string();
  r.kernel_hash = hex64(kernel.content_hash());
  r.engine_version = std::string(kEngineVersion);
}

}  // namespace fable
