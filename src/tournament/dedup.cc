// Fingerprint dedup; see src/tournament/dedup.h.
#include "tournament/dedup.h"

#include <algorithm>
#include <cstdint>
#include <optional>

#include <fmt/format.h>

#include "base/json_util.h"
#include "fable/agent.h"
#include "fable/limits.h"
#include "tournament/wire_parts.h"

namespace fable {

namespace {

// `agent`'s script in `trace`, without the refused steps no record can hold
// (json_util::recordable): a record must read back.
std::vector<ScriptStep> recordable_script(const EpisodeTrace& trace, AgentIndex agent,
                                          const std::vector<std::string>& ids) {
  std::vector<ScriptStep> script = extract_script(trace, agent);
  std::erase_if(script, [&](const ScriptStep& s) {
    return !json_util::recordable(s.action, json_util::Ids{ids});
  });
  return script;
}

}  // namespace

DedupScripts dedup_scripts(const EpisodeTrace& trace, const ExploitFinding& finding,
                           std::span<const AgentIndex> scripted) {
  DedupScripts out;
  const auto& participants = trace.participants;
  std::vector<std::string> ids;
  ids.reserve(participants.size());
  for (const ParticipantInfo& p : participants) ids.push_back(p.id);
  if (!scripted.empty()) {
    for (AgentIndex i : scripted) {
      if (i < 0 || static_cast<std::size_t>(i) >= participants.size()) continue;
      std::vector<ScriptStep> script = recordable_script(trace, i, ids);
      if (script.empty()) continue;
      out.perpetrators.push_back(participants[static_cast<std::size_t>(i)].id);
      out.scripts[participants[static_cast<std::size_t>(i)].id] = std::move(script);
    }
    std::sort(out.perpetrators.begin(), out.perpetrators.end());
    return out;
  }
  out.perpetrators = finding.actors;
  for (const std::string& actor : finding.actors) {
    for (std::size_t i = 0; i < participants.size(); ++i) {
      if (participants[i].id == actor) {
        out.scripts[actor] = recordable_script(trace, static_cast<AgentIndex>(i), ids);
      }
    }
  }
  return out;
}

bool DedupCandidates::note(const ExploitFinding& finding) {
  const auto [it, first] = most_severe_.emplace(finding.fingerprint, finding.severity);
  if (first) return true;
  if (finding.severity <= it->second) return false;
  it->second = finding.severity;
  return true;
}

bool DedupCandidates::note_all(const std::vector<ExploitFinding>& findings) {
  bool any = false;
  for (const ExploitFinding& f : findings) any = note(f) || any;
  return any;
}

namespace {

// Occurrences stop at kMaxOccurrences (fable/limits.h): a tournament of
// kMaxSeeds seeds and many matchups could count past what a record holds.
int add_occurrences(int a, int b) {
  return static_cast<int>(std::min<std::int64_t>(std::int64_t{a} + b, limits::kMaxOccurrences));
}

}  // namespace

DedupEntry* FingerprintDedup::count(const ExploitFinding& f) {
  auto it = by_fingerprint_.find(f.fingerprint);
  if (it == by_fingerprint_.end()) {
    it = by_fingerprint_.emplace(f.fingerprint, DedupEntry{}).first;
    it->second.first_seen = by_fingerprint_.size();
  } else if (f.severity <= it->second.finding.severity) {
    // Not more severe: the first one stays.
    it->second.occurrences = add_occurrences(it->second.occurrences, 1);
    return nullptr;
  }
  it->second.occurrences = add_occurrences(it->second.occurrences, 1);
  return &it->second;
}

void FingerprintDedup::merge(const DedupEntry& entry) {
  auto it = by_fingerprint_.find(entry.finding.fingerprint);
  if (it == by_fingerprint_.end()) {
    it = by_fingerprint_.emplace(entry.finding.fingerprint, entry).first;
    it->second.first_seen = by_fingerprint_.size();
    return;
  }
  DedupEntry& kept = it->second;
  const int occurrences = add_occurrences(kept.occurrences, entry.occurrences);
  if (entry.finding.severity > kept.finding.severity) {
    const std::size_t first_seen = kept.first_seen;
    kept = entry;
    kept.first_seen = first_seen;
  }
  kept.occurrences = occurrences;
}

std::vector<const DedupEntry*> FingerprintDedup::in_first_seen_order() const {
  std::vector<const DedupEntry*> out;
  out.reserve(by_fingerprint_.size());
  for (const auto& [fp, e] : by_fingerprint_) out.push_back(&e);
  std::sort(out.begin(), out.end(),
            [](const DedupEntry* a, const DedupEntry* b) { return a->first_seen < b->first_seen; });
  return out;
}

void FingerprintDedup::add(const EpisodeResult& episode, const std::string& matchup,
                           const Roster& roster, std::span<const AgentIndex> scripted) {
  // With scripted participants the scripts are theirs whatever the finding:
  // read once for the episode, copied to every entry kept.
  std::optional<DedupScripts> shared;
  for (const ExploitFinding& f : episode.findings) {
    DedupEntry* e = count(f);
    if (e == nullptr) continue;
    e->finding = f;
    e->matchup = matchup;
    e->roster = roster;
    e->seed = episode.seed;
    if (!scripted.empty()) {
      if (!shared) shared = dedup_scripts(episode.trace, f, scripted);
      e->perpetrators = shared->perpetrators;
      e->scripts = shared->scripts;
      continue;
    }
    DedupScripts kept = dedup_scripts(episode.trace, f, scripted);
    e->perpetrators = std::move(kept.perpetrators);
    e->scripts = std::move(kept.scripts);
  }
}

Status FingerprintDedup::add_shipped(std::uint64_t seed,
                                     const std::vector<ExploitFinding>& findings,
                                     const std::vector<std::optional<DedupScripts>>& scripts,
                                     const std::string& matchup, const Roster& roster) {
  if (scripts.size() != findings.size())
    return Status::Internal("a shipped episode has scripts for a different number of findings");
  for (std::size_t i = 0; i < findings.size(); ++i) {
    const ExploitFinding& f = findings[i];
    DedupEntry* e = count(f);
    if (e == nullptr) continue;
    if (!scripts[i]) {
      return Status::Internal(
          fmt::format("a shipped finding kept by the dedup came without its scripts ({} seed {})",
                      matchup, seed));
    }
    e->finding = f;
    e->matchup = matchup;
    e->roster = roster;
    e->seed = seed;
    e->perpetrators = scripts[i]->perpetrators;
    e->scripts = scripts[i]->scripts;
  }
  return Status::Ok();
}

std::vector<const DedupEntry*> FingerprintDedup::ordered() const {
  std::vector<const DedupEntry*> ordered;
  for (const auto& [fingerprint, e] : by_fingerprint_) ordered.push_back(&e);
  std::stable_sort(ordered.begin(), ordered.end(), [](const DedupEntry* a, const DedupEntry* b) {
    if (a->finding.severity != b->finding.severity)
      return a->finding.severity > b->finding.severity;
    if (a->finding.category != b->finding.category)
      return category_name(a->finding.category) < category_name(b->finding.category);
    if (a->finding.name != b->finding.name) return a->finding.name < b->finding.name;
    return a->first_seen < b->first_seen;
  });
  return ordered;
}

std::vector<ExploitRecord> FingerprintDedup::records(int first_id, const Reproduction& run) const {
  std::vector<ExploitRecord> records;
  int next_id = first_id;
  for (const DedupEntry* e : ordered()) {
    ExploitRecord rec;
    rec.exploit_id = fmt::format("EXP-{:03d}", next_id++);
    rec.name = e->finding.name;
    rec.category = e->finding.category;
    rec.severity = e->finding.severity;
    rec.summary = e->finding.summary;
    rec.kernel_clauses = e->finding.kernel_clauses;
    rec.proposed_guard = e->finding.proposed_guard;
    rec.occurrences = e->occurrences;
    rec.first_matchup = e->matchup;
    rec.first_seed = e->seed;
    rec.first_turn = e->finding.turn;
    rec.fingerprint = e->finding.fingerprint;
    rec.reproduction = run;
    rec.reproduction.matchup = e->matchup;
    rec.reproduction.roster = e->roster;
    rec.reproduction.seed = e->seed;
    rec.reproduction.perpetrators = e->perpetrators;
    rec.reproduction.scripts = e->scripts;
    records.push_back(std::move(rec));
  }
  return records;
}

void FingerprintDedup::save(ByteWriter& w) const {
  const std::vector<const DedupEntry*> entries = in_first_seen_order();
  w.u64(entries.size());
  for (const DedupEntry* e : entries) {
    wire::put_finding(w, e->finding);
    w.str(e->matchup);
    w.u64(e->roster.entries.size());
    for (const RosterEntry& re : e->roster.entries) {
      w.str(re.role);
      w.i32(re.count);
    }
    w.u64(e->seed);
    w.i32(e->occurrences);
    w.u64(e->first_seen);
    wire::put_scripts(w, DedupScripts{e->perpetrators, e->scripts});
  }
}

void FingerprintDedup::load(ByteReader& r) {
  by_fingerprint_.clear();
  const std::size_t n = r.count(16);
  for (std::size_t i = 0; i < n && r.ok(); ++i) {
    DedupEntry e;
    e.finding = wire::get_finding(r);
    e.matchup = r.text();
    e.roster.entries.resize(r.count(12));
    for (RosterEntry& re : e.roster.entries) {
      re.role = r.text();
      re.count = r.i32();
    }
    // The roster rebuilds a population (minimisation, records): roles that
    // are registered, counts in range, as parse_roster enforces.
    if (r.ok() && !check_roster(e.roster).ok()) r.fail();
    e.seed = r.u64();
    e.occurrences = r.i32();
    e.first_seen = static_cast<std::size_t>(r.u64());
    DedupScripts scripts = wire::get_scripts(r);
    e.perpetrators = std::move(scripts.perpetrators);
    e.scripts = std::move(scripts.scripts);
    // Written in first-seen order, one entry per fingerprint.
    if (e.occurrences < 1 || e.occurrences > limits::kMaxOccurrences || e.first_seen != i + 1)
      r.fail();
    const std::string fingerprint = e.finding.fingerprint;
    if (!by_fingerprint_.emplace(fingerprint, std::move(e)).second) r.fail();
  }
  if (!r.ok()) by_fingerprint_.clear();
}

}  // namespace fable
