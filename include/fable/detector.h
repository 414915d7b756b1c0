// Detectors: turn legal-but-illegitimate outcomes into exploit findings.
//
// A Detector reads an EpisodeTrace (never the engine) and reports findings:
// what happened, who did it, the kernel clauses (article ids and parameter
// paths) that made it legal, and a concrete guard (which parameter, to what
// value) that would have refused it. Only legal moves are flagged: refused
// attempts are not exploits. The fingerprint hashes (detector name, category,
// the actors' roles, the kernel clauses), never seeds, turns or amounts, so the
// same hole found in many episodes is one record (docs/detectors.md).
// Detectors register by name (fable/detector_registry.h); the registration
// gives every finding of a detector its name and category. A detector also
// gets the episode's score (fable/metrics.h), worked out once per episode, so
// that what the score measures (the red team's objectives, the governance
// score) is never computed again by a detector.
//
// Texts. A finding's summary, proposed guard and evidence are prose for a
// person; nothing counts, dedups or fingerprints by them. A caller that
// keeps few findings (a tournament without episode files keeps one per
// fingerprint) runs the suite with FindingTexts::kSkip and, for the episodes
// whose findings it may keep, once more with kWrite: formatting the texts
// is about a fifth of the detectors' time (docs/detectors.md, "Texts").
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fable/metrics.h"
#include "fable/trace.h"

namespace fable {

enum class Category : std::uint8_t { kDrain = 0, kEntrench, kSuppress, kProcedure, kEmpathy };
inline constexpr int kCategoryCount = static_cast<int>(Category::kEmpathy) + 1;  // kEmpathy is last
std::string_view category_name(Category c);  // "drain", "entrench", ...

struct ExploitFinding {
  std::string name;                      // detector name, e.g. "salami_slicing" (set by the suite)
  Category category = Category::kDrain;  // the detector's (set by the suite)
  int severity = 1;                      // 1..5
  int turn = 0;                          // when it first became true
  std::vector<std::string> actors;       // participant ids, sorted
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

// Whether a detector writes its findings' texts (summary, proposed_guard,
// evidence). kSkip leaves them empty and changes nothing else: the same
// findings, in the same order, with the same severity, turn, actors, clauses
// and fingerprint as kWrite gives.
enum class FindingTexts : std::uint8_t { kWrite, kSkip };

// What a detector reads of the score it is handed for a trace.
enum class ScoreUse : std::uint8_t {
  kNothing,     // the trace alone
  kObjectives,  // the red team's objectives and capture flags only
  kAll,         // any field
};

class Detector {
 public:
  virtual ~Detector() = default;
  // Append findings for this trace (never called on a trace without
  // snapshots); the suite names, categorises and seals them. `score` is
  // score_episode(trace), or as much of it as score_use(trace) says is read.
  virtual void run(const EpisodeTrace& trace, const EpisodeScore& score,
                   std::vector<ExploitFinding>& out) const = 0;
  // The same findings without their texts (FindingTexts::kSkip). The
  // default writes them anyway (run()): skipping is a saving, never a
  // promise that texts are empty.
  virtual void run_without_texts(const EpisodeTrace& trace, const EpisodeScore& score,
                                 std::vector<ExploitFinding>& out) const {
    run(trace, score, out);
  }
  // What run() reads of its score on `trace`. A suite run with a
  // LazyEpisodeScore works the whole score out only for a detector that
  // says kAll; the default says kAll, so a detector that does not override
  // this always gets the whole score.
  virtual ScoreUse score_use(const EpisodeTrace& /*trace*/) const { return ScoreUse::kAll; }
};

// The score of one trace, worked out only as far as the detectors run on it
// read it (Detector::score_use): a caller that needs no more than the red
// team's objectives (the hunt) saves score_episode's pass over the trace
// whenever no detector asks for the rest. Reads the trace it was made for,
// which must outlive it and not change.
class LazyEpisodeScore {
 public:
  // `red_objectives` must be score_objectives(trace, trace.red_team()) (or
  // an ObjectiveProgress's scores after the whole trace: the same bits).
  LazyEpisodeScore(const EpisodeTrace& trace, const ObjectiveScores& red_objectives);

  // The score to hand a detector that reads `use`: for kAll,
  // score_episode(trace, red_objectives), worked out on the first such call
  // and kept; otherwise a score whose objectives and capture flags are
  // those (the other fields zero, unless the whole score has been worked
  // out already, which is then what is handed).
  const EpisodeScore& for_use(ScoreUse use);
  // Whether the whole score has been worked out.
  bool complete() const { return complete_; }
  // Hands over the score as worked out so far (complete() says how much);
  // the object is spent afterwards.
  EpisodeScore take() { return std::move(score_); }

 private:
  const EpisodeTrace* trace_;
  EpisodeScore score_;
  bool complete_ = false;
};

struct DetectorKind;

class DetectorSuite {
 public:
  // A fresh detector of a registered kind, under its registered name and category.
  void add(const DetectorKind& kind);
  // Any detector: its findings are named `name` and filed under `category`.
  void add(std::string name, Category category, std::unique_ptr<Detector> detector);
  // Every detector over the trace; each finding gets its detector's name and
  // category and is sealed; ordered by (turn, name, fingerprint). `score`
  // must be score_episode(trace) (run_episode has it already); the first
  // form works it out.
  // With FindingTexts::kSkip the findings' texts may be left empty (see
  // FindingTexts); everything else is as with kWrite.
  std::vector<ExploitFinding> run(const EpisodeTrace& trace, const EpisodeScore& score,
                                  FindingTexts texts = FindingTexts::kWrite) const;
  std::vector<ExploitFinding> run(const EpisodeTrace& trace) const;
  // The same findings, each detector handed score.for_use(its score_use):
  // the whole score is worked out only if a detector reads it.
  std::vector<ExploitFinding> run(const EpisodeTrace& trace, LazyEpisodeScore& score,
                                  FindingTexts texts = FindingTexts::kWrite) const;
  // The names of the detectors that report at least one finding on the
  // trace, leaving out those named in `skip` (sorted ascending, distinct),
  // in the order added: exactly the distinct names among run(trace, score,
  // FindingTexts::kSkip)'s findings that are not in `skip`, without sealing
  // a finding (no fingerprint is computed) and without running a skipped
  // detector. `score` as for run(). The hunt's lookahead asks it which
  // detectors a state would fire for the first time in the hunt.
  std::vector<std::string_view> firing(const EpisodeTrace& trace, const EpisodeScore& score,
                                       std::span<const std::string> skip = {}) const;
  // The same names, each detector run handed score.for_use(its score_use).
  std::vector<std::string_view> firing(const EpisodeTrace& trace, LazyEpisodeScore& score,
                                       std::span<const std::string> skip = {}) const;
  std::vector<std::string_view> names() const;  // in the order added

 private:
  struct Entry {
    std::string name;
    Category category;
    std::unique_ptr<Detector> detector;
  };
  std::vector<Entry> entries_;
  // run() and firing() with each detector's score given by
  // score_for(const Detector&) (defined in detector.cc).
  template <typename ScoreFor>
  std::vector<ExploitFinding> run_with(const EpisodeTrace& trace, ScoreFor score_for,
                                       FindingTexts texts) const;
  template <typename ScoreFor>
  std::vector<std::string_view> firing_with(const EpisodeTrace& trace, ScoreFor score_for,
                                            std::span<const std::string> skip) const;
};

// Every registered detector (fable/detector_registry.h), by name: the
// thirteen of SPEC §5 and any other linked into the program.
DetectorSuite default_suite();

}  // namespace fable
