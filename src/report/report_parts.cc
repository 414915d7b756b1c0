// The pieces both report sources share; see src/report/report_parts.h.
#include "report/report_parts.h"

#include <algorithm>

#include <fmt/format.h>

#include "fable/detector.h"
#include "fable/explain.h"
#include "fable/replay.h"

namespace fable::report {

ReportSpread spread_of(std::vector<double> v) {
  ReportSpread s;
  if (v.empty()) return s;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  s.min = v.front();
  s.max = v.back();
  s.median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
  return s;
}

ReportRecord report_record(const ExploitRecord& r, const Kernel* kernel,
                           const std::string& kernel_note) {
  ReportRecord out;
  out.exploit_id = r.exploit_id;
  out.name = r.name;
  out.category = std::string(category_name(r.category));
  out.severity = r.severity;
  out.summary = r.summary;
  out.clauses = r.kernel_clauses;
  out.proposed_guard = r.proposed_guard;
  out.occurrences = r.occurrences;
  out.first_matchup = r.first_matchup;
  out.first_seed = r.first_seed;
  out.first_turn = r.first_turn;
  out.fingerprint = r.fingerprint;
  out.status = r.status;
  if (kernel == nullptr) {
    out.explain_note = fmt::format("No timeline: {}", kernel_note);
    return out;
  }
  const Explanation x = explain_record(r, *kernel, default_suite());
  out.verdict = std::string(verdict_name(x.verdict));
  out.headline = x.headline;
  for (const ExplainEntry& e : x.timeline) {
    out.timeline.push_back(ReportTimelineEntry{e.turn, e.kind, e.who, e.what, e.ruling, e.clause,
                                               e.article, e.essential, e.steps});
  }
  if (x.verdict != Verdict::kReproduces) {
    out.explain_note = fmt::format("On {} v{} the record is {}: {}", r.reproduction.kernel_name,
                                   r.reproduction.kernel_version, out.verdict, x.reason);
  }
  return out;
}

Result<Kernel> find_played_kernel(const std::string& kernel, const std::string& kernels_dir,
                                  const std::string& name, const std::string& version,
                                  const std::string& hash, std::string_view played) {
  if (!kernel.empty()) {
    Result<Kernel> k = Kernel::load_file(kernel);
    if (!k.ok()) return k.status();
    const std::string have = fmt::format("{:016x}", k->content_hash());
    if (have != hash) {
      return Status::Invalid(
          fmt::format("{}: content hash {}, but {} was played on {} v{} (hash {})", kernel, have,
                      played, name, version, hash));
    }
    return k;
  }
  Reproduction want;
  want.kernel_name = name;
  want.kernel_version = version;
  want.kernel_hash = hash;
  const Result<std::string> path = find_discovery_kernel(kernels_dir, want);
  if (!path.ok()) return path.status();
  return Kernel::load_file(*path);
}

}  // namespace fable::report
