// The HTML report (docs/report.md): the reader of an output folder, the HTML
// writer (escaping, determinism, the offline guarantee) and the command's
// errors. The browser test is tests/report/report_browser_test.sh.
#include "fable/report.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "fable/run_store.h"
#include "support/cli_test_support.h"
#include "support/files.h"

namespace fable {
namespace {

namespace fs = std::filesystem;
using testing::fable_command;
using testing::read_file;
using testing::run_command;

std::size_t count(const std::string& text, std::string_view what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// --- The writer --------------------------------------------------------------

TEST(ReportHtml, EscapesTextForHtml) {
  EXPECT_EQ(html_escape("a<b>&\"c'd"), "a&lt;b&gt;&amp;&quot;c&#39;d");
  EXPECT_EQ(html_escape("plain text"), "plain text");
}

TEST(ReportHtml, ScriptSafeJsonReadsBackTheSameAndCannotCloseTheScript) {
  const std::string hostile = "</script><script>alert(1)</script> & \u2028 \u2029 end";
  const std::string json = nlohmann::json(hostile).dump();
  const std::string safe = script_safe_json(json);
  EXPECT_EQ(safe.find('<'), std::string::npos);
  EXPECT_EQ(safe.find('>'), std::string::npos);
  EXPECT_EQ(safe.find('&'), std::string::npos);
  EXPECT_EQ(safe.find("\u2028"), std::string::npos);
  EXPECT_EQ(safe.find("\u2029"), std::string::npos);
  EXPECT_NE(safe.find("\\u003c/script\\u003e"), std::string::npos);
  EXPECT_NE(safe.find("\\u2028"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(safe).get<std::string>(), hostile);
}

ReportModel small_model() {
  ReportModel m;
  m.source = "out";
  m.kernel_name = "Charter";
  m.kernel_version = "1.0.0";
  m.kernel_hash = "0123456789abcdef";
  m.episodes = 2;
  m.initial_treasury = 1000;
  m.capture_names = {"any", "drain"};
  ReportMatchup mu;
  mu.name = "drain";
  mu.episodes = 2;
  mu.capture = {{1, 0.5, 0.0945, 0.9055}, {1, 0.1234567891, -0.0, 0.9055}};
  mu.final_worst_off = ReportSpread{0.5, 0.25, 0.75};
  mu.final_treasury = ReportSpread{500, 100, 900};
  mu.replayed_episodes = 2;
  mu.worst_off_by_turn = {{1, 1, 1}, {0.5, 0.25, 0.75}};
  mu.treasury_by_turn = {{1000, 1000, 1000}, {500, 100, 900}};
  m.matchups.push_back(mu);
  ReportRecord r;
  r.exploit_id = "EXP-001";
  r.name = "self_dealing";
  r.severity = 5;
  r.summary = "moved 1 unit";
  r.timeline.push_back({9, "action", "drainer-01", "opens proposal #1", "allowed", "", "A7", 1, 1});
  m.records.push_back(r);
  return m;
}

TEST(ReportHtml, RecordAndKernelTextNeverBecomesCode) {
  const std::string plain = render_report_html(small_model());
  ReportModel m = small_model();
  m.kernel_name = "<script>alert('kernel')</script>";
  m.source = "\"><img src=x onerror=alert(1)>";
  m.matchups[0].name = "</script><script>alert('matchup')</script>\u2028";
  m.records[0].summary = "<script>alert('summary')</script>";
  m.records[0].name = "<b onmouseover=alert(1)>x</b>";
  m.records[0].clauses = {"<i>clause</i>"};
  m.records[0].proposed_guard = "a & b <c>";
  m.records[0].timeline[0].what = "<iframe src=\"http://example.com\"></iframe>";
  m.records[0].headline = {"<svg onload=alert(1)>"};
  const std::string html = render_report_html(m);
  // The same elements as the page of harmless text: nothing was injected.
  for (const char* tag : {"<script", "</script", "<img", "<b ", "<i>", "<iframe", "<svg"}) {
    EXPECT_EQ(count(html, tag), count(plain, tag)) << tag;
  }
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;summary&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("a &amp; b &lt;c&gt;"), std::string::npos);
  EXPECT_NE(html.find("\\u003c/script\\u003e\\u003cscript\\u003ealert('matchup')"),
            std::string::npos);
  // In the chart data, U+2028 is written as an escape (in HTML text it is harmless).
  const std::string open = "<script id=\"report-data\" type=\"application/json\">";
  const auto from = html.find(open) + open.size();
  const std::string data = html.substr(from, html.find("</script>", from) - from);
  EXPECT_EQ(data.find("\u2028"), std::string::npos);
  EXPECT_NE(data.find("\\u2028"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(data)["matchups"][0], m.matchups[0].name);
}

TEST(ReportHtml, PageAllowsNoRequestAndIsSelfContained) {
  const std::string html = render_report_html(small_model());
  const std::string csp =
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src "
      "'unsafe-inline'; style-src 'unsafe-inline'; img-src data:\">";
  const auto at = html.find(csp);
  ASSERT_NE(at, std::string::npos);
  EXPECT_LT(at, html.find("<script"));  // in force before any script runs
  EXPECT_EQ(count(html, "<script src"), 0u);
  EXPECT_EQ(count(html, "<link"), 0u);
  EXPECT_NE(html.find(std::string(embedded_chart_js())), std::string::npos);
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>\n"));
  EXPECT_TRUE(html.ends_with("</html>\n"));
}

TEST(ReportHtml, SameModelSameBytesWithFixedNumbers) {
  const std::string a = render_report_html(small_model());
  EXPECT_EQ(a, render_report_html(small_model()));
  // Chart data rounded to 6 decimals; -0 written as 0.
  EXPECT_NE(a.find("0.123457"), std::string::npos);
  EXPECT_EQ(a.find("0.1234567891"), std::string::npos);
  EXPECT_EQ(a.find("-0.0"), std::string::npos);
  EXPECT_NE(a.find("0.50 [0.09, 0.91]"), std::string::npos);  // the table's fixed format
}

TEST(ReportHtml, OneCanvasPerChartAndNoneWithoutData) {
  const std::string full = render_report_html(small_model());
  // any + drain, final welfare and treasury, the two over turns.
  EXPECT_EQ(count(full, "<canvas"), 6u);
  ReportModel bare = small_model();
  bare.matchups[0].final_worst_off.reset();
  bare.matchups[0].final_treasury.reset();
  bare.matchups[0].worst_off_by_turn.clear();
  bare.matchups[0].treasury_by_turn.clear();
  bare.turn_series_note = "Per-turn figures are not shown: because.";
  const std::string html = render_report_html(bare);
  EXPECT_EQ(count(html, "<canvas"), 2u);
  EXPECT_NE(html.find("Per-turn figures are not shown: because."), std::string::npos);
}

TEST(ReportHtml, EmbedsChartJsFromTheBuild) {
  const std::string_view js = embedded_chart_js();
  ASSERT_GT(js.size(), 100000u);
  EXPECT_NE(
      js.substr(0, 200).find(std::string("Chart.js v") + std::string(embedded_chart_js_version())),
      std::string_view::npos);
  EXPECT_NE(js.substr(0, 300).find("MIT"), std::string_view::npos);
  EXPECT_EQ(js.find("</script"), std::string_view::npos);  // safe to inline
}

// --- The reader --------------------------------------------------------------

class ReportFolder : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    root_ = new fs::path(fs::temp_directory_path() /
                         ("fable-report-test-" + std::to_string(::getpid())));
    fs::remove_all(*root_);
    fs::create_directories(*root_);
    const auto run = run_command(
        fable_command("tournament --kernel kernels/kernel-v0.1.yaml --seeds 0..1 --matchups "
                      "drain,baseline-honest --out " +
                      (*root_ / "t").string() + " --coverage " + (*root_ / "cov.json").string() +
                      " --store " + (*root_ / "s.db").string() + " 2>&1"));
    ASSERT_EQ(run.code, 0) << run.out;
  }
  static void TearDownTestSuite() {
    fs::remove_all(*root_);
    delete root_;
  }
  static OutputFolderSource source() {
    OutputFolderSource s;
    s.dir = (*root_ / "t").string();
    s.coverage = (*root_ / "cov.json").string();
    s.kernels_dir = std::string(FABLE_SOURCE_DIR) + "/kernels";
    return s;
  }
  // A copy of the tournament folder to break.
  static fs::path copy(const std::string& name) {
    const fs::path to = *root_ / name;
    fs::remove_all(to);
    fs::copy(*root_ / "t", to, fs::copy_options::recursive);
    return to;
  }
  static void write(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }
  static fs::path* root_;
};
fs::path* ReportFolder::root_ = nullptr;

TEST_F(ReportFolder, ReadsEverythingTheFolderHolds) {
  const Result<ReportModel> m = read_output_folder(source());
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_EQ(m->kernel_name, "Commons Charter");
  EXPECT_EQ(m->kernel_version, "0.1.0");
  EXPECT_EQ(m->episodes, 4u);
  ASSERT_EQ(m->matchups.size(), 2u);
  EXPECT_EQ(m->matchups[0].name, "baseline-honest");  // sorted by name
  EXPECT_EQ(m->matchups[1].name, "drain");
  EXPECT_EQ(m->capture_names.size(), 8u);  // any + seven objectives
  for (const ReportMatchup& mu : m->matchups) {
    EXPECT_EQ(mu.capture.size(), 8u);
    EXPECT_EQ(mu.episode_files, 2u);
    ASSERT_TRUE(mu.final_treasury.has_value());
    EXPECT_LE(mu.final_treasury->min, mu.final_treasury->median);
    EXPECT_LE(mu.final_treasury->median, mu.final_treasury->max);
    // Every episode re-played to the figures of its file; 60 turns + reset.
    EXPECT_EQ(mu.replayed_episodes, 2u) << m->turn_series_note;
    ASSERT_EQ(mu.treasury_by_turn.size(), 61u);
    EXPECT_DOUBLE_EQ(mu.treasury_by_turn.front().median, 1000.0);
    EXPECT_EQ(mu.treasury_by_turn.back().min, mu.final_treasury->min);
    EXPECT_EQ(mu.worst_off_by_turn.back().max, mu.final_worst_off->max);
  }
  ASSERT_TRUE(m->coverage.has_value());
  EXPECT_EQ(m->coverage->episodes, 4u);
  ASSERT_FALSE(m->records.empty());
  EXPECT_EQ(m->records.front().exploit_id, "EXP-001");
  for (const ReportRecord& r : m->records) {
    EXPECT_EQ(r.verdict, "reproduces") << r.exploit_id << " " << r.explain_note;
    EXPECT_FALSE(r.timeline.empty()) << r.exploit_id;
  }
}

TEST_F(ReportFolder, SameFolderSameReport) {
  const auto a = read_output_folder(source());
  const auto b = read_output_folder(source());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(render_report_html(*a), render_report_html(*b));
}

TEST_F(ReportFolder, WithoutTheKernelThePageSaysWhatIsMissing) {
  OutputFolderSource s = source();
  s.kernels_dir = (*root_).string();  // holds no kernel
  const auto m = read_output_folder(s);
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_TRUE(m->matchups[1].treasury_by_turn.empty());
  EXPECT_TRUE(m->turn_series_note.starts_with("Per-turn figures are not shown"));
  EXPECT_TRUE(m->records.front().timeline.empty());
  EXPECT_NE(m->records.front().explain_note.find("not found"), std::string::npos);
  // The command line says so too (a fresh user's report from another folder
  // silently lost its per-turn charts).
  EXPECT_TRUE(m->kernel_missing.starts_with("the folder's kernel was not found"))
      << m->kernel_missing;
  EXPECT_TRUE(read_output_folder(source())->kernel_missing.empty());
}

TEST_F(ReportFolder, ErrorsNameTheFileAndTheField) {
  OutputFolderSource s = source();
  s.dir = (*root_ / "missing").string();
  auto m = read_output_folder(s);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kNotFound);
  EXPECT_NE(m.status().message().find("no such folder"), std::string::npos);

