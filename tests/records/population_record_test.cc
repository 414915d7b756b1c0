// The population model in records: absent means naive (old records read and
// write unchanged), a non-naive model round-trips and is read strictly, and a
// record found under a population replays under it.
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "fable/detector.h"
#include "fable/record.h"
#include "fable/replay.h"
#include "fable/tournament.h"
#include "support/files.h"
#include "support/kernels.h"

namespace fable {
namespace {

std::string exp001() {
  return testing::read_file(testing::source_path("exploits/EXP-001.json"));
}

PopulationModel preset(std::string_view name) {
  Result<PopulationModel> m = find_population_preset(name, "test");
  EXPECT_TRUE(m.ok());
  return m.ok() ? *m : PopulationModel{};
}

// EXP-001 with `population` set in its reproduction to `value` (JSON text).
std::string with_population(const std::string& value) {
  nlohmann::json doc = nlohmann::json::parse(exp001());
  doc["reproduction"]["population"] = nlohmann::json::parse(value);
  return doc.dump(2) + "\n";
}

const char* kTokenVote =
    R"({"preset": "token-vote", "turnout_turn": 0.6, "turnout_proposal": 0.3,
        "attention": 0.1, "latency_min": 0, "latency_max": 1, "vigilance": 0.05,
        "vigilance_bound": 0.75, "delegation": 0.4, "exit_below": 0.8})";

TEST(PopulationRecord, ShippedRecordsAreNaiveAndWriteBackByteForByte) {
  const std::string text = exp001();
  const Result<ExploitRecord> rec = record_from_json(text, "EXP-001.json");
  ASSERT_TRUE(rec.ok()) << rec.status().message();
  EXPECT_TRUE(rec->reproduction.population.naive());
  EXPECT_EQ(record_to_json(*rec), text);
  EXPECT_EQ(record_to_json(*rec).find("population"), std::string::npos);
}

TEST(PopulationRecord, ANonNaiveModelRoundTrips) {
  const Result<ExploitRecord> rec = record_from_json(with_population(kTokenVote), "x.json");
  ASSERT_TRUE(rec.ok()) << rec.status().message();
  EXPECT_EQ(rec->reproduction.population, preset("token-vote"));
  const std::string again = record_to_json(*rec);
  EXPECT_NE(again.find("\"population\""), std::string::npos);
  const Result<ExploitRecord> back = record_from_json(again, "x.json");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->reproduction.population, rec->reproduction.population);
  EXPECT_EQ(record_to_json(*back), again);
}

TEST(PopulationRecord, IsReadStrictly) {
  auto error_of = [](const std::string& value) {
    const Result<ExploitRecord> r = record_from_json(with_population(value), "bad.json");
    EXPECT_FALSE(r.ok()) << value;
    return r.ok() ? std::string("accepted") : r.status().message();
  };
  std::string bad = kTokenVote;
  bad.replace(bad.find("0.6"), 3, "1.5");
  EXPECT_NE(error_of(bad).find("population.turnout_turn: 1.5 is out of range [0, 1]"),
            std::string::npos)
      << error_of(bad);
  EXPECT_NE(
      error_of(R"({"preset": "naive"})").find("reproduction.population.turnout_turn': missing"),
      std::string::npos)
      << error_of(R"({"preset": "naive"})");
  std::string extra = kTokenVote;
  extra.replace(extra.find("\"preset\""), 0, "\"turnout\": 1, ");
  EXPECT_NE(error_of(extra).find("turnout"), std::string::npos);
  std::string text_value = kTokenVote;
  text_value.replace(text_value.find("0.4"), 3, "\"0.4\"");
  EXPECT_NE(error_of(text_value).find("delegation"), std::string::npos);
}

TEST(PopulationRecord, ARecordReplaysUnderItsPopulation) {
  TournamentConfig cfg;
  cfg.seeds = {0, 1, 2, 3};
  cfg.matchups = {MatchupSpec{"drain", *parse_roster("honest:8,drainer:3")}};
  cfg.population = preset("token-vote");
  const Result<TournamentResult> run =
      Tournament(cfg).run(testing::shipped_kernel("kernel-v0.1.yaml"));
  ASSERT_TRUE(run.ok()) << run.status().message();
  ASSERT_FALSE(run->exploit_records.empty());
  int only_under_it = 0;
  for (const ExploitRecord& found : run->exploit_records) {
    const Result<ExploitRecord> rec = record_from_json(record_to_json(found), "r.json");
    ASSERT_TRUE(rec.ok()) << rec.status().message();
    EXPECT_EQ(rec->reproduction.population, preset("token-vote"));
    const ReplayResult r =
        replay_record(*rec, testing::shipped_kernel("kernel-v0.1.yaml"), default_suite());
    EXPECT_EQ(r.verdict, Verdict::kReproduces) << rec->exploit_id << ": " << r.reason;
    ExploitRecord naive = *rec;
    naive.reproduction.population = PopulationModel{};
    const ReplayResult n =
        replay_record(naive, testing::shipped_kernel("kernel-v0.1.yaml"), default_suite());
    if (n.digests != r.digests) ++only_under_it;
  }
  // The honest citizens play differently under naive: the replayed episodes differ.
  EXPECT_GT(only_under_it, 0);
}

}  // namespace
}  // namespace fable
