// The HTML report of a run (issue 15, point 3; docs/report.md).
//
// Two steps with a plain struct between them, so that another data source
// (the run store of issue 15, point 1) can feed the same page later:
//   * a reader fills a ReportModel: read_output_folder() reads a tournament
//     or run output folder (summary.md, leaderboard.json, episodes/*.json,
//     exploits/*.json), optionally a coverage file, and replays what the
//     folder describes to get per-turn figures and each record's timeline;
//   * render_report_html() turns a ReportModel into one self-contained HTML
//     page: Chart.js (Debian's libjs-chart.js, MIT licence, embedded in the
//     binary at build time) inlined, a Content-Security-Policy that allows no
//     request at all, every text from a record, kernel or file HTML-escaped,
//     numbers in a fixed format, no timestamp: the same model always gives
//     the same bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fable/coverage.h"
#include "fable/status.h"

namespace fable {

// A proportion with its 95 % Wilson interval, as in leaderboard.json.
struct ReportRate {
  std::uint64_t count = 0;
  double rate = 0.0;
  double lower = 0.0;
  double upper = 1.0;
};

// The spread of one figure across episodes: median, minimum and maximum.
struct ReportSpread {
  double median = 0.0;
  double min = 0.0;
  double max = 0.0;
};

struct ReportMatchup {
  std::string name;
  std::uint64_t episodes = 0;
  // Parallel to ReportModel::capture_names ("any", then the objectives).
  std::vector<ReportRate> capture;
  double governance_score_mean = 0.0;
  double worst_off_welfare_mean = 0.0;
  double treasury_retention_mean = 0.0;
  std::uint64_t findings = 0;
  // From the episode files: the final worst-off welfare (empathy floor after
  // the last turn, 0..1) and final treasury (units) of each episode. Unset
  // when the folder has no episode file of this matchup.
  std::uint64_t episode_files = 0;
  std::optional<ReportSpread> final_worst_off;
  std::optional<ReportSpread> final_treasury;
  // Per turn (index 0 = after reset, t = after turn t), across the episodes
  // that could be re-played and matched their episode file (see
  // turn_series_note): worst-off welfare (0..1) and treasury (units). Empty
  // when none could.
  std::uint64_t replayed_episodes = 0;
  std::vector<ReportSpread> worst_off_by_turn;
  std::vector<ReportSpread> treasury_by_turn;
};

// One line of a record's timeline (fable/explain.h, ExplainEntry).
struct ReportTimelineEntry {
  int turn = 0;
  std::string kind;  // "action", "refused", "tally", "event"
  std::string who;
  std::string what;
  std::string ruling;
  std::string clause;
  std::string article;
  int essential = 0;  // essential steps in this line
  int steps = 0;      // perpetrators' steps in this line
};

struct ReportRecord {
  std::string exploit_id;
  std::string name;
  std::string category;
  int severity = 0;
  std::string summary;
  std::vector<std::string> clauses;
  std::string proposed_guard;
  int occurrences = 0;
  std::string first_matchup;
  std::uint64_t first_seed = 0;
  int first_turn = 0;
  std::string fingerprint;
  std::string status;
  // From `explain` on the discovery kernel: verdict ("reproduces", ...),
  // headline and timeline; `explain_note` says why there is none.
  std::string verdict;
  std::vector<std::string> headline;
  std::vector<ReportTimelineEntry> timeline;
  std::string explain_note;
};

// Which reader filled a ReportModel: the page names where its figures come
// from accordingly.
enum class ReportOrigin { kOutputFolder, kRunStore };

// Everything the page shows. Plain data: any source may fill it.
struct ReportModel {
  ReportOrigin origin = ReportOrigin::kOutputFolder;
  std::string source;  // what it was read from, as given ("out/v01", "runs.db")
  // What `source` is, as the page's first line says it: "Red-team report of
  // <source_kind> <source>".
  std::string source_kind = "the output folder";
  std::string kernel_name;
  std::string kernel_version;
  std::string kernel_hash;
  std::uint64_t episodes = 0;
  double initial_treasury = 0.0;           // units
  std::string population;                  // the population preset
  std::vector<std::string> capture_names;  // "any", then the objectives
  std::vector<ReportMatchup> matchups;     // sorted by name
  std::string turn_series_note;            // how the per-turn figures were obtained
  // Why the played kernel was not found (so the page has no per-turn figures
  // and no record timelines); empty when it was found.
  std::string kernel_missing;
  std::optional<CoverageReport> coverage;
  std::vector<ReportRecord> records;  // by exploit id
};

// Where read_output_folder() reads from.
struct OutputFolderSource {
  std::string dir;       // a tournament or run --out folder
  std::string coverage;  // a --coverage file; "" for none
  std::string kernel;    // the folder's kernel document; "" to find it in kernels_dir
  std::string kernels_dir = "kernels";  // searched by name, version and content hash
};

// Reads an output folder into a ReportModel. Reads leaderboard.json
// (docs/leaderboard-format.md; summary.md must be there too), every
// episodes/*.json (fable-episode/1, docs/tournament-format.md) and every
// exploits/EXP-*.json (docs/record-format.md), in file-name order. Per-turn
// figures: the episode files hold final figures only, so the episodes of a
// matchup that has a record are re-played from that record's reproduction
// (roster, turns, treasury, settings, population; the perpetrators'
// scripts dropped) on the folder's kernel (`kernel`, or the document in
// `kernels_dir` with the leaderboard's name, version and hash), and each
// is kept only when its final treasury and worst-off welfare equal its
// episode file's, bit for bit. Records are explained (explain_record) on
// the same kernel; a record whose kernel is not found gets a note, not an
// error.
// Errors: Status::NotFound "<dir>: no such folder"; Status::Invalid
// "<dir>: not an output folder (no leaderboard.json)" and
// "<file>: field '<path>': <what>" for a malformed file; Status::Io when a
// file cannot be read; the coverage file's errors (load_coverage_file) and
// a coverage file of another kernel than the folder's; a `kernel` that does
// not load or is not the folder's (another content hash). A kernel not
// found in `kernels_dir` is no error: the page says what is missing.
Result<ReportModel> read_output_folder(const OutputFolderSource& source);

// Where read_run_store() reads from.
struct RunStoreSource {
  std::string store;                    // a run store (--store FILE.db, docs/store-format.md)
  std::int64_t run = 0;                 // the run's id (`fable-selfplay runs list`)
  std::string kernel;                   // the run's kernel document; "" to find it (see below)
  std::string kernels_dir = "kernels";  // searched by name, version and content hash
};

// Reads one run of a run store into a ReportModel, with the same figures as
// read_output_folder() gives for the output folder of the same run. From the
// runs row: kernel name, version and hash, population preset, episodes, and
// the initial treasury (the `treasury` key of its settings JSON). From the
// episodes rows, in episode order: per matchup the capture counts and
// rates with 95 % Wilson intervals (fable/proportion.h), the means of
// governance_score, empathy_floor_final (worst-off welfare) and
// treasury_final / initial treasury (retention), the findings, and the final
// worst-off welfare and treasury spreads over all its episodes
// (episode_files = its episode rows). Per-turn figures: the store keeps none;
// the series stay empty and turn_series_note says so. Coverage: the run's
// coverage rows, when it has any, in clause-table order. Records: the run's
// (run_records joined with records), by the id this run gave them; a record
// whose `path` names a readable record file of the same fingerprint is read
// and explained as read_output_folder() does, else only the store's columns
// are shown and explain_note says why. Status (open or patched) is the
// store's. The kernel for the timelines: `kernel` (refused when its content
// hash is not the run's), else the run's kernel_path when it still holds the
// run's kernel, else the document in `kernels_dir` with the run's name,
// version and hash; not found is no error (the page says so).
// Errors: RunStore::open_read_only's ("--store FILE: no such store", not an
// SQLite database, not a fable store, another schema version);
// Status::NotFound "--store FILE: no run ID"; Status::Invalid "--store FILE:
// run ID is <status>; only a complete run is reported" for a run still
// running (or killed) or failed, and "--store FILE: run ID: <what>" for
// malformed rows; Status::Io from SQLite.
Result<ReportModel> read_run_store(const RunStoreSource& source);

// The page: one HTML document, UTF-8, ending in a newline. Deterministic.
std::string render_report_html(const ReportModel& model);

// `s` with & < > " ' replaced by character references: safe as HTML text
// and inside a quoted attribute.
std::string html_escape(std::string_view s);

// `json` (a JSON text) made safe inside <script>: every <, >, & and the line
// separators U+2028 and U+2029 written as \u escapes, which JSON and
// JavaScript read back as the same characters.
std::string script_safe_json(std::string_view json);

// The Chart.js build embedded at build time, and its version ("3.9.1").
std::string_view embedded_chart_js();
std::string_view embedded_chart_js_version();

}  // namespace fable
