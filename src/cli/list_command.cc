// `fable-selfplay list agents|detectors`: what the registries hold.
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "commands.h"
#include "fable/agent.h"
#include "fable/detector_registry.h"

namespace fable::cli {

namespace {

// "red team", "citizen", or "stand-in" for a kind no roster may name (the
// scripted replayer plays the side of the agent it replaces).
std::string_view side(AgentRole r) {
  if (!r.in_rosters()) return "stand-in";
  return r.red_team() ? "red team" : "citizen";
}

// One line per agent kind, in canonical roster order: name, side, description,
// then its aliases if it has any ("(aliases: treasury_drainer)").
int list_agents() {
  std::size_t width = 0;
  for (const AgentRole r : agent_roles()) width = std::max(width, r.name().size());
  for (const AgentRole r : agent_roles()) {
    std::string aliases;
    for (const std::string& a : r.aliases()) {
      if (!aliases.empty()) aliases += ", ";
      aliases += a;
    }
    fmt::print("{:<{}}  {:<8}  {}{}\n", r.name(), width, side(r), r.description(),
               aliases.empty() ? std::string() : fmt::format(" (aliases: {})", aliases));
  }
  return kExitOk;
}

// One line per detector, by name: name, category, description.
int list_detectors() {
  std::size_t width = 0;
  for (const DetectorKind* d : detector_kinds()) width = std::max(width, d->name.size());
  for (const DetectorKind* d : detector_kinds()) {
    fmt::print("{:<{}}  {:<9}  {}\n", d->name, width, category_name(d->category), d->description);
  }
  return kExitOk;
}

}  // namespace

void register_list_command(CLI::App& app, int& exit_code) {
  CLI::App* list = app.add_subcommand("list", "List the registered agent kinds or detectors");
  list->require_subcommand(1);
  list->add_subcommand("agents",
                       "Agent kinds, one line each in roster order: name, side (red team, "
                       "citizen or stand-in), description, aliases")
      ->callback([&exit_code] { exit_code = list_agents(); });
  list->add_subcommand("detectors", "Detectors, one line each by name: name, category, description")
      ->callback([&exit_code] { exit_code = list_detectors(); });
}

}  // namespace fable::cli
