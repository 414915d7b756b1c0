// Which perpetrator steps a reproduction needs; see essential_steps in include/fable/explain.h.
#include "fable/explain.h"

namespace fable {

std::vector<StepMark> essential_steps(const ExploitRecord& record, const Kernel& kernel,
                                      const DetectorSuite& suite) {
  std::vector<StepMark> out;
  const Reproduction& r = record.reproduction;
  const bool reproduces = replay_record(record, kernel, suite).verdict == Verdict::kReproduces;
  for (const std::string& agent : r.perpetrators) {
    const auto script = r.scripts.find(agent);
    if (script == r.scripts.end()) continue;
    for (std::size_t i = 0; i < script->second.size(); ++i) {
      StepMark m{agent, i, script->second[i].turn, script->second[i].round, false};
      if (reproduces) {
        ExploitRecord without = record;
        auto& steps = without.reproduction.scripts[agent];
        steps.erase(steps.begin() + static_cast<std::ptrdiff_t>(i));
        m.essential = replay_record(without, kernel, suite).verdict != Verdict::kReproduces;
      }
      out.push_back(std::move(m));
    }
  }
  return out;
}

}  // namespace fable
