// Refused actions keep their payload: in the trace, through JSON, and in the
// scripts extracted from it, so that a scripted episode replays its refusals.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "fable/detector.h"
#include "fable/episode.h"
#include "fable/script.h"
#include "fable/trace.h"
#include "support/engine_test_support.h"
#include "support/kernels.h"
#include "support/roles.h"

namespace fable {
namespace {

using testing::role_named;
using testing::same_event;
using testing::U;

const Kernel& shipped(const char* file) {
  return testing::shipped_kernel(file);
}

constexpr AgentIndex kMe = 3;

// One step of every refused kind, and one refused by position.
std::vector<ScriptStep> refused_steps() {
  return {
      {1, 0, Action::propose({ProposalItem::spend(kAllCitizens, U(5000))}, 3)},  // too much
      {1, 1, Action::delegate(99)},                                              // no such citizen
      {1, 2, Action::transfer(0, U(1000), "tip")},                         // more than it holds
      {1, 3, Action::emergency_spend(1, U(7))},                            // no emergency
      {1, 4, Action::vote(ProposalRef::by_origin(0, 1, 5), Choice::kNo)},  // no such proposal
      {2, 5, Action::transfer(1, U(2), "late")},                           // beyond plan_length
  };
}

EpisodeResult play(const Kernel& k, Population& pop, std::uint64_t seed,
                   const EpisodeOptions& options) {
  const DetectorSuite none;
  return run_episode(k, pop, seed, options, none);
}

EpisodeOptions options() {
  EpisodeOptions o;
  o.turns = 3;
  o.settings.plan_length = 5;
  o.settings.initial_balance = U(10);
  return o;
}

EpisodeResult play_script(std::vector<ScriptStep> steps) {
  Population pop = make_population(3, 0, 0, 0);
  pop.push_back(std::make_unique<ScriptedAgent>("x-01", role_named("drainer"), std::move(steps)));
  return play(shipped("kernel-v0.1.yaml"), pop, 4, options());
}

std::vector<const Event*> refusals_of(const EpisodeTrace& t, AgentIndex who) {
  std::vector<const Event*> out;
  for (const Event& e : t.events) {
    if (e.kind == EventKind::kActionRejected && e.actor == who) out.push_back(&e);
  }
  return out;
}

TEST(RefusedPayload, EveryRefusedActionKeepsWhatWasAttempted) {
  const EpisodeResult r = play_script(refused_steps());
  const std::vector<const Event*> refused = refusals_of(r.trace, kMe);
  ASSERT_EQ(refused.size(), 6u);
  EXPECT_EQ(refused[0]->action, ActionKind::kPropose);
  ASSERT_EQ(refused[0]->attempt, 0);
  ASSERT_EQ(r.trace.refused_proposals.size(), 1u);
  EXPECT_EQ(r.trace.refused_proposals[0].window, 3);
  ASSERT_EQ(r.trace.refused_proposals[0].item_count, 1);
  EXPECT_EQ(r.trace.refused_proposals[0].items[0].amount, U(5000));
  EXPECT_EQ(refused[1]->target, 99);
  EXPECT_EQ(refused[2]->target, 0);
  EXPECT_EQ(refused[2]->amount, U(1000));
  EXPECT_EQ(refused[2]->memo.view(), "tip");
  EXPECT_EQ(refused[3]->target, 1);
  EXPECT_EQ(refused[3]->amount, U(7));
  EXPECT_EQ(refused[4]->choice, Choice::kNo);
  EXPECT_EQ(refused[5]->refusal, Refusal::kPlanTooLong);
  EXPECT_EQ(refused[5]->memo.view(), "late");
  for (const Event* e : refused) {
    if (e->action != ActionKind::kPropose) {
      EXPECT_EQ(e->attempt, -1);
    }
  }
}

TEST(RefusedPayload, JsonRoundTripKeepsThePayload) {
  const EpisodeResult r = play_script(refused_steps());
  const std::string text = trace_to_json(r.trace);
  EXPECT_NE(text.find("\"schema\": \"fable-trace/3\""), std::string::npos);
  EXPECT_NE(text.find("\"memo\": \"tip\""), std::string::npos);
  Result<EpisodeTrace> back = trace_from_json(text, "memory");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(trace_to_json(*back), text);
  ASSERT_EQ(back->events.size(), r.trace.events.size());
  for (std::size_t i = 0; i < back->events.size(); ++i) {
    EXPECT_TRUE(same_event(back->events[i], r.trace.events[i])) << "event " << i;
  }
  ASSERT_EQ(back->refused_proposals.size(), 1u);
  EXPECT_EQ(back->refused_proposals[0].items[0].target, kAllCitizens);
  EXPECT_EQ(back->refused_proposals[0].items[0].amount, U(5000));
  EXPECT_EQ(back->refused_proposals[0].window, 3);
}

TEST(RefusedPayload, VersionTwoTracesAreReadAndWrittenBackAsVersionTwo) {
  EpisodeResult r = play_script({{1, 0, Action::exit()}, {1, 1, Action::exit()}});
  r.trace.refusal_payloads = false;  // as read from fable-trace/2
  const std::string v2 = trace_to_json(r.trace);
  ASSERT_NE(v2.find("\"schema\": \"fable-trace/2\""), std::string::npos);
  Result<EpisodeTrace> back = trace_from_json(v2, "old.json");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_FALSE(back->refusal_payloads);
  EXPECT_EQ(trace_to_json(*back), v2);

  // A payload key in a /2 trace is not of that version: refused as unknown.
  const EpisodeResult full = play_script(refused_steps());
  std::string mixed = trace_to_json(full.trace);
  mixed.replace(mixed.find("fable-trace/3"), 13, "fable-trace/2");
  Result<EpisodeTrace> bad = trace_from_json(mixed, "mixed.json");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("mixed.json"), std::string::npos);
}

TEST(RefusedPayload, ExtractScriptRebuildsEachRefusedActionExactly) {
  const std::vector<ScriptStep> original = refused_steps();
  const EpisodeResult r = play_script(original);
  const std::vector<ScriptStep> s = extract_script(r.trace, kMe);
  ASSERT_EQ(s.size(), original.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const Action& got = s[i].action;
    const Action& want = original[i].action;
    EXPECT_EQ(s[i].turn, original[i].turn) << i;
    EXPECT_EQ(s[i].round, original[i].round) << i;
    EXPECT_EQ(got.kind, want.kind) << i;
    EXPECT_EQ(got.target, want.target) << i;
    EXPECT_EQ(got.amount, want.amount) << i;
    EXPECT_EQ(got.memo.view(), want.memo.view()) << i;
    EXPECT_EQ(got.choice, want.choice) << i;
    EXPECT_EQ(got.window, want.window) << i;
    ASSERT_EQ(got.item_count, want.item_count) << i;
    for (int k = 0; k < got.item_count; ++k) {
      EXPECT_EQ(got.items[k].kind, want.items[k].kind);
      EXPECT_EQ(got.items[k].target, want.items[k].target);
      EXPECT_EQ(got.items[k].amount, want.items[k].amount);
    }
  }
  // The ballot addressed a proposal that never existed: its reference resolves to nothing.
  EXPECT_EQ(s[4].action.proposal.id, -1);
  EXPECT_EQ(s[4].action.proposal.proposer, kNoAgent);

  // Played again from the extracted script: the same trace, refusals included.
  const EpisodeResult again = play_script(s);
  EXPECT_EQ(trace_to_json(again.trace), trace_to_json(r.trace));
}

// Live red teams on both shipped kernels, with one more agent whose every move
// is refused (live agents rarely try what the rules forbid): scripting every
// red agent and that one from their extracted scripts plays the same episode,
// event for event.
TEST(RefusedPayload, ScriptedEpisodesReproduceTheirRefusals) {
  std::size_t refused_proposes = 0, refused_other = 0;
  for (const char* file : {"kernel-v0.1.yaml", "kernel-v0.2.yaml"}) {
    const Kernel& k = shipped(file);
    for (const std::vector<int>& m : std::vector<std::vector<int>>{
             {5, 2, 0, 0}, {5, 0, 2, 0}, {5, 0, 0, 2}, {5, 1, 1, 1}, {3, 4, 0, 0}}) {
      for (std::uint64_t seed = 0; seed < 3; ++seed) {
        EpisodeOptions o;
        Population live = make_population(m[0], m[1], m[2], m[3]);
        live.push_back(
            std::make_unique<ScriptedAgent>("x-01", role_named("drainer"), refused_steps()));
        const EpisodeResult a = play(k, live, seed, o);
        Population scripted = make_population(m[0], m[1], m[2], m[3]);
        scripted.push_back(std::make_unique<ScriptedAgent>("x-01", role_named("drainer"),
                                                           std::vector<ScriptStep>{}));
        for (AgentIndex red : a.trace.red_team()) {
          const auto at = static_cast<std::size_t>(red);
          scripted[at] = std::make_unique<ScriptedAgent>(scripted[at]->id(), scripted[at]->role(),
                                                         extract_script(a.trace, red));
        }
        const EpisodeResult b = play(k, scripted, seed, o);
        EXPECT_EQ(b.trace.digests, a.trace.digests) << file << " seed " << seed;
        ASSERT_EQ(b.trace.events.size(), a.trace.events.size()) << file << " seed " << seed;
        for (std::size_t i = 0; i < a.trace.events.size(); ++i) {
          ASSERT_TRUE(same_event(b.trace.events[i], a.trace.events[i]))
              << file << " seed " << seed << " event " << i;
        }
        ASSERT_EQ(b.trace.refused_proposals.size(), a.trace.refused_proposals.size());
        for (std::size_t i = 0; i < a.trace.refused_proposals.size(); ++i) {
          const RefusedProposal& x = a.trace.refused_proposals[i];
          const RefusedProposal& y = b.trace.refused_proposals[i];
          EXPECT_EQ(x.window, y.window);
          ASSERT_EQ(x.item_count, y.item_count);
          for (int n = 0; n < x.item_count; ++n) EXPECT_EQ(x.items[n].amount, y.items[n].amount);
        }
        for (const Event& e : a.trace.events) {
          if (e.kind != EventKind::kActionRejected || e.round == kEndOfTurnRound) continue;
          (e.action == ActionKind::kPropose ? refused_proposes : refused_other) += 1;
        }
      }
    }
  }
  // The matrix must exercise refusals with a payload, or it proves nothing.
  EXPECT_GT(refused_proposes, 0u);
  EXPECT_GT(refused_other, 0u);
}

}  // namespace
}  // namespace fable
