// Detectors: turn legal-but-illegitimate outcomes into exploit findings.
//
// A Detector reads an EpisodeTrace (never the engine) and reports findings:
// what happened, who did it, the kernel clauses (article ids and parameter
// paths) that made it legal, and a concrete guard (which parameter, to what
// value) that would have refused it. Only legal moves are flagged: refused
// attempts are not exploits. The fingerprint hashes (detector name, category,
// the actors' roles, the kernel clauses), never seeds, turns or amounts, so the
// same hole found in many episodes is one record (docs/detectors.md).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fable/trace.h"

namespace fable {

enum class Category : std::uint8_t { kDrain = 0, kEntrench, kSuppress, kProcedure, kEmpathy };
inline constexpr int kCategoryCount = static_cast<int>(Category::kEmpathy) + 1;  // kEmpathy is last
std::string_view category_name(Category c);  // "drain", "entrench", ...

struct ExploitFinding {
  std::string name;  // detector name, e.g. "salami_slicing"
  Category category = Category::kDrain;
  int severity = 1;                 // 1..5
  int turn = 0;                     // when it first became true
  std::vector<std::string> actors;  // participant ids, sorted
  std::string summary;
  std::vector<std::string> kernel_clauses;  // article ids and parameter paths, sorted
  std::string proposed_guard;               // e.g. "spend.epoch_rate_cap: null -> 0.33"
  std::vector<std::pair<std::string, std::string>> evidence;  // key/value, in a fixed order
  std::string fingerprint;                                    // 16 hex digits

  // Fills `fingerprint` from name, category, actors' roles and clauses.
  void seal(const EpisodeTrace& trace);
  void seal(const class RoleIndex& roles);
};

// The role of each participant of a trace by id, sorted once so that sealing
// many findings costs O(actors x log participants) each.
class RoleIndex {
 public:
  explicit RoleIndex(const EpisodeTrace& trace);
  // "unknown" for an id that is not a participant.
  std::string_view role_of(std::string_view id) const;

 private:
  std::vector<std::pair<std::string_view, AgentRole>> by_id_;
};

std::string finding_fingerprint(std::string_view name, Category category,
                                std::vector<std::string> actor_roles,
                                std::vector<std::string> kernel_clauses);

class Detector {
 public:
  virtual ~Detector() = default;
  virtual std::string_view name() const = 0;
  virtual Category category() const = 0;
  // Append findings for this trace; the suite seals them (fingerprints).
  virtual void run(const EpisodeTrace& trace, std::vector<ExploitFinding>& out) const = 0;
};

class DetectorSuite {
 public:
  void add(std::unique_ptr<Detector> detector);
  // Every detector over the trace; findings ordered by (turn, name, fingerprint).
  std::vector<ExploitFinding> run(const EpisodeTrace& trace) const;
  std::vector<std::string_view> names() const;

 private:
  std::vector<std::unique_ptr<Detector>> detectors_;
};

// Every detector named in SPEC §5.
DetectorSuite default_suite();

}  // namespace fable
