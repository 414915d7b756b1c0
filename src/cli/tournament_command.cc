// `fable-selfplay tournament` and `fable-selfplay run`: thin shells over fable/tournament.h.
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <yaml-cpp/yaml.h>

#include "cli_support.h"
#include "commands.h"
#include "fable/record.h"
#include "fable/record_store.h"
#include "fable/tournament.h"

namespace fable::cli {

namespace {

namespace fs = std::filesystem;

// "A..B" (inclusive) or "A,B,C".
Result<std::vector<std::uint64_t>> parse_seeds(std::string_view text) {
  auto number = [](std::string_view s, std::uint64_t& out) {
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && end == s.data() + s.size() && !s.empty();
  };
  std::vector<std::uint64_t> seeds;
  const auto dots = text.find("..");
  if (dots != std::string_view::npos) {
    std::uint64_t a = 0, b = 0;
    if (!number(text.substr(0, dots), a) || !number(text.substr(dots + 2), b) || b < a) {
      return Status::Invalid(fmt::format("--seeds '{}': expected A..B with A <= B", text));
    }
    if (b - a >= 100000000ULL)
      return Status::Invalid(fmt::format("--seeds '{}': at most 10^8 seeds", text));
    for (std::uint64_t s = a; s <= b; ++s) seeds.push_back(s);
    return seeds;
  }
  for (const std::string_view piece : split_commas(text)) {
    std::uint64_t s = 0;
    if (!number(piece, s)) {
      return Status::Invalid(
          fmt::format("--seeds '{}': expected A..B or a comma-separated list", text));
    }
    seeds.push_back(s);
  }
  return seeds;
}

Result<Money> parse_treasury(double units) {
  if (!(units >= 0.0) || units > kMaxMoneyUnits) {
    return Status::Invalid(
        fmt::format("treasury {}: must be between 0 and {}", units, kMaxMoneyUnits));
  }
  return money_from_units(units);
}

// Prints "\r[done/total] pct" on stderr when it is a terminal.
ProgressFn progress_line(const std::string& label) {
  if (!::isatty(STDERR_FILENO)) return {};
  return [label](std::uint64_t done, std::uint64_t total) {
    if (done != total && done % 64 != 0) return;
    std::fprintf(stderr, "\r%s: %llu/%llu episodes (%.0f%%)%s", label.c_str(),
                 static_cast<unsigned long long>(done), static_cast<unsigned long long>(total),
                 100.0 * static_cast<double>(done) / static_cast<double>(total),
                 done == total ? "\n" : "");
    std::fflush(stderr);
  };
}

struct TournamentOptions {
  std::string kernel;
  std::string out;
  std::string config;
  std::string seeds;
  std::string matchups;
  std::optional<int> threads;
  std::optional<int> turns;
  std::optional<double> treasury;
  std::optional<int> plan_length;
  std::string episode_files;
};

Result<EpisodeFiles> parse_episode_files_flag(std::string_view text, std::string_view where) {
  if (const auto e = parse_episode_files(text)) return *e;
  return Status::Invalid(fmt::format("{} '{}': expected all, findings or none", where, text));
}

// Reads a tournament config file (docs/tournament-format.md) into `cfg`.
Status apply_config_file(const std::string& path, TournamentConfig& cfg) {
  try {
    const YAML::Node doc = YAML::LoadFile(path);
    if (!doc.IsMap()) return Status::Invalid(fmt::format("{}: expected a mapping", path));
    static const std::set<std::string> known{"kernel",           "seeds",       "turns",
                                             "treasury",         "threads",     "matchups",
                                             "exploit_id_start", "plan_length", "episode_files"};
    for (const auto& kv : doc) {
      const std::string key = kv.first.as<std::string>();
      const int line = kv.first.Mark().line + 1;
      if (!known.count(key))
        return Status::Invalid(fmt::format("{}:{}: {}: unknown key", path, line, key));
      const YAML::Node& v = kv.second;
      if (key == "kernel") cfg.kernel_path = v.as<std::string>();
      if (key == "seeds") {
        auto seeds = parse_seeds(v.as<std::string>());
        if (!seeds.ok())
          return Status::Invalid(
              fmt::format("{}:{}: seeds: {}", path, line, seeds.status().message()));
        cfg.seeds = *seeds;
      }
      if (key == "turns") cfg.n_turns = v.as<int>();
      if (key == "treasury") {
        auto t = parse_treasury(v.as<double>());
        if (!t.ok())
          return Status::Invalid(fmt::format("{}:{}: {}", path, line, t.status().message()));
        cfg.initial_treasury = *t;
      }
      if (key == "episode_files") {
        auto e = parse_episode_files_flag(v.as<std::string>(), "episode_files");
        if (!e.ok())
          return Status::Invalid(fmt::format("{}:{}: {}", path, line, e.status().message()));
        cfg.episode_files = *e;
      }
      if (key == "threads") cfg.threads = v.as<int>();
      if (key == "exploit_id_start") cfg.exploit_id_start = v.as<int>();
      if (key == "plan_length") cfg.settings.plan_length = v.as<int>();
      if (key == "matchups") {
        cfg.matchups.clear();
        for (const auto& m : v) {
          MatchupSpec spec{m["name"].as<std::string>(), m["honest"].as<int>(0),
                           m["drainers"].as<int>(0), m["entrenchers"].as<int>(0),
                           m["suppressors"].as<int>(0)};
          if (spec.roster().total() < 1 || spec.honest < 0 || spec.drainers < 0 ||
              spec.entrenchers < 0 || spec.suppressors < 0 ||
              spec.roster().total() > kMaxPopulation) {
            return Status::Invalid(
                fmt::format("{}:{}: matchups: '{}' needs 1..{} agents and no negative count", path,
                            m.Mark().line + 1, spec.name, kMaxPopulation));
          }
          cfg.matchups.push_back(spec);
        }
      }
    }
  } catch (const YAML::Exception& e) {
    return Status::Invalid(
        fmt::format("{}:{}:{}: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  return Status::Ok();
}

Status check_settings(const TournamentConfig& cfg) {
  if (cfg.n_turns < 1 || cfg.n_turns > 100000)
    return Status::Invalid(fmt::format("turns {}: must be 1..100000", cfg.n_turns));
  if (cfg.threads < 1 || cfg.threads > 256)
    return Status::Invalid(fmt::format("threads {}: must be 1..256", cfg.threads));
  if (cfg.settings.plan_length < 1 || cfg.settings.plan_length > kMaxPlanLength) {
    return Status::Invalid(
        fmt::format("plan_length {}: must be 1..{}", cfg.settings.plan_length, kMaxPlanLength));
  }
  if (cfg.exploit_id_start < 1 || cfg.exploit_id_start > 999999) {
    return Status::Invalid(
        fmt::format("exploit_id_start {}: must be 1..999999", cfg.exploit_id_start));
  }
  return Status::Ok();
}

void print_leaderboard(const TournamentResult& r) {
  fmt::print("kernel {} v{} ({}): {} episodes, {} exploit records\n", r.kernel_name,
             r.kernel_version, r.kernel_hash, r.episodes_run, r.exploit_records.size());
  for (const LeaderboardRow& row : r.leaderboard) {
    fmt::print("  {:<16} score {:6.2f}  floor {:.3f}  capture {:.2f}  findings {}\n", row.matchup,
               row.mean_governance_score, row.mean_empathy_floor, row.capture_rate,
               row.total_findings);
  }
  for (const ExploitRecord& rec : r.exploit_records) {
    fmt::print("  {} [{}/sev{}] {} (x{})\n", rec.exploit_id, category_name(rec.category),
               rec.severity, rec.name, rec.occurrences);
  }
}

int run_tournament(const TournamentOptions& o) {
  TournamentConfig cfg;
  if (!o.config.empty()) {
    if (Status st = apply_config_file(o.config, cfg); !st.ok()) return report(st);
  }
  if (!o.kernel.empty()) cfg.kernel_path = o.kernel;
  if (cfg.kernel_path.empty())
    return report(Status::Invalid("no kernel: give --kernel FILE or kernel: in --config"));
  if (!o.seeds.empty()) {
    auto seeds = parse_seeds(o.seeds);
    if (!seeds.ok()) return report(seeds.status());
    cfg.seeds = *seeds;
  }
  if (!o.matchups.empty()) {
    cfg.matchups.clear();
    std::string_view rest = o.matchups;
    while (!rest.empty()) {
      const std::size_t comma = std::min(rest.find(','), rest.size());
      const std::string_view name = rest.substr(0, comma);
      const auto m = find_default_matchup(name);
      if (!m) {
        return report(
            Status::Invalid(fmt::format("--matchups: unknown matchup '{}' (baseline-honest, drain, "
                                        "entrench, suppress, mixed-capture)",
                                        name)));
      }
      cfg.matchups.push_back(*m);
      rest = comma < rest.size() ? rest.substr(comma + 1) : std::string_view{};
    }
  }
  if (o.turns) cfg.n_turns = *o.turns;
  if (o.treasury) {
    auto t = parse_treasury(*o.treasury);
    if (!t.ok()) return report(t.status());
    cfg.initial_treasury = *t;
  }
  if (o.threads) cfg.threads = *o.threads;
  if (o.plan_length) cfg.settings.plan_length = *o.plan_length;
  if (!o.episode_files.empty()) {
    auto e = parse_episode_files_flag(o.episode_files, "--episode-files");
    if (!e.ok()) return report(e.status());
    cfg.episode_files = *e;
  }
  if (Status st = check_settings(cfg); !st.ok()) return report(st);
  if (!o.out.empty()) cfg.out_dir = o.out;

  Tournament t(cfg);
  const auto result = t.run(progress_line("tournament"));
  if (!result.ok()) return report(result.status());
  print_leaderboard(*result);
  if (cfg.out_dir) fmt::print("artifacts written to {}\n", *cfg.out_dir);
  return kExitOk;
}

struct RunOptions {
  std::string kernel;
  std::uint64_t episodes = 8;
  std::uint64_t seed = 0;
  std::string roster;
  int max_turns = 60;
  std::string name = "custom";
  std::string out;
  std::string exploit_dir;
  double treasury = 1000;
  int threads = 1;
  std::string episode_files = "all";
};

int run_run(const RunOptions& o) {
  auto roster = parse_roster(o.roster);
  if (!roster.ok()) return report(roster.status());
  if (o.episodes < 1 || o.episodes > 100000000ULL)
    return report(Status::Invalid("--episodes must be 1..10^8"));
  TournamentConfig cfg;
  cfg.kernel_path = o.kernel;
  cfg.matchups = {MatchupSpec{o.name, roster->honest, roster->drainers, roster->entrenchers,
                              roster->suppressors}};
  cfg.seeds.clear();
  for (std::uint64_t i = 0; i < o.episodes; ++i) cfg.seeds.push_back(o.seed + i);
  cfg.n_turns = o.max_turns;
  auto t = parse_treasury(o.treasury);
  if (!t.ok()) return report(t.status());
  cfg.initial_treasury = *t;
  cfg.threads = o.threads;
  auto e = parse_episode_files_flag(o.episode_files, "--episode-files");
  if (!e.ok()) return report(e.status());
  cfg.episode_files = *e;
  if (Status st = check_settings(cfg); !st.ok()) return report(st);
  if (!o.out.empty()) cfg.out_dir = o.out;
  const auto result = Tournament(cfg).run(progress_line("run"));
  if (!result.ok()) return report(result.status());
  print_leaderboard(*result);
  if (!o.exploit_dir.empty()) {
    // New fingerprints only, numbered after the folder's highest id (fable/record_store.h).
    const auto appended = append_records(o.exploit_dir, result->exploit_records);
    if (!appended.ok()) return report(appended.status());
    const auto written = std::count_if(appended->begin(), appended->end(),
                                       [](const AppendedRecord& a) { return a.written; });
    fmt::print("{} new exploit record(s) written to {}\n", written, o.exploit_dir);
  }
  return kExitOk;
}

}  // namespace

void register_tournament_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<TournamentOptions>();
  CLI::App* cmd = app.add_subcommand("tournament",
                                     "Play matchups x seeds on a kernel and write exploit records");
  cmd->add_option("--kernel", o->kernel, "Kernel document (or kernel: in --config)");
  cmd->add_option("--out", o->out, "Folder for the artifacts; must not exist or be empty");
  cmd->add_option("--config", o->config, "Tournament config file (YAML, docs/tournament-format.md)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--threads", o->threads, "Worker threads (results do not depend on it)");
  cmd->add_option("--seeds", o->seeds, "Seeds: A..B inclusive or A,B,C (default 0..7)");
  cmd->add_option("--turns", o->turns, "Turns per episode (default 60)");
  cmd->add_option("--treasury", o->treasury, "Initial treasury in units (default 1000)");
  cmd->add_option("--matchups", o->matchups,
                  "Comma-separated default matchups (default: all five)");
  cmd->add_option("--plan-length", o->plan_length, "Actions per agent per turn (default 3)");
  cmd->add_option(
      "--episode-files", o->episode_files,
      "Episode summaries under --out: all (default), findings (only episodes with findings), none");
  cmd->callback([o, &exit_code] { exit_code = run_tournament(*o); });
}

void register_run_command(CLI::App& app, int& exit_code) {
  auto o = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Play one roster over many episodes");
  cmd->add_option("--kernel", o->kernel, "Kernel document")->required();
  cmd->add_option("--episodes", o->episodes, "Number of episodes (seeds SEED..SEED+N-1)")
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "First seed")->capture_default_str();
  cmd->add_option("--roster", o->roster, "Population, e.g. honest:8,drainer:2")->required();
  cmd->add_option("--max-turns", o->max_turns, "Turns per episode")->capture_default_str();
  cmd->add_option("--name", o->name, "Name of the matchup in artifacts")->capture_default_str();
  cmd->add_option("--out", o->out, "Folder for the artifacts; must not exist or be empty");
  cmd->add_option("--exploit-dir", o->exploit_dir,
                  "Append new records (by fingerprint) to this folder, after its highest id");
  cmd->add_option("--treasury", o->treasury, "Initial treasury in units")->capture_default_str();
  cmd->add_option("--threads", o->threads, "Worker threads")->capture_default_str();
  cmd->add_option("--episode-files", o->episode_files,
                  "Episode summaries under --out: all, findings or none")
      ->capture_default_str();
  cmd->callback([o, &exit_code] { exit_code = run_run(*o); });
}

}  // namespace fable::cli
