// The `bench` throughput cases, timing one case, and its JSON line; see
// src/tournament/throughput.h and docs/bench-format.md.
#include "tournament/throughput.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/child_process.h"

namespace fable {

namespace {

using nlohmann::json;

constexpr std::uint64_t kDefaultSeedsOneThread = 3000;  // 15,000 episodes
constexpr std::uint64_t kDefaultSeedsAllCores = 6000;   // 30,000 episodes
constexpr std::uint64_t kMillionSeeds = 200000;         // 1,000,000 episodes
constexpr std::uint64_t kHuntPairSeeds = 20000;         // as many as hunt-default's executions
constexpr double kScaleAgentTurns = 6.0e6;              // per scaling case
constexpr std::uint64_t kQuickDivisor = 20;
constexpr std::uint64_t kMinEpisodes = 2;

std::uint64_t scaled(std::uint64_t n, bool quick) {
  return std::max(kMinEpisodes, quick ? n / kQuickDivisor : n);
}

std::string thread_words(int threads) {
  return threads == 1 ? "1 thread" : fmt::format("{} threads", threads);
}

ThroughputCase default_case(std::string name, std::uint64_t seeds, int threads,
                            bool in_default_set) {
  ThroughputCase c;
  c.name = std::move(name);
  c.matchups = default_matchups();
  c.seeds = seeds;
  c.turns = 60;
  c.threads = threads;
  c.in_default_set = in_default_set;
  c.description = fmt::format("the {} default matchups x seeds 0..{} ({} episodes), 60 turns, {}",
                              c.matchups.size(), seeds - 1, c.episodes(), thread_words(threads));
  return c;
}

ThroughputCase scale_case(int citizens, int turns, bool quick) {
  ThroughputCase c;
  c.name = fmt::format("scale-{}x{}", citizens, turns);
  c.matchups = {scale_matchup(citizens)};
  const double per_episode = static_cast<double>(citizens) * static_cast<double>(turns);
  c.seeds = scaled(static_cast<std::uint64_t>(std::llround(kScaleAgentTurns / per_episode)), quick);
  c.turns = turns;
  c.threads = 1;
  const MatchupSpec& m = c.matchups.front();
  c.description = fmt::format("{} ({}) x seeds 0..{}, {} turns, 1 thread", m.name,
                              m.roster.to_string(), c.seeds - 1, turns);
  return c;
}

// The tournament of the same size as the hunt cases (20 citizens, 30 turns):
// the hunt's roster with its attackers replaced by drainers.
ThroughputCase hunt_pair_case(bool quick) {
  ThroughputCase c;
  c.name = "hunt-pair-1t";
  c.matchups = {MatchupSpec{"hunt-pair", Roster{{{"honest", 9}, {"drainer", 11}}}}};
  c.seeds = scaled(kHuntPairSeeds, quick);
  c.turns = 30;
  c.threads = 1;
  c.description =
      fmt::format("{} x seeds 0..{}, 30 turns, 1 thread: the tournament of the hunt cases' size",
                  c.matchups.front().roster.to_string(), c.seeds - 1);
  return c;
}

std::string fixed3(double v) {
  return fmt::format("{:.3f}", v);
}

}  // namespace

MatchupSpec scale_matchup(int citizens) {
  const int red = std::max(1, citizens / 8);
  return MatchupSpec{fmt::format("scale-{}", citizens), Roster{{{"honest", citizens - 3 * red},
                                                                {"drainer", red},
                                                                {"entrencher", red},
                                                                {"suppressor", red}}}};
}

std::uint64_t ThroughputCase::episodes() const {
  return matchups.size() * seeds;
}

std::uint64_t ThroughputCase::agent_turns() const {
  std::uint64_t total = 0;
  for (const MatchupSpec& m : matchups) {
    total +=
        seeds * static_cast<std::uint64_t>(m.roster.total()) * static_cast<std::uint64_t>(turns);
  }
  return total;
}

double ThroughputCase::mean_citizens() const {
  if (matchups.empty()) return 0.0;
  double sum = 0.0;
  for (const MatchupSpec& m : matchups) sum += m.roster.total();
  return sum / static_cast<double>(matchups.size());
}

std::vector<ThroughputCase> throughput_cases(const CaseSetOptions& options) {
  const bool quick = options.quick;
  const int all = std::max(1, options.all_core_threads);
  std::vector<ThroughputCase> cases;
  cases.push_back(default_case("default-1t", scaled(kDefaultSeedsOneThread, quick), 1, true));
  if (all > 1) {
    cases.push_back(default_case(fmt::format("default-{}t", all),
                                 scaled(kDefaultSeedsAllCores, quick), all, true));
  }
  // The same tournament as the command line plays it by default now.
  ThroughputCase token = default_case(fmt::format("default-{}t-token-vote", all),
                                      scaled(kDefaultSeedsAllCores, quick), all, true);
  token.population = *find_population_preset("token-vote", "bench");
  token.description += ", token-vote citizens";
  cases.push_back(std::move(token));
  // The same tournaments writing every artifact: what writing costs.
  std::vector<int> writing_threads{1};
  if (all > 1) writing_threads.push_back(all);
  for (const int threads : writing_threads) {
    ThroughputCase written =
        default_case(fmt::format("default-{}t-artifacts", threads),
                     scaled(threads == 1 ? kDefaultSeedsOneThread : kDefaultSeedsAllCores, quick),
                     threads, true);
    written.artifacts = true;
    written.description += ", writing every artifact (episode files: all)";
    cases.push_back(std::move(written));
  }
  for (const int citizens : {10, 100, 1000}) {
    for (const int turns : {60, 240}) cases.push_back(scale_case(citizens, turns, quick));
  }
  cases.push_back(hunt_pair_case(quick));
  cases.push_back(default_case("million", scaled(kMillionSeeds, quick), all, false));
  return cases;
}

Result<ScratchFolder> ScratchFolder::make() {
  std::error_code ec;
  const std::filesystem::path base = std::filesystem::temp_directory_path(ec);
  // The folder comes from TMPDIR (else /tmp): an error names it.
  const char* const tmpdir = std::getenv("TMPDIR");
  const std::string from =
      tmpdir != nullptr ? fmt::format("TMPDIR={}", tmpdir) : std::string("TMPDIR unset: /tmp");
  if (ec) return Status::Io(fmt::format("no temporary folder ({}): {}", from, ec.message()));
  std::string pattern = (base / "fable-bench-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Status::Io(
        fmt::format("{}: cannot create ({}): {}", pattern, from, std::strerror(errno)));
  }
  return ScratchFolder(pattern);
}

