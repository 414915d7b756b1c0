// Exploit records <-> JSON (docs/record-format.md).
#include "fable/record.h"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/json_util.h"

namespace fable {

namespace {

using namespace json_util;

constexpr std::size_t kMaxRecordBytes = 16u << 20;

json scripts_json(const Reproduction& r, const Ids& ids) {
  json out = json::object();
  for (const auto& [agent, steps] : r.scripts) {
    json list = json::array();
    for (const ScriptStep& s : steps) {
      json step = action_json(s.action, ids);
      step["turn"] = s.turn;
      step["round"] = s.round;
      list.push_back(step);
    }
    out[agent] = list;
  }
  return out;
}

int ranged(const json& j, const char* key, int lo, int hi) {
  const int v = j.at(key).get<int>();
  if (v < lo || v > hi)
    throw std::runtime_error(fmt::format("{} = {} is out of range [{}, {}]", key, v, lo, hi));
  return v;
}

}  // namespace

std::vector<std::string> Reproduction::participant_ids() const {
  std::vector<std::string> ids;
  const Population pop = make_population(roster);
  for (const auto& a : pop) ids.push_back(a->id());
  return ids;
}

std::optional<int> exploit_number(std::string_view id) {
  if (id.size() < 7 || id.substr(0, 4) != "EXP-") return std::nullopt;
  int n = 0;
  const auto digits = id.substr(4);
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size() || n < 1) return std::nullopt;
  return n;
}

std::string record_to_json(const ExploitRecord& rec) {
  const Reproduction& r = rec.reproduction;
  const std::vector<std::string> names = r.participant_ids();
  const Ids ids{names};
  const json doc{
      {"schema", kRecordSchema},
      {"exploit_id", rec.exploit_id},
      {"name", rec.name},
      {"category", category_name(rec.category)},
      {"severity", rec.severity},
      {"summary", rec.summary},
      {"kernel_clauses", rec.kernel_clauses},
      {"proposed_guard", rec.proposed_guard},
      {"occurrences", rec.occurrences},
      {"first_seen",
       json{{"matchup", rec.first_matchup}, {"seed", rec.first_seed}, {"turn", rec.first_turn}}},
      {"fingerprint", rec.fingerprint},
      {"status", rec.status},
      {"reproduction",
       json{{"matchup", r.matchup},
            {"roster", r.roster.to_string()},
            {"seed", r.seed},
            {"n_turns", r.n_turns},
            {"initial_treasury_milli", r.initial_treasury},
            {"kernel_name", r.kernel_name},
            {"kernel_version", r.kernel_version},
            {"kernel_hash", r.kernel_hash},
            {"engine_version", r.engine_version},
            {"settings", json{{"plan_length", r.settings.plan_length},
                              {"initial_balance_milli", r.settings.initial_balance}}},
            {"perpetrators", r.perpetrators},
            {"scripts", scripts_json(r, ids)}}}};
  return doc.dump(2) + "\n";
}

Result<ExploitRecord> record_from_json(std::string_view text, std::string_view source) {
  try {
    const json doc = json::parse(text);
    if (!doc.is_object()) throw std::runtime_error("top level is not an object");
    const std::string schema = doc.at("schema").get<std::string>();
    if (schema != kRecordSchema) {
      throw std::runtime_error(fmt::format("schema '{}' is not '{}'", schema, kRecordSchema));
    }
    ExploitRecord rec;
    rec.exploit_id = doc.at("exploit_id").get<std::string>();
    if (!exploit_number(rec.exploit_id)) {
      throw std::runtime_error(fmt::format("exploit_id '{}' is not EXP-NNN", rec.exploit_id));
    }
    rec.name = doc.at("name").get<std::string>();
    rec.category = enum_from<Category>(doc.at("category"), 5, category_name, "category");
    rec.severity = ranged(doc, "severity", 1, 5);
    rec.summary = doc.at("summary").get<std::string>();
    rec.kernel_clauses = doc.at("kernel_clauses").get<std::vector<std::string>>();
    rec.proposed_guard = doc.at("proposed_guard").get<std::string>();
    rec.occurrences = ranged(doc, "occurrences", 1, 1 << 30);
    const json& first = doc.at("first_seen");
    rec.first_matchup = first.at("matchup").get<std::string>();
    rec.first_seed = first.at("seed").get<std::uint64_t>();
    rec.first_turn = first.at("turn").get<int>();
    rec.fingerprint = doc.at("fingerprint").get<std::string>();
    if (rec.fingerprint.size() != 16 ||
        rec.fingerprint.find_first_not_of("0123456789abcdef") != std::string::npos) {
      throw std::runtime_error("fingerprint must be 16 lowercase hex digits");
    }
    rec.status = doc.at("status").get<std::string>();
    if (rec.status != "open" && rec.status != "patched") {
      throw std::runtime_error(fmt::format("status '{}' is not open or patched", rec.status));
    }

    const json& rj = doc.at("reproduction");
    Reproduction& r = rec.reproduction;
    r.matchup = rj.at("matchup").get<std::string>();
    Result<Roster> roster = parse_roster(rj.at("roster").get<std::string>());
    if (!roster.ok()) throw std::runtime_error(roster.status().message());
    r.roster = *roster;
    r.seed = rj.at("seed").get<std::uint64_t>();
    r.n_turns = ranged(rj, "n_turns", 1, 100000);
    r.initial_treasury = rj.at("initial_treasury_milli").get<Money>();
    if (r.initial_treasury < 0) throw std::runtime_error("initial_treasury_milli is negative");
    r.kernel_name = rj.at("kernel_name").get<std::string>();
    r.kernel_version = rj.at("kernel_version").get<std::string>();
    r.kernel_hash = rj.at("kernel_hash").get<std::string>();
    r.engine_version = rj.at("engine_version").get<std::string>();
    r.settings.plan_length = ranged(rj.at("settings"), "plan_length", 1, kMaxPlanLength);
    r.settings.initial_balance = rj.at("settings").at("initial_balance_milli").get<Money>();
    r.perpetrators = rj.at("perpetrators").get<std::vector<std::string>>();
    const std::vector<std::string> names = r.participant_ids();
    const Ids ids{names};
    for (const std::string& p : r.perpetrators) (void)ids.index(json(p));
    for (const auto& [agent, steps] : rj.at("scripts").items()) {
      (void)ids.index(json(agent));
      std::vector<ScriptStep>& out = r.scripts[agent];
      for (const json& s : steps) {
        ScriptStep step;
        step.turn = ranged(s, "turn", 1, r.n_turns);
        step.round = ranged(s, "round", 0, kMaxPlanLength - 1);
        step.action = action_from(s, ids);
        out.push_back(step);
      }
    }
    return rec;
  } catch (const std::exception& e) {
    return Status::Invalid(fmt::format("{}: not a valid exploit record: {}", source, e.what()));
  }
}

Result<ExploitRecord> load_record(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec))
    return Status::NotFound(fmt::format("{}: no such file", path));
  if (!std::filesystem::is_regular_file(path, ec))
    return Status::Invalid(fmt::format("{}: not a regular file", path));
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxRecordBytes) {
    return Status::Invalid(
        fmt::format("{}: a record may be at most {} bytes", path, kMaxRecordBytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io(fmt::format("{}: cannot read", path));
  std::ostringstream buf;
  buf << in.rdbuf();
  return record_from_json(buf.str(), path);
}

}  // namespace fable
