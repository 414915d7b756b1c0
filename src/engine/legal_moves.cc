// Legal-move generation; see include/fable/legal_moves.h and docs/legal-moves.md.
#include "fable/legal_moves.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <memory>
#include <optional>
#include <span>

#include "engine/proposal_window.h"
#include "fable/legality.h"

namespace fable {

namespace {

constexpr double kFractionStep = 0.05;
constexpr double kPivotResolution = 1000.0;  // pivotal shares rounded up to 1/1000
constexpr Money kOneUnit = kMoneyScale;

// The coalition as ascending, distinct, valid indices other than the actor.
std::vector<AgentIndex> coalition_allies(const WorldState& w, const MoveContext& ctx) {
  std::vector<AgentIndex> allies;
  allies.reserve(ctx.allies.size());
  for (AgentIndex a : ctx.allies) {
    if (a != ctx.actor && w.valid_citizen(a)) allies.push_back(a);
  }
  std::sort(allies.begin(), allies.end());
  allies.erase(std::unique(allies.begin(), allies.end()), allies.end());
  return allies;
}

void add_value(std::vector<ParamValue>& values, ParamId param, const ParamValue& v) {
  if (param_value_fits(param_info(param), v)) values.push_back(v);
}

bool value_less(const ParamValue& a, const ParamValue& b) {
  if (a.is_null != b.is_null) return a.is_null;
  return !a.is_null && a.number < b.number;
}

}  // namespace

std::vector<Money> spend_amount_candidates(const WorldState& w) {
  std::vector<Money> amounts;
  const Money t = w.treasury;
  amounts.push_back(outflow_room(w, 0, OutflowUse::kDirect).amount);
  amounts.push_back(outflow_room(w, 0, OutflowUse::kProposal).amount);
  if (const auto& cap = w.params().spend_per_proposal_cap)
    amounts.push_back(money_fraction(t, *cap));
  for (const double f : {0.1, 0.25, 1.0 / 3.0, 0.5}) amounts.push_back(money_fraction(t, f));
  amounts.push_back(t);
  amounts.push_back(std::min(t, kOneUnit));
  std::erase_if(amounts, [](Money m) { return m <= 0; });
  std::sort(amounts.begin(), amounts.end());
  amounts.erase(std::unique(amounts.begin(), amounts.end()), amounts.end());
  return amounts;
}

namespace {

// The coalition's members on the roll: the actor and its allies.
int coalition_on_roll(const WorldState& w, AgentIndex actor, std::span<const AgentIndex> allies) {
  int n = w.on_roll(actor) ? 1 : 0;
  for (AgentIndex a : allies) n += w.on_roll(a) ? 1 : 0;
  return n;
}

// amendment_candidates into `values` (cleared first), with the coalition's
// count on the roll given.
void amendment_values(const WorldState& w, int coalition, ParamId param,
                      std::vector<ParamValue>& values) {
  const ParamInfo& info = param_info(param);
  const ParamValue current = get_param(w.params(), param);
  values.clear();
  if (info.nullable) values.push_back(ParamValue::null());
  add_value(values, param, info.default_value);
  switch (info.type) {
    case ParamType::kBool:
    case ParamType::kEnum:
      add_value(values, param, ParamValue::of(0.0));
      add_value(values, param, ParamValue::of(1.0));
      break;
    case ParamType::kFraction: {
      add_value(values, param, ParamValue::of(info.min));
      add_value(values, param, ParamValue::of(info.max));
      if (!current.is_null) {
        add_value(values, param,
                  ParamValue::of(std::max(info.min, current.number - kFractionStep)));
        add_value(values, param,
                  ParamValue::of(std::min(info.max, current.number + kFractionStep)));
      }
      if (w.roll_size > 0) {
        const double roll = w.roll_size;
        const double own = std::ceil(coalition / roll * kPivotResolution) / kPivotResolution;
        const double others_plus_one =
            std::ceil((roll - coalition + 1) / roll * kPivotResolution) / kPivotResolution;
        for (const double share : {own, others_plus_one}) {
          add_value(values, param, ParamValue::of(std::clamp(share, info.min, info.max)));
        }
      }
      break;
    }
    case ParamType::kInt:
      add_value(values, param, ParamValue::of(info.min));
      add_value(values, param, ParamValue::of(info.max));
      if (!current.is_null) {
        add_value(values, param, ParamValue::of(current.number - 1));
        add_value(values, param, ParamValue::of(current.number + 1));
      }
      break;
    case ParamType::kAmount:
      add_value(values, param, ParamValue::of(0.0));
      if (!current.is_null) add_value(values, param, ParamValue::of(current.number * 2));
      break;
  }
  std::erase_if(values, [&](const ParamValue& v) { return v == current; });
  std::sort(values.begin(), values.end(), value_less);
  values.erase(std::unique(values.begin(), values.end()), values.end());
}

// Where a candidate stands among the proposals: proposals are listed once
// per window (the default, then the minimum when it differs), each window
// with the same items in the same order. `window` is 0 or 1 for a proposal,
// -1 for any other action; `item` numbers the proposals of one window.
struct ProposalSlot {
  int window = -1;
  int item = -1;
};

}  // namespace

// The candidate grammar of one actor in one world, by position: the sizes of
// its sections and what each is made from, worked out once, so that the
// candidate at any position is built without the others. Listing walks the
// positions in order; drawing builds one position at a time. The world must
// outlive it.
class CandidateGrammar {
 public:
  CandidateGrammar() = default;