ScratchFolder::ScratchFolder(ScratchFolder&& other) noexcept : path_(std::move(other.path_)) {
  other.path_.clear();
}

ScratchFolder::~ScratchFolder() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

Result<ThroughputFigures> measure_case(const Kernel& kernel, const ThroughputCase& c,
                                       const ScratchFolder* scratch) {
  TournamentConfig cfg;
  cfg.seeds.clear();
  cfg.seeds.reserve(c.seeds);
  for (std::uint64_t s = 0; s < c.seeds; ++s) cfg.seeds.push_back(s);
  cfg.n_turns = c.turns;
  cfg.matchups = c.matchups;
  cfg.threads = c.threads;
  cfg.population = c.population;
  cfg.out_dir.reset();
  cfg.episode_files = EpisodeFiles::kNone;
  std::optional<ScratchFolder> own;  // removed when this returns
  if (c.artifacts) {
    if (scratch == nullptr) {
      Result<ScratchFolder> made = ScratchFolder::make();
      if (!made.ok()) return made.status();
      own.emplace(std::move(*made));
      scratch = &*own;
    }
    cfg.out_dir = (scratch->path() / c.name).string();
    cfg.episode_files = EpisodeFiles::kAll;
  }
  Tournament tournament(std::move(cfg));
  const auto start = std::chrono::steady_clock::now();
  const Result<TournamentResult> result = tournament.run(kernel);
  const auto stop = std::chrono::steady_clock::now();
  if (!result.ok()) {
    if (!c.artifacts) return result.status();
    // A folder its error names is in the scratch folder, which is removed.
    return Status(result.status().code(),
                  fmt::format("{} (the bench's scratch folder {} is removed when it ends)",
                              result.status().message(), scratch->path().string()));
  }
  ThroughputFigures f;
  f.episodes = result->episodes_run;
  f.exploit_records = result->exploit_records.size();
  f.seconds = std::chrono::duration<double>(stop - start).count();
  return f;
}

