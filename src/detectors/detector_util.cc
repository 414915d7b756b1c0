// Shared helpers of the detector suite; see src/detectors/detector_util.h.
#include "detectors/detector_util.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "fable/tally.h"

namespace fable::detect {

AgentIndex bloc_of(const EpisodeTrace& t, AgentIndex i) {
  return is_red(t, i) ? -1 : i;
}

bool allied(const EpisodeTrace& t, AgentIndex a, AgentIndex b) {
  return valid(t, a) && valid(t, b) && bloc_of(t, a) == bloc_of(t, b);
}

std::vector<std::string> actor_ids(const EpisodeTrace& t, const std::vector<AgentIndex>& who) {
  std::vector<std::string> ids;
  ids.reserve(who.size());
  for (AgentIndex i : who) {
    if (valid(t, i)) ids.push_back(t.participants[static_cast<std::size_t>(i)].id);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

std::vector<Outcome> proposal_outcomes(const EpisodeTrace& t) {
  std::vector<Outcome> out(t.proposals.size());
  auto at = [&](std::int32_t id) -> Outcome* {
    return id >= 0 && static_cast<std::size_t>(id) < out.size() ? &out[static_cast<std::size_t>(id)]
                                                                : nullptr;
  };
  for (const Event& e : t.events) {
    Outcome* o = at(e.proposal);
    if (o == nullptr) continue;
    switch (e.kind) {
      case EventKind::kQuestionCalled:
        o->called = true;
        break;
      case EventKind::kProposalClosed:
        o->closed = true;
        o->passed = e.result == TallyResult::kPassed;
        o->closed_turn = e.turn;
        o->yes = e.yes;
        o->no = e.no;
        o->abstain = e.abstain;
        o->eligible = e.eligible;
        break;
      case EventKind::kSpendExecuted:
      case EventKind::kAmendmentRatified:
      case EventKind::kCitizenDisenfranchised:
      case EventKind::kRoleGranted:
      case EventKind::kEmergencyDeclared:
      case EventKind::kEmergencyRenewed:
        o->executed = true;
        break;
      default:
        break;
    }
  }
  return out;
}

const ProposalInfo* proposal(const EpisodeTrace& t, std::int32_t id) {
  if (id < 0 || static_cast<std::size_t>(id) >= t.proposals.size()) return nullptr;
  return &t.proposals[static_cast<std::size_t>(id)];
}

Params start_params(const EpisodeTrace& t) {
  return t.kernel ? t.kernel->params() : default_params();
}

Params params_during(const EpisodeTrace& t, std::int32_t turn) {
  Params p = start_params(t);
  for (const Event& e : t.events) {
    if (e.turn >= turn) break;
    if (e.kind == EventKind::kAmendmentInForce) set_param(p, e.param, e.after);
  }
  return p;
}

const Params& ParamCursor::before_event(std::size_t event_index) {
  const std::size_t end = std::min(event_index, t_.events.size());
  for (; next_ < end; ++next_) {
    const Event& e = t_.events[next_];
    if (e.kind == EventKind::kAmendmentInForce) set_param(params_, e.param, e.after);
  }
  return params_;
}

const Params& ParamCursor::during_turn(std::int32_t turn) {
  for (; next_ < t_.events.size() && t_.events[next_].turn < turn; ++next_) {
    const Event& e = t_.events[next_];
    if (e.kind == EventKind::kAmendmentInForce) set_param(params_, e.param, e.after);
  }
  return params_;
}

std::pair<double, ParamId> binding_threshold(const Params& p, const ProposalInfo& info) {
  double best = -1.0;
  ParamId param = ParamId::kThresholdSpend;
  for (const ProposalItem& item : info.items) {
    ParamId id = ParamId::kThresholdSpend;
    switch (item.kind) {
      case ItemKind::kSpend:
        id = ParamId::kThresholdSpend;
        break;
      case ItemKind::kAmendment:
        id = ParamId::kThresholdAmendment;
        break;
      case ItemKind::kDisenfranchise:
        id = ParamId::kThresholdDisenfranchise;
        break;
      case ItemKind::kRoleGrant:
        id = ParamId::kThresholdRoleGrant;
        break;
      case ItemKind::kEmergencyDeclare:
        id = ParamId::kThresholdEmergency;
        break;
      case ItemKind::kEmergencyRenew:
        id = ParamId::kEmergencyRenewalThreshold;
        break;
    }
    double v = get_param(p, id).number;
    if (item.kind == ItemKind::kSpend && item.target != kAllCitizens && p.private_spend_threshold &&
        *p.private_spend_threshold > v) {
      id = ParamId::kThresholdPrivateSpend;
      v = *p.private_spend_threshold;
    }
    if (v > best) {
      best = v;
      param = id;
    }
  }
  return {std::max(best, 0.0), param};
}

Proposal as_proposal(const ProposalInfo& info) {
  Proposal probe;
  probe.item_count = static_cast<std::uint8_t>(std::min<std::size_t>(info.items.size(), kMaxItems));
  std::copy_n(info.items.begin(), probe.item_count, probe.items.begin());
  return probe;
}

bool absent_could_reverse(const Params& p, const ProposalInfo& info, const Event& closed) {
  const std::int32_t absent = closed.eligible - (closed.yes + closed.no + closed.abstain);
  if (absent <= 0) return false;
  const TallyCount full{closed.yes, closed.no + absent, closed.abstain, closed.eligible};
  return decide_tally(p, full, threshold_rule(p, as_proposal(info))).result != TallyResult::kPassed;
}

const TurnSnapshot* snapshot_at(const EpisodeTrace& t, std::int32_t turn) {
  if (turn < 0 || static_cast<std::size_t>(turn) >= t.snapshots.size()) return nullptr;
  return &t.snapshots[static_cast<std::size_t>(turn)];
}

int bloc_on_roll(const EpisodeTrace& t, const TurnSnapshot& s, AgentIndex bloc) {
  if (bloc >= 0) {
    return static_cast<std::size_t>(bloc) < s.citizens.size() &&
                   s.citizens[static_cast<std::size_t>(bloc)].on_roll
               ? 1
               : 0;
  }
  int n = 0;
  for (std::size_t c = 0; c < s.citizens.size(); ++c) {
    n += s.citizens[c].on_roll && is_red(t, static_cast<AgentIndex>(c)) ? 1 : 0;
  }
  return n;
}

std::vector<std::string> clauses_of(const EpisodeTrace& t, std::initializer_list<ClauseId> ids) {
  std::vector<std::string> out;
  out.reserve(2 * ids.size());  // a name and an article each, at most
  for (ClauseId c : ids) {
    out.emplace_back(clause_name(c));
    if (t.kernel) {
      const std::string_view article = t.kernel->article_for(c);
      if (!article.empty()) out.emplace_back(article);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

namespace {

// Is `cur` looser than `want` for this parameter?
bool looser(const ParamInfo& info, const ParamValue& cur, const ParamValue& want) {
  switch (info.tightens) {
    case Tightens::kHigher:
      if (want.is_null) return false;
      return cur.is_null || cur.number < want.number;
    case Tightens::kLower:
      if (want.is_null) return false;
      return cur.is_null || cur.number > want.number;
    case Tightens::kTrue:
    case Tightens::kRollBase:
      return cur.number == 0.0 && want.number != 0.0;
    case Tightens::kFalse:
      return cur.number != 0.0 && want.number == 0.0;
    case Tightens::kNeutral:
      return !(cur == want);
  }
  return false;
}

double round3(double v) {
  return std::round(v * 1000.0) / 1000.0;
}

// One notch stricter than `cur`, if there is one.
std::optional<ParamValue> tighter(const ParamInfo& info, const ParamValue& cur,
                                  const ParamValue& suggested) {
  const bool integer = info.type == ParamType::kInt;
  switch (info.tightens) {
    case Tightens::kHigher: {
      if (cur.is_null) return suggested;
      const double v =
          integer ? cur.number + 1.0 : round3(cur.number + (info.max - cur.number) / 2.0);
      if (v > info.max || v <= cur.number) return std::nullopt;
      return ParamValue::of(v);
    }
    case Tightens::kLower: {
      if (cur.is_null) return suggested;
      const double v = integer ? cur.number - 1.0 : round3(cur.number / 2.0);
      if (v < info.min || v >= cur.number) return std::nullopt;
      return ParamValue::of(v);
    }
    case Tightens::kTrue:
    case Tightens::kRollBase:
      return cur.number == 0.0 ? std::optional<ParamValue>(ParamValue::of(1.0)) : std::nullopt;
    case Tightens::kFalse:
      return cur.number != 0.0 ? std::optional<ParamValue>(ParamValue::of(0.0)) : std::nullopt;
    case Tightens::kNeutral:
      return std::nullopt;
  }
  return std::nullopt;
}

// "path: from -> to", joined by hand: every guard of every finding is made of these.
std::string change_text(ParamId id, const ParamValue& from, const ParamValue& to) {
  const std::string_view path = param_info(id).path;
  const std::string before = format_param_value(id, from);
  const std::string after = format_param_value(id, to);
  std::string out;
  out.reserve(path.size() + before.size() + after.size() + 6);
  out.append(path).append(": ").append(before).append(" -> ").append(after);
  return out;
}

}  // namespace

std::string guard_text(const Params& now, const std::vector<GuardStep>& steps) {
  std::string out;
  for (const GuardStep& s : steps) {
    const ParamInfo& info = param_info(s.id);
    const ParamValue cur = get_param(now, s.id);
    if (!looser(info, cur, s.suggested)) continue;
    if (!out.empty()) out += "; ";
    out += change_text(s.id, cur, s.suggested);
  }
  if (!out.empty()) return out;
  for (const GuardStep& s : steps) {
    const ParamInfo& info = param_info(s.id);
    const ParamValue cur = get_param(now, s.id);
    if (const std::optional<ParamValue> next = tighter(info, cur, s.suggested)) {
      return change_text(s.id, cur, *next);
    }
  }
  return "no parameter of this kernel refuses it: a new clause is needed";
}

std::string with_new_clause(const std::string& guard, std::string_view clause) {
  const std::string added = fmt::format("new clause: {}", clause);
  return guard.empty() ? added : guard + "; " + added;
}

std::string units(Money m) {
  return format_money(m);
}

std::string percent(double f) {
  return fmt::format("{:.1f}%", 100.0 * f);
}

double fraction(Money part, Money whole) {
  return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

std::string share_text(Money part, Money whole) {
  return fmt::format("{} of {} ({})", units(part), units(whole), percent(fraction(part, whole)));
}

std::string num(double v) {
  return fmt::format("{}", round3(v));
}

void emit(ExploitFinding f, std::vector<ExploitFinding>& out) {
  f.severity = std::clamp(f.severity, 1, 5);
  out.push_back(std::move(f));
}

}  // namespace fable::detect
