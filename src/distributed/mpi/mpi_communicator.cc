// The MPI communicator (fable/distributed.h), built only with FABLE_MPI.
//
// It works on a duplicate of MPI_COMM_WORLD, so its messages never meet
// anyone else's. Messages to the root are non-blocking synchronous sends
// (MPI_Issend: complete only once the root has begun to take them, so that
// small messages sent eagerly cannot pile up on the root either), of which
// at most kMaxPending are outstanding; the root takes them with
// MPI_Probe + MPI_Recv, so it needs no size in advance. A stop request is an
// empty message with its own tag. `agree` gathers every rank's status on the
// root (MPI_Gather of sizes, MPI_Gatherv of bytes) and broadcasts the first
// failure. Only the C API is used (the C++ bindings are deprecated). MPI
// errors abort the job (MPI_ERRORS_ARE_FATAL, MPI's default); the program
// calls MPI_Init_thread and MPI_Finalize, never the library.
#include <mpi.h>

#include <climits>
#include <deque>
#include <string>

#include "base/byte_io.h"
#include "fable/distributed.h"

namespace fable {

namespace {

constexpr int kTagData = 1;
constexpr int kTagStop = 2;
constexpr std::size_t kMaxPending = 8;

Bytes status_bytes(const Status& s) {
  ByteWriter w;
  w.i32(static_cast<std::int32_t>(s.code()));
  w.str(s.message());
  return w.take();
}

Status status_from(std::span<const std::byte> bytes) {
  ByteReader r(bytes);
  const std::int32_t code = r.i32();
  std::string message = r.str();
  if (!r.ok() || !r.at_end() || code < 0 || code > static_cast<int>(StatusCode::kInternal))
    return Status::Internal("a malformed status came from another rank");
  if (code == 0) return Status::Ok();
  return Status(static_cast<StatusCode>(code), std::move(message));
}

class MpiCommunicator final : public Communicator {
 public:
  MpiCommunicator() {
    MPI_Comm_dup(MPI_COMM_WORLD, &comm_);
    MPI_Comm_rank(comm_, &rank_);
    MPI_Comm_size(comm_, &size_);
  }
  MpiCommunicator(const MpiCommunicator&) = delete;
  MpiCommunicator& operator=(const MpiCommunicator&) = delete;

  ~MpiCommunicator() override {
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (finalized) return;
    flush();
    if (rank_ != 0) (void)stop_requested();  // takes a stop request nobody waited for
    MPI_Comm_free(&comm_);
  }

  int rank() const override { return rank_; }
  int size() const override { return size_; }

  Status send_to_root(Bytes message) override {
    if (rank_ == 0) return Status::Internal("the root sends nothing to itself");
    if (message.size() > static_cast<std::size_t>(INT_MAX))
      return Status::Internal("a message to rank 0 is over 2 GiB");
    while (!pending_.empty()) {  // frees what rank 0 has already taken
      int done = 0;
      MPI_Test(&pending_.front().request, &done, MPI_STATUS_IGNORE);
      if (!done) break;
      pending_.pop_front();
    }
    if (pending_.size() >= kMaxPending) {
      MPI_Wait(&pending_.front().request, MPI_STATUS_IGNORE);
      pending_.pop_front();
    }
    pending_.push_back(Pending{std::move(message), MPI_REQUEST_NULL});
    Pending& p = pending_.back();
    MPI_Issend(p.bytes.data(), static_cast<int>(p.bytes.size()), MPI_BYTE, 0, kTagData, comm_,
               &p.request);
    return Status::Ok();
  }

  Result<Bytes> receive_from(int source) override {
    if (rank_ != 0 || source < 1 || source >= size_)
      return Status::Internal("receive_from: only the root receives, from another rank");
    MPI_Status st;
    MPI_Probe(source, kTagData, comm_, &st);
    int n = 0;
    MPI_Get_count(&st, MPI_BYTE, &n);
    if (n < 0) return Status::Internal("a message of unknown size came from another rank");
    Bytes message(static_cast<std::size_t>(n));
    MPI_Recv(message.data(), n, MPI_BYTE, source, kTagData, comm_, MPI_STATUS_IGNORE);
    return message;
  }

