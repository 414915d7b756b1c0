// Scripted episodes for detector tests: a cast of red-team members (red-01,
// ...) and honest citizens (blue-01, ...) plays turns from explicit plans on a
// kernel while the trace is recorded, so that a test runs the detector suite
// on exactly the moves it describes.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fable/detector.h"
#include "fable/engine.h"
#include "fable/trace.h"
#include "support/engine_test_support.h"
#include "support/roles.h"

namespace fable::testing {

class ScriptedEpisode {
 public:
  // `reds` citizens of `red_role` first (indices 0..reds-1), then `blues`
  // honest citizens.
  ScriptedEpisode(const Kernel& kernel, int reds, std::string_view red_role, int blues,
                  Money treasury = U(1000))
      : env_(kernel, ids(reds, blues), treasury, 0) {
    for (int i = 0; i < reds + blues; ++i) {
      const AgentRole role = role_named(i < reds ? red_role : "honest");
      trace_.participants.push_back({env_.state().citizens[static_cast<std::size_t>(i)].id, role,
                                     std::string(role_objective(role))});
    }
    trace_.matchup = "scripted";
    recorder_ = std::make_unique<TraceRecorder>(trace_, env_);
  }

  const WorldState& w() const { return env_.state(); }
  std::size_t n() const { return env_.state().citizens.size(); }
  std::int32_t next_turn() const { return env_.state().turn + 1; }
  Turn turn() const { return Turn(n()); }
  const EpisodeTrace& trace() const { return trace_; }

  void step(const Turn& t) {
    env_.step(t.plans);
    recorder_->after_step();
  }
  void idle(int turns) {
    for (int i = 0; i < turns; ++i) step(turn());
  }

  // Adds to `t`: `proposer` opens `items` (window 0 = the kernel's default)
  // in round 0, then `yes` and `no` vote in round 1. Returns the reference
  // to the proposal once `t` is played as the next turn.
  ProposalRef open(Turn& t, AgentIndex proposer, std::initializer_list<ProposalItem> items,
                   const std::vector<AgentIndex>& yes, const std::vector<AgentIndex>& no = {},
                   std::int32_t window = 0) const {
    t.at(proposer, 0, Action::propose(items, window));
    const ProposalRef ref = ProposalRef::by_origin(proposer, next_turn());
    for (AgentIndex v : yes) t.at(v, 1, Action::vote(ref, Choice::kYes));
    for (AgentIndex v : no) t.at(v, 1, Action::vote(ref, Choice::kNo));
    return ref;
  }

  // Opens `items` as open() does, plays that turn, then idles until the
  // proposal is tallied. Returns its id.
  std::int32_t pass(AgentIndex proposer, std::initializer_list<ProposalItem> items,
                    const std::vector<AgentIndex>& yes, const std::vector<AgentIndex>& no = {}) {
    const auto id = static_cast<std::int32_t>(w().proposals.size());
    Turn t = turn();
    open(t, proposer, items, yes, no);
    step(t);
    EXPECT_EQ(w().proposals.size(), static_cast<std::size_t>(id) + 1) << "proposal not opened";
    for (int guard = 0;
         guard < 100 && static_cast<std::size_t>(id) < w().proposals.size() &&
         (w().proposals[static_cast<std::size_t>(id)].status == ProposalStatus::kOpen ||
          w().proposals[static_cast<std::size_t>(id)].status == ProposalStatus::kCalled);
         ++guard) {
      step(turn());
    }
    return id;
  }

  // Every citizen on the roll now.
  std::vector<AgentIndex> on_roll() const {
    std::vector<AgentIndex> out;
    for (std::size_t i = 0; i < n(); ++i) {
      if (w().citizens[i].on_roll) out.push_back(static_cast<AgentIndex>(i));
    }
    return out;
  }
  // Indices [from, to).
  static std::vector<AgentIndex> range(AgentIndex from, AgentIndex to) {
    std::vector<AgentIndex> out;
    for (AgentIndex i = from; i < to; ++i) out.push_back(i);
    return out;
  }

  // The default suite's findings named `name`.
  std::vector<ExploitFinding> findings(std::string_view name) const {
    std::vector<ExploitFinding> out;
    for (ExploitFinding& f : default_suite().run(trace_)) {
      if (f.name == name) out.push_back(std::move(f));
    }
    return out;
  }

 private:
  static std::vector<std::string> ids(int reds, int blues) {
    std::vector<std::string> out;
    char buf[32];
    for (int k = 1; k <= reds; ++k) {
      std::snprintf(buf, sizeof buf, "red-%02d", k);
      out.emplace_back(buf);
    }
    for (int k = 1; k <= blues; ++k) {
      std::snprintf(buf, sizeof buf, "blue-%02d", k);
      out.emplace_back(buf);
    }
    return out;
  }

  Environment env_;
  EpisodeTrace trace_;
  std::unique_ptr<TraceRecorder> recorder_;
};

// The value of `key` in a finding's evidence ("<missing key>" if absent).
inline std::string evidence_of(const ExploitFinding& f, std::string_view key) {
  for (const auto& [k, v] : f.evidence) {
    if (k == key) return v;
  }
  return "<missing " + std::string(key) + ">";
}

}  // namespace fable::testing
