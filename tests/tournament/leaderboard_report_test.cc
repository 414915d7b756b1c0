// The leaderboard's statistics and its reports: leaderboard.json checked
// against a hand computation from the episode files, byte-identical for 1 and
// 2 threads, the honest-only baseline at 0 [0, upper] for every objective,
// configured secondaries, and summary.md's interval cells.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <unistd.h>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "fable/episode_metrics.h"
#include "fable/objectives.h"
#include "fable/population.h"
#include "fable/tournament.h"
#include "support/files.h"
#include "support/kernels.h"
#include "tournament/leaderboard.h"

namespace fable {
namespace {

namespace fs = std::filesystem;
using ::fable::testing::folder_contents;
using nlohmann::json;

fs::path fresh_dir(const std::string& name) {
  const fs::path p =
      fs::temp_directory_path() / ("fable-test-lb-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  return p;
}

// Plays `cfg` into a fresh folder and returns every file written.
std::map<std::string, std::string> play(TournamentConfig cfg, const std::string& name) {
  const fs::path out = fresh_dir(name);
  cfg.out_dir = out.string();
  const auto r =
      Tournament(cfg).run(::fable::testing::load_test_kernel("kernels/kernel-v0.1.yaml"));
  EXPECT_TRUE(r.ok()) << r.status().message();
  auto files = folder_contents(out);
  fs::remove_all(out);
  return files;
}

TournamentConfig small_config() {
  TournamentConfig cfg;
  cfg.seeds = {0, 1, 2, 3, 4};
  cfg.n_turns = 30;
  cfg.initial_treasury = 800 * kMoneyScale;
  cfg.matchups = {*find_default_matchup("baseline-honest"), *find_default_matchup("drain"),
                  *find_default_matchup("suppress")};
  cfg.secondary_metrics = {"max_drawdown", "governance_score"};
  return cfg;
}

// Every figure of leaderboard.json, worked out again from the episode files
// the same run wrote (sums in seed order, as the tournament adds them).
TEST(LeaderboardReport, JsonMatchesAHandComputationFromTheEpisodeFiles) {
  const TournamentConfig cfg = small_config();
  const auto files = play(cfg, "hand");
  ASSERT_TRUE(files.count("leaderboard.json"));
  const json board = json::parse(files.at("leaderboard.json"));
  EXPECT_EQ(board["schema"], "fable-leaderboard/1");
  EXPECT_EQ(board["episodes"], 15);
  EXPECT_EQ(board["initial_treasury"], 800.0);
  EXPECT_EQ(board["secondary_metrics"], (json{"max_drawdown", "governance_score"}));
  const json& rows = board["matchups"];
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0]["matchup"], "baseline-honest");  // sorted by name
  EXPECT_EQ(rows[1]["matchup"], "drain");
  EXPECT_EQ(rows[2]["matchup"], "suppress");
  for (const json& row : rows) {
    const std::string m = row["matchup"];
    std::vector<json> eps;
    for (std::uint64_t seed : cfg.seeds) {
      const std::string path = "episodes/" + m + "-seed" + std::to_string(seed) + ".json";
      ASSERT_TRUE(files.count(path)) << path;
      eps.push_back(json::parse(files.at(path))["score"]);
    }
    const double n = static_cast<double>(eps.size());
    EXPECT_EQ(row["episodes"], eps.size());
    double worst_off = 0, gini = 0, retention = 0, participation = 0, drawdown = 0, score = 0;
    double worst_off_min = std::numeric_limits<double>::infinity();
    std::map<std::string, int> captured;
    int any = 0;
    for (const json& e : eps) {
      const double floor_final = e["empathy_floor_final"];
      worst_off += floor_final;
      worst_off_min = std::min(worst_off_min, floor_final);
      gini += e["gini"].get<double>();
      retention += e["treasury_final"].get<double>() / 800.0;
      participation += e["participation"].get<double>();
      drawdown += e["max_drawdown"].get<double>();
      score += e["governance_score"].get<double>();
      bool some = false;
      for (const auto& [name, flag] : e["capture"].items()) {
        captured[name] += flag.get<bool>() ? 1 : 0;
        some = some || flag.get<bool>();
      }
      any += some ? 1 : 0;
    }
    EXPECT_DOUBLE_EQ(row["worst_off_welfare"]["mean"], worst_off / n) << m;
    EXPECT_DOUBLE_EQ(row["worst_off_welfare"]["min"], worst_off_min) << m;
    EXPECT_DOUBLE_EQ(row["gini"]["mean"], gini / n) << m;
    EXPECT_DOUBLE_EQ(row["treasury_retention"]["mean"], retention / n) << m;
    EXPECT_DOUBLE_EQ(row["participation"]["mean"], participation / n) << m;
    EXPECT_DOUBLE_EQ(row["secondary"]["max_drawdown"]["mean"], drawdown / n) << m;
    EXPECT_DOUBLE_EQ(row["secondary"]["governance_score"]["mean"], score / n) << m;
    EXPECT_DOUBLE_EQ(row["governance_score"]["mean"], score / n) << m;
    // Capture counts per objective, with the Wilson interval worked out here.
    ASSERT_EQ(captured.size(), static_cast<std::size_t>(kObjectiveCount));
    captured["any"] = any;
    ASSERT_EQ(row["capture"].size(), captured.size());
    for (const auto& [name, count] : captured) {
      const json& c = row["capture"][name];
      EXPECT_EQ(c["count"], count) << m << " " << name;
      EXPECT_DOUBLE_EQ(c["rate"], count / n) << m << " " << name;
      const double z = 1.959964, p = count / n;
      const double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
      const double half = z / (1 + z * z / n) * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n));
      EXPECT_NEAR(c["lower"].get<double>(), std::max(0.0, centre - half), 1e-12) << m << name;
      EXPECT_NEAR(c["upper"].get<double>(), std::min(1.0, centre + half), 1e-12) << m << name;
    }
  }
  // The red rosters capture on v0.1; the honest-only one never does.
  EXPECT_GT(rows[1]["capture"]["drain"]["count"].get<int>(), 0);
  EXPECT_EQ(rows[0]["capture"]["any"]["count"], 0);
}

