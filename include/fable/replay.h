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
//
// A record's discovery kernel is found by name and version (reproduction's
// kernel_name, kernel_version) in a folder of kernel documents, and its
// content hash is the check: see find_discovery_kernel().
#pragma once

#include <cstdint>
#include <span>
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
// The options of the episode a reproduction describes: its turns (n_turns),
// initial treasury (milli-units), engine settings, matchup name and
// population model. The seed is passed to run_episode apart (r.seed).
EpisodeOptions reproduction_options(const Reproduction& r);
// The episode `r` describes (reproduction_population, reproduction_options,
// seed r.seed) played on `kernel` and judged by `suite`: what replay_record
// and the minimiser (fable/minimize.h) both read. Fails (kPrecondition, the
// reason a replay is stale) when `r` was recorded by another engine version
// or its roster lacks a perpetrator.
Result<EpisodeResult> play_reproduction(const Reproduction& r, const Kernel& kernel,
                                        const DetectorSuite& suite);

// One kernel document considered as a discovery kernel.
struct KernelFile {
  std::string path;
  std::string name;
  std::string version;  // "0.1.0"
  std::uint64_t content_hash = 0;
};

// The discovery kernel of `r` among `files` (searched in the order given):
// the first file whose name and version are r.kernel_name and r.kernel_version
// and whose content hash is r.kernel_hash. Errors (kInvalidArgument, naming
// `dir`): no file has that name and version; or files do, but none has the
// recorded hash: the document changed after the discovery, and the record is
// not replayed on other rules than it was found on (restore the document or
// name a kernel explicitly); or a file carries the recorded hash under another
// name or version: the record's claim contradicts its hash, and both are named.
// Returns the file's path.
Result<std::string> match_discovery_kernel(std::span<const KernelFile> files, const Reproduction& r,
                                           std::string_view dir);

// match_discovery_kernel() over every *.yaml document in `dir` that loads, in
// file-name order. Errors as above, and when `dir` is not a readable folder.
Result<std::string> find_discovery_kernel(const std::string& dir, const Reproduction& r);

// Checks a record's kernel claim against a kernel it is about to be replayed
// on (`replay --kernel`, `verify`): a kernel whose content hash is
// r.kernel_hash but whose name or version is not r.kernel_name and
// r.kernel_version shows the record's claim to be false (kInvalidArgument,
// naming the claim, the hash and `file`'s name and version). Any other kernel
// is fine: replaying on other rules on purpose is what --kernel is for.
Status check_kernel_claim(const Reproduction& r, const KernelFile& file);

}  // namespace fable