  s.dir = (*root_ / "t" / "episodes").string();  // a folder, not an output folder
  m = read_output_folder(s);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(m.status().message().find("not a tournament or run output folder"), std::string::npos);

  const fs::path bad_board = copy("bad-board");
  std::string board = read_file(bad_board / "leaderboard.json");
  board.replace(board.find("\"episodes\": 4"), 13, "\"episodes\": \"four\"");
  write(bad_board / "leaderboard.json", board);
  s.dir = bad_board.string();
  m = read_output_folder(s);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().message(),
            (bad_board / "leaderboard.json").string() +
                ": field 'episodes': expected an unsigned integer 0..18446744073709551615, got a "
                "string");

  const fs::path bad_json = copy("bad-json");
  write(bad_json / "episodes" / "drain-seed1.json", "{\"schema\": ");
  s.dir = bad_json.string();
  m = read_output_folder(s);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("drain-seed1.json:1:"), std::string::npos)
      << m.status().message();

  const fs::path bad_episode = copy("bad-episode");
  write(bad_episode / "episodes" / "drain-seed0.json",
        R"({"schema": "fable-episode/1", "matchup": "drain", "seed": 0, "score": {}})");
  s.dir = bad_episode.string();
  m = read_output_folder(s);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("drain-seed0.json: field 'score.treasury_final': missing"),
            std::string::npos)
      << m.status().message();
}

