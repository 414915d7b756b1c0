// Findings without texts (FindingTexts::kSkip, fable/detector.h): the same
// findings as with texts, in the same order, texts empty; and a tournament
// that skips them where nobody reads them writes the same records as one that
// writes every text.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "fable/agent.h"
#include "fable/detector.h"
#include "fable/detector_registry.h"
#include "fable/episode.h"
#include "fable/hunt.h"
#include "fable/record.h"
#include "fable/tournament.h"
#include "support/kernels.h"

namespace fable {
namespace {

namespace fs = std::filesystem;

// Everything of a finding but its texts.
void expect_same_but_texts(const ExploitFinding& skipped, const ExploitFinding& full) {
  EXPECT_EQ(skipped.name, full.name);
  EXPECT_EQ(skipped.category, full.category);
  EXPECT_EQ(skipped.severity, full.severity);
  EXPECT_EQ(skipped.turn, full.turn);
  EXPECT_EQ(skipped.actors, full.actors);
  EXPECT_EQ(skipped.kernel_clauses, full.kernel_clauses);
  EXPECT_EQ(skipped.fingerprint, full.fingerprint);
}

TEST(SkippedFindingTexts, SkippedTextsChangeNothingElse) {
  const DetectorSuite suite = default_suite();
  const std::vector<std::string> rosters = {
      "honest:5,drainer:2",         "honest:5,entrencher:2",
      "honest:5,suppressor:2",      "honest:5,drainer:1,entrencher:1,suppressor:1",
      "honest:9,drainer:11",        "honest:6,emergency_abuser:2",
      "honest:6,timing_attacker:2", "honest:6,exit_blocker:2"};
  std::size_t compared = 0;
  std::vector<std::string> detectors_seen;
  for (const char* file : {"kernel-v0.1.yaml", "kernel-v0.2.yaml"}) {
    const Kernel& kernel = testing::shipped_kernel(file);
    for (const std::string& text : rosters) {
      const Result<Roster> roster = parse_roster(text);
      ASSERT_TRUE(roster.ok()) << text;
      for (std::uint64_t seed = 0; seed < 6; ++seed) {
        Population agents = make_population(*roster);
        EpisodeOptions options;
        options.turns = 40;
        const EpisodeResult ep = run_episode(kernel, agents, seed, options, suite);
        const std::vector<ExploitFinding> skipped =
            suite.run(ep.trace, ep.score, FindingTexts::kSkip);
        ASSERT_EQ(skipped.size(), ep.findings.size()) << file << " " << text << " " << seed;
        for (std::size_t i = 0; i < skipped.size(); ++i) {
          SCOPED_TRACE(::testing::Message()
                       << file << " " << text << " seed " << seed << " #" << i);
          expect_same_but_texts(skipped[i], ep.findings[i]);
          // The built-in detectors skip them indeed, and write them otherwise.
          EXPECT_TRUE(skipped[i].summary.empty());
          EXPECT_TRUE(skipped[i].proposed_guard.empty());
          EXPECT_TRUE(skipped[i].evidence.empty());
          EXPECT_FALSE(ep.findings[i].summary.empty());
          ++compared;
          detectors_seen.push_back(skipped[i].name);
        }
      }
    }
  }
  std::sort(detectors_seen.begin(), detectors_seen.end());
  detectors_seen.erase(std::unique(detectors_seen.begin(), detectors_seen.end()),
                       detectors_seen.end());
  EXPECT_GE(compared, 100u);
  EXPECT_GE(detectors_seen.size(), 8u);
}

// A detector of the forms without FindingTexts writes its texts anyway.
void legacy_detector(const EpisodeTrace& t, std::vector<ExploitFinding>& out) {
  ExploitFinding f;
  f.turn = t.turns();
  f.summary = "always written";
  out.push_back(std::move(f));
}

TEST(SkippedFindingTexts, DetectorsWithoutTheFlagWriteTextsAnyway) {
  DetectorSuite suite;
  suite.add("legacy", Category::kProcedure, detector_of<&legacy_detector>());
  Population agents = make_population(4, 0, 0, 0);
  EpisodeOptions options;
  options.turns = 3;
  const EpisodeResult ep = run_episode(testing::shipped_kernel("kernel-v0.1.yaml"), agents, 1,
                                       options, suite, FindingTexts::kSkip);
  ASSERT_EQ(ep.findings.size(), 1u);
  EXPECT_EQ(ep.findings[0].summary, "always written");
}

std::vector<std::string> record_texts(const TournamentResult& r) {
  std::vector<std::string> out;
  for (const ExploitRecord& rec : r.exploit_records) out.push_back(record_to_json(rec));
  return out;
}

// Records of a tournament that skips texts (no episode files) against one
// that writes every text (episode files): the same bytes, 1 and 2 threads.
TEST(SkippedFindingTexts, TournamentRecordsAreTheSameWithAndWithoutEpisodeFiles) {
  const fs::path out =
      fs::temp_directory_path() / ("fable-test-finding-texts-" + std::to_string(::getpid()));
  fs::remove_all(out);
  TournamentConfig with_files;
  with_files.seeds = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  with_files.n_turns = 60;
  with_files.out_dir = out.string();
  with_files.episode_files = EpisodeFiles::kAll;
  with_files.minimize = false;
  const Kernel& kernel = testing::shipped_kernel("kernel-v0.1.yaml");
  const Result<TournamentResult> full = Tournament(with_files).run(kernel);
  ASSERT_TRUE(full.ok()) << full.status().message();
  fs::remove_all(out);
  ASSERT_GE(full->exploit_records.size(), 3u);
  for (const ExploitRecord& rec : full->exploit_records) EXPECT_FALSE(rec.summary.empty());
  for (const int threads : {1, 2}) {
    TournamentConfig skipping = with_files;
    skipping.out_dir.reset();
    skipping.threads = threads;
    const Result<TournamentResult> lean = Tournament(skipping).run(kernel);
    ASSERT_TRUE(lean.ok()) << lean.status().message();
    EXPECT_EQ(record_texts(*lean), record_texts(*full)) << threads << " thread(s)";
  }
}

// A hunt's executors skip texts too: every record still has them, with 1
// and 2 threads, and the records are the same bytes.
TEST(SkippedFindingTexts, HuntRecordsHaveTheirTexts) {
  HuntConfig cfg;
  const Result<Roster> roster = parse_roster("honest:9,attacker:11");
  ASSERT_TRUE(roster.ok());
  cfg.roster = *roster;
  cfg.budget = 400;
  std::vector<std::string> first;
  for (const int threads : {1, 2}) {
    cfg.threads = threads;
    const Result<HuntResult> r = run_hunt(testing::shipped_kernel("kernel-v0.1.yaml"), cfg);
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_GE(r->records.size(), 3u);
    std::vector<std::string> texts;
    for (const ExploitRecord& rec : r->records) {
      EXPECT_FALSE(rec.summary.empty()) << rec.name;
      EXPECT_FALSE(rec.proposed_guard.empty()) << rec.name;
      texts.push_back(record_to_json(rec));
    }
    if (first.empty()) first = texts;
    EXPECT_EQ(texts, first) << threads << " threads";
  }
}

}  // namespace
}  // namespace fable