  Status request_stop() override {
    for (int r = 1; r < size_; ++r) MPI_Send(nullptr, 0, MPI_BYTE, r, kTagStop, comm_);
    return Status::Ok();
  }

  bool stop_requested() override {
    if (stop_) return true;
    int flag = 0;
    MPI_Status st;
    MPI_Iprobe(0, kTagStop, comm_, &flag, &st);
    if (flag) {
      MPI_Recv(nullptr, 0, MPI_BYTE, 0, kTagStop, comm_, MPI_STATUS_IGNORE);
      stop_ = true;
    }
    return stop_;
  }

  Status flush() override {
    for (Pending& p : pending_) MPI_Wait(&p.request, MPI_STATUS_IGNORE);
    pending_.clear();
    return Status::Ok();
  }

  Status agree(const Status& local) override {
    ++agreements_;
    Bytes mine = status_bytes(local);
    if (mine.size() > static_cast<std::size_t>(INT_MAX / size_)) {
      mine = status_bytes(Status(local.code(), local.message().substr(0, 4096)));
    }
    const int n = static_cast<int>(mine.size());
    std::vector<int> sizes(rank_ == 0 ? static_cast<std::size_t>(size_) : 0);
    MPI_Gather(&n, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, comm_);
    std::vector<int> offsets(sizes.size());
    Bytes all;
    if (rank_ == 0) {
      int at = 0;
      for (std::size_t r = 0; r < sizes.size(); ++r) {
        offsets[r] = at;
        at += sizes[r];
      }
      all.resize(static_cast<std::size_t>(at));
    }
    MPI_Gatherv(mine.data(), n, MPI_BYTE, all.data(), sizes.data(), offsets.data(), MPI_BYTE, 0,
                comm_);
    Bytes agreed;
    if (rank_ == 0) {
      Status first = Status::Ok();
      for (std::size_t r = 0; r < sizes.size() && first.ok(); ++r) {
        first = status_from(std::span<const std::byte>(all).subspan(
            static_cast<std::size_t>(offsets[r]), static_cast<std::size_t>(sizes[r])));
      }
      agreed = status_bytes(first);
    }
    int agreed_size = static_cast<int>(agreed.size());
    MPI_Bcast(&agreed_size, 1, MPI_INT, 0, comm_);
    agreed.resize(static_cast<std::size_t>(agreed_size));
    MPI_Bcast(agreed.data(), agreed_size, MPI_BYTE, 0, comm_);
    return status_from(agreed);
  }

  Result<std::vector<Bytes>> all_gather(Bytes mine) override {
    if (mine.size() > static_cast<std::size_t>(INT_MAX))
      return Status::Internal("a hunt message over 2 GiB");
    const int n = static_cast<int>(mine.size());
    std::vector<int> sizes(static_cast<std::size_t>(size_));
    MPI_Allgather(&n, 1, MPI_INT, sizes.data(), 1, MPI_INT, comm_);
    std::vector<int> offsets(sizes.size());
    std::size_t total = 0;
    for (std::size_t r = 0; r < sizes.size(); ++r) {
      if (sizes[r] < 0 || total + static_cast<std::size_t>(sizes[r]) > INT_MAX)
        return Status::Internal("the hunt's messages together pass 2 GiB");
      offsets[r] = static_cast<int>(total);
      total += static_cast<std::size_t>(sizes[r]);
    }
    Bytes all(total);
    MPI_Allgatherv(mine.data(), n, MPI_BYTE, all.data(), sizes.data(), offsets.data(), MPI_BYTE,
                   comm_);
    std::vector<Bytes> by_rank(sizes.size());
    for (std::size_t r = 0; r < sizes.size(); ++r) {
      const auto first = all.begin() + offsets[r];
      by_rank[r].assign(first, first + sizes[r]);
    }
    return by_rank;
  }

  int agreements() const override { return agreements_; }

 private:
  struct Pending {
    Bytes bytes;
    MPI_Request request;
  };

  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0;
  int size_ = 1;
  bool stop_ = false;
  int agreements_ = 0;
  std::deque<Pending> pending_;  // sends not known to be complete, oldest first
};

}  // namespace

bool mpi_built() {
  return true;
}

std::unique_ptr<Communicator> make_mpi_world_communicator() {
  return std::make_unique<MpiCommunicator>();
}

}  // namespace fable
