// The in-process communicator group (fable/distributed.h): ranks on threads
// of one process, sharing one set of queues under one lock.
#include <cassert>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "fable/distributed.h"

namespace fable {

namespace {

constexpr std::size_t kMaxPending = 8;  // messages a rank may have waiting for the root

struct Shared {
  explicit Shared(int ranks)
      : size(ranks),
        to_root(static_cast<std::size_t>(ranks)),
        stop(static_cast<std::size_t>(ranks), false),
        brought(static_cast<std::size_t>(ranks)),
        gathering(static_cast<std::size_t>(ranks)) {}

  const int size;
  std::mutex mu;
  std::condition_variable cv;
  std::vector<std::deque<Bytes>> to_root;  // by sender
  std::vector<bool> stop;                  // by rank: the root asked it to stop
  // The collective in progress: each rank's status, how many brought one,
  // and the agreed status of the last completed round.
  std::vector<std::optional<Status>> brought;
  int arrived = 0;
  std::uint64_t round = 0;
  Status agreed;
  // The all_gather in progress, as above; `gathered` is the last completed one's.
  std::vector<Bytes> gathering;
  int gather_arrived = 0;
  std::uint64_t gather_round = 0;
  std::shared_ptr<const std::vector<Bytes>> gathered;
};

class LocalCommunicator final : public Communicator {
 public:
  LocalCommunicator(std::shared_ptr<Shared> shared, int rank)
      : shared_(std::move(shared)), rank_(rank) {}

  int rank() const override { return rank_; }
  int size() const override { return shared_->size; }

  Status send_to_root(Bytes message) override {
    if (rank_ == 0) return Status::Internal("the root sends nothing to itself");
    std::unique_lock lock(shared_->mu);
    auto& queue = shared_->to_root[static_cast<std::size_t>(rank_)];
    shared_->cv.wait(lock, [&] { return queue.size() < kMaxPending; });
    queue.push_back(std::move(message));
    shared_->cv.notify_all();
    return Status::Ok();
  }

  Result<Bytes> receive_from(int source) override {
    if (rank_ != 0 || source < 1 || source >= shared_->size)
      return Status::Internal("receive_from: only the root receives, from another rank");
    std::unique_lock lock(shared_->mu);
    auto& queue = shared_->to_root[static_cast<std::size_t>(source)];
    shared_->cv.wait(lock, [&] { return !queue.empty(); });
    Bytes message = std::move(queue.front());
    queue.pop_front();
    shared_->cv.notify_all();
    return message;
  }

  Status request_stop() override {
    std::lock_guard lock(shared_->mu);
    for (std::size_t r = 1; r < shared_->stop.size(); ++r) shared_->stop[r] = true;
    return Status::Ok();
  }

  bool stop_requested() override {
    std::lock_guard lock(shared_->mu);
    return shared_->stop[static_cast<std::size_t>(rank_)];
  }

  Status flush() override {
    std::unique_lock lock(shared_->mu);
    shared_->cv.wait(lock,
                     [&] { return shared_->to_root[static_cast<std::size_t>(rank_)].empty(); });
    return Status::Ok();
  }

  Status agree(const Status& local) override {
    ++agreements_;
    std::unique_lock lock(shared_->mu);
    shared_->brought[static_cast<std::size_t>(rank_)] = local;
    const std::uint64_t round = shared_->round;
    if (++shared_->arrived == shared_->size) {
      shared_->agreed = Status::Ok();
      for (std::optional<Status>& s : shared_->brought) {
        if (!s->ok() && shared_->agreed.ok()) shared_->agreed = *s;
        s.reset();
      }
      shared_->arrived = 0;
      ++shared_->round;
      shared_->cv.notify_all();
    } else {
      shared_->cv.wait(lock, [&] { return shared_->round != round; });
    }
    // A next round cannot complete before this rank joins it, so the
    // agreed status is still this round's.
    return shared_->agreed;
  }

  Result<std::vector<Bytes>> all_gather(Bytes mine) override {
    std::unique_lock lock(shared_->mu);
    shared_->gathering[static_cast<std::size_t>(rank_)] = std::move(mine);
    const std::uint64_t round = shared_->gather_round;
    if (++shared_->gather_arrived == shared_->size) {
      shared_->gathered = std::make_shared<const std::vector<Bytes>>(
          std::exchange(shared_->gathering, std::vector<Bytes>(shared_->gathering.size())));
      shared_->gather_arrived = 0;
      ++shared_->gather_round;
      shared_->cv.notify_all();
    } else {
      shared_->cv.wait(lock, [&] { return shared_->gather_round != round; });
    }
    // As in agree: the next round cannot complete before this rank joins it.
    return *shared_->gathered;
  }

  int agreements() const override { return agreements_; }

 private:
  std::shared_ptr<Shared> shared_;
  int rank_;
  int agreements_ = 0;
};

}  // namespace

std::vector<std::unique_ptr<Communicator>> make_local_group(int ranks) {
  assert(ranks >= 1 && ranks <= 64);
  auto shared = std::make_shared<Shared>(ranks);
  std::vector<std::unique_ptr<Communicator>> group;
  for (int r = 0; r < ranks; ++r) group.push_back(std::make_unique<LocalCommunicator>(shared, r));
  return group;
}

}  // namespace fable
