// A build without FABLE_MPI: no MPI communicator (fable/distributed.h).
#ifndef FABLE_MPI

#include "fable/distributed.h"

namespace fable {

bool mpi_built() {
  return false;
}

std::unique_ptr<Communicator> make_mpi_world_communicator() {
  return nullptr;
}

}  // namespace fable

#endif  // FABLE_MPI