TEST_F(ReportFolder, RefusesCoverageOrKernelOfAnotherKernel) {
  OutputFolderSource s = source();
  s.coverage = std::string(FABLE_SOURCE_DIR) + "/kernels/kernel-v0.1.yaml";  // not coverage
  EXPECT_FALSE(read_output_folder(s).ok());
  s = source();
  s.kernel = std::string(FABLE_SOURCE_DIR) + "/kernels/kernel-v0.2.yaml";
  const auto m = read_output_folder(s);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("but the folder was played on Commons Charter v0.1.0"),
            std::string::npos)
      << m.status().message();
  s.kernel = std::string(FABLE_SOURCE_DIR) + "/kernels/kernel-v0.1.yaml";
  EXPECT_TRUE(read_output_folder(s).ok());
}

// --- The command -------------------------------------------------------------

TEST_F(ReportFolder, CommandWritesANewFileOnlyAndRefusesClearly) {
  const std::string dir = (*root_ / "t").string();
  const std::string out = (*root_ / "report.html").string();
  fs::remove(out);
  auto run = run_command(fable_command("report --from " + dir + " -o " + out + " 2>&1"));
  EXPECT_EQ(run.code, 0) << run.out;
  const std::string first = read_file(out);
  EXPECT_NE(first.find("<!DOCTYPE html>"), std::string::npos);

  // Never overwritten, and refused before any work.
  run = run_command(fable_command("report --from /nonexistent -o " + out + " 2>&1"));
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.out, "error: " + out + ": already exists; not overwritten\n");
  EXPECT_EQ(read_file(out), first);

  const std::string other = (*root_ / "other.html").string();
  run = run_command(fable_command("report --from /nonexistent -o " + other + " 2>&1"));
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.out, "error: /nonexistent: no such folder\n");
  EXPECT_FALSE(fs::exists(other));

  run = run_command(fable_command("report --store x.db --run 1 -o " + other + " 2>&1"));
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.out, "error: --store x.db: no such store\n");
  EXPECT_FALSE(fs::exists(other));
  run = run_command(
      fable_command("report --store x.db --run 1 --from " + dir + " -o " + other + " 2>&1"));
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.out, "error: report: give --from DIR or --store FILE.db, not both\n");
  run = run_command(fable_command("report --store x.db -o " + other + " 2>&1"));
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.out, "error: report: --store FILE.db needs --run ID\n");
  run = run_command(fable_command("report --store x.db --run 0 -o " + other + " 2>&1"));
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.out.find("--run '0': expected a run id, a positive integer"), std::string::npos);
  EXPECT_FALSE(fs::exists(other));

  const std::string db = (*root_ / "s.db").string();
  run = run_command(fable_command("report --store " + db + " --run 1 --kernels-dir " +
                                  FABLE_SOURCE_DIR + "/kernels -o " + other + " 2>&1"));
  EXPECT_EQ(run.code, 0) << run.out;
  const std::string stored = read_file(other);
  EXPECT_NE(stored.find("Red-team report of run 1 of the run store"), std::string::npos);
  // The records' intro names where they came from.
  EXPECT_NE(first.find("One section per record (exploits/*.json"), std::string::npos);
  EXPECT_EQ(stored.find("exploits/*.json"), std::string::npos);
  EXPECT_NE(stored.find("One section per record of the run (the store's <code>run_records"),
            std::string::npos);

  // `-o -` is stdout: the same page, and no file named "-".
  run = run_command("cd " + root_->string() + " && " + FABLE_BINARY + " report --from " + dir +
                    " --kernels-dir " + FABLE_SOURCE_DIR + "/kernels -o - 2>/dev/null");
  EXPECT_EQ(run.code, 0);
  EXPECT_EQ(run.out, first);
  EXPECT_FALSE(fs::exists(*root_ / "-"));
  const auto help = run_command(fable_command("report --help 2>&1"));
  EXPECT_NE(help.out.find("--from"), std::string::npos);
  EXPECT_NE(help.out.find("--store"), std::string::npos);
  EXPECT_NE(help.out.find("--run"), std::string::npos);
}

