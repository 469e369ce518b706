#pragma once
// What happens once MPI_Init (or MPI_Init_thread) succeeded: the rank and size are confirmed by MPI itself
// (meta `rank_source` "MPI_Init", in libprof's meta and in the preload shim's when it writes the snapshot),
// the library's name is read, and the `mpi` section is registered. Nothing of this runs in a process that
// never initialises MPI.

namespace prof::mpi {

// Idempotent: a second successful initialisation (which MPI forbids) changes nothing.
void start_recording() noexcept;

}  // namespace prof::mpi
