// Tournament config files; see include/fable/tournament_config.h.
#include "fable/tournament_config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <set>
#include <sstream>

#include "base/safe_name.h"
#include "base/text.h"
#include "base/yaml_document.h"
#include "fable/agent.h"
#include "fable/agent_registry.h"
#include "fable/engine.h"
#include "fable/limits.h"
#include "fable/population.h"
#include "fable/sweep.h"

namespace fable {

namespace {

// Worker threads (fable/limits.h).
using limits::kMaxThreads;

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

// Why a tournament refuses a hunt-only kind (the attacker).
std::string hunt_only_refusal(AgentRole role) {
  return fmt::format(
      "'{}' plays only what a search chooses (on its own it does nothing): use it "
      "with `hunt`, not in a tournament or run",
      role.name());
}

// A refusal at a node of the config file, thrown while reading and turned
// into "FILE:LINE: KEY: what" by apply_tournament_config.
struct ConfigRefusal {
  int line = 0;
  std::string what;
};

[[noreturn]] void refuse(const YAML::Node& at, std::string what) {
  throw ConfigRefusal{at.Mark().line + 1, std::move(what)};
}

// What a scalar node looks like, for messages: `"abc"` (a quoted string), `abc`.
std::string shown(const YAML::Node& n) {
  if (!n.IsScalar()) return n.IsSequence() ? "a list" : n.IsMap() ? "a mapping" : "nothing";
  const std::string& v = n.Scalar();
  const std::string text = text::problem(v, text::TextKind::kName, limits::kMaxNameBytes)
                               ? std::string("text with invalid bytes")
                               : "'" + v + "'";
  return n.Tag() == "!" ? "the quoted string " + text : text;
}

// A scalar that passes the text rule as a name (quoted or not).
std::string name_value(const YAML::Node& n, std::string_view key) {
  if (!n.IsScalar()) refuse(n, fmt::format("{}: expected a string, got {}", key, shown(n)));
  if (const auto problem = text::problem(n.Scalar(), text::TextKind::kName, limits::kMaxNameBytes))
    refuse(n, fmt::format("{}: text {}", key, *problem));
  return n.Scalar();
}

// An unquoted integer lo..hi: a quoted "5" is a string, 5.0 is not an integer.
std::int64_t int_value(const YAML::Node& n, std::string_view key, std::int64_t lo,
                       std::int64_t hi) {
  const std::string expected = fmt::format("{}: expected an integer {}..{}", key, lo, hi);
  if (!n.IsScalar() || n.Tag() != "?") refuse(n, fmt::format("{}, got {}", expected, shown(n)));
  const std::string& v = n.Scalar();
  std::int64_t out = 0;
  const char* first = v.data() + (!v.empty() && v[0] == '+' ? 1 : 0);
  const auto [end, ec] = std::from_chars(first, v.data() + v.size(), out);
  if (ec != std::errc() || end != v.data() + v.size() || first == v.data() + v.size() || out < lo ||
      out > hi) {
    refuse(n, fmt::format("{}, got {}", expected, shown(n)));
  }
  return out;
}

// An unquoted finite number.
double number_value(const YAML::Node& n, std::string_view key) {
  const std::string expected = fmt::format("{}: expected a number", key);
  if (!n.IsScalar() || n.Tag() != "?") refuse(n, fmt::format("{}, got {}", expected, shown(n)));
  const std::string& v = n.Scalar();
  double out = 0;
  const char* first = v.data() + (!v.empty() && v[0] == '+' ? 1 : 0);
  const auto [end, ec] = std::from_chars(first, v.data() + v.size(), out);
  if (ec != std::errc() || end != v.data() + v.size() || first == v.data() + v.size() ||
      !std::isfinite(out)) {
    refuse(n, fmt::format("{}, got {}", expected, shown(n)));
  }
  return out;
}

// The keys of mapping `m` in order, refusing one written twice.
void check_unique_keys(const YAML::Node& m, std::string_view where) {
  std::set<std::string> seen;
  for (const auto& kv : m) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : std::string();
    if (!kv.first.IsScalar()) refuse(kv.first, fmt::format("{}: keys must be names", where));
    if (!seen.insert(key).second) {
      refuse(kv.first, fmt::format("{}: key '{}' is written twice", where, key));
    }
  }
}

// One entry of `matchups:`: {name: NAME, ROLE: COUNT, ...}.
MatchupSpec read_matchup(const YAML::Node& m) {
  if (!m.IsMap()) refuse(m, "matchups: expected a mapping {name: NAME, ROLE: COUNT, ...}");
  check_unique_keys(m, "matchups");
  if (!m["name"]) refuse(m, "matchups: a matchup needs a name");
  MatchupSpec spec{name_value(m["name"], "matchups: name"), {}};
  if (spec.name.empty()) refuse(m["name"], "matchups: name: must not be empty");
  long long total = 0;
  bool negative = false;
  for (const auto& kv : m) {
    const std::string key = kv.first.Scalar();
    if (key == "name") continue;
    const std::optional<AgentRole> role = role_of_key(key);
    if (!role) {
      refuse(kv.first,
             fmt::format("matchups: '{}': unknown role '{}' (registered: {}; plurals such as "
                         "'drainers' work too)",
                         spec.name, name_value(kv.first, "matchups"),
                         role_names(RoleNames::kTournaments)));
    }
    if (role->hunt_only()) {
      refuse(kv.first, fmt::format("matchups: '{}': {}", spec.name, hunt_only_refusal(*role)));
    }
    const std::string name(role->name());
    if (std::any_of(spec.roster.entries.begin(), spec.roster.entries.end(),
                    [&](const RosterEntry& e) { return e.role == name; })) {
      refuse(kv.first, fmt::format("matchups: '{}': role '{}' named twice", spec.name, name));
    }
    const auto count =
        static_cast<int>(int_value(kv.second, fmt::format("matchups: '{}': {}", spec.name, key),
                                   -limits::kMaxCitizens, limits::kMaxCitizens));
    negative = negative || count < 0;
    total += count;
    spec.roster.entries.push_back({name, count});
  }
  if (total < 1 || negative || total > limits::kMaxCitizens) {
    refuse(m, fmt::format("matchups: '{}' needs 1..{} agents and no negative count", spec.name,
                          limits::kMaxCitizens));
  }
  std::stable_sort(spec.roster.entries.begin(), spec.roster.entries.end(),
                   [](const RosterEntry& a, const RosterEntry& b) {
                     return find_agent_role(a.role)->index() < find_agent_role(b.role)->index();
                   });
  return spec;
}

// `population:` a preset name, or a mapping of fields over a preset
// ({preset: NAME, FIELD: VALUE, ...}; preset defaults to default_population()).
PopulationModel read_population(const YAML::Node& v, const std::string& label) {
  if (v.IsScalar()) {
    auto m = find_population_preset(name_value(v, label), label);
    if (!m.ok()) refuse(v, m.status().message());
    return *m;
  }
  if (!v.IsMap()) {
    refuse(v, fmt::format("{}: expected a preset name ({}) or a mapping of fields over "
                          "a preset, got {}",
                          label, population_preset_names(), shown(v)));
  }
  check_unique_keys(v, label);
  PopulationModel m = default_population();
  if (v["preset"]) {
    auto base =
        find_population_preset(name_value(v["preset"], label + ".preset"), label + ".preset");
    if (!base.ok()) refuse(v["preset"], base.status().message());
    m = *base;
  }
  static const std::set<std::string> known{
      "preset",      "turnout_turn", "turnout_proposal", "attention",  "latency_min",
      "latency_max", "vigilance",    "vigilance_bound",  "delegation", "exit_below"};
  bool overridden = false;
  for (const auto& kv : v) {
    const std::string key = kv.first.Scalar();
    if (!known.count(key)) {
      refuse(kv.first,
             fmt::format("{}: {}: unknown key (known: {})", label, name_value(kv.first, label),
                         fmt::join(known.begin(), known.end(), ", ")));
    }
    if (key == "preset") continue;
    overridden = true;
    const std::string path = fmt::format("{}.{}", label, key);
    auto number = [&] { return number_value(kv.second, path); };
    auto turns = [&] { return static_cast<int>(int_value(kv.second, path, 0, kMaxLatencyTurns)); };
    if (key == "turnout_turn") m.turnout_turn = number();
    if (key == "turnout_proposal") m.turnout_proposal = number();
    if (key == "attention") m.attention = number();
    if (key == "latency_min") m.latency_min = turns();
    if (key == "latency_max") m.latency_max = turns();
    if (key == "vigilance") m.vigilance = number();
    if (key == "vigilance_bound") m.vigilance_bound = number();
    if (key == "delegation") m.delegation = number();
    if (key == "exit_below") m.exit_below = number();
  }
  if (overridden) m.preset = "custom";
  if (Status st = check_population(m); !st.ok()) {
    // "population.FIELD: ...": point at the field's line, named under `label`.
    const std::string& what = st.message();
    const std::string field = what.substr(11, what.find(':') - 11);
    refuse(v[field] ? v[field] : v, label + what.substr(10));
  }
  return m;
}

// A list "A,B,C" is checked for repeats seed by seed; longer runs use A..B.
constexpr std::size_t kMaxListedSeeds = 10000;

// The file at `path` as text: a regular file (not a FIFO or device, which
// could block or never end) of at most kMaxConfigBytes.
Result<std::string> read_config_text(const std::string& path) {
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(st)) {
    return Status::NotFound(fmt::format("{}: no such file", path));
  }
  if (!std::filesystem::is_regular_file(st)) {
    return Status::Invalid(fmt::format("{}: not a regular file", path));
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size > limits::kMaxConfigBytes) {
    return Status::Invalid(
        fmt::format("{}: a config may be at most {} bytes", path, limits::kMaxConfigBytes));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  if (!in || !(buf << in.rdbuf())) {
    if (size == 0) return std::string();
    return Status::Io(fmt::format("{}: cannot read", path));
  }
  return buf.str();
}

// `kernels:` of a sweep: a list of 1..kMaxSweepKernels paths, none twice.
void read_sweep_kernels(const YAML::Node& v, std::vector<std::string>& kernels) {
  if (!v.IsSequence() || v.size() == 0 || v.size() > kMaxSweepKernels) {
    refuse(v, fmt::format("kernels: expected a list of 1..{} kernel documents, got {}",
                          kMaxSweepKernels,
                          v.IsSequence() ? "a list of " + std::to_string(v.size()) : shown(v)));
  }
  for (const auto& k : v) {
    // Each item is named by its index: `- ` alone (null) or '' is an empty item.
    const std::string item = fmt::format("kernels[{}]", kernels.size());
    if (!k.IsScalar() || k.Scalar().empty()) {
      refuse(k, fmt::format("{}: expected the path of a kernel document, got {}", item,
                            k.IsScalar() ? "''" : shown(k)));
    }
    std::string path = name_value(k, item);
    if (std::find(kernels.begin(), kernels.end(), path) != kernels.end())
      refuse(k, fmt::format("{}: '{}' is listed twice", item, path));
    // Read before anything is played (run_sweep); a missing file is named
    // here, with this line, rather than later without it.
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      refuse(k, fmt::format("kernels[{}]: {}: no such file (paths are relative to the current "
                            "folder)",
                            kernels.size(), path));
    }
    kernels.push_back(std::move(path));
  }
}

