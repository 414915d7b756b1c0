// The tournament's artifact writer and the text of its artifacts; see
// src/tournament/artifacts.h and docs/tournament-format.md.
#include "tournament/artifacts.h"

#include <algorithm>

#include <fmt/format.h>

#include "base/files.h"
#include "base/json_text.h"
#include "base/safe_name.h"
#include "fable/record_store.h"

namespace fable {

namespace {

namespace fs = std::filesystem;

// The objectives in name order, the order of their keys in the file.
const std::vector<const ObjectiveInfo*>& objectives_by_name() {
  static const std::vector<const ObjectiveInfo*> sorted = [] {
    std::vector<const ObjectiveInfo*> v;
    for (const ObjectiveInfo& info : all_objectives()) v.push_back(&info);
    std::sort(v.begin(), v.end(),
              [](const ObjectiveInfo* x, const ObjectiveInfo* y) { return x->name < y->name; });
    return v;
  }();
  return sorted;
}

void write_strings(JsonTextWriter& w, const std::vector<std::string>& items) {
  w.begin_array();
  for (const std::string& item : items) w.value(item);
  w.end_array();
}

// Keys in byte order throughout: the order json::dump gave them before this
// writer replaced it (docs/tournament-format.md shows the file).
void write_score(JsonTextWriter& w, const EpisodeScore& s) {
  w.begin_object();
  w.key("capture");
  w.begin_object();
  w.key("drain");
  w.value(s.capture.drain);
  w.key("emergency");
  w.value(s.capture.emergency);
  w.key("entrench");
  w.value(s.capture.entrench);
  w.key("exit");
  w.value(s.capture.exit);
  w.key("paralysis");
  w.value(s.capture.paralysis);
  w.key("suppress");
  w.value(s.capture.suppress);
  w.key("timing");
  w.value(s.capture.timing);
  w.end_object();
  w.key("empathy_floor_final");
  w.value(s.empathy_floor_final);
  w.key("empathy_floor_trough");
  w.value(s.empathy_floor_trough);
  w.key("empathy_ratio");
  w.value(s.empathy_ratio);
  w.key("gini");
  w.value(s.gini);
  w.key("governance_score");
  w.value(s.governance_score);
  w.key("herfindahl");
  w.value(s.herfindahl);
  w.key("invariant_breaches");
  write_strings(w, s.invariant_breaches);
  w.key("max_drawdown");
  w.value(s.max_drawdown);
  w.key("minority_participation");
  w.value(s.minority_participation);
  w.key("objectives");
  w.begin_object();
  for (const ObjectiveInfo* info : objectives_by_name()) {
    w.key(info->name);
    w.value(s.objectives[info->id]);
  }
  w.end_object();
  w.key("participation");
  w.value(s.participation);
  w.key("procedural_legitimacy");
  w.value(s.procedural_legitimacy);
  w.key("treasury_final");
  w.value(s.treasury_final);
  w.end_object();
}

void write_finding(JsonTextWriter& w, const ExploitFinding& f) {
  w.begin_object();
  w.key("actors");
  write_strings(w, f.actors);
  w.key("category");
  w.value(category_name(f.category));
  w.key("evidence");
  w.begin_array();
  for (const auto& [k, v] : f.evidence) {
    w.begin_array();
    w.value(k);
    w.value(v);
    w.end_array();
  }
  w.end_array();
  w.key("fingerprint");
  w.value(f.fingerprint);
  w.key("kernel_clauses");
  write_strings(w, f.kernel_clauses);
  w.key("name");
  w.value(f.name);
  w.key("proposed_guard");
  w.value(f.proposed_guard);
  w.key("severity");
  w.value(f.severity);
  w.key("summary");
  w.value(f.summary);
  w.key("turn");
  w.value(f.turn);
  w.end_object();
}

// `st` with the partial folder named: the run has failed and left it behind.
Status left_in(const Status& st, const fs::path& partial) {
  return {st.code(),
          fmt::format("{}; incomplete output left in {}", st.message(), partial.string())};
}

}  // namespace

void append_episode_summary_json(std::string& out, const std::string& matchup, std::uint64_t seed,
                                 const EpisodeScore& score,
                                 const std::vector<ExploitFinding>& findings) {
  JsonTextWriter w(&out);
  w.begin_object();
  w.key("findings");
  w.begin_array();
  for (const ExploitFinding& f : findings) write_finding(w, f);
  w.end_array();
  w.key("matchup");
  w.value(matchup);
  w.key("schema");
  w.value("fable-episode/1");
  w.key("score");
  write_score(w, score);
  w.key("seed");
  w.value(seed);
  w.end_object();
  w.end_document();
}

std::string episode_summary_json(const std::string& matchup, std::uint64_t seed,
                                 const EpisodeScore& score,
                                 const std::vector<ExploitFinding>& findings) {
  std::string out;
  append_episode_summary_json(out, matchup, seed, score, findings);
  return out;
}

bool ArtifactWriter::keeps(EpisodeFiles episodes, const std::vector<ExploitFinding>& findings) {
  return episodes == EpisodeFiles::kAll ||
         (episodes == EpisodeFiles::kWithFindings && !findings.empty());
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
                                     const std::vector<ExploitFinding>& findings,
                                     std::string_view rendered) const {
  if (!keeps(episodes_, findings)) return Status::Ok();
  // The name becomes a file name: checked here too, whatever the caller checked.
  if (Status st = check_safe_name(matchup, "matchup name"); !st.ok()) return st;
  const fs::path path = partial() / "episodes" / fmt::format("{}-seed{}.json", matchup, seed);
  // The partial folder is this run's own (nobody else writes there, and it is
  // published only when complete), so the file is created in place, without
  // the temporary name and link that files::write_new_file uses elsewhere.
  if (!rendered.empty()) return files::create_new_file(path, rendered);
  return files::create_new_file(path, episode_summary_json(matchup, seed, score, findings));
}

Status ArtifactWriter::finish(const TournamentResult& result,
                              const std::function<Status()>& before_publish) const {
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
  if (before_publish) {
    if (Status st = before_publish(); !st.ok()) return st;
  }
  return folder_.publish();
}

}  // namespace fable
