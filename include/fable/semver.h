// Governance semver: versions of kernel documents and how a change bumps them.
//
// A change that weakens a protection is a major bump, one that tightens is a
// minor bump, a neutral edit (wording, epoch length, income) is a patch. The
// direction of each parameter comes from ParamInfo::tightens. The same
// classification serves amendments during play and `kernel diff A B`.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "fable/params.h"

namespace fable {

struct Version {
  int major = 0;
  int minor = 0;
  int patch = 0;

  // "MAJOR.MINOR.PATCH", each a whole number without sign or leading zeros.
  static std::optional<Version> parse(std::string_view text);
  std::string to_string() const;
  friend auto operator<=>(const Version&, const Version&) = default;
};

enum class Bump { kNone = 0, kPatch = 1, kMinor = 2, kMajor = 3 };
std::string_view bump_name(Bump b);  // "none", "patch", "minor", "major"

// How changing `id` from `before` to `after` bumps the kernel.
Bump classify_change(ParamId id, const ParamValue& before, const ParamValue& after);

Version bump_version(const Version& v, Bump b);

}  // namespace fable
