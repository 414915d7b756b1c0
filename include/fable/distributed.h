// A communicator: the few operations a tournament needs to play its episodes
// on several processes ("ranks") and merge them on rank 0 (docs/distributed.md).
//
// Rank 0 (the root) gathers; every other rank sends it byte messages, which
// rank 0 takes rank by rank in the order they were sent. `agree` is the one
// collective: every rank brings its status and every rank leaves with the
// same one, so that all of them stop together on any failure. Two
// implementations: MPI's world (src/distributed/mpi/, only in a build with
// FABLE_MPI; the program initialises MPI, the library never does) and an
// in-process group of ranks on threads (`make_local_group`, every build),
// which the tests use. A communicator is used by one thread of its rank only.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "fable/status.h"

namespace fable {

using Bytes = std::vector<std::byte>;

class Communicator {
 public:
  virtual ~Communicator() = default;

  virtual int rank() const = 0;  // 0..size()-1; 0 is the root
  virtual int size() const = 0;  // >= 1

  // Not the root: hands `message` to rank 0. It may return before rank 0 has
  // taken it; at most a few messages are pending, beyond which it waits for
  // rank 0 to take the oldest (so memory stays bounded). Errors:
  // Status::Internal when the transport fails.
  virtual Status send_to_root(Bytes message) = 0;

  // The root: the next message rank `source` (1..size()-1) sent, waiting for
  // it. Errors: Status::Internal when the transport fails.
  virtual Result<Bytes> receive_from(int source) = 0;

  // The root: asks every other rank to stop early (after a failure). Errors:
  // Status::Internal when the transport fails.
  virtual Status request_stop() = 0;

  // Not the root: whether rank 0 has asked this rank to stop; never waits.
  // Cheap enough to ask after every episode, which also lets the transport
  // move pending sends along (MPI progresses only inside MPI calls).
  virtual bool stop_requested() = 0;

  // Not the root: waits until rank 0 has taken every message sent. Errors:
  // Status::Internal when the transport fails.
  virtual Status flush() = 0;

  // Collective (every rank calls it, in the same sequence of collectives):
  // returns, on every rank, the first failure in rank order among the ranks'
  // `local` statuses (its code and message as given), or Ok when all are Ok.
  virtual Status agree(const Status& local) = 0;

  // Collective: every rank brings `mine` and every rank leaves with what all
  // brought, by rank (index r holds rank r's bytes, its own included). How a
  // hunt's islands exchange their best scripts (fable/hunt.h). Errors:
  // Status::Internal when the transport fails or the messages together pass
  // 2 GiB.
  virtual Result<std::vector<Bytes>> all_gather(Bytes mine) = 0;

  // How many times this rank has called `agree`: a program that fails
  // before joining a distributed run (0) still owes its peers one.
  virtual int agreements() const = 0;
};

// `ranks` communicators of one in-process group (rank i at index i), for
// tests and for playing a distributed run on threads: each must be used by
// one thread of its own. REQUIRES: 1 <= ranks <= 64.
std::vector<std::unique_ptr<Communicator>> make_local_group(int ranks);

// Whether this build has the MPI communicator (CMake option FABLE_MPI).
bool mpi_built();

// The communicator of MPI_COMM_WORLD. Only in a build with FABLE_MPI (else
// nullptr); REQUIRES: MPI initialised by the program with at least
// MPI_THREAD_FUNNELED, and not yet finalized while the communicator is used.
std::unique_ptr<Communicator> make_mpi_world_communicator();

}  // namespace fable
