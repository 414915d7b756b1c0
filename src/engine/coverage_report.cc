// The clause coverage file (fable-coverage/1) and its table; see fable/coverage.h.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/files.h"
#include "base/hash.h"
#include "base/json_read.h"
#include "fable/coverage.h"
#include "fable/limits.h"

namespace fable {

namespace {

using json_read::Obj;
using nlohmann::json;

constexpr std::size_t kMaxCoverageBytes = 4 << 20;
constexpr std::size_t kMaxCoverageClauses = 256;
constexpr std::size_t kMaxCoverageSettings = 64;

CoverageCounter counter_at(int k) {
  return static_cast<CoverageCounter>(k);
}

// An entry's article: "(engine default)" with no title, or an article id with
// its title, the same title wherever the id appears (`titles`). The file does
// not carry the kernel, so an id cannot be checked against its articles.
void check_article(Obj& c, const CoverageEntry& e, std::map<std::string, std::string>& titles) {
  if (e.article == kEngineDefault) {
    if (!e.article_title.empty()) {
      json_read::fail(c.path_of("article_title"), "must be empty for '(engine default)'");
    }
    return;
  }
  if (e.article.empty()) json_read::fail(c.path_of("article"), "is empty");
  if (e.article_title.empty()) {
    json_read::fail(c.path_of("article_title"),
                    fmt::format("is empty for article '{}'", json_read::printable(e.article)));
  }
  const auto [it, fresh] = titles.emplace(e.article, e.article_title);
  if (!fresh && it->second != e.article_title) {
    json_read::fail(c.path_of("article_title"),
                    fmt::format("article '{}' has another title in an earlier entry",
                                json_read::printable(e.article)));
  }
}

}  // namespace

CoverageReport coverage_report(const ClauseCoverage& coverage, const Kernel& kernel) {
  CoverageReport r;
  r.kernel_name = kernel.name();
  r.kernel_version = kernel.version().to_string();
  r.kernel_hash = hex64(kernel.content_hash());
  r.episodes = coverage.episodes();
  for (int c = 0; c < kClauseCount; ++c) {
    const auto id = static_cast<ClauseId>(c);
    CoverageEntry e;
    e.clause = std::string(clause_name(id));
    e.structural = c >= kParamCount;
    e.article = std::string(kernel.article_label(id));
    const std::string_view article = kernel.article_for(id);
    for (const Article& a : kernel.document().articles) {
      if (!article.empty() && a.id == article) {
        e.article_title = a.title;
        break;
      }
    }
    e.counters = coverage.at(id);
    r.clauses.push_back(std::move(e));
  }
  return r;
}

std::string coverage_json(const CoverageReport& r) {
  json doc = json::object();
  doc["schema"] = kCoverageSchema;
  doc["kernel"] = {{"name", r.kernel_name}, {"version", r.kernel_version}, {"hash", r.kernel_hash}};
  doc["episodes"] = r.episodes;
  json settings = json::object();
  for (const auto& [key, value] : r.settings) settings[key] = value;
  doc["settings"] = settings;
  json clauses = json::array();
  for (const CoverageEntry& e : r.clauses) {
    json j = json::object();
    j["clause"] = e.clause;
    j["kind"] = e.structural ? "structural" : "parameter";
    j["article"] = e.article;
    j["article_title"] = e.article_title;
    for (int k = 0; k < kCoverageCounterCount; ++k) {
      j[std::string(coverage_counter_name(counter_at(k)))] = e.counters[counter_at(k)];
    }
    j["exercised"] = e.counters.exercised();
    clauses.push_back(std::move(j));
  }
  doc["clauses"] = std::move(clauses);
  return doc.dump(2) + "\n";
}

Result<CoverageReport> parse_coverage_json(std::string_view text, std::string_view source) {
  if (text.size() > kMaxCoverageBytes) {
    return Status::Invalid(
        fmt::format("{}: a coverage file may be at most {} bytes", source, kMaxCoverageBytes));
  }
  try {
    const json doc = json_read::parse_strict(text);
    Obj top(doc, "");
    const std::string schema = top.name("schema");
    if (schema != kCoverageSchema) {
      return Status::Invalid(fmt::format("{}: schema: expected '{}', got '{}'", source,
                                         kCoverageSchema, json_read::printable(schema)));
    }
    CoverageReport r;
    Obj kernel = top.object("kernel");
    r.kernel_name = kernel.name("name");
    r.kernel_version = kernel.name("version");
    r.kernel_hash = kernel.name("hash");
    if (r.kernel_hash.size() != 16 ||
        !std::all_of(r.kernel_hash.begin(), r.kernel_hash.end(), [](char ch) {
          return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
        })) {
      json_read::fail("kernel.hash",
                      "expected 16 lowercase hex digits (the kernel's content hash)");
    }
    kernel.done();
    r.episodes = top.unsigned_integer("episodes");
    Obj settings = top.object("settings");
    const auto members = settings.members();
    if (members.size() > kMaxCoverageSettings) {
      json_read::fail("settings", fmt::format("at most {} settings", kMaxCoverageSettings));
    }
    for (const auto& [key, value] : members) {
      r.settings.emplace_back(
          key, json_read::string(*value, settings.path_of(key), text::TextKind::kMultiLine,
                                 limits::kMaxTextBytes));
    }
    const json& clauses = top.array("clauses", kMaxCoverageClauses);
    std::set<std::string> seen;
    std::map<std::string, std::string> titles;  // article id -> its title
    for (std::size_t i = 0; i < clauses.size(); ++i) {
      Obj c(clauses[i], json_read::element_path("clauses", i));
      CoverageEntry e;
      e.clause = c.name("clause");
      const auto id = find_clause(e.clause);
      if (!id) {
        json_read::fail(c.path_of("clause"),
                        fmt::format("unknown clause '{}'", json_read::printable(e.clause)));
      }
      if (!seen.insert(e.clause).second) {
        json_read::fail(c.path_of("clause"),
                        fmt::format("clause '{}' listed twice", json_read::printable(e.clause)));
      }
      const std::string kind = c.name("kind");
      if (kind != "parameter" && kind != "structural") {
        json_read::fail(c.path_of("kind"), "expected 'parameter' or 'structural'");
      }
      e.structural = kind == "structural";
      if (e.structural != (*id >= kParamCount)) {
        json_read::fail(c.path_of("kind"),
                        fmt::format("clause '{}' is a {}", e.clause,
                                    e.structural ? "parameter" : "structural clause"));
      }
      e.article = c.name("article");
      e.article_title = c.text("article_title");
      check_article(c, e, titles);
      for (int k = 0; k < kCoverageCounterCount; ++k) {
        e.counters[counter_at(k)] = c.unsigned_integer(coverage_counter_name(counter_at(k)));
      }
      if (e.counters[CoverageCounter::kNearMargin] > e.counters[CoverageCounter::kTallies]) {
        json_read::fail(c.path_of("near_margin"),
                        "exceeds 'tallies' (a tally near a margin is a tally decided)");
      }
      if (r.episodes == 0 && e.counters.exercised()) {
        json_read::fail(c.path_of("exercised"), "a clause exercised in 0 episodes");
      }
      if (c.boolean("exercised") != e.counters.exercised()) {
        json_read::fail(c.path_of("exercised"), "disagrees with the counters");
      }
      c.done();
      r.clauses.push_back(std::move(e));
    }
    for (int c = 0; c < kClauseCount; ++c) {
      const std::string name(clause_name(static_cast<ClauseId>(c)));
      if (!seen.contains(name)) {
        json_read::fail("clauses", fmt::format("clause '{}' is missing (every clause of the table "
                                               "is listed once)",
                                               name));
      }
    }
    top.done();
    return r;
  } catch (const json_read::ReadError& e) {
    if (e.line > 0) {
      return Status::Invalid(fmt::format("{}:{}:{}: not a valid coverage file: {}", source, e.line,
                                         e.column, e.what()));
    }
    return Status::Invalid(fmt::format("{}: not a valid coverage file: {}", source, e.what()));
  } catch (const std::exception& e) {
    return Status::Invalid(fmt::format("{}: not a valid coverage file: {}", source, e.what()));
  }
}

Result<CoverageReport> load_coverage_file(const std::string& path) {
  if (Status st = files::check_regular_file(path, "coverage file"); !st.ok()) return st;
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size > kMaxCoverageBytes) {
    return Status::Invalid(
        fmt::format("{}: a coverage file may be at most {} bytes", path, kMaxCoverageBytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Io(fmt::format("{}: cannot read", path));
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return Status::Io(fmt::format("{}: cannot read", path));
  return parse_coverage_json(buf.str(), path);
}

StressRank stress_rank(const ClauseCounters& c) {
  if (!c.exercised()) return StressRank::kNeverExercised;
  const bool refused = c[CoverageCounter::kRefused] != 0;
  const bool near = c[CoverageCounter::kNearMargin] != 0;
  if (refused && near) return StressRank::kBoth;
  if (refused) return StressRank::kRefusedOnly;
  if (near) return StressRank::kNearMarginOnly;
  return StressRank::kNeverStressed;
}

std::string_view stress_rank_name(StressRank r) {
  switch (r) {
    case StressRank::kNeverExercised:
      return "never exercised";
    case StressRank::kNeverStressed:
      return "never stressed";
    case StressRank::kRefusedOnly:
      return "refused only";
    case StressRank::kNearMarginOnly:
      return "near margin only";
    case StressRank::kBoth:
      return "refused + near margin";
  }
  return "?";
}

std::string render_coverage_table(const CoverageReport& r) {
  std::string out = fmt::format("clause coverage of {} {} ({}), {} episode(s)\n", r.kernel_name,
                                r.kernel_version, r.kernel_hash, r.episodes);
  if (!r.settings.empty()) {
    std::string line;
    for (const auto& [key, value] : r.settings) {
      line += fmt::format("{}{}={}", line.empty() ? "" : " ", json_read::printable(key),
                          json_read::printable(value));
    }
    out += fmt::format("settings: {}\n", line);
  }
  std::vector<std::size_t> order(r.clauses.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  const auto stress = [&r](std::size_t i) {
    const ClauseCounters& c = r.clauses[i].counters;
    return c[CoverageCounter::kRefused] + c[CoverageCounter::kNearMargin];
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const StressRank ra = stress_rank(r.clauses[a].counters);
    const StressRank rb = stress_rank(r.clauses[b].counters);
    if (ra != rb) return ra < rb;
    return stress(a) < stress(b);
  });
  out +=
      fmt::format("{:<36} {:<18} {:>10} {:>8} {:>8} {:>8} {:>7} {:>8}  {}\n", "clause", "article",
                  "permitted", "refused", "near", "tallies", "amended", "applied", "stress");
  std::size_t never = 0;
  std::size_t unstressed = 0;
  for (std::size_t i : order) {
    const CoverageEntry& e = r.clauses[i];
    const StressRank rank = stress_rank(e.counters);
    never += rank == StressRank::kNeverExercised ? 1 : 0;
    unstressed += rank == StressRank::kNeverStressed ? 1 : 0;
    out += fmt::format(
        "{:<36} {:<18} {:>10} {:>8} {:>8} {:>8} {:>7} {:>8}  {}\n", json_read::printable(e.clause),
        json_read::printable(e.article), e.counters[CoverageCounter::kPermitted],
        e.counters[CoverageCounter::kRefused], e.counters[CoverageCounter::kNearMargin],
        e.counters[CoverageCounter::kTallies], e.counters[CoverageCounter::kAmended],
        e.counters[CoverageCounter::kApplied], stress_rank_name(rank));
  }
  out += fmt::format(
      "{} of {} clauses never exercised; {} exercised but never refused or near a margin\n", never,
      r.clauses.size(), unstressed);
  return out;
}

}  // namespace fable
