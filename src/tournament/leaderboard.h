// The tournament leaderboard: one row per matchup, accumulated episode by episode.
//
// `add` takes each consumed episode's score and findings; `rows` divides the
// sums into the means of LeaderboardRow (include/fable/tournament.h), counts
// the capture flags into rates with Wilson intervals (fable/proportion.h) and
// sorts the rows by matchup name. Sums are taken in the order episodes are
// added (job order), so the means are the same bit for bit for any thread
// count.
#pragma once

#include <array>
#include <map>
#include <string>
#include <vector>

#include "base/byte_io.h"
#include "fable/detector.h"
#include "fable/episode_metrics.h"
#include "fable/metrics.h"
#include "fable/objectives.h"
#include "fable/tournament.h"

namespace fable {

// The flag of objective `o` among `flags` (CaptureFlags has one per objective).
bool capture_flag(const CaptureFlags& flags, Objective o);

class Leaderboard {
 public:
  // `initial_treasury` in units divides treasury_final into the treasury
  // retention; `secondaries` are averaged into LeaderboardRow::secondary_means
  // in this order (none may be null).
  explicit Leaderboard(double initial_treasury = 0,
                       std::vector<const EpisodeMetric*> secondaries = {})
      : initial_treasury_(initial_treasury), secondaries_(std::move(secondaries)) {}

  void add(const std::string& matchup, const EpisodeScore& score,
           const std::vector<ExploitFinding>& findings);

  // One row per matchup seen, sorted by name, means over its episodes.
  std::vector<LeaderboardRow> rows() const;

  // The accumulators, written and read back exactly (doubles by their bit
  // pattern) for a checkpoint (tournament/checkpoint.h): a leaderboard read
  // back adds the next episodes to the same bits. `load` replaces what this
  // leaderboard holds; input out of range fails the reader (ByteReader::ok).
  void save(ByteWriter& w) const;
  void load(ByteReader& r);

 private:
  struct Sums {
    LeaderboardRow row;
    double score = 0, ratio = 0, treasury = 0, floor = 0;
    double worst_off = 0, gini = 0, retention = 0, participation = 0;
    int captured = 0;
    std::array<int, kObjectiveCount> captured_by_objective{};
    std::vector<double> secondaries;
  };
  double initial_treasury_;
  std::vector<const EpisodeMetric*> secondaries_;
  std::map<std::string, Sums> by_matchup_;
};

}  // namespace fable
