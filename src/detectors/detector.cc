// Findings, fingerprints and the detector suite; the detectors themselves are
// in src/detectors/detectors_*.cc, registered by name (detector_registry.cc).
// docs/detectors.md documents them.
#include "fable/detector.h"

#include <algorithm>
#include <tuple>

#include "base/hash.h"
#include "fable/detector_registry.h"

namespace fable {

std::string_view category_name(Category c) {
  switch (c) {
    case Category::kDrain:
      return "drain";
    case Category::kEntrench:
      return "entrench";
    case Category::kSuppress:
      return "suppress";
    case Category::kProcedure:
      return "procedure";
    case Category::kEmpathy:
      return "empathy";
  }
  return "unknown";
}

namespace {

// The fingerprint of roles and clauses already sorted and distinct.
std::string fingerprint_of(std::string_view name, Category category,
                           const std::vector<std::string_view>& actor_roles,
                           const std::vector<std::string>& kernel_clauses) {
  Hasher h;
  h.str("fable-finding/1").str(name).str(category_name(category));
  h.u64(actor_roles.size());
  for (const std::string_view r : actor_roles) h.str(r);
  h.u64(kernel_clauses.size());
  for (const std::string& c : kernel_clauses) h.str(c);
  return hex64(h.finish());
}

std::vector<std::string_view> sorted_distinct(std::vector<std::string_view> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

}  // namespace

std::string finding_fingerprint(std::string_view name, Category category,
                                std::vector<std::string> actor_roles,
                                std::vector<std::string> kernel_clauses) {
  std::sort(kernel_clauses.begin(), kernel_clauses.end());
  kernel_clauses.erase(std::unique(kernel_clauses.begin(), kernel_clauses.end()),
                       kernel_clauses.end());
  return fingerprint_of(
      name, category,
      sorted_distinct(std::vector<std::string_view>(actor_roles.begin(), actor_roles.end())),
      kernel_clauses);
}

RoleIndex::RoleIndex(const EpisodeTrace& trace) {
  by_id_.reserve(trace.participants.size());
  for (const ParticipantInfo& p : trace.participants) by_id_.emplace_back(p.id, p.role);
  std::sort(by_id_.begin(), by_id_.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first < b.first : a.second.index() < b.second.index();
  });
}

std::string_view RoleIndex::role_of(std::string_view id) const {
  const auto it =
      std::lower_bound(by_id_.begin(), by_id_.end(), id,
                       [](const auto& entry, std::string_view key) { return entry.first < key; });
  return it == by_id_.end() || it->first != id ? std::string_view("unknown")
                                               : agent_role_name(it->second);
}

void ExploitFinding::seal(const EpisodeTrace& trace) {
  seal(RoleIndex(trace));
}

void ExploitFinding::seal(const RoleIndex& index) {
  std::sort(actors.begin(), actors.end());
  actors.erase(std::unique(actors.begin(), actors.end()), actors.end());
  std::sort(kernel_clauses.begin(), kernel_clauses.end());
  kernel_clauses.erase(std::unique(kernel_clauses.begin(), kernel_clauses.end()),
                       kernel_clauses.end());
  // The clauses are sorted and distinct now: hashed in place, not copied.
  std::vector<std::string_view> roles;
  roles.reserve(actors.size());
  for (const std::string& id : actors) roles.push_back(index.role_of(id));
  fingerprint = fingerprint_of(name, category, sorted_distinct(std::move(roles)), kernel_clauses);
}

void DetectorSuite::add(const DetectorKind& kind) {
  add(kind.name, kind.category, kind.make());
}

void DetectorSuite::add(std::string name, Category category, std::unique_ptr<Detector> detector) {
  entries_.push_back({std::move(name), category, std::move(detector)});
}

std::vector<ExploitFinding> DetectorSuite::run(const EpisodeTrace& trace) const {
  if (trace.snapshots.empty()) return {};
  return run(trace, score_episode(trace));
}

LazyEpisodeScore::LazyEpisodeScore(const EpisodeTrace& trace, const ObjectiveScores& red_objectives)
    : trace_(&trace) {
  score_.objectives = red_objectives;
  score_.capture = CaptureFlags::of(red_objectives);
}

const EpisodeScore& LazyEpisodeScore::for_use(ScoreUse use) {
  if (use == ScoreUse::kAll && !complete_) {
    score_ = score_episode(*trace_, score_.objectives);
    complete_ = true;
  }
  return score_;
}

template <typename ScoreFor>
std::vector<ExploitFinding> DetectorSuite::run_with(const EpisodeTrace& trace, ScoreFor score_for,
                                                    FindingTexts texts) const {
  std::vector<ExploitFinding> out;
  if (trace.snapshots.empty()) return out;
  for (const Entry& e : entries_) {
    const std::size_t first = out.size();
    const EpisodeScore& score = score_for(*e.detector);
    if (texts == FindingTexts::kSkip) {
      e.detector->run_without_texts(trace, score, out);
    } else {
      e.detector->run(trace, score, out);
    }
    for (std::size_t i = first; i < out.size(); ++i) {
      out[i].name = e.name;
      out[i].category = e.category;
    }
  }
  if (!out.empty()) {
    const RoleIndex roles(trace);
    for (ExploitFinding& f : out) f.seal(roles);
  }
  std::stable_sort(out.begin(), out.end(), [](const ExploitFinding& a, const ExploitFinding& b) {
    return std::tie(a.turn, a.name, a.fingerprint) < std::tie(b.turn, b.name, b.fingerprint);
  });
  return out;
}

template <typename ScoreFor>
std::vector<std::string_view> DetectorSuite::firing_with(const EpisodeTrace& trace,
                                                         ScoreFor score_for,
                                                         std::span<const std::string> skip) const {
  std::vector<std::string_view> out;
  if (trace.snapshots.empty()) return out;
  std::vector<ExploitFinding> found;  // one detector's, dropped after
  for (const Entry& e : entries_) {
    if (std::binary_search(skip.begin(), skip.end(), e.name) ||
        std::find(out.begin(), out.end(), e.name) != out.end()) {
      continue;  // skipped, or a name that has fired already
    }
    found.clear();
    e.detector->run_without_texts(trace, score_for(*e.detector), found);
    if (!found.empty()) out.push_back(e.name);
  }
  return out;
}

std::vector<ExploitFinding> DetectorSuite::run(const EpisodeTrace& trace, const EpisodeScore& score,
                                               FindingTexts texts) const {
  return run_with(
      trace, [&](const Detector&) -> const EpisodeScore& { return score; }, texts);
}

std::vector<ExploitFinding> DetectorSuite::run(const EpisodeTrace& trace, LazyEpisodeScore& score,
                                               FindingTexts texts) const {
  return run_with(
      trace,
      [&](const Detector& d) -> const EpisodeScore& { return score.for_use(d.score_use(trace)); },
      texts);
}

std::vector<std::string_view> DetectorSuite::firing(const EpisodeTrace& trace,
                                                    const EpisodeScore& score,
                                                    std::span<const std::string> skip) const {
  return firing_with(
      trace, [&](const Detector&) -> const EpisodeScore& { return score; }, skip);
}

std::vector<std::string_view> DetectorSuite::firing(const EpisodeTrace& trace,
                                                    LazyEpisodeScore& score,
                                                    std::span<const std::string> skip) const {
  return firing_with(
      trace,
      [&](const Detector& d) -> const EpisodeScore& { return score.for_use(d.score_use(trace)); },
      skip);
}

std::vector<std::string_view> DetectorSuite::names() const {
  std::vector<std::string_view> out;
  out.reserve(entries_.size());
  for (const Entry& e : entries_) out.push_back(e.name);
  return out;
}

DetectorSuite default_suite() {
  DetectorSuite s;
  for (const DetectorKind* kind : detector_kinds()) s.add(*kind);
  return s;
}

}  // namespace fable
