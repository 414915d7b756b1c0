// Detectors by name: the registry default_suite() is built from.
//
// Every detector registers itself in its own source file with one line:
//
//   FABLE_REGISTER_DETECTOR({.name = "salami_slicing", .category = Category::kDrain,
//                            .description = "...", .make = detector_of<&run_salami_slicing>});
//
// The registration is the only place a detector's name and category are
// written: the suite stamps them on every finding the detector appends
// (DetectorSuite::run), so the detector's code fills in only what it found.
// The registry lists detectors by name, whatever the order in which files
// happen to register (static initialisation order across files is
// unspecified).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fable/detector.h"
#include "fable/status.h"

namespace fable {

// Makes one detector of a kind.
using DetectorFactory = std::unique_ptr<Detector> (*)();

// What one registration says about a detector.
struct DetectorKindInfo {
  std::string_view name;  // snake_case: lowercase letters, digits and '_', starting with a letter
  Category category = Category::kDrain;
  std::string_view description;  // one line, for `list detectors`
  DetectorFactory make = nullptr;
};

// A registered detector; lives as long as the program.
struct DetectorKind {
  std::string name;
  Category category = Category::kDrain;
  std::string description;
  DetectorFactory make = nullptr;
};

// Every registered detector, by name.
const std::vector<const DetectorKind*>& detector_kinds();
// The detector registered under `name`; nullptr if none is.
const DetectorKind* find_detector_kind(std::string_view name);

// Adds a detector. Fails (and registers nothing) on a malformed or duplicate
// name, or a missing factory.
Result<const DetectorKind*> register_detector_kind(const DetectorKindInfo& info);

// Static registration: registers at construction; a failure is a build defect,
// reported on stderr before the program aborts.
class DetectorRegistrar {
 public:
  explicit DetectorRegistrar(const DetectorKindInfo& info);
  const DetectorKind& kind() const { return *kind_; }

 private:
  const DetectorKind* kind_ = nullptr;
};

// A detector that is a plain function of the trace, or of the trace and the
// episode's score (for one that reads what the score measures, such as the
// red team's objectives). The forms with a FindingTexts argument may leave
// their findings' texts empty when it is kSkip (fable/detector.h); the forms
// without always write them.
using DetectorFn = void (*)(const EpisodeTrace& trace, std::vector<ExploitFinding>& out);
using ScoredDetectorFn = void (*)(const EpisodeTrace& trace, const EpisodeScore& score,
                                  std::vector<ExploitFinding>& out);
using TextsDetectorFn = void (*)(const EpisodeTrace& trace, FindingTexts texts,
                                 std::vector<ExploitFinding>& out);
using ScoredTextsDetectorFn = void (*)(const EpisodeTrace& trace, const EpisodeScore& score,
                                       FindingTexts texts, std::vector<ExploitFinding>& out);
// A function that reads of the score only the red team's objectives
// (score.objectives): its detector says ScoreUse::kObjectives.
using ObjectivesTextsDetectorFn = void (*)(const EpisodeTrace& trace,
                                           const ObjectiveScores& red_objectives,
                                           FindingTexts texts, std::vector<ExploitFinding>& out);

// What a function detector reads of the score on a trace
// (Detector::score_use): one of the three below, or a function of the trace
// for a detector whose reading depends on the kernel.
using ScoreUseFn = ScoreUse (*)(const EpisodeTrace& trace);
inline ScoreUse reads_nothing(const EpisodeTrace&) {
  return ScoreUse::kNothing;
}
inline ScoreUse reads_objectives(const EpisodeTrace&) {
  return ScoreUse::kObjectives;
}
inline ScoreUse reads_all(const EpisodeTrace&) {
  return ScoreUse::kAll;
}

class FunctionDetector final : public Detector {
 public:
  explicit FunctionDetector(DetectorFn fn) : fn_(fn) {}
  void run(const EpisodeTrace& trace, const EpisodeScore&,
           std::vector<ExploitFinding>& out) const override {
    fn_(trace, out);
  }
  ScoreUse score_use(const EpisodeTrace& trace) const override { return reads_nothing(trace); }

 private:
  DetectorFn fn_;
};

class ScoredFunctionDetector final : public Detector {
 public:
  explicit ScoredFunctionDetector(ScoredDetectorFn fn) : fn_(fn) {}
  void run(const EpisodeTrace& trace, const EpisodeScore& score,
           std::vector<ExploitFinding>& out) const override {
    fn_(trace, score, out);
  }

 private:
  ScoredDetectorFn fn_;
};

// A function of any texts form; `use` says what it reads of the score.
class TextsFunctionDetector final : public Detector {
 public:
  explicit TextsFunctionDetector(ScoredTextsDetectorFn fn, ScoreUseFn use = &reads_all)
      : fn_(fn), use_(use) {}
  void run(const EpisodeTrace& trace, const EpisodeScore& score,
           std::vector<ExploitFinding>& out) const override {
    fn_(trace, score, FindingTexts::kWrite, out);
  }
  void run_without_texts(const EpisodeTrace& trace, const EpisodeScore& score,
                         std::vector<ExploitFinding>& out) const override {
    fn_(trace, score, FindingTexts::kSkip, out);
  }
  ScoreUse score_use(const EpisodeTrace& trace) const override { return use_(trace); }

 private:
  ScoredTextsDetectorFn fn_;
  ScoreUseFn use_;
};

// The factory of a function detector: .make = detector_of<&run_salami_slicing>
// (any of the five kinds of function).
template <DetectorFn Fn>
std::unique_ptr<Detector> detector_of() {
  return std::make_unique<FunctionDetector>(Fn);
}
template <ScoredDetectorFn Fn>
std::unique_ptr<Detector> detector_of() {
  return std::make_unique<ScoredFunctionDetector>(Fn);
}
template <TextsDetectorFn Fn>
std::unique_ptr<Detector> detector_of() {
  return std::make_unique<TextsFunctionDetector>(
      [](const EpisodeTrace& trace, const EpisodeScore&, FindingTexts texts,
         std::vector<ExploitFinding>& out) { Fn(trace, texts, out); },
      &reads_nothing);
}
template <ScoredTextsDetectorFn Fn>
std::unique_ptr<Detector> detector_of() {
  return std::make_unique<TextsFunctionDetector>(Fn);
}
template <ObjectivesTextsDetectorFn Fn>
std::unique_ptr<Detector> detector_of() {
  return std::make_unique<TextsFunctionDetector>(
      [](const EpisodeTrace& trace, const EpisodeScore& score, FindingTexts texts,
         std::vector<ExploitFinding>& out) { Fn(trace, score.objectives, texts, out); },
      &reads_objectives);
}
// A function of the score whose reading of it depends on the trace:
// .make = detector_of<&run_invariant_breach, &invariant_breach_reads>.
template <ScoredTextsDetectorFn Fn, ScoreUseFn Use>
std::unique_ptr<Detector> detector_of() {
  return std::make_unique<TextsFunctionDetector>(Fn, Use);
}

#define FABLE_DETECTOR_CONCAT_(a, b) a##b
#define FABLE_DETECTOR_NAME_(a, b) FABLE_DETECTOR_CONCAT_(a, b)

// One line in the detector's source file: FABLE_REGISTER_DETECTOR({.name = ..., ...});
#define FABLE_REGISTER_DETECTOR(...)                                             \
  [[maybe_unused]] static const ::fable::DetectorRegistrar FABLE_DETECTOR_NAME_( \
      fable_detector_registrar_, __COUNTER__)(::fable::DetectorKindInfo __VA_ARGS__)

}  // namespace fable