TEST(LeaderboardReport, ByteIdenticalForOneAndTwoThreads) {
  TournamentConfig cfg = small_config();
  cfg.threads = 1;
  const auto one = play(cfg, "t1");
  cfg.threads = 2;
  const auto two = play(cfg, "t2");
  ASSERT_TRUE(one.count("leaderboard.json") && one.count("summary.md"));
  EXPECT_EQ(one.at("leaderboard.json"), two.at("leaderboard.json"));
  EXPECT_EQ(one.at("summary.md"), two.at("summary.md"));
  EXPECT_EQ(one, two);
}

// With no red team no objective is ever captured: every rate is 0 with the
// interval [0, z^2 / (n + z^2)], in leaderboard.json and in summary.md.
TEST(LeaderboardReport, HonestOnlyBaselineShowsZeroWithItsUpperBound) {
  TournamentConfig cfg;
  cfg.seeds = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  cfg.matchups = {*find_default_matchup("baseline-honest")};
  const auto files = play(cfg, "baseline");
  const json row = json::parse(files.at("leaderboard.json"))["matchups"][0];
  const double z2 = kZ95 * kZ95;
  ASSERT_EQ(row["capture"].size(), static_cast<std::size_t>(kObjectiveCount) + 1);
  for (const auto& [name, c] : row["capture"].items()) {
    EXPECT_EQ(c["count"], 0) << name;
    EXPECT_EQ(c["rate"], 0.0) << name;
    EXPECT_EQ(c["lower"], 0.0) << name;
    EXPECT_NEAR(c["upper"].get<double>(), z2 / (10 + z2), 1e-12) << name;
  }
  const std::string& summary = files.at("summary.md");
  std::string expected = "| baseline-honest | 10 |";
  for (int i = 0; i <= kObjectiveCount; ++i) expected += " 0.00 [0.00, 0.28] |";
  EXPECT_NE(summary.find(expected + "\n"), std::string::npos) << summary;
}

// The outputs say which honest citizens played: figures under different
// population models must not be read as the same run.
TEST(LeaderboardReport, SummaryAndJsonNameThePopulationModel) {
  TournamentConfig cfg;
  cfg.seeds = {0, 1};
  cfg.n_turns = 20;
  cfg.matchups = {*find_default_matchup("drain")};
  for (const char* preset : {"naive", "token-vote"}) {
    cfg.population = *find_population_preset(preset, "test");
    const auto files = play(cfg, std::string("population-") + preset);
    EXPECT_NE(files.at("summary.md").find(fmt::format("population model `{}`", preset)),
              std::string::npos)
        << files.at("summary.md");
    const json population = json::parse(files.at("leaderboard.json"))["population"];
    EXPECT_EQ(population["preset"], preset);
    EXPECT_EQ(population["turnout_turn"].get<double>(), cfg.population.turnout_turn);
  }
}

TEST(LeaderboardReport, UnknownOrRepeatedSecondaryIsRefusedBeforePlaying) {
  TournamentConfig cfg = small_config();
  cfg.secondary_metrics = {"gini", "proposal_legitimacy"};
  auto r = Tournament(cfg).run(::fable::testing::load_test_kernel("kernels/kernel-v0.1.yaml"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("unknown secondary metric 'proposal_legitimacy'"),
            std::string::npos);
  EXPECT_NE(r.status().message().find("treasury_retention"), std::string::npos);
  cfg.secondary_metrics = {"gini", "gini"};
  r = Tournament(cfg).run(::fable::testing::load_test_kernel("kernels/kernel-v0.1.yaml"));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("'gini' given twice"), std::string::npos);
}

