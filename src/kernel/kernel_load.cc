// Schema validation of kernel documents (fable-kernel/1); see docs/kernel-format.md.
//
// Walks the kernel_yaml tree in a fixed order (top-level keys, schema, name,
// version, supersedes, articles, params, invariants, changelog, then clause
// coverage) and stops at the first problem. Every message names the source,
// the line:column of the offending node and its key path.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "base/text.h"
#include "fable/limits.h"
#include "kernel/kernel_internal.h"
#include "kernel/kernel_scalar.h"
#include "kernel/kernel_yaml.h"

namespace fable::kernel_internal {

namespace {

using kernel_yaml::Node;
using Kind = kernel_yaml::Node::Kind;
using Fields = std::map<std::string, const Node*, std::less<>>;

#define FABLE_TRY(expr)                  \
  do {                                   \
    Status fable_s_ = (expr);            \
    if (!fable_s_.ok()) return fable_s_; \
  } while (0)

std::string join(std::string_view path, std::string_view key) {
  return path.empty() ? std::string(key) : fmt::format("{}.{}", path, key);
}
std::string index(std::string_view path, std::size_t i) {
  return fmt::format("{}[{}]", path, i);
}

// The values an invariant metric can take (docs/metrics.md): welfare and
// fractions of the roll lie in [0, 1], the governance score in [0, 100], the
// treasury fraction (treasury / initial treasury) in [0, inf) since income can
// raise it. A bound outside the range would be breached by every episode or
// by none.
std::pair<double, double> metric_range(std::string_view metric) {
  if (metric == "governance_score") return {0.0, 100.0};
  if (metric == "treasury_fraction") return {0.0, HUGE_VAL};
  return {0.0, 1.0};
}

std::string range_text(double lo, double hi) {
  return std::isinf(hi) ? fmt::format("{} or more", lo) : fmt::format("{}..{}", lo, hi);
}

// A name from the document, shortened for a message.
std::string shown(std::string_view s) {
  return s.size() > 60 ? std::string(s.substr(0, 60)) + "..." : std::string(s);
}

// How a node looks, for "expected X, got Y".
std::string describe(const Node& n) {
  switch (n.kind) {
    case Kind::kNull:
      return "null";
    case Kind::kSequence:
      return "a list";
    case Kind::kMapping:
      return "a mapping";
    case Kind::kScalar:
      break;
  }
  if (n.tag == "?") return fmt::format("'{}'", shown(n.value));
  if (n.tag == "!") return fmt::format("the quoted string \"{}\"", shown(n.value));
  return fmt::format("'{}' tagged {}", shown(n.value), shown(n.tag));
}

// Parameter sections and the keys each may hold, from the parameter table.
std::vector<std::string> param_keys_under(ParamTable table, std::string_view prefix) {
  std::vector<std::string> keys;
  for (const auto& info : table) {
    std::string_view rest = info.path;
    if (!prefix.empty()) {
      if (rest.size() <= prefix.size() + 1 || rest.substr(0, prefix.size()) != prefix ||
          rest[prefix.size()] != '.') {
        continue;
      }
      rest.remove_prefix(prefix.size() + 1);
    }
    std::string key(rest.substr(0, rest.find('.')));
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(std::move(key));
  }
  return keys;
}

std::vector<std::string> all_clause_names(ParamTable table) {
  std::vector<std::string> names;
  for (int c = 0; c < clause_count(table); ++c) {
    names.emplace_back(clause_name(table, static_cast<ClauseId>(c)));
  }
  return names;
}

// Position of a parameter in the table.
std::optional<std::size_t> find_param_in(ParamTable table, std::string_view path) {
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (table[i].path == path) return i;
  }
  return std::nullopt;
}

// Is a table entry one of the real parameters (with a field in Params)? Only
// a test's added parameter is not.
bool is_real_param(const ParamInfo& info) {
  return static_cast<int>(info.id) < kParamCount && param_info(info.id).path == info.path;
}

class Validator {
 public:
  Validator(std::string_view source, ParamTable table) : source_(source), table_(table) {}

