// Sweeps; see include/fable/sweep.h and docs/sweep-format.md.
#include "fable/sweep.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "base/files.h"
#include "base/hash.h"
#include "base/population_json.h"
#include "fable/distributed.h"
#include "fable/kernel.h"
#include "fable/objectives.h"

namespace fable {

namespace {

namespace fs = std::filesystem;
using ordered_json = nlohmann::ordered_json;

// Text for a Markdown table cell: '|' escaped.
std::string md_cell(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

// Text for a CSV field: quoted when it holds a comma, quote or line break.
std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string sweep_cell_name(std::size_t cell, std::size_t cells) {
  const int width = std::max<int>(2, static_cast<int>(std::to_string(cells).size()));
  return fmt::format("cell-{:0{}}", cell + 1, width);
}

Result<SweepResult> run_sweep(const SweepConfig& config, const SweepProgressFn& progress,
                              const ProgressFn& episode_progress) {
  if (config.kernels.empty()) return Status::Invalid("sweep: no kernels");
  if (config.populations.empty()) return Status::Invalid("sweep: no populations");
  if (config.base.matchups.empty()) return Status::Invalid("sweep: no matchups to play");
  if (config.base.seeds.empty()) return Status::Invalid("sweep: no seeds to play");
  // Every kernel is read before anything is played.
  std::vector<Kernel> kernels;
  for (std::size_t i = 0; i < config.kernels.size(); ++i) {
    Result<Kernel> k = Kernel::load_file(config.kernels[i]);
    if (!k.ok()) {
      return Status(k.status().code(), fmt::format("kernels[{}]: {}", i, k.status().message()));
    }
    for (std::size_t j = 0; j < kernels.size(); ++j) {
      if (kernels[j].content_hash() == k->content_hash()) {
        return Status::Invalid(
            fmt::format("kernels[{}]: {} is the same kernel as kernels[{}] ({}: content hash {})",
                        i, config.kernels[i], j, config.kernels[j], hex64(k->content_hash())));
      }
    }
    kernels.push_back(std::move(*k));
  }
  // Under MPI (base.communicator) every rank plays every cell; rank 0 alone
  // writes, and every rank learns whether it could start.
  Communicator* const comm =
      config.base.communicator != nullptr && config.base.communicator->size() > 1
          ? config.base.communicator
          : nullptr;
  const bool root = comm == nullptr || comm->rank() == 0;
  std::optional<files::StagedFolder> staged;
  Status ready = Status::Ok();
  if (config.out_dir && root) {
    Result<files::StagedFolder> s = files::StagedFolder::create(*config.out_dir);
    if (s.ok()) {
      staged.emplace(std::move(*s));
      std::error_code ec;
      fs::create_directories(staged->partial() / "cells", ec);
      if (ec) {
        ready = Status::Io(fmt::format("{}: cannot create: {}",
                                       (staged->partial() / "cells").string(), ec.message()));
      }
    } else {
      ready = s.status();
    }
  }
  if (comm != nullptr) ready = comm->agree(ready);
  if (!ready.ok()) return ready;

  SweepResult result;
  result.cells = kernels.size() * config.populations.size();
  const auto cell_name = [&](std::size_t c) { return sweep_cell_name(c, result.cells); };
  std::size_t cell = 0;
  for (std::size_t ki = 0; ki < kernels.size(); ++ki) {
    for (const PopulationModel& population : config.populations) {
      TournamentConfig cfg = config.base;
      cfg.kernel_path = config.kernels[ki];
      cfg.population = population;
      cfg.out_dir.reset();
      if (staged) cfg.out_dir = (staged->partial() / "cells" / cell_name(cell)).string();
      Result<TournamentResult> r = Tournament(cfg).run(kernels[ki], episode_progress);
      if (!r.ok()) {
        return Status(r.status().code(),
                      fmt::format("{} ({}, population {}): {}", cell_name(cell), config.kernels[ki],
                                  population.preset, r.status().message()));
      }
      if (!r->merged) {  // another rank than 0: rank 0 holds the rows
        result.merged = false;
        ++cell;
        continue;
      }
      result.episodes += r->episodes_run;
      for (const LeaderboardRow& row : r->leaderboard) {
        SweepRow out;
        out.cell = cell;
        out.kernel_path = config.kernels[ki];
        out.kernel_name = r->kernel_name;
        out.kernel_version = r->kernel_version;
        out.kernel_hash = r->kernel_hash;
        out.population = population.preset;
        out.matchup = row;
        for (const ExploitRecord& rec : r->exploit_records) {
          if (rec.first_matchup == row.matchup) out.fingerprints.push_back(rec.fingerprint);
        }
        std::sort(out.fingerprints.begin(), out.fingerprints.end());
        result.rows.push_back(std::move(out));
      }
      ++cell;
      if (progress) progress(cell, result.cells);
    }
  }

  if (staged) {
    const auto write = [&](const char* name, const std::string& text) {
      return files::write_new_file(staged->partial() / name, text);
    };
    Status st = write("sweep.json", sweep_json(config, result));
    if (st.ok()) st = write("sweep.csv", sweep_csv(result));
    if (st.ok()) st = write("summary.md", render_sweep_summary(result));
    if (!st.ok()) {
      return Status(st.code(), fmt::format("{}; incomplete output left in {}", st.message(),
                                           staged->partial().string()));
    }
    if (Status p = staged->publish(); !p.ok()) return p;
  }
  return result;
}

std::string sweep_csv(const SweepResult& result) {
  std::string s =
      "cell,kernel,version,hash,population,matchup,episodes,capture_rate,capture_lower,"
      "capture_upper";
  for (const ObjectiveInfo& info : all_objectives()) s += fmt::format(",capture_{}", info.name);
  s += ",governance_score,worst_off_welfare,min_worst_off_welfare,treasury_retention,"
       "participation,findings,records\n";
  for (const SweepRow& r : result.rows) {
    const LeaderboardRow& m = r.matchup;
    s += fmt::format("{},{},{},{},{},{},{},{:.6f},{:.6f},{:.6f}",
                     sweep_cell_name(r.cell, result.cells), csv_field(r.kernel_path),
                     csv_field(r.kernel_version), r.kernel_hash, csv_field(r.population),
                     csv_field(m.matchup), m.episodes, m.capture_any.rate,
                     m.capture_any.interval.lower, m.capture_any.interval.upper);
    for (const ObjectiveInfo& info : all_objectives()) {
      s += fmt::format(",{:.6f}", m.capture_by_objective[static_cast<int>(info.id)].rate);
    }
    s += fmt::format(",{:.6f},{:.6f},{:.6f},{:.6f},{:.6f},{},{}\n", m.mean_governance_score,
                     m.mean_worst_off_welfare, m.min_worst_off_welfare, m.mean_treasury_retention,
                     m.mean_participation, m.total_findings, r.fingerprints.size());
  }
  return s;
}

std::string sweep_json(const SweepConfig& config, const SweepResult& result) {
  ordered_json kernels = ordered_json::array();
  for (const std::string& k : config.kernels) kernels.push_back(k);
  ordered_json populations = ordered_json::array();
  for (const PopulationModel& p : config.populations) {
    populations.push_back(ordered_json::parse(population_json(p).dump()));
  }
  ordered_json seeds = ordered_json::array();
  for (const std::uint64_t s : config.base.seeds) seeds.push_back(s);
  ordered_json matchups = ordered_json::array();
  for (const MatchupSpec& m : config.base.matchups) {
    matchups.push_back(ordered_json{{"name", m.name}, {"roster", m.roster.to_string()}});
  }
  ordered_json rows = ordered_json::array();
  for (const SweepRow& r : result.rows) {
    const LeaderboardRow& m = r.matchup;
    ordered_json capture = ordered_json::object();
    const auto proportion = [](const Proportion& p) {
      return ordered_json{{"count", p.successes},
                          {"rate", p.rate},
                          {"lower", p.interval.lower},
                          {"upper", p.interval.upper}};
    };
    capture["any"] = proportion(m.capture_any);
    for (const ObjectiveInfo& info : all_objectives()) {
      capture[std::string(info.name)] =
          proportion(m.capture_by_objective[static_cast<int>(info.id)]);
    }
    rows.push_back(ordered_json{
        {"cell", sweep_cell_name(r.cell, result.cells)},
        {"kernel", ordered_json{{"path", r.kernel_path},
                                {"name", r.kernel_name},
                                {"version", r.kernel_version},
                                {"hash", r.kernel_hash}}},
        {"population", r.population},
        {"matchup", m.matchup},
        {"episodes", m.episodes},
        {"capture", capture},
        {"governance_score", m.mean_governance_score},
        {"worst_off_welfare",
         ordered_json{{"mean", m.mean_worst_off_welfare}, {"min", m.min_worst_off_welfare}}},
        {"treasury_retention", m.mean_treasury_retention},
        {"participation", m.mean_participation},
        {"findings", m.total_findings},
        {"fingerprints", r.fingerprints}});
  }
  const ordered_json doc{
      {"schema", kSweepSchema},
      {"settings", ordered_json{{"kernels", kernels},
                                {"populations", populations},
                                {"seeds", seeds},
                                {"turns", config.base.n_turns},
                                {"treasury", money_to_units(config.base.initial_treasury)},
                                {"plan_length", config.base.settings.plan_length},
                                {"matchups", matchups}}},
      {"cells", result.cells},
      {"episodes", result.episodes},
      {"rows", rows}};
  return doc.dump(2) + "\n";
}

std::string render_sweep_summary(const SweepResult& result) {
  std::string s = fmt::format(
      "# Sweep summary\n\n{} {} (kernel x population), {} {}. "
      "Capture: episodes with any capture flag, with the 95% Wilson "
      "interval.\n\n",
      result.cells, result.cells == 1 ? "cell" : "cells", result.episodes,
      result.episodes == 1 ? "episode" : "episodes");
  s += "| cell | kernel | population | matchup | episodes | capture | score | worst-off welfare | "
       "records |\n|---|---|---|---|---:|---:|---:|---:|---:|\n";
  for (const SweepRow& r : result.rows) {
    const LeaderboardRow& m = r.matchup;
    s += fmt::format(
        "| {} | {} v{} | {} | {} | {} | {:.2f} [{:.2f}, {:.2f}] | {:.2f} | {:.3f} | "
        "{} |\n",
        sweep_cell_name(r.cell, result.cells), md_cell(r.kernel_name), md_cell(r.kernel_version),
        md_cell(r.population), md_cell(m.matchup), m.episodes, m.capture_any.rate,
        m.capture_any.interval.lower, m.capture_any.interval.upper, m.mean_governance_score,
        m.mean_worst_off_welfare, r.fingerprints.size());
  }
  return s;
}

}  // namespace fable
