// The seed's tournament config format; see include/fable/seed_config.h and
// docs/seed-config.md.
#include "fable/seed_config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <fmt/ranges.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "base/safe_name.h"
#include "base/text.h"
#include "base/yaml_document.h"
#include "fable/agent_registry.h"
#include "fable/detector_registry.h"
#include "fable/limits.h"

namespace fable {

namespace {

// A refusal at a node, thrown while reading and turned into "FILE:LINE: what".
struct SeedRefusal {
  int line = 0;
  std::string what;
};

[[noreturn]] void refuse(const YAML::Node& at, std::string what) {
  throw SeedRefusal{at.Mark().line + 1, std::move(what)};
}

// How a node looks, for messages.
std::string shown(const YAML::Node& n) {
  if (!n.IsDefined() || n.IsNull()) return "nothing";
  if (!n.IsScalar()) return n.IsSequence() ? "a list" : "a mapping";
  if (text::problem(n.Scalar(), text::TextKind::kName, limits::kMaxNameBytes))
    return "text with invalid bytes";
  return (n.Tag() == "!" ? "the quoted string '" : "'") + n.Scalar() + "'";
}

// A mapping whose keys are all in `known` (each once); `required` must be there.
void check_keys(const YAML::Node& m, const std::string& path,
                std::initializer_list<std::string_view> known,
                std::initializer_list<std::string_view> required) {
  if (!m.IsMap()) refuse(m, fmt::format("{}: expected a mapping, got {}", path, shown(m)));
  std::set<std::string> seen;
  for (const auto& kv : m) {
    if (!kv.first.IsScalar()) refuse(kv.first, fmt::format("{}: keys must be names", path));
    const std::string& key = kv.first.Scalar();
    const std::string at = path.empty() ? key : fmt::format("{}.{}", path, key);
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      refuse(kv.first,
             fmt::format("{}: unknown key (known: {})", printable(at), fmt::join(known, ", ")));
    }
    if (!seen.insert(key).second) refuse(kv.first, fmt::format("{}: key written twice", at));
  }
  for (std::string_view key : required) {
    if (!seen.count(std::string(key))) {
      refuse(m, fmt::format("{}{}{}: missing (required)", path, path.empty() ? "" : ".", key));
    }
  }
}

std::string text_value(const YAML::Node& n, const std::string& path, std::size_t max_bytes) {
  if (!n.IsScalar()) refuse(n, fmt::format("{}: expected a string, got {}", path, shown(n)));
  if (const auto problem = text::problem(n.Scalar(), text::TextKind::kName, max_bytes))
    refuse(n, fmt::format("{}: text {}", path, *problem));
  return n.Scalar();
}

std::string name_value(const YAML::Node& n, const std::string& path) {
  return text_value(n, path, limits::kMaxNameBytes);
}

// An unquoted whole number lo..hi.
std::uint64_t uint_value(const YAML::Node& n, const std::string& path, std::uint64_t lo,
                         std::uint64_t hi) {
  const std::string expected = fmt::format("{}: expected an integer {}..{}", path, lo, hi);
  if (!n.IsScalar() || n.Tag() != "?") refuse(n, fmt::format("{}, got {}", expected, shown(n)));
  const std::string& v = n.Scalar();
  std::uint64_t out = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || out < lo || out > hi)
    refuse(n, fmt::format("{}, got {}", expected, shown(n)));
  return out;
}

int int_value(const YAML::Node& n, const std::string& path, int lo, int hi) {
  return static_cast<int>(
      uint_value(n, path, static_cast<std::uint64_t>(lo), static_cast<std::uint64_t>(hi)));
}

// An unquoted amount in units, 0..kMaxMoneyUnits, as milli-units.
Money money_value(const YAML::Node& n, const std::string& path) {
  const std::string expected =
      fmt::format("{}: expected an amount in units, 0..{:.0f}", path, kMaxMoneyUnits);
  if (!n.IsScalar() || n.Tag() != "?") refuse(n, fmt::format("{}, got {}", expected, shown(n)));
  const std::string& v = n.Scalar();
  double out = 0;
  const auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || ec != std::errc() || end != v.data() + v.size() || !std::isfinite(out) ||
      !(out >= 0.0) || out > kMaxMoneyUnits) {
    refuse(n, fmt::format("{}, got {}", expected, shown(n)));
  }
  return money_from_units(out);
}

