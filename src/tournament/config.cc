// Tournament config files; see include/fable/tournament_config.h.
#include "fable/tournament_config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <optional>
#include <set>

#include "base/safe_name.h"
#include "fable/agent.h"
#include "fable/engine.h"

namespace fable {

namespace {

// The role a matchup key names: a role registered for rosters, or its plural
// ("drainers"); nullopt for anything else.
std::optional<AgentRole> role_of_key(std::string_view key) {
  if (const auto r = find_agent_role(key); r && r->in_rosters()) return r;
  if (key.size() > 1 && key.back() == 's') {
    if (const auto r = find_agent_role(key.substr(0, key.size() - 1)); r && r->in_rosters())
      return r;
  }
  return std::nullopt;
}

// One entry of `matchups:`: {name: NAME, ROLE: COUNT, ...}.
Result<MatchupSpec> read_matchup(const std::string& path, const YAML::Node& m) {
  const int line = m.Mark().line + 1;
  if (!m.IsMap()) {
    return Status::Invalid(fmt::format("{}:{}: matchups: expected a mapping", path, line));
  }
  MatchupSpec spec{m["name"].as<std::string>(), {}};
  long long total = 0;
  bool negative = false;
  for (const auto& kv : m) {
    const std::string key = kv.first.as<std::string>();
    if (key == "name") continue;
    const std::optional<AgentRole> role = role_of_key(key);
    if (!role) {
      return Status::Invalid(
          fmt::format("{}:{}: matchups: '{}': unknown role '{}' (registered: {}; plurals such as "
                      "'drainers' work too)",
                      path, kv.first.Mark().line + 1, spec.name, key, roster_role_names()));
    }
    const std::string name(role->name());
    if (std::any_of(spec.roster.entries.begin(), spec.roster.entries.end(),
                    [&](const RosterEntry& e) { return e.role == name; })) {
      return Status::Invalid(fmt::format("{}:{}: matchups: '{}': role '{}' named twice", path,
                                         kv.first.Mark().line + 1, spec.name, name));
    }
    const int count = kv.second.as<int>();
    negative = negative || count < 0;
    total += count;
    spec.roster.entries.push_back({name, count});
  }
  if (total < 1 || negative || total > kMaxPopulation) {
    return Status::Invalid(
        fmt::format("{}:{}: matchups: '{}' needs 1..{} agents and no negative count", path, line,
                    spec.name, kMaxPopulation));
  }
  std::stable_sort(spec.roster.entries.begin(), spec.roster.entries.end(),
                   [](const RosterEntry& a, const RosterEntry& b) {
                     return find_agent_role(a.role)->index() < find_agent_role(b.role)->index();
                   });
  return spec;
}

// A list "A,B,C" is checked for repeats seed by seed; longer runs use A..B.
constexpr std::size_t kMaxListedSeeds = 10000;

}  // namespace

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
    seeds.reserve(static_cast<std::size_t>(b - a) + 1);
    for (std::uint64_t s = a;; ++s) {  // stops at b: no overflow when b is the largest seed
      seeds.push_back(s);
      if (s == b) break;
    }
    return seeds;
  }
  std::size_t pos = 0;
  while (true) {
    const std::size_t comma = std::min(text.find(',', pos), text.size());
    std::uint64_t s = 0;
    if (!number(text.substr(pos, comma - pos), s)) {
      return Status::Invalid(
          fmt::format("--seeds '{}': expected A..B or a comma-separated list", text));
    }
    if (std::find(seeds.begin(), seeds.end(), s) != seeds.end()) {
      return Status::Invalid(fmt::format("--seeds '{}': seed {} is given twice", text, s));
    }
    if (seeds.size() >= kMaxListedSeeds)
      return Status::Invalid(fmt::format("--seeds: at most {} listed seeds", kMaxListedSeeds));
    seeds.push_back(s);
    if (comma == text.size()) break;
    pos = comma + 1;
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

Result<EpisodeFiles> parse_episode_files_option(std::string_view text, std::string_view where) {
  if (const auto e = parse_episode_files(text)) return *e;
  return Status::Invalid(fmt::format("{} '{}': expected all, findings or none", where, text));
}

Status apply_tournament_config(const std::string& path, TournamentConfig& cfg) {
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
        auto e = parse_episode_files_option(v.as<std::string>(), "episode_files");
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
          Result<MatchupSpec> spec = read_matchup(path, m);
          if (!spec.ok()) return spec.status();
          cfg.matchups.push_back(std::move(spec).value());
        }
      }
    }
  } catch (const YAML::Exception& e) {
    return Status::Invalid(
        fmt::format("{}:{}:{}: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  return Status::Ok();
}

Result<TournamentConfig> load_tournament_config(const std::string& path) {
  TournamentConfig cfg;
  if (Status st = apply_tournament_config(path, cfg); !st.ok()) return st;
  if (Status st = check_tournament_settings(cfg); !st.ok()) return st;
  return cfg;
}

Status check_tournament_settings(const TournamentConfig& cfg) {
  if (cfg.n_turns < 1 || cfg.n_turns > 100000)
    return Status::Invalid(fmt::format("turns {}: must be 1..100000", cfg.n_turns));
  if (cfg.threads < 1 || cfg.threads > 256)
    return Status::Invalid(fmt::format("threads {}: must be 1..256", cfg.threads));
  if (cfg.settings.plan_length < 1 || cfg.settings.plan_length > kMaxPlanLength) {
    return Status::Invalid(
        fmt::format("plan_length {}: must be 1..{}", cfg.settings.plan_length, kMaxPlanLength));
  }
  // Matchup names become file names (episodes/<matchup>-seed<N>.json): one
  // safe-name rule, and no two alike (their files and rows would collide).
  for (std::size_t i = 0; i < cfg.matchups.size(); ++i) {
    if (Status st = check_safe_name(cfg.matchups[i].name, "matchup name"); !st.ok()) return st;
    for (std::size_t j = 0; j < i; ++j) {
      if (cfg.matchups[j].name == cfg.matchups[i].name) {
        return Status::Invalid(fmt::format("matchup name '{}' is used twice; names must differ",
                                           cfg.matchups[i].name));
      }
    }
  }
  if (cfg.exploit_id_start < 1 || cfg.exploit_id_start > 999999) {
    return Status::Invalid(
        fmt::format("exploit_id_start {}: must be 1..999999", cfg.exploit_id_start));
  }
  return Status::Ok();
}

}  // namespace fable
