// The binary's MPI session (docs/distributed.md): MPI is initialised by the
// program, never by the library, and only in a build with FABLE_MPI that was
// launched by an MPI launcher (mpirun, or srun with PMIx).
//
// With more than one rank, `tournament`, `run` and `sweep` play across them
// (TournamentConfig::communicator) and `hunt` runs one island per rank
// (HuntConfig::communicator); every other command is refused on rank 0
// with one error and exit 2. Ranks other than 0 print nothing: their stdout
// and stderr go to /dev/null, and their errors reach rank 0 through the run
// (Communicator::agree). One rank, or no launcher, behaves as without MPI.
#pragma once

#include "fable/distributed.h"

namespace fable::cli {

// The communicator `tournament`, `run`, `sweep` and `hunt` play across: set while a session
// of more than one rank is open, else nullptr.
Communicator* distributed_communicator();

class DistributedSession {
 public:
  // Initialises MPI (MPI_THREAD_FUNNELED: only the main thread calls MPI)
  // when launched by an MPI launcher in a FABLE_MPI build; else does nothing.
  DistributedSession(int& argc, char**& argv);
  DistributedSession(const DistributedSession&) = delete;
  DistributedSession& operator=(const DistributedSession&) = delete;
  // Finalizes MPI if it was initialised (after finish()).
  ~DistributedSession();

  int ranks() const;  // 1 without MPI

  // With several ranks: the exit code refusing the command `argv` names
  // when it is not `tournament`, `run`, `sweep` or `hunt` (the error printed on rank 0), or 0
  // to go on.
  int refuse_other_commands(int argc, char** argv) const;

  // The program's exit code, after its peers were told of a failure this
  // rank had before joining the run (so that none waits for it) and every
  // rank got here (so that rank 0 has printed all it prints). `threw`:
  // the command ended with an exception, when every rank is aborted
  // (MPI_Abort), the last resort, as the peers may be anywhere in the run.
  int finish(int exit_code, bool threw);
};

}  // namespace fable::cli