  void prepare(const WorldState& w, const MoveContext& ctx, PassMove pass) {
    w_ = &w;
    self_ = ctx.actor;
    with_pass_ = pass == PassMove::kInclude;
    allies_ = coalition_allies(w, ctx);
    self_and_allies_.assign(1, self_);
    self_and_allies_.insert(self_and_allies_.end(), allies_.begin(), allies_.end());
    recipients_ = self_and_allies_;
    recipients_.push_back(kAllCitizens);
    amounts_ = spend_amount_candidates(w);
    prepare_amendments(w, coalition_on_roll(w, self_, allies_));
    targets_.clear();
    for (AgentIndex c = 0; c < static_cast<AgentIndex>(w.citizens.size()); ++c) {
      if (c == self_ || !w.on_roll(c) || std::binary_search(allies_.begin(), allies_.end(), c)) {
        continue;
      }
      targets_.push_back(c);
    }
    windows_[0] = 0;
    windows_[1] = w.params().min_window_turns;
    window_count_ = w.params().min_window_turns != w.params().default_window_turns ? 2 : 1;
    balance_known_ = w.valid_citizen(self_);
    const std::size_t open = w.open_proposals.size();
    const std::size_t team = self_and_allies_.size();
    items_ = recipients_.size() * amounts_.size() + amendment_choices_.size() + targets_.size() +
             static_cast<std::size_t>(kRoleCount) * team + (allies_.empty() ? 1 : 2) + 1;
    sizes_ = {with_pass_ ? 1u : 0u,
              3 * open,
              open,
              window_count_ * items_,
              allies_.size(),
              1,
              balance_known_ ? 2 * allies_.size() : 0,
              team * amounts_.size(),
              1};
    size_ = 0;
    for (std::size_t n : sizes_) size_ += n;
  }

  // Positions in the grammar (with the pass or without, as prepared).
  std::size_t size() const { return size_; }

  // The candidate at position i < size(), and its proposal slot.
  Action at(std::size_t i, ProposalSlot* slot = nullptr) const {
    std::size_t section = 0;
    while (i >= sizes_[section]) i -= sizes_[section++];
    if (slot != nullptr) *slot = {};
    switch (section) {
      case kPassSection:
        return Action::pass();
      case kVotes: {
        constexpr std::array<Choice, 3> kChoices{Choice::kYes, Choice::kNo, Choice::kAbstain};
        return Action::vote(ref(i / 3), kChoices[i % 3]);
      }
      case kCalls:
        return Action::call_question(ref(i));
      case kProposals: {
        const std::size_t window = i / items_;
        const std::size_t item = i % items_;
        if (slot != nullptr) *slot = {static_cast<int>(window), static_cast<int>(item)};
        Action a = Action::propose({this->item(item)});
        a.window = windows_[window];
        return a;
      }
      case kDelegations:
        return Action::delegate(allies_[i]);
      case kRevoke:
        return Action::revoke_delegation();
      case kTransfers: {
        const Money balance = w_->citizens[self_].balance;
        return Action::transfer(allies_[i / 2], i % 2 == 0 ? balance : balance / 2);
      }
      case kEmergencySpends:
        return Action::emergency_spend(self_and_allies_[i / amounts_.size()],
                                       amounts_[i % amounts_.size()]);
      default:
        return Action::exit();
    }
  }

