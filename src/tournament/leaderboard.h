// The tournament leaderboard: one row per matchup, accumulated episode by episode.
//
// `add` takes each consumed episode's score and findings; `rows` divides the
// sums into the means of LeaderboardRow (include/fable/tournament.h), sorted
// by matchup name. Sums are taken in the order episodes are added (job order),
// so the means are the same bit for bit for any thread count.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "fable/detector.h"
#include "fable/metrics.h"
#include "fable/tournament.h"

namespace fable {

class Leaderboard {
 public:
  void add(const std::string& matchup, const EpisodeScore& score,
           const std::vector<ExploitFinding>& findings);

  // One row per matchup seen, sorted by name, means over its episodes.
  std::vector<LeaderboardRow> rows() const;

 private:
  struct Sums {
    LeaderboardRow row;
    double score = 0, ratio = 0, treasury = 0, floor = 0;
    int captured = 0;
  };
  std::map<std::string, Sums> by_matchup_;
};

}  // namespace fable
