// Kernel documents: the constitution the engine enforces.
//
// A kernel is a YAML document (`schema: fable-kernel/1`, see
// docs/kernel-format.md) with articles, parameters, invariants and a
// changelog. `Kernel` is immutable and cheap to copy: the text parts are
// shared, the typed `Params` are held by value. Amendments return a new Kernel
// with the next governance-semver version; they never mutate the old one. All
// behaviour differences between kernels come from `params()`: no code may test
// a version string. Loading never throws and never crashes: every malformed
// document yields one Status naming the file, line:column where known, and the
// parameter path.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fable/params.h"
#include "fable/semver.h"
#include "fable/status.h"

namespace fable {

inline constexpr std::string_view kKernelSchema = "fable-kernel/1";
inline constexpr std::size_t kMaxKernelBytes = 1 << 20;  // 1 MiB
// What output shows for a clause no article governs (Kernel::article_label).
inline constexpr std::string_view kEngineDefault = "(engine default)";

struct Article {
  std::string id;
  std::string title;
  std::string text;
  std::vector<ClauseId> governs;  // the parameters and structural clauses this article establishes
};

// A named bound on an episode metric, e.g. an empathy floor that must never be breached.
struct Invariant {
  std::string name;
  std::string metric;  // one of kInvariantMetrics
  std::optional<double> min;
  std::optional<double> max;
  std::string article;  // optional: the article that states it
};

inline constexpr auto kInvariantMetrics = std::to_array<std::string_view>(
    {"empathy_floor", "empathy_ratio", "treasury_fraction", "roll_fraction", "governance_score"});

struct ChangelogEntry {
  std::string version;
  std::string summary;
  std::vector<std::string> closes;  // exploit ids this version closes, e.g. "EXP-001"
};

struct KernelDocument {
  std::string schema;
  std::string name;
  Version version;
  std::optional<std::string> supersedes;
  std::vector<Article> articles;
  std::vector<Invariant> invariants;
  std::vector<ChangelogEntry> changelog;
  std::string source;  // file path or label it was read from
  std::string text;    // the document as read (traces embed it so they re-load alone)
};

class Kernel {
 public:
  // Read and validate a document. Errors: missing path, a directory, a file
  // over kMaxKernelBytes, YAML syntax, aliases/anchors, unknown or duplicate
  // keys, wrong types, out-of-range values, missing required fields, clauses
  // no article governs.
  static Result<Kernel> load_file(const std::string& path);
  static Result<Kernel> parse(std::string_view yaml_text, std::string_view source_name);

  const KernelDocument& document() const { return *doc_; }
  const std::string& name() const { return doc_->name; }
  const Version& version() const { return version_; }
  const Params& params() const { return params_; }
  // Hash of the canonical content (schema, name, version, articles, params,
  // invariants): formatting and comments do not change it.
  std::uint64_t content_hash() const { return hash_; }

  // Id of the first article that governs a clause. Empty when none does:
  // kNoClause, or a parameter introduced after table revision 1 that the
  // document neither writes nor moves from its default (no article is
  // required for it; see docs/kernel-format.md, "Adding a parameter").
  std::string_view article_for(ClauseId c) const;
  // For output: article_for(c), or kEngineDefault when no article governs c.
  std::string_view article_label(ClauseId c) const;

  // Value at a dotted path, with or without the leading "params.".
  Result<ParamValue> lookup(std::string_view dotted_path) const;

  // A new kernel with one parameter changed and the version bumped by its class.
  Result<Kernel> amend(std::string_view dotted_path, const ParamValue& value) const;
  Result<Kernel> amend(ParamId id, const ParamValue& value) const;

 private:
  Kernel() = default;
  void rehash();  // hash_content(), remembered per thread for recent kernels
  std::uint64_t hash_content() const;

  std::shared_ptr<const KernelDocument> doc_;
  Version version_;
  Params params_;
  std::uint64_t hash_ = 0;
  std::array<std::int16_t, kClauseCount> article_of_{};

  friend class KernelBuilder;
};

// Parse a value for a parameter from text as a document would write it:
// "0.5", "true", "null", "roll", "3".
Result<ParamValue> parse_param_value(ParamId id, std::string_view text);

struct ParamChange {
  ParamId id;
  ParamValue before;
  ParamValue after;
  Bump bump;
};

struct KernelDiff {
  std::vector<ParamChange> params;        // in parameter-table order
  std::vector<std::string> text_changes;  // articles added/removed/reworded, name, invariants
  Bump overall = Bump::kNone;
};

KernelDiff diff_kernels(const Kernel& before, const Kernel& after);

}  // namespace fable
