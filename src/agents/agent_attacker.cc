// The attacker: a member of the coalition whose moves `hunt` chooses.
//
// It has no tactic of its own: in a hunt each attacker is replaced by a
// search agent that plays what the search inserts (include/fable/hunt.h),
// and in a record's reproduction by a scripted agent that replays it. Left
// to itself (an attacker in a tournament roster) it plays nothing.
#include <memory>

#include "fable/agent.h"
#include "fable/agent_registry.h"

namespace fable {

namespace {

class Attacker final : public Agent {
 public:
  Attacker(std::string id, AgentRole role) : Agent(std::move(id), role) {}
  std::unique_ptr<Agent> clone() const override { return std::make_unique<Attacker>(id(), role()); }
  void act(const Observation& obs, Rng& rng, Plan& plan) override {
    (void)obs;
    (void)rng;
    (void)plan;
  }
};

FABLE_REGISTER_AGENT({.name = "attacker",
                      .order = 100,
                      .red_team = true,
                      .description = "a coalition member whose moves the hunt's search chooses; "
                                     "plays nothing on its own",
                      .objective = "any objective the hunt pursues (docs/objectives.md)",
                      .make = make_agent_of<Attacker>,
                      .hunt_only = true});

}  // namespace

}  // namespace fable
