// The reader of one run of the run store into a ReportModel, the second
// source of the HTML report; see read_run_store in include/fable/report.h,
// docs/report.md and docs/store-format.md.
#include <algorithm>
#include <charconv>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <system_error>

#include <fmt/format.h>

#include "base/json_read.h"
#include "fable/episode_metrics.h"
#include "fable/money.h"
#include "fable/objectives.h"
#include "fable/params.h"
#include "fable/proportion.h"
#include "fable/record.h"
#include "fable/report.h"
#include "fable/run_store.h"
#include "report/report_parts.h"
#include "store/sqlite.h"

namespace fable {

namespace {

using store::Database;
using store::OpenMode;
using store::Statement;

// One row of the episodes table: what the page needs of it.
struct StoredEpisode {
  std::string matchup;
  double governance_score = 0.0;
  double worst_off_final = 0.0;  // empathy_floor_final
  double treasury_final = 0.0;
  std::vector<bool> capture;  // parallel to ReportModel::capture_names
  std::int64_t findings = 0;
};

// "--store FILE: run ID: WHAT".
Status malformed(const RunStoreSource& s, std::string_view what) {
  return Status::Invalid(fmt::format("--store {}: run {}: {}", s.store, s.run, what));
}

// The run's settings JSON (an object of strings, docs/store-format.md) as
// sorted pairs.
Result<std::vector<std::pair<std::string, std::string>>> read_settings(const RunStoreSource& s,
                                                                       const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  try {
    const json_read::json doc = json_read::parse_strict(text);
    if (!doc.is_object()) return malformed(s, "settings: expected a JSON object");
    for (const auto& [key, value] : doc.items()) {
      if (!value.is_string()) {
        return malformed(s,
                         fmt::format("settings: '{}' is not a string", json_read::printable(key)));
      }
      out.emplace_back(key, value.get<std::string>());
    }
  } catch (const json_read::ReadError& e) {
    return malformed(s, fmt::format("settings: {}", e.what()));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A treasury as format_money writes it ("1000.000") in units; nullopt when
// it is not one.
std::optional<double> treasury_units(std::string_view text) {
  const std::size_t dot = text.find('.');
  if (dot == std::string_view::npos || text.size() - dot - 1 != 3) return std::nullopt;
  const std::string_view whole = text.substr(0, dot);
  const std::string_view frac = text.substr(dot + 1);
  std::int64_t w = 0;
  std::int64_t f = 0;
  const auto a = std::from_chars(whole.data(), whole.data() + whole.size(), w);
  const auto b = std::from_chars(frac.data(), frac.data() + frac.size(), f);
  if (a.ec != std::errc() || a.ptr != whole.data() + whole.size() || b.ec != std::errc() ||
      b.ptr != frac.data() + frac.size() || w < 0 || f < 0 ||
      w > std::numeric_limits<std::int64_t>::max() / kMoneyScale - 1) {
    return std::nullopt;
  }
  return money_to_units(w * kMoneyScale + f);
}

Result<std::vector<StoredEpisode>> read_episodes(Database& db, const RunStoreSource& s,
                                                 const std::vector<std::string>& capture_names) {
  std::string sql =
      "SELECT matchup, governance_score, empathy_floor_final, treasury_final, findings";
  for (const std::string& name : capture_names) sql += ", capture_" + name;
  sql += " FROM episodes WHERE run_id=?1 ORDER BY episode";
  Result<Statement> q = Statement::prepare(db, sql);
  if (!q.ok()) return q.status();
  q->bind(1, s.run);
  std::vector<StoredEpisode> out;
  for (;;) {
    const Result<bool> next = q->step();
    if (!next.ok()) return next.status();
    if (!*next) break;
    StoredEpisode e;
    e.matchup = q->column_text(0);
    e.governance_score = q->column_double(1);
    e.worst_off_final = q->column_double(2);
    e.treasury_final = q->column_double(3);
    e.findings = q->column_int(4);
    for (std::size_t i = 0; i < capture_names.size(); ++i)
      e.capture.push_back(q->column_int(static_cast<int>(5 + i)) != 0);
    out.push_back(std::move(e));
  }
  return out;
}

// Per matchup, as the leaderboard sums them: in episode order.
void fill_matchups(ReportModel& m, const std::vector<StoredEpisode>& episodes) {
  std::map<std::string, std::vector<const StoredEpisode*>> by_matchup;
  for (const StoredEpisode& e : episodes) by_matchup[e.matchup].push_back(&e);
  for (const auto& [name, rows] : by_matchup) {
    ReportMatchup mu;
    mu.name = name;
    mu.episodes = rows.size();
    mu.episode_files = rows.size();
    std::vector<std::int64_t> captured(m.capture_names.size(), 0);
    double score = 0.0;
    double worst_off = 0.0;
    double retention = 0.0;
    std::vector<double> finals_worst_off;
    std::vector<double> finals_treasury;
    for (const StoredEpisode* e : rows) {
      for (std::size_t i = 0; i < captured.size(); ++i) captured[i] += e->capture[i] ? 1 : 0;
      score += e->governance_score;
      worst_off += e->worst_off_final;
      retention += treasury_retention(e->treasury_final, m.initial_treasury);
      mu.findings += static_cast<std::uint64_t>(e->findings);
      finals_worst_off.push_back(e->worst_off_final);
      finals_treasury.push_back(e->treasury_final);
    }
    const auto n = static_cast<std::int64_t>(rows.size());
    for (const std::int64_t c : captured) {
      const Proportion p = Proportion::of(c, n);
      mu.capture.push_back(
          ReportRate{static_cast<std::uint64_t>(c), p.rate, p.interval.lower, p.interval.upper});
    }
    const double count = static_cast<double>(rows.size());
    mu.governance_score_mean = score / count;
    mu.worst_off_welfare_mean = worst_off / count;
    mu.treasury_retention_mean = retention / count;
    mu.final_worst_off = report::spread_of(std::move(finals_worst_off));
    mu.final_treasury = report::spread_of(std::move(finals_treasury));
    m.matchups.push_back(std::move(mu));
  }
}

// The run's coverage rows in clause-table order; nullopt when it has none.
Result<std::optional<CoverageReport>> read_coverage(
    Database& db, const RunStoreSource& s, const StoredRun& run,
    const std::vector<std::pair<std::string, std::string>>& settings, const Kernel* kernel) {
  Result<Statement> q = Statement::prepare(
      db,
      "SELECT clause, structural, article, permitted, refused, near_margin, tallies, amended, "
      "applied FROM coverage WHERE run_id=?1");
  if (!q.ok()) return q.status();
  q->bind(1, s.run);
  std::vector<std::pair<ClauseId, CoverageEntry>> rows;
  for (;;) {
    const Result<bool> next = q->step();
    if (!next.ok()) return next.status();
    if (!*next) break;
    CoverageEntry e;
    e.clause = q->column_text(0);
    const std::optional<ClauseId> id = find_clause(e.clause);
    if (!id) {
      return malformed(
          s, fmt::format("coverage: unknown clause '{}'", json_read::printable(e.clause)));
    }
    e.structural = q->column_int(1) != 0;
    e.article = q->column_text(2);
    for (int k = 0; k < kCoverageCounterCount; ++k) {
      const std::int64_t v = q->column_int(3 + k);
      if (v < 0) return malformed(s, fmt::format("coverage: negative counter for '{}'", e.clause));
      e.counters.n[static_cast<std::size_t>(k)] = static_cast<std::uint64_t>(v);
    }
    if (kernel != nullptr) {
      for (const Article& a : kernel->document().articles) {
        if (a.id == e.article) e.article_title = a.title;
      }
    }
    rows.emplace_back(*id, std::move(e));
  }
  if (rows.empty()) return std::optional<CoverageReport>();
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  CoverageReport c;
  c.kernel_name = run.info.kernel_name;
  c.kernel_version = run.info.kernel_version;
  c.kernel_hash = run.info.kernel_hash;
  c.episodes = static_cast<std::uint64_t>(run.episodes_done);
  c.settings = settings;
  for (auto& row : rows) c.clauses.push_back(std::move(row.second));
  return std::optional<CoverageReport>(std::move(c));
}

// One record of the run as the store has it: its row, this run's id for it
// and occurrences.
struct RunRecordRow {
  std::string record_id;  // the id this run wrote it with
  std::string fingerprint;
  std::string name;
  std::string category;
  int severity = 0;
  std::string status;
  std::int64_t occurrences = 0;
  std::optional<std::string> path;
};

Result<std::vector<RunRecordRow>> read_run_records(Database& db, const RunStoreSource& s) {
  Result<Statement> q = Statement::prepare(
      db,
      "SELECT l.record_id, r.fingerprint, r.name, r.category, r.severity, r.status, "
      "l.occurrences, r.path FROM run_records l JOIN records r ON r.fingerprint = l.fingerprint "
      "WHERE l.run_id=?1 ORDER BY l.record_id, r.fingerprint");
  if (!q.ok()) return q.status();
  q->bind(1, s.run);
  std::vector<RunRecordRow> out;
  for (;;) {
    const Result<bool> next = q->step();
    if (!next.ok()) return next.status();
    if (!*next) break;
    RunRecordRow r;
    r.record_id = q->column_text(0);
    r.fingerprint = q->column_text(1);
    r.name = q->column_text(2);
    r.category = q->column_text(3);
    r.severity = static_cast<int>(q->column_int(4));
    r.status = q->column_text(5);
    r.occurrences = q->column_int(6);
    r.path = q->column_optional_text(7);
    out.push_back(std::move(r));
  }
  return out;
}

// The section of a stored record: from its file when that reads and is the
// same record, else the store's columns with a note saying why.
ReportRecord stored_record(const RunRecordRow& row, const Kernel* kernel,
                           const std::string& kernel_note) {
  std::string why;
  if (!row.path) {
    why = "the run wrote no record file";
  } else {
    Result<ExploitRecord> rec = load_record(*row.path);
    if (!rec.ok()) {
      why = fmt::format("its record file does not read ({})", rec.status().message());
    } else if (rec->fingerprint != row.fingerprint) {
      why = fmt::format("{} holds another record (fingerprint {})", *row.path, rec->fingerprint);
    } else {
      ReportRecord out = report::report_record(*rec, kernel, kernel_note);
      out.exploit_id = row.record_id;
      out.occurrences = static_cast<int>(row.occurrences);
      out.status = row.status;
      return out;
    }
  }
  ReportRecord out;
  out.exploit_id = row.record_id;
  out.name = row.name;
  out.category = row.category;
  out.severity = row.severity;
  out.occurrences = static_cast<int>(row.occurrences);
  out.fingerprint = row.fingerprint;
  out.status = row.status;
  out.explain_note = fmt::format(
      "Only the store's columns are shown (no summary, clauses, guard or timeline): {}.", why);
  return out;
}

// The kernel for the timelines (see read_run_store).
Result<Kernel> run_kernel(const RunStoreSource& s, const StoredRun& run) {
  const std::string played = fmt::format("run {}", s.run);
  if (s.kernel.empty() && !run.info.kernel_path.empty()) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(run.info.kernel_path, ec)) {
      Result<Kernel> k =
          report::find_played_kernel(run.info.kernel_path, "", run.info.kernel_name,
                                     run.info.kernel_version, run.info.kernel_hash, played);
      if (k.ok()) return k;
    }
  }
  return report::find_played_kernel(s.kernel, s.kernels_dir, run.info.kernel_name,
                                    run.info.kernel_version, run.info.kernel_hash, played);
}

}  // namespace

Result<ReportModel> read_run_store(const RunStoreSource& source) {
  Result<RunStore> opened = RunStore::open_read_only(source.store, "--store");
  if (!opened.ok()) return opened.status();
  const Result<std::optional<StoredRun>> found = opened->run(source.run);
  if (!found.ok()) return found.status();
  if (!found->has_value()) {
    return Status::NotFound(
        fmt::format("--store {}: no run {} (`fable-selfplay runs list --store {}` lists the runs)",
                    source.store, source.run, source.store));
  }
  const StoredRun& run = **found;
  if (run.status == "failed") {
    return Status::Invalid(
        fmt::format("--store {}: run {} failed ({}); only a complete run is reported", source.store,
                    source.run, json_read::printable(run.error.value_or("no reason given"))));
  }
  if (run.status != "complete") {
    return Status::Invalid(
        fmt::format("--store {}: run {} is still running (or was stopped before it finished); "
                    "only a complete run is reported",
                    source.store, source.run));
  }
  // The store's checks passed; the rows are read on a read-only connection.
  Result<Database> db = Database::open(source.store, OpenMode::kReadOnly);
  if (!db.ok()) return db.status();

  ReportModel m;
  m.origin = ReportOrigin::kRunStore;
  m.source = source.store;
  m.source_kind = fmt::format("run {} of the run store", source.run);
  m.kernel_name = run.info.kernel_name;
  m.kernel_version = run.info.kernel_version;
  m.kernel_hash = run.info.kernel_hash;
  m.population = run.info.population;
  m.episodes = static_cast<std::uint64_t>(std::max<std::int64_t>(run.episodes_done, 0));
  const auto settings = read_settings(source, run.info.settings_json);
  if (!settings.ok()) return settings.status();
  const auto treasury = std::find_if(settings->begin(), settings->end(),
                                     [](const auto& kv) { return kv.first == "treasury"; });
  if (treasury == settings->end()) return malformed(source, "settings: no 'treasury'");
  const std::optional<double> units = treasury_units(treasury->second);
  if (!units) {
    return malformed(source, fmt::format("settings: 'treasury' is '{}', expected units like "
                                         "1000.000",
                                         json_read::printable(treasury->second)));
  }
  m.initial_treasury = *units;
  m.capture_names = {"any"};
  for (const ObjectiveInfo& o : all_objectives()) m.capture_names.emplace_back(o.name);

  const auto episodes = read_episodes(*db, source, m.capture_names);
  if (!episodes.ok()) return episodes.status();
  if (run.info.command != "hunt" && episodes->size() != m.episodes) {
    return malformed(source, fmt::format("{} episode rows, but episodes_done is {}",
                                         episodes->size(), run.episodes_done));
  }
  fill_matchups(m, *episodes);
  m.turn_series_note =
      "Per-turn figures are not shown: the run store keeps each episode's final figures only "
      "(docs/store-format.md). A report from the run's output folder (--from DIR) re-plays "
      "the episodes to draw them.";

  const Result<Kernel> kernel = run_kernel(source, run);
  if (!kernel.ok() && !source.kernel.empty()) return kernel.status();
  const std::string kernel_note =
      kernel.ok() ? "" : "the run's kernel was not found: " + kernel.status().message();
  const Kernel* k = kernel.ok() ? &*kernel : nullptr;
  m.kernel_missing = kernel_note;

  auto coverage = read_coverage(*db, source, run, *settings, k);
  if (!coverage.ok()) return coverage.status();
  m.coverage = std::move(*coverage);

  const auto records = read_run_records(*db, source);
  if (!records.ok()) return records.status();
  for (const RunRecordRow& r : *records) m.records.push_back(stored_record(r, k, kernel_note));
  return m;
}

}  // namespace fable
