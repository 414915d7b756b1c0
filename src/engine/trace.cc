// Snapshots, voting weights and the trace recorder; JSON is in trace_json.cc.
#include "fable/trace.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "base/shared_prefix.h"
#include "fable/metrics.h"

namespace fable {

namespace {

// Writes each citizen's voting weight through `weight_of(i, weight)`, using
// a per-thread scratch buffer so that a snapshot allocates nothing.
template <typename Sink>
void each_voting_weight(const WorldState& w, Sink&& weight_of) {
  const Params& p = w.params();
  const std::size_t n = w.citizens.size();
  thread_local std::vector<std::int32_t> carried;
  carried.assign(n, 0);
  const int max_hops = p.delegation_max_depth ? *p.delegation_max_depth : static_cast<int>(n);
  // Only delegators carry anything: `delegating` lists exactly the citizens
  // with a delegate (WorldState's invariant), usually none.
  for (const AgentIndex i : w.delegating) {
    const Citizen& c = w.citizens[static_cast<std::size_t>(i)];
    if (!c.on_roll || c.delegate == kNoAgent) continue;
    AgentIndex cur = c.delegate;
    for (int hop = 1; hop <= max_hops && cur != kNoAgent && w.citizens[cur].on_roll; ++hop) {
      if (w.citizens[cur].delegate == kNoAgent) {
        ++carried[cur];
        break;
      }
      cur = w.citizens[cur].delegate;
    }
  }
  std::int32_t cap = static_cast<std::int32_t>(n);
  if (p.delegation_max_weight_frac) {
    cap = static_cast<std::int32_t>(
        std::ceil(*p.delegation_max_weight_frac * static_cast<double>(w.roll_size)));
  }
  for (std::size_t i = 0; i < n; ++i) {
    const Citizen& c = w.citizens[i];
    weight_of(i, c.on_roll && c.delegate == kNoAgent ? 1 + std::min(carried[i], cap) : 0);
  }
}

}  // namespace

std::vector<std::int32_t> voting_weights(const WorldState& w) {
  std::vector<std::int32_t> weight(w.citizens.size(), 0);
  each_voting_weight(w, [&](std::size_t i, std::int32_t v) { weight[i] = v; });
  return weight;
}

TurnSnapshot TurnSnapshot::from_state(const WorldState& w) {
  TurnSnapshot s;
  s.assign(w);
  return s;
}

void TurnSnapshot::assign(const WorldState& w) {
  turn = w.turn;
  epoch = w.epoch;
  treasury = w.treasury;
  roll_size = w.roll_size;
  emergency_active = w.emergency.active;
  citizens.resize(w.citizens.size());
  const WelfareOf welfare(w);
  for (std::size_t i = 0; i < w.citizens.size(); ++i) {
    const Citizen& c = w.citizens[i];
    CitizenSnapshot& cs = citizens[i];
    cs.balance = c.balance;
    cs.welfare = welfare(c);
    cs.offices = c.offices;
    cs.on_roll = c.on_roll;
    cs.exited = c.exited;
    cs.council = c.council;
  }
  each_voting_weight(w, [&](std::size_t i, std::int32_t v) { citizens[i].weight = v; });
}

void TraceSpares::take_from(EpisodeTrace& trace) {
  // Last first: the next trace takes them from the back, so its turn t and
  // proposal p get those of this one (the same room when it is alike).
  for (auto s = trace.snapshots.rbegin(); s != trace.snapshots.rend(); ++s) {
    if (s->citizens.capacity() == 0) continue;
    s->citizens.clear();
    citizens.push_back(std::move(s->citizens));
  }
  trace.snapshots.clear();
  for (auto p = trace.proposals.rbegin(); p != trace.proposals.rend(); ++p) {
    if (p->items.capacity() == 0) continue;
    p->items.clear();
    items.push_back(std::move(p->items));
  }
  trace.proposals.clear();
}

std::vector<AgentIndex> EpisodeTrace::red_team() const {
  std::vector<AgentIndex> out;
  for (std::size_t i = 0; i < participants.size(); ++i) {
    if (is_red_team(participants[i].role)) out.push_back(static_cast<AgentIndex>(i));
  }
  return out;
}

EpisodeTrace::Lengths EpisodeTrace::lengths() const {
  return {snapshots.size(), events.size(), proposals.size(), refused_proposals.size(),
          digests.size()};
}

void EpisodeTrace::assign_after(const EpisodeTrace& other, const Lengths& kept) {
  assert(seed == other.seed && participants.size() == other.participants.size());
  assign_after_shared(snapshots, other.snapshots, kept.snapshots);
  assign_after_shared(events, other.events, kept.events);
  assign_after_shared(proposals, other.proposals, kept.proposals);
  assign_after_shared(refused_proposals, other.refused_proposals, kept.refused_proposals);
  assign_after_shared(digests, other.digests, kept.digests);
}

Params EpisodeTrace::final_params() const {
  Params p = kernel ? kernel->params() : default_params();
  for (const Event& e : events) {
    if (e.kind == EventKind::kAmendmentInForce) set_param(p, e.param, e.after);
  }
  return p;
}

TraceRecorder::TraceRecorder(EpisodeTrace& trace, const Environment& env, TraceSpares* spares)
    : trace_(trace), env_(env), spares_(spares) {
  trace_.seed = env.seed();
  trace_.settings = env.settings();
  trace_.initial_treasury = env.state().initial_treasury;
  trace_.kernel = env.state().kernel;
  record_snapshot();
  trace_.digests.assign(env.digests().begin(), env.digests().end());
  events_seen_ = env.state().log.size();
  // As much room as the engine's log has: the trace copies it turn by turn.
  trace_.events.reserve(env.state().log.capacity());
}

TraceRecorder TraceRecorder::resume(EpisodeTrace& trace, const Environment& env) {
  return TraceRecorder(trace, env, env.state().log.size());
}

void TraceRecorder::record_snapshot() {
  TurnSnapshot& s = trace_.snapshots.emplace_back();
  if (spares_ != nullptr && !spares_->citizens.empty()) {
    s.citizens = std::move(spares_->citizens.back());
    spares_->citizens.pop_back();
  }
  s.assign(env_.state());
}

void TraceRecorder::after_step() {
  const WorldState& w = env_.state();
  record_snapshot();
  const std::size_t first = trace_.events.size();
  trace_.events.insert(trace_.events.end(),
                       w.log.begin() + static_cast<std::ptrdiff_t>(events_seen_), w.log.end());
  events_seen_ = w.log.size();
  // Refused proposals' contents, re-addressed into the trace's own list (none
  // in most episodes: then the new events are not walked again).
  const std::size_t last = w.refused_proposals.empty() ? first : trace_.events.size();
  for (std::size_t i = first; i < last; ++i) {
    Event& e = trace_.events[i];
    if (e.attempt < 0) continue;
    trace_.refused_proposals.push_back(w.refused_proposals[static_cast<std::size_t>(e.attempt)]);
    e.attempt = static_cast<std::int32_t>(trace_.refused_proposals.size()) - 1;
  }
  for (std::size_t id = trace_.proposals.size(); id < w.proposals.size(); ++id) {
    const Proposal& p = w.proposals[id];
    ProposalInfo& info = trace_.proposals.emplace_back();
    if (spares_ != nullptr && !spares_->items.empty()) {
      info.items = std::move(spares_->items.back());
      spares_->items.pop_back();
    }
    info.id = p.id;
    info.proposer = p.proposer;
    info.opened_turn = p.opened_turn;
    info.ordinal = p.ordinal;
    info.last_turn = p.last_turn;
    info.window = p.window;
    info.items.assign(p.items.begin(), p.items.begin() + p.item_count);
  }
  trace_.digests.push_back(env_.digests().back());
}

}  // namespace fable