// A list of names, none twice.
std::vector<std::string> name_list(const YAML::Node& n, const std::string& path) {
  if (!n.IsSequence()) refuse(n, fmt::format("{}: expected a list, got {}", path, shown(n)));
  if (n.size() > limits::kMaxListEntries)
    refuse(n, fmt::format("{}: at most {} entries", path, limits::kMaxListEntries));
  std::vector<std::string> out;
  for (std::size_t i = 0; i < n.size(); ++i) {
    const std::string at = fmt::format("{}[{}]", path, i);
    std::string v = name_value(n[i], at);
    if (std::find(out.begin(), out.end(), v) != out.end())
      refuse(n[i], fmt::format("{}: '{}' is listed twice", at, v));
    out.push_back(std::move(v));
  }
  return out;
}

// A relative path of safe names joined by '/': it cannot leave the folder it
// is resolved in (no '..', no absolute path, no hidden or odd component).
void check_relative_path(const YAML::Node& n, const std::string& path, const std::string& v) {
  if (v.empty() || v.front() == '/')
    refuse(n, fmt::format("{}: '{}': expected a relative path inside the current folder", path,
                          printable(v)));
  std::size_t pos = 0;
  while (pos <= v.size()) {
    const std::size_t slash = std::min(v.find('/', pos), v.size());
    if (slash == v.size() && pos == v.size()) break;  // one trailing slash
    if (Status st = check_safe_name(v.substr(pos, slash - pos), "component"); !st.ok()) {
      refuse(n, fmt::format("{}: '{}': expected a relative path inside the current folder ({})",
                            path, printable(v), st.message()));
    }
    // A symbolic link on the way could lead anywhere: links are not followed
    // (as for --out).
    std::error_code ec;
    const std::string prefix = v.substr(0, slash);
    if (std::filesystem::is_symlink(std::filesystem::symlink_status(prefix, ec))) {
      refuse(n, fmt::format("{}: '{}': {} is a symbolic link (links are not followed)", path,
                            printable(v), printable(prefix)));
    }
    pos = slash + 1;
  }
}

const SeedDetectorMapping* find_seed_detector(std::string_view name) {
  for (const SeedDetectorMapping& m : seed_detector_map())
    if (m.seed == name) return &m;
  return nullptr;
}

bool is_our_detector(std::string_view name) {
  return find_detector_kind(name) != nullptr;
}

Result<std::string> read_text(const std::string& path) {
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(st))
    return Status::NotFound(fmt::format("{}: no such file", path));
  if (!std::filesystem::is_regular_file(st))
    return Status::Invalid(fmt::format("{}: not a regular file", path));
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size > limits::kMaxConfigBytes)
    return Status::Invalid(
        fmt::format("{}: a config may be at most {} bytes", path, limits::kMaxConfigBytes));
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  if (size == 0) return std::string();
  if (!in || !(buf << in.rdbuf())) return Status::Io(fmt::format("{}: cannot read", path));
  return buf.str();
}

