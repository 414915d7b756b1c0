// Checkpoints and --resume (tournament/checkpoint.h, docs/resume.md): the
// file round-trips and refuses what is not one of ours (truncated, corrupt,
// another version); a run stopped after some jobs and continued from its
// checkpoint ends with the same result and artifacts, byte for byte, as a
// run never stopped; the search for the stopped run refuses a folder in use,
// another run's folder and several candidates.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "fable/episode_metrics.h"
#include "fable/tournament.h"
#include "support/files.h"
#include "support/kernels.h"
#include "tournament/checkpoint.h"
#include "tournament/dedup.h"
#include "tournament/leaderboard.h"

namespace fable {
namespace {

namespace fs = std::filesystem;
using ::fable::testing::folder_contents;

fs::path fresh_dir(const std::string& name) {
  const fs::path p =
      fs::temp_directory_path() / ("fable-checkpoint-" + name + "-" + std::to_string(::getpid()));
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

TournamentCheckpoint sample() {
  TournamentCheckpoint c;
  c.identity = {{"seeds", "00000000000000ab"}, {"turns", "0000000000000011"}};
  c.next_job = 1024;
  c.total = 4000;
  c.store_run = 7;
  c.state = {std::byte{1}, std::byte{2}, std::byte{0}, std::byte{255}};
  return c;
}

TEST(Checkpoint, RoundTrips) {
  const std::vector<std::byte> bytes = encode_checkpoint(sample());
  const Result<TournamentCheckpoint> back = decode_checkpoint(bytes, "f");
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->identity, sample().identity);
  EXPECT_EQ(back->next_job, 1024u);
  EXPECT_EQ(back->total, 4000u);
  EXPECT_EQ(back->store_run, 7);
  EXPECT_EQ(back->state, sample().state);
}

TEST(Checkpoint, RefusesTruncatedCorruptAndOtherVersions) {
  const std::vector<std::byte> good = encode_checkpoint(sample());
  std::vector<std::byte> cut(good.begin(), good.end() - 1);
  Result<TournamentCheckpoint> r = decode_checkpoint(cut, "f");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("checksum"), std::string::npos) << r.status().message();

  cut.assign(good.begin(), good.begin() + 10);
  r = decode_checkpoint(cut, "f");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "f: not a fable checkpoint");

  std::vector<std::byte> flipped = good;
  flipped[good.size() / 2] ^= std::byte{0x10};
  r = decode_checkpoint(flipped, "f");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("corrupt"), std::string::npos) << r.status().message();

  std::vector<std::byte> other = good;
  other[16] = std::byte{1};  // the version follows the 16-byte magic: 1, before session 29
  r = decode_checkpoint(other, "f");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(
      r.status().message().find("written as checkpoint version 1; this build reads version 2"),
      std::string::npos)
      << r.status().message();
}

TEST(Checkpoint, WrittenAndReadFromAFolder) {
  const fs::path dir = fresh_dir("file");
  EXPECT_EQ(read_checkpoint(dir).status().code(), StatusCode::kNotFound);
  ASSERT_TRUE(write_checkpoint(dir, sample()).ok());
  TournamentCheckpoint later = sample();
  later.next_job = 2048;
  ASSERT_TRUE(write_checkpoint(dir, later).ok());  // replaced whole
  const Result<TournamentCheckpoint> back = read_checkpoint(dir);
  ASSERT_TRUE(back.ok()) << back.status().message();
  EXPECT_EQ(back->next_job, 2048u);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  fs::remove_all(dir);
}

