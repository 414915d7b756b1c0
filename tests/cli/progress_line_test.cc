// The progress line of long commands (src/cli/progress_line.h): the exact
// lines on a terminal and off it, their rate, ETA and throttling, under a
// clock the test moves by hand (nothing sleeps).
#include "cli/progress_line.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fable::cli {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A ProgressLine whose clock and output the test holds.
struct Bench {
  std::chrono::steady_clock::time_point now{};
  std::vector<std::string> lines;
  ProgressLine line;

  Bench(std::string label, std::string unit, bool terminal, int width = 0)
      : line(
            std::move(label), std::move(unit), terminal, width, [this] { return now; },
            [this](std::string_view text) { lines.emplace_back(text); }) {}
};

TEST(ProgressLine, NumbersClocksAndRates) {
  EXPECT_EQ(group_thousands(0), "0");
  EXPECT_EQ(group_thousands(999), "999");
  EXPECT_EQ(group_thousands(1000), "1,000");
  EXPECT_EQ(group_thousands(40000), "40,000");
  EXPECT_EQ(group_thousands(1234567), "1,234,567");
  EXPECT_EQ(clock_text(0), "0:00");
  EXPECT_EQ(clock_text(59), "0:59");
  EXPECT_EQ(clock_text(61), "1:01");
  EXPECT_EQ(clock_text(3600), "1:00:00");
  EXPECT_EQ(clock_text(3725), "1:02:05");
  EXPECT_EQ(rate_text(0), "0.0");
  EXPECT_EQ(rate_text(2.46), "2.5");
  EXPECT_EQ(rate_text(9.94), "9.9");
  EXPECT_EQ(rate_text(14210.4), "14,210");
  EXPECT_EQ(findings_text(812, 19), "findings 812 (19 distinct)");
  EXPECT_EQ(findings_text(12345, 0), "findings 12,345 (0 distinct)");
}

TEST(ProgressLine, ATerminalLineIsRewrittenAtMostTenTimesASecond) {
  Bench b("tournament", "episodes", true);
  b.line.update(1000, 40000, "findings 10 (2 distinct)");  // starts the clock
  b.now += milliseconds(50);
  b.line.update(2000, 40000, "findings 20 (2 distinct)");
  EXPECT_TRUE(b.lines.empty());  // not 100 ms yet
  b.now += milliseconds(50);
  b.line.update(4000, 40000, "findings 40 (3 distinct)");
  b.now += milliseconds(99);
  b.line.update(6000, 40000, "findings 60 (3 distinct)");  // 99 ms after the last line
  b.now = std::chrono::steady_clock::time_point{} + seconds(3);
  b.line.update(40000, 40000, "findings 812 (19 distinct)");  // the last: always shown
  b.line.finish();                                            // nothing left open
  EXPECT_EQ(b.lines, (std::vector<std::string>{
                         "\rtournament: 4,000/40,000 episodes (10.0%)  40,000/s  ETA 0:01  "
                         "findings 40 (3 distinct)\x1b[K",
                         "\rtournament: 40,000/40,000 episodes (100.0%)  13,333/s  done in 0:03  "
                         "findings 812 (19 distinct)\x1b[K\n",
                     }));
}

TEST(ProgressLine, OffATerminalAPlainLineEveryFiveSecondsAndNoneForAShortPhase) {
  Bench b("run", "episodes", false);
  // A phase of 4.9 s prints nothing, not even its end.
  b.line.update(1, 10);
  b.now += seconds(4);
  b.line.update(9, 10);
  b.now += milliseconds(900);
  b.line.update(10, 10);
  EXPECT_TRUE(b.lines.empty());
  // A new phase starts its own clock.
  b.now += seconds(5);
  b.line.update(1, 100);
  b.now += milliseconds(4999);
  b.line.update(49, 100);
  b.now += milliseconds(1);
  b.line.update(50, 100);
  b.now += seconds(2);
  b.line.update(60, 100);
  b.now += milliseconds(3400);
  b.line.update(100, 100);
  EXPECT_EQ(b.lines, (std::vector<std::string>{
                         "run: 50/100 episodes (50.0%)  10/s  ETA 0:05\n",
                         "run: 100/100 episodes (100.0%)  9.6/s  done in 0:10\n",
                     }));
}

// A resumed run starts at the checkpoint: the episodes done before it count
// in the fraction but not in the rate or the ETA.
TEST(ProgressLine, AResumedRunsRateCountsOnlyWhatThisProcessDid) {
  Bench b("tournament", "episodes", false);
  b.line.update(601, 1000, {}, 600);
  b.now += seconds(5);
  b.line.update(650, 1000, {}, 600);
  b.now += seconds(5);
  b.line.update(700, 1000, {}, 600);
  EXPECT_EQ(b.lines, (std::vector<std::string>{
                         "tournament: 650/1,000 episodes (65.0%)  10/s  ETA 0:35\n",
                         "tournament: 700/1,000 episodes (70.0%)  10/s  ETA 0:30\n",
                     }));
}

TEST(ProgressLine, FinishEndsAPhaseStoppedEarly) {
  Bench tty("hunt", "executions", true);
  tty.line.update(5, 100, "corpus 3");
  tty.now += seconds(2);
  tty.line.finish();
  tty.line.finish();  // once only
  EXPECT_EQ(tty.lines, (std::vector<std::string>{
                           "\rhunt: 5/100 executions (5.0%)  2.5/s  stopped after 0:02  "
                           "corpus 3\x1b[K\n",
                       }));
  // Off a terminal, a phase that never printed stays silent.
  Bench plain("hunt", "executions", false);
  plain.line.update(5, 100);
  plain.now += seconds(2);
  plain.line.finish();
  EXPECT_TRUE(plain.lines.empty());
  // ... and one that did prints where it stopped.
  plain.line.update(5, 100);
  plain.now += seconds(5);
  plain.line.update(50, 100);
  plain.now += seconds(1);
  plain.line.finish();
  EXPECT_EQ(plain.lines, (std::vector<std::string>{
                             "hunt: 50/100 executions (50.0%)  10/s  ETA 0:05\n",
                             "hunt: 50/100 executions (50.0%)  8.3/s  stopped after 0:06\n",
                         }));
}

TEST(ProgressLine, NoRateBeforeTimePassesAndATerminalLineIsCutToItsWidth) {
  Bench b("sweep", "episodes", true);
  b.line.update(10, 10);
  EXPECT_EQ(
      b.lines,
      (std::vector<std::string>{"\rsweep: 10/10 episodes (100.0%)  -/s  done in 0:00\x1b[K\n"}));
  Bench narrow("tournament", "episodes", true, 20);
  narrow.line.update(1, 4);
  narrow.now += milliseconds(100);
  narrow.line.update(2, 4);
  EXPECT_EQ(narrow.lines, (std::vector<std::string>{"\rtournament: 2/4 epi\x1b[K"}));
}

TEST(ProgressLine, QuietMeansNoLine) {
  EXPECT_EQ(ProgressLine::for_stderr("tournament", "episodes", true), nullptr);
  EXPECT_NE(ProgressLine::for_stderr("tournament", "episodes", false), nullptr);
}

}  // namespace
}  // namespace fable::cli
