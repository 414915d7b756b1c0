// The hunt cases of `bench`: the case set, one hunt timed in a child process,
// the time-to-first-record summary and the JSON lines; see src/hunt/hunt_bench.h
// and docs/bench-format.md.
#include "hunt/hunt_bench.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/child_process.h"
#include "fable/hunt.h"
#include "tournament/throughput.h"

namespace fable {

namespace {

using nlohmann::json;

constexpr std::uint64_t kThroughputBudget = 20000;    // executions
constexpr std::uint64_t kFirstRecordBudget = 100000;  // executions per seed
constexpr std::uint64_t kFirstRecordSeeds = 5;        // seeds 0..4
constexpr int kFirstRecordThreads = 2;
constexpr int kTurns = 30;
constexpr std::uint64_t kQuickDivisor = 20;
constexpr std::uint64_t kMinBudget = 2;

// honest:9,attacker:11, the roster of the acceptance hunt.
Roster hunt_roster() {
  return Roster{{{"honest", 9}, {"attacker", 11}}};
}

std::uint64_t budget_of(std::uint64_t full, const HuntCaseSetOptions& o) {
  if (o.budget) return *o.budget;
  return std::max(kMinBudget, o.quick ? full / kQuickDivisor : full);
}

std::string thread_words(int threads) {
  return threads == 1 ? "1 thread" : fmt::format("{} threads", threads);
}

HuntBenchCase throughput_case(int threads, const HuntCaseSetOptions& o) {
  HuntBenchCase c;
  c.name = fmt::format("hunt-default-{}t", threads);
  c.kind = HuntBenchKind::kThroughput;
  c.roster = hunt_roster();
  c.budget = budget_of(kThroughputBudget, o);
  c.seeds = {0};
  c.turns = kTurns;
  c.threads = threads;
  c.in_default_set = true;
  c.description = fmt::format("hunt ({}) seed 0, {} executions, {} turns, {}", c.roster.to_string(),
                              c.budget, c.turns, thread_words(threads));
  return c;
}

HuntBenchCase first_record_case(const HuntCaseSetOptions& o) {
  HuntBenchCase c;
  c.name = "hunt-first";
  c.kind = HuntBenchKind::kFirstRecord;
  c.roster = hunt_roster();
  c.budget = budget_of(kFirstRecordBudget, o);
  for (std::uint64_t s = 0; s < kFirstRecordSeeds; ++s) c.seeds.push_back(s);
  c.turns = kTurns;
  c.threads = kFirstRecordThreads;
  c.in_default_set = false;
  c.classes = canonical_detector_classes();
  c.description = fmt::format(
      "time to the first record of each canonical class: hunt ({}) seeds 0..{}, {} executions "
      "each, {} turns, {}; one line hunt-first-<detector> per class",
      c.roster.to_string(), kFirstRecordSeeds - 1, c.budget, c.turns, thread_words(c.threads));
  return c;
}

std::string fixed3(double v) {
  return fmt::format("{:.3f}", v);
}

std::string head_keys(const HuntBenchCase& c, std::string_view name, std::string_view kind,
                      const Kernel& kernel, bool quick) {
  std::string s = "{";
  s += fmt::format("\"schema\":\"{}\",", kBenchSchema);
  s += fmt::format("\"name\":{},", json(std::string(name)).dump());
  s += fmt::format("\"kind\":\"{}\",", kind);
  s += fmt::format("\"build\":\"{}\",", build_kind());
  s += fmt::format("\"quick\":{},", quick ? "true" : "false");
  s += fmt::format("\"kernel\":{},", json(kernel.name()).dump());
  s += fmt::format("\"kernel_version\":\"{}\",", kernel.version().to_string());
  s += fmt::format("\"threads\":{},", c.threads);
  s += fmt::format("\"roster\":\"{}\",", c.roster.to_string());
  s += fmt::format("\"citizens\":{},", c.roster.total());
  s += fmt::format("\"turns\":{},", c.turns);
  return s;
}

// The middle of `values` sorted with nullopt last (the lower middle for an
// even count).
template <typename T>
std::optional<T> censored_median(std::vector<std::optional<T>> values) {
  if (values.empty()) return std::nullopt;
  std::stable_sort(values.begin(), values.end(),
                   [](const std::optional<T>& a, const std::optional<T>& b) {
                     if (!a) return false;
                     if (!b) return true;
                     return *a < *b;
                   });
  return values[(values.size() - 1) / 2];
}

}  // namespace

std::uint64_t HuntBenchCase::agent_turns_per_execution() const {
  return static_cast<std::uint64_t>(roster.total()) * static_cast<std::uint64_t>(turns);
}

const std::vector<std::string>& canonical_detector_classes() {
  static const std::vector<std::string> names{"salami_slicing",  "electorate_shrinking",
                                              "emergency_abuse", "delegation_concentration",
                                              "quorum_ambush",   "omnibus_rider"};
  return names;
}

std::vector<HuntBenchCase> hunt_bench_cases(const HuntCaseSetOptions& options) {
  const int all = std::max(1, options.all_core_threads);
  std::vector<HuntBenchCase> cases;
  cases.push_back(throughput_case(1, options));
  if (all > 1) cases.push_back(throughput_case(all, options));
  cases.push_back(first_record_case(options));
  return cases;
}

Result<HuntRunFigures> measure_hunt_isolated(const Kernel& kernel, const HuntBenchCase& c,
                                             std::uint64_t seed) {
  const std::string what = fmt::format("{} (seed {})", c.name, seed);
  const Result<ChildResult> child = run_in_child([&](std::string& output) {
    HuntConfig cfg;
    cfg.roster = c.roster;
    cfg.budget = c.budget;
    cfg.seed = seed;
    cfg.threads = c.threads;
    cfg.turns = c.turns;
    const auto start = std::chrono::steady_clock::now();
    std::map<std::string, std::pair<std::uint64_t, double>> first;  // detector -> when
    const HuntProgressFn progress = [&](const HuntProgress& p) {
      const double at =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      for (const std::string& d : p.detectors) first.try_emplace(d, p.executions, at);
    };
    const Result<HuntResult> r = run_hunt(kernel, cfg, progress);
    const auto stop = std::chrono::steady_clock::now();
    if (!r.ok()) {
      std::fprintf(stderr, "error: %s: %s\n", what.c_str(), r.status().message().c_str());
      return 1;
    }
    json firsts = json::array();
    for (const auto& [detector, when] : first) {
      firsts.push_back(
          {{"detector", detector}, {"executions", when.first}, {"seconds", when.second}});
    }
    output = json{
        {"executions", r->executions},
        {"corpus_size", r->corpus_size},
        {"exploit_records", r->records.size()},
        {"seconds", std::chrono::duration<double>(stop - start).count()},
        {"first",
         firsts}}.dump();
    return 0;
  });
  if (!child.ok()) return Status::Io(fmt::format("{}: {}", what, child.status().message()));
  if (!child->succeeded()) {
    return Status::Io(
        child->term_signal != 0
            ? fmt::format("{}: the case's process was killed by signal {}", what,
                          child->term_signal)
            : fmt::format("{}: the case's process exited with status {}", what, child->exit_code));
  }
  HuntRunFigures f;
  f.seed = seed;
  try {
    const json j = json::parse(child->output);
    f.executions = j.at("executions").get<std::uint64_t>();
    f.corpus_size = j.at("corpus_size").get<std::uint64_t>();
    f.exploit_records = j.at("exploit_records").get<std::uint64_t>();
    f.seconds = j.at("seconds").get<double>();
    for (const json& e : j.at("first")) {
      f.first.push_back({e.at("detector").get<std::string>(),
                         e.at("executions").get<std::uint64_t>(), e.at("seconds").get<double>()});
    }
  } catch (const json::exception&) {
    return Status::Io(fmt::format("{}: the case's process did not report its figures", what));
  }
  f.cpu_seconds = child->cpu_seconds;
  f.peak_rss_mb = child->peak_rss_mb;
  return f;
}

FirstRecordSummary summarize_first_record(std::string_view detector,
                                          const std::vector<HuntRunFigures>& runs) {
  FirstRecordSummary s;
  s.detector = std::string(detector);
  for (const HuntRunFigures& run : runs) {
    const auto it =
        std::find_if(run.first.begin(), run.first.end(),
                     [&](const HuntRunFigures::First& f) { return f.detector == detector; });
    if (it == run.first.end()) {
      s.seconds.emplace_back();
      s.executions.emplace_back();
    } else {
      ++s.found;
      s.seconds.emplace_back(it->seconds);
      s.executions.emplace_back(it->executions);
    }
  }
  s.median_seconds = censored_median(s.seconds);
  s.median_executions = censored_median(s.executions);
  return s;
}

std::string hunt_throughput_line(const HuntBenchCase& c, const Kernel& kernel,
                                 const HuntRunFigures& run, bool quick) {
  const std::uint64_t agent_turns = run.executions * c.agent_turns_per_execution();
  const double per_s = run.seconds > 0 ? 1.0 / run.seconds : 0.0;
  const double ns_per_agent_turn =
      agent_turns > 0 ? run.seconds * 1e9 / static_cast<double>(agent_turns) : 0.0;
  std::string s = head_keys(c, c.name, "hunt", kernel, quick);
  s += fmt::format("\"seed\":{},", run.seed);
  s += fmt::format("\"budget\":{},", c.budget);
  s += fmt::format("\"executions\":{},", run.executions);
  s += fmt::format("\"agent_turns\":{},", agent_turns);
  s += fmt::format("\"seconds\":{},", fixed3(run.seconds));
  s += fmt::format("\"cpu_seconds\":{},", fixed3(run.cpu_seconds));
  s += fmt::format("\"executions_per_s\":{},", fixed3(static_cast<double>(run.executions) * per_s));
  s += fmt::format("\"agent_turns_per_s\":{},", fixed3(static_cast<double>(agent_turns) * per_s));
  s += fmt::format("\"ns_per_agent_turn\":{},", fixed3(ns_per_agent_turn));
  s += fmt::format("\"peak_rss_mb\":{},", fixed3(run.peak_rss_mb));
  s += fmt::format("\"corpus_size\":{},", run.corpus_size);
  s += fmt::format("\"exploit_records\":{}", run.exploit_records);
  s += "}";
  return s;
}

std::string hunt_first_line(const HuntBenchCase& c, const Kernel& kernel,
                            const FirstRecordSummary& summary,
                            const std::vector<HuntRunFigures>& runs, bool quick) {
  const auto list = [](const auto& values, const auto& render) {
    std::string s = "[";
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) s += ",";
      s += values[i] ? render(*values[i]) : std::string("null");
    }
    return s + "]";
  };
  const auto seconds = [](double v) { return fixed3(v); };
  const auto count = [](std::uint64_t v) { return std::to_string(v); };
  double hunt_seconds = 0;
  double cpu_seconds = 0;
  double peak_rss_mb = 0;
  std::uint64_t executions = 0;
  for (const HuntRunFigures& run : runs) {
    hunt_seconds += run.seconds;
    cpu_seconds += run.cpu_seconds;
    peak_rss_mb = std::max(peak_rss_mb, run.peak_rss_mb);
    executions += run.executions;
  }
  std::string s =
      head_keys(c, fmt::format("{}-{}", c.name, summary.detector), "hunt-first", kernel, quick);
  s += fmt::format("\"budget\":{},", c.budget);
  s += fmt::format("\"seeds\":{},", runs.size());
  s += fmt::format("\"detector\":{},", json(summary.detector).dump());
  s += fmt::format("\"found\":{},", summary.found);
  s += fmt::format("\"median_seconds\":{},",
                   summary.median_seconds ? fixed3(*summary.median_seconds) : "null");
  s += fmt::format("\"median_executions\":{},",
                   summary.median_executions ? count(*summary.median_executions) : "null");
  s += fmt::format("\"first_seconds\":{},", list(summary.seconds, seconds));
  s += fmt::format("\"first_executions\":{},", list(summary.executions, count));
  s += fmt::format("\"executions\":{},", executions);
  s += fmt::format("\"hunt_seconds\":{},", fixed3(hunt_seconds));
  s += fmt::format("\"cpu_seconds\":{},", fixed3(cpu_seconds));
  s += fmt::format("\"peak_rss_mb\":{}", fixed3(peak_rss_mb));
  s += "}";
  return s;
}

}  // namespace fable
