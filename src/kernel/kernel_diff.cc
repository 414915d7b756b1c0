// diff_kernels: what changed between two kernels and how it bumps the version.
#include <fmt/format.h>

#include <algorithm>

#include "fable/kernel.h"

namespace fable {

namespace {

template <typename T, typename Key>
const T* find_by(const std::vector<T>& items, const Key& key, std::string T::*field) {
  const auto it =
      std::find_if(items.begin(), items.end(), [&](const T& item) { return item.*field == key; });
  return it == items.end() ? nullptr : &*it;
}

bool same_article(const Article& a, const Article& b) {
  return a.title == b.title && a.text == b.text && a.governs == b.governs;
}

bool same_invariant(const Invariant& a, const Invariant& b) {
  return a.metric == b.metric && a.min == b.min && a.max == b.max && a.article == b.article;
}

void diff_text(const KernelDocument& a, const KernelDocument& b, std::vector<std::string>& out) {
  if (a.name != b.name) out.push_back(fmt::format("name: '{}' -> '{}'", a.name, b.name));
  for (const auto& art : a.articles) {
    const Article* other = find_by(b.articles, art.id, &Article::id);
    if (other == nullptr) {
      out.push_back(fmt::format("article {} removed", art.id));
    } else if (!same_article(art, *other)) {
      out.push_back(fmt::format("article {} reworded", art.id));
    }
  }
  for (const auto& art : b.articles) {
    if (find_by(a.articles, art.id, &Article::id) == nullptr) {
      out.push_back(fmt::format("article {} added", art.id));
    }
  }
  for (const auto& inv : a.invariants) {
    const Invariant* other = find_by(b.invariants, inv.name, &Invariant::name);
    if (other == nullptr) {
      out.push_back(fmt::format("invariant {} removed", inv.name));
    } else if (!same_invariant(inv, *other)) {
      out.push_back(fmt::format("invariant {} changed", inv.name));
    }
  }
  for (const auto& inv : b.invariants) {
    if (find_by(a.invariants, inv.name, &Invariant::name) == nullptr) {
      out.push_back(fmt::format("invariant {} added", inv.name));
    }
  }
}

}  // namespace

KernelDiff diff_kernels(const Kernel& before, const Kernel& after) {
  KernelDiff d;
  for (const auto& info : all_params()) {
    const ParamValue a = get_param(before.params(), info.id);
    const ParamValue b = get_param(after.params(), info.id);
    const Bump bump = classify_change(info.id, a, b);
    if (bump == Bump::kNone) continue;
    d.params.push_back({info.id, a, b, bump});
    d.overall = std::max(d.overall, bump);
  }
  diff_text(before.document(), after.document(), d.text_changes);
  if (!d.text_changes.empty()) d.overall = std::max(d.overall, Bump::kPatch);
  return d;
}

}  // namespace fable