// --- The run store as the source -------------------------------------------

RunStoreSource store_source(const fs::path& db) {
  RunStoreSource s;
  s.store = db.string();
  s.run = 1;
  s.kernels_dir = std::string(FABLE_SOURCE_DIR) + "/kernels";
  return s;
}

void expect_same_spread(const std::optional<ReportSpread>& a,
                        const std::optional<ReportSpread>& b) {
  ASSERT_EQ(a.has_value(), b.has_value());
  if (!a) return;
  EXPECT_EQ(a->median, b->median);
  EXPECT_EQ(a->min, b->min);
  EXPECT_EQ(a->max, b->max);
}

TEST_F(ReportFolder, StoreGivesTheFiguresTheFolderOfTheSameRunGives) {
  const auto folder = read_output_folder(source());
  const auto stored = read_run_store(store_source(*root_ / "s.db"));
  ASSERT_TRUE(folder.ok()) << folder.status().message();
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_EQ(stored->origin, ReportOrigin::kRunStore);
  EXPECT_EQ(stored->kernel_name, folder->kernel_name);
  EXPECT_EQ(stored->kernel_version, folder->kernel_version);
  EXPECT_EQ(stored->kernel_hash, folder->kernel_hash);
  EXPECT_EQ(stored->episodes, folder->episodes);
  EXPECT_EQ(stored->initial_treasury, folder->initial_treasury);
  EXPECT_EQ(stored->population, folder->population);
  EXPECT_EQ(stored->capture_names, folder->capture_names);
  ASSERT_EQ(stored->matchups.size(), folder->matchups.size());
  bool some_capture = false;
  for (std::size_t i = 0; i < folder->matchups.size(); ++i) {
    const ReportMatchup& a = folder->matchups[i];
    const ReportMatchup& b = stored->matchups[i];
    SCOPED_TRACE(a.name);
    EXPECT_EQ(b.name, a.name);
    EXPECT_EQ(b.episodes, a.episodes);
    ASSERT_EQ(b.capture.size(), a.capture.size());
    for (std::size_t c = 0; c < a.capture.size(); ++c) {
      // leaderboard.json's numbers, read back, against the store's rows.
      EXPECT_EQ(b.capture[c].count, a.capture[c].count) << folder->capture_names[c];
      EXPECT_EQ(b.capture[c].rate, a.capture[c].rate) << folder->capture_names[c];
      EXPECT_EQ(b.capture[c].lower, a.capture[c].lower) << folder->capture_names[c];
      EXPECT_EQ(b.capture[c].upper, a.capture[c].upper) << folder->capture_names[c];
      some_capture = some_capture || a.capture[c].count > 0;
    }
    EXPECT_EQ(b.governance_score_mean, a.governance_score_mean);
    EXPECT_EQ(b.worst_off_welfare_mean, a.worst_off_welfare_mean);
    EXPECT_EQ(b.treasury_retention_mean, a.treasury_retention_mean);
    EXPECT_EQ(b.findings, a.findings);
    EXPECT_EQ(b.episode_files, a.episode_files);
    expect_same_spread(b.final_worst_off, a.final_worst_off);
    expect_same_spread(b.final_treasury, a.final_treasury);
    // The store keeps no per-turn figures.
    EXPECT_EQ(b.replayed_episodes, 0u);
    EXPECT_TRUE(b.worst_off_by_turn.empty());
    EXPECT_TRUE(b.treasury_by_turn.empty());
    EXPECT_FALSE(a.treasury_by_turn.empty());
  }
  EXPECT_TRUE(some_capture);  // the comparison covers a non-zero rate
  EXPECT_NE(stored->turn_series_note.find("the run store keeps each episode's final figures"),
            std::string::npos);
  ASSERT_TRUE(stored->coverage.has_value());
  ASSERT_TRUE(folder->coverage.has_value());
  EXPECT_EQ(stored->coverage->episodes, folder->coverage->episodes);
  ASSERT_EQ(stored->coverage->clauses.size(), folder->coverage->clauses.size());
  for (std::size_t i = 0; i < folder->coverage->clauses.size(); ++i) {
    const CoverageEntry& a = folder->coverage->clauses[i];
    const CoverageEntry& b = stored->coverage->clauses[i];
    EXPECT_EQ(b.clause, a.clause);
    EXPECT_EQ(b.structural, a.structural);
    EXPECT_EQ(b.article, a.article);
    EXPECT_EQ(b.article_title, a.article_title);
    EXPECT_EQ(b.counters, a.counters) << a.clause;
  }
  ASSERT_EQ(stored->records.size(), folder->records.size());
  ASSERT_FALSE(folder->records.empty());
  for (std::size_t i = 0; i < folder->records.size(); ++i) {
    const ReportRecord& a = folder->records[i];
    const ReportRecord& b = stored->records[i];
    SCOPED_TRACE(a.exploit_id);
    EXPECT_EQ(b.exploit_id, a.exploit_id);
    EXPECT_EQ(b.fingerprint, a.fingerprint);
    EXPECT_EQ(b.summary, a.summary);
    EXPECT_EQ(b.clauses, a.clauses);
    EXPECT_EQ(b.proposed_guard, a.proposed_guard);
    EXPECT_EQ(b.occurrences, a.occurrences);
    EXPECT_EQ(b.status, "open");
    EXPECT_EQ(b.verdict, "reproduces");
    EXPECT_EQ(b.timeline.size(), a.timeline.size());
    EXPECT_FALSE(b.timeline.empty());
  }
  // The same stored run, the same bytes; the page names the store as its source.
  const auto again = read_run_store(store_source(*root_ / "s.db"));
  ASSERT_TRUE(again.ok());
  const std::string page = render_report_html(*stored);
  EXPECT_EQ(render_report_html(*again), page);
  EXPECT_EQ(page.find("id=\"turns-welfare\""), std::string::npos);  // no per-turn chart
  EXPECT_NE(page.find("id=\"final-treasury\""), std::string::npos);
}