// `seeds:` written as a YAML list: 1..kMaxListedSeeds unquoted whole
// numbers 0..2^64-1, none twice (as `--seeds A,B,C`).
std::vector<std::uint64_t> read_seed_list(const YAML::Node& v) {
  if (v.size() == 0 || v.size() > kMaxListedSeeds) {
    refuse(v, fmt::format("seeds: expected a list of 1..{} seeds, got a list of {}",
                          kMaxListedSeeds, v.size()));
  }
  std::vector<std::uint64_t> seeds;
  std::set<std::uint64_t> seen;
  for (const auto& item : v) {
    std::uint64_t seed = 0;
    const std::string* digits = item.IsScalar() && item.Tag() == "?" ? &item.Scalar() : nullptr;
    const auto [end, ec] =
        digits != nullptr ? std::from_chars(digits->data(), digits->data() + digits->size(), seed)
                          : std::from_chars_result{nullptr, std::errc::invalid_argument};
    if (digits == nullptr || digits->empty() || ec != std::errc() ||
        end != digits->data() + digits->size()) {
      refuse(item, fmt::format("seeds[{}]: expected a whole number 0..{}, got {}", seeds.size(),
                               std::numeric_limits<std::uint64_t>::max(), shown(item)));
    }
    if (!seen.insert(seed).second) {
      refuse(item, fmt::format("seeds[{}]: seed {} is listed twice (each seed is one episode "
                               "per matchup)",
                               seeds.size(), seed));
    }
    seeds.push_back(seed);
  }
  return seeds;
}

