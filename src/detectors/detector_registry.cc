// The detector registry; see include/fable/detector_registry.h.
#include "fable/detector_registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace fable {

namespace {

struct Registry {
  std::vector<std::unique_ptr<DetectorKind>> kinds;  // stable addresses
  std::vector<const DetectorKind*> sorted;           // by name
};

// Constructed on first use, so that registrars in any file may run first.
Registry& registry() {
  static Registry r;
  return r;
}

bool valid_name(std::string_view name) {
  if (name.empty() || name.front() < 'a' || name.front() > 'z') return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

}  // namespace

const std::vector<const DetectorKind*>& detector_kinds() {
  return registry().sorted;
}

const DetectorKind* find_detector_kind(std::string_view name) {
  for (const DetectorKind* kind : registry().sorted) {
    if (kind->name == name) return kind;
  }
  return nullptr;
}

Result<const DetectorKind*> register_detector_kind(const DetectorKindInfo& info) {
  if (!valid_name(info.name)) {
    return Status::Invalid(
        fmt::format("detector '{}': a name is snake_case (lowercase letters, digits and '_', "
                    "starting with a letter)",
                    info.name));
  }
  if (info.make == nullptr)
    return Status::Invalid(fmt::format("detector '{}': no factory", info.name));
  if (find_detector_kind(info.name))
    return Status::Invalid(fmt::format("detector '{}' is registered twice", info.name));
  Registry& reg = registry();
  reg.kinds.push_back(std::make_unique<DetectorKind>(DetectorKind{
      std::string(info.name), info.category, std::string(info.description), info.make}));
  const DetectorKind* added = reg.kinds.back().get();
  reg.sorted.push_back(added);
  std::sort(reg.sorted.begin(), reg.sorted.end(),
            [](const DetectorKind* a, const DetectorKind* b) { return a->name < b->name; });
  return added;
}

DetectorRegistrar::DetectorRegistrar(const DetectorKindInfo& info) {
  Result<const DetectorKind*> r = register_detector_kind(info);
  if (!r.ok()) {
    std::fprintf(stderr, "fable: cannot register a detector: %s\n", r.status().message().c_str());
    std::abort();
  }
  kind_ = *r;
}

}  // namespace fable
