// Fingerprint dedup: one exploit record per fingerprint over a tournament.
//
// Findings are added episode by episode in job order. Per fingerprint the
// dedup counts every occurrence and keeps the most severe instance, the first
// one seen on ties, with the episode's matchup, roster, seed and the
// perpetrators' action scripts. `records` orders the kept instances by
// (-severity, category name, detector name, first time the fingerprint was
// seen) and numbers them EXP-NNN from a first id. This is the seed's rule
// (include/fable/tournament.h, docs/tournament-format.md).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "fable/agent.h"
#include "fable/engine.h"
#include "fable/episode.h"
#include "fable/record.h"
#include "fable/script.h"

namespace fable {

// The kept instance of one fingerprint.
struct DedupEntry {
  ExploitFinding finding;
  std::string matchup;
  Roster roster;
  std::uint64_t seed = 0;
  std::vector<std::string> perpetrators;                   // ids, sorted
  std::map<std::string, std::vector<ScriptStep>> scripts;  // by perpetrator id
  int occurrences = 0;
  std::size_t first_seen = 0;  // 1 for the first fingerprint seen, 2 for the next, ...
};

class FingerprintDedup {
 public:
  // Counts each finding of `episode` under its fingerprint and keeps it when
  // it is the first of its fingerprint or more severe than the one kept.
  // The perpetrators (scripted on replay) are the finding's actors, or, when
  // `scripted` is not empty, those of these participants that acted (a
  // hunt's attackers have no behaviour of their own to re-simulate).
  void add(const EpisodeResult& episode, const std::string& matchup, const Roster& roster,
           std::span<const AgentIndex> scripted = {});

  std::size_t size() const { return by_fingerprint_.size(); }

  // The kept instances, ordered as above.
  std::vector<const DedupEntry*> ordered() const;

  // One record per kept instance, in `ordered()` order, ids EXP-NNN from
  // `first_id`. The run-wide fields of each reproduction (turns, treasury,
  // kernel, engine, settings) are copied from `run`; the episode's own
  // (matchup, roster, seed, perpetrators, scripts) come from the instance.
  std::vector<ExploitRecord> records(int first_id, const Reproduction& run) const;

 private:
  std::map<std::string, DedupEntry> by_fingerprint_;
};

}  // namespace fable
