// Exploit records <-> JSON (docs/record-format.md).
#include "fable/record.h"

#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/json_read.h"
#include "base/json_util.h"
#include "base/population_json.h"
#include "base/settings_json.h"
#include "fable/limits.h"

namespace fable {

namespace {

using namespace json_util;

using limits::kMaxRecordBytes;

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

using json_read::Obj;

// A list of at most `max_entries` names (kernel clauses, perpetrators), each
// passing the text rule.
std::vector<std::string> names_from(Obj& o, std::string_view key, std::size_t max_entries) {
  const json& list = o.array(key, max_entries);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    out.push_back(json_read::string(list[i], json_read::element_path(o.path_of(key), i),
                                    text::TextKind::kName, limits::kMaxNameBytes));
  }
  return out;
}

std::string hex16(Obj& o, std::string_view key) {
  const std::string s = o.name(key);
  if (s.size() != 16 || s.find_first_not_of("0123456789abcdef") != std::string::npos) {
    json_read::fail(o.path_of(key), fmt::format("expected 16 lowercase hex digits, got '{}'",
                                                json_read::printable(s)));
  }
  return s;
}

Reproduction reproduction_from(Obj rj) {
  Reproduction r;
  r.matchup = rj.name("matchup");
  Result<Roster> roster = parse_roster(rj.name("roster"));
  if (!roster.ok()) json_read::fail(rj.path_of("roster"), roster.status().message());
  r.roster = *roster;
  r.seed = rj.unsigned_integer("seed");
  r.n_turns = static_cast<int>(rj.integer("n_turns", 1, limits::kMaxTurns));
  if (static_cast<std::int64_t>(r.roster.total()) * r.n_turns > limits::kMaxCitizenTurns) {
    json_read::fail(rj.path_of("n_turns"),
                    fmt::format("{} citizens x {} turns is over the limit of {} citizen-turns "
                                "per episode (docs/limits.md)",
                                r.roster.total(), r.n_turns, limits::kMaxCitizenTurns));
  }
  r.initial_treasury = rj.integer("initial_treasury_milli", 0, limits::kMaxAmountMilli);
  r.kernel_name = rj.name("kernel_name");
  r.kernel_version = rj.name("kernel_version");
  r.kernel_hash = hex16(rj, "kernel_hash");
  r.engine_version = rj.name("engine_version");
  r.settings = settings_from(rj.object("settings"));
  if (rj.has("population")) r.population = population_from(rj.object("population"));
  const std::vector<std::string> names = r.participant_ids();
  const Ids ids{names};
  r.perpetrators = names_from(rj, "perpetrators", static_cast<std::size_t>(limits::kMaxCitizens));
  for (std::size_t i = 0; i < r.perpetrators.size(); ++i) {
    (void)ids.index(json(r.perpetrators[i]),
                    json_read::element_path(rj.path_of("perpetrators"), i));
    if (i > 0 && r.perpetrators[i - 1] >= r.perpetrators[i]) {
      json_read::fail(json_read::element_path(rj.path_of("perpetrators"), i),
                      "perpetrators must be sorted ids, each once");
    }
  }
  Obj scripts = rj.object("scripts");
  for (const auto& [agent, steps_json] : scripts.members()) {
    const std::string path = scripts.path_of(agent);
    (void)ids.index(json(agent), path);
    const json& steps =
        json_read::array(*steps_json, path, static_cast<std::size_t>(limits::kMaxScriptSteps));
    std::vector<ScriptStep>& out = r.scripts[agent];
    for (std::size_t i = 0; i < steps.size(); ++i) {
      Obj s(steps[i], json_read::element_path(path, i));
      ScriptStep step;
      step.turn = static_cast<int>(s.integer("turn", 1, r.n_turns));
      step.round = static_cast<int>(s.integer("round", 0, kMaxPlanLength - 1));
      step.action = action_from(s, ids);
      s.done();
      out.push_back(step);
    }
  }
  rj.done();
  return r;
}

MinimizedFrom minimized_from(Obj o) {
  MinimizedFrom m;
  m.exploit_id = o.name("exploit_id");
  if (const auto n = exploit_number(m.exploit_id); !n || *n > limits::kMaxExploitNumber) {
    json_read::fail(o.path_of("exploit_id"),
                    fmt::format("expected EXP-NNN (1..{}), got '{}'", limits::kMaxExploitNumber,
                                json_read::printable(m.exploit_id)));
  }
  m.fingerprint = hex16(o, "fingerprint");
  m.steps =
      static_cast<int>(o.integer("steps", 0, static_cast<std::int64_t>(limits::kMaxRecordBytes)));
  m.perpetrators = static_cast<int>(o.integer("perpetrators", 0, limits::kMaxCitizens));
  m.n_turns = static_cast<int>(o.integer("n_turns", 1, limits::kMaxTurns));
  m.replays = static_cast<int>(o.integer("replays", 0, limits::kMaxOccurrences));
  m.one_minimal = o.boolean("one_minimal");
  o.done();
  return m;
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
  json doc{
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
            {"settings", settings_json(r.settings)},  // the economy's keys only when set
            {"perpetrators", r.perpetrators},
            {"scripts", scripts_json(r, ids)}}}};
  // Naive is the absence of the key, so records of the naive model read and
  // write exactly as before the model existed.
  if (!r.population.naive()) doc["reproduction"]["population"] = population_json(r.population);
  if (const auto& m = rec.minimized_from) {  // absent unless minimised: old records unchanged
    doc["minimized_from"] = json{
        {"exploit_id", m->exploit_id},     {"fingerprint", m->fingerprint}, {"steps", m->steps},
        {"perpetrators", m->perpetrators}, {"n_turns", m->n_turns},         {"replays", m->replays},
        {"one_minimal", m->one_minimal}};
  }
  return doc.dump(2) + "\n";
}

