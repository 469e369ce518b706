#include "run/mpi_layer.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/process_meta.hpp"
#include "error.hpp"

extern char** environ;

namespace prof::viewer::run {

namespace fs = std::filesystem;

namespace {

bool has_env(const char* name) {
  return std::getenv(name) != nullptr;
}

// The build of the layer for the program's MPI family, named from the launcher that started this rank:
// Open MPI's mpirun sets OMPI_COMM_WORLD_RANK; MPICH's Hydra (mpirun.mpich, mpiexec.hydra) sets PMI_RANK and
// its control descriptors without it. PROF_MPI_LAYER=openmpi|mpich overrides (a launcher we cannot tell
// apart, srun's PMI in front of Open MPI). A layer that does not match steps aside at the program's first
// MPI call, so a wrong guess costs the records, never the run.
const char* layer_file() {
  if (const char* forced = std::getenv("PROF_MPI_LAYER")) {
    if (std::strcmp(forced, "mpich") == 0) return "libprof_mpi_mpich.so";
    if (std::strcmp(forced, "openmpi") == 0) return "libprof_mpi.so";
  }
  if (has_env("OMPI_COMM_WORLD_RANK")) return "libprof_mpi.so";
  if (has_env("PMI_RANK") || has_env("HYDI_CONTROL_FD") || has_env("PMI_FD")) return "libprof_mpi_mpich.so";
  return "libprof_mpi.so";
}

}  // namespace

long launcher_rank() {
  return core::meta::detect_rank(environ).rank;
}

fs::path mpi_layer_to_preload(MpiMode mode, const fs::path& shim) {
  if (mode == MpiMode::off || (mode == MpiMode::automatic && launcher_rank() < 0)) return {};
  std::error_code error;
  const fs::path matching = shim.parent_path() / layer_file();
  if (fs::is_regular_file(matching, error))
    return matching;  // the shim's directory passed the LD_PRELOAD checks
  // No MPICH build here: the default layer, which steps aside under a foreign MPI with one line.
  const fs::path layer = shim.parent_path() / "libprof_mpi.so";
  if (fs::is_regular_file(layer, error)) return layer;
  if (mode == MpiMode::on)
    throw UserError(layer.string(), "libprof_mpi.so not found (libprof built without MPI?)");
  std::fprintf(stderr, "prof: %s not found: MPI calls are not recorded (libprof built without MPI?)\n",
               layer.c_str());
  return {};
}

}  // namespace prof::viewer::run
