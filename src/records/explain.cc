// The story of a record's reproduction; see include/fable/explain.h.
#include "fable/explain.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "fable/legality.h"
#include "fable/params.h"
#include "fable/ruling.h"
#include "fable/tally.h"

namespace fable {

namespace {

using nlohmann::json;

// "1000", "12.5": amounts in units, without trailing zeros.
std::string units(Money m) {
  std::string s = format_money(m);
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string percent(double f) {
  return fmt::format("{:g}%", std::round(f * 1000.0) / 10.0);
}

std::string value_text(const ParamValue& v) {
  return v.is_null ? "none" : fmt::format("{:g}", v.number);
}

// Everything the story needs about one replayed episode.
class Story {
 public:
  Story(const ExploitRecord& rec, const Kernel& kernel, const EpisodeTrace& t,
        const std::vector<StepMark>& marks)
      : kernel_(kernel), t_(t), params_(kernel.params()) {
    for (const std::string& p : rec.reproduction.perpetrators) perps_.insert(p);
    for (const StepMark& m : marks) marks_[{m.agent, m.turn, m.round}].push_back(m.essential);
    standing_.assign(t.participants.size(), Standing::kOnRoll);
    if (!t.snapshots.empty() && t.snapshots[0].citizens.size() == standing_.size()) {
      for (std::size_t i = 0; i < standing_.size(); ++i) {
        if (!t.snapshots[0].citizens[i].on_roll) standing_[i] = Standing::kStruckOff;
      }
    }
  }

  std::vector<ExplainEntry> timeline() {
    for (const Event& e : t_.events) add(e);
    return std::move(out_);
  }

 private:
  const std::string& id(AgentIndex i) const {
    static const std::string kNobody = "no one";
    if (i < 0 || static_cast<std::size_t>(i) >= t_.participants.size()) return kNobody;
    return t_.participants[static_cast<std::size_t>(i)].id;
  }
  std::string who(AgentIndex i) const {
    if (i == kAllCitizens) return "every citizen on the roll";
    if (i < 0 || static_cast<std::size_t>(i) >= t_.participants.size()) {
      return fmt::format("citizen #{} (no such citizen)", i);
    }
    return id(i);
  }
  bool perp(AgentIndex i) const {
    return i >= 0 && static_cast<std::size_t>(i) < t_.participants.size() &&
           perps_.count(id(i)) > 0;
  }
  bool honest(AgentIndex i) const {
    return !perp(i) && !is_red_team(t_.participants[static_cast<std::size_t>(i)].role);
  }

  std::string item_text(const ProposalItem& it) const {
    switch (it.kind) {
      case ItemKind::kSpend:
        if (it.target == kAllCitizens) {
          return fmt::format("share {} units among the citizens on the roll", units(it.amount));
        }
        return fmt::format("pay {} units to {}", units(it.amount), who(it.target));
      case ItemKind::kAmendment:
        return fmt::format("set {} to {}", param_info(it.param).path, value_text(it.value));
      case ItemKind::kDisenfranchise:
        return fmt::format("expel {}", who(it.target));
      case ItemKind::kRoleGrant:
        return fmt::format("make {} {}", who(it.target), role_name(it.role));
      case ItemKind::kEmergencyDeclare: {
        std::string council;
        const int n = std::min<int>(it.council_size, kMaxCouncil);
        for (int i = 0; i < n; ++i) council += (i ? ", " : "") + who(it.council[i]);
        return fmt::format("declare an emergency (council: {})", council);
      }
      case ItemKind::kEmergencyRenew:
        return "renew the emergency";
    }
    return "?";
  }
  std::string items_text(const ProposalItem* items, int count) const {
    std::string s;
    for (int i = 0; i < std::min(count, kMaxItems); ++i) s += (i ? "; " : "") + item_text(items[i]);
    return s.empty() ? "nothing" : s;
  }
  std::string proposal_name(std::int32_t id) const {
    if (id < 0) return "a proposal that does not exist";
    return fmt::format("proposal #{}", id);
  }

  // The attempted action of a refusal, as "propose ...", "vote yes on ...".
  std::string attempt_text(const Event& e) const {
    switch (e.action) {
      case ActionKind::kPropose:
        if (e.attempt >= 0 && static_cast<std::size_t>(e.attempt) < t_.refused_proposals.size()) {
          const RefusedProposal& p = t_.refused_proposals[static_cast<std::size_t>(e.attempt)];
          return "propose to " + items_text(p.items.data(), p.item_count);
        }
        return "open a proposal";
      case ActionKind::kCastVote:
        return fmt::format("vote {} on {}", choice_name(e.choice), proposal_name(e.proposal));
      case ActionKind::kCallQuestion:
        return "call the question on " + proposal_name(e.proposal);
      case ActionKind::kDelegate:
        return "delegate to " + who(e.target);
      case ActionKind::kRevokeDelegation:
        return "revoke its delegation";
      case ActionKind::kTransfer:
        return fmt::format("give {} units of its own to {}", units(e.amount), who(e.target));
      case ActionKind::kEmergencySpend:
        return fmt::format("pay {} units from the treasury to {} under the emergency",
                           units(e.amount), who(e.target));
      case ActionKind::kExit:
        return "leave";
      case ActionKind::kExecuteProposal:
        return "carry out " + proposal_name(e.proposal);
      default:
        return std::string(action_kind_name(e.action));
    }
  }

  void cite(ExplainEntry& x, ClauseId c) const {
    if (c == kNoClause) return;
    x.clause = std::string(clause_name(c));
    x.article = std::string(kernel_.article_label(c));
  }

  // The clause that governs what an allowed step does, the one of its
  // consulted clauses an author looks for first.
  static ClauseId governing_clause(ActionKind kind, const ProposalItem* items, int n) {
    using SC = StructuralClause;
    if (kind == ActionKind::kPropose && n > 0) {
      const ProposalItem& it = items[0];
      switch (it.kind) {
        case ItemKind::kSpend:
          return clause_of(ParamId::kSpendPerProposalCap);
        case ItemKind::kAmendment:
          return static_cast<int>(it.param) < kParamCount ? clause_of(it.param)
                                                          : clause_of(SC::kProposalsWellFormed);
        case ItemKind::kDisenfranchise:
          return clause_of(SC::kProposalsWellFormed);
        case ItemKind::kRoleGrant:
          return clause_of(SC::kOfficesRoles);
        case ItemKind::kEmergencyDeclare:
          return clause_of(SC::kEmergencyCouncil);
        case ItemKind::kEmergencyRenew:
          return clause_of(ParamId::kEmergencyMaxRenewals);
      }
    }
    switch (kind) {
      case ActionKind::kCastVote:
        return clause_of(SC::kVotingOneBallot);
      case ActionKind::kCallQuestion:
        return clause_of(ParamId::kEarlyClose);
      case ActionKind::kDelegate:
      case ActionKind::kRevokeDelegation:
        return clause_of(SC::kDelegationBasic);
      case ActionKind::kTransfer:
        return clause_of(SC::kTransfersPrivate);
      case ActionKind::kEmergencySpend:
        return clause_of(SC::kEmergencyCouncil);
      case ActionKind::kExit:
        return clause_of(SC::kExitProRata);
      default:
        return clause_of(SC::kProposalsWellFormed);
    }
  }

  // Cites what allowed a perpetrator's step: the articles governing the
  // clauses its legality check consulted (consulted_clauses, legality's one
  // table), in the kernel's order, and the clause that governs what it does.
  void cite_allowed(ExplainEntry& x, ActionKind kind, const ProposalItem* items = nullptr,
                    int n = 0) const {
    ClauseSet set = consulted_clauses(kind);
    for (int i = 0; i < std::min(n, kMaxItems); ++i) set.add(consulted_clauses(items[i]));
    std::set<std::string_view> ids;
    for (ClauseId c = 0; c < kClauseCount; ++c) {
      if (set.contains(c) && !kernel_.article_for(c).empty()) ids.insert(kernel_.article_for(c));
    }
    std::string articles;
    for (const Article& a : kernel_.document().articles) {
      if (ids.count(a.id) > 0) articles += (articles.empty() ? "" : ", ") + a.id;
    }
    const ClauseId specific = governing_clause(kind, items, n);
    x.clause = std::string(clause_name(specific));
    x.article = articles.empty() ? std::string(kEngineDefault) : articles;
  }

  // Marks the entry with the perpetrator's script steps at this turn and round.
  void mark(ExplainEntry& x, const Event& e) const {
    const auto it = marks_.find({id(e.actor), e.turn, static_cast<int>(e.round)});
    if (it == marks_.end()) return;
    for (bool essential : it->second) {
      ++x.steps;
      x.essential += essential ? 1 : 0;
    }
  }

  ExplainEntry entry(const Event& e, std::string kind, std::string what) const {
    ExplainEntry x;
    x.turn = e.turn;
    x.kind = std::move(kind);
    x.who = e.actor == kNoAgent ? "" : id(e.actor);
    x.what = std::move(what);
    return x;
  }

  // An event of the world, not a participant's action.
  ExplainEntry event_entry(const Event& e, std::string what) const {
    ExplainEntry x = entry(e, "event", std::move(what));
    x.who.clear();
    return x;
  }

  // Ballots alike (same turn, proposal, choice and ruling) of several
  // perpetrators in a row are one line.
  void add_ballot(const Event& e) {
    const bool refused = e.kind == EventKind::kActionRejected;
    const auto key = std::make_tuple(e.turn, e.proposal, e.choice, e.refusal);
    const std::string tail =
        fmt::format("{} on {}", choice_name(e.choice), proposal_name(e.proposal));
    if (!out_.empty() && last_ballot_ == key) {
      ExplainEntry& x = out_.back();
      group_.push_back(id(e.actor));
      std::sort(group_.begin(), group_.end());
      x.count = static_cast<int>(group_.size());
      x.who.clear();
      for (const std::string& g : group_) x.who += (x.who.empty() ? "" : ", ") + g;
      x.what =
          fmt::format("{} perpetrators {} {}", x.count, refused ? "try to vote" : "vote", tail);
      mark(x, e);
      return;
    }
    ExplainEntry x =
        entry(e, refused ? "refused" : "action", (refused ? "tries to vote " : "votes ") + tail);
    if (refused) {
      x.ruling = describe(Ruling::refuse(e.refusal, e.clause), kernel_);
      cite(x, e.clause);
    } else {
      x.ruling = "allowed";
      cite_allowed(x, ActionKind::kCastVote);
    }
    mark(x, e);
    out_.push_back(std::move(x));
    last_ballot_ = key;
    group_ = {id(e.actor)};
  }

  void add_tally(const Event& e) {
    const ProposalInfo* info = proposal(e.proposal);
    ExplainEntry x = entry(e, "tally", "");
    x.yes = e.yes;
    x.no = e.no;
    x.abstain = e.abstain;
    x.eligible = e.eligible;
    x.ruling = std::string(tally_result_name(e.result));
    x.what = fmt::format(
        "{} by {} {}: {} yes, {} no, {} abstain of {} eligible", proposal_name(e.proposal), x.who,
        e.result == TallyResult::kPassed ? "passes" : "fails", e.yes, e.no, e.abstain, e.eligible);
    if (info != nullptr) {
      Proposal p;
      p.item_count =
          static_cast<std::uint8_t>(std::min<std::size_t>(info->items.size(), kMaxItems));
      std::copy_n(info->items.begin(), p.item_count, p.items.begin());
      const ThresholdRule rule = threshold_rule(params_, p);
      const auto quorum_ballots =
          static_cast<int>(std::ceil(params_.quorum * static_cast<double>(e.eligible) - 1e-9));
      x.needed =
          fmt::format("quorum {} of {} eligible ({} ballots), then {} yes of {}",
                      percent(params_.quorum), e.eligible, quorum_ballots, percent(rule.threshold),
                      params_.threshold_base == ThresholdBase::kRoll ? "the roll" : "yes + no");
      cite(x, e.result == TallyResult::kPassed ? clause_of(rule.param) : e.clause);
    } else {
      cite(x, e.clause);
    }
    int yes = 0, no = 0, abstain = 0, of = 0;
    std::vector<bool> voted(t_.participants.size(), false);
    for (const Event& b : t_.events) {
      if (b.kind != EventKind::kVoteCast || b.proposal != e.proposal || !honest(b.actor)) continue;
      voted[static_cast<std::size_t>(b.actor)] = true;
      yes += b.choice == Choice::kYes ? 1 : 0;
      no += b.choice == Choice::kNo ? 1 : 0;
      abstain += b.choice == Choice::kAbstain ? 1 : 0;
    }
    // Honest citizens who cast no ballot: on the roll (did not vote), struck
    // off it, or gone, as things stand at this tally.
    int silent = 0, struck = 0, gone = 0;
    for (std::size_t i = 0; i < t_.participants.size(); ++i) {
      if (!honest(static_cast<AgentIndex>(i))) continue;
      ++of;
      if (voted[i]) continue;
      switch (standing_[i]) {
        case Standing::kOnRoll:
          ++silent;
          break;
        case Standing::kStruckOff:
          ++struck;
          break;
        case Standing::kExited:
          ++gone;
          break;
      }
    }
    std::string h = fmt::format(
        "{} of {} honest citizens voted yes, {} no, {} abstained, {} did "
        "not vote",
        yes, of, no, abstain, silent);
    if (struck > 0) h += fmt::format(", {} struck off the roll", struck);
    if (gone > 0) h += fmt::format(", {} left", gone);
    x.honest = std::move(h);
    out_.push_back(std::move(x));
  }

  const ProposalInfo* proposal(std::int32_t id) const {
    if (id < 0 || static_cast<std::size_t>(id) >= t_.proposals.size()) return nullptr;
    return &t_.proposals[static_cast<std::size_t>(id)];
  }
  bool perp_proposal(std::int32_t id) const {
    const ProposalInfo* p = proposal(id);
    return p != nullptr && perp(p->proposer);
  }

  void add(const Event& e) {
    const bool own = perp(e.actor) && e.round != kEndOfTurnRound;
    const bool ballot = (e.kind == EventKind::kVoteCast && own) ||
                        (e.kind == EventKind::kActionRejected && perp(e.actor) &&
                         e.action == ActionKind::kCastVote);
    if (ballot) {
      add_ballot(e);
      return;
    }
    if (own || e.round == kEndOfTurnRound) {
      last_ballot_ = {-1, -1, Choice::kNone, Refusal::kNone};
    }
    switch (e.kind) {
      case EventKind::kActionRejected: {
        if (!perp(e.actor)) return;
        if (e.action == ActionKind::kExecuteProposal) {
          ExplainEntry x = event_entry(e, proposal_name(e.proposal) + " cannot be carried out");
          x.kind = "refused";
          x.ruling = describe(Ruling::refuse(e.refusal, e.clause), kernel_);
          cite(x, e.clause);
          out_.push_back(std::move(x));
          return;
        }
        ExplainEntry x = entry(e, "refused", fmt::format("tries to {}", attempt_text(e)));
        x.ruling = describe(Ruling::refuse(e.refusal, e.clause), kernel_);
        cite(x, e.clause);
        mark(x, e);
        out_.push_back(std::move(x));
        return;
      }
      case EventKind::kProposalCreated: {
        if (!own) return;
        const ProposalInfo* p = proposal(e.proposal);
        ExplainEntry x = entry(
            e, "action",
            p == nullptr
                ? "opens " + proposal_name(e.proposal)
                : fmt::format("opens {} to {}; ballots until turn {}", proposal_name(e.proposal),
                              items_text(p->items.data(), static_cast<int>(p->items.size())),
                              p->last_turn));
        x.ruling = "allowed";
        const bool spends = p != nullptr && std::any_of(p->items.begin(), p->items.end(),
                                                        [](const ProposalItem& it) {
                                                          return it.kind == ItemKind::kSpend;
                                                        });
        if (p != nullptr) {
          cite_allowed(x, ActionKind::kPropose, p->items.data(), static_cast<int>(p->items.size()));
        } else {
          cite_allowed(x, ActionKind::kPropose);
        }
        if (spends) {
          x.ruling = fmt::format("allowed (spend.per_proposal_cap is {})",
                                 value_text(get_param(params_, ParamId::kSpendPerProposalCap)));
        }
        mark(x, e);
        out_.push_back(std::move(x));
        return;
      }
      case EventKind::kVoteCast:
        return;
      case EventKind::kQuestionCalled:
        if (!own) return;
        break;
      case EventKind::kProposalClosed:
        if (perp_proposal(e.proposal)) add_tally(e);
        return;
      case EventKind::kSpendExecuted: {
        if (!perp_proposal(e.proposal)) return;
        if (e.target != kAllCitizens) {
          out_.push_back(
              event_entry(e, fmt::format("{} pays {} units to {}", proposal_name(e.proposal),
                                         units(e.amount), who(e.target))));
          return;
        }
        // The engine splits a spend to all over the roll (execute_spend): the
        // event carries the sum paid out, per head times the roll.
        const auto roll = static_cast<Money>(on_roll());
        out_.push_back(event_entry(
            e, fmt::format("{} shares {} units among the {} citizens on the roll ({} each)",
                           proposal_name(e.proposal), units(e.amount), roll,
                           units(roll > 0 ? e.amount / roll : 0))));
        return;
      }
      case EventKind::kAmendmentInForce: {
        set_param(params_, e.param, e.after);
        ExplainEntry x = event_entry(
            e, fmt::format("{} is now {} (was {}), by {}", param_info(e.param).path,
                           value_text(e.after), value_text(e.before), proposal_name(e.proposal)));
        cite(x, clause_of(e.param));
        out_.push_back(std::move(x));
        return;
      }
      case EventKind::kCitizenDisenfranchised:
        leave(e.target, Standing::kStruckOff);
        out_.push_back(event_entry(e, fmt::format("{} is struck off the roll by {}", who(e.target),
                                                  proposal_name(e.proposal))));
        return;
      case EventKind::kEmergencyDeclared:
        out_.push_back(event_entry(e, "an emergency is declared"));
        return;
      case EventKind::kEmergencyRenewed:
        out_.push_back(event_entry(e, "the emergency is renewed"));
        return;
      case EventKind::kEmergencyEnded:
        out_.push_back(event_entry(e, "the emergency ends"));
        return;
      case EventKind::kCitizenExited: {
        leave(e.actor, Standing::kExited);
        ExplainEntry x = entry(e, perp(e.actor) ? "action" : "event",
                               fmt::format("leaves, taking a share of {} units", units(e.amount)));
        if (perp(e.actor)) {
          x.ruling = "allowed";
          cite_allowed(x, ActionKind::kExit);
          mark(x, e);
        }
        out_.push_back(std::move(x));
        return;
      }
      default:
        if (!own) return;
        break;
    }
    // The perpetrators' other actions.
    std::string what;
    ActionKind kind = ActionKind::kPass;
    switch (e.kind) {
      case EventKind::kQuestionCalled:
        what = "calls the question on " + proposal_name(e.proposal);
        kind = ActionKind::kCallQuestion;
        break;
      case EventKind::kDelegationSet:
        what = "delegates to " + who(e.target);
        kind = ActionKind::kDelegate;
        break;
      case EventKind::kDelegationRevoked:
        what = "revokes its delegation";
        kind = ActionKind::kRevokeDelegation;
        break;
      case EventKind::kTransfer:
        what = fmt::format("gives {} units of its own to {}", units(e.amount), who(e.target));
        kind = ActionKind::kTransfer;
        break;
      case EventKind::kEmergencySpend:
        what = fmt::format("pays {} units from the treasury to {} under the emergency",
                           units(e.amount), who(e.target));
        kind = ActionKind::kEmergencySpend;
        break;
      default:
        what = std::string(event_kind_name(e.kind));
        break;
    }
    ExplainEntry x = entry(e, "action", what);
    x.ruling = "allowed";
    if (kind != ActionKind::kPass) cite_allowed(x, kind);
    mark(x, e);
    out_.push_back(std::move(x));
  }

  // Where each participant stands, as the events so far leave it.
  enum class Standing { kOnRoll, kStruckOff, kExited };
  void leave(AgentIndex i, Standing how) {
    if (i < 0 || static_cast<std::size_t>(i) >= standing_.size()) return;
    Standing& s = standing_[static_cast<std::size_t>(i)];
    if (s == Standing::kOnRoll) s = how;
  }
  int on_roll() const {
    return static_cast<int>(std::count(standing_.begin(), standing_.end(), Standing::kOnRoll));
  }

  const Kernel& kernel_;
  const EpisodeTrace& t_;
  std::vector<Standing> standing_;
  Params params_;
  std::set<std::string> perps_;
  std::map<std::tuple<std::string, int, int>, std::vector<bool>> marks_;
  std::vector<ExplainEntry> out_;
  std::tuple<int, std::int32_t, Choice, Refusal> last_ballot_{-1, -1, Choice::kNone,
                                                              Refusal::kNone};
  std::vector<std::string> group_;
};

std::string perpetrator_list(const std::vector<std::string>& p) {
  if (p.empty()) return "no one";
  if (p.size() <= 3) {
    std::string s;
    for (std::size_t i = 0; i < p.size(); ++i) s += (i ? ", " : "") + p[i];
    return s;
  }
  return fmt::format("{}, {} and {} others", p[0], p[1], p.size() - 2);
}

// A perpetrator's refusal or failed tally, as compared across kernels.
using StopKey = std::tuple<int, std::string, int, int, int, int>;

// The stops of `t` in the order replay_record lists them: a perpetrator's
// refusal citing a clause (not of a ballot on a proposal never opened), or a
// perpetrator's proposal failing its tally.
std::vector<StopKey> stop_keys(const EpisodeTrace& t, const std::vector<std::string>& perps) {
  std::vector<StopKey> out;
  for (const Event& e : t.events) {
    if (e.actor < 0 || static_cast<std::size_t>(e.actor) >= t.participants.size()) continue;
    const std::string& who = t.participants[static_cast<std::size_t>(e.actor)].id;
    if (std::find(perps.begin(), perps.end(), who) == perps.end()) continue;
    if (e.kind == EventKind::kActionRejected && e.clause != kNoClause &&
        e.refusal != Refusal::kUnknownProposal) {
      out.emplace_back(e.turn, who, static_cast<int>(e.action), static_cast<int>(e.refusal), -1,
                       static_cast<int>(e.clause));
    } else if (e.kind == EventKind::kProposalClosed && e.result != TallyResult::kPassed) {
      out.emplace_back(e.turn, who, -1, -1, static_cast<int>(e.result), static_cast<int>(e.clause));
    }
  }
  return out;
}

// How many of the perpetrators' steps the reproduction needs, in words.
std::string essential_line(int essential, int steps) {
  if (essential == 0) {
    return fmt::format(
        "No single step is essential: without any one of the perpetrators' {} "
        "step{} it still reproduces.",
        steps, steps == 1 ? "" : "s");
  }
  if (essential == steps) {
    return steps == 1 ? std::string(
                            "The perpetrators' one step is essential: without it the "
                            "record no longer reproduces.")
                      : fmt::format(
                            "All {} of the perpetrators' steps are essential: without "
                            "any one of them it no longer reproduces.",
                            steps);
  }
  return essential == 1 ? fmt::format(
                              "1 of the perpetrators' {} steps is essential: without it the record "
                              "no longer reproduces.",
                              steps)
                        : fmt::format(
                              "{} of the perpetrators' {} steps are essential: without any one of "
                              "them it no longer reproduces.",
                              essential, steps);
}

// Names the block of a blocked record: the first stop on this kernel that
// does not also happen on the discovery kernel (see explain_record).
void name_block(Explanation& x, const ExploitRecord& rec, const EpisodeTrace& t,
                const Kernel* discovery, const DetectorSuite& suite) {
  const Reproduction& r = rec.reproduction;
  const std::vector<StopKey> here = stop_keys(t, r.perpetrators);
  Result<Population> pop = reproduction_population(r);
  if (discovery == nullptr || here.size() != x.stops.size() || !pop.ok()) {
    x.headline.push_back(x.stops.empty()
                             ? "It is blocked: " + x.reason + "."
                             : "It is blocked by one of the stops listed below (no discovery "
                               "kernel to tell which of them the reproduction survives).");
    return;
  }
  x.discovery_kernel = fmt::format("{} v{}", discovery->name(), discovery->version().to_string());
  const EpisodeResult there = run_episode(*discovery, *pop, r.seed, reproduction_options(r), suite);
  std::vector<StopKey> theirs = stop_keys(there.trace, r.perpetrators);
  std::sort(theirs.begin(), theirs.end());
  for (std::size_t i = 0; i < here.size(); ++i) {
    const bool shared = std::binary_search(theirs.begin(), theirs.end(), here[i]);
    x.also_on_discovery.push_back(shared);
    if (!shared && x.block.empty()) x.block = x.stops[i];
  }
  x.headline.push_back(
      x.block.empty()
          ? fmt::format("It is blocked, though each of its stops also happens on {}: {}.",
                        x.discovery_kernel, x.reason)
          : fmt::format("It is blocked: {} (this does not happen on {}).", x.block,
                        x.discovery_kernel));
}

}  // namespace

Explanation explain_record(const ExploitRecord& rec, const Kernel& kernel,
                           const DetectorSuite& suite, const Kernel* discovery) {
  Explanation x;
  const Reproduction& r = rec.reproduction;
  x.exploit_id = rec.exploit_id;
  x.name = rec.name;
  x.kernel = fmt::format("{} v{}", kernel.name(), kernel.version().to_string());
  x.perpetrators = r.perpetrators;
  const ReplayResult replay = replay_record(rec, kernel, suite);
  x.verdict = replay.verdict;
  x.reason = replay.reason;
  x.stops = replay.stops;

  x.headline.push_back(fmt::format("{} ({}) by {} on {}: {}.", rec.exploit_id, rec.name,
                                   perpetrator_list(r.perpetrators), x.kernel,
                                   verdict_name(x.verdict)));
  if (x.verdict == Verdict::kStale || r.engine_version != kEngineVersion) {
    x.headline.push_back("The reproduction cannot be played: " + replay.reason + ".");
    return x;
  }
  Result<Population> pop = reproduction_population(r);
  if (!pop.ok()) return x;
  const EpisodeResult ep = run_episode(kernel, *pop, r.seed, reproduction_options(r), suite);

  const std::vector<StepMark> marks = essential_steps(rec, kernel, suite);
  x.steps = static_cast<int>(marks.size());
  x.essential = static_cast<int>(
      std::count_if(marks.begin(), marks.end(), [](const StepMark& m) { return m.essential; }));
  x.timeline = Story(rec, kernel, ep.trace, marks).timeline();

  const auto fired =
      std::find_if(ep.findings.begin(), ep.findings.end(),
                   [&](const ExploitFinding& f) { return f.fingerprint == rec.fingerprint; });
  if (fired != ep.findings.end()) {
    x.finding_summary = fired->summary;
    x.finding_turn = fired->turn;
    x.evidence = fired->evidence;
    x.headline.push_back(fmt::format("The detector {} fires at turn {}: {}", fired->name,
                                     fired->turn, fired->summary));
    x.headline.push_back(essential_line(x.essential, x.steps));
  } else {
    name_block(x, rec, ep.trace, discovery, suite);
  }
  return x;
}

std::string explanation_text(const Explanation& x) {
  std::string s;
  for (const std::string& line : x.headline) s += line + "\n";
  if (x.verdict == Verdict::kStale) {
    // Nothing was played: say why instead of an empty timeline.
    s += "\nNo timeline: the record is stale (" + x.reason + ").\n";
    return s;
  }
  s += "\nTimeline (* = essential step):\n";
  for (const ExplainEntry& e : x.timeline) {
    std::string line = fmt::format("  turn {:>2}  ", e.turn);
    if (e.kind == "tally") {
      line += e.what + ".";
      if (e.needed) line += " Needed: " + *e.needed + ".";
      if (e.honest) line += " " + *e.honest + ".";
      if (!e.clause.empty()) {
        line +=
            fmt::format(" {} Article {} ({}).",
                        e.ruling == "passed" ? "Passed under" : "Decided by", e.article, e.clause);
      }
    } else {
      if (!e.who.empty() && e.count == 1) line += e.who + " ";
      line += e.what + ".";
      if (e.kind == "refused") {
        line +=
            " Refused: " +
            e.ruling.substr(e.ruling.find(':') == std::string::npos ? 0 : e.ruling.find(':') + 2) +
            ".";
      } else if (!e.clause.empty() && e.kind == "event") {
        line += fmt::format(" Article {} ({}).", e.article, e.clause);
      } else if (!e.clause.empty()) {
        line += fmt::format(" Allowed under {} ({}).", e.article, e.clause);
      }
      if (e.steps > 0 && e.essential > 0) {
        line += e.steps == 1 || e.essential == e.steps
                    ? " *"
                    : fmt::format(" * ({} of {} essential)", e.essential, e.steps);
      }
    }
    s += line + "\n";
  }
  if (!x.evidence.empty()) {
    s += fmt::format("\nEvidence ({}, turn {}):\n", x.name, x.finding_turn);
    for (const auto& [k, v] : x.evidence) s += fmt::format("  {}: {}\n", k, v);
  }
  if (x.verdict == Verdict::kBlocked && !x.stops.empty()) {
    s += "\nWhat stopped it:\n";
    for (std::size_t i = 0; i < x.stops.size(); ++i) {
      const bool shared = i < x.also_on_discovery.size() && x.also_on_discovery[i];
      s += "  - " + x.stops[i] +
           (shared ? fmt::format(" (also on {})", x.discovery_kernel) : std::string()) + "\n";
    }
  }
  return s;
}

std::string explanation_json(const Explanation& x) {
  json timeline = json::array();
  for (const ExplainEntry& e : x.timeline) {
    json j{{"turn", e.turn},       {"kind", e.kind},           {"who", e.who},
           {"what", e.what},       {"ruling", e.ruling},       {"clause", e.clause},
           {"article", e.article}, {"essential", e.essential}, {"steps", e.steps}};
    if (e.kind == "tally") {
      j["yes"] = e.yes;
      j["no"] = e.no;
      j["abstain"] = e.abstain;
      j["eligible"] = e.eligible;
      j["needed"] = e.needed.value_or("");
      j["honest"] = e.honest.value_or("");
    }
    timeline.push_back(std::move(j));
  }
  json evidence = json::object();
  for (const auto& [k, v] : x.evidence) evidence[k] = v;
  json doc{{"schema", kExplainSchema},
           {"exploit_id", x.exploit_id},
           {"name", x.name},
           {"kernel", x.kernel},
           {"verdict", verdict_name(x.verdict)},
           {"reason", x.reason},
           {"perpetrators", x.perpetrators},
           {"headline", x.headline},
           {"timeline", timeline},
           {"finding",
            {{"summary", x.finding_summary}, {"turn", x.finding_turn}, {"evidence", evidence}}},
           {"stops", x.stops},
           {"block", x.block},
           {"discovery_kernel", x.discovery_kernel},
           {"also_on_discovery", x.also_on_discovery},
           {"steps", x.steps},
           {"essential", x.essential}};
  return doc.dump(1) + "\n";
}

}  // namespace fable
