// The progress line of long commands (progress_line.h).
#include "progress_line.h"

#include <algorithm>

#include <sys/ioctl.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <utility>

#include <fmt/format.h>

namespace fable::cli {

namespace {

double seconds_between(std::chrono::steady_clock::time_point from,
                       std::chrono::steady_clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

std::uint64_t whole_seconds(double seconds) {
  return seconds <= 0 ? 0 : static_cast<std::uint64_t>(std::llround(seconds));
}

}  // namespace

std::string group_thousands(std::uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string clock_text(std::uint64_t seconds) {
  const std::uint64_t h = seconds / 3600, m = seconds / 60 % 60, s = seconds % 60;
  if (h > 0) return fmt::format("{}:{:02}:{:02}", h, m, s);
  return fmt::format("{}:{:02}", m, s);
}

std::string rate_text(double per_second) {
  if (per_second < 10) return fmt::format("{:.1f}", per_second);
  return group_thousands(whole_seconds(per_second));
}

std::string findings_text(std::uint64_t findings, std::uint64_t distinct) {
  return fmt::format("findings {} ({} distinct)", group_thousands(findings),
                     group_thousands(distinct));
}

ProgressLine::ProgressLine(std::string label, std::string unit, bool terminal, int width,
                           Clock clock, Sink sink)
    : label_(std::move(label)),
      unit_(std::move(unit)),
      terminal_(terminal),
      width_(width),
      clock_(std::move(clock)),
      sink_(std::move(sink)) {}

std::shared_ptr<ProgressLine> ProgressLine::for_stderr(std::string label, std::string unit,
                                                       bool quiet) {
  if (quiet) return nullptr;
  const bool terminal = ::isatty(STDERR_FILENO) != 0;
  int width = 0;
  winsize size{};
  if (terminal && ::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0) width = size.ws_col;
  return std::make_shared<ProgressLine>(
      std::move(label), std::move(unit), terminal, width,
      [] { return std::chrono::steady_clock::now(); },
      [](std::string_view text) {
        std::fwrite(text.data(), 1, text.size(), stderr);
        std::fflush(stderr);
      });
}

void ProgressLine::update(std::uint64_t done, std::uint64_t total, std::string extra,
                          std::uint64_t before) {
  const auto now = clock_();
  if (!open_) {  // a new phase
    open_ = true;
    before_ = std::min(before, done);
    shown_ = false;
    start_ = now;
    last_print_ = now;
  }
  done_ = done;
  total_ = total;
  extra_ = std::move(extra);
  if (done >= total) {
    if (terminal_ || now - start_ >= kPlainEvery) print(now, true, false);
    open_ = false;
    return;
  }
  const std::chrono::steady_clock::duration every =
      terminal_ ? std::chrono::steady_clock::duration(kTerminalEvery)
                : std::chrono::steady_clock::duration(kPlainEvery);
  if (now - last_print_ >= every) print(now, false, false);
}

void ProgressLine::finish() {
  if (!open_) return;
  if (terminal_ || shown_) print(clock_(), false, true);
  open_ = false;
}

void ProgressLine::print(std::chrono::steady_clock::time_point now, bool last, bool stopped) {
  const double elapsed = seconds_between(start_, now);
  const double rate = elapsed > 0 ? static_cast<double>(done_ - before_) / elapsed : 0;
  std::string timing;
  if (last) {
    timing = "done in " + clock_text(whole_seconds(elapsed));
  } else if (stopped) {
    timing = "stopped after " + clock_text(whole_seconds(elapsed));
  } else if (rate > 0) {
    timing = "ETA " + clock_text(whole_seconds(static_cast<double>(total_ - done_) / rate));
  } else {
    timing = "ETA -";
  }
  const double percent =
      total_ == 0 ? 100.0 : 100.0 * static_cast<double>(done_) / static_cast<double>(total_);
  std::string text = fmt::format("{}: {}/{} {} ({:.1f}%)  {}/s  {}", label_, group_thousands(done_),
                                 group_thousands(total_), unit_, percent,
                                 elapsed > 0 ? rate_text(rate) : "-", timing);
  if (!extra_.empty()) text += "  " + extra_;
  if (terminal_) {
    if (width_ > 0 && text.size() >= static_cast<std::size_t>(width_)) {
      text.resize(static_cast<std::size_t>(width_ - 1));
    }
    text = "\r" + text + "\x1b[K" + (last || stopped ? "\n" : "");
  } else {
    text += '\n';
  }
  sink_(text);
  last_print_ = now;
  shown_ = true;
}

}  // namespace fable::cli
