// The tournament's artifact writer and the text of its artifacts; see
// src/tournament/artifacts.h and docs/tournament-format.md.
#include "tournament/artifacts.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/files.h"
#include "base/safe_name.h"
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
              {"minority_participation", s.minority_participation},
              {"procedural_legitimacy", s.procedural_legitimacy},
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

// `st` with the partial folder named: the run has failed and left it behind.
Status left_in(const Status& st, const fs::path& partial) {
  return {st.code(),
          fmt::format("{}; incomplete output left in {}", st.message(), partial.string())};
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

Result<ArtifactWriter> ArtifactWriter::open(const std::string& out_dir, EpisodeFiles episodes) {
  Result<files::StagedFolder> staged = files::StagedFolder::create(out_dir);
  if (!staged.ok()) return staged.status();
  const fs::path& partial = staged->partial();
  std::error_code ec;
  fs::create_directory(partial / "exploits", ec);
  if (!ec && episodes != EpisodeFiles::kNone) fs::create_directory(partial / "episodes", ec);
  if (ec) return Status::Io(fmt::format("{}: cannot create: {}", partial.string(), ec.message()));
  return ArtifactWriter(std::move(*staged), episodes);
}

Result<ArtifactWriter> ArtifactWriter::adopt(const std::string& out_dir, const fs::path& partial,
                                             EpisodeFiles episodes) {
  Result<files::StagedFolder> staged = files::StagedFolder::adopt(out_dir, partial);
  if (!staged.ok()) return staged.status();
  return ArtifactWriter(std::move(*staged), episodes);
}

Status ArtifactWriter::write_episode(const std::string& matchup, std::uint64_t seed,
                                     const EpisodeScore& score,
                                     const std::vector<ExploitFinding>& findings) const {
  const bool keep = episodes_ == EpisodeFiles::kAll ||
                    (episodes_ == EpisodeFiles::kWithFindings && !findings.empty());
  if (!keep) return Status::Ok();
  // The name becomes a file name: checked here too, whatever the caller checked.
  if (Status st = check_safe_name(matchup, "matchup name"); !st.ok()) return st;
  return files::write_new_file(
      partial() / "episodes" / fmt::format("{}-seed{}.json", matchup, seed),
      episode_summary_json(matchup, seed, score, findings));
}

Status ArtifactWriter::finish(const TournamentResult& result) const {
  AppendOptions keep_ids;
  keep_ids.ids = RecordIds::kAsGiven;
  const auto written =
      append_records((partial() / "exploits").string(), result.exploit_records, keep_ids);
  if (!written.ok()) return left_in(written.status(), partial());
  for (const AppendedRecord& rec : *written) {
    if (!rec.written) {  // dedup left one record per fingerprint: this is a bug
      return Status::Internal(
          fmt::format("internal failure: fingerprint of {} recorded twice", rec.exploit_id));
    }
  }
  if (Status st = files::write_new_file(partial() / "summary.md", render_summary(result));
      !st.ok()) {
    return left_in(st, partial());
  }
  if (Status st = files::write_new_file(partial() / "leaderboard.json", leaderboard_json(result));
      !st.ok()) {
    return left_in(st, partial());
  }
  return folder_.publish();
}

}  // namespace fable
