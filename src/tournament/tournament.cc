// Tournament orchestration; see include/fable/tournament.h. The pieces are
// the ordered episode pool (episode_pool.h), fingerprint dedup (dedup.h), the
// leaderboard (leaderboard.h), the artifact writer (artifacts.h) and the
// reports it writes (report.cc).
#include "fable/tournament.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>

#include <fmt/format.h>

#include "base/files.h"
#include "base/hash.h"
#include "base/test_kill.h"
#include "fable/episode.h"
#include "fable/episode_metrics.h"
#include "records/reproduction_kernel.h"
#include "tournament/artifacts.h"
#include "tournament/checkpoint.h"
#include "tournament/dedup.h"
#include "tournament/distributed_play.h"
#include "tournament/episode_pool.h"
#include "tournament/episode_wire.h"
#include "tournament/leaderboard.h"

namespace fable {

const std::vector<MatchupSpec>& default_matchups() {
  static const std::vector<MatchupSpec> matchups{
      {"baseline-honest", {{{"honest", 6}}}},
      {"drain", {{{"honest", 5}, {"drainer", 2}}}},
      {"entrench", {{{"honest", 5}, {"entrencher", 2}}}},
      {"suppress", {{{"honest", 5}, {"suppressor", 2}}}},
      {"mixed-capture", {{{"honest", 5}, {"drainer", 1}, {"entrencher", 1}, {"suppressor", 1}}}},
  };
  return matchups;
}

std::optional<MatchupSpec> find_default_matchup(std::string_view name) {
  for (const MatchupSpec& m : default_matchups()) {
    if (m.name == name) return m;
  }
  return std::nullopt;
}

std::string_view episode_files_name(EpisodeFiles which) {
  switch (which) {
    case EpisodeFiles::kAll:
      return "all";
    case EpisodeFiles::kWithFindings:
      return "findings";
    case EpisodeFiles::kNone:
      return "none";
  }
  return "all";
}

std::optional<EpisodeFiles> parse_episode_files(std::string_view name) {
  for (const EpisodeFiles e :
       {EpisodeFiles::kAll, EpisodeFiles::kWithFindings, EpisodeFiles::kNone}) {
    if (episode_files_name(e) == name) return e;
  }
  return std::nullopt;
}

Tournament::Tournament(TournamentConfig config) : Tournament(std::move(config), default_suite()) {}
Tournament::Tournament(TournamentConfig config, DetectorSuite suite)
    : config_(std::move(config)), suite_(std::move(suite)) {}

namespace {

// The communicator to play across, or nullptr for one process.
Communicator* distributed(const TournamentConfig& cfg) {
  return cfg.communicator != nullptr && cfg.communicator->size() > 1 ? cfg.communicator : nullptr;
}

// The checks made before anything is played; fills `secondaries`.
Status check_config(const TournamentConfig& cfg, std::vector<const EpisodeMetric*>& secondaries) {
  if (cfg.matchups.empty()) return Status::Invalid("no matchups to play");
  for (const MatchupSpec& m : cfg.matchups) {
    if (Status st = check_roster(m.roster); !st.ok())
      return Status::Invalid(fmt::format("matchup '{}': {}", m.name, st.message()));
  }
  if (cfg.seeds.empty()) return Status::Invalid("no seeds to play");
  if (cfg.n_turns < 1)
    return Status::Invalid(fmt::format("turns must be at least 1, got {}", cfg.n_turns));
  if (cfg.exploit_id_start < 1) return Status::Invalid("exploit_id_start must be at least 1");
  for (const std::string& name : cfg.secondary_metrics) {
    const EpisodeMetric* metric = find_episode_metric(name);
    if (metric == nullptr) {
      return Status::Invalid(
          fmt::format("unknown secondary metric '{}' (known: {})", name, episode_metric_names()));
    }
    if (std::find(secondaries.begin(), secondaries.end(), metric) != secondaries.end())
      return Status::Invalid(fmt::format("secondary metric '{}' given twice", name));
    secondaries.push_back(metric);
  }
  return Status::Ok();
}

// What a run writes in its records: the settings and kernel they reproduce on.
Reproduction reproduction_of(const TournamentConfig& cfg, const Kernel& kernel) {
  Reproduction run;
  run.n_turns = cfg.n_turns;
  run.initial_treasury = cfg.initial_treasury;
  set_reproduction_kernel(run, kernel);
  run.settings = cfg.settings;
  run.population = cfg.population;
  return run;
}

// A stopped run's state, read back, against what `first` jobs of this run
// give (a checkpoint edited with its checksum recomputed decodes, but must
// not make a run count episodes twice or write records `verify` refuses):
// as many episodes as jobs, each matchup's leaderboard row with its jobs'
// episodes, each dedup entry from a matchup and seed of the run, and every
// record it makes one that reads back (record_from_json's checks).
// Errors: Status::Invalid "<where>: malformed tournament state (...)".
Status check_resumed_state(const TournamentConfig& cfg, std::size_t first,
                           std::uint64_t episodes_run, const Leaderboard& leaderboard,
                           const FingerprintDedup& dedup, const Reproduction& run,
                           const std::string& where) {
  const auto bad = [&](std::string_view why) {
    return Status::Invalid(fmt::format("{}: malformed tournament state ({})", where, why));
  };
  if (episodes_run != first) return bad("its episode count is not its checkpoint's");
  // Episodes of the first `first` jobs by matchup name (the leaderboard
  // keeps one row a name, should a library caller repeat a name).
  const std::size_t per_matchup = cfg.seeds.size();
  std::vector<std::pair<std::string_view, std::size_t>> played;  // in matchup order
  for (std::size_t m = 0; m < cfg.matchups.size(); ++m) {
    const std::size_t start = m * per_matchup;
    const std::size_t n = first > start ? std::min(first - start, per_matchup) : 0;
    const std::string_view name = cfg.matchups[m].name;
    auto it =
        std::find_if(played.begin(), played.end(), [&](const auto& p) { return p.first == name; });
    if (it == played.end()) {
      played.emplace_back(name, n);
    } else {
      it->second += n;
    }
  }
  const std::vector<LeaderboardRow> rows = leaderboard.rows();
  const auto rows_expected = static_cast<std::size_t>(
      std::count_if(played.begin(), played.end(), [](const auto& p) { return p.second > 0; }));
  if (rows.size() != rows_expected) return bad("its leaderboard has other matchups");
  for (const LeaderboardRow& row : rows) {
    auto it = std::find_if(played.begin(), played.end(),
                           [&](const auto& p) { return p.first == row.matchup; });
    if (it == played.end()) return bad("its leaderboard has other matchups");
    if (static_cast<std::size_t>(row.episodes) != it->second)
      return bad("a leaderboard row's episode count");
  }
  for (const DedupEntry* e : dedup.ordered()) {
    const bool of_run = std::any_of(cfg.matchups.begin(), cfg.matchups.end(), [&](const auto& m) {
      return m.name == e->matchup && m.roster == e->roster;
    });
    if (!of_run || std::find(cfg.seeds.begin(), cfg.seeds.end(), e->seed) == cfg.seeds.end())
      return bad("a finding from another matchup, roster or seed");
  }
  // The records' ids do not come from the state (a run numbered from near
  // kMaxExploitNumber writes ids past it): each is read back as EXP-001.
  for (ExploitRecord& rec : dedup.records(cfg.exploit_id_start, run)) {
    rec.exploit_id = "EXP-001";
    const Result<ExploitRecord> back = record_from_json(record_to_json(rec), "a record");
    if (!back.ok()) return bad(fmt::format("a record it would write: {}", back.status().message()));
  }
  return Status::Ok();
}

// The checks of a run continued from `resume`, before anything is touched.
Status check_resume(const TournamentConfig& cfg, const Kernel& kernel, const ResumePoint& resume,
                    const Communicator* comm,
                    const std::vector<const EpisodeMetric*>& secondaries) {
  if (comm != nullptr) {
    return Status::Invalid(
        "--resume: not under MPI (a distributed run is not checkpointed; docs/resume.md)");
  }
  if (!cfg.out_dir) return Status::Invalid("--resume: needs the output folder (--out)");
  const std::string differs =
      identity_difference(tournament_identity(cfg, kernel), resume.checkpoint.identity);
  const std::uint64_t total = cfg.matchups.size() * cfg.seeds.size();
  if (!differs.empty() || resume.checkpoint.total != total) {
    return Status::Precondition(
        fmt::format("--resume: {} holds another run (these settings differ: {}); nothing was "
                    "changed",
                    resume.partial.string(), differs.empty() ? "the episode count" : differs));
  }
  // The state is read here to be checked, and again into the run's objects
  // when it starts playing.
  std::uint64_t episodes_run = 0;
  Leaderboard leaderboard(money_to_units(cfg.initial_treasury), secondaries);
  FingerprintDedup dedup;
  ClauseCoverage coverage;
  const std::string where = (resume.partial / kCheckpointFileName).string();
  if (Status st = decode_tournament_state(resume.checkpoint.state, where, episodes_run, leaderboard,
                                          dedup, cfg.coverage ? &coverage : nullptr);
      !st.ok())
    return st;
  return check_resumed_state(cfg, resume.checkpoint.next_job, episodes_run, leaderboard, dedup,
                             reproduction_of(cfg, kernel), where);
}

}  // namespace

Result<TournamentResult> Tournament::run(const ProgressFn& progress) {
  Result<Kernel> kernel = Kernel::load_file(config_.kernel_path);
  if (!kernel.ok()) {
    // The other ranks are at their first agreement (in the run below).
    if (Communicator* comm = distributed(config_)) return comm->agree(kernel.status());
    return kernel.status();
  }
  return run(*kernel, progress);
}

Result<TournamentResult> Tournament::run(const Kernel& kernel, const ProgressFn& progress) {
  const TournamentConfig& cfg = config_;
  Communicator* const comm = distributed(cfg);
  const bool root = comm == nullptr || comm->rank() == 0;
  std::vector<const EpisodeMetric*> secondaries;
  Status checked = check_config(cfg, secondaries);

  // A continued run goes on in the stopped run's folder (tournament/checkpoint.h).
  const ResumePoint* const resume = cfg.resume.get();
  if (checked.ok() && resume != nullptr)
    checked = check_resume(cfg, kernel, *resume, comm, secondaries);
  std::optional<ArtifactWriter> artifacts;
  std::unique_ptr<FolderLock> lock;  // held while this process fills the partial folder
  if (checked.ok() && cfg.out_dir && root) {
    Result<ArtifactWriter> opened =
        resume != nullptr ? ArtifactWriter::adopt(*cfg.out_dir, resume->partial, cfg.episode_files)
                          : ArtifactWriter::open(*cfg.out_dir, cfg.episode_files);
    if (opened.ok()) {
      artifacts.emplace(std::move(*opened));
    } else {
      checked = opened.status();
    }
  }
  // Checkpoints: one process with an output folder (docs/resume.md).
  const bool checkpoints = checked.ok() && artifacts && comm == nullptr;
  if (checkpoints && resume == nullptr) {
    Result<std::unique_ptr<FolderLock>> taken = FolderLock::take(artifacts->partial());
    if (taken.ok()) {
      lock = std::move(*taken);
    } else {
      checked = taken.status();
    }
  }
  if (checkpoints && resume != nullptr) {
    checked = clear_after_checkpoint(resume->partial, cfg, resume->checkpoint.next_job);
  }
  // Every rank learns whether every rank may play (the first failure otherwise).
  if (comm != nullptr) checked = comm->agree(checked);
  if (!checked.ok()) return checked;

  TournamentResult result;
  result.kernel_name = kernel.name();
  result.kernel_version = kernel.version().to_string();
  result.kernel_hash = hex64(kernel.content_hash());
  result.initial_treasury = money_to_units(cfg.initial_treasury);
  result.secondary_metrics = cfg.secondary_metrics;
  result.population = cfg.population;

  // Each worker keeps one population per matchup, reused from episode to
  // episode: agents forget the previous one when the turn number starts
  // again (agent.h).
  // Episode files hold every finding's texts. Under MPI rank 0 writes those
  // of the episodes other ranks play, and another rank may not know the
  // folder (a sweep tells rank 0 alone): there only `none` skips them.
  const bool episode_files =
      cfg.episode_files != EpisodeFiles::kNone && (comm != nullptr || cfg.out_dir.has_value());
  const FindingTexts texts = episode_files ? FindingTexts::kWrite : FindingTexts::kSkip;
  const auto make_player = [&]() -> EpisodePlayer {
    auto populations = std::make_shared<std::vector<Population>>(cfg.matchups.size());
    // The length of the last episode file this player rendered: the next one
    // reserves a little more, so its text grows without reallocation.
    auto rendered_size = std::make_shared<std::size_t>(0);
    // Without episode files only the findings the dedup keeps are read as
    // text: the detectors skip the texts, and an episode with a finding this
    // player has not ruled out is judged again with them (DedupCandidates).
    auto candidates = std::make_shared<DedupCandidates>();
    return [&, populations, rendered_size, candidates](std::size_t job, EpisodeScratch& scratch) {
      const std::size_t mi = job / cfg.seeds.size();
      const MatchupSpec& m = cfg.matchups[mi];
      Population& agents = (*populations)[mi];
      if (agents.empty()) agents = m.build_agents();
      EpisodeOptions options;
      options.turns = cfg.n_turns;
      options.initial_treasury = cfg.initial_treasury;
      options.settings = cfg.settings;
      options.matchup = m.name;
      options.population = cfg.population;
      // Played in the storage of this thread's consumed results (episode_pool.h).
      EpisodeResult ep = run_episode(kernel, agents, cfg.seeds[job % cfg.seeds.size()], options,
                                     suite_, texts, scratch);
      if (texts == FindingTexts::kSkip && candidates->note_all(ep.findings)) {
        ep.findings = suite_.run(ep.trace, ep.score);
      }
      // The episode file's text is made here, on the playing thread; the
      // consumer only writes it (rank 0's files only: other ranks ship).
      if (artifacts && ArtifactWriter::keeps(cfg.episode_files, ep.findings)) {
        ep.rendered.reserve(*rendered_size + *rendered_size / 4 + 1024);
        append_episode_summary_json(ep.rendered, m.name, ep.seed, ep.score, ep.findings);
        *rendered_size = ep.rendered.size();
      }
      return ep;
    };
  };

  const std::size_t total = cfg.matchups.size() * cfg.seeds.size();
  ClauseCoverage coverage;
  if (!root) {  // plays its share and sends it to rank 0 (tournament/distributed_play.h)
    DedupCandidates candidates;
    const EpisodeShipper ship = [&](std::size_t, EpisodeResult& ep) {
      if (cfg.coverage) coverage.add_episode(ep.trace);
      ShippedEpisode shipped;
      shipped.seed = ep.seed;
      for (const ExploitFinding& f : ep.findings) {
        if (candidates.note(f)) {
          shipped.scripts.emplace_back(dedup_scripts(ep.trace, f));
        } else {
          shipped.scripts.emplace_back(std::nullopt);
        }
      }
      shipped.score = std::move(ep.score);
      shipped.findings = std::move(ep.findings);
      result.episodes_run += 1;
      return shipped;
    };
    const Status played = play_and_send(*comm, JobDeal(total, comm->size()), cfg.threads,
                                        make_player, ship, cfg.coverage ? &coverage : nullptr);
    if (Status agreed = comm->agree(played); !agreed.ok()) return agreed;
    result.merged = false;
    return result;
  }

  Leaderboard leaderboard(result.initial_treasury, secondaries);
  FingerprintDedup dedup;
  Status io = Status::Ok();
  // The first job to play: 0, or the stopped run's next one on top of its state.
  const std::size_t first = resume != nullptr ? resume->checkpoint.next_job : 0;
  if (resume != nullptr) {
    // Checked before anything was touched (check_resume).
    if (Status st = decode_tournament_state(
            resume->checkpoint.state, (resume->partial / kCheckpointFileName).string(),
            result.episodes_run, leaderboard, dedup, cfg.coverage ? &coverage : nullptr);
        !st.ok())
      return st;
  }
  const RunIdentity identity = checkpoints ? tournament_identity(cfg, kernel) : RunIdentity{};
  // The consumer's state after `next_job` jobs, into the partial folder.
  const auto checkpoint = [&](std::uint64_t next_job) -> Status {
    if (cfg.before_checkpoint) {
      if (Status st = cfg.before_checkpoint(); !st.ok()) return st;
    }
    TournamentCheckpoint c{identity, next_job, total, cfg.checkpoint_store_run,
                           encode_tournament_state(result.episodes_run, leaderboard, dedup,
                                                   cfg.coverage ? &coverage : nullptr)};
    return write_checkpoint(artifacts->partial(), c);
  };
  // For `progress`: every finding so far (a resumed run's included).
  std::uint64_t findings_seen = 0;
  for (const LeaderboardRow& row : leaderboard.rows())
    findings_seen += static_cast<std::uint64_t>(row.total_findings);
  // What every episode goes through on rank 0, in job order, wherever it was
  // played; `keep` adds its findings to the dedup.
  const auto take = [&](std::size_t job, std::uint64_t seed, const EpisodeScore& score,
                        const std::vector<ExploitFinding>& findings, std::string_view rendered,
                        const auto& keep) -> Status {
    const MatchupSpec& m = cfg.matchups[job / cfg.seeds.size()];
    leaderboard.add(m.name, score, findings);
    if (Status st = keep(m); !st.ok()) return st;
    if (artifacts) io = artifacts->write_episode(m.name, seed, score, findings, rendered);
    result.episodes_run += 1;
    if (!io.ok()) return io;  // the run has failed: play no more
    if (cfg.episode_sink) {
      if (Status st = cfg.episode_sink(m.name, seed, score, findings); !st.ok()) return st;
    }
    findings_seen += findings.size();
    if (progress) progress(TournamentProgress{job + 1, total, findings_seen, dedup.size(), first});
    const bool due = cfg.checkpoint_every != 0 && (job + 1) % cfg.checkpoint_every == 0;
    if (checkpoints && (due || job + 1 == total)) {
      io = checkpoint(job + 1);
      if (!io.ok()) return io;
    }
    // Tests only (base/test_kill.h): after each episode taken, in job order.
    test_kill_point("episode");
    test_stop_point("episode");
    return Status::Ok();
  };
  const EpisodeConsumer consume = [&](std::size_t job, EpisodeResult& ep) {
    return take(job, ep.seed, ep.score, ep.findings, ep.rendered, [&](const MatchupSpec& m) {
      if (cfg.coverage) coverage.add_episode(ep.trace);
      dedup.add(ep, m.name, m.roster);
      return Status::Ok();
    });
  };
  const ShippedConsumer consume_shipped = [&](std::size_t job, ShippedEpisode& ep) {
    return take(job, ep.seed, ep.score, ep.findings, {}, [&](const MatchupSpec& m) {
      return dedup.add_shipped(ep.seed, ep.findings, ep.scripts, m.name, m.roster);
    });
  };

  // Everything after the play, on rank 0 (or the one process).
  const auto conclude = [&](const Status& played) -> Result<TournamentResult> {
    if (!io.ok()) {
      return Status::Io(
          fmt::format("{}; stopped after {} of {} episodes, incomplete output left in {}",
                      io.message(), result.episodes_run, total, artifacts->partial().string()));
    }
    if (!played.ok()) return played;

    result.leaderboard = leaderboard.rows();
    if (cfg.coverage) result.coverage = coverage_report(coverage, kernel);
    result.exploit_records = dedup.records(cfg.exploit_id_start, reproduction_of(cfg, kernel));
    if (cfg.minimize) {  // the records are written minimised (fable/minimize.h)
      minimize_records(result.exploit_records, kernel, suite_, MinimizeOptions{cfg.minimize_budget},
                       cfg.threads, cfg.minimize_progress);
    }

    if (artifacts) {
      // How a run ends (docs/resume.md, "How a run ends"): the folder's files, the steps
      // outside it (cfg.before_publish), the publication with the checkpoint still inside,
      // then the checkpoint removed. Until the folder is published a kill or a failure
      // leaves it resumable; after, --resume finds DIR holding the checkpoint and removes it.
      const std::function<Status()> before_publish = [&]() -> Status {
        test_kill_point("files-written");
        // Where the folder goes must still be free, or the steps outside it wait.
        if (Result<std::filesystem::path> free = files::check_out_dir(artifacts->out().string());
            !free.ok()) {
          return Status::Io(fmt::format(
              "{}: something was created there while the run was going; nothing was replaced; "
              "the complete results are in {}",
              artifacts->out().string(), artifacts->partial().string()));
        }
        if (cfg.before_publish) return cfg.before_publish(result);
        return Status::Ok();
      };
      if (Status st = artifacts->finish(result, before_publish); !st.ok()) {
        if (!checkpoints) return st;
        return Status(st.code(), fmt::format("{}; the run can be finished: once that is "
                                             "fixed, run the same command with --resume",
                                             st.message()));
      }
      if (checkpoints) {  // a finished folder holds no checkpoint
        test_kill_point("published");
        const std::filesystem::path path = artifacts->out() / kCheckpointFileName;
        if (::unlink(path.c_str()) != 0) {
          return Status::Io(
              fmt::format("{}: cannot remove: {}; the run is complete in {}: --resume removes it",
                          path.string(), std::strerror(errno), artifacts->out().string()));
        }
      }
    } else if (cfg.before_publish) {
      if (Status st = cfg.before_publish(result); !st.ok()) return st;
    }
    return result;
  };

  if (checkpoints && resume == nullptr) {  // the first write: a failure stops the run as any
    io = checkpoint(0);
    if (!io.ok()) return conclude(io);
  }
  if (comm == nullptr) {
    // Jobs first..total-1, numbered as in a run never stopped.
    const EpisodePlayerFactory make_player_from = [&]() -> EpisodePlayer {
      EpisodePlayer play = make_player();
      return [play, first](std::size_t job, EpisodeScratch& scratch) {
        return play(job + first, scratch);
      };
    };
    const EpisodeConsumer consume_from = [&](std::size_t job, EpisodeResult& ep) {
      return consume(job + first, ep);
    };
    return conclude(first == total ? Status::Ok()
                                   : play_in_job_order(total - first, cfg.threads, make_player_from,
                                                       consume_from));
  }
  Result<TournamentResult> concluded =
      conclude(gather_in_job_order(*comm, JobDeal(total, comm->size()), cfg.threads, make_player,
                                   consume, consume_shipped, cfg.coverage ? &coverage : nullptr));
  // Every rank stops with rank 0's outcome.
  if (Status agreed = comm->agree(concluded.ok() ? Status::Ok() : concluded.status()); !agreed.ok())
    return agreed;
  return concluded;
}

}  // namespace fable