  Result<Loaded> run(const Node& root) {
    out_.doc.source = std::string(source_);
    out_.params = default_params();
    for (const auto& info : table_) out_.values.push_back(info.default_value);
    out_.written.assign(table_.size(), false);
    FABLE_TRY(top(root));
    return std::move(out_);
  }

 private:
  Status err(const Node& n, std::string_view path, std::string_view what) const {
    if (path.empty()) return Status::Invalid(kernel_yaml::location(source_, n) + std::string(what));
    return Status::Invalid(fmt::format("{}{}: {}", kernel_yaml::location(source_, n), path, what));
  }

  // Keys of a mapping: scalars, unique, each in `allowed`.
  Status fields(const Node& map, std::string_view path, const std::vector<std::string>& allowed,
                Fields& out) const {
    if (map.kind != Kind::kMapping) {
      return err(map, path, fmt::format("expected a mapping, got {}", describe(map)));
    }
    for (std::size_t i = 0; i < map.map_size(); ++i) {
      const Node& k = map.key(i);
      if (k.kind != Kind::kScalar || k.value.empty()) {
        return err(k, path, fmt::format("mapping keys must be names, got {}", describe(k)));
      }
      const std::string key_path = join(path, shown(k.value));
      if (std::find(allowed.begin(), allowed.end(), k.value) == allowed.end()) {
        return err(k, key_path,
                   fmt::format("unknown key '{}'{}", shown(k.value),
                               kernel_scalar::did_you_mean(k.value, allowed)));
      }
      const auto [it, inserted] = out.emplace(k.value, &map.val(i));
      if (!inserted) {
        int first_line = -1;
        for (std::size_t j = 0; j < i && first_line < 0; ++j) {
          if (map.key(j).value == k.value) first_line = map.key(j).line;
        }
        return err(k, key_path,
                   fmt::format("duplicate key '{}' (first given on line {})", shown(k.value),
                               first_line + 1));
      }
    }
    return Status::Ok();
  }

  Status require(const Node& map, std::string_view path, const Fields& f,
                 std::string_view key) const {
    if (f.count(key) == 0) return err(map, join(path, key), "required key is missing");
    return Status::Ok();
  }

  Status no_explicit_tag(const Node& n, std::string_view path) const {
    if (n.tag.empty() || n.tag == "?" || n.tag == "!") return Status::Ok();
    return err(n, path, fmt::format("explicit YAML tags ({}) are not supported", n.tag));
  }

  // A text field: any scalar, quoted or not, that passes the text rule
  // (base/text.h): a single line unless `kind` is kMultiLine.
  Status text(const Node& n, std::string_view path, std::string& out, bool non_empty = true,
              text::TextKind kind = text::TextKind::kName) const {
    FABLE_TRY(no_explicit_tag(n, path));
    if (n.kind != Kind::kScalar) {
      return err(n, path, fmt::format("expected a string, got {}", describe(n)));
    }
    if (non_empty && n.value.find_first_not_of(" \t\r\n") == std::string::npos) {
      return err(n, path, "must not be empty");
    }
    const std::size_t max =
        kind == text::TextKind::kName ? limits::kMaxNameBytes : limits::kMaxTextBytes;
    if (const auto problem = text::problem(n.value, kind, max)) {
      return err(n, path, fmt::format("text {}", *problem));
    }
    out = n.value;
    return Status::Ok();
  }

  Status number(const Node& n, std::string_view path, double& out) const {
    FABLE_TRY(no_explicit_tag(n, path));
    if (n.kind == Kind::kScalar && n.tag == "!" && kernel_scalar::parse_number(n.value)) {
      return err(
          n, path,
          fmt::format("expected a number, got {} (write numbers without quotes)", describe(n)));
    }
    const auto v = n.is_plain_scalar() ? kernel_scalar::parse_number(n.value) : std::nullopt;
    if (!v) return err(n, path, fmt::format("expected a number, got {}", describe(n)));
    out = *v;
    return Status::Ok();
  }

