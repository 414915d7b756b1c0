// Governance semver; see include/fable/semver.h.
#include "fable/semver.h"

#include <fmt/format.h>

#include <limits>

namespace fable {

namespace {

// One numeric identifier: digits only, no sign, no leading zero unless "0".
std::optional<int> parse_part(std::string_view s) {
  if (s.empty() || s.size() > 9) return std::nullopt;  // 9 digits always fit an int
  if (s.size() > 1 && s[0] == '0') return std::nullopt;
  int v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  return v;
}

// Where a value sits on the parameter's strictness scale: larger is stricter.
// Null is the loosest value of a "no limit" cap (kLower) and means 0 for a
// nullable kHigher parameter (a commons floor of null protects nothing).
double strictness(const ParamInfo& info, const ParamValue& v) {
  switch (info.tightens) {
    case Tightens::kHigher:
      return v.is_null ? 0.0 : v.number;
    case Tightens::kLower:
      return v.is_null ? -std::numeric_limits<double>::infinity() : -v.number;
    case Tightens::kTrue:
    case Tightens::kRollBase:
      return (!v.is_null && v.number != 0.0) ? 1.0 : 0.0;
    case Tightens::kFalse:
      return (!v.is_null && v.number != 0.0) ? 0.0 : 1.0;
    case Tightens::kNeutral:
      return 0.0;
  }
  return 0.0;
}

bool same_value(const ParamValue& a, const ParamValue& b) {
  if (a.is_null || b.is_null) return a.is_null == b.is_null;
  return a.number == b.number;
}

}  // namespace

std::optional<Version> Version::parse(std::string_view text) {
  const auto dot1 = text.find('.');
  if (dot1 == std::string_view::npos) return std::nullopt;
  const auto dot2 = text.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos) return std::nullopt;
  const auto major = parse_part(text.substr(0, dot1));
  const auto minor = parse_part(text.substr(dot1 + 1, dot2 - dot1 - 1));
  const auto patch = parse_part(text.substr(dot2 + 1));  // a third '.' fails as a non-digit
  if (!major || !minor || !patch) return std::nullopt;
  return Version{*major, *minor, *patch};
}

std::string Version::to_string() const {
  return fmt::format("{}.{}.{}", major, minor, patch);
}

std::string_view bump_name(Bump b) {
  switch (b) {
    case Bump::kNone:
      return "none";
    case Bump::kPatch:
      return "patch";
    case Bump::kMinor:
      return "minor";
    case Bump::kMajor:
      return "major";
  }
  return "?";
}

Bump classify_change(ParamId id, const ParamValue& before, const ParamValue& after) {
  if (same_value(before, after)) return Bump::kNone;
  const ParamInfo& info = param_info(id);
  if (info.tightens == Tightens::kNeutral) return Bump::kPatch;
  const double s0 = strictness(info, before);
  const double s1 = strictness(info, after);
  if (s1 > s0) return Bump::kMinor;
  if (s1 < s0) return Bump::kMajor;
  return Bump::kPatch;  // written differently, equally strict (e.g. a floor of null -> 0)
}

Version bump_version(const Version& v, Bump b) {
  switch (b) {
    case Bump::kNone:
      return v;
    case Bump::kPatch:
      return {v.major, v.minor, v.patch + 1};
    case Bump::kMinor:
      return {v.major, v.minor + 1, 0};
    case Bump::kMajor:
      return {v.major + 1, 0, 0};
  }
  return v;
}

}  // namespace fable
