// Internal: copying a vector whose first elements the destination holds
// already (the append-only histories of an episode that two copies share).
#pragma once

#include <algorithm>
#include <cassert>
#include <cstddef>
#include <vector>

namespace fable {

// Makes `to` equal to `from`, given that their first `kept` elements are
// equal already: those are left alone and the rest is copied, assigned over
// `to`'s own elements where it has them (so their storage is reused) and
// appended or cut where the lengths differ. With kept == from.size() it cuts
// `to` back to `from`'s length. REQUIRES: kept <= to.size(), kept <= from.size().
template <typename T>
void assign_after_shared(std::vector<T>& to, const std::vector<T>& from, std::size_t kept) {
  assert(kept <= to.size() && kept <= from.size());
  using Diff = typename std::vector<T>::difference_type;
  const std::size_t common = std::min(to.size(), from.size());
  std::copy(from.begin() + static_cast<Diff>(kept), from.begin() + static_cast<Diff>(common),
            to.begin() + static_cast<Diff>(kept));
  if (to.size() > from.size()) {
    to.erase(to.begin() + static_cast<Diff>(from.size()), to.end());
  } else {
    to.insert(to.end(), from.begin() + static_cast<Diff>(common), from.end());
  }
}

}  // namespace fable