 private:
  enum Section : std::size_t {
    kPassSection,
    kVotes,
    kCalls,
    kProposals,
    kDelegations,
    kRevoke,
    kTransfers,
    kEmergencySpends,
    kExit,
    kSections
  };

  // The amendment values of every parameter (amendment_values), worked out
  // again only when what they are made from changed since the last prepare:
  // the values in force, the roll's size and the coalition's count on it. A
  // hunt's insertions mostly see the rules of the last one. Values are
  // compared bit for bit (0.0 and -0.0 differ), so a reused list is the one
  // amendment_values would make.
  void prepare_amendments(const WorldState& w, int coalition) {
    bool same =
        amendments_ready_ && coalition == amendments_coalition_ && w.roll_size == amendments_roll_;
    for (int p = 0; p < kParamCount; ++p) {
      const ParamValue v = get_param(w.params(), static_cast<ParamId>(p));
      ParamValue& had = amendments_in_force_[static_cast<std::size_t>(p)];
      same = same && v.is_null == had.is_null &&
             std::bit_cast<std::uint64_t>(v.number) == std::bit_cast<std::uint64_t>(had.number);
      had = v;
    }
    amendments_ready_ = true;
    amendments_coalition_ = coalition;
    amendments_roll_ = w.roll_size;
    if (same) return;
    amendment_choices_.clear();
    amendment_params_.clear();
    for (int p = 0; p < kParamCount; ++p) {
      amendment_values(w, coalition, static_cast<ParamId>(p), values_);
      amendment_choices_.insert(amendment_choices_.end(), values_.begin(), values_.end());
      amendment_params_.insert(amendment_params_.end(), values_.size(), static_cast<ParamId>(p));
    }
  }

  ProposalRef ref(std::size_t open_index) const {
    const Proposal& p = w_->proposals[w_->open_proposals[open_index]];
    return ProposalRef::by_origin(p.proposer, p.opened_turn, p.ordinal);
  }

  // The item of a one-item proposal at position j of a window.
  ProposalItem item(std::size_t j) const {
    const std::size_t spends = recipients_.size() * amounts_.size();
    if (j < spends) {
      return ProposalItem::spend(recipients_[j / amounts_.size()], amounts_[j % amounts_.size()]);
    }
    j -= spends;
    if (j < amendment_choices_.size()) {
      return ProposalItem::amendment(amendment_params_[j], amendment_choices_[j]);
    }
    j -= amendment_choices_.size();
    if (j < targets_.size()) return ProposalItem::disenfranchise(targets_[j]);
    j -= targets_.size();
    const std::size_t team = self_and_allies_.size();
    if (j < static_cast<std::size_t>(kRoleCount) * team) {
      return ProposalItem::role_grant(self_and_allies_[j % team], static_cast<Role>(j / team));
    }
    j -= static_cast<std::size_t>(kRoleCount) * team;
    if (j == 0) return ProposalItem::emergency_declare({self_});
    if (j == 1 && !allies_.empty()) {
      ProposalItem council = ProposalItem::emergency_declare({self_});
      for (const AgentIndex a : allies_) {
        if (council.council_size == kMaxCouncil) break;
        council.council[council.council_size++] = a;
      }
      return council;
    }
    return ProposalItem::emergency_renew();
  }

