// Tournament orchestration; see include/fable/tournament.h.
#include "fable/tournament.h"

#include <unistd.h>
#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/hash.h"
#include "fable/episode.h"
#include "fable/script.h"

namespace fable {

namespace fs = std::filesystem;
using nlohmann::json;

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

namespace {

json score_json(const EpisodeScore& s) {
  return json{{"governance_score", s.governance_score},
              {"empathy_ratio", s.empathy_ratio},
              {"empathy_floor_trough", s.empathy_floor_trough},
              {"empathy_floor_final", s.empathy_floor_final},
              {"treasury_final", s.treasury_final},
              {"gini", s.gini},
              {"herfindahl", s.herfindahl},
              {"max_drawdown", s.max_drawdown},
              {"participation", s.participation},
              {"capture", json{{"drain", s.capture.drain},
                               {"entrench", s.capture.entrench},
                               {"suppress", s.capture.suppress}}},
              {"invariant_breaches", s.invariant_breaches}};
}

json finding_json(const ExploitFinding& f) {
  json evidence = json::array();
  for (const auto& [k, v] : f.evidence) evidence.push_back(json::array({k, v}));
  return json{{"name", f.name},
              {"category", category_name(f.category)},
              {"severity", f.severity},
              {"turn", f.turn},
              {"actors", f.actors},
              {"summary", f.summary},
              {"kernel_clauses", f.kernel_clauses},
              {"proposed_guard", f.proposed_guard},
              {"evidence", evidence},
              {"fingerprint", f.fingerprint}};
}

// One finished episode, as the consumer needs it.
struct Outcome {
  std::size_t job = 0;
  int worker = 0;  // who played it, and so who frees it
  EpisodeResult result;
};

// What dedup keeps per fingerprint.
struct Best {
  ExploitFinding finding;
  std::string matchup;
  Roster roster;
  std::uint64_t seed = 0;
  std::map<std::string, std::vector<ScriptStep>> scripts;
  int occurrences = 0;
  std::size_t order = 0;  // first time seen, for stable ties
};

struct Accumulator {
  LeaderboardRow row;
  double sum_score = 0, sum_ratio = 0, sum_treasury = 0, sum_floor = 0;
  int captured = 0;

  void add(const EpisodeScore& score, const std::vector<ExploitFinding>& findings) {
    row.episodes += 1;
    sum_score += score.governance_score;
    sum_ratio += score.empathy_ratio;
    sum_treasury += score.treasury_final;
    sum_floor += score.empathy_floor_trough;
    row.worst_empathy_trough = row.episodes == 1
                                   ? score.empathy_floor_trough
                                   : std::min(row.worst_empathy_trough, score.empathy_floor_trough);
    captured += score.capture.any() ? 1 : 0;
    row.total_findings += static_cast<int>(findings.size());
    row.episodes_with_findings += findings.empty() ? 0 : 1;
    std::array<bool, 5> has{};
    for (const ExploitFinding& f : findings) {
      row.findings_by_category[static_cast<std::size_t>(f.category)] += 1;
      has[static_cast<std::size_t>(f.category)] = true;
    }
    for (std::size_t c = 0; c < has.size(); ++c) row.episodes_with_category[c] += has[c] ? 1 : 0;
  }
};

// Counts each finding under its fingerprint and keeps, per fingerprint, the
// most severe one (the first seen on ties) with its perpetrators' scripts.
void keep_most_severe(std::map<std::string, Best>& best, const EpisodeResult& ep,
                      const MatchupSpec& m) {
  for (const ExploitFinding& f : ep.findings) {
    auto it = best.find(f.fingerprint);
    if (it == best.end()) {
      it = best.emplace(f.fingerprint, Best{}).first;
      it->second.order = best.size();
    } else if (f.severity <= it->second.finding.severity) {
      it->second.occurrences += 1;
      continue;
    }
    Best& b = it->second;
    b.occurrences += 1;
    b.finding = f;
    b.matchup = m.name;
    b.roster = m.roster;
    b.seed = ep.seed;
    b.scripts.clear();
    for (const std::string& actor : f.actors) {
      for (std::size_t i = 0; i < ep.trace.participants.size(); ++i) {
        if (ep.trace.participants[i].id == actor) {
          b.scripts[actor] = extract_script(ep.trace, static_cast<AgentIndex>(i));
        }
      }
    }
  }
}

Status write_file(const fs::path& path, const std::string& text) {
  errno = 0;
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    const int err = errno;
    return Status::Io(err != 0
                          ? fmt::format("{}: cannot write: {}", path.string(), std::strerror(err))
                          : fmt::format("{}: cannot write", path.string()));
  }
  return Status::Ok();
}

// The output folder must not exist or be empty: nothing a user wrote is overwritten.
Status check_out_dir(const fs::path& out) {
  std::error_code ec;
  if (!fs::exists(out, ec)) return Status::Ok();
  if (!fs::is_directory(out, ec)) {
    return Status::Invalid(fmt::format("{}: exists and is not a folder", out.string()));
  }
  if (!fs::is_empty(out, ec)) {
    return Status::Invalid(fmt::format(
        "{}: folder is not empty; choose a new folder (nothing was overwritten)", out.string()));
  }
  return Status::Ok();
}

std::string fixed(double v, int decimals) {
  return fmt::format("{:.{}f}", v, decimals);
}

}  // namespace