Result<ExploitRecord> record_from_json(std::string_view text, std::string_view source) {
  try {
    const json doc = json_read::parse_strict(text);
    Obj top(doc, "");
    const std::string schema = top.name("schema");
    if (schema != kRecordSchema) {
      json_read::fail("schema", fmt::format("expected '{}', got '{}'", kRecordSchema,
                                            json_read::printable(schema)));
    }
    ExploitRecord rec;
    rec.exploit_id = top.name("exploit_id");
    if (const auto n = exploit_number(rec.exploit_id); !n || *n > limits::kMaxExploitNumber) {
      json_read::fail("exploit_id",
                      fmt::format("expected EXP-NNN (1..{}), got '{}'", limits::kMaxExploitNumber,
                                  json_read::printable(rec.exploit_id)));
    }
    rec.name = top.name("name");
    rec.category =
        enum_from<Category>(top.at("category"), "category", 5, category_name, "category");
    rec.severity = static_cast<int>(top.integer("severity", 1, 5));
    rec.summary = top.text("summary");
    rec.kernel_clauses = names_from(top, "kernel_clauses", limits::kMaxListEntries);
    rec.proposed_guard = top.text("proposed_guard");
    rec.occurrences = static_cast<int>(top.integer("occurrences", 1, limits::kMaxOccurrences));
    {
      Obj first = top.object("first_seen");
      rec.first_matchup = first.name("matchup");
      rec.first_seed = first.unsigned_integer("seed");
      rec.first_turn = static_cast<int>(first.integer("turn", 0, limits::kMaxTurns));
      first.done();
    }
    rec.fingerprint = hex16(top, "fingerprint");
    rec.status = top.name("status");
    if (rec.status != "open" && rec.status != "patched") {
      json_read::fail("status", fmt::format("expected open or patched, got '{}'",
                                            json_read::printable(rec.status)));
    }
    rec.reproduction = reproduction_from(top.object("reproduction"));
    if (top.has("minimized_from"))
      rec.minimized_from = minimized_from(top.object("minimized_from"));
    top.done();
    return rec;
  } catch (const json_read::ReadError& e) {
    if (e.line > 0) {
      return Status::Invalid(fmt::format("{}:{}:{}: not a valid exploit record: {}", source, e.line,
                                         e.column, e.what()));
    }
    return Status::Invalid(fmt::format("{}: not a valid exploit record: {}", source, e.what()));
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
  Result<ExploitRecord> rec = record_from_json(buf.str(), path);
  if (!rec.ok()) return rec;
  const std::string stem = std::filesystem::path(path).stem().string();
  if (stem != rec->exploit_id) {
    return Status::Invalid(fmt::format(
        "{}: not a valid exploit record: field 'exploit_id': '{}' differs from the file name "
        "'{}' (a record is stored as <exploit_id>.json)",
        path, rec->exploit_id, json_read::printable(stem)));
  }
  return rec;
}

}  // namespace fable