  const WorldState* w_ = nullptr;
  AgentIndex self_ = kNoAgent;
  bool with_pass_ = true;
  bool balance_known_ = false;
  std::vector<AgentIndex> allies_;
  std::vector<AgentIndex> self_and_allies_;
  std::vector<AgentIndex> recipients_;  // self_and_allies_ and ALL
  std::vector<Money> amounts_;
  std::vector<ParamValue> values_;  // scratch
  std::vector<ParamValue> amendment_choices_;
  std::vector<ParamId> amendment_params_;  // the parameter of each choice
  // What amendment_choices_ was made from (prepare_amendments).
  bool amendments_ready_ = false;
  int amendments_coalition_ = 0;
  std::int32_t amendments_roll_ = 0;
  std::array<ParamValue, static_cast<std::size_t>(kParamCount)> amendments_in_force_{};
  std::vector<AgentIndex> targets_;  // disenfranchise
  std::array<std::int32_t, 2> windows_{0, 0};
  std::size_t window_count_ = 1;
  std::size_t items_ = 0;  // one-item proposals of one window
  std::array<std::size_t, kSections> sizes_{};
  std::size_t size_ = 0;
};

namespace {

// The positions of `grammar` check_action permits now, in grammar order
// (appended to `out`, cleared first). The grammar lists each action once
// except where two candidate values coincide (half a balance of 0 is 0,
// refused anyway); nothing to dedup beyond what the candidate sets already
// made distinct. A proposal of the second window has the verdict of the
// same items in the first (the default window, 0, which the window check
// always permits) and of its own window's check: check_action rules on a
// proposal as standing, window, items (engine/proposal_window.h), so the
// verdict is the one check_action gives, at half the checks.
void list_legal(const CandidateGrammar& grammar, const WorldState& w, AgentIndex actor,
                std::vector<Action>& out) {
  out.clear();
  std::vector<char> first_window;  // verdicts of the first window's proposals, in order
  const bool second_window = check_proposal_window(w.params(), w.params().min_window_turns).legal();
  ProposalSlot slot;
  for (std::size_t i = 0; i < grammar.size(); ++i) {
    const Action a = grammar.at(i, &slot);
    bool legal = false;
    if (slot.window == 1) {
      legal = second_window && first_window[static_cast<std::size_t>(slot.item)] != 0;
    } else {
      legal = check_action(w, actor, a).legal();
      if (slot.window == 0) first_window.push_back(legal ? 1 : 0);
    }
    if (legal) out.push_back(a);
  }
}

}  // namespace

std::vector<ParamValue> amendment_candidates(const WorldState& w, const MoveContext& ctx,
                                             ParamId param) {
  std::vector<ParamValue> values;
  amendment_values(w, coalition_on_roll(w, ctx.actor, coalition_allies(w, ctx)), param, values);
  return values;
}

void candidate_actions(const WorldState& w, const MoveContext& ctx, std::vector<Action>& out) {
  CandidateGrammar grammar;
  grammar.prepare(w, ctx, PassMove::kInclude);
  out.clear();
  out.reserve(grammar.size());
  for (std::size_t i = 0; i < grammar.size(); ++i) out.push_back(grammar.at(i));
}

void legal_actions(const WorldState& w, const MoveContext& ctx, std::vector<Action>& out,
                   PassMove pass) {
  CandidateGrammar grammar;
  grammar.prepare(w, ctx, pass);
  list_legal(grammar, w, ctx.actor, out);
}

LegalMoveSampler::LegalMoveSampler() : grammar_(std::make_unique<CandidateGrammar>()) {}
LegalMoveSampler::~LegalMoveSampler() = default;

void LegalMoveSampler::prepare(const WorldState& world, const MoveContext& ctx, PassMove pass) {
  world_ = &world;
  actor_ = ctx.actor;
  grammar_->prepare(world, ctx, pass);
  listed_ = false;
  legal_.clear();
}

std::size_t LegalMoveSampler::candidates() const {
  return grammar_->size();
}

std::optional<Action> LegalMoveSampler::draw(Rng& rng) {
  if (world_ == nullptr || grammar_->size() == 0) return std::nullopt;
  if (!listed_) {
    for (int t = 0; t < kDrawTries; ++t) {
      Action a = grammar_->at(static_cast<std::size_t>(rng.below(grammar_->size())));
      if (check_action(*world_, actor_, a).legal()) return a;
    }
    list_legal(*grammar_, *world_, actor_, legal_);
    listed_ = true;
  }
  if (legal_.empty()) return std::nullopt;
  return legal_[static_cast<std::size_t>(rng.below(legal_.size()))];
}

}  // namespace fable
