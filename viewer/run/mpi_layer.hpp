#pragma once
#include <filesystem>

namespace prof::viewer::run {

// Whether `prof run` preloads the MPI layer (libprof_mpi.so) beside the shim.
enum class MpiMode { automatic, on, off };

// The rank an MPI launcher gave prof's own environment (the variables the snapshot's meta reads: mpirun and
// srun start one prof per rank), or -1 when prof was not started as an MPI rank.
long launcher_rank();

// libprof_mpi.so (next to the shim, in the build tree as in the install tree) when `mode` asks for it:
// `on`, or `automatic` under an MPI launcher. Empty when not wanted. Missing: UserError with --mpi; with
// `automatic` one line on stderr and an empty path (the run goes on without MPI records).
std::filesystem::path mpi_layer_to_preload(MpiMode mode, const std::filesystem::path& shim);

}  // namespace prof::viewer::run
