// Internal: a small YAML tree read from yaml-cpp events, for kernel documents.
//
// Kernels are read through YAML::Parser with our own event handler rather than
// YAML::Load, so that every node keeps its mark and scalar style, anchors and
// aliases are refused before anything is built (no alias bombs), and the node
// count and nesting depth are bounded. Nothing here throws: every yaml-cpp
// exception is turned into a Status.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "fable/status.h"

namespace fable::kernel_yaml {

inline constexpr std::size_t kMaxNodes = 100000;
inline constexpr int kMaxDepth = 64;

struct Node {
  enum class Kind { kNull, kScalar, kSequence, kMapping };
  Kind kind = Kind::kNull;
  int line = -1;      // 0-based, -1 when unknown
  int column = -1;    // 0-based
  std::string tag;    // "?" plain, "!" quoted or block, else an explicit tag
  std::string value;  // scalars only
  // Sequence items; for a mapping, keys and values alternate (key 2i, value 2i+1).
  std::vector<Node> children;

  bool is_plain_scalar() const { return kind == Kind::kScalar && tag == "?"; }
  std::size_t map_size() const { return children.size() / 2; }
  const Node& key(std::size_t i) const { return children[2 * i]; }
  const Node& val(std::size_t i) const { return children[2 * i + 1]; }
};

std::string_view kind_name(const Node& n);  // "null", "a string", "a list", "a mapping"

// "FILE:LINE:COL: " (1-based) or "FILE: " when the mark is unknown.
std::string location(std::string_view source, int line, int column);
inline std::string location(std::string_view source, const Node& n) {
  return location(source, n.line, n.column);
}

// Parse exactly one YAML document into a tree. Errors are complete one-line
// messages prefixed with the source name and position.
Result<Node> read(std::string_view text, std::string_view source);

}  // namespace fable::kernel_yaml
