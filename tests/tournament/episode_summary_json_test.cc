// episode_summary_json (the text of episodes/<matchup>-seed<N>.json) is
// written by a streaming writer; it must stay byte for byte the document the
// tournament wrote with an nlohmann::json tree before (kept here as the
// oracle), on real episodes of every default matchup and on edge values.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fable/episode.h"
#include "fable/tournament.h"
#include "support/kernels.h"
#include "tournament/artifacts.h"

namespace fable {
namespace {

using nlohmann::json;

// The tree-built document, as artifacts.cc built it up to session 23.
std::string oracle(const std::string& matchup, std::uint64_t seed, const EpisodeScore& s,
                   const std::vector<ExploitFinding>& findings) {
  json objectives = json::object();
  for (const ObjectiveInfo& info : all_objectives())
    objectives[std::string(info.name)] = s.objectives[info.id];
  const json score{{"governance_score", s.governance_score},
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
                   {"objectives", objectives},
                   {"invariant_breaches", s.invariant_breaches}};
  json fs = json::array();
  for (const ExploitFinding& f : findings) {
    json evidence = json::array();
    for (const auto& [k, v] : f.evidence) evidence.push_back(json::array({k, v}));
    fs.push_back(json{{"name", f.name},
                      {"category", category_name(f.category)},
                      {"severity", f.severity},
                      {"turn", f.turn},
                      {"actors", f.actors},
                      {"summary", f.summary},
                      {"kernel_clauses", f.kernel_clauses},
                      {"proposed_guard", f.proposed_guard},
                      {"evidence", evidence},
                      {"fingerprint", f.fingerprint}});
  }
  const json doc{{"schema", "fable-episode/1"},
                 {"matchup", matchup},
                 {"seed", seed},
                 {"score", score},
                 {"findings", fs}};
  return doc.dump(2) + "\n";
}

TEST(EpisodeSummaryJson, IsTheTreeBuiltDocumentOnRealEpisodes) {
  int findings = 0;
  for (const char* path : {"kernels/kernel-v0.1.yaml", "kernels/kernel-v0.2.yaml"}) {
    const Kernel& kernel = testing::cached_kernel(path);
    for (const MatchupSpec& m : default_matchups()) {
      Population agents = m.build_agents();
      for (std::uint64_t seed = 0; seed < 6; ++seed) {
        EpisodeOptions options;
        options.matchup = m.name;
        options.population = seed % 2 == 0 ? default_population() : PopulationModel{};
        const EpisodeResult ep = run_episode(kernel, agents, seed, options, default_suite());
        findings += static_cast<int>(ep.findings.size());
        const std::string expected = oracle(m.name, seed, ep.score, ep.findings);
        ASSERT_EQ(episode_summary_json(m.name, seed, ep.score, ep.findings), expected)
            << path << " " << m.name << " seed " << seed;
        std::string reused = "old text";
        reused.clear();
        append_episode_summary_json(reused, m.name, seed, ep.score, ep.findings);
        ASSERT_EQ(reused, expected);
      }
    }
  }
  EXPECT_GT(findings, 50);  // the comparison covered findings, not only scores
}

TEST(EpisodeSummaryJson, IsTheTreeBuiltDocumentOnEdgeValues) {
  EpisodeScore s;
  s.governance_score = 100.0;
  s.empathy_ratio = std::numeric_limits<double>::quiet_NaN();
  s.gini = -0.0;
  s.herfindahl = 1e-7;
  s.treasury_final = 1e21;
  s.max_drawdown = 0.1 + 0.2;
  s.capture.drain = true;
  s.capture.timing = true;
  s.objectives.value[2] = 0.333;
  s.invariant_breaches = {"conservation", "non_negative"};
  ExploitFinding f;
  f.name = "quote\"and\\slash/";
  f.severity = 5;
  f.turn = 59;
  f.actors = {"a-01", "b\n02"};
  f.summary = "tab\there, \x01 control, \xe2\x89\xa5 unicode";
  f.kernel_clauses = {};
  f.evidence = {{"k", ""}, {"", "v"}};
  f.fingerprint = "0123456789abcdef";
  const std::vector<ExploitFinding> findings{f, ExploitFinding{}};
  EXPECT_EQ(episode_summary_json("m", std::numeric_limits<std::uint64_t>::max(), s, findings),
            oracle("m", std::numeric_limits<std::uint64_t>::max(), s, findings));
  EXPECT_EQ(episode_summary_json("m", 0, EpisodeScore{}, {}), oracle("m", 0, EpisodeScore{}, {}));
}

}  // namespace
}  // namespace fable
