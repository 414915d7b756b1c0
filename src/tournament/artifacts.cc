// The tournament's artifact writer and the text of its artifacts; see
// src/tournament/artifacts.h and docs/tournament-format.md.
#include "tournament/artifacts.h"

#include "base/files.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "fable/record_store.h"

namespace fable {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The red team's seven objective values, by objective name.
json objectives_json(const ObjectiveScores& scores) {
  json out = json::object();
  for (const ObjectiveInfo& info : all_objectives()) out[std::string(info.name)] = scores[info.id];
  return out;
}

json score_json(const EpisodeScore& s) {
  return json{{"governance_score", s.governance_score},
              {"empathy_ratio", s.empathy_ratio},
              {"empathy_floor_trough", s.empathy_floor_trough},
              {"empathy_floor_final", s.empathy_floor_final},
              {"treasury_final", s.treasury_final},
              {"gini", s.gini},
              {"herfindahl", s.herfindahl},
              {"max_drawdown", s.max_drawdown},
              {"participation", s.participation},
              {"capture", json{{"drain", s.capture.drain},
                               {"entrench", s.capture.entrench},
                               {"suppress", s.capture.suppress},
                               {"paralysis", s.capture.paralysis},
                               {"emergency", s.capture.emergency},
                               {"exit", s.capture.exit},
                               {"timing", s.capture.timing}}},
              {"objectives", objectives_json(s.objectives)},
              {"invariant_breaches", s.invariant_breaches}};
}

json finding_json(const ExploitFinding& f) {
  json evidence = json::array();
  for (const auto& [k, v] : f.evidence) evidence.push_back(json::array({k, v}));
  return json{{"name", f.name},
              {"category", category_name(f.category)},
              {"severity", f.severity},
              {"turn", f.turn},
              {"actors", f.actors},
              {"summary", f.summary},
              {"kernel_clauses", f.kernel_clauses},
              {"proposed_guard", f.proposed_guard},
              {"evidence", evidence},
              {"fingerprint", f.fingerprint}};
}

std::string fixed(double v, int decimals) {
  return fmt::format("{:.{}f}", v, decimals);
}

// Writes a file of the partial folder (which only this run writes to).
Status write_file(const fs::path& path, const std::string& text) {
  errno = 0;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    const int err = errno;
    return Status::Io(err != 0
                          ? fmt::format("{}: cannot write: {}", path.string(), std::strerror(err))
                          : fmt::format("{}: cannot write", path.string()));
  }
  return Status::Ok();
}

}  // namespace

std::string episode_summary_json(const std::string& matchup, std::uint64_t seed,
                                 const EpisodeScore& score,
                                 const std::vector<ExploitFinding>& findings) {
  json fs_json = json::array();
  for (const ExploitFinding& f : findings) fs_json.push_back(finding_json(f));
  const json doc{{"schema", "fable-episode/1"},
                 {"matchup", matchup},
                 {"seed", seed},
                 {"score", score_json(score)},
                 {"findings", fs_json}};
  return doc.dump(2) + "\n";
}

std::string render_summary(const TournamentResult& r) {
  std::string s = fmt::format("# Tournament summary (kernel v{})\n\n", r.kernel_version);
  s += fmt::format("Kernel: {} v{} (content hash {}); {} episodes.\n\n", r.kernel_name,
                   r.kernel_version, r.kernel_hash, r.episodes_run);
  s += "| matchup | episodes | mean score | mean empathy ratio | worst floor trough | "
       "mean floor trough | capture rate | findings | drain / entrench / suppress / procedure / "
       "empathy |\n";
  s += "|---|---:|---:|---:|---:|---:|---:|---:|---|\n";
  for (const LeaderboardRow& row : r.leaderboard) {
    const auto& c = row.findings_by_category;
    s += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} / {} / {} / {} / {} |\n",
                     row.matchup, row.episodes, fixed(row.mean_governance_score, 2),
                     fixed(row.mean_empathy_ratio, 3), fixed(row.worst_empathy_trough, 2),
                     fixed(row.mean_empathy_floor, 3), fixed(row.capture_rate, 2),
                     row.total_findings, c[0], c[1], c[2], c[3], c[4]);
  }
  s += "\n## Exploit records\n\n";
  if (r.exploit_records.empty()) {
    s += "No exploits found. Either the kernel held, or the red team needs a raise.\n";
  }
  for (const ExploitRecord& rec : r.exploit_records) {
    s += fmt::format("- **{}** [{}/sev{}] {} (x{}): {}\n", rec.exploit_id,
                     category_name(rec.category), rec.severity, rec.name, rec.occurrences,
                     rec.summary);
  }
  return s;
}

Result<ArtifactWriter> ArtifactWriter::open(const std::string& out_dir, EpisodeFiles episodes) {
  fs::path out(out_dir);
  if (Status st = files::check_out_dir(out); !st.ok()) return st;
  fs::path partial = out;
  partial += fmt::format(".partial-{}", ::getpid());
  std::error_code ec;
  fs::create_directories(partial / "exploits", ec);
  if (!ec && episodes != EpisodeFiles::kNone) fs::create_directories(partial / "episodes", ec);
  if (ec) return Status::Io(fmt::format("{}: cannot create: {}", partial.string(), ec.message()));
  return ArtifactWriter(std::move(out), std::move(partial), episodes);
}

Status ArtifactWriter::write_episode(const std::string& matchup, std::uint64_t seed,
                                     const EpisodeScore& score,
                                     const std::vector<ExploitFinding>& findings) const {
  const bool keep = episodes_ == EpisodeFiles::kAll ||
                    (episodes_ == EpisodeFiles::kWithFindings && !findings.empty());
  if (!keep) return Status::Ok();
  return write_file(partial_ / "episodes" / fmt::format("{}-seed{}.json", matchup, seed),
                    episode_summary_json(matchup, seed, score, findings));
}

Status ArtifactWriter::finish(const TournamentResult& result) const {
  AppendOptions keep_ids;
  keep_ids.ids = RecordIds::kAsGiven;
  const auto written =
      append_records((partial_ / "exploits").string(), result.exploit_records, keep_ids);
  if (!written.ok()) return written.status();
  for (const AppendedRecord& rec : *written) {
    if (!rec.written) {  // dedup left one record per fingerprint: this is a bug
      return Status::Internal(
          fmt::format("internal failure: fingerprint of {} recorded twice", rec.exploit_id));
    }
  }
  if (Status st = write_file(partial_ / "summary.md", render_summary(result)); !st.ok()) return st;
  std::error_code ec;
  if (fs::exists(out_, ec)) fs::remove(out_, ec);  // checked empty by open()
  fs::rename(partial_, out_, ec);
  if (ec) {
    return Status::Io(
        fmt::format("{}: cannot move results into place: {}", out_.string(), ec.message()));
  }
  return Status::Ok();
}

}  // namespace fable
