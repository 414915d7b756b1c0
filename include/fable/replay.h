// Replay: run a record's reproduction against any kernel and say what happens.
//
// The perpetrators are replaced by scripted agents replaying their recorded
// scripts; everyone else is re-simulated from the same seed (each agent has
// its own random stream, so the substitution changes nothing else). Verdicts:
// `reproduces` (the same fingerprint fires), `blocked` (it does not; the
// refusals and failed tallies that stopped the perpetrators are named) and
// `stale` (the script cannot be applied for a reason other than the kernel's
// rules: another engine version, participants the roster does not have, a
// ballot for a proposal that never existed). Stale is never reported as fixed.
#pragma once

#include <string>
#include <vector>

#include "fable/detector.h"
#include "fable/episode.h"
#include "fable/kernel.h"
#include "fable/record.h"

namespace fable {

enum class Verdict { kReproduces, kBlocked, kStale };
std::string_view verdict_name(Verdict v);  // "reproduces", "blocked", "stale"

struct ReplayResult {
  Verdict verdict = Verdict::kStale;
  std::string reason;              // one line: what fired, what stopped it, or why stale
  std::vector<std::string> stops;  // each refusal or failed tally of a perpetrator, in order
  std::vector<std::uint64_t> digests;
};

ReplayResult replay_record(const ExploitRecord& record, const Kernel& kernel,
                           const DetectorSuite& suite);

// The episode a reproduction describes, with the perpetrators scripted.
// Fails (stale) when the roster lacks a perpetrator.
Result<Population> reproduction_population(const Reproduction& r);

}  // namespace fable