// `populations:` of a sweep: 1..kMaxSweepPopulations entries as `population:`
// takes them (a preset name or a mapping of fields over one), no preset name
// twice (one "custom" at most: the name labels the rows).
void read_sweep_populations(const YAML::Node& v, std::vector<PopulationModel>& populations) {
  if (!v.IsSequence() || v.size() == 0 || v.size() > kMaxSweepPopulations) {
    refuse(v, fmt::format("populations: expected a list of 1..{} populations, got {}",
                          kMaxSweepPopulations,
                          v.IsSequence() ? "a list of " + std::to_string(v.size()) : shown(v)));
  }
  for (std::size_t i = 0; i < v.size(); ++i) {
    const YAML::Node p = v[i];
    PopulationModel m = read_population(p, fmt::format("populations[{}]", i));
    for (const PopulationModel& other : populations) {
      if (other.preset == m.preset) {
        refuse(p, fmt::format("populations: '{}' is listed twice (the name labels the rows)",
                              m.preset));
      }
    }
    populations.push_back(std::move(m));
  }
}

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
    if (b - a >= limits::kMaxSeeds) {
      return Status::Invalid(
          fmt::format("--seeds '{}': at most {} seeds", text, limits::kMaxSeeds));
    }
    // Stops at b itself, so B = 2^64-1 cannot wrap round.
    for (std::uint64_t s = a;; ++s) {
      seeds.push_back(s);
      if (s == b) break;
    }
    return seeds;
  }
  std::set<std::uint64_t> seen;
  std::size_t pos = 0;
  while (true) {
    const std::size_t comma = std::min(text.find(',', pos), text.size());
    std::uint64_t s = 0;
    if (!number(text.substr(pos, comma - pos), s)) {
      return Status::Invalid(
          fmt::format("--seeds '{}': expected A..B or a comma-separated list", text));
    }
    if (seen.size() >= kMaxListedSeeds)
      return Status::Invalid(fmt::format("--seeds: at most {} listed seeds", kMaxListedSeeds));
    if (!seen.insert(s).second) {
      return Status::Invalid(fmt::format(
          "--seeds '{}': seed {} is listed twice (each seed is one episode per matchup)", text, s));
    }
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

namespace {

// A tournament config onto `cfg`; with `sweep`, a sweep config: `kernels`
// and `populations` (into *sweep) instead of `kernel` and `population`.
Status apply_config(const std::string& path, TournamentConfig& cfg, ConfigLines* lines,
                    SweepConfig* sweep) {
  const Result<std::string> text = read_config_text(path);
  if (!text.ok()) return text.status();
  try {
    const Result<YAML::Node> loaded = yaml_document::load_one(*text, path);
    if (!loaded.ok()) return loaded.status();
    const YAML::Node& doc = *loaded;
    if (!doc.IsMap()) return Status::Invalid(fmt::format("{}: expected a mapping", path));
    static const std::set<std::string> tournament_keys{
        "kernel",           "seeds",       "turns",         "treasury",  "threads", "matchups",
        "exploit_id_start", "plan_length", "episode_files", "population"};
    static const std::set<std::string> sweep_keys{
        "kernels",          "seeds",       "turns",         "treasury",   "threads", "matchups",
        "exploit_id_start", "plan_length", "episode_files", "populations"};
    const std::set<std::string>& known = sweep != nullptr ? sweep_keys : tournament_keys;
    std::set<std::string> seen;
    for (const auto& kv : doc) {
      const int line = kv.first.Mark().line + 1;
      if (!kv.first.IsScalar()) refuse(kv.first, "keys must be names");
      const std::string key = kv.first.Scalar();
      if (!known.count(key)) {
        return Status::Invalid(fmt::format("{}:{}: {}: unknown key (known: {})", path, line,
                                           name_value(kv.first, "key"),
                                           fmt::join(known.begin(), known.end(), ", ")));
      }
      if (!seen.insert(key).second) {
        return Status::Invalid(fmt::format("{}:{}: {}: key written twice", path, line, key));
      }
      const YAML::Node& v = kv.second;
      if (key == "kernels") read_sweep_kernels(v, sweep->kernels);
      if (key == "populations") read_sweep_populations(v, sweep->populations);
      if (key == "kernel") {
        cfg.kernel_path = v.IsScalar() ? v.Scalar() : name_value(v, key);
        if (const auto problem =
                text::problem(cfg.kernel_path, text::TextKind::kName, limits::kMaxTextBytes)) {
          refuse(v, fmt::format("kernel: text {}", *problem));
        }
        if (lines != nullptr) lines->kernel = line;
      }
      if (key == "seeds" && v.IsSequence()) {
        cfg.seeds = read_seed_list(v);
      } else if (key == "seeds") {
        auto seeds = parse_seeds(name_value(v, key));
        if (!seeds.ok())
          return Status::Invalid(
              fmt::format("{}:{}: seeds: {}", path, line, seeds.status().message()));
        cfg.seeds = *seeds;
      }
      if (key == "turns") cfg.n_turns = static_cast<int>(int_value(v, key, 1, limits::kMaxTurns));
      if (key == "treasury") {
        auto t = parse_treasury(number_value(v, key));
        if (!t.ok())
          return Status::Invalid(fmt::format("{}:{}: {}", path, line, t.status().message()));
        cfg.initial_treasury = *t;
      }
      if (key == "episode_files") {
        auto e = parse_episode_files_option(name_value(v, key), "episode_files");
        if (!e.ok())
          return Status::Invalid(fmt::format("{}:{}: {}", path, line, e.status().message()));
        cfg.episode_files = *e;
      }
      if (key == "population") cfg.population = read_population(v, "population");
      if (key == "threads") cfg.threads = static_cast<int>(int_value(v, key, 1, kMaxThreads));
      if (key == "exploit_id_start") {
        cfg.exploit_id_start = static_cast<int>(int_value(v, key, 1, limits::kMaxExploitNumber));
      }
      if (key == "plan_length") {
        cfg.settings.plan_length = static_cast<int>(int_value(v, key, 1, kMaxPlanLength));
      }
      if (key == "matchups") {
        if (!v.IsSequence()) refuse(v, fmt::format("matchups: expected a list, got {}", shown(v)));
        cfg.matchups.clear();
        std::set<std::string> names;
        for (const auto& m : v) {
          MatchupSpec spec = read_matchup(m);
          if (!names.insert(spec.name).second) {
            refuse(m["name"], fmt::format("matchups: name '{}' is used twice (matchup names "
                                          "name the episode files)",
                                          spec.name));
          }
          cfg.matchups.push_back(std::move(spec));
        }
      }
    }
  } catch (const ConfigRefusal& r) {
    return Status::Invalid(fmt::format("{}:{}: {}", path, r.line, r.what));
  } catch (const YAML::Exception& e) {
    return Status::Invalid(
        fmt::format("{}:{}:{}: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  return Status::Ok();
}

}  // namespace

Status apply_tournament_config(const std::string& path, TournamentConfig& cfg, ConfigLines* lines) {
  return apply_config(path, cfg, lines, nullptr);
}

Result<SweepConfig> load_sweep_config(const std::string& path) {
  SweepConfig sweep;
  if (Status st = apply_config(path, sweep.base, nullptr, &sweep); !st.ok()) return st;
  if (sweep.kernels.empty()) {
    return Status::Invalid(
        fmt::format("{}: kernels: required: the list of kernel documents to sweep", path));
  }
  if (sweep.populations.empty()) sweep.populations.push_back(sweep.base.population);
  if (sweep.base.matchups.empty())
    return Status::Invalid(fmt::format("{}: matchups: expected at least one matchup", path));
  if (Status st = check_tournament_settings(sweep.base); !st.ok())
    return Status::Invalid(fmt::format("{}: {}", path, st.message()));
  return sweep;
}

Result<TournamentConfig> load_tournament_config(const std::string& path) {
  TournamentConfig cfg;
  if (Status st = apply_tournament_config(path, cfg); !st.ok()) return st;
  if (Status st = check_tournament_settings(cfg); !st.ok()) return st;
  return cfg;
}

Status check_tournament_settings(const TournamentConfig& cfg) {
  if (cfg.n_turns < 1 || cfg.n_turns > limits::kMaxTurns)
    return Status::Invalid(fmt::format("turns {}: must be 1..{}", cfg.n_turns, limits::kMaxTurns));
  if (cfg.threads < 1 || cfg.threads > kMaxThreads)
    return Status::Invalid(fmt::format("threads {}: must be 1..{}", cfg.threads, kMaxThreads));
  if (cfg.settings.plan_length < 1 || cfg.settings.plan_length > kMaxPlanLength) {
    return Status::Invalid(
        fmt::format("plan_length {}: must be 1..{}", cfg.settings.plan_length, kMaxPlanLength));
  }
  // Matchup names become file names (episodes/<matchup>-seed<N>.json): one
  // safe-name rule, and no two alike (their files and rows would collide).
  for (const MatchupSpec& m : cfg.matchups) {
    if (Status st = check_safe_name(m.name, "matchup name"); !st.ok()) return st;
  }
  if (cfg.exploit_id_start < 1 || cfg.exploit_id_start > limits::kMaxExploitNumber) {
    return Status::Invalid(fmt::format("exploit_id_start {}: must be 1..{}", cfg.exploit_id_start,
                                       limits::kMaxExploitNumber));
  }
  if (Status st = check_population(cfg.population); !st.ok()) return st;
  if (cfg.minimize_budget < 1 || cfg.minimize_budget > kMaxMinimizeBudget) {
    return Status::Invalid(fmt::format("minimize budget {}: must be 1..{} replays",
                                       cfg.minimize_budget, kMaxMinimizeBudget));
  }
  if (cfg.seeds.empty() || cfg.seeds.size() > limits::kMaxSeeds) {
    return Status::Invalid(fmt::format("seeds: 1..{} of them", limits::kMaxSeeds));
  }
  std::set<std::string> names;
  for (const MatchupSpec& m : cfg.matchups) {
    if (!names.insert(m.name).second) {
      return Status::Invalid(fmt::format("matchups: name '{}' is used twice", m.name));
    }
    for (const RosterEntry& e : m.roster.entries) {
      const std::optional<AgentRole> role = find_agent_role(e.role);
      if (role && role->hunt_only()) {
        return Status::Invalid(fmt::format("matchup '{}': {}", m.name, hunt_only_refusal(*role)));
      }
    }
    const std::int64_t citizen_turns = static_cast<std::int64_t>(m.roster.total()) * cfg.n_turns;
    if (citizen_turns > limits::kMaxCitizenTurns) {
      return Status::Invalid(fmt::format(
          "matchup '{}': {} citizens x {} turns is over the limit of {} citizen-turns per "
          "episode (docs/limits.md)",
          m.name, m.roster.total(), cfg.n_turns, limits::kMaxCitizenTurns));
    }
  }
  return Status::Ok();
}

}  // namespace fable