Result<ThroughputFigures> measure_case_isolated(const Kernel& kernel, const ThroughputCase& c,
                                                const ScratchFolder* scratch) {
  const Result<ChildResult> child = run_in_child([&](std::string& output) {
    const Result<ThroughputFigures> f = measure_case(kernel, c, scratch);
    if (!f.ok()) {
      std::fprintf(stderr, "error: %s: %s\n", c.name.c_str(), f.status().message().c_str());
      return 1;
    }
    output = json{{"episodes", f->episodes},
                  {"exploit_records", f->exploit_records},
                  {"seconds", f->seconds}}
                 .dump();
    return 0;
  });
  if (!child.ok()) return Status::Io(fmt::format("{}: {}", c.name, child.status().message()));
  if (!child->succeeded()) {
    return Status::Io(child->term_signal != 0
                          ? fmt::format("{}: the case's process was killed by signal {}", c.name,
                                        child->term_signal)
                          : fmt::format("{}: the case's process exited with status {}", c.name,
                                        child->exit_code));
  }
  ThroughputFigures f;
  try {
    const json j = json::parse(child->output);
    f.episodes = j.at("episodes").get<std::uint64_t>();
    f.exploit_records = j.at("exploit_records").get<std::uint64_t>();
    f.seconds = j.at("seconds").get<double>();
  } catch (const json::exception&) {
    return Status::Io(fmt::format("{}: the case's process did not report its figures", c.name));
  }
  f.cpu_seconds = child->cpu_seconds;
  f.peak_rss_mb = child->peak_rss_mb;
  return f;
}

std::string_view build_kind() {
#ifdef NDEBUG
  return "release";
#else
  return "debug";
#endif
}

std::string throughput_json_line(const ThroughputCase& c, const Kernel& kernel,
                                 const ThroughputFigures& f, bool quick) {
  const std::uint64_t agent_turns = c.agent_turns();
  const double seconds = f.seconds;
  const double per_s = seconds > 0 ? 1.0 / seconds : 0.0;
  const double ns_per_agent_turn =
      agent_turns > 0 ? seconds * 1e9 / static_cast<double>(agent_turns) : 0.0;
  std::string s = "{";
  s += fmt::format("\"schema\":\"{}\",", kBenchSchema);
  s += fmt::format("\"name\":{},", json(c.name).dump());
  s += "\"kind\":\"tournament\",";
  s += fmt::format("\"build\":\"{}\",", build_kind());
  s += fmt::format("\"quick\":{},", quick ? "true" : "false");
  s += fmt::format("\"kernel\":{},", json(kernel.name()).dump());
  s += fmt::format("\"kernel_version\":\"{}\",", kernel.version().to_string());
  s += fmt::format("\"threads\":{},", c.threads);
  s += fmt::format("\"artifacts\":\"{}\",", c.artifacts ? "all" : "none");
  s += fmt::format("\"matchups\":{},", c.matchups.size());
  s += fmt::format("\"episodes\":{},", f.episodes);
  s += fmt::format("\"citizens\":{},", fixed3(c.mean_citizens()));
  s += fmt::format("\"turns\":{},", c.turns);
  s += fmt::format("\"agent_turns\":{},", agent_turns);
  s += fmt::format("\"seconds\":{},", fixed3(seconds));
  s += fmt::format("\"cpu_seconds\":{},", fixed3(f.cpu_seconds));
  s += fmt::format("\"episodes_per_s\":{},", fixed3(static_cast<double>(f.episodes) * per_s));
  s += fmt::format("\"agent_turns_per_s\":{},", fixed3(static_cast<double>(agent_turns) * per_s));
  s += fmt::format("\"ns_per_agent_turn\":{},", fixed3(ns_per_agent_turn));
  s += fmt::format("\"peak_rss_mb\":{},", fixed3(f.peak_rss_mb));
  s += fmt::format("\"exploit_records\":{}", f.exploit_records);
  s += "}";
  return s;
}

}  // namespace fable