// Session 24's fresh-user try: a folder where checkpoint.bin should be made
// --resume fail with "internal failure" (exit 5) instead of one clear refusal.
TEST(Checkpoint, ACheckpointThatIsNotAFileIsRefusedNotRead) {
  const fs::path dir = fresh_dir("not-a-file");
  fs::create_directory(dir / "checkpoint.bin");
  const Result<TournamentCheckpoint> read = read_checkpoint(dir);
  EXPECT_EQ(read.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(read.status().message().find("checkpoint.bin: not a regular file"), std::string::npos)
      << read.status().message();
  fs::remove_all(dir);
}

TEST(Checkpoint, IdentityNamesWhatDiffers) {
  const Kernel& v01 = testing::cached_kernel("kernels/kernel-v0.1.yaml");
  TournamentConfig a;
  a.kernel_path = "kernels/kernel-v0.1.yaml";
  TournamentConfig b = a;
  b.threads = 4;           // never part of the identity
  b.checkpoint_every = 3;  // nor this
  EXPECT_EQ(identity_difference(tournament_identity(a, v01), tournament_identity(b, v01)), "");
  b.seeds.push_back(99);
  b.n_turns = 5;
  EXPECT_EQ(identity_difference(tournament_identity(a, v01), tournament_identity(b, v01)),
            "seeds, turns");
  b = a;
  b.checkpoint_identity = {{"store", "x.db"}};
  EXPECT_EQ(identity_difference(tournament_identity(a, v01), tournament_identity(b, v01)), "store");
}

TEST(Checkpoint, LeaderboardStateReadBackSumsToTheSameBits) {
  std::vector<const EpisodeMetric*> secondaries{&episode_metrics().front()};
  Leaderboard whole(1000, secondaries);
  Leaderboard first(1000, secondaries);
  const auto score = [](int i) {
    EpisodeScore s;
    s.governance_score = 0.1 * i + 1e-17;
    s.empathy_ratio = 1.0 / (i + 3);
    s.treasury_final = 333.3 * i;
    s.empathy_floor_trough = 0.7 / (i + 1);
    s.empathy_floor_final = 0.3 / (i + 2);
    s.capture.drain = i % 3 == 0;
    return s;
  };
  for (int i = 0; i < 5; ++i) {
    whole.add(i % 2 ? "a" : "b", score(i), {});
    first.add(i % 2 ? "a" : "b", score(i), {});
  }
  ByteWriter w;
  first.save(w);
  const std::vector<std::byte> bytes = w.take();
  ByteReader r(bytes);
  Leaderboard resumed(1000, secondaries);
  resumed.load(r);
  ASSERT_TRUE(r.ok() && r.at_end());
  for (int i = 5; i < 11; ++i) {
    whole.add(i % 2 ? "a" : "b", score(i), {});
    resumed.add(i % 2 ? "a" : "b", score(i), {});
  }
  const std::vector<LeaderboardRow> x = whole.rows();
  const std::vector<LeaderboardRow> y = resumed.rows();
  ASSERT_EQ(x.size(), y.size());
  for (std::size_t i = 0; i < x.size(); ++i) {
    EXPECT_EQ(x[i].episodes, y[i].episodes);
    // Bit for bit, not nearly.
    EXPECT_EQ(std::memcmp(&x[i].mean_governance_score, &y[i].mean_governance_score, 8), 0);
    EXPECT_EQ(std::memcmp(&x[i].mean_empathy_ratio, &y[i].mean_empathy_ratio, 8), 0);
    EXPECT_EQ(std::memcmp(&x[i].mean_worst_off_welfare, &y[i].mean_worst_off_welfare, 8), 0);
    EXPECT_EQ(x[i].secondary_means, y[i].secondary_means);
    EXPECT_EQ(x[i].capture_rate, y[i].capture_rate);
  }

  std::vector<std::byte> cut(bytes.begin(), bytes.end() - 3);
  ByteReader rc(cut);
  Leaderboard broken(1000, secondaries);
  broken.load(rc);
  EXPECT_FALSE(rc.ok());
  EXPECT_TRUE(broken.rows().empty());
}

// A run of 2 matchups x 12 seeds with coverage, checkpointed every 4 jobs.
TournamentConfig stoppable_run(const fs::path& out) {
  TournamentConfig cfg;
  cfg.kernel_path = "kernels/kernel-v0.1.yaml";
  cfg.seeds = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
  cfg.n_turns = 20;
  cfg.matchups = {*find_default_matchup("drain"), *find_default_matchup("mixed-capture")};
  cfg.coverage = true;
  cfg.secondary_metrics = {std::string(episode_metrics().front().name)};
  cfg.checkpoint_every = 4;
  cfg.out_dir = out.string();
  return cfg;
}

// Runs `cfg`, failing its episode sink at its `stop_at`-th episode: a crash
// after job stop_at - 1 that leaves the partial folder as it is.
Status run_stopped_at(TournamentConfig cfg, const Kernel& kernel, int stop_at) {
  int seen = 0;
  cfg.episode_sink = [&](const std::string&, std::uint64_t, const EpisodeScore&,
                         const std::vector<ExploitFinding>&) {
    return ++seen == stop_at ? Status::Io("simulated crash") : Status::Ok();
  };
  return Tournament(cfg).run(kernel).status();
}

TEST(Checkpoint, AStoppedRunResumedEndsAsARunNeverStopped) {
  const Kernel& v01 = testing::cached_kernel("kernels/kernel-v0.1.yaml");
  const fs::path base = fresh_dir("resume");
  const Result<TournamentResult> never = Tournament(stoppable_run(base / "never")).run(v01);
  ASSERT_TRUE(never.ok()) << never.status().message();
  EXPECT_FALSE(fs::exists(base / "never" / kCheckpointFileName));

  for (const int threads : {1, 2}) {
    const fs::path out = base / ("stopped" + std::to_string(threads));
    TournamentConfig cfg = stoppable_run(out);
    cfg.threads = threads;
    const Status stopped = run_stopped_at(cfg, v01, 11);  // after jobs 0..9: checkpoint at 8
    ASSERT_FALSE(stopped.ok());
    ASSERT_FALSE(fs::exists(out));

    Result<ResumePoint> found = find_resumable(out.string(), tournament_identity(cfg, v01));
    ASSERT_TRUE(found.ok()) << found.status().message();
    EXPECT_EQ(found->checkpoint.next_job, 8u);
    EXPECT_EQ(found->checkpoint.total, 24u);
    cfg.resume = std::make_shared<ResumePoint>(std::move(*found));
    const Result<TournamentResult> resumed = Tournament(cfg).run(v01);
    ASSERT_TRUE(resumed.ok()) << resumed.status().message();

    EXPECT_FALSE(never->exploit_records.empty());
    EXPECT_EQ(resumed->episodes_run, never->episodes_run);
    EXPECT_EQ(folder_contents(out), folder_contents(base / "never")) << threads << " threads";
    ASSERT_EQ(resumed->exploit_records.size(), never->exploit_records.size());
    ASSERT_TRUE(resumed->coverage && never->coverage);
    EXPECT_EQ(resumed->coverage->episodes, never->coverage->episodes);
    for (const auto& e : fs::directory_iterator(base)) {
      EXPECT_EQ(e.path().filename().string().find("partial"), std::string::npos) << e.path();
    }
  }
  fs::remove_all(base);
}

// A stopped run's state edited with its checksum recomputed decodes; what
// does not fit the jobs it counts (episodes played twice or skipped, rows of
// other matchups) or would write a record `verify` refuses is refused before
// anything is played (found by session 30's tester: such runs ended with
// exit 0 and double-counted leaderboards or invalid records).
TEST(Checkpoint, AResumedStateThatDoesNotFitItsJobsIsRefused) {
  const Kernel& v01 = testing::cached_kernel("kernels/kernel-v0.1.yaml");
  const fs::path base = fresh_dir("unfit");
  const fs::path out = base / "out";
  TournamentConfig cfg = stoppable_run(out);
  ASSERT_FALSE(run_stopped_at(cfg, v01, 11).ok());
  Result<ResumePoint> found = find_resumable(out.string(), tournament_identity(cfg, v01));
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_EQ(found->checkpoint.next_job, 8u);
  std::vector<const EpisodeMetric*> secondaries{&episode_metrics().front()};
  std::uint64_t episodes = 0;
  Leaderboard leaderboard(money_to_units(cfg.initial_treasury), secondaries);
  FingerprintDedup dedup;
  ClauseCoverage coverage;
  ASSERT_TRUE(
      decode_tournament_state(found->checkpoint.state, "x", episodes, leaderboard, dedup, &coverage)
          .ok());
  ASSERT_EQ(episodes, 8u);

  const auto resumed_with = [&](std::uint64_t next_job, std::vector<std::byte> state) {
    TournamentConfig c = cfg;
    auto point = std::make_shared<ResumePoint>(*found);
    point->checkpoint.next_job = next_job;
    point->checkpoint.state = std::move(state);
    c.resume = point;
    const Result<TournamentResult> r = Tournament(c).run(v01);
    return r.ok() ? Status::Ok() : r.status();
  };
  const auto refused = [&](const Status& st, std::string_view why) {
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << st.message();
    EXPECT_NE(st.message().find("checkpoint.bin: malformed tournament state"), std::string::npos)
        << st.message();
    EXPECT_NE(st.message().find(why), std::string::npos) << st.message();
  };
  // The checkpoint's next job against the state's episode count.
  refused(resumed_with(4, found->checkpoint.state), "episode count");
  refused(resumed_with(12, found->checkpoint.state), "episode count");
  // A leaderboard row with an episode more than its jobs.
  {
    Leaderboard more = leaderboard;
    more.add("drain", EpisodeScore{}, {});
    refused(resumed_with(8, encode_tournament_state(8, more, dedup, &coverage)), "leaderboard row");
  }
  // The state with one more finding (a fingerprint of its own) of the drain
  // matchup: seed `seed`, severity `severity`.
  const auto with_finding = [&](std::uint64_t seed, int severity) {
    FingerprintDedup more = dedup;
    EpisodeResult ep;
    ep.seed = seed;
    ExploitFinding f;
    f.name = "treasury_drain";
    f.category = Category::kDrain;
    f.severity = severity;
    f.summary = "edited";
    f.fingerprint = "0123456789abcdef";
    ep.findings = {f};
    more.add(ep, "drain", find_default_matchup("drain")->roster);
    return encode_tournament_state(8, leaderboard, more, &coverage);
  };
  // A finding whose record `verify` would refuse (a severity past 5).
  refused(resumed_with(8, with_finding(3, 1000)), "a record it would write");
  // A finding of a seed the run does not play.
  refused(resumed_with(8, with_finding(999, 3)), "seed");
  // The state as it was resumes.
  EXPECT_TRUE(resumed_with(8, found->checkpoint.state).ok());

  // A run numbered from 999999 writes EXP-1000000 and on: its own state
  // resumes (the records' ids are not the state's; session 30's review).
  TournamentConfig high = stoppable_run(base / "high");
  high.exploit_id_start = 999999;
  ASSERT_FALSE(run_stopped_at(high, v01, 11).ok());
  Result<ResumePoint> at = find_resumable((base / "high").string(), tournament_identity(high, v01));
  ASSERT_TRUE(at.ok()) << at.status().message();
  high.resume = std::make_shared<ResumePoint>(std::move(*at));
  const Result<TournamentResult> resumed = Tournament(high).run(v01);
  ASSERT_TRUE(resumed.ok()) << resumed.status().message();
  ASSERT_GE(resumed->exploit_records.size(), 2u);
  EXPECT_EQ(resumed->exploit_records[1].exploit_id, "EXP-1000000");
  fs::remove_all(base);
}

TEST(Checkpoint, ARunKilledBeforeItsFirstCheckpointStartsAgainAtZero) {
  const Kernel& v01 = testing::cached_kernel("kernels/kernel-v0.1.yaml");
  const fs::path base = fresh_dir("zero");
  TournamentConfig cfg = stoppable_run(base / "out");
  ASSERT_FALSE(run_stopped_at(cfg, v01, 3).ok());
  Result<ResumePoint> found = find_resumable(cfg.out_dir.value(), tournament_identity(cfg, v01));
  ASSERT_TRUE(found.ok()) << found.status().message();
  EXPECT_EQ(found->checkpoint.next_job, 0u);
  cfg.resume = std::make_shared<ResumePoint>(std::move(*found));
  ASSERT_TRUE(Tournament(cfg).run(v01).ok());
  ASSERT_TRUE(Tournament(stoppable_run(base / "never")).run(v01).ok());
  EXPECT_EQ(folder_contents(base / "out"), folder_contents(base / "never"));
  fs::remove_all(base);
}

// A run that fails (or is killed) after its last checkpoint, while writing the records,
// summary.md or leaderboard.json, keeps its checkpoint: it is resumed, not lost.
TEST(Checkpoint, ARunFailingWhileWritingItsLastFilesCanBeResumed) {
  const Kernel& v01 = testing::cached_kernel("kernels/kernel-v0.1.yaml");
  const fs::path base = fresh_dir("last-files");
  const fs::path out = base / "out";
  TournamentConfig cfg = stoppable_run(out);
  int checkpoints = 0;
  cfg.before_checkpoint = [&]() -> Status {
    // Checkpoints at jobs 0, 4, 8, ..., 24 (the last): before the last one, make
    // summary.md impossible to write (a folder in its place), as a full disk would.
    if (++checkpoints == 7) {
      for (const auto& e : fs::directory_iterator(base)) {
        if (e.path().filename().string().rfind("out.partial-", 0) == 0)
          fs::create_directory(e.path() / "summary.md");
      }
    }
    return Status::Ok();
  };
  const Result<TournamentResult> failed = Tournament(cfg).run(v01);
  ASSERT_FALSE(failed.ok());
  ASSERT_EQ(checkpoints, 7);
  ASSERT_FALSE(fs::exists(out));

  Result<ResumePoint> found = find_resumable(out.string(), tournament_identity(cfg, v01));
  ASSERT_TRUE(found.ok()) << found.status().message();
  EXPECT_EQ(found->checkpoint.next_job, 24u);
  fs::remove(found->partial / "summary.md");  // the disk has room again
  cfg.before_checkpoint = {};
  cfg.resume = std::make_shared<ResumePoint>(std::move(*found));
  const Result<TournamentResult> resumed = Tournament(cfg).run(v01);
  ASSERT_TRUE(resumed.ok()) << resumed.status().message();
  ASSERT_TRUE(Tournament(stoppable_run(base / "never")).run(v01).ok());
  EXPECT_EQ(folder_contents(out), folder_contents(base / "never"));
  EXPECT_FALSE(fs::exists(out / kCheckpointFileName));
  fs::remove_all(base);
}

// The steps that end a run outside its folder (before_publish: --exploit-dir, --coverage,
// the store) run while the checkpoint exists, with the folder's files written; when they
// fail, or DIR was filled meanwhile, the folder stays unpublished and resumable, and the
// resumed run calls them again (docs/resume.md, "How a run ends").
TEST(Checkpoint, ARunFailingInItsLastStepsOrFindingItsFolderFilledCanBeFinished) {
  const Kernel& v01 = testing::cached_kernel("kernels/kernel-v0.1.yaml");
  const fs::path base = fresh_dir("end-steps");
  const fs::path out = base / "out";
  TournamentConfig cfg = stoppable_run(out);
  int calls = 0;
  cfg.before_publish = [&](const TournamentResult& r) -> Status {
    ++calls;
    EXPECT_EQ(r.episodes_run, 24u);
    for (const auto& e : fs::directory_iterator(base)) {  // the folder's files are written
      if (e.path().filename().string().rfind("out.partial-", 0) == 0) {
        EXPECT_TRUE(fs::exists(e.path() / "summary.md"));
        EXPECT_TRUE(fs::exists(e.path() / kCheckpointFileName));
      }
    }
    return calls == 1 ? Status::Io("simulated full disk") : Status::Ok();
  };
  const Result<TournamentResult> failed = Tournament(cfg).run(v01);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("simulated full disk"), std::string::npos);
  EXPECT_NE(failed.status().message().find("with --resume"), std::string::npos)
      << failed.status().message();
  ASSERT_FALSE(fs::exists(out));

  // The steps redone by the resumed run; a DIR filled before it starts is refused first.
  Result<ResumePoint> found = find_resumable(out.string(), tournament_identity(cfg, v01));
  ASSERT_TRUE(found.ok()) << found.status().message();
  EXPECT_EQ(found->checkpoint.next_job, 24u);
  fs::create_directory(out);
  std::ofstream(out / "mine.txt") << "mine";
  cfg.resume = std::make_shared<ResumePoint>(std::move(*found));
  EXPECT_FALSE(Tournament(cfg).run(v01).ok());
  EXPECT_EQ(calls, 1);
  fs::remove_all(out);
  const Result<TournamentResult> resumed = Tournament(cfg).run(v01);
  ASSERT_TRUE(resumed.ok()) << resumed.status().message();
  EXPECT_EQ(calls, 2);
  ASSERT_TRUE(Tournament(stoppable_run(base / "never")).run(v01).ok());
  EXPECT_EQ(folder_contents(out), folder_contents(base / "never"));
  EXPECT_FALSE(fs::exists(out / kCheckpointFileName));

  // DIR filled while a resumed run plays: refused before the steps outside, nothing
  // replaced, the run still resumable.
  const fs::path out2 = base / "out2";
  TournamentConfig cfg2 = stoppable_run(out2);
  int calls2 = 0;
  cfg2.before_publish = [&](const TournamentResult&) {
    ++calls2;
    return Status::Ok();
  };
  ASSERT_FALSE(run_stopped_at(cfg2, v01, 11).ok());  // checkpoint at 8
  Result<ResumePoint> stopped = find_resumable(out2.string(), tournament_identity(cfg2, v01));
  ASSERT_TRUE(stopped.ok()) << stopped.status().message();
  TournamentConfig filling = cfg2;
  filling.resume = std::make_shared<ResumePoint>(std::move(*stopped));
  filling.before_checkpoint = [&]() -> Status {
    fs::create_directories(out2);
    std::ofstream(out2 / "mine.txt") << "mine";
    return Status::Ok();
  };
  const Result<TournamentResult> filled = Tournament(filling).run(v01);
  ASSERT_FALSE(filled.ok());
  EXPECT_NE(filled.status().message().find(out2.string() + ": something was created there"),
            std::string::npos)
      << filled.status().message();
  EXPECT_EQ(calls2, 0);  // the steps outside waited
  EXPECT_EQ(fs::file_size(out2 / "mine.txt"), 4u);
  fs::remove_all(out2);
  filling.resume.reset();  // its lock
  stopped = find_resumable(out2.string(), tournament_identity(cfg2, v01));
  ASSERT_TRUE(stopped.ok()) << stopped.status().message();
  EXPECT_EQ(stopped->checkpoint.next_job, 24u);
  cfg2.resume = std::make_shared<ResumePoint>(std::move(*stopped));
  ASSERT_TRUE(Tournament(cfg2).run(v01).ok());
  EXPECT_EQ(calls2, 1);
  EXPECT_EQ(folder_contents(out2), folder_contents(base / "never"));
  fs::remove_all(base);
}

