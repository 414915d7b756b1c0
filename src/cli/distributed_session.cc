// The binary's MPI session; see src/cli/distributed_session.h.
#include "distributed_session.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string_view>

#include <fmt/format.h>

#ifdef FABLE_MPI
#include <mpi.h>
#endif

#include "commands.h"

namespace fable::cli {

namespace {

std::unique_ptr<Communicator>& world() {
  static std::unique_ptr<Communicator> communicator;
  return communicator;
}

#ifdef FABLE_MPI
bool mpi_started = false;

// Whether an MPI launcher started this process: Open MPI's mpirun sets
// OMPI_COMM_WORLD_SIZE; PMIx launchers (srun --mpi=pmix) set PMIX_RANK.
bool launched_by_mpi() {
  return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr || std::getenv("PMIX_RANK") != nullptr;
}
#endif

StatusCode status_code_of(int exit_code) {
  if (exit_code == kExitIo) return StatusCode::kIoError;
  if (exit_code == kExitInternal) return StatusCode::kInternal;
  return StatusCode::kInvalidArgument;
}

}  // namespace

Communicator* distributed_communicator() {
  return world().get();
}

DistributedSession::DistributedSession([[maybe_unused]] int& argc, [[maybe_unused]] char**& argv) {
#ifdef FABLE_MPI
  if (!launched_by_mpi()) return;
  int provided = 0;
  if (MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
    std::fprintf(stderr, "error: MPI_Init_thread failed\n");
    std::exit(kExitInternal);
  }
  mpi_started = true;
  if (provided < MPI_THREAD_FUNNELED) {
    std::fprintf(stderr, "error: this MPI does not support MPI_THREAD_FUNNELED\n");
    MPI_Abort(MPI_COMM_WORLD, kExitInternal);
  }
  std::unique_ptr<Communicator> communicator = make_mpi_world_communicator();
  if (communicator->size() < 2) return;  // one rank: as without MPI
  if (communicator->rank() != 0) {       // rank 0 speaks for the run
    if (std::freopen("/dev/null", "w", stdout) == nullptr ||
        std::freopen("/dev/null", "w", stderr) == nullptr) {
      MPI_Abort(MPI_COMM_WORLD, kExitIo);
    }
  }
  world() = std::move(communicator);
#endif
}

DistributedSession::~DistributedSession() {
  world().reset();
#ifdef FABLE_MPI
  if (mpi_started) MPI_Finalize();
#endif
}

int DistributedSession::ranks() const {
  return world() ? world()->size() : 1;
}

int DistributedSession::refuse_other_commands(int argc, char** argv) const {
  if (ranks() < 2) return kExitOk;
  for (int i = 1; i < argc; ++i) {
    const std::string_view word = argv[i];
    if (word.empty() || word.front() == '-') continue;  // --version, --help
    if (word == "tournament" || word == "run" || word == "sweep" || word == "hunt") {
      return kExitOk;
    }
    fmt::print(stderr,
               "error: '{}' does not run across MPI ranks: only tournament, run, sweep and hunt do "
               "(docs/distributed.md); run it without mpirun, or with -np 1\n",
               word);
    return kExitBadInput;
  }
  return kExitOk;
}

int DistributedSession::finish(int exit_code, bool threw) {
  Communicator* comm = world().get();
  if (comm == nullptr) return exit_code;
#ifdef FABLE_MPI
  if (threw) MPI_Abort(MPI_COMM_WORLD, exit_code);
#else
  (void)threw;
#endif
  if (exit_code != kExitOk && comm->agreements() == 0) {
    // The peers may be waiting at their first agreement of the run.
    (void)comm->agree(Status(status_code_of(exit_code),
                             fmt::format("rank {} stopped before playing (exit code {}); run the "
                                         "command on one process to see why",
                                         comm->rank(), exit_code)));
  }
  // No rank leaves before rank 0 has said everything: mpirun ends the job as
  // soon as any rank exits non-zero.
  std::fflush(stdout);
  std::fflush(stderr);
  (void)comm->agree(Status::Ok());
  return exit_code;
}

}  // namespace fable::cli