TEST_F(ReportFolder, StoreRecordWithoutItsFileShowsTheStoresColumns) {
  const fs::path db = *root_ / "moved.db";
  fs::remove(db);
  auto run = run_command(fable_command(
      "tournament --kernel kernels/kernel-v0.1.yaml --seeds 0..1 --matchups drain --out " +
      (*root_ / "gone").string() + " --store " + db.string() + " 2>&1"));
  ASSERT_EQ(run.code, 0) << run.out;
  fs::remove_all(*root_ / "gone");
  const auto m = read_run_store(store_source(db));
  ASSERT_TRUE(m.ok()) << m.status().message();
  ASSERT_FALSE(m->records.empty());
  const ReportRecord& r = m->records.front();
  EXPECT_EQ(r.exploit_id, "EXP-001");
  EXPECT_FALSE(r.name.empty());
  EXPECT_FALSE(r.category.empty());
  EXPECT_FALSE(r.fingerprint.empty());
  EXPECT_EQ(r.status, "open");
  EXPECT_TRUE(r.summary.empty());
  EXPECT_TRUE(r.timeline.empty());
  EXPECT_NE(r.explain_note.find("Only the store's columns are shown"), std::string::npos)
      << r.explain_note;
  EXPECT_FALSE(m->coverage.has_value());  // run without --coverage
}

