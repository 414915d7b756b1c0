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
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/byte_io.h"
#include "fable/agent.h"
#include "fable/engine.h"
#include "fable/episode.h"
#include "fable/record.h"
#include "fable/script.h"
#include "fable/status.h"

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

// The perpetrators of one finding and their action scripts, as a record's
// reproduction holds them.
struct DedupScripts {
  std::vector<std::string> perpetrators;                   // ids, sorted
  std::map<std::string, std::vector<ScriptStep>> scripts;  // by perpetrator id
};

// The perpetrators and scripts FingerprintDedup::add keeps for `finding` of
// the episode whose trace is `trace` (`scripted` as there).
DedupScripts dedup_scripts(const EpisodeTrace& trace, const ExploitFinding& finding,
                           std::span<const AgentIndex> scripted = {});

// Which findings of a run a dedup may keep, seen from part of the run: a
// dedup keeps a finding only when no earlier finding of its fingerprint is
// as severe, so a finding that an earlier one seen here matches or beats
// can never be kept, whatever the other parts hold. A rank of a distributed
// run ships scripts only for the findings `note` lets through.
class DedupCandidates {
 public:
  // Whether `finding` is the first of its fingerprint noted here or more
  // severe than every one noted before; then notes it.
  bool note(const ExploitFinding& finding);

  // Notes every finding of `findings`, in order; whether `note` let one
  // through. A player that runs the detectors without texts
  // (FindingTexts::kSkip) and notes its own episodes in job order runs them
  // again with texts when this says so: every finding a dedup of the whole
  // run keeps then has its texts, as only what this player saw before can
  // rule one out.
  bool note_all(const std::vector<ExploitFinding>& findings);

 private:
  std::map<std::string, int> most_severe_;  // by fingerprint
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

  // The same for an episode played elsewhere, of which only the seed and
  // findings came, and scripts[i] (dedup_scripts of findings[i]) where the
  // sender's DedupCandidates let it through: the same entries as `add` on
  // the whole episode. Errors: Status::Internal when scripts.size() differs
  // from findings.size(), or a finding kept here came without its scripts
  // (a sender that broke the rule above).
  Status add_shipped(std::uint64_t seed, const std::vector<ExploitFinding>& findings,
                     const std::vector<std::optional<DedupScripts>>& scripts,
                     const std::string& matchup, const Roster& roster);

  // An entry another dedup of the same run kept (a hunt's island,
  // fable/hunt.h): its occurrences add to the count; it replaces the entry
  // kept here only when more severe (the one kept here stays on ties, and
  // keeps its first_seen); a new fingerprint is seen after every other.
  void merge(const DedupEntry& entry);

  std::size_t size() const { return by_fingerprint_.size(); }

  // The kept instances in the order their fingerprints were first seen.
  std::vector<const DedupEntry*> in_first_seen_order() const;

  // The kept instances, ordered as above.
  std::vector<const DedupEntry*> ordered() const;

  // One record per kept instance, in `ordered()` order, ids EXP-NNN from
  // `first_id`. The run-wide fields of each reproduction (turns, treasury,
  // kernel, engine, settings) are copied from `run`; the episode's own
  // (matchup, roster, seed, perpetrators, scripts) come from the instance.
  std::vector<ExploitRecord> records(int first_id, const Reproduction& run) const;

  // Every kept instance with its count and first_seen, written and read
  // back exactly for a checkpoint (tournament/checkpoint.h). `load`
  // replaces what this dedup holds; malformed input fails the reader
  // (ByteReader::ok) and leaves it empty.
  void save(ByteWriter& w) const;
  void load(ByteReader& r);

 private:
  // Counts `f` under its fingerprint; returns its entry when `f` is to be
  // kept (the first of its fingerprint or more severe), else nullptr.
  DedupEntry* count(const ExploitFinding& f);

  std::map<std::string, DedupEntry> by_fingerprint_;
};

}  // namespace fable