TEST(Checkpoint, TheSearchRefusesFoldersInUseOtherRunsAndSeveralCandidates) {
  const Kernel& v01 = testing::cached_kernel("kernels/kernel-v0.1.yaml");
  const fs::path base = fresh_dir("search");
  TournamentConfig cfg = stoppable_run(base / "out");
  const RunIdentity identity = tournament_identity(cfg, v01);

  Result<ResumePoint> none = find_resumable(cfg.out_dir.value(), identity);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(none.status().message().find("nothing to resume"), std::string::npos);

  ASSERT_FALSE(run_stopped_at(cfg, v01, 6).ok());
  const fs::path partial = base / ("out.partial-" + std::to_string(::getpid()));
  ASSERT_TRUE(fs::is_directory(partial));

  {  // a running process holds it
    Result<std::unique_ptr<FolderLock>> held = FolderLock::take(partial);
    ASSERT_TRUE(held.ok());
    const Result<ResumePoint> busy = find_resumable(cfg.out_dir.value(), identity);
    ASSERT_FALSE(busy.ok());
    EXPECT_NE(busy.status().message().find("in use by a running process"), std::string::npos)
        << busy.status().message();
  }

  TournamentConfig other = cfg;
  other.n_turns = 21;
  const Result<ResumePoint> mismatch =
      find_resumable(cfg.out_dir.value(), tournament_identity(other, v01));
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.status().message().find("these settings differ: turns"), std::string::npos)
      << mismatch.status().message();
  // A config that differs is refused by the run too, before anything is touched.
  {
    Result<ResumePoint> found = find_resumable(cfg.out_dir.value(), identity);
    ASSERT_TRUE(found.ok());
    const auto before = folder_contents(partial);
    other.resume = std::make_shared<ResumePoint>(std::move(*found));
    const Result<TournamentResult> refused = Tournament(other).run(v01);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
    EXPECT_EQ(folder_contents(partial), before);
    other.resume.reset();  // its lock with it
  }

  fs::copy(partial, base / "out.partial-999999", fs::copy_options::recursive);
  const Result<ResumePoint> several = find_resumable(cfg.out_dir.value(), identity);
  ASSERT_FALSE(several.ok());
  EXPECT_NE(several.status().message().find("several stopped runs"), std::string::npos)
      << several.status().message();

  fs::remove(base / "out.partial-999999" / kCheckpointFileName);
  std::ofstream(base / "out.partial-999999" / kCheckpointFileName) << "garbage";
  const Result<ResumePoint> one = find_resumable(cfg.out_dir.value(), identity);
  ASSERT_TRUE(one.ok()) << one.status().message();  // the corrupt one does not fit
  EXPECT_EQ(one->partial, partial);
  fs::remove_all(base);
}

}  // namespace
}  // namespace fable
