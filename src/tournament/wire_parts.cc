// The parts the distributed messages are made of; see src/tournament/wire_parts.h.
#include "tournament/wire_parts.h"

#include <bit>

#include "base/text.h"

namespace fable::wire {

// ---------------------------------------------------------------- writing

void put_strings(ByteWriter& w, const std::vector<std::string>& v) {
  w.u64(v.size());
  for (const std::string& s : v) w.str(s);
}

void put_score(ByteWriter& w, const EpisodeScore& s) {
  for (const double d :
       {s.governance_score, s.empathy_ratio, s.empathy_floor_final, s.empathy_floor_trough,
        s.treasury_final, s.gini, s.herfindahl, s.max_drawdown, s.participation,
        s.minority_participation, s.procedural_legitimacy}) {
    w.f64(d);
  }
  for (const double d : s.objectives.value) w.f64(d);
  const CaptureFlags& c = s.capture;
  for (const bool b : {c.drain, c.entrench, c.suppress, c.paralysis, c.emergency, c.exit, c.timing})
    w.boolean(b);
  put_strings(w, s.invariant_breaches);
}

void put_finding(ByteWriter& w, const ExploitFinding& f) {
  w.str(f.name);
  w.u8(static_cast<std::uint8_t>(f.category));
  w.i32(f.severity);
  w.i32(f.turn);
  put_strings(w, f.actors);
  w.str(f.summary);
  put_strings(w, f.kernel_clauses);
  w.str(f.proposed_guard);
  w.u64(f.evidence.size());
  for (const auto& [key, value] : f.evidence) {
    w.str(key);
    w.str(value);
  }
  w.str(f.fingerprint);
}

namespace {

// The trailing elements of a fixed array that hold their default value are
// left out on the wire: what is written is lossless (every element comes
// back as it was), and an action, whose arrays are mostly unused (a ballot
// has no items, no council, no memo), takes an eighth of the bytes.
template <typename T, std::size_t N, typename IsDefault>
std::size_t used_prefix(const std::array<T, N>& a, IsDefault is_default) {
  std::size_t n = N;
  while (n > 0 && is_default(a[n - 1])) --n;
  return n;
}

// A council member slot as std::array<AgentIndex, N>{} leaves it.
bool default_member(AgentIndex a) {
  return a == 0;
}

// Whether `it` is a default ProposalItem, field by field (the value by bit
// pattern: -0.0 is not 0.0 here).
bool default_item(const ProposalItem& it) {
  static const ProposalItem d{};
  return it.kind == d.kind && it.role == d.role && it.param == d.param &&
         it.council_size == d.council_size && it.target == d.target && it.amount == d.amount &&
         it.value.is_null == d.value.is_null &&
         std::bit_cast<std::uint64_t>(it.value.number) ==
             std::bit_cast<std::uint64_t>(d.value.number) &&
         used_prefix(it.council, default_member) == 0;
}

void put_item(ByteWriter& w, const ProposalItem& it) {
  w.u8(static_cast<std::uint8_t>(it.kind));
  w.u8(static_cast<std::uint8_t>(it.role));
  w.u8(static_cast<std::uint8_t>(it.param));
  w.u8(it.council_size);
  w.i32(it.target);
  w.i64(it.amount);
  w.boolean(it.value.is_null);
  w.f64(it.value.number);
  const std::size_t members = used_prefix(it.council, default_member);
  w.u8(static_cast<std::uint8_t>(members));
  for (std::size_t i = 0; i < members; ++i) w.i32(it.council[i]);
}

}  // namespace

void put_action(ByteWriter& w, const Action& a) {
  w.u8(static_cast<std::uint8_t>(a.kind));
  w.u8(static_cast<std::uint8_t>(a.choice));
  w.u8(a.item_count);
  w.i32(a.window);
  w.i32(a.target);
  w.i64(a.amount);
  w.i32(a.proposal.id);
  w.i32(a.proposal.proposer);
  w.i32(a.proposal.opened_turn);
  w.i32(a.proposal.ordinal);
  const std::size_t items = used_prefix(a.items, default_item);
  w.u8(static_cast<std::uint8_t>(items));
  for (std::size_t i = 0; i < items; ++i) put_item(w, a.items[i]);
  const std::size_t memo = used_prefix(a.memo.text, [](char c) { return c == 0; });
  w.u8(static_cast<std::uint8_t>(memo));
  w.raw(std::as_bytes(std::span(a.memo.text.data(), memo)));
}

void put_scripts(ByteWriter& w, const DedupScripts& s) {
  put_strings(w, s.perpetrators);
  w.u64(s.scripts.size());
  for (const auto& [id, steps] : s.scripts) {
    w.str(id);
    w.u64(steps.size());
    for (const ScriptStep& step : steps) {
      w.i32(step.turn);
      w.i32(step.round);
      put_action(w, step.action);
    }
  }
}

// ---------------------------------------------------------------- reading

namespace {

// An enum stored as a byte, below `count`; else the reader fails.
template <typename E>
E get_enum(ByteReader& r, int count) {
  const std::uint8_t v = r.u8();
  if (v >= count) {
    r.fail();
    return E{};
  }
  return static_cast<E>(v);
}

}  // namespace

std::vector<std::string> get_strings(ByteReader& r) {
  std::vector<std::string> v(r.count(8));
  for (std::string& s : v) s = r.text();
  return v;
}

EpisodeScore get_score(ByteReader& r) {
  EpisodeScore s;
  for (double* d :
       {&s.governance_score, &s.empathy_ratio, &s.empathy_floor_final, &s.empathy_floor_trough,
        &s.treasury_final, &s.gini, &s.herfindahl, &s.max_drawdown, &s.participation,
        &s.minority_participation, &s.procedural_legitimacy}) {
    *d = r.f64();
  }
  for (double& d : s.objectives.value) d = r.f64();
  CaptureFlags& c = s.capture;
  for (bool* b :
       {&c.drain, &c.entrench, &c.suppress, &c.paralysis, &c.emergency, &c.exit, &c.timing}) {
    *b = r.boolean();
  }
  s.invariant_breaches = get_strings(r);
  return s;
}

ExploitFinding get_finding(ByteReader& r) {
  ExploitFinding f;
  f.name = r.text();
  f.category = get_enum<Category>(r, kCategoryCount);
  f.severity = r.i32();
  f.turn = r.i32();
  f.actors = get_strings(r);
  f.summary = r.text();
  f.kernel_clauses = get_strings(r);
  f.proposed_guard = r.text();
  f.evidence.resize(r.count(16));
  for (auto& [key, value] : f.evidence) {
    key = r.text();
    value = r.text();
  }
  f.fingerprint = r.text();
  return f;
}

namespace {

// A count of used elements of an array of `capacity`; more fails the reader.
std::size_t get_used(ByteReader& r, std::size_t capacity) {
  const std::uint8_t n = r.u8();
  if (n > capacity) {
    r.fail();
    return 0;
  }
  return n;
}

ProposalItem get_item(ByteReader& r) {
  ProposalItem it;
  it.kind = get_enum<ItemKind>(r, kItemKindCount);
  it.role = get_enum<Role>(r, kRoleCount);
  it.param = get_enum<ParamId>(r, kParamCount);
  it.council_size = r.u8();
  if (it.council_size > kMaxCouncil) r.fail();  // as item_count: no writer makes more
  it.target = r.i32();
  it.amount = r.i64();
  it.value.is_null = r.boolean();
  it.value.number = r.f64();
  const std::size_t members = get_used(r, it.council.size());
  for (std::size_t i = 0; i < members; ++i) it.council[i] = r.i32();
  return it;
}

}  // namespace

Action get_action(ByteReader& r) {
  Action a;
  a.kind = get_enum<ActionKind>(r, kActionKindCount);
  a.choice = get_enum<Choice>(r, static_cast<int>(Choice::kAbstain) + 1);
  a.item_count = r.u8();
  if (a.item_count > kMaxItems) r.fail();
  a.window = r.i32();
  a.target = r.i32();
  a.amount = r.i64();
  a.proposal.id = r.i32();
  a.proposal.proposer = r.i32();
  a.proposal.opened_turn = r.i32();
  a.proposal.ordinal = r.i32();
  const std::size_t items = get_used(r, a.items.size());
  for (std::size_t i = 0; i < items; ++i) a.items[i] = get_item(r);
  // At most kMemoBytes: the last byte of the text is the zero that ends it
  // (Memo::view reads up to it).
  const std::size_t memo = get_used(r, kMemoBytes);
  r.raw(std::as_writable_bytes(std::span(a.memo.text.data(), memo)));
  // A memo is a name's text, as a record's JSON must hold it (json_util.cc).
  if (r.ok() && text::problem(a.memo.view(), text::TextKind::kName, kMemoBytes)) r.fail();
  return a;
}

DedupScripts get_scripts(ByteReader& r) {
  DedupScripts s;
  s.perpetrators = get_strings(r);
  const std::size_t n = r.count(16);
  for (std::size_t i = 0; i < n && r.ok(); ++i) {
    std::string id = r.text();
    std::vector<ScriptStep> steps(r.count(8));
    for (ScriptStep& step : steps) {
      step.turn = r.i32();
      step.round = r.i32();
      step.action = get_action(r);
    }
    s.scripts[std::move(id)] = std::move(steps);
  }
  return s;
}

void put_coverage(ByteWriter& w, const ClauseCoverage& coverage) {
  w.u64(coverage.episodes());
  for (int c = 0; c < kClauseCount; ++c) {
    for (const std::uint64_t n : coverage.at(static_cast<ClauseId>(c)).n) w.u64(n);
  }
}

ClauseCoverage get_coverage(ByteReader& r) {
  std::array<ClauseCounters, kClauseCount> counters{};
  const std::uint64_t episodes = r.u64();
  for (ClauseCounters& c : counters) {
    for (std::uint64_t& n : c.n) n = r.u64();
  }
  return ClauseCoverage::of_counts(counters, episodes);
}

void put_status(ByteWriter& w, const Status& status) {
  w.i32(static_cast<std::int32_t>(status.code()));
  w.str(status.message());
}

Status get_status(ByteReader& r) {
  const std::int32_t code = r.i32();
  std::string message = r.str();
  if (code < 0 || code > static_cast<int>(StatusCode::kInternal)) {
    r.fail();
    return Status::Ok();
  }
  if (code == 0) return Status::Ok();
  return Status(static_cast<StatusCode>(code), std::move(message));
}

}  // namespace fable::wire
