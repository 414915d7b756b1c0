// The minimiser's passes and its budget; see include/fable/minimize.h.
#include "fable/minimize.h"

#include <algorithm>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "fable/agent_registry.h"
#include "fable/engine.h"
#include "fable/limits.h"
#include "fable/replay.h"
#include "fable/trace.h"
#include "records/minimize_edit.h"

namespace fable {

namespace {

namespace edit = minimize_edit;

// What one replay of a record shows: whether its finding fired with its harm
// and by its perpetrators, and the perpetrator steps the kernel refused, as
// (id, turn, round).
struct Judgement {
  bool ran = false;
  // A finding with the record's fingerprint fired with severity >= the
  // record's, at least one perpetrator is scripted, and every red-team actor
  // the finding names is a scripted perpetrator.
  bool fired = false;
  bool other_fired = false;  // another fingerprint fired
  std::string reason;
  std::string summary;  // of the finding that fired
  int turn = 0;         // when it first became true
  std::set<std::tuple<std::string, int, int>> refused;
};

// Whether `f` is the record's finding with its harm, done by scripted
// perpetrators (an unscripted tactic agent doing the harm tells another story).
bool keeps_finding(const ExploitFinding& f, const ExploitRecord& rec,
                   const std::vector<ParticipantInfo>& who) {
  if (f.fingerprint != rec.fingerprint || f.severity < rec.severity) return false;
  const std::vector<std::string>& perps = rec.reproduction.perpetrators;
  return std::all_of(f.actors.begin(), f.actors.end(), [&](const std::string& actor) {
    const auto p = std::find_if(who.begin(), who.end(),
                                [&](const ParticipantInfo& i) { return i.id == actor; });
    return p == who.end() || !p->role.red_team() ||
           std::binary_search(perps.begin(), perps.end(), actor);
  });
}

Judgement judge(const ExploitRecord& rec, const Kernel& kernel, const DetectorSuite& suite) {
  Judgement out;
  const Reproduction& r = rec.reproduction;
  Result<EpisodeResult> played = play_reproduction(r, kernel, suite);
  if (!played.ok()) {
    out.reason = played.status().message();
    return out;
  }
  const EpisodeResult& ep = *played;
  out.ran = true;
  const auto& who = ep.trace.participants;
  const auto found =
      std::find_if(ep.findings.begin(), ep.findings.end(),
                   [&](const ExploitFinding& f) { return keeps_finding(f, rec, who); });
  if (found != ep.findings.end() && !r.perpetrators.empty()) {
    out.fired = true;
    out.summary = found->summary;
    out.turn = found->turn;
  } else if (r.perpetrators.empty()) {
    out.reason = "no perpetrator is scripted";
  } else if (std::any_of(ep.findings.begin(), ep.findings.end(), [&](const ExploitFinding& f) {
               return f.fingerprint == rec.fingerprint;
             })) {
    out.reason = fmt::format(
        "its finding fires with less than severity {} or by a red-team agent that is not a "
        "scripted perpetrator",
        rec.severity);
  }
  out.other_fired =
      std::any_of(ep.findings.begin(), ep.findings.end(),
                  [&](const ExploitFinding& f) { return f.fingerprint != rec.fingerprint; });
  for (const Event& e : ep.trace.events) {
    // Refusals of the perpetrators' own actions; a passed proposal whose
    // execution the kernel refuses (execute_proposal) is no script step.
    if (e.kind != EventKind::kActionRejected || e.action == ActionKind::kExecuteProposal ||
        e.actor < 0 || static_cast<std::size_t>(e.actor) >= who.size())
      continue;
    const std::string& id = who[static_cast<std::size_t>(e.actor)].id;
    if (std::binary_search(r.perpetrators.begin(), r.perpetrators.end(), id)) {
      out.refused.emplace(id, e.turn, e.round);
    }
  }
  return out;
}

// Whether a perpetrator of this role, left unscripted, is an ordinary
// citizen: honest citizens, and roles that play nothing on their own
// (`attacker`). A tactic role left to itself would still attack, so such a
// perpetrator is removed only by becoming honest.
bool unscripted_is_ordinary(const Reproduction& r, const std::string& id) {
  const std::vector<std::string> ids = r.participant_ids();
  const Population pop = make_population(r.roster);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (ids[i] != id) continue;
    const AgentRole role = pop[i]->role();
    return !role.red_team() || role.hunt_only();
  }
  return false;
}

class Minimizer {
 public:
  Minimizer(ExploitRecord rec, const Kernel& kernel, const DetectorSuite& suite, int budget)
      : best_(std::move(rec)), kernel_(kernel), suite_(suite), budget_(budget) {}