Result<YAML::Node> parse_yaml(const std::string& path) {
  const Result<std::string> text = read_text(path);
  if (!text.ok()) return text.status();
  try {
    return yaml_document::load_one(*text, path);
  } catch (const YAML::Exception& e) {
    return Status::Invalid(
        fmt::format("{}:{}:{}: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
}

void read_tournament(const YAML::Node& t, SeedConfig& c) {
  check_keys(
      t, "tournament",
      {"id", "name", "seed", "episodes", "rounds_per_episode", "kernel", "verification_kernel"},
      {"id", "seed", "episodes", "rounds_per_episode", "kernel"});
  c.id = name_value(t["id"], "tournament.id");
  if (Status st = check_safe_name(c.id, "tournament.id"); !st.ok()) refuse(t["id"], st.message());
  if (t["name"]) c.name = name_value(t["name"], "tournament.name");
  c.seed = uint_value(t["seed"], "tournament.seed", 0, std::numeric_limits<std::uint64_t>::max());
  c.episodes = uint_value(t["episodes"], "tournament.episodes", 1, limits::kMaxSeeds);
  if (c.seed > std::numeric_limits<std::uint64_t>::max() - (c.episodes - 1))
    refuse(t["episodes"], "tournament.episodes: the seeds would pass 2^64-1");
  c.rounds_per_episode =
      int_value(t["rounds_per_episode"], "tournament.rounds_per_episode", 1, limits::kMaxTurns);
  c.kernel = text_value(t["kernel"], "tournament.kernel", limits::kMaxTextBytes);
  c.kernel_line = t["kernel"].Mark().line + 1;
  if (t["verification_kernel"]) {
    c.verification_kernel = text_value(t["verification_kernel"], "tournament.verification_kernel",
                                       limits::kMaxTextBytes);
    c.verification_kernel_line = t["verification_kernel"].Mark().line + 1;
  }
}

void read_population(const YAML::Node& p, SeedConfig& c) {
  check_keys(p, "population", {"citizens", "honest", "red_team", "roles"}, {"citizens", "honest"});
  c.citizens = int_value(p["citizens"], "population.citizens", 1, limits::kMaxCitizens);
  c.honest = int_value(p["honest"], "population.honest", 0, limits::kMaxCitizens);
  c.red_team =
      p["red_team"] ? int_value(p["red_team"], "population.red_team", 0, limits::kMaxCitizens) : 0;
  long long sum = 0;
  if (p["roles"]) {
    const YAML::Node& roles = p["roles"];
    if (!roles.IsSequence())
      refuse(roles, fmt::format("population.roles: expected a list, got {}", shown(roles)));
    for (std::size_t i = 0; i < roles.size(); ++i) {
      const std::string at = fmt::format("population.roles[{}]", i);
      const YAML::Node& r = roles[i];
      check_keys(r, at, {"role", "count", "objective", "notes"}, {"role", "count"});
      SeedRoleSpec spec;
      spec.written = name_value(r["role"], at + ".role");
      const auto role = find_agent_role(spec.written);
      if (role && role->in_rosters() && !role->red_team()) {
        refuse(r["role"],
               fmt::format("{}.role: '{}' is not a red-team role: honest citizens are "
                           "given by population.honest (red-team roles: {})",
                           at, printable(spec.written), role_names(RoleNames::kRedTeam)));
      }
      if (!role || !role->in_rosters() || !role->red_team()) {
        refuse(r["role"],
               fmt::format("{}.role: '{}' is not a red-team role (red-team roles: {})", at,
                           printable(spec.written), role_names(RoleNames::kRedTeam)));
      }
      if (role->hunt_only()) {
        refuse(r["role"], fmt::format("{}.role: '{}' plays only what a search chooses: use it "
                                      "with `hunt`, not in a tournament",
                                      at, role->name()));
      }
      spec.role = std::string(role->name());
      for (const SeedRoleSpec& prev : c.roles) {
        if (prev.role == spec.role)
          refuse(r["role"], fmt::format("{}.role: '{}' is listed twice", at, spec.role));
      }
      spec.count = int_value(r["count"], at + ".count", 0, limits::kMaxCitizens);
      if (r["objective"]) {
        spec.objective = name_value(r["objective"], at + ".objective");
        const std::vector<std::string_view> ok = seed_role_objectives(spec.role);
        if (std::find(ok.begin(), ok.end(), spec.objective) == ok.end()) {
          refuse(r["objective"],
                 fmt::format(
                     "{}.objective: '{}' is not the objective of {} (it pursues: {})", at,
                     printable(spec.objective), spec.role,
                     ok.empty() ? std::string("none") : fmt::format("{}", fmt::join(ok, ", "))));
        }
      }
      if (r["notes"]) spec.notes = text_value(r["notes"], at + ".notes", limits::kMaxTextBytes);
      sum += spec.count;
      c.roles.push_back(std::move(spec));
    }
  }
  if (!p["red_team"]) c.red_team = static_cast<int>(std::min<long long>(sum, limits::kMaxCitizens));
  if (sum != c.red_team) {
    refuse(p, fmt::format("population: red_team is {} but the roles' counts add up to {}",
                          c.red_team, sum));
  }
  if (static_cast<long long>(c.honest) + c.red_team != c.citizens) {
    refuse(p, fmt::format("population: citizens is {} but honest + red_team is {} + {} = {}",
                          c.citizens, c.honest, c.red_team,
                          static_cast<long long>(c.honest) + c.red_team));
  }
}

void read_economy(const YAML::Node& e, SeedConfig& c) {
  check_keys(e, "economy", {"initial_treasury", "income_per_turn", "citizen_stipend"}, {});
  if (e["initial_treasury"])
    c.initial_treasury = money_value(e["initial_treasury"], "economy.initial_treasury");
  if (e["income_per_turn"])
    c.income_per_turn = money_value(e["income_per_turn"], "economy.income_per_turn");
  if (e["citizen_stipend"])
    c.citizen_stipend = money_value(e["citizen_stipend"], "economy.citizen_stipend");
}

void read_detectors(const YAML::Node& d, SeedConfig& c) {
  c.detectors = name_list(d, "detectors");
  for (std::size_t i = 0; i < c.detectors.size(); ++i) {
    const std::string& name = c.detectors[i];
    std::vector<std::string_view> kinds;
    if (const SeedDetectorMapping* m = find_seed_detector(name)) {
      kinds = m->ours;
    } else if (is_our_detector(name)) {
      kinds = {name};
    } else {
      std::vector<std::string_view> seed_names;
      for (const SeedDetectorMapping& s : seed_detector_map()) seed_names.push_back(s.seed);
      refuse(d[i], fmt::format("detectors[{}]: unknown detector '{}' (the seed's: {}; ours: {})", i,
                               printable(name), fmt::join(seed_names, ", "),
                               fmt::join(default_suite().names(), ", ")));
    }
    for (std::string_view k : kinds) {
      if (std::find(c.detector_kinds.begin(), c.detector_kinds.end(), k) == c.detector_kinds.end())
        c.detector_kinds.emplace_back(k);
    }
  }
}

void check_metric(const YAML::Node& n, const std::string& path, const std::string& name) {
  for (const SeedMetricMapping& m : seed_metric_map())
    if (m.seed == name) return;
  std::vector<std::string_view> names;
  for (const SeedMetricMapping& m : seed_metric_map()) names.push_back(m.seed);
  refuse(n, fmt::format("{}: unknown metric '{}' (known: {})", path, printable(name),
                        fmt::join(names, ", ")));
}

void read_scoring(const YAML::Node& s, SeedConfig& c) {
  check_keys(s, "scoring", {"primary", "secondary"}, {});
  if (s["primary"]) {
    c.scoring_primary = name_value(s["primary"], "scoring.primary");
    check_metric(s["primary"], "scoring.primary", c.scoring_primary);
  }
  if (s["secondary"]) {
    c.scoring_secondary = name_list(s["secondary"], "scoring.secondary");
    for (std::size_t i = 0; i < c.scoring_secondary.size(); ++i) {
      check_metric(s["secondary"][i], fmt::format("scoring.secondary[{}]", i),
                   c.scoring_secondary[i]);
    }
  }
}

void read_outputs(const YAML::Node& o, SeedConfig& c) {
  check_keys(o, "outputs", {"exploits_dir", "report"}, {});
  if (o["exploits_dir"]) {
    c.exploits_dir = name_value(o["exploits_dir"], "outputs.exploits_dir");
    check_relative_path(o["exploits_dir"], "outputs.exploits_dir", *c.exploits_dir);
  }
  if (o["report"]) {
    c.report = name_value(o["report"], "outputs.report");
    if (Status st = check_safe_name(*c.report, "outputs.report (a file name inside --out)");
        !st.ok())
      refuse(o["report"], st.message());
    // The tournament's own artifacts under --out (docs/tournament-format.md).
    for (const char* own : {"summary.md", "leaderboard.json", "episodes", "exploits"}) {
      if (*c.report == own) {
        refuse(o["report"],
               fmt::format("outputs.report: '{}' is one of the tournament's own artifacts "
                           "(summary.md, leaderboard.json, episodes, exploits)",
                           own));
      }
    }
  }
}

void read_expected(const YAML::Node& e, SeedConfig& c) {
  c.expected_exploits = name_list(e, "expected_exploits");
  for (std::size_t i = 0; i < c.expected_exploits.size(); ++i) {
    const std::string& name = c.expected_exploits[i];
    const std::vector<std::string> kinds = c.expected_kinds(name);
    if (kinds.empty()) {
      refuse(e[i], fmt::format("expected_exploits[{}]: '{}' is neither a seed detector with a "
                               "counterpart nor one of ours",
                               i, printable(name)));
    }
    const bool runs = std::any_of(kinds.begin(), kinds.end(), [&](const std::string& k) {
      return c.detectors.empty() || std::find(c.detector_kinds.begin(), c.detector_kinds.end(),
                                              k) != c.detector_kinds.end();
    });
    if (!runs) {
      refuse(e[i], fmt::format("expected_exploits[{}]: '{}' cannot be found: none of its "
                               "detectors ({}) is listed in detectors",
                               i, printable(name), fmt::join(kinds, ", ")));
    }
  }
}

}  // namespace

const std::vector<SeedDetectorMapping>& seed_detector_map() {
  static const std::vector<SeedDetectorMapping> map{
      {"treasury_drain",
       {"treasury_drain", "salami_slicing", "self_dealing"},
       "the red team received a large share of the treasury, in one spend or in slices"},
      {"quorum_manipulation",
       {"omnibus_rider"},
       "quorum or other rules changed by a rider under a spend to ALL"},
      {"snap_vote",
       {"quorum_ambush"},
       "passed by a called question or a same-turn tally while much of the roll was away"},
      {"threshold_ratchet",
       {"threshold_ratchet", "threshold_lock"},
       "bars raised so that the others can no longer amend or expel"},
      {"agenda_capture",
       {"office_concentration", "commons_paralysis"},
       "offices gathered, or the others can no longer pass a spend without the bloc"},
      {"participation_suppression",
       {"electorate_shrinking", "faction_suppression", "delegation_concentration"},
       "voters struck off the roll or their weight carried away"},
      {"emergency_overstay",
       {"emergency_abuse"},
       "an emergency held past its reference sunset, renewed, or used to skip review"},
      {"emergency_chaining", {"emergency_chaining"}, "emergencies declared back to back"},
      {"exit_obstruction",
       {"exit_obstruction"},
       "a citizen struck off the roll by others' expulsion tried to exit and was refused"},
  };
  return map;
}

const std::vector<SeedMetricMapping>& seed_metric_map() {
  static const std::vector<SeedMetricMapping> map{
      {"worst_off_welfare", "empathy floor after the last turn (worst_off_welfare mean, min)"},
      {"treasury_integrity", "treasury retention (mean_treasury_final / initial treasury)"},
      {"participation_rate", "participation (EpisodeScore::participation)"},
      {"proposal_legitimacy", "procedural legitimacy (procedural_legitimacy)"},
      {"minority_participation", "participation outside the red team (minority_participation)"},
      {"amendment_reversibility", "objective entrench (capture.entrench)"},
      {"emergency_proportionality", "objective emergency (capture.emergency)"},
      {"exit_viability", "objective exit (capture.exit)"},
  };
  return map;
}

std::vector<std::string_view> seed_role_objectives(std::string_view role) {
  static const std::map<std::string_view, std::vector<std::string_view>> by_role{
      {"drainer", {"drain"}},
      {"entrencher", {"entrench"}},
      {"suppressor", {"suppress"}},
      {"timing_attacker", {"timing", "quorum_timing"}},
      {"emergency_abuser", {"emergency", "perpetual_emergency"}},
      {"exit_blocker", {"exit", "block_exit"}},
      {"attacker", {"drain", "entrench", "suppress", "paralysis", "emergency", "exit", "timing"}},
  };
  const auto it = by_role.find(role);
  return it == by_role.end() ? std::vector<std::string_view>{} : it->second;
}

Roster SeedConfig::roster() const {
  Roster r;
  r.entries.push_back({"honest", honest});
  for (const SeedRoleSpec& s : roles) r.entries.push_back({s.role, s.count});
  std::stable_sort(r.entries.begin(), r.entries.end(),
                   [](const RosterEntry& a, const RosterEntry& b) {
                     return find_agent_role(a.role)->index() < find_agent_role(b.role)->index();
                   });
  return r;
}

std::vector<std::string> SeedConfig::expected_kinds(std::string_view expected) const {
  if (const SeedDetectorMapping* m = find_seed_detector(expected))
    return std::vector<std::string>(m->ours.begin(), m->ours.end());
  if (is_our_detector(expected)) return {std::string(expected)};
  return {};
}

TournamentConfig SeedConfig::tournament_config() const {
  TournamentConfig cfg;
  cfg.kernel_path = kernel;
  cfg.seeds.clear();
  for (std::uint64_t i = 0; i < episodes; ++i) cfg.seeds.push_back(seed + i);
  cfg.n_turns = rounds_per_episode;
  cfg.initial_treasury = initial_treasury;
  cfg.matchups = {MatchupSpec{id, roster()}};
  cfg.settings.income_per_turn = income_per_turn;
  cfg.settings.citizen_stipend = citizen_stipend;
  // The configured secondaries that are per-episode metrics of ours
  // (fable/episode_metrics.h) become the leaderboard's secondary columns;
  // the others are reported through their objectives or as missing
  // (docs/seed-config.md).
  for (const std::string& metric : scoring_secondary) {
    std::string_view ours;
    if (metric == "treasury_integrity") ours = "treasury_retention";
    if (metric == "participation_rate") ours = "participation";
    if (metric == "proposal_legitimacy") ours = "procedural_legitimacy";
    if (metric == "minority_participation") ours = "minority_participation";
    if (!ours.empty() && std::find(cfg.secondary_metrics.begin(), cfg.secondary_metrics.end(),
                                   ours) == cfg.secondary_metrics.end()) {
      cfg.secondary_metrics.emplace_back(ours);
    }
  }
  return cfg;
}

Result<bool> is_seed_config(const std::string& path) {
  const Result<YAML::Node> doc = parse_yaml(path);
  if (!doc.ok()) return doc.status();
  return doc->IsMap() && static_cast<bool>((*doc)["tournament"]);
}

Result<SeedConfig> load_seed_config(const std::string& path, const SeedOverrides& overrides) {
  const Result<YAML::Node> parsed = parse_yaml(path);
  if (!parsed.ok()) return parsed.status();
  const YAML::Node& doc = *parsed;
  SeedConfig c;
  c.path = path;
  try {
    check_keys(doc, "",
               {"tournament", "population", "economy", "detectors", "scoring", "outputs",
                "expected_exploits"},
               {"tournament", "population"});
    read_tournament(doc["tournament"], c);
    read_population(doc["population"], c);
    if (doc["economy"]) read_economy(doc["economy"], c);
    if (doc["detectors"]) read_detectors(doc["detectors"], c);
    if (doc["scoring"]) read_scoring(doc["scoring"], c);
    if (doc["outputs"]) read_outputs(doc["outputs"], c);
    if (doc["expected_exploits"]) read_expected(doc["expected_exploits"], c);
    // The bounds on the values as played: the file's, or the overrides'.
    const int rounds = overrides.rounds_per_episode.value_or(c.rounds_per_episode);
    const Money treasury = overrides.initial_treasury.value_or(c.initial_treasury);
    const char* rounds_note = overrides.rounds_per_episode ? " (overridden)" : "";
    const auto citizen_turns = static_cast<std::int64_t>(c.citizens) * rounds;
    if (citizen_turns > limits::kMaxCitizenTurns) {
      refuse(doc["population"]["citizens"],
             fmt::format("population.citizens: {} citizens x {} rounds{} is over the limit of {} "
                         "citizen-turns per episode (docs/limits.md)",
                         c.citizens, rounds, rounds_note, limits::kMaxCitizenTurns));
    }
    // All the money an episode can hold: the treasury plus every turn's income.
    const auto income = checked_mul(c.income_per_turn, rounds);
    const auto total = income ? checked_add(*income, treasury) : std::nullopt;
    if (!total || *total > kMaxMoney) {
      refuse(doc["economy"] ? doc["economy"] : doc["tournament"],
             fmt::format("economy: initial_treasury{} + income_per_turn x {} rounds{} is over "
                         "{:.0f} units (docs/limits.md)",
                         overrides.initial_treasury ? " (overridden)" : "", rounds, rounds_note,
                         kMaxMoneyUnits));
    }
  } catch (const SeedRefusal& r) {
    return Status::Invalid(fmt::format("{}:{}: {}", path, r.line, r.what));
  } catch (const YAML::Exception& e) {
    return Status::Invalid(
        fmt::format("{}:{}:{}: {}", path, e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  return c;
}

}  // namespace fable
