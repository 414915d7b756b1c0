// The conformance suite: one shared set of checks that every valid kernel of
// the tree passes (docs/conformance.md). Kernels are found by glob when the
// test binary starts (kernels/*.yaml, tests/data/*.yaml), so a new kernel is
// covered without editing this file. Every test is named
// conformance/<Suite>.<Test>/<kernel>, so `ctest -R conformance` runs exactly
// these. Per kernel:
//   * RandomLegalPlay: episodes of honest and red-team agents from several
//     rosters and seeds; after every turn money is conserved exactly and the
//     turn is legal action by action (tests/support/turn_checks.h);
//   * TraceRoundTrip: an episode's trace survives JSON byte for byte, and a
//     re-run from the same seed gives the same digests and trace;
//   * RecordsReplay: every exploit record a small tournament finds on the
//     kernel, read back from its artifact file, reproduces on that kernel;
//   * TournamentDeterminism: the same small tournament with 1 and 2 threads
//     writes byte-identical artifact folders;
//   * GoldenTranscript: the event log of a fixed episode matches
//     tests/golden/<kernel stem>.txt (FABLE_UPDATE_GOLDEN=1, set by
//     tools/regen-golden.sh, writes the file instead).
// FABLE_CONFORMANCE_SEED=<n> changes the seeds RandomLegalPlay draws.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "conformance/transcript.h"
#include "fable/agent.h"
#include "fable/episode.h"
#include "fable/record.h"
#include "fable/replay.h"
#include "fable/tournament.h"
#include "fable/trace.h"
#include "support/files.h"
#include "support/kernels.h"
#include "support/turn_checks.h"

namespace fable {
namespace {

using namespace fable::testing;  // NOLINT(google-build-using-namespace)
namespace fs = std::filesystem;

// ---------------------------------------------------------------------------
// Kernels and names

std::string stem_of(const std::string& rel) {
  return fs::path(rel).stem().string();
}

// "kernel-v0.1" -> "kernel_v0_1": test names allow letters, digits and '_'.
std::string test_name_of(const std::string& rel) {
  std::string name = stem_of(rel);
  for (char& c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!ok) c = '_';
  }
  return name;
}

std::string file_test_name(const ::testing::TestParamInfo<std::string>& info) {
  return test_name_of(info.param);
}

class KernelConformance : public ::testing::TestWithParam<std::string> {
 protected:
  const Kernel& kernel() const { return cached_kernel(GetParam()); }
};

// ---------------------------------------------------------------------------
// Random legal play

// Stands in for an agent and writes down every plan it makes, so that the
// episode can be replayed turn by turn under the checks. Everything else is
// forwarded: the wrapped agent plays exactly as it would alone.
class PlanRecorder : public Agent {
 public:
  PlanRecorder(std::unique_ptr<Agent> inner, AgentIndex self,
               std::vector<std::vector<Plan>>& plans_by_turn)
      : Agent(inner->id(), inner->role()),
        inner_(std::move(inner)),
        self_(self),
        plans_by_turn_(plans_by_turn) {}

  AgentRole plays() const override { return inner_->plays(); }
  void act(const Observation& obs, Rng& rng, Plan& plan) override {
    inner_->act(obs, rng, plan);
    const auto turn = static_cast<std::size_t>(obs.world.turn);  // 0-based index of this turn
    if (plans_by_turn_.size() <= turn) plans_by_turn_.resize(turn + 1);
    std::vector<Plan>& plans = plans_by_turn_[turn];
    plans.resize(obs.world.citizens.size());
    plans[static_cast<std::size_t>(self_)] = plan;
  }
  void observe(const Event& event) override { inner_->observe(event); }

