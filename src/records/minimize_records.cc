// Minimising a run's records on worker threads; see include/fable/minimize.h.
#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "fable/minimize.h"

namespace fable {

MinimizeSummary minimize_records(std::vector<ExploitRecord>& records, const Kernel& kernel,
                                 const DetectorSuite& suite, const MinimizeOptions& options,
                                 int threads, const MinimizeProgressFn& progress) {
  std::vector<std::optional<MinimizeResult>> results(records.size());
  std::atomic<std::size_t> next{0};
  std::mutex report;
  std::size_t done = 0;
  std::uint64_t replays = 0;
  std::exception_ptr failure;
  const auto work = [&] {
    for (std::size_t i = next++; i < records.size(); i = next++) {
      Result<MinimizeResult> r = Status::Internal("not minimised");
      try {
        r = minimize_record(records[i], kernel, suite, options);
      } catch (...) {  // out of memory: rethrown on the calling thread
        const std::lock_guard<std::mutex> lock(report);
        if (!failure) failure = std::current_exception();
        next = records.size();
        return;
      }
      const std::lock_guard<std::mutex> lock(report);
      if (r.ok()) {
        replays += static_cast<std::uint64_t>(r->replays);
        results[i] = std::move(*r);
      }
      ++done;
      if (progress) progress(done, records.size(), replays);
    }
  };
  const std::size_t workers =
      std::min<std::size_t>(records.size(), static_cast<std::size_t>(std::max(1, threads)));
  if (workers <= 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    for (std::size_t w = 0; w < workers; ++w) pool.emplace_back(work);
    for (std::thread& t : pool) t.join();
  }
  if (failure) std::rethrow_exception(failure);
  MinimizeSummary summary;
  summary.replays = replays;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (!results[i]) {
      summary.kept += 1;
      continue;
    }
    summary.one_minimal += results[i]->one_minimal ? 1 : 0;
    records[i] = std::move(results[i]->record);
  }
  return summary;
}

}  // namespace fable
