// Participant ids in a sorted table; see id_table.h.
#include "base/id_table.h"

#include <algorithm>

namespace fable {

IdTable::IdTable(std::span<const std::string> ids) {
  sorted_.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) sorted_.emplace_back(ids[i], i);
  // Stable: of a repeated id, the first position comes first.
  std::stable_sort(sorted_.begin(), sorted_.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
}

std::optional<std::size_t> IdTable::find(std::string_view id) const {
  const auto at = std::lower_bound(sorted_.begin(), sorted_.end(), id,
                                   [](const auto& e, std::string_view v) { return e.first < v; });
  if (at == sorted_.end() || at->first != id) return std::nullopt;
  return at->second;
}

}  // namespace fable