  const ExploitRecord& best() const { return best_; }
  int replays() const { return replays_; }
  int other_findings() const { return other_findings_; }
  bool exhausted() const { return replays_ >= budget_; }

  // One replay of `rec` as it stands (counted).
  Judgement judge_best() {
    ++replays_;
    Judgement j = judge(best_, kernel_, suite_);
    if (j.fired) describe(j);
    return j;
  }

  // Replays `r`; adopts it when it reproduces legally.
  bool attempt(Reproduction r) {
    if (exhausted()) return false;
    ++replays_;
    ExploitRecord candidate = best_;
    candidate.reproduction = std::move(r);
    const Judgement j = judge(candidate, kernel_, suite_);
    if (!j.fired && j.other_fired) ++other_findings_;  // a shrink onto another finding
    if (!j.fired || !j.refused.empty()) return false;
    best_ = std::move(candidate);
    describe(j);
    return true;
  }

  // Drops the steps at the refused positions.
  bool drop_refused(const Judgement& j) {
    const auto steps = edit::all_steps(best_.reproduction);
    std::vector<bool> keep(steps.size(), true);
    for (std::size_t k = 0; k < steps.size(); ++k) {
      const ScriptStep& s = best_.reproduction.scripts.at(steps[k].agent)[steps[k].index];
      keep[k] = !j.refused.count({steps[k].agent, s.turn, s.round});
    }
    return attempt(edit::keep_steps(best_.reproduction, keep));
  }