  Status list(const Node& n, std::string_view path, bool non_empty) const {
    FABLE_TRY(no_explicit_tag(n, path));
    if (n.kind != Kind::kSequence) {
      return err(n, path, fmt::format("expected a list, got {}", describe(n)));
    }
    if (non_empty && n.children.empty()) return err(n, path, "must not be empty");
    return Status::Ok();
  }

  // --- top level -----------------------------------------------------------

  Status top(const Node& root) {
    if (root.kind != Kind::kMapping) {
      return err(root, "",
                 fmt::format("the document must be a mapping with schema, name, version, "
                             "articles and params; got {}",
                             describe(root)));
    }
    Fields f;
    FABLE_TRY(fields(root, "",
                     {"schema", "name", "version", "supersedes", "articles", "params", "invariants",
                      "changelog"},
                     f));
    FABLE_TRY(require(root, "", f, "schema"));
    FABLE_TRY(schema(*f.at("schema")));
    for (const char* key : {"name", "version", "articles", "params"}) {
      FABLE_TRY(require(root, "", f, key));
    }
    FABLE_TRY(text(*f.at("name"), "name", out_.doc.name));
    FABLE_TRY(version(*f.at("version"), "version", out_.doc.version));
    if (auto it = f.find("supersedes"); it != f.end() && it->second->kind != Kind::kNull) {
      std::string s;
      FABLE_TRY(text(*it->second, "supersedes", s));
      out_.doc.supersedes = std::move(s);
    }
    FABLE_TRY(articles(*f.at("articles")));
    FABLE_TRY(params(*f.at("params")));
    if (auto it = f.find("invariants"); it != f.end()) FABLE_TRY(invariants(*it->second));
    if (auto it = f.find("changelog"); it != f.end()) FABLE_TRY(changelog(*it->second));
    return coverage(*f.at("articles"));
  }

  Status schema(const Node& n) {
    FABLE_TRY(text(n, "schema", out_.doc.schema, false));
    if (out_.doc.schema != kKernelSchema) {
      return err(n, "schema", fmt::format("expected '{}', got {}", kKernelSchema, describe(n)));
    }
    return Status::Ok();
  }

  Status version(const Node& n, std::string_view path, Version& out) const {
    std::string s;
    FABLE_TRY(text(n, path, s, false));
    const auto v = Version::parse(s);
    if (!v) {
      return err(
          n, path,
          fmt::format("expected a version MAJOR.MINOR.PATCH such as 0.1.0, got {}", describe(n)));
    }
    out = *v;
    return Status::Ok();
  }

  // --- articles ------------------------------------------------------------

  Status articles(const Node& n) {
    FABLE_TRY(list(n, "articles", true));
    std::map<std::string, int, std::less<>> first_line;
    for (std::size_t i = 0; i < n.children.size(); ++i) {
      const Node& item = n.children[i];
      const std::string path = index("articles", i);
      Fields f;
      FABLE_TRY(fields(item, path, {"id", "title", "text", "governs"}, f));
      for (const char* key : {"id", "title", "text", "governs"}) {
        FABLE_TRY(require(item, path, f, key));
      }
      Article a;
      const Node& id = *f.at("id");
      FABLE_TRY(text(id, join(path, "id"), a.id));
      if (const auto it = first_line.find(a.id); it != first_line.end()) {
        return err(id, join(path, "id"),
                   fmt::format("duplicate article id '{}' (first used on line {})", shown(a.id),
                               it->second + 1));
      }
      first_line.emplace(a.id, id.line);
      FABLE_TRY(
          text(*f.at("title"), join(path, "title"), a.title, true, text::TextKind::kMultiLine));
      FABLE_TRY(text(*f.at("text"), join(path, "text"), a.text, true, text::TextKind::kMultiLine));
      FABLE_TRY(governs(*f.at("governs"), join(path, "governs"), a.governs));
      out_.doc.articles.push_back(std::move(a));
    }
    return Status::Ok();
  }

