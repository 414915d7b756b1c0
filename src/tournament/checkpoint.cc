// Tournament checkpoints and finding the run to resume; see
// src/tournament/checkpoint.h and docs/resume.md.
#include "tournament/checkpoint.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <unordered_map>

#include <fmt/format.h>

#include "base/byte_io.h"
#include "base/hash.h"
#include "base/population_json.h"
#include "fable/episode.h"
#include "fable/money.h"
#include "tournament/wire_parts.h"

namespace fable {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kMagic = "fable-checkpoint";  // 16 bytes

IdentityItem item(std::string name, std::string_view value) {
  return identity_item(std::move(name), value);
}

std::string os_error(const fs::path& path, std::string_view what, int err) {
  return fmt::format("{}: {}: {}", path.string(), what, std::strerror(err));
}

// Writes all of `bytes` to `fd`; 0 or the errno of the failure.
int write_all(int fd, std::span<const std::byte> bytes) {
  for (std::size_t done = 0; done < bytes.size();) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno != EINTR) return errno;
    if (n > 0) done += static_cast<std::size_t>(n);
  }
  return 0;
}

// Whether `name` is PREFIX<digits> or PREFIX<digits>-<digits>.
bool partial_name(std::string_view name, std::string_view prefix) {
  if (name.substr(0, prefix.size()) != prefix) return false;
  const std::string_view rest = name.substr(prefix.size());
  const std::size_t dash = rest.find('-');
  const auto digits = [](std::string_view s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (dash == std::string_view::npos) return digits(rest);
  return digits(rest.substr(0, dash)) && digits(rest.substr(dash + 1));
}

// Removes `path` if it is there. Errors: Status::Io.
Status remove_if_there(const fs::path& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    return Status::Io(os_error(path, "cannot remove", errno));
  return Status::Ok();
}

// Removes the temporary files write_new_file and write_checkpoint leave
// when killed (".NAME.tmp-PID") directly in `folder`.
Status remove_temporaries(const fs::path& folder) {
  std::error_code ec;
  if (!fs::is_directory(folder, ec)) return Status::Ok();
  std::vector<fs::path> found;
  for (const fs::directory_entry& e : fs::directory_iterator(folder, ec)) {
    const std::string name = e.path().filename().string();
    if (name.size() > 1 && name[0] == '.' && name.find(".tmp-") != std::string::npos)
      found.push_back(e.path());
  }
  if (ec) return Status::Io(fmt::format("{}: cannot read: {}", folder.string(), ec.message()));
  for (const fs::path& p : found) {
    if (Status st = remove_if_there(p); !st.ok()) return st;
  }
  return Status::Ok();
}

}  // namespace

IdentityItem identity_item(std::string name, std::string_view value) {
  return {std::move(name), hex64(hash_string(value))};
}

RunIdentity tournament_identity(const TournamentConfig& cfg, const Kernel& kernel) {
  RunIdentity id;
  id.push_back(item("engine", kEngineVersion));
  id.push_back(item("kernel", fmt::format("{} v{} {}", kernel.name(), kernel.version().to_string(),
                                          hex64(kernel.content_hash()))));
  id.push_back(item("kernel path", cfg.kernel_path));
  std::string matchups;
  for (const MatchupSpec& m : cfg.matchups)
    matchups += fmt::format("{}={};", m.name, m.roster.to_string());
  id.push_back(item("matchups", matchups));
  Hasher seeds;
  seeds.u64(cfg.seeds.size());
  for (const std::uint64_t s : cfg.seeds) seeds.u64(s);
  id.push_back({"seeds", hex64(seeds.finish())});
  id.push_back(item("turns", std::to_string(cfg.n_turns)));
  id.push_back(item("treasury", std::to_string(cfg.initial_treasury)));
  const EngineSettings& s = cfg.settings;
  id.push_back(item("engine settings", fmt::format("{} {} {} {}", s.plan_length, s.initial_balance,
                                                   s.income_per_turn, s.citizen_stipend)));
  id.push_back(item("population", population_json(cfg.population).dump()));
  id.push_back(item("episode files", episode_files_name(cfg.episode_files)));
  std::string secondaries;
  for (const std::string& m : cfg.secondary_metrics) secondaries += m + ";";
  id.push_back(item("secondary metrics", secondaries));
  id.push_back(item("minimisation",
                    cfg.minimize ? std::to_string(cfg.minimize_budget) : std::string("off")));
  id.push_back(item("coverage", cfg.coverage ? "on" : "off"));
  id.push_back(item("first exploit id", std::to_string(cfg.exploit_id_start)));
  for (const auto& [name, value] : cfg.checkpoint_identity) id.push_back(item(name, value));
  return id;
}

