// The reader of a tournament or run output folder into a ReportModel; see
// include/fable/report.h and docs/report.md.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <system_error>
#include <tuple>

#include <fmt/format.h>

#include "base/files.h"
#include "base/json_read.h"
#include "fable/detector.h"
#include "fable/episode.h"
#include "fable/explain.h"
#include "fable/money.h"
#include "fable/objectives.h"
#include "fable/record.h"
#include "fable/replay.h"
#include "fable/report.h"
#include "fable/tournament.h"
#include "report/report_parts.h"

namespace fable {

namespace {

namespace fs = std::filesystem;
using json_read::json;
using json_read::Obj;
using report::spread_of;

constexpr std::uintmax_t kMaxJsonFileBytes = 16u << 20;
constexpr std::size_t kMaxMatchups = 100000;
// Episodes re-played per matchup for the per-turn figures (the first seeds).
constexpr std::uint64_t kMaxReplaysPerMatchup = 100;

// The text of the regular file `path` (at most kMaxJsonFileBytes).
Result<std::string> read_text(const fs::path& path) {
  if (Status s = files::check_regular_file(path, "file"); !s.ok()) return s;
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return Status::Io(fmt::format("{}: {}", path.string(), ec.message()));
  if (size > kMaxJsonFileBytes) {
    return Status::Invalid(
        fmt::format("{}: larger than {} bytes", path.string(), kMaxJsonFileBytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io(fmt::format("{}: cannot read", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status::Io(fmt::format("{}: cannot read", path.string()));
  return text.str();
}

// Parses `text` and calls `read` on it; a ReadError becomes
// Status::Invalid "<file>: <what>" (with line and column for a syntax error).
template <typename Fn>
Status parse_with(const fs::path& file, const std::string& text, Fn&& read) {
  try {
    const json doc = json_read::parse_strict(text);
    read(doc);
  } catch (const json_read::ReadError& e) {
    if (e.line > 0) {
      return Status::Invalid(
          fmt::format("{}:{}:{}: {}", file.string(), e.line, e.column, e.what()));
    }
    return Status::Invalid(fmt::format("{}: {}", file.string(), e.what()));
  }
  return Status::Ok();
}

ReportRate read_rate(Obj o) {
  ReportRate r;
  r.count = o.unsigned_integer("count");
  r.rate = o.number("rate");
  r.lower = o.number("lower");
  r.upper = o.number("upper");
  return r;
}

void read_leaderboard(const json& doc, ReportModel& m) {
  Obj top(doc, "");
  const std::string schema = top.name("schema");
  if (schema != "fable-leaderboard/1") {
    json_read::fail("schema", fmt::format("expected fable-leaderboard/1, got '{}'",
                                          json_read::printable(schema)));
  }
  Obj kernel = top.object("kernel");
  m.kernel_name = kernel.name("name");
  m.kernel_version = kernel.name("version");
  m.kernel_hash = kernel.name("hash");
  m.episodes = top.unsigned_integer("episodes");
  m.initial_treasury = top.number("initial_treasury");
  if (top.has("population")) {
    Obj pop = top.object("population");
    if (pop.has("preset")) m.population = pop.name("preset");
  }
  m.capture_names = {"any"};
  for (const ObjectiveInfo& o : all_objectives()) m.capture_names.emplace_back(o.name);
  const json& matchups = top.array("matchups", kMaxMatchups);
  for (std::size_t i = 0; i < matchups.size(); ++i) {
    Obj row(matchups[i], json_read::element_path("matchups", i));
    ReportMatchup mu;
    mu.name = row.name("matchup");
    mu.episodes = row.unsigned_integer("episodes");
    Obj capture = row.object("capture");
    for (const std::string& name : m.capture_names)
      mu.capture.push_back(read_rate(capture.object(name)));
    mu.governance_score_mean = row.object("governance_score").number("mean");
    mu.worst_off_welfare_mean = row.object("worst_off_welfare").number("mean");
    mu.treasury_retention_mean = row.object("treasury_retention").number("mean");
    mu.findings = row.object("findings").unsigned_integer("total");
    m.matchups.push_back(std::move(mu));
  }
  std::sort(m.matchups.begin(), m.matchups.end(),
            [](const ReportMatchup& a, const ReportMatchup& b) { return a.name < b.name; });
}

// One episode file's figures.
struct EpisodeFigures {
  std::string matchup;
  std::uint64_t seed = 0;
  double treasury_final = 0.0;
  double worst_off_final = 0.0;
};

EpisodeFigures read_episode(const json& doc) {
  Obj top(doc, "");
  const std::string schema = top.name("schema");
  if (schema != "fable-episode/1") {
    json_read::fail(
        "schema", fmt::format("expected fable-episode/1, got '{}'", json_read::printable(schema)));
  }
  EpisodeFigures e;
  e.matchup = top.name("matchup");
  e.seed = top.unsigned_integer("seed");
  Obj score = top.object("score");
  e.treasury_final = score.number("treasury_final");
  e.worst_off_final = score.number("empathy_floor_final");
  return e;
}

// The files of `dir` whose names end in `suffix`, in name order; none when
// `dir` does not exist.
Result<std::vector<fs::path>> files_in(const fs::path& dir, std::string_view suffix) {
  std::vector<fs::path> out;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return out;
  if (!fs::is_directory(dir, ec)) {
    return Status::Invalid(fmt::format("{}: not a folder", dir.string()));
  }
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() > suffix.size() && name.ends_with(suffix)) out.push_back(it->path());
  }
  if (ec) return Status::Io(fmt::format("{}: {}", dir.string(), ec.message()));
  std::sort(out.begin(), out.end());
  return out;
}

// The lowest welfare among citizens who have not exited (the empathy floor,
// docs/metrics.md); 0 when everyone has exited.
double worst_off(const TurnSnapshot& s) {
  double floor = 1.0;
  bool any = false;
  for (const CitizenSnapshot& c : s.citizens) {
    if (c.exited) continue;
    floor = std::min(floor, c.welfare);
    any = true;
  }
  return any ? floor : 0.0;
}

// Re-plays the episodes of each matchup (see read_output_folder) and fills
// the per-turn series; returns the note that says what was done.
std::string replay_turn_series(ReportModel& m, const std::vector<ExploitRecord>& records,
                               const std::vector<EpisodeFigures>& episodes, const Kernel* kernel,
                               const std::string& kernel_note) {
  if (kernel == nullptr) {
    return fmt::format("Per-turn figures are not shown: {}", kernel_note);
  }
  if (records.empty()) {
    return "Per-turn figures are not shown: the episode files hold final figures only, and "
           "without a record the folder does not say how many turns were played.";
  }
  if (episodes.empty()) return "Per-turn figures are not shown: the folder has no episode files.";
  const Reproduction& model = records.front().reproduction;
  EpisodeOptions options;
  options.turns =
      records.front().minimized_from ? records.front().minimized_from->n_turns : model.n_turns;
  options.initial_treasury = money_from_units(m.initial_treasury);
  options.settings = model.settings;
  options.population = model.population;
  const DetectorSuite suite = default_suite();
  std::uint64_t replayed = 0;
  std::uint64_t total = 0;
  std::string unknown;  // matchups whose roster the folder does not give
  for (ReportMatchup& mu : m.matchups) {
    // The roster: a record of this matchup that was never minimised keeps
    // it; otherwise a default matchup of that name. Checked by the figures.
    std::optional<Roster> roster;
    for (const ExploitRecord& r : records) {
      if (r.reproduction.matchup == mu.name && !r.minimized_from) roster = r.reproduction.roster;
    }
    if (!roster) {
      if (const auto spec = find_default_matchup(mu.name)) roster = spec->roster;
    }
    if (!roster) unknown += (unknown.empty() ? "" : ", ") + mu.name;
    std::vector<std::vector<double>> welfare;
    std::vector<std::vector<double>> treasury;
    std::uint64_t tried = 0;
    for (const EpisodeFigures& e : episodes) {
      if (e.matchup != mu.name) continue;
      ++total;
      if (!roster || tried == kMaxReplaysPerMatchup) continue;
      ++tried;
      Population agents = make_population(*roster);
      EpisodeOptions o = options;
      o.matchup = mu.name;
      const EpisodeResult played = run_episode(*kernel, agents, e.seed, o, suite);
      if (played.score.treasury_final != e.treasury_final ||
          played.score.empathy_floor_final != e.worst_off_final) {
        continue;
      }
      ++replayed;
      ++mu.replayed_episodes;
      const auto& snaps = played.trace.snapshots;
      if (welfare.size() < snaps.size()) {
        welfare.resize(snaps.size());
        treasury.resize(snaps.size());
      }
      for (std::size_t t = 0; t < snaps.size(); ++t) {
        welfare[t].push_back(worst_off(snaps[t]));
        treasury[t].push_back(money_to_units(snaps[t].treasury));
      }
    }
    for (std::size_t t = 0; t < welfare.size(); ++t) {
      mu.worst_off_by_turn.push_back(spread_of(welfare[t]));
      mu.treasury_by_turn.push_back(spread_of(treasury[t]));
    }
  }
  std::string note = fmt::format(
      "The episode files hold final figures only; the per-turn figures come from re-playing "
      "the episodes on {} v{} with the roster of their matchup and the settings of the "
      "folder's records ({} turns). {} of {} episodes re-played to the same final treasury and "
      "worst-off welfare as their episode file and are shown (at most the first {} seeds of a "
      "matchup); the others are left out.",
      m.kernel_name, m.kernel_version, options.turns, replayed, total, kMaxReplaysPerMatchup);
  if (!unknown.empty()) {
    note += fmt::format(
        " No roster is known for {}: not a default matchup, and every record of it was "
        "minimised (run with --no-minimize to keep the roster).",
        unknown);
  }
  return note;
}

}  // namespace

Result<ReportModel> read_output_folder(const OutputFolderSource& source) {
  ReportModel m;
  m.source = source.dir;
  const fs::path dir(source.dir);
  std::error_code ec;
  const auto st = fs::status(dir, ec);
  if (!fs::exists(st)) return Status::NotFound(fmt::format("{}: no such folder", source.dir));
  if (!fs::is_directory(st)) return Status::Invalid(fmt::format("{}: not a folder", source.dir));
  for (const char* needed : {"leaderboard.json", "summary.md"}) {
    if (!fs::exists(dir / needed, ec)) {
      return Status::Invalid(
          fmt::format("{}: not a tournament or run output folder (no {})", source.dir, needed));
    }
  }
  const fs::path board = dir / "leaderboard.json";
  const Result<std::string> board_text = read_text(board);
  if (!board_text.ok()) return board_text.status();
  if (Status s = parse_with(board, *board_text, [&](const json& d) { read_leaderboard(d, m); });
      !s.ok()) {
    return s;
  }

  std::vector<EpisodeFigures> episodes;
  const auto episode_files = files_in(dir / "episodes", ".json");
  if (!episode_files.ok()) return episode_files.status();
  for (const fs::path& file : *episode_files) {
    const Result<std::string> text = read_text(file);
    if (!text.ok()) return text.status();
    EpisodeFigures e;
    if (Status s = parse_with(file, *text, [&](const json& d) { e = read_episode(d); }); !s.ok())
      return s;
    episodes.push_back(std::move(e));
  }
  // Seed order within a matchup, whatever the file names' order.
  std::stable_sort(episodes.begin(), episodes.end(), [](const auto& a, const auto& b) {
    return std::tie(a.matchup, a.seed) < std::tie(b.matchup, b.seed);
  });
  for (ReportMatchup& mu : m.matchups) {
    std::vector<double> welfare;
    std::vector<double> treasury;
    for (const EpisodeFigures& e : episodes) {
      if (e.matchup != mu.name) continue;
      welfare.push_back(e.worst_off_final);
      treasury.push_back(e.treasury_final);
    }
    mu.episode_files = welfare.size();
    if (!welfare.empty()) {
      mu.final_worst_off = spread_of(welfare);
      mu.final_treasury = spread_of(treasury);
    }
  }

  std::vector<ExploitRecord> records;
  const auto record_files = files_in(dir / "exploits", ".json");
  if (!record_files.ok()) return record_files.status();
  for (const fs::path& file : *record_files) {
    Result<ExploitRecord> rec = load_record(file.string());
    if (!rec.ok()) return rec.status();
    records.push_back(std::move(*rec));
  }

  if (!source.coverage.empty()) {
    Result<CoverageReport> cov = load_coverage_file(source.coverage);
    if (!cov.ok()) return cov.status();
    if (cov->kernel_hash != m.kernel_hash) {
      return Status::Invalid(fmt::format(
          "{}: coverage of kernel {} v{} (hash {}), but the folder's kernel is {} v{} (hash {})",
          source.coverage, json_read::printable(cov->kernel_name),
          json_read::printable(cov->kernel_version), cov->kernel_hash, m.kernel_name,
          m.kernel_version, m.kernel_hash));
    }
    m.coverage = std::move(*cov);
  }

  const Result<Kernel> kernel =
      report::find_played_kernel(source.kernel, source.kernels_dir, m.kernel_name, m.kernel_version,
                                 m.kernel_hash, "the folder");
  // A named kernel must be the folder's; one searched for may be missing.
  if (!kernel.ok() && !source.kernel.empty()) return kernel.status();
  const std::string kernel_note =
      kernel.ok() ? "" : "the folder's kernel was not found: " + kernel.status().message();
  const Kernel* k = kernel.ok() ? &*kernel : nullptr;
  m.kernel_missing = kernel_note;
  m.turn_series_note = replay_turn_series(m, records, episodes, k, kernel_note);
  for (const ExploitRecord& r : records)
    m.records.push_back(report::report_record(r, k, kernel_note));
  return m;
}

}  // namespace fable
