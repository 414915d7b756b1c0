// Internal: participant ids looked up by binary search in a sorted table.
//
// A roster may hold 100,000 participants and a record as many perpetrators
// (fable/limits.h), so "which position holds this id" and "is this id among
// those" must not scan: a scan per lookup made reading and replaying such a
// record quadratic (110 s for one record of 100,000 perpetrators). The table
// is built once, in n log n, and answers each lookup in log n.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fable {

class IdTable {
 public:
  IdTable() = default;
  // The table of `ids`, position i holding ids[i]. It keeps views into the
  // strings: they must outlive the table and not change. A repeated id
  // resolves to its first position, as a scan from the front would.
  explicit IdTable(std::span<const std::string> ids);

  // The first position holding `id`, or nullopt when no position does.
  std::optional<std::size_t> find(std::string_view id) const;
  bool contains(std::string_view id) const { return find(id).has_value(); }
  // How many ids the table was built from (repeats counted).
  std::size_t size() const { return sorted_.size(); }

 private:
  std::vector<std::pair<std::string_view, std::size_t>> sorted_;  // by id, then position
};

}  // namespace fable