std::string identity_difference(const RunIdentity& a, const RunIdentity& b) {
  std::vector<std::string> names;
  const auto note = [&](const std::string& name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  for (const IdentityItem& x : a) {
    const auto it =
        std::find_if(b.begin(), b.end(), [&](const IdentityItem& y) { return y.name == x.name; });
    if (it == b.end() || it->value != x.value) note(x.name);
  }
  for (const IdentityItem& y : b) {
    const auto it =
        std::find_if(a.begin(), a.end(), [&](const IdentityItem& x) { return x.name == y.name; });
    if (it == a.end()) note(y.name);
  }
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::vector<std::byte> encode_checkpoint(const TournamentCheckpoint& c) {
  ByteWriter w;
  w.raw(std::as_bytes(std::span(kMagic.data(), kMagic.size())));
  w.u32(kCheckpointVersion);
  w.u64(c.identity.size());
  for (const IdentityItem& i : c.identity) {
    w.str(i.name);
    w.str(i.value);
  }
  w.u64(c.next_job);
  w.u64(c.total);
  w.i64(c.store_run);
  w.u64(c.state.size());
  w.raw(c.state);
  std::vector<std::byte> bytes = w.take();
  const std::uint64_t sum =
      hash_string(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  ByteWriter tail;
  tail.u64(sum);
  const std::vector<std::byte> t = tail.take();
  bytes.insert(bytes.end(), t.begin(), t.end());
  return bytes;
}

Result<TournamentCheckpoint> decode_checkpoint(std::span<const std::byte> bytes,
                                               const std::string& where) {
  const auto bad = [&](std::string_view why) {
    return Status::Invalid(fmt::format("{}: {}", where, why));
  };
  if (bytes.size() < kMagic.size() + 4 ||
      std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) != 0) {
    return bad("not a fable checkpoint");
  }
  ByteReader head(bytes.subspan(kMagic.size(), 4));
  const std::uint32_t version = head.u32();
  if (version != kCheckpointVersion) {
    return bad(fmt::format(
        "written as checkpoint version {}; this build reads version {} (finish the run with "
        "the build that started it, or start it again without --resume)",
        version, kCheckpointVersion));
  }
  if (bytes.size() < kMagic.size() + 4 + 8) return bad("truncated (checksum missing)");
  const std::span<const std::byte> body = bytes.first(bytes.size() - 8);
  ByteReader sum_reader(bytes.last(8));
  const std::uint64_t sum =
      hash_string(std::string_view(reinterpret_cast<const char*>(body.data()), body.size()));
  if (sum_reader.u64() != sum) return bad("truncated or corrupt (checksum mismatch)");

  ByteReader r(body.subspan(kMagic.size() + 4));
  TournamentCheckpoint c;
  c.identity.resize(r.count(16));
  for (IdentityItem& i : c.identity) {
    i.name = r.text();
    i.value = r.text();
  }
  c.next_job = r.u64();
  c.total = r.u64();
  c.store_run = r.i64();
  c.state.resize(r.count(1));
  r.raw(c.state);
  if (!r.ok() || !r.at_end() || c.next_job > c.total || c.store_run < 0)
    return bad("malformed checkpoint");
  return c;
}

Status write_checkpoint(const fs::path& folder, const TournamentCheckpoint& c) {
  const fs::path path = folder / kCheckpointFileName;
  const fs::path tmp = folder / fmt::format(".{}.tmp-{}", kCheckpointFileName, ::getpid());
  const std::vector<std::byte> bytes = encode_checkpoint(c);
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0666);
  if (fd < 0) return Status::Io(os_error(path, "cannot write", errno));
  // Not fsync'ed (about 13 ms a checkpoint here, as much as a small
  // tournament): the rename is atomic for any death of the process, which
  // is what resuming covers; a power cut may tear the file, and its checksum
  // then refuses it (docs/resume.md).
  int err = write_all(fd, bytes);
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && ::rename(tmp.c_str(), path.c_str()) != 0) err = errno;
  if (err != 0) {
    ::unlink(tmp.c_str());
    return Status::Io(os_error(path, "cannot write", err));
  }
  return Status::Ok();
}