std::string episode_summary_json(const std::string& matchup, std::uint64_t seed,
                                 const EpisodeScore& score,
                                 const std::vector<ExploitFinding>& findings) {
  json fs_json = json::array();
  for (const ExploitFinding& f : findings) fs_json.push_back(finding_json(f));
  const json doc{{"schema", "fable-episode/1"},
                 {"matchup", matchup},
                 {"seed", seed},
                 {"score", score_json(score)},
                 {"findings", fs_json}};
  return doc.dump(2) + "\n";
}

std::string render_summary(const TournamentResult& r) {
  std::string s = fmt::format("# Tournament summary (kernel v{})\n\n", r.kernel_version);
  s += fmt::format("Kernel: {} v{} (content hash {}); {} episodes.\n\n", r.kernel_name,
                   r.kernel_version, r.kernel_hash, r.episodes_run);
  s += "| matchup | episodes | mean score | mean empathy ratio | worst floor trough | "
       "mean floor trough | capture rate | findings | drain / entrench / suppress / procedure / "
       "empathy |\n";
  s += "|---|---:|---:|---:|---:|---:|---:|---:|---|\n";
  for (const LeaderboardRow& row : r.leaderboard) {
    const auto& c = row.findings_by_category;
    s += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} / {} / {} / {} / {} |\n",
                     row.matchup, row.episodes, fixed(row.mean_governance_score, 2),
                     fixed(row.mean_empathy_ratio, 3), fixed(row.worst_empathy_trough, 2),
                     fixed(row.mean_empathy_floor, 3), fixed(row.capture_rate, 2),
                     row.total_findings, c[0], c[1], c[2], c[3], c[4]);
  }
  s += "\n## Exploit records\n\n";
  if (r.exploit_records.empty()) {
    s += "No exploits found. Either the kernel held, or the red team needs a raise.\n";
  }
  for (const ExploitRecord& rec : r.exploit_records) {
    s += fmt::format("- **{}** [{}/sev{}] {} (x{}): {}\n", rec.exploit_id,
                     category_name(rec.category), rec.severity, rec.name, rec.occurrences,
                     rec.summary);
  }
  return s;
}

Tournament::Tournament(TournamentConfig config) : Tournament(std::move(config), default_suite()) {}
Tournament::Tournament(TournamentConfig config, DetectorSuite suite)
    : config_(std::move(config)), suite_(std::move(suite)) {}

Result<TournamentResult> Tournament::run(const ProgressFn& progress) {
  Result<Kernel> kernel = Kernel::load_file(config_.kernel_path);
  if (!kernel.ok()) return kernel.status();
  return run(*kernel, progress);
}