 private:
  std::unique_ptr<Agent> inner_;
  AgentIndex self_;
  std::vector<std::vector<Plan>>& plans_by_turn_;
};

constexpr const char* kRosters[] = {
    "honest:6,drainer:2,entrencher:1,suppressor:1",
    "honest:3,drainer:3",
    "honest:5,entrencher:2,suppressor:2",
    "honest:2,drainer:1,suppressor:3",
    "honest:8",
};
constexpr int kSeedsPerRoster = 4;
constexpr int kPlayTurns = 60;

std::uint64_t base_seed() {
  const char* env = std::getenv("FABLE_CONFORMANCE_SEED");
  return env != nullptr ? std::strtoull(env, nullptr, 10) : 0xC0F0'2025ULL;
}

TEST_P(KernelConformance, RandomLegalPlay) {
  const Kernel& k = kernel();
  Rng draw(derive_seed(base_seed(), GetParam()));
  int episodes = 0;
  std::size_t refused = 0, turns_checked = 0, actions = 0;
  for (const char* roster_text : kRosters) {
    const Result<Roster> roster = parse_roster(roster_text);
    ASSERT_TRUE(roster.ok()) << roster.status().message();
    for (int s = 0; s < kSeedsPerRoster; ++s) {
      const std::uint64_t seed = draw.next_u64();
      EpisodeOptions options;
      options.turns = kPlayTurns;
      options.initial_treasury = static_cast<Money>(200 + draw.below(2000)) * kMoneyScale;
      options.settings.plan_length = 1 + static_cast<int>(draw.below(kMaxPlanLength));
      options.settings.initial_balance = static_cast<Money>(draw.below(30)) * kMoneyScale;
      SCOPED_TRACE("roster " + std::string(roster_text) + ", seed " + std::to_string(seed) +
                   ", plan length " + std::to_string(options.settings.plan_length));

      std::vector<std::vector<Plan>> plans_by_turn;
      Population agents;
      Population inner = make_population(*roster);
      for (std::size_t i = 0; i < inner.size(); ++i) {
        agents.push_back(std::make_unique<PlanRecorder>(std::move(inner[i]),
                                                        static_cast<AgentIndex>(i), plans_by_turn));
      }
      const EpisodeResult played = run_episode(k, agents, seed, options, DetectorSuite{});
      ASSERT_EQ(plans_by_turn.size(), static_cast<std::size_t>(kPlayTurns));

      // The same episode again, turn by turn under the checks.
      std::vector<std::string> ids;
      for (const ParticipantInfo& p : played.trace.participants) ids.push_back(p.id);
      Environment env(k, ids, options.initial_treasury, seed, options.settings);
      OrderStream orders(seed, static_cast<int>(ids.size()));
      ASSERT_EQ(check_conservation(env.state()), "");
      for (const std::vector<Plan>& plans : plans_by_turn) {
        const CheckedTurn turn = step_checked(env, plans, orders);
        ASSERT_EQ(turn.error, "");
        ASSERT_EQ(check_conservation(env.state()), "");
        refused += turn.refused;
        ++turns_checked;
      }
      // The replay is the episode that was played.
      ASSERT_EQ(env.digests(), played.trace.digests);
      for (const Event& e : env.state().log) actions += e.round != kEndOfTurnRound ? 1 : 0;
      ++episodes;
    }
  }
  EXPECT_EQ(turns_checked, static_cast<std::size_t>(episodes * kPlayTurns));
  EXPECT_GT(actions, turns_checked) << "the agents hardly acted: the checks saw little";
  RecordProperty("episodes", episodes);
  RecordProperty("action_events", static_cast<int>(actions));
  RecordProperty("refused_actions", static_cast<int>(refused));
}

// ---------------------------------------------------------------------------
// Trace round trip

constexpr const char* kTraceRoster = "honest:6,drainer:2,entrencher:1,suppressor:1";

EpisodeResult play(const Kernel& k, const char* roster_text, std::uint64_t seed, int turns) {
  const Result<Roster> roster = parse_roster(roster_text);
  if (!roster.ok()) throw std::runtime_error(roster.status().message());
  Population agents = make_population(*roster);
  EpisodeOptions options;
  options.turns = turns;
  return run_episode(k, agents, seed, options, default_suite());
}

TEST_P(KernelConformance, TraceRoundTrip) {
  const EpisodeResult first = play(kernel(), kTraceRoster, 11, 30);
  const std::string json = trace_to_json(first.trace);
  const Result<EpisodeTrace> back = trace_from_json(json, "round trip");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(trace_to_json(*back), json) << "the trace does not survive JSON byte for byte";
  EXPECT_EQ(back->digests, first.trace.digests);

  const EpisodeResult again = play(kernel(), kTraceRoster, 11, 30);
  EXPECT_EQ(again.trace.digests, first.trace.digests);
  EXPECT_EQ(trace_to_json(again.trace), json) << "a re-run from the same seed differs";
}

// ---------------------------------------------------------------------------
// A small tournament, its artifacts and its records

// Runs a small tournament on the parameter's kernel with `threads` threads
// into a fresh temporary folder, once per (kernel, threads) per test binary,
// and returns the folder.
fs::path small_tournament(const std::string& rel, int threads) {
  static std::map<std::pair<std::string, int>, fs::path> done;
  const auto key = std::make_pair(rel, threads);
  if (auto it = done.find(key); it != done.end()) return it->second;
  const fs::path out =
      fs::temp_directory_path() / ("fable-conformance-" + test_name_of(rel) + "-t" +
                                   std::to_string(threads) + "-" + std::to_string(::getpid()));
  fs::remove_all(out);
  TournamentConfig cfg;
  cfg.seeds = {0, 1};
  cfg.n_turns = 30;
  cfg.threads = threads;
  cfg.out_dir = out.string();
  const Result<TournamentResult> result = Tournament(cfg).run(cached_kernel(rel));
  if (!result.ok()) throw std::runtime_error("tournament: " + result.status().message());
  done.emplace(key, out);
  return out;
}

// Removes the temporary tournament folders when the test binary ends.
class TournamentFolders : public ::testing::Environment {
 public:
  void TearDown() override {
    for (const std::string& rel : valid_kernel_files()) {
      for (int threads : {1, 2}) {
        fs::remove_all(fs::temp_directory_path() /
                       ("fable-conformance-" + test_name_of(rel) + "-t" + std::to_string(threads) +
                        "-" + std::to_string(::getpid())));
      }
    }
  }
};
[[maybe_unused]] ::testing::Environment* const kTournamentFolders =
    ::testing::AddGlobalTestEnvironment(new TournamentFolders);

TEST_P(KernelConformance, TournamentDeterminism) {
  const auto one = folder_contents(small_tournament(GetParam(), 1));
  const auto two = folder_contents(small_tournament(GetParam(), 2));
  EXPECT_TRUE(one.count("summary.md") == 1) << "no summary.md in the artifacts";
  EXPECT_GT(one.size(), 1u);
  ASSERT_EQ(one.size(), two.size());
  for (const auto& [path, bytes] : one) {
    const auto it = two.find(path);
    ASSERT_TRUE(it != two.end()) << path << " only with 1 thread";
    EXPECT_TRUE(it->second == bytes) << path << " differs between 1 and 2 threads";
  }
}

TEST_P(KernelConformance, RecordsReplay) {
  const fs::path out = small_tournament(GetParam(), 1);
  const DetectorSuite suite = default_suite();
  int records = 0;
  if (fs::exists(out / "exploits")) {
    for (const auto& [path, bytes] : folder_contents(out / "exploits")) {
      const Result<ExploitRecord> rec = record_from_json(bytes, path);
      ASSERT_TRUE(rec.ok()) << rec.status().message();
      const ReplayResult r = replay_record(*rec, kernel(), suite);
      EXPECT_EQ(r.verdict, Verdict::kReproduces)
          << rec->exploit_id << " (" << rec->name << ") is " << verdict_name(r.verdict)
          << " on the kernel it was found on: " << r.reason;
      ++records;
    }
  }
  RecordProperty("records", records);
  if (records == 0) std::cout << "no finding on " << GetParam() << ": no record to replay\n";
}

// ---------------------------------------------------------------------------
// Golden transcripts

constexpr const char* kGoldenRoster = "honest:4,drainer:1,entrencher:1,suppressor:1";
constexpr std::uint64_t kGoldenSeed = 7;
constexpr int kGoldenTurns = 20;

std::string live_transcript(const std::string& rel, const Kernel& k) {
  const EpisodeResult ep = play(k, kGoldenRoster, kGoldenSeed, kGoldenTurns);
  const std::string header = "golden transcript of " + rel + " (" + k.name() + " v" +
                             k.version().to_string() + ")\nroster " + kGoldenRoster + ", seed " +
                             std::to_string(kGoldenSeed) + ", " + std::to_string(kGoldenTurns) +
                             " turns, treasury 1000\nregenerate: tools/regen-golden.sh";
  return render_transcript(header, ep.trace);
}

bool updating_goldens() {
  const char* env = std::getenv("FABLE_UPDATE_GOLDEN");
  return env != nullptr && std::string(env) == "1";
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The first differing lines, at most `max` of them, as "-expected / +live".
std::string short_diff(const std::string& expected, const std::string& live, int max = 8) {
  const auto a = split_lines(expected);
  const auto b = split_lines(live);
  std::string out;
  int shown = 0;
  for (std::size_t i = 0; i < std::max(a.size(), b.size()) && shown < max; ++i) {
    const std::string* x = i < a.size() ? &a[i] : nullptr;
    const std::string* y = i < b.size() ? &b[i] : nullptr;
    if (x != nullptr && y != nullptr && *x == *y) continue;
    out += "  line " + std::to_string(i + 1) + ":\n";
    out += "    - " + (x != nullptr ? *x : std::string("(no line)")) + "\n";
    out += "    + " + (y != nullptr ? *y : std::string("(no line)")) + "\n";
    ++shown;
  }
  out += "  (" + std::to_string(a.size()) + " lines in the golden file, " +
         std::to_string(b.size()) + " live)\n";
  return out;
}

fs::path golden_path(const std::string& rel) {
  return fs::path(source_path("tests/golden")) / (stem_of(rel) + ".txt");
}

TEST_P(KernelConformance, GoldenTranscript) {
  const std::string live = live_transcript(GetParam(), kernel());
  const fs::path path = golden_path(GetParam());
  if (updating_goldens()) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << live;
    std::cout << "wrote " << path.string() << "\n";
    return;
  }
  ASSERT_TRUE(fs::exists(path)) << "no golden transcript " << path.string()
                                << " for this kernel; create it with tools/regen-golden.sh and "
                                   "review it before committing";
  const std::string golden = read_file(path);
  EXPECT_TRUE(golden == live) << "the transcript of " << GetParam() << " drifted from "
                              << path.string() << ":\n"
                              << short_diff(golden, live)
                              << "If the change is intended, run tools/regen-golden.sh and review "
                                 "`git diff tests/golden` before committing.";
  // The same episode twice gives the same transcript (no hidden state).
  EXPECT_EQ(live_transcript(GetParam(), kernel()), live);
}

INSTANTIATE_TEST_SUITE_P(conformance, KernelConformance, ::testing::ValuesIn(valid_kernel_files()),
                         file_test_name);

// ---------------------------------------------------------------------------
// The golden folder as a whole: file names are kernel stems, so stems are
// unique, and every golden file belongs to a kernel of the tree.

std::vector<std::string> golden_files() {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(source_path("tests/golden"), ec)) {
    if (e.is_regular_file()) files.push_back(e.path().filename().string());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) files.push_back("(none)");  // fails below: the folder must exist
  return files;
}

class GoldenFolder : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenFolder, BelongsToOneKernel) {
  int owners = 0;
  for (const std::string& rel : valid_kernel_files()) owners += stem_of(rel) + ".txt" == GetParam();
  EXPECT_EQ(owners, 1) << "tests/golden/" << GetParam()
                       << " must be named after exactly one kernel file stem (a kernel was "
                          "renamed or removed, or two kernels share a stem)";
}

INSTANTIATE_TEST_SUITE_P(conformance, GoldenFolder, ::testing::ValuesIn(golden_files()),
                         file_test_name);

}  // namespace
}  // namespace fable