Result<TournamentCheckpoint> read_checkpoint(const fs::path& folder) {
  const fs::path path = folder / kCheckpointFileName;
  // Not a regular file (a folder, a FIFO): refused here, never read (reading
  // a folder throws, and a FIFO would block).
  std::error_code kind;
  const fs::file_status status = fs::symlink_status(path, kind);
  if (fs::exists(status) && !fs::is_regular_file(status))
    return Status::Invalid(fmt::format("{}: not a regular file", path.string()));
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::error_code ec;
    if (!fs::exists(path, ec))
      return Status::NotFound(fmt::format("{}: no checkpoint", path.string()));
    return Status::Io(fmt::format("{}: cannot read", path.string()));
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::Io(fmt::format("{}: cannot read", path.string()));
  return decode_checkpoint(std::as_bytes(std::span(text.data(), text.size())), path.string());
}

std::vector<std::byte> encode_tournament_state(std::uint64_t episodes_run,
                                               const Leaderboard& leaderboard,
                                               const FingerprintDedup& dedup,
                                               const ClauseCoverage* coverage) {
  ByteWriter w;
  w.u64(episodes_run);
  leaderboard.save(w);
  dedup.save(w);
  w.boolean(coverage != nullptr);
  if (coverage != nullptr) wire::put_coverage(w, *coverage);
  return w.take();
}

Status decode_tournament_state(std::span<const std::byte> bytes, const std::string& where,
                               std::uint64_t& episodes_run, Leaderboard& leaderboard,
                               FingerprintDedup& dedup, ClauseCoverage* coverage) {
  ByteReader r(bytes);
  episodes_run = r.u64();
  leaderboard.load(r);
  dedup.load(r);
  const bool has_coverage = r.boolean();
  if (has_coverage != (coverage != nullptr)) r.fail();
  if (r.ok() && coverage != nullptr) *coverage = wire::get_coverage(r);
  if (!r.ok() || !r.at_end())
    return Status::Invalid(fmt::format("{}: malformed tournament state", where));
  return Status::Ok();
}

Result<std::unique_ptr<FolderLock>> FolderLock::take(const fs::path& folder) {
  const int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) return Status::Io(os_error(folder, "cannot open", errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK)
      return Status::Precondition(fmt::format("{}: in use by a running process", folder.string()));
    return Status::Io(os_error(folder, "cannot lock", err));
  }
  return std::unique_ptr<FolderLock>(new FolderLock(fd));
}

FolderLock::~FolderLock() {
  ::close(fd_);
}

Result<ResumePoint> find_resumable(const std::string& out, const RunIdentity& identity) {
  std::string text = out;
  while (text.size() > 1 && text.back() == '/') text.pop_back();
  const fs::path out_path(text);
  const fs::path parent = out_path.has_parent_path() ? out_path.parent_path() : fs::path(".");
  const std::string prefix = out_path.filename().string() + ".partial-";
  std::vector<fs::path> folders;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(parent, ec)) {
    const std::string name = e.path().filename().string();
    std::error_code type_ec;
    if (partial_name(name, prefix) && e.is_directory(type_ec) && !e.is_symlink(type_ec))
      folders.push_back(out_path.has_parent_path() ? parent / name : fs::path(name));
  }
  if (ec) {
    return Status::Io(fmt::format("--resume {}: cannot read the folder {}: {}", text,
                                  parent.string(), ec.message()));
  }
  std::sort(folders.begin(), folders.end());

  std::vector<ResumePoint> matches;
  std::vector<std::string> passed;  // "<folder>: why it does not fit"
  for (const fs::path& folder : folders) {
    Result<std::unique_ptr<FolderLock>> lock = FolderLock::take(folder);
    if (!lock.ok()) {
      passed.push_back(lock.status().message());
      continue;
    }
    Result<TournamentCheckpoint> c = read_checkpoint(folder);
    if (!c.ok()) {
      passed.push_back(c.status().message());
      continue;
    }
    const std::string differs = identity_difference(identity, c->identity);
    if (!differs.empty()) {
      passed.push_back(
          fmt::format("{}: another run (these settings differ: {})", folder.string(), differs));
      continue;
    }
    matches.push_back(ResumePoint{folder, std::move(*c), std::move(*lock)});
  }
  if (matches.size() == 1) return std::move(matches.front());
  if (matches.size() > 1) {
    std::string names;
    for (const ResumePoint& p : matches) names += (names.empty() ? "" : ", ") + p.partial.string();
    return Status::Precondition(
        fmt::format("--resume {}: several stopped runs of these settings ({}); keep one and "
                    "remove the others",
                    text, names));
  }
  if (passed.empty()) {
    return Status::Precondition(
        fmt::format("--resume {}: nothing to resume: no folder {}<pid> next to it; run the same "
                    "command without --resume",
                    text, prefix));
  }
  std::string why;
  for (const std::string& p : passed) why += "; " + p;
  return Status::Precondition(fmt::format("--resume {}: nothing to resume{}", text, why));
}