  Status governs(const Node& n, const std::string& path, std::vector<ClauseId>& out) const {
    FABLE_TRY(list(n, path, false));
    for (std::size_t i = 0; i < n.children.size(); ++i) {
      const Node& item = n.children[i];
      const std::string item_path = index(path, i);
      std::string name;
      FABLE_TRY(text(item, item_path, name));
      const auto c = find_clause(table_, name);
      if (!c) {
        return err(item, item_path,
                   fmt::format("unknown clause '{}'{}", shown(name),
                               kernel_scalar::did_you_mean(name, all_clause_names(table_))));
      }
      if (std::find(out.begin(), out.end(), *c) != out.end()) {
        return err(item, item_path, fmt::format("clause '{}' is listed twice", shown(name)));
      }
      out.push_back(*c);
    }
    return Status::Ok();
  }

  // Every clause that needs an article (needs_article) must be governed by one.
  Status coverage(const Node& articles_node) const {
    std::vector<bool> governed(static_cast<std::size_t>(clause_count(table_)), false);
    for (const auto& a : out_.doc.articles) {
      for (ClauseId c : a.governs) governed[c] = true;
    }
    for (int c = 0; c < clause_count(table_); ++c) {
      const auto id = static_cast<ClauseId>(c);
      if (!governed[static_cast<std::size_t>(c)] &&
          needs_article(table_, id, out_.values, out_.written)) {
        return err(articles_node, "articles",
                   fmt::format("clause '{}' is governed by no article; list it under some "
                               "article's governs",
                               clause_name(table_, id)));
      }
    }
    return Status::Ok();
  }

  // --- params --------------------------------------------------------------

  Status params(const Node& n) {
    std::vector<const Node*> seen(table_.size(), nullptr);
    FABLE_TRY(param_section(n, "", seen));
    for (std::size_t i = 0; i < table_.size(); ++i) {
      if (is_real_param(table_[i])) set_param(out_.params, table_[i].id, out_.values[i]);
    }
    const std::string problem = cross_field_problem(out_.params);
    if (!problem.empty()) {
      const Node* at = seen_at(seen, ParamId::kMinWindowTurns);
      if (at == nullptr) at = seen_at(seen, ParamId::kDefaultWindowTurns);
      if (at == nullptr) at = &n;
      return err(*at, "params", problem);
    }
    return Status::Ok();
  }

  const Node* seen_at(const std::vector<const Node*>& seen, ParamId id) const {
    const auto i = find_param_in(table_, param_info(id).path);
    return i ? seen[*i] : nullptr;
  }

  Status param_section(const Node& n, const std::string& prefix, std::vector<const Node*>& seen) {
    const std::string path = prefix.empty() ? std::string("params") : join("params", prefix);
    Fields f;
    FABLE_TRY(fields(n, path, param_keys_under(table_, prefix), f));
    // In document order, so that the first problem reported is the first written.
    for (std::size_t i = 0; i < n.map_size(); ++i) {
      const std::string& key = n.key(i).value;
      const Node& value = n.val(i);
      const std::string sub = join(prefix, key);
      if (const auto at = find_param_in(table_, sub)) {
        FABLE_TRY(param_leaf(value, *at));
        seen[*at] = &value;
      } else {
        FABLE_TRY(param_section(value, sub, seen));
      }
    }
    return Status::Ok();
  }

