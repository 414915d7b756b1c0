// EpisodeScratch: results kept to be played over; see fable/episode_scratch.h.
#include "fable/episode_scratch.h"

#include <utility>

namespace fable {

void EpisodeScratch::recycle(EpisodeResult&& spent) {
  if (spent_.size() >= kMaxSpareResults) {
    spent = EpisodeResult{};  // freed here, as without a scratch
    return;
  }
  spares_.take_from(spent.trace);
  spent_.push_back(std::move(spent));
}

EpisodeResult EpisodeScratch::take() {
  if (spent_.empty()) return EpisodeResult{};
  EpisodeResult& old = spent_.back();
  // Every field starts as in a new result; only the lists below keep their
  // storage (emptied), so a field added to EpisodeResult or EpisodeTrace is
  // reset without being named here.
  EpisodeResult r;
  r.matchup = std::move(old.matchup);
  r.matchup.clear();
  r.findings = std::move(old.findings);
  r.findings.clear();
  r.rendered = std::move(old.rendered);
  r.rendered.clear();
  EpisodeTrace& t = r.trace;
  EpisodeTrace& o = old.trace;
  t.matchup = std::move(o.matchup);
  t.matchup.clear();
  t.engine_version = std::move(o.engine_version);
  t.engine_version.clear();
  t.participants = std::move(o.participants);  // elements stale: EpisodePlay overwrites them
  t.snapshots = std::move(o.snapshots);        // emptied by TraceSpares::take_from
  t.snapshots.clear();
  t.events = std::move(o.events);
  t.events.clear();
  t.proposals = std::move(o.proposals);  // emptied by TraceSpares::take_from
  t.proposals.clear();
  t.refused_proposals = std::move(o.refused_proposals);
  t.refused_proposals.clear();
  t.digests = std::move(o.digests);
  t.digests.clear();
  spent_.pop_back();
  return r;
}

}  // namespace fable