Status clear_after_checkpoint(const fs::path& partial, const TournamentConfig& cfg,
                              std::uint64_t next_job) {
  // The files there, not the jobs left (up to 10^8): MATCHUP-seedN.json
  // names job (matchup index) x seeds + (seed index).
  const fs::path episodes = partial / "episodes";
  std::map<std::string, std::uint64_t, std::less<>> matchup_index;
  for (std::size_t i = 0; i < cfg.matchups.size(); ++i)
    matchup_index.emplace(cfg.matchups[i].name, i);
  std::unordered_map<std::uint64_t, std::uint64_t> seed_index;
  for (std::size_t i = 0; i < cfg.seeds.size(); ++i) seed_index.emplace(cfg.seeds[i], i);
  const auto job_of = [&](std::string_view name) -> std::optional<std::uint64_t> {
    constexpr std::string_view kJson = ".json";
    if (name.size() < kJson.size() || name.substr(name.size() - kJson.size()) != kJson)
      return std::nullopt;
    name.remove_suffix(kJson.size());
    const std::size_t at = name.rfind("-seed");
    if (at == std::string_view::npos) return std::nullopt;
    const std::string_view digits = name.substr(at + 5);
    std::uint64_t seed = 0;
    const auto [end, err] = std::from_chars(digits.data(), digits.data() + digits.size(), seed);
    if (err != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    const auto m = matchup_index.find(name.substr(0, at));
    const auto sd = seed_index.find(seed);
    if (m == matchup_index.end() || sd == seed_index.end()) return std::nullopt;
    return m->second * cfg.seeds.size() + sd->second;
  };
  std::error_code ec;
  std::vector<fs::path> past;
  if (fs::is_directory(episodes, ec)) {
    for (const fs::directory_entry& e : fs::directory_iterator(episodes, ec)) {
      const std::optional<std::uint64_t> job = job_of(e.path().filename().string());
      if (job && *job >= next_job) past.push_back(e.path());
    }
    if (ec) return Status::Io(fmt::format("{}: cannot read: {}", episodes.string(), ec.message()));
  }
  for (const fs::path& p : past) {
    if (Status st = remove_if_there(p); !st.ok()) return st;
  }
  return clear_end_files(partial, {"episodes"}, {"summary.md", "leaderboard.json"});
}

Status clear_end_files(const fs::path& partial, const std::vector<std::string>& folders,
                       const std::vector<std::string>& files) {
  std::vector<fs::path> with_temporaries{partial, partial / "exploits"};
  for (const std::string& f : folders) with_temporaries.push_back(partial / f);
  for (const fs::path& folder : with_temporaries) {
    if (Status st = remove_temporaries(folder); !st.ok()) return st;
  }
  // What only the end of a run writes (a run killed while it wrote them).
  const fs::path exploits = partial / "exploits";
  std::error_code ec;
  std::vector<fs::path> records;
  if (fs::is_directory(exploits, ec)) {
    for (const fs::directory_entry& e : fs::directory_iterator(exploits, ec)) {
      records.push_back(e.path());
    }
    if (ec) return Status::Io(fmt::format("{}: cannot read: {}", exploits.string(), ec.message()));
  }
  for (const fs::path& p : records) {
    if (Status st = remove_if_there(p); !st.ok()) return st;
  }
  for (const std::string& name : files) {
    if (Status st = remove_if_there(partial / name); !st.ok()) return st;
  }
  return Status::Ok();
}

}  // namespace fable
