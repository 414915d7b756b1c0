// Appending exploit records to a folder; see include/fable/record_store.h.
#include "fable/record_store.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "base/files.h"
#include "base/safe_name.h"
#include "base/test_kill.h"

namespace fable {

namespace {

namespace fs = std::filesystem;

constexpr int kMaxExploitNumber = 999999;

// What the folder already holds: record id and file by fingerprint, and the
// ids in use.
struct Existing {
  std::map<std::string, std::pair<std::string, std::string>> by_fingerprint;  // -> (id, path)
  std::set<int> numbers;
  int highest = 0;
};

// Reads every record in `dir`, in file-name order; creates `dir` when
// missing if `create` (else a missing folder holds nothing).
Result<Existing> scan_folder(const fs::path& dir, bool create = true) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec))
    return Status::Invalid(fmt::format("{}: exists and is not a folder", dir.string()));
  if (!create && !fs::exists(dir, ec)) return Existing{};
  fs::create_directories(dir, ec);
  if (ec) return Status::Io(fmt::format("{}: cannot create: {}", dir.string(), ec.message()));
  std::vector<fs::path> files;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".json") files.push_back(it->path());
  }
  if (ec) return Status::Io(fmt::format("{}: cannot read: {}", dir.string(), ec.message()));
  std::sort(files.begin(), files.end());
  Existing existing;
  for (const fs::path& file : files) {
    Result<ExploitRecord> rec = load_record(file.string());
    if (!rec.ok()) return rec.status();
    const int number = *exploit_number(rec->exploit_id);  // load_record checked the form
    existing.by_fingerprint.emplace(rec->fingerprint,
                                    std::make_pair(rec->exploit_id, file.string()));
    existing.numbers.insert(number);
    existing.highest = std::max(existing.highest, number);
  }
  return existing;
}

std::string id_of(int number) {
  return fmt::format("EXP-{:03d}", number);
}

}  // namespace

Status check_record_folder(const std::string& dir) {
  Result<Existing> existing = scan_folder(dir, /*create=*/false);
  return existing.ok() ? Status::Ok() : existing.status();
}

Result<std::vector<AppendedRecord>> append_records(const std::string& dir,
                                                   const std::vector<ExploitRecord>& records,
                                                   const AppendOptions& options) {
  if (options.first_id < 1 || options.first_id > kMaxExploitNumber) {
    return Status::Invalid(
        fmt::format("first exploit id {}: must be 1..{}", options.first_id, kMaxExploitNumber));
  }
  Result<Existing> existing = scan_folder(dir);
  if (!existing.ok()) return existing.status();

  // Plan every record first, so that a refused id writes nothing.
  std::vector<AppendedRecord> plan;
  std::map<std::string, std::size_t> planned;  // fingerprint -> index in plan, new in this call
  std::set<int> numbers = existing->numbers;
  int next = std::max(options.first_id, existing->highest + 1);
  for (const ExploitRecord& rec : records) {
    AppendedRecord entry;
    if (const auto there = existing->by_fingerprint.find(rec.fingerprint);
        there != existing->by_fingerprint.end()) {
      entry.exploit_id = there->second.first;
      entry.path = there->second.second;
      plan.push_back(std::move(entry));
      continue;
    }
    if (const auto first = planned.find(rec.fingerprint); first != planned.end()) {
      entry.exploit_id = plan[first->second].exploit_id;  // twice in this call: the first is kept
      entry.path = plan[first->second].path;
      plan.push_back(std::move(entry));
      continue;
    }
    if (options.ids == RecordIds::kAsGiven) {
      const std::optional<int> number = exploit_number(rec.exploit_id);
      if (!number)
        return Status::Invalid(fmt::format("exploit id '{}' is not EXP-NNN", rec.exploit_id));
      if (!numbers.insert(*number).second) {
        return Status::Invalid(
            fmt::format("{}: {} is taken by another fingerprint; records are never overwritten",
                        dir, rec.exploit_id));
      }
      entry.exploit_id = rec.exploit_id;
    } else {
      if (next > kMaxExploitNumber)
        return Status::Invalid(fmt::format("{}: no exploit id left after EXP-{}", dir, next - 1));
      entry.exploit_id = id_of(next++);
    }
    if (Status st = check_safe_name(entry.exploit_id, "exploit id"); !st.ok()) return st;
    entry.path = (fs::path(dir) / (entry.exploit_id + ".json")).string();
    entry.written = true;
    planned.emplace(rec.fingerprint, plan.size());
    plan.push_back(std::move(entry));
  }

  for (std::size_t i = 0; i < plan.size(); ++i) {
    if (!plan[i].written) continue;
    ExploitRecord rec = records[i];
    rec.exploit_id = plan[i].exploit_id;
    if (Status st = files::write_new_file(plan[i].path, record_to_json(rec)); !st.ok()) return st;
    test_kill_point("record-appended");  // tests only (base/test_kill.h)
  }
  return plan;
}

}  // namespace fable
