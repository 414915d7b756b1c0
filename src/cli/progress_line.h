// The progress line of long commands (tournament, run, sweep, hunt, and the
// minimiser after them): issue 15 point 4.
//
// On a terminal, one line rewritten in place ("\r" + the text + clear to the
// end of the line), at most every kTerminalEvery; when stderr is not a
// terminal, a plain line every kPlainEvery, and none at all for a phase
// shorter than that. Example (a terminal, mid-run):
//
//   tournament: 12,345/40,000 episodes (30.9%)  14,210/s  ETA 0:02  findings 812 (19 distinct)
//
// The last line of a phase (done == total) says "done in M:SS" instead of an
// ETA; a phase stopped early (finish() before done == total: a time limit or
// an error) says "stopped after M:SS". Time comes from an injectable steady
// clock and text goes to an injectable sink, so tests pin the exact lines
// without sleeping. Nothing here reaches stdout or an artifact. Not
// thread-safe: one thread at a time calls update() and finish() (the
// tournament's consumer; the minimiser calls under its lock).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace fable::cli {

class ProgressLine {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  using Sink = std::function<void(std::string_view)>;

  static constexpr std::chrono::milliseconds kTerminalEvery{100};  // at most 10 lines a second
  static constexpr std::chrono::seconds kPlainEvery{5};

  // `label` starts the line ("tournament"), `unit` follows the counts
  // ("episodes"). `terminal` picks the updating line; `width` > 0 cuts a
  // terminal line to width - 1 characters (a longer line would wrap, and "\r"
  // would no longer return to its start); 0 leaves it whole.
  ProgressLine(std::string label, std::string unit, bool terminal, int width, Clock clock,
               Sink sink);

  // A line on stderr, or null when `quiet`: terminal and width from
  // isatty(stderr) and TIOCGWINSZ, std::chrono::steady_clock.
  static std::shared_ptr<ProgressLine> for_stderr(std::string label, std::string unit, bool quiet);

  // `done` of `total` units; `extra` ends the line ("findings 3 (1
  // distinct)"; may be empty). The first update starts a phase (its clock);
  // the update with done >= total ends it (always shown on a terminal, with a
  // newline; shown when not a terminal only if the phase has lasted at least
  // kPlainEvery). A later update starts a new phase (e.g. the verification
  // tournament of a seed config).
  // `before` (read when a phase starts): units done before this process
  // took the work up (a resumed run); the rate and the ETA count only the
  // units done since.
  void update(std::uint64_t done, std::uint64_t total, std::string extra = {},
              std::uint64_t before = 0);

  // Ends an unfinished phase: prints its latest state as "stopped after"
  // (always on a terminal; when not a terminal only if a line of the phase
  // was printed). Does nothing when no phase is open. Call it once the work
  // has returned, whether it succeeded or not, before printing anything else
  // on stderr.
  void finish();

 private:
  void print(std::chrono::steady_clock::time_point now, bool last, bool stopped);

  std::string label_;
  std::string unit_;
  bool terminal_;
  int width_;
  Clock clock_;
  Sink sink_;
  bool open_ = false;   // a phase is running
  bool shown_ = false;  // a line of this phase was printed
  std::chrono::steady_clock::time_point start_{};
  std::chrono::steady_clock::time_point last_print_{};
  std::uint64_t done_ = 0;
  std::uint64_t total_ = 0;
  std::uint64_t before_ = 0;
  std::string extra_;
};

// "12,345": digits grouped by three with commas.
std::string group_thousands(std::uint64_t n);

// Whole seconds as "M:SS", or "H:MM:SS" from an hour on.
std::string clock_text(std::uint64_t seconds);

// "findings 812 (19 distinct)": findings so far and the distinct
// fingerprints among them, the end of the episode commands' lines.
std::string findings_text(std::uint64_t findings, std::uint64_t distinct);

// Units per second: grouped whole numbers from 10 on ("14,210"), one
// decimal below ("2.5").
std::string rate_text(double per_second);

}  // namespace fable::cli