Result<TournamentResult> Tournament::run(const Kernel& kernel, const ProgressFn& progress) {
  const TournamentConfig& cfg = config_;
  if (cfg.matchups.empty()) return Status::Invalid("no matchups to play");
  for (const MatchupSpec& m : cfg.matchups) {
    if (Status st = check_roster(m.roster); !st.ok())
      return Status::Invalid(fmt::format("matchup '{}': {}", m.name, st.message()));
  }
  if (cfg.seeds.empty()) return Status::Invalid("no seeds to play");
  if (cfg.n_turns < 1)
    return Status::Invalid(fmt::format("turns must be at least 1, got {}", cfg.n_turns));
  if (cfg.exploit_id_start < 1) return Status::Invalid("exploit_id_start must be at least 1");

  // Output goes to a fresh sibling folder, renamed into place when complete.
  fs::path out_dir, partial;
  if (cfg.out_dir) {
    out_dir = fs::path(*cfg.out_dir);
    if (Status st = check_out_dir(out_dir); !st.ok()) return st;
    partial = out_dir;
    partial += fmt::format(".partial-{}", ::getpid());
    std::error_code ec;
    fs::create_directories(partial / "exploits", ec);
    if (!ec && cfg.episode_files != EpisodeFiles::kNone)
      fs::create_directories(partial / "episodes", ec);
    if (ec) return Status::Io(fmt::format("{}: cannot create: {}", partial.string(), ec.message()));
  }

  TournamentResult result;
  result.kernel_name = kernel.name();
  result.kernel_version = kernel.version().to_string();
  result.kernel_hash = hex64(kernel.content_hash());

  const std::size_t total = cfg.matchups.size() * cfg.seeds.size();
  const int threads = std::clamp(cfg.threads, 1, 256);
  const std::size_t window = static_cast<std::size_t>(threads) * 4;

  std::mutex mu;
  std::condition_variable cv_done, cv_room;
  std::map<std::size_t, Outcome> ready;  // finished, not yet consumed, by job index
  std::size_t next_job = 0, consumed = 0;
  // The job the consumer is asleep on (or none): only its completion wakes
  // it, and a worker is woken only when the window was full. Each wake-up is
  // a system call, so not waking threads that have nothing to do pays.
  constexpr std::size_t kNobody = std::numeric_limits<std::size_t>::max();
  std::size_t awaited = kNobody;
  // Consumed results go back to the worker that made them, to be freed there:
  // memory is released by the thread (and malloc arena) that allocated it,
  // and the consuming thread keeps to bookkeeping.
  std::vector<std::vector<EpisodeResult>> spent(static_cast<std::size_t>(threads));

  // No more jobs are handed out; workers waiting for room wake and leave.
  auto stop = [&] {
    {
      std::lock_guard lock(mu);
      next_job = total;
    }
    cv_room.notify_all();
  };
  // The first exception of any thread (out of memory, a detector that
  // throws): every thread stops, all are joined, and it is rethrown to the
  // caller, never left to std::terminate.
  std::exception_ptr failure;
  auto fail = [&](std::exception_ptr e) {
    {
      std::lock_guard lock(mu);
      if (!failure) failure = std::move(e);
    }
    stop();
    cv_done.notify_all();
  };

  auto play = [&](int self) {
    // One population per matchup, reused from episode to episode: agents
    // forget the previous episode when the turn number starts again (agent.h).
    std::vector<Population> populations(cfg.matchups.size());
    std::vector<EpisodeResult> to_free;
    for (;;) {
      std::size_t job;
      {
        std::unique_lock lock(mu);
        cv_room.wait(lock, [&] { return next_job >= total || next_job < consumed + window; });
        to_free.swap(spent[static_cast<std::size_t>(self)]);
        if (next_job >= total) return;
        job = next_job++;
      }
      to_free.clear();
      const std::size_t mi = job / cfg.seeds.size();
      const MatchupSpec& m = cfg.matchups[mi];
      const std::uint64_t seed = cfg.seeds[job % cfg.seeds.size()];
      Population& agents = populations[mi];
      if (agents.empty()) agents = m.build_agents();
      EpisodeOptions options;
      options.turns = cfg.n_turns;
      options.initial_treasury = cfg.initial_treasury;
      options.settings = cfg.settings;
      options.matchup = m.name;
      Outcome o{job, self, run_episode(kernel, agents, seed, options, suite_)};
      bool wake = false;
      {
        std::lock_guard lock(mu);
        ready.emplace(job, std::move(o));
        wake = job == awaited;
      }
      if (wake) cv_done.notify_one();
    }
  };
  auto worker = [&](int self) noexcept {
    try {
      play(self);
    } catch (...) {
      fail(std::current_exception());
    }
  };

  std::map<std::string, Accumulator> board;
  std::map<std::string, Best> best;  // by fingerprint
  Status io = Status::Ok();
  // Takes the results in job order; stops early when a write fails or a
  // thread has failed.
  auto consume = [&] {
    std::vector<Outcome> batch;  // consecutive finished jobs, taken under one lock
    std::size_t in_batch = 0;
    for (std::size_t job = 0; job < total; ++job) {
      if (in_batch == batch.size()) {
        batch.clear();
        in_batch = 0;
        bool was_full = false;
        {
          std::unique_lock lock(mu);
          awaited = job;
          cv_done.wait(lock, [&] { return ready.count(job) > 0 || failure; });
          awaited = kNobody;
          if (failure) return;
          for (auto it = ready.begin(); it != ready.end() && it->first == job + batch.size();) {
            batch.push_back(std::move(it->second));
            it = ready.erase(it);
          }
          was_full = next_job >= consumed + window;
          consumed = job + batch.size();
        }
        if (was_full) cv_room.notify_all();
      }
      Outcome& o = batch[in_batch++];

      EpisodeResult& ep = o.result;
      const MatchupSpec& m = cfg.matchups[job / cfg.seeds.size()];
      Accumulator& acc = board[m.name];
      acc.row.matchup = m.name;
      acc.add(ep.score, ep.findings);
      keep_most_severe(best, ep, m);
      const bool keep_summary =
          cfg.episode_files == EpisodeFiles::kAll ||
          (cfg.episode_files == EpisodeFiles::kWithFindings && !ep.findings.empty());
      if (cfg.out_dir && keep_summary) {
        io = write_file(partial / "episodes" / fmt::format("{}-seed{}.json", m.name, ep.seed),
                        episode_summary_json(m.name, ep.seed, ep.score, ep.findings));
      }
      result.episodes_run += 1;
      {
        std::lock_guard lock(mu);
        spent[static_cast<std::size_t>(o.worker)].push_back(std::move(ep));
      }
      if (!io.ok()) return;  // the run has failed: play no more
      if (progress) progress(job + 1, total);
    }
  };

  std::vector<std::thread> pool;
  try {
    for (int i = 0; i < threads; ++i) pool.emplace_back(worker, i);
    consume();
  } catch (...) {
    fail(std::current_exception());
  }
  stop();
  for (std::thread& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  if (!io.ok()) {
    return Status::Io(
        fmt::format("{}; stopped after {} of {} episodes, incomplete output left in {}",
                    io.message(), result.episodes_run, total, partial.string()));
  }

  for (auto& [name, acc] : board) {
    const double n = acc.row.episodes;
    acc.row.mean_governance_score = acc.sum_score / n;
    acc.row.mean_empathy_ratio = acc.sum_ratio / n;
    acc.row.mean_treasury_final = acc.sum_treasury / n;
    acc.row.mean_empathy_floor = acc.sum_floor / n;
    acc.row.capture_rate = acc.captured / n;
    result.leaderboard.push_back(acc.row);
  }

  std::vector<const Best*> ordered;
  for (const auto& [fp, b] : best) ordered.push_back(&b);
  std::stable_sort(ordered.begin(), ordered.end(), [](const Best* a, const Best* b) {
    if (a->finding.severity != b->finding.severity)
      return a->finding.severity > b->finding.severity;
    if (a->finding.category != b->finding.category) {
      return category_name(a->finding.category) < category_name(b->finding.category);
    }
    if (a->finding.name != b->finding.name) return a->finding.name < b->finding.name;
    return a->order < b->order;
  });
  int next_id = cfg.exploit_id_start;
  for (const Best* b : ordered) {
    ExploitRecord rec;
    rec.exploit_id = fmt::format("EXP-{:03d}", next_id++);
    rec.name = b->finding.name;
    rec.category = b->finding.category;
    rec.severity = b->finding.severity;
    rec.summary = b->finding.summary;
    rec.kernel_clauses = b->finding.kernel_clauses;
    rec.proposed_guard = b->finding.proposed_guard;
    rec.occurrences = b->occurrences;
    rec.first_matchup = b->matchup;
    rec.first_seed = b->seed;
    rec.first_turn = b->finding.turn;
    rec.fingerprint = b->finding.fingerprint;
    Reproduction& r = rec.reproduction;
    r.matchup = b->matchup;
    r.roster = b->roster;
    r.seed = b->seed;
    r.n_turns = cfg.n_turns;
    r.initial_treasury = cfg.initial_treasury;
    r.kernel_name = kernel.name();
    r.kernel_version = result.kernel_version;
    r.kernel_hash = result.kernel_hash;
    r.engine_version = std::string(kEngineVersion);
    r.settings = cfg.settings;
    r.perpetrators = b->finding.actors;
    r.scripts = b->scripts;
    result.exploit_records.push_back(std::move(rec));
  }

  if (cfg.out_dir) {
    for (const ExploitRecord& rec : result.exploit_records) {
      if (Status st =
              write_file(partial / "exploits" / (rec.exploit_id + ".json"), record_to_json(rec));
          !st.ok()) {
        return st;
      }
    }
    if (Status st = write_file(partial / "summary.md", render_summary(result)); !st.ok()) return st;
    std::error_code ec;
    if (fs::exists(out_dir, ec)) fs::remove(out_dir, ec);  // checked empty above
    fs::rename(partial, out_dir, ec);
    if (ec)
      return Status::Io(
          fmt::format("{}: cannot move results into place: {}", out_dir.string(), ec.message()));
  }
  return result;
}

}  // namespace fable
