// Tournaments: the seed's orchestration, determinism across threads, records
// that replay, and the evidence issue 3 asks for on the default matchups.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "fable/holes.h"
#include "fable/objectives.h"
#include "fable/record.h"
#include "fable/replay.h"
#include "fable/tournament.h"
#include "support/files.h"
#include "support/kernels.h"

namespace fable {
namespace {

namespace fs = std::filesystem;

// The shared loader (tests/support/kernels.h) under this file's short name.
constexpr auto load = ::fable::testing::load_test_kernel;
using ::fable::testing::folder_contents;
using ::fable::testing::read_file;

fs::path fresh_dir(const std::string& name) {
  const fs::path p =
      fs::temp_directory_path() / ("fable-test-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  return p;
}

TEST(Tournament, DefaultsFollowTheSeed) {
  const TournamentConfig cfg;
  EXPECT_EQ(cfg.seeds, (std::vector<std::uint64_t>{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(cfg.n_turns, 60);
  EXPECT_EQ(cfg.initial_treasury, 1000 * kMoneyScale);
  EXPECT_EQ(cfg.exploit_id_start, 1);
  ASSERT_EQ(default_matchups().size(), 5u);
  EXPECT_EQ(default_matchups()[0].name, "baseline-honest");
  EXPECT_EQ(default_matchups()[0].roster.count("honest"), 6);
  EXPECT_EQ(default_matchups()[4].name, "mixed-capture");
  EXPECT_EQ(default_matchups()[4].roster.to_string(),
            "honest:5,drainer:1,entrencher:1,suppressor:1");
}

TEST(Tournament, ArtifactsAreByteIdenticalAcrossRunsAndThreads) {
  const Kernel v01 = load("kernels/kernel-v0.1.yaml");
  std::map<std::string, std::string> first;
  for (int threads : {1, 2, 2}) {
    TournamentConfig cfg;
    cfg.threads = threads;
    const fs::path out = fresh_dir("det");
    cfg.out_dir = out.string();
    ASSERT_TRUE(Tournament(cfg).run(v01).ok());
    const auto files = folder_contents(out);
    fs::remove_all(out);
    EXPECT_EQ(files.size(), 40u + 2u +
                                static_cast<std::size_t>(
                                    std::count_if(files.begin(), files.end(), [](const auto& f) {
                                      return f.first.rfind("exploits/", 0) == 0;
                                    })));
    if (first.empty()) {
      first = files;
    } else {
      EXPECT_EQ(files, first) << "threads " << threads;
    }
  }
  EXPECT_TRUE(first.count("summary.md"));
  EXPECT_TRUE(first.count("leaderboard.json"));
  EXPECT_TRUE(first.count("episodes/drain-seed7.json"));
}

// Episode summaries can be limited to episodes with findings, or left out;
// records and the summary are the same whichever is chosen.
TEST(Tournament, EpisodeFilesAllFindingsOrNone) {
  const Kernel v01 = load("kernels/kernel-v0.1.yaml");
  std::map<EpisodeFiles, std::map<std::string, std::string>> runs;
  int with_findings = 0;
  for (const EpisodeFiles which :
       {EpisodeFiles::kAll, EpisodeFiles::kWithFindings, EpisodeFiles::kNone}) {
    TournamentConfig cfg;
    cfg.episode_files = which;
    const fs::path out = fresh_dir("episode-files");
    cfg.out_dir = out.string();
    const auto r = Tournament(cfg).run(v01);
    ASSERT_TRUE(r.ok());
    with_findings = 0;
    for (const LeaderboardRow& row : r->leaderboard) with_findings += row.episodes_with_findings;
    runs[which] = folder_contents(out);
    EXPECT_EQ(fs::exists(out / "episodes"), which != EpisodeFiles::kNone);
    fs::remove_all(out);
  }
  const auto only = [](const std::map<std::string, std::string>& files, const std::string& prefix,
                       bool keep) {
    std::map<std::string, std::string> out;
    for (const auto& [path, text] : files) {
      if ((path.rfind(prefix, 0) == 0) == keep) out[path] = text;
    }
    return out;
  };
  const auto all_episodes = only(runs[EpisodeFiles::kAll], "episodes/", true);
  const auto some_episodes = only(runs[EpisodeFiles::kWithFindings], "episodes/", true);
  EXPECT_EQ(all_episodes.size(), 40u);
  ASSERT_GT(with_findings, 0);
  ASSERT_LT(with_findings, 40);  // baseline-honest has none
  EXPECT_EQ(some_episodes.size(), static_cast<std::size_t>(with_findings));
  for (const auto& [path, text] : some_episodes) {
    EXPECT_EQ(all_episodes.at(path), text);
    EXPECT_EQ(text.find("\"findings\": []"), std::string::npos) << path;
  }
  EXPECT_FALSE(some_episodes.count("episodes/baseline-honest-seed0.json"));
  EXPECT_TRUE(only(runs[EpisodeFiles::kNone], "episodes/", true).empty());
  const auto rest = only(runs[EpisodeFiles::kAll], "episodes/", false);
  EXPECT_EQ(only(runs[EpisodeFiles::kWithFindings], "episodes/", false), rest);
  EXPECT_EQ(only(runs[EpisodeFiles::kNone], "episodes/", false), rest);
  EXPECT_EQ(parse_episode_files("findings"), EpisodeFiles::kWithFindings);
  EXPECT_EQ(parse_episode_files("some"), std::nullopt);
}

// Each episode file carries the red team's seven objective values and the
// seven capture flags made of them (docs/tournament-format.md), the same as
// the episode played again alone.
TEST(Tournament, EpisodeFilesCarryTheObjectivesAndEveryCaptureFlag) {
  const Kernel v01 = load("kernels/kernel-v0.1.yaml");
  TournamentConfig cfg;
  cfg.seeds = {0};
  const fs::path out = fresh_dir("objectives");
  cfg.out_dir = out.string();
  ASSERT_TRUE(Tournament(cfg).run(v01).ok());
  const auto files = folder_contents(out);
  fs::remove_all(out);
  const DetectorSuite none;
  for (const MatchupSpec& m : default_matchups()) {
    const std::string path = "episodes/" + m.name + "-seed0.json";
    ASSERT_TRUE(files.count(path)) << path;
    const nlohmann::json score = nlohmann::json::parse(files.at(path)).at("score");
    EpisodeOptions options;
    options.matchup = m.name;
    options.population = cfg.population;
    Population agents = m.build_agents();
    const EpisodeScore alone = run_episode(v01, agents, 0, options, none).score;
    ASSERT_EQ(score.at("objectives").size(), static_cast<std::size_t>(kObjectiveCount)) << path;
    for (const ObjectiveInfo& info : all_objectives()) {
      const std::string key(info.name);
      EXPECT_EQ(score.at("objectives").at(key).get<double>(), alone.objectives[info.id])
          << path << " " << key;
      EXPECT_EQ(score.at("capture").at(key).get<bool>(), alone.objectives.captured(info.id))
          << path << " " << key;
    }
    EXPECT_EQ(score.at("capture").size(), static_cast<std::size_t>(kObjectiveCount)) << path;
    EXPECT_EQ(score.at("governance_score").get<double>(), alone.governance_score) << path;
    if (m.name == "baseline-honest") {
      // No red team: every objective is 0 and nothing scales the score down
      // (it is below 100 only by the delegation token-vote citizens pile up).
      for (const auto& [key, v] : score.at("objectives").items()) EXPECT_EQ(v, 0.0) << key;
      for (const auto& [key, v] : score.at("capture").items()) EXPECT_FALSE(v.get<bool>()) << key;
    }
  }
}

// Workers reuse a population from episode to episode (agent.h): an episode
// played by agents that have just played others is the one fresh agents play.
TEST(Tournament, AReusedPopulationPlaysLikeAFreshOne) {
  const Kernel v01 = load("kernels/kernel-v0.1.yaml");
  const DetectorSuite suite = default_suite();
  for (const MatchupSpec& m : default_matchups()) {
    EpisodeOptions options;
    options.matchup = m.name;
    Population fresh = m.build_agents();
    const EpisodeResult expected = run_episode(v01, fresh, 3, options, suite);
    Population reused = m.build_agents();
    for (const std::uint64_t seed : {5u, 1u}) (void)run_episode(v01, reused, seed, options, suite);
    const EpisodeResult again = run_episode(v01, reused, 3, options, suite);
    ASSERT_EQ(expected.trace.digests.size(), 61u) << m.name;
    EXPECT_EQ(again.trace.digests, expected.trace.digests) << m.name;
    EXPECT_EQ(again.findings.size(), expected.findings.size()) << m.name;
  }
}

// A detector that fails on one seed, as a stand-in for anything that throws
// inside a worker (out of memory, a bug).
class ThrowsOnSeed : public Detector {
 public:
  explicit ThrowsOnSeed(std::uint64_t seed) : seed_(seed) {}
  void run(const EpisodeTrace& trace, const EpisodeScore&,
           std::vector<ExploitFinding>&) const override {
    if (trace.seed == seed_)
      throw std::runtime_error("detector failed on seed " + std::to_string(seed_));
  }

 private:
  std::uint64_t seed_;
};

// An exception in any thread (a worker's detector, or the caller's progress
// callback on the consuming thread) stops every thread, joins them (never
// std::terminate) and reaches the caller as a Status::Internal; no output
// folder looks done.
TEST(Tournament, AFailureInAnyThreadReachesTheCaller) {
  const Kernel v01 = load("kernels/kernel-v0.1.yaml");
  for (const int threads : {1, 2, 4}) {
    TournamentConfig cfg;
    cfg.threads = threads;
    cfg.seeds.clear();
    for (std::uint64_t s = 0; s < 50; ++s) cfg.seeds.push_back(s);
    const fs::path out = fresh_dir("failure");
    cfg.out_dir = out.string();
    DetectorSuite suite = default_suite();
    suite.add("throws_on_seed", Category::kProcedure, std::make_unique<ThrowsOnSeed>(17));
    const auto failed = Tournament(cfg, std::move(suite)).run(v01);
    ASSERT_FALSE(failed.ok()) << "no failure, threads " << threads;
    EXPECT_EQ(failed.status().code(), StatusCode::kInternal) << threads;
    EXPECT_EQ(failed.status().message(), "internal failure: detector failed on seed 17") << threads;
    EXPECT_FALSE(fs::exists(out)) << threads;

    cfg.out_dir.reset();
    int calls_after_failure = 0;
    const ProgressFn throws_at_30 = [&](const TournamentProgress& p) {
      calls_after_failure += p.done > 30 ? 1 : 0;
      if (p.done == 30) throw std::runtime_error("progress failed");
    };
    const auto stopped = Tournament(cfg).run(v01, throws_at_30);
    ASSERT_FALSE(stopped.ok()) << threads;
    EXPECT_EQ(stopped.status().code(), StatusCode::kInternal) << threads;
    EXPECT_EQ(stopped.status().message(), "internal failure: progress failed") << threads;
    EXPECT_EQ(calls_after_failure, 0) << threads;
    for (const auto& e : fs::directory_iterator(out.parent_path())) {
      if (e.path().filename().string().rfind(out.filename().string() + ".partial-", 0) == 0)
        fs::remove_all(e.path());
    }
  }
}

// The progress callback (issue 15 point 4) sees every episode once, in job
// order, with the findings so far and the distinct fingerprints among them:
// at the end, the leaderboard's findings and the records.
TEST(Tournament, ProgressCountsEpisodesFindingsAndFingerprints) {
  const Kernel& v01 = testing::cached_kernel("kernels/kernel-v0.1.yaml");
  TournamentConfig cfg;
  cfg.threads = 2;
  cfg.minimize = false;
  cfg.seeds = {0, 1, 2};
  std::vector<TournamentProgress> seen;
  const auto r = Tournament(cfg).run(v01, [&](const TournamentProgress& p) { seen.push_back(p); });
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(seen.size(), 15u);
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].done, i + 1);
    EXPECT_EQ(seen[i].total, 15u);
    if (i > 0) {
      EXPECT_GE(seen[i].findings, seen[i - 1].findings);
      EXPECT_GE(seen[i].distinct, seen[i - 1].distinct);
    }
    EXPECT_LE(seen[i].distinct, seen[i].findings);
  }
  std::uint64_t findings = 0;
  for (const LeaderboardRow& row : r->leaderboard)
    findings += static_cast<std::uint64_t>(row.total_findings);
  EXPECT_GT(findings, 0u);
  EXPECT_EQ(seen.back().findings, findings);
  EXPECT_EQ(seen.back().distinct, r->exploit_records.size());
}

TEST(Tournament, RefusesANonEmptyOutputFolderAndLeavesItAlone) {
  const fs::path out = fresh_dir("busy");
  fs::create_directories(out);
  std::ofstream(out / "mine.txt") << "user data";
  TournamentConfig cfg;
  cfg.out_dir = out.string();
  cfg.seeds = {0};
  const auto r = Tournament(cfg).run(load("kernels/kernel-v0.1.yaml"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("not empty"), std::string::npos);
  EXPECT_EQ(read_file(out / "mine.txt"), "user data");
  EXPECT_EQ(folder_contents(out).size(), 1u);
  fs::remove_all(out);
}

TEST(Tournament, RecordsAreOrderedDedupedAndReplay) {
  const Kernel v01 = load("kernels/kernel-v0.1.yaml");
  const Kernel v02 = load("kernels/kernel-v0.2.yaml");
  TournamentConfig cfg;
  cfg.exploit_id_start = 7;
  const auto r = Tournament(cfg).run(v01);
  ASSERT_TRUE(r.ok());
  ASSERT_FALSE(r->exploit_records.empty());
  EXPECT_EQ(r->exploit_records[0].exploit_id, "EXP-007");
  std::set<std::string> fingerprints;
  const DetectorSuite suite = default_suite();
  for (std::size_t i = 0; i < r->exploit_records.size(); ++i) {
    const ExploitRecord& rec = r->exploit_records[i];
    EXPECT_TRUE(fingerprints.insert(rec.fingerprint).second)
        << "duplicate fingerprint " << rec.fingerprint;
    if (i > 0) {
      const ExploitRecord& prev = r->exploit_records[i - 1];
      EXPECT_TRUE(prev.severity > rec.severity ||
                  (prev.severity == rec.severity &&
                   category_name(prev.category) <= category_name(rec.category)));
    }
    // A record survives its own JSON and replays where it was found.
    const std::string text = record_to_json(rec);
    Result<ExploitRecord> back = record_from_json(text, "mem");
    ASSERT_TRUE(back.ok()) << back.status().message();
    EXPECT_EQ(record_to_json(*back), text);
    EXPECT_EQ(replay_record(*back, v01, suite).verdict, Verdict::kReproduces)
        << rec.exploit_id << " " << rec.name;
    EXPECT_NE(replay_record(*back, v02, suite).verdict, Verdict::kReproduces)
        << rec.exploit_id << " " << rec.name;
  }
}

// Issue 3's evidence: on v0.1 each red matchup yields findings of its own
// role's category in at least half of its episodes and baseline-honest none;
// on v0.2 none of the six canonical fingerprints appears.
TEST(Tournament, EvidenceOnTheDefaultMatchups) {
  const auto v01 = Tournament(TournamentConfig{}).run(load("kernels/kernel-v0.1.yaml"));
  ASSERT_TRUE(v01.ok());
  // Under the default token-vote citizens the honest baseline captures
  // nothing; its only findings are the delegation its own citizens pile on
  // one peer, which v0.1 does not cap (README, "Evidence (issue 3)").
  for (const ExploitRecord& rec : v01->exploit_records) {
    if (rec.first_matchup == "baseline-honest") {
      EXPECT_EQ(rec.name, "delegation_concentration") << rec.summary;
    }
  }
  for (const LeaderboardRow& row : v01->leaderboard) {
    if (row.matchup == "baseline-honest") {
      EXPECT_EQ(row.capture_rate, 0.0);
      EXPECT_EQ(row.episodes_with_category[static_cast<int>(Category::kDrain)], 0);
      EXPECT_EQ(row.episodes_with_category[static_cast<int>(Category::kEntrench)], 0);
      EXPECT_EQ(row.episodes_with_category[static_cast<int>(Category::kProcedure)], 0);
      EXPECT_EQ(row.episodes_with_category[static_cast<int>(Category::kEmpathy)], 0);
      continue;
    }
    EXPECT_GE(row.episodes_with_findings * 2, row.episodes) << row.matchup;
    auto count = [&](Category c) { return row.episodes_with_category[static_cast<int>(c)]; };
    const bool mixed = row.matchup == "mixed-capture";
    if (row.matchup == "drain" || mixed) {
      EXPECT_GE(count(Category::kDrain) * 2, row.episodes) << row.matchup;
    }
    if (row.matchup == "entrench" || mixed) {
      EXPECT_GE(count(Category::kEntrench) * 2, row.episodes) << row.matchup;
    }
    if (row.matchup == "suppress" || mixed) {
      EXPECT_GE(count(Category::kSuppress) * 2, row.episodes) << row.matchup;
    }
  }
  const Kernel v01k = load("kernels/kernel-v0.1.yaml");
  std::set<std::string> canonical;
  for (const HoleScenario& h : canonical_holes())
    canonical.insert(canonical_record(h, v01k)->fingerprint);
  EXPECT_EQ(canonical.size(), 6u);
  const auto v02 = Tournament(TournamentConfig{}).run(load("kernels/kernel-v0.2.yaml"));
  ASSERT_TRUE(v02.ok());
  for (const ExploitRecord& rec : v02->exploit_records) {
    EXPECT_FALSE(canonical.count(rec.fingerprint)) << rec.name << " " << rec.fingerprint;
  }
  // exit_obstruction's denied shares never exceed the treasury there was
  // (a fresh user's find: "5 citizen(s) ... losing 1897.620" of 1000).
  bool obstruction = false;
  for (const ExploitRecord& rec : v01->exploit_records) {
    if (rec.name != "exit_obstruction") continue;
    obstruction = true;
    const std::string mark = "losing ";
    const auto at = rec.summary.find(mark);
    ASSERT_NE(at, std::string::npos) << rec.summary;
    EXPECT_LE(std::stod(rec.summary.substr(at + mark.size())), 1000.0) << rec.summary;
  }
  EXPECT_TRUE(obstruction);
  // Naive citizens, the reference: the honest baseline has no finding at all.
  TournamentConfig naive;
  naive.population = PopulationModel{};
  naive.matchups = {default_matchups().front()};
  ASSERT_EQ(naive.matchups[0].name, "baseline-honest");
  const auto reference = Tournament(naive).run(load("kernels/kernel-v0.1.yaml"));
  ASSERT_TRUE(reference.ok());
  ASSERT_EQ(reference->leaderboard.size(), 1u);
  EXPECT_EQ(reference->leaderboard[0].total_findings, 0);
  EXPECT_EQ(reference->leaderboard[0].mean_governance_score, 100.0);
}

TEST(Records, BadRecordsAreOneClearError) {
  const std::string good = read_file(testing::source_path("exploits/EXP-001.json"));
  ASSERT_TRUE(record_from_json(good, "EXP-001.json").ok());
  auto error_of = [](const std::string& text) {
    Result<ExploitRecord> r = record_from_json(text, "bad.json");
    return r.ok() ? std::string("accepted") : r.status().message();
  };
  EXPECT_NE(error_of(good.substr(0, good.size() / 2)).find("bad.json"), std::string::npos);
  EXPECT_NE(error_of("[]").find("expected an object, got a list"), std::string::npos);
  auto edited = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    const auto at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return s.replace(at, from.size(), to);
  };
  EXPECT_NE(error_of(edited("\"severity\": 5", "\"severity\": 9")).find("severity"),
            std::string::npos);
  EXPECT_NE(
      error_of(edited("\"roster\": \"honest:9", "\"roster\": \"wizard:9")).find("unknown role"),
      std::string::npos);
  EXPECT_NE(error_of(edited("fable-exploit/1", "fable-exploit/2")).find("schema"),
            std::string::npos);
  EXPECT_NE(error_of(edited("\"type\": \"propose\"", "\"type\": \"teleport\"")).find("teleport"),
            std::string::npos);
  EXPECT_NE(
      error_of(edited("\"exploit_id\": \"EXP-001\"", "\"exploit_id\": \"X-1\"")).find("EXP-NNN"),
      std::string::npos);
}

TEST(Records, AHandEditedScriptIsStaleNotFixed) {
  Result<ExploitRecord> rec = load_record(testing::source_path("exploits/EXP-005.json"));
  ASSERT_TRUE(rec.ok());
  // The leader's propose is removed: the others' ballots now address a
  // proposal that the script never opens.
  auto& steps = rec->reproduction.scripts.at("drainer-01");
  steps.erase(
      std::remove_if(steps.begin(), steps.end(),
                     [](const ScriptStep& s) { return s.action.kind == ActionKind::kPropose; }),
      steps.end());
  const ReplayResult r = replay_record(*rec, load("kernels/kernel-v0.2.yaml"), default_suite());
  EXPECT_EQ(r.verdict, Verdict::kStale) << r.reason;
  EXPECT_NE(r.reason.find("never opened"), std::string::npos) << r.reason;
  rec->reproduction.engine_version = "fable-engine/0";
  EXPECT_EQ(replay_record(*rec, load("kernels/kernel-v0.1.yaml"), default_suite()).verdict,
            Verdict::kStale);
}

}  // namespace
}  // namespace fable