  Status param_leaf(const Node& n, std::size_t index) {
    const ParamInfo& info = table_[index];
    const std::string path = join("params", info.path);
    FABLE_TRY(no_explicit_tag(n, path));
    ParamValue v = ParamValue::null();
    if (n.kind == Kind::kSequence || n.kind == Kind::kMapping) {
      return err(n, path, fmt::format("expected {}, got {}", expected(info), describe(n)));
    }
    if (n.kind == Kind::kScalar) {
      switch (info.type) {
        case ParamType::kBool: {
          const auto b = n.is_plain_scalar() ? kernel_scalar::parse_bool(n.value) : std::nullopt;
          if (!b) return err(n, path, fmt::format("expected true or false, got {}", describe(n)));
          v = ParamValue::of(*b ? 1.0 : 0.0);
          break;
        }
        case ParamType::kEnum: {
          if (n.value == "cast" || n.value == "roll") {
            v = ParamValue::of(n.value == "roll" ? 1.0 : 0.0);
          } else {
            return err(n, path, fmt::format("expected cast or roll, got {}", describe(n)));
          }
          break;
        }
        case ParamType::kInt: {
          double x = 0;
          FABLE_TRY(number(n, path, x));
          if (!kernel_scalar::parse_whole(n.value)) {
            return err(n, path, fmt::format("must be a whole number, got {}", shown(n.value)));
          }
          v = ParamValue::of(x);
          break;
        }
        case ParamType::kFraction:
        case ParamType::kAmount: {
          double x = 0;
          FABLE_TRY(number(n, path, x));
          v = ParamValue::of(x);
          break;
        }
      }
    }
    const std::string problem = value_problem_text(info, v);
    if (!problem.empty()) return err(n, path, problem);
    if (info.type == ParamType::kAmount) {
      const double milli = v.number * static_cast<double>(kMoneyScale);
      if (std::fabs(milli - std::round(milli)) > 1e-6 * std::max(1.0, std::fabs(milli))) {
        return err(n, path, fmt::format("{} has more than three decimals", shown(n.value)));
      }
    }
    out_.values[index] = v;
    out_.written[index] = true;
    return Status::Ok();
  }

  static std::string expected(const ParamInfo& info) {
    std::string what;
    switch (info.type) {
      case ParamType::kBool:
        what = "true or false";
        break;
      case ParamType::kEnum:
        what = "cast or roll";
        break;
      case ParamType::kInt:
        what = "a whole number";
        break;
      case ParamType::kFraction:
        what = "a number";
        break;
      case ParamType::kAmount:
        what = "an amount";
        break;
    }
    return info.nullable ? what + " or null" : what;
  }

  // --- invariants and changelog -------------------------------------------

  Status invariants(const Node& n) {
    if (n.kind == Kind::kNull) return Status::Ok();
    FABLE_TRY(list(n, "invariants", false));
    for (std::size_t i = 0; i < n.children.size(); ++i) {
      const Node& item = n.children[i];
      const std::string path = index("invariants", i);
      Fields f;
      FABLE_TRY(fields(item, path, {"name", "metric", "min", "max", "article"}, f));
      FABLE_TRY(require(item, path, f, "name"));
      FABLE_TRY(require(item, path, f, "metric"));
      Invariant inv;
      const Node& name = *f.at("name");
      FABLE_TRY(text(name, join(path, "name"), inv.name));
      for (const auto& other : out_.doc.invariants) {
        if (other.name == inv.name) {
          return err(name, join(path, "name"),
                     fmt::format("duplicate invariant name '{}'", shown(inv.name)));
        }
      }
      const Node& metric = *f.at("metric");
      FABLE_TRY(text(metric, join(path, "metric"), inv.metric));
      if (std::find(kInvariantMetrics.begin(), kInvariantMetrics.end(), inv.metric) ==
          kInvariantMetrics.end()) {
        std::vector<std::string> known(kInvariantMetrics.begin(), kInvariantMetrics.end());
        return err(
            metric, join(path, "metric"),
            fmt::format("unknown metric '{}'{}; known: {}", shown(inv.metric),
                        kernel_scalar::did_you_mean(inv.metric, known), fmt::join(known, ", ")));
      }
      for (const char* key : {"min", "max"}) {
        const auto it = f.find(key);
        if (it == f.end() || it->second->kind == Kind::kNull) continue;
        double x = 0;
        FABLE_TRY(number(*it->second, join(path, key), x));
        (std::string_view(key) == "min" ? inv.min : inv.max) = x;
      }
      const auto [lo, hi] = metric_range(inv.metric);
      for (const char* key : {"min", "max"}) {
        const auto& bound = std::string_view(key) == "min" ? inv.min : inv.max;
        if (bound && (*bound < lo || *bound > hi)) {
          return err(*f.at(key), join(path, key),
                     fmt::format("{} {} is outside the range of metric {} ({})", key, *bound,
                                 inv.metric, range_text(lo, hi)));
        }
      }
      if (!inv.min && !inv.max) return err(item, path, "needs a min, a max or both");
      if (inv.min && inv.max && *inv.min > *inv.max) {
        return err(*f.at("min"), join(path, "min"),
                   fmt::format("min {} exceeds max {}", *inv.min, *inv.max));
      }
      if (const auto it = f.find("article"); it != f.end() && it->second->kind != Kind::kNull) {
        FABLE_TRY(text(*it->second, join(path, "article"), inv.article));
        const auto& arts = out_.doc.articles;
        if (std::none_of(arts.begin(), arts.end(),
                         [&](const Article& a) { return a.id == inv.article; })) {
          return err(*it->second, join(path, "article"),
                     fmt::format("no article has id '{}'", shown(inv.article)));
        }
      }
      out_.doc.invariants.push_back(std::move(inv));
    }
    return Status::Ok();
  }