TEST(LeaderboardReport, CatalogueNamesAreUniqueAndRetentionIsAShare) {
  std::vector<std::string_view> names;
  for (const EpisodeMetric& m : episode_metrics()) names.push_back(m.name);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::adjacent_find(names.begin(), names.end()), names.end());
  EXPECT_NE(find_episode_metric("worst_off_welfare"), nullptr);
  EXPECT_EQ(find_episode_metric("nope"), nullptr);
  EXPECT_DOUBLE_EQ(treasury_retention(250, 1000), 0.25);
  EXPECT_DOUBLE_EQ(treasury_retention(1500, 1000), 1.5);
  EXPECT_DOUBLE_EQ(treasury_retention(5, 0), 1.0);
  EpisodeScore s;
  s.empathy_floor_final = 0.4;
  s.treasury_final = 300;
  EXPECT_DOUBLE_EQ(find_episode_metric("worst_off_welfare")->value(s, 1000), 0.4);
  EXPECT_DOUBLE_EQ(find_episode_metric("treasury_retention")->value(s, 1000), 0.3);
  // The seed's proposal_legitimacy and minority_participation (docs/seed-config.md).
  s.procedural_legitimacy = 0.75;
  s.minority_participation = 0.625;
  EXPECT_DOUBLE_EQ(find_episode_metric("procedural_legitimacy")->value(s, 1000), 0.75);
  EXPECT_DOUBLE_EQ(find_episode_metric("minority_participation")->value(s, 1000), 0.625);
}

// summary.md from a hand-made result: a rate strictly between 0 and 1 with
// its interval, fixed decimals, no "-0.000", and the secondary columns.
TEST(LeaderboardReport, SummaryShowsIntervalsWelfareAndSecondaries) {
  Leaderboard board(1000, {find_episode_metric("max_drawdown")});
  for (int i = 0; i < 10; ++i) {
    EpisodeScore s;
    s.capture.timing = i < 5;
    s.capture.exit = i < 1;
    s.empathy_floor_final = i < 2 ? 0.25 : 0.5;
    s.gini = i == 0 ? -2e-16 : 0.0;
    s.treasury_final = 900;
    s.participation = 0.5;
    s.max_drawdown = 0.125;
    board.add("half", s, {});
  }
  TournamentResult r;
  r.kernel_version = "0.1.0";
  r.secondary_metrics = {"max_drawdown"};
  r.leaderboard = board.rows();
  const LeaderboardRow& row = r.leaderboard[0];
  EXPECT_EQ(row.capture_by_objective[static_cast<std::size_t>(Objective::kTiming)].successes, 5);
  EXPECT_EQ(row.capture_by_objective[static_cast<std::size_t>(Objective::kExit)].successes, 1);
  EXPECT_EQ(row.capture_any.successes, 5);
  EXPECT_DOUBLE_EQ(row.mean_worst_off_welfare, 0.45);
  EXPECT_DOUBLE_EQ(row.min_worst_off_welfare, 0.25);
  EXPECT_DOUBLE_EQ(row.mean_treasury_retention, 0.9);
  ASSERT_EQ(row.secondary_means.size(), 1u);
  EXPECT_DOUBLE_EQ(row.secondary_means[0], 0.125);
  const std::string summary = render_summary(r);
  EXPECT_NE(summary.find("| half | 10 | 0.50 [0.24, 0.76] | 0.00 [0.00, 0.28] |"),
            std::string::npos)
      << summary;
  EXPECT_NE(summary.find(" 0.10 [0.02, 0.40] | 0.50 [0.24, 0.76] |\n"), std::string::npos)
      << summary;  // exit 1/10, timing 5/10: the last two columns
  EXPECT_NE(summary.find("| participation | max_drawdown |\n"), std::string::npos) << summary;
  EXPECT_NE(summary.find("| half | 0.450 | 0.250 | 0.000 | 0.900 | 0.500 | 0.125 |\n"),
            std::string::npos)
      << summary;
  EXPECT_EQ(summary.find("-0.0"), std::string::npos);
  const json doc = json::parse(leaderboard_json(r));
  EXPECT_EQ(doc["matchups"][0]["secondary"]["max_drawdown"]["mean"], 0.125);
  EXPECT_EQ(doc["matchups"][0]["capture"]["timing"]["count"], 5);
}

}  // namespace
}  // namespace fable