  // Least n_turns that reproduces (binary search; `best_` always reproduces).
  void trim_turns() {
    int lo = 1, hi = best_.reproduction.n_turns;
    while (lo < hi && !exhausted()) {
      const int mid = lo + (hi - lo) / 2;
      if (attempt(edit::with_turns(best_.reproduction, mid))) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
  }

  // Removes perpetrator `id` either way; true when one was adopted.
  bool remove_perpetrator(const std::string& id) {
    if (auto honest = edit::perpetrator_to_honest(best_.reproduction, id); honest) {
      if (attempt(std::move(*honest))) return true;
    }
    if (unscripted_is_ordinary(best_.reproduction, id)) {
      return attempt(edit::perpetrator_unscripted(best_.reproduction, id));
    }
    return false;
  }

  void remove_perpetrators() {
    std::size_t i = 0;
    while (i < best_.reproduction.perpetrators.size() && !exhausted()) {
      const std::string id = best_.reproduction.perpetrators[i];  // best_ may change
      if (!remove_perpetrator(id)) ++i;
    }
  }

  // ddmin over all steps: remove chunks, from halves down to single steps.
  void ddmin() {
    std::size_t n = 2;
    while (!exhausted()) {
      const std::size_t len = edit::all_steps(best_.reproduction).size();
      if (len == 0) return;
      n = std::min(n, len);
      bool reduced = false;
      for (std::size_t c = 0; c < n && !reduced && !exhausted(); ++c) {
        std::vector<bool> keep(len, true);
        for (std::size_t k = c * len / n; k < (c + 1) * len / n; ++k) keep[k] = false;
        if (attempt(edit::keep_steps(best_.reproduction, keep))) {
          n = std::max<std::size_t>(n - 1, 2);
          reduced = true;
        }
      }
      if (!reduced) {
        if (n >= len) return;
        n = std::min(n * 2, len);
      }
    }
  }

  // Lowers every amount and explicit window to the least that reproduces.
  void lower_values() {
    for (const edit::StepRef& ref : edit::all_steps(best_.reproduction)) {
      const auto step = [&](Reproduction& r) -> Action& {
        return r.scripts.at(ref.agent)[ref.index].action;
      };
      const Action a = step(best_.reproduction);  // a copy: best_ changes as values drop
      if (a.kind == ActionKind::kTransfer || a.kind == ActionKind::kEmergencySpend) {
        lower(1, a.amount, [&](Reproduction& r, std::int64_t v) { step(r).amount = v; });
      }
      if (a.kind != ActionKind::kPropose) continue;
      for (std::size_t k = 0; k < a.item_count && k < a.items.size(); ++k) {
        if (a.items[k].kind != ItemKind::kSpend) continue;
        lower(1, a.items[k].amount,
              [&, k](Reproduction& r, std::int64_t v) { step(r).items[k].amount = v; });
      }
      if (a.window > 0) {
        lower(1, a.window, [&](Reproduction& r, std::int64_t v) {
          step(r).window = static_cast<std::int32_t>(v);
        });
      }
    }
  }

  void rename() {
    if (exhausted()) return;
    if (auto renamed = edit::renamed_by_first_appearance(best_.reproduction); renamed) {
      attempt(std::move(*renamed));
    }
  }

  // Removes the first single step or perpetrator whose removal still
  // reproduces; true when there is none (the record is 1-minimal).
  bool one_minimal() {
    const std::size_t len = edit::all_steps(best_.reproduction).size();
    for (std::size_t k = 0; k < len; ++k) {
      if (exhausted()) return false;
      std::vector<bool> keep(len, true);
      keep[k] = false;
      if (attempt(edit::keep_steps(best_.reproduction, keep))) return false;
    }
    const std::vector<std::string> perps = best_.reproduction.perpetrators;
    for (const std::string& id : perps) {
      if (exhausted()) return false;
      if (remove_perpetrator(id)) return false;
    }
    return !exhausted();
  }

 private:
  // The record says what its reproduction shows: the summary and first turn
  // of the finding on its replay (its severity, at least the record's, stays).
  // A record whose summary opens with words of its own before the finding's
  // (the canonical records name their hole) keeps those words.
  void describe(const Judgement& j) {
    if (!described_) {
      described_ = true;
      if (best_.summary.size() > j.summary.size() && best_.summary.ends_with(j.summary)) {
        preface_ = best_.summary.substr(0, best_.summary.size() - j.summary.size());
      }
    }
    best_.summary = preface_ + j.summary;
    best_.first_turn = j.turn;
  }

  // Binary search for the least value in [lo, current] that reproduces.
  template <typename Set>
  void lower(std::int64_t lo, std::int64_t current, Set set) {
    std::int64_t hi = current;
    while (lo < hi && !exhausted()) {
      const std::int64_t mid = lo + (hi - lo) / 2;
      Reproduction r = best_.reproduction;
      set(r, mid);
      if (attempt(std::move(r))) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
  }

  ExploitRecord best_;
  bool described_ = false;
  std::string preface_;  // the record's own words before the finding's summary
  const Kernel& kernel_;
  const DetectorSuite& suite_;
  int budget_;
  int replays_ = 0;
  int other_findings_ = 0;
};

}  // namespace

int script_step_count(const Reproduction& r) {
  std::size_t n = 0;
  for (const auto& [id, steps] : r.scripts) n += steps.size();
  return static_cast<int>(n);
}

bool reproduces_legally(const ExploitRecord& rec, const Kernel& kernel,
                        const DetectorSuite& suite) {
  const Judgement j = judge(rec, kernel, suite);
  return j.fired && j.refused.empty();
}

Result<MinimizeResult> minimize_record(const ExploitRecord& rec, const Kernel& kernel,
                                       const DetectorSuite& suite, const MinimizeOptions& options) {
  if (options.budget < 1 || options.budget > kMaxMinimizeBudget) {
    return Status::Invalid(fmt::format("minimize budget {} is out of range 1..{} replays",
                                       options.budget, kMaxMinimizeBudget));
  }
  Minimizer m(rec, kernel, suite, options.budget);
  const Judgement first = m.judge_best();
  if (!first.fired) {
    return Status::Precondition(fmt::format(
        "{} does not reproduce on {} v{}{}{}: nothing to minimise", rec.exploit_id, kernel.name(),
        kernel.version().to_string(), first.reason.empty() ? "" : ": ", first.reason));
  }
  if (!first.refused.empty() && !m.drop_refused(first)) {
    return Status::Precondition(fmt::format(
        "{} reproduces on {} v{} only with {} step(s) the kernel refuses; a minimised record "
        "keeps every step legal",
        rec.exploit_id, kernel.name(), kernel.version().to_string(), first.refused.size()));
  }
  bool one_minimal = false;
  m.trim_turns();
  m.remove_perpetrators();
  while (!m.exhausted()) {
    m.ddmin();
    m.trim_turns();
    m.lower_values();
    m.rename();
    if (m.one_minimal()) {
      one_minimal = true;
      break;
    }
  }
  MinimizeResult out;
  out.record = m.best();
  out.replays = m.replays();
  out.one_minimal = one_minimal;
  out.other_findings = m.other_findings();
  MinimizedFrom from;
  if (rec.minimized_from) {
    from = *rec.minimized_from;
    from.exploit_id = rec.exploit_id;  // the record it was shrunk from, not the root
    from.replays = static_cast<int>(std::min<std::int64_t>(
        static_cast<std::int64_t>(from.replays) + out.replays, limits::kMaxOccurrences));
  } else {
    from.exploit_id = rec.exploit_id;
    from.fingerprint = rec.fingerprint;
    from.steps = script_step_count(rec.reproduction);
    from.perpetrators = static_cast<int>(rec.reproduction.perpetrators.size());
    from.n_turns = rec.reproduction.n_turns;
    from.replays = out.replays;
  }
  from.one_minimal = one_minimal;
  out.record.minimized_from = from;
  return out;
}

}  // namespace fable