TEST_F(ReportFolder, StoredHuntHasRecordsButNoEpisodeCharts) {
  const fs::path db = *root_ / "hunt.db";
  fs::remove(db);
  const auto run = run_command(fable_command(
      "hunt --kernel kernels/kernel-v0.1.yaml --roster honest:9,attacker:3 --objective drain "
      "--budget 100 --seed 0 --quiet --out " +
      (*root_ / "h").string() + " --store " + db.string() + " 2>&1"));
  ASSERT_EQ(run.code, 0) << run.out;
  const auto m = read_run_store(store_source(db));
  ASSERT_TRUE(m.ok()) << m.status().message();
  EXPECT_TRUE(m->matchups.empty());
  EXPECT_GT(m->episodes, 0u);  // the hunt's executions
  const std::string page = render_report_html(*m);
  EXPECT_EQ(page.find("<canvas"), std::string::npos);
  EXPECT_NE(page.find("No episodes: nothing to chart."), std::string::npos);
  for (const ReportRecord& r : m->records) EXPECT_EQ(r.verdict, "reproduces") << r.exploit_id;
}

TEST_F(ReportFolder, StoreErrorsNameTheStoreAndTheRun) {
  RunStoreSource s = store_source(*root_ / "none.db");
  auto m = read_run_store(s);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(m.status().message(), "--store " + s.store + ": no such store");
  EXPECT_FALSE(fs::exists(s.store));  // never created

  s = store_source(*root_ / "cov.json");  // not a database
  m = read_run_store(s);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("not an SQLite database"), std::string::npos);

  s = store_source(*root_ / "s.db");
  s.run = 99;
  m = read_run_store(s);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kNotFound);
  EXPECT_NE(m.status().message().find("no run 99"), std::string::npos);

  s.run = 1;
  s.kernel = std::string(FABLE_SOURCE_DIR) + "/kernels/kernel-v0.2.yaml";
  m = read_run_store(s);
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.status().message().find("but run 1 was played on Commons Charter v0.1.0"),
            std::string::npos)
      << m.status().message();

  // A run still running (or killed) and a failed run are refused.
  const fs::path db = *root_ / "unfinished.db";
  fs::remove(db);
  {
    Result<RunStore> store = RunStore::open(db.string());
    ASSERT_TRUE(store.ok()) << store.status().message();
    StoreRunInfo info;
    info.command = "tournament";
    info.settings_json = R"({"treasury":"1000.000"})";
    ASSERT_TRUE(store->begin_run(info).ok());
    Result<RunStore> other = RunStore::open(db.string());
    ASSERT_TRUE(other.ok());
    ASSERT_TRUE(other->begin_run(info).ok());
    ASSERT_TRUE(other->fail_run("stopped by the test").ok());
  }
  s = store_source(db);
  m = read_run_store(s);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().message(),
            "--store " + db.string() +
                ": run 1 is still running (or was stopped before it finished); only a complete "
                "run is reported");
  s.run = 2;
  m = read_run_store(s);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().message(), "--store " + db.string() +
                                      ": run 2 failed (stopped by the test); only a complete "
                                      "run is reported");
}

}  // namespace
}  // namespace fable