  Status changelog(const Node& n) {
    if (n.kind == Kind::kNull) return Status::Ok();
    FABLE_TRY(list(n, "changelog", false));
    for (std::size_t i = 0; i < n.children.size(); ++i) {
      const Node& item = n.children[i];
      const std::string path = index("changelog", i);
      Fields f;
      FABLE_TRY(fields(item, path, {"version", "summary", "closes"}, f));
      FABLE_TRY(require(item, path, f, "version"));
      FABLE_TRY(require(item, path, f, "summary"));
      ChangelogEntry e;
      Version v;
      FABLE_TRY(version(*f.at("version"), join(path, "version"), v));
      e.version = v.to_string();
      FABLE_TRY(text(*f.at("summary"), join(path, "summary"), e.summary, true,
                     text::TextKind::kMultiLine));
      if (const auto it = f.find("closes"); it != f.end() && it->second->kind != Kind::kNull) {
        const Node& closes = *it->second;
        const std::string closes_path = join(path, "closes");
        FABLE_TRY(list(closes, closes_path, false));
        for (std::size_t j = 0; j < closes.children.size(); ++j) {
          std::string id;
          FABLE_TRY(text(closes.children[j], index(closes_path, j), id));
          e.closes.push_back(std::move(id));
        }
      }
      out_.doc.changelog.push_back(std::move(e));
    }
    return Status::Ok();
  }

  std::string_view source_;
  ParamTable table_;
  Loaded out_;
};

#undef FABLE_TRY

}  // namespace

Result<Loaded> validate(const kernel_yaml::Node& root, std::string_view source, ParamTable table) {
  return Validator(source, table).run(root);
}

int clause_count(ParamTable table) {
  return static_cast<int>(table.size()) + kStructuralClauseCount;
}

std::string_view clause_name(ParamTable table, ClauseId c) {
  if (c < table.size()) return table[c].path;
  if (c < clause_count(table)) {
    return fable::clause_name(clause_of(static_cast<StructuralClause>(c - table.size())));
  }
  return "none";
}

std::optional<ClauseId> find_clause(ParamTable table, std::string_view name) {
  for (int c = 0; c < clause_count(table); ++c) {
    if (clause_name(table, static_cast<ClauseId>(c)) == name) return static_cast<ClauseId>(c);
  }
  return std::nullopt;
}

bool needs_article(ParamTable table, ClauseId c, std::span<const ParamValue> values,
                   const std::vector<bool>& written) {
  if (c >= table.size()) return true;  // structural
  const ParamInfo& info = table[c];
  return info.since <= 1 || written[c] || !is_default_value(info, values[c]);
}

std::string cross_field_problem(const Params& p) {
  if (p.min_window_turns > p.default_window_turns) {
    return fmt::format(
        "voting.min_window_turns ({}) exceeds voting.default_window_turns ({}); the default "
        "window must be allowed",
        p.min_window_turns, p.default_window_turns);
  }
  return {};
}

std::string value_problem_text(const ParamInfo& info, const ParamValue& v) {
  std::string problem = param_value_problem(info, v);
  const std::string_view path = info.path;
  if (std::string_view(problem).substr(0, path.size()) == path) {
    problem.erase(0, path.size());
    if (!problem.empty() && problem[0] == ':') problem.erase(0, 1);
    if (!problem.empty() && problem[0] == ' ') problem.erase(0, 1);
  }
  return problem;
}

}  // namespace fable::kernel_internal
